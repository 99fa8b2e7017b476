import { test, expect } from '@playwright/test';
import { BASE_URL, PASSWORD, hydrated, money, pledge, signedIn, statement } from '../helpers';

// A campaign from its first pledge to its public report: an administrator opens a campaign
// (with a PromptPay ID, so each pledge gets an amount of its own: the satang tail is on by
// default), donors pledge (two of them the same amount, which the second is asked to pay with
// one satang more), the finance officer imports the bank's statement and every credit matches
// itself, the report comes out clean, and the officer settles the campaign in a browser without
// JavaScript; the campaign page then links its settled report.

test('pledges are matched, the report is clean, the campaign is settled and its report is public', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const satang = String((stamp % 97) + 1).padStart(2, '0');
  const unique = `${1000 + (stamp % 900)}.${satang}`;
  const twin = `${2100 + (stamp % 800)}.${satang}`;
  // What the second donor of the same amount is asked to transfer: one satang more.
  const twinPlus = (Math.round(Number(twin) * 100) + 1) / 100;
  const tailed = twinPlus.toFixed(2);

  // An administrator opens a campaign with a PromptPay payee.
  const admin = await signedIn(browser, 'demo-admin');
  await admin.goto('/admin/campaigns');
  await hydrated(admin);
  const title = `ผ้าป่าปิดบัญชีทดสอบ ${stamp}`;
  await admin.getByLabel('ชื่อกองผ้าป่า (ไทย)').fill(title);
  await admin.getByLabel('เป้าหมาย (บาท)').fill('50,000');
  await admin.getByLabel('วันเริ่มรับบริจาค').fill('2026-11-01');
  await admin.getByLabel('วันสิ้นสุด').fill('2027-12-31');
  await admin.getByLabel('พร้อมเพย์ (มือถือหรือเลข 13 หลัก)').fill('0812345678');
  await admin.getByLabel('ผู้รับบริจาคตามกฎหมาย (ชื่อภาษาไทย)').fill('มูลนิธิทดสอบ (ตัวอย่าง)');
  await admin.getByLabel('เลขประจำตัวผู้เสียภาษีของผู้รับบริจาค').fill('0-0000-00000-00-1');
  await admin.getByRole('button', { name: 'สร้างฉบับร่าง' }).click();
  await admin.getByRole('link', { name: 'แก้ไขต่อ' }).click();
  await expect(admin).toHaveURL(/\/admin\/campaigns\/\d+$/);
  const id = Number(new URL(admin.url()).pathname.split('/').pop());
  await hydrated(admin);
  await admin.getByRole('button', { name: 'เปิดรับบริจาค' }).click();
  await expect(admin.getByRole('button', { name: 'ปิดรับบริจาค' })).toBeVisible();
  await admin.context().close();

  // Donors pledge: one amount nobody else gives, and the same amount twice.
  const alone = await pledge(page, unique, id);
  const first = await pledge(page, twin, id);
  const second = await pledge(page, twin, id);

  await page.goto(`/donations/${second}`);
  await expect(page.locator('.pay-amount .amount').first()).toHaveText(`฿${money(tailed)}`);

  // The finance officer imports the day's statement: each credit is one pledge's amount.
  const finance = await signedIn(browser, 'demo-finance');
  await finance.goto(`/finance/campaigns/${id}`);
  await finance.getByRole('link', { name: 'กระทบยอดธนาคาร' }).click();
  await hydrated(finance);
  await finance.getByLabel('ไฟล์รายการเดินบัญชี (CSV)').setInputFiles({
    name: `settle-${stamp}.csv`,
    mimeType: 'text/csv',
    buffer: statement([
      [unique, 'จาก X1111 นาย ทดสอบ คนเดียว'],
      [twin, 'จาก X2222 นาง ทดสอบ ฝาแฝด'],
      [tailed, 'จาก X3333 นาย ทดสอบ ฝาแฝด'],
    ]),
  });
  await finance.getByRole('button', { name: 'ตรวจไฟล์ก่อนนำเข้า' }).click();
  await expect(finance.locator('.statement-preview .line-count')).toHaveText('3');
  await finance.getByRole('button', { name: 'นำเข้า', exact: true }).click();
  await expect(finance.locator('.import-outcome')).toContainText('ใหม่ 3');
  const matched = finance.locator('.bank-lines.matched');
  for (const reference of [alone, first, second]) {
    await expect(matched.locator('li', { hasText: reference })).toContainText('อัตโนมัติ');
  }
  await finance.context().close();

  // The report and the settlement, in a browser without JavaScript.
  const bare = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false });
  const officer = await bare.newPage();
  await officer.goto('/login');
  await officer.getByLabel('ชื่อผู้ใช้').fill('demo-finance');
  await officer.getByLabel('รหัสผ่าน').fill(PASSWORD);
  await officer.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await expect(officer).not.toHaveURL(/\/login/);
  await officer.goto(`/finance/campaigns/${id}/report`);
  // Still taking gifts: the settle section names that, and closes it to gifts in place.
  await expect(officer.locator('.blockers')).toContainText('ยังเปิดรับบริจาค');
  await officer.getByRole('button', { name: 'ปิดรับบริจาค', exact: true }).click();
  await officer.goto(`/finance/campaigns/${id}/report`);
  await expect(officer.locator('.blockers')).toHaveCount(0);
  const total = (Math.round(Number(unique) * 100) + 2 * Math.round(Number(twin) * 100) + 1) / 100;
  const baht = `฿${money(total.toFixed(2))}`;
  await expect(officer.locator('.total-in')).toHaveText(baht);
  await expect(officer.locator('.bank-balance')).toHaveText(baht);
  await expect(officer.locator('.bank-difference')).toHaveText('฿0.00');
  await expect(officer.locator('.balances')).toBeVisible();
  await expect(officer.locator('.clean')).toHaveText('ไม่มีรายการผิดปกติ');
  await officer.getByLabel('ข้าพเจ้าตรวจรายงานนี้แล้ว และขอปิดบัญชี').check();
  await officer.getByRole('button', { name: 'ปิดบัญชี', exact: true }).click();
  await expect(officer).toHaveURL(/\?done=settled$/);
  await expect(officer.getByRole('status')).toContainText('ปิดบัญชีแล้ว');
  await expect(officer.locator('.settle-form')).toHaveCount(0);
  await bare.close();

  // Everyone sees the settled report from the campaign page, with the date and who settled it.
  await page.goto(`/campaigns/${id}`);
  await page.getByRole('link', { name: 'อ่านรายงานการเงินและครุภัณฑ์' }).click();
  await expect(page).toHaveURL(new RegExp(`/campaigns/${id}/report$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('.settled-note')).toContainText('โดย เจ้าหน้าที่การเงิน (ตัวอย่าง)');
  await expect(page.locator('.total-in')).toHaveText(baht);
  await expect(page.locator('.clean')).toBeVisible();
});
