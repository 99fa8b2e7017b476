import { test, expect } from '@playwright/test';
import { hydrated, money, pledge, signedIn, statement } from '../helpers';
import * as path from 'path';

// A finance officer's reconciliation: donors pledge, the bank's statement comes in, the credit
// of a pledge whose amount the satang tail made its own is matched automatically (the pledge
// becomes received), the credit two pledges of one typed amount fit is matched by hand and taken
// back with a reason, a credit no pledge explains is recorded as a gift, and a malformed file is
// refused row by row before anything is stored.

test('a statement is imported, matched automatically and by hand, and a credit becomes a gift', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const satang = String((stamp % 97) + 1).padStart(2, '0');
  const unique = `${3000 + (stamp % 4000)}.${satang}`;
  const twin = `${7100 + (stamp % 800)}.${satang}`;
  const stray = `${8000 + (stamp % 900)}.${satang}`;

  // The demo campaign's satang tail is off: the same amount twice stays the same amount.
  const first = await pledge(page, twin);
  const second = await pledge(page, twin);

  const finance = await signedIn(browser, 'demo-finance');
  await finance.goto('/finance');
  await finance.getByRole('link', { name: 'กระทบยอดธนาคาร', exact: true }).and(finance.locator('main a[href="/finance/reconcile?campaign=1"]')).click();
  await hydrated(finance);
  await expect(finance.getByRole('heading', { name: 'กระทบยอดธนาคาร', level: 1 })).toBeVisible();

  // With the tail on, the next pledge's amount is its own: only that may match on its own.
  const tail = finance.locator('.pledge-tail');
  await expect(tail).toContainText('ปิดอยู่');
  await tail.getByRole('button', { name: 'เปิด', exact: true }).click();
  await expect(tail).toContainText('เปิดอยู่');
  const alone = await pledge(page, unique);

  // A malformed file: every bad row named, nothing stored.
  const upload = finance.getByLabel('ไฟล์รายการเดินบัญชี (CSV)');
  await upload.setInputFiles(path.join(__dirname, '..', 'fixtures', 'malformed-statement.csv'));
  await finance.getByRole('button', { name: 'ตรวจไฟล์ก่อนนำเข้า' }).click();
  const problems = finance.locator('table.problems');
  await expect(problems).toBeVisible();
  await expect(problems.locator('tr', { hasText: 'วันที่' }).first()).toContainText('15');
  await finance.getByRole('button', { name: 'นำเข้า', exact: true }).click();
  await expect(finance.locator('.notice.error li[data-field="file"]').first()).toContainText('15');

  // The day's statement: preview, then import.
  await upload.setInputFiles({
    name: `kbiz-${stamp}.csv`,
    mimeType: 'text/csv',
    buffer: statement([
      [unique, 'จาก X1111 นาย ทดสอบ คนเดียว'],
      [twin, 'จาก X2222 นาง ทดสอบ ฝาแฝด'],
      [stray, 'จาก X3333 บริษัท ทดสอบ ใจดี จำกัด'],
    ]),
  });
  await finance.getByRole('button', { name: 'ตรวจไฟล์ก่อนนำเข้า' }).click();
  const preview = finance.locator('.statement-preview');
  await expect(preview.locator('.line-count')).toHaveText('3');
  await expect(preview).toContainText('อ่านได้ทุกแถว');
  await finance.getByRole('button', { name: 'นำเข้า', exact: true }).click();
  await expect(finance.locator('.import-outcome')).toContainText('ใหม่ 3');

  // The credit only one pledge fits was matched, and that pledge is now received.
  const matched = finance.locator('.bank-lines.matched');
  await expect(matched.locator('li', { hasText: alone })).toContainText('อัตโนมัติ');

  // The twin credit waits with both pledges as candidates; match it to the first by hand.
  const waiting = finance.locator('.bank-lines.unmatched > li', { hasText: `฿${money(twin)}` });
  await expect(waiting.locator('.candidates li')).toHaveCount(2);
  await waiting.locator('.candidates li', { hasText: first }).getByRole('button', { name: 'จับคู่' }).click();
  await expect(finance.getByRole('status').filter({ hasText: 'จับคู่แล้ว' })).toBeVisible();
  const byHand = matched.locator('li', { hasText: first });
  await expect(byHand).toContainText('จับคู่เอง');

  // Taken back with a reason, it waits again.
  await byHand.locator('summary', { hasText: 'ยกเลิกการจับคู่' }).click();
  await byHand.getByLabel('เหตุผล').fill('ผู้บริจาคแจ้งว่าโอนผิดรายการ');
  await byHand.getByRole('button', { name: 'ยกเลิกการจับคู่' }).click();
  const next = finance.getByRole('status').filter({ hasText: 'ยกเลิกการจับคู่แล้ว' });
  await expect(next).toBeVisible();
  // The donation keeps its receipt, and the officer is told the two ways on.
  await expect(next).toContainText('ยังเป็น "ได้รับแล้ว" พร้อมใบเสร็จเดิม');
  await expect(next.locator('li')).toHaveCount(2);
  await expect(finance.locator('.bank-lines.unmatched > li', { hasText: `฿${money(twin)}` })).toBeVisible();

  // The credit no pledge explains becomes a gift with its receipt.
  const strayLine = finance.locator('.bank-lines.unmatched > li', { hasText: `฿${money(stray)}` });
  await strayLine.locator('summary').click();
  await strayLine.getByLabel('ชื่อผู้บริจาค (เว้นว่างถ้าไม่ทราบ)').fill('บริษัท ทดสอบ ใจดี จำกัด');
  await strayLine.getByRole('button', { name: 'บันทึกและออกใบเสร็จ' }).click();
  await expect(finance.getByRole('status').filter({ hasText: 'บันทึกเป็นเงินบริจาคแล้ว' })).toBeVisible();
  await expect(matched.locator('li', { hasText: `฿${money(stray)}` })).toContainText('บันทึกเป็นเงินบริจาค');

  // The tail goes back off, as the demo keeps it.
  await tail.getByRole('button', { name: 'ปิด', exact: true }).click();
  await expect(tail).toContainText('ปิดอยู่');

  // The donor of the automatically matched pledge sees it received, with its receipt.
  await page.goto(`/donations/${alone}`);
  await expect(page.locator('.reference-line')).not.toContainText('รอรับเงิน');
  await finance.context().close();
});
