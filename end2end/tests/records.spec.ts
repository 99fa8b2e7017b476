import { test, expect, Page } from '@playwright/test';
import { BASE_URL, hydrated, money, signedIn, statement } from '../helpers';

// Ordinary clicks that used to corrupt records, each now refused or corrected: a second click
// on a recorded gift, a statement row copied twice, a unit rejected as broken, a refused plain
// form answered as a page; and every answer shown where the officer clicked.

/** Whether the element is inside the viewport. */
async function inView(page: Page, selector: string) {
  const box = await page.locator(selector).first().boundingBox();
  const viewport = page.viewportSize()!;
  expect(box).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
}

test('a second click on a recorded gift records nothing, and each answer is beside the button', async ({ browser }) => {
  const finance = await signedIn(browser, 'demo-finance');
  await finance.goto('/finance/campaigns/1');
  await hydrated(finance);
  const form = finance.locator('form.record-form');
  // Satang make the amount one no demo gift has (demo gifts are whole baht).
  const stamp = Date.now();
  const baht = 500 + (stamp % 400);
  const satang = String(1 + (Math.floor(stamp / 400) % 98)).padStart(2, '0');
  const amount = `${baht}.${satang}`;
  await form.getByLabel('จำนวนเงิน หรือมูลค่าสิ่งของ (บาท)').fill(amount);
  const button = form.getByRole('button', { name: 'บันทึกและออกใบเสร็จ' });
  await button.click();
  const answer = form.locator('.form-answer');
  await expect(answer.getByRole('status')).toContainText('ใบเสร็จเลขที่');
  await inView(finance, 'form.record-form .form-answer');
  // The form is empty again: the same click cannot record the same gift twice.
  await expect(form.getByLabel('จำนวนเงิน หรือมูลค่าสิ่งของ (บาท)')).toHaveValue('');
  // A second click on the emptied form sends nothing: the browser asks for the amount.
  await button.click();
  await expect(form.getByLabel('จำนวนเงิน หรือมูลค่าสิ่งของ (บาท)')).toBeFocused();
  // A bad amount is refused beside the button, focused, with its field marked.
  await form.getByLabel('จำนวนเงิน หรือมูลค่าสิ่งของ (บาท)').fill('12.345');
  await button.click();
  await expect(answer.getByRole('alert')).toBeVisible();
  await expect(answer).toBeFocused();
  await inView(finance, 'form.record-form .form-answer');
  await expect(form.locator('.field-error')).toHaveCount(1);
  await expect(form.getByLabel('จำนวนเงิน หรือมูลค่าสิ่งของ (บาท)')).toHaveAttribute('aria-invalid', 'true');
  // One gift of that amount among the latest.
  await finance.goto('/finance/campaigns/1');
  // The whole cell, not a part of it: ฿512.37 is also inside ฿1,512.37.
  const shown = new RegExp(`^\\s*฿${baht}\\.${satang}\\s*$`);
  await expect(finance.locator('table.donations td.num').filter({ hasText: shown })).toHaveCount(1);
  await finance.context().close();
});

test('a statement row copied twice is flagged and not stored unless said real', async ({ browser }) => {
  const finance = await signedIn(browser, 'demo-finance');
  await finance.goto('/finance/reconcile?campaign=1');
  await hydrated(finance);
  const stamp = Date.now();
  const baht = `${9000 + (stamp % 900)}.${String((stamp % 97) + 1).padStart(2, '0')}`;
  // The same line twice, its balance too: a copy, not a second transfer.
  const once = statement([[baht, 'จาก X7777 นาย ทดสอบ ซ้ำ']]).toString('utf8').trimEnd().split('\n');
  const copied = [...once, once[once.length - 1]].join('\n') + '\n';
  await finance.getByLabel('ไฟล์รายการเดินบัญชี (CSV)').setInputFiles({
    name: `copied-${stamp}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(copied, 'utf8'),
  });
  await finance.getByRole('button', { name: 'ตรวจไฟล์ก่อนนำเข้า' }).click();
  await expect(finance.locator('.repeated-rows')).toContainText('ซ้ำกับแถวก่อนหน้า');
  await finance.getByRole('button', { name: 'นำเข้า', exact: true }).click();
  await expect(finance.locator('.import-outcome')).toContainText('ไม่นำเข้าแถวที่คัดลอกซ้ำ 1');
  await expect(finance.locator('.bank-lines.unmatched > li', { hasText: `฿${money(baht)}` })).toHaveCount(1);
  await finance.context().close();
});

test('a unit rejected as broken goes back to stock as it arrived, with the reason', async ({ browser }) => {
  const staff = await signedIn(browser, 'demo-staff');
  await staff.goto('/staff');
  await hydrated(staff);
  const coming = staff.locator('ul.coming > li').first();
  const tag = (await coming.getAttribute('data-tag'))!;
  await coming.getByLabel('เหตุผลที่ไม่รับ').fill('ล้อหักระหว่างขนส่ง ใช้งานไม่ได้');
  await coming.getByLabel('สภาพที่ได้รับ').selectOption('awaiting_repair');
  await coming.getByRole('button', { name: `ไม่รับ ${tag}` }).click();
  await expect(staff.getByRole('status').filter({ hasText: 'บันทึกการไม่รับแล้ว' })).toBeVisible();
  await staff.context().close();
  // Finance sees it back in stock, awaiting repair, with the hospital's reason.
  const finance = await signedIn(browser, 'demo-finance');
  await finance.goto('/finance/stock?campaign=1');
  await hydrated(finance);
  const row = finance.locator('tr', { hasText: tag });
  await expect(row).toContainText('รอซ่อม');
  await expect(row).toContainText('ล้อหักระหว่างขนส่ง');
  await finance.context().close();
});

test('on a phone, long forms answer a bad value beside their button, focused', async ({ browser }) => {
  test.setTimeout(90_000);
  const phone = { viewport: { width: 390, height: 700 }, isMobile: true, hasTouch: true };
  /** Submits `form` and checks its refusal is in view, focused, and names `field`. */
  async function refusedInView(page: Page, form: string, button: string, field: string) {
    await page.locator(form).getByRole('button', { name: button }).click();
    const answer = page.locator(`${form} .form-answer`);
    await expect(answer.getByRole('alert')).toBeVisible();
    await expect(answer).toBeFocused();
    await inView(page, `${form} .form-answer [role="alert"]`);
    await expect(answer.locator(`li[data-field="${field}"]`)).toBeVisible();
    await expect(page.locator(`${form} [aria-invalid="true"]`).first()).toBeAttached();
  }

  const finance = await signedIn(browser, 'demo-finance');
  await finance.setViewportSize(phone.viewport);
  // A purchase with a tax ID that fails its check digit.
  await finance.goto('/finance/purchases?campaign=1');
  await hydrated(finance);
  const buy = finance.locator('.purchase-form');
  await buy.getByLabel('ผู้ขาย', { exact: true }).fill('ร้านทดสอบ');
  await buy.getByLabel('เลขประจำตัวผู้เสียภาษีของผู้ขาย (ถ้ามี)').fill('1234567890122');
  await buy.getByLabel('เลขที่ใบแจ้งหนี้/ใบกำกับภาษี').fill(`PHONE-${Date.now()}`);
  await buy.getByLabel('วันที่ในใบแจ้งหนี้').fill('2026-11-20');
  await buy.locator('#pu-qty-0').fill('1');
  await buy.locator('#pu-price-0').fill('100');
  await refusedInView(finance, '.purchase-form', 'บันทึกการซื้อ', 'vendor_tax_id');
  // A ceremony batch whose cash has three decimals.
  await finance.goto('/finance/campaigns/1');
  await hydrated(finance);
  const batch = finance.locator('form', { has: finance.locator('#batch-label') });
  await batch.getByLabel('ชื่อชุด').fill('ทดสอบบนโทรศัพท์');
  await batch.getByLabel('จำนวนซองที่นับได้').fill('3');
  await batch.getByLabel('ยอดเงินสดที่นับได้ (บาท)').fill('12.345');
  await refusedInView(finance, 'form:has(#batch-label)', 'เปิดชุดบันทึก', 'expected_total');
  await finance.context().close();

  // A hospital's request for a quantity that is not a number.
  const staff = await signedIn(browser, 'demo-staff');
  await staff.setViewportSize(phone.viewport);
  await staff.goto('/staff');
  await hydrated(staff);
  const ask = staff.locator('.request-form');
  await ask.getByLabel('จำนวนที่ขอ').fill('สอง');
  await ask.getByLabel('เหตุผล').fill('ทดสอบคำตอบบนโทรศัพท์');
  await refusedInView(staff, '.request-form', 'ส่งคำขอ', 'quantity');
  await staff.context().close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a bad pledge amount is answered with a page, never JSON', async ({ page }) => {
    await page.goto(`${BASE_URL}/campaigns/1`);
    await page.getByLabel('จำนวนเงิน (บาท)').fill('12.345');
    await page.getByRole('button', { name: 'บริจาคและรับคิวอาร์พร้อมเพย์' }).click();
    await expect(page.getByRole('alert')).toContainText('ทศนิยม');
    await expect(page.locator('li[data-field]')).toHaveCount(1);
    await expect(page.getByRole('link', { name: 'กลับ' })).toHaveAttribute('href', '/campaigns/1');
  });
});
