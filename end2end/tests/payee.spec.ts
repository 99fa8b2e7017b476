import { test, expect, Page, Browser } from '@playwright/test';

const PASSWORD = 'phapa-demo-password';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('ชื่อผู้ใช้').fill(username);
  await page.getByLabel('รหัสผ่าน').fill(PASSWORD);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
}

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: process.env.PHAPA_BASE_URL ?? 'http://127.0.0.1:3000' });
  return context.newPage();
}

test('a published campaign changes its receiving account only when a finance officer approves, and waiting pledges keep theirs', async ({ page, browser }) => {
  // A donor pledges first: this pledge keeps the account it was shown.
  await page.goto('/campaigns/2');
  await hydrated(page);
  await page.getByRole('button', { name: '฿100.00' }).click();
  await page.getByRole('button', { name: 'บริจาคและรับคิวอาร์พร้อมเพย์' }).click();
  await expect(page).toHaveURL(/\/donations\/PP-[0-9A-Z-]+$/);
  const before = (await page.getByRole('img', { name: 'คิวอาร์โค้ดพร้อมเพย์' }).getAttribute('data-payload'))!;
  expect(before).toContain('0066123456789');

  // The administrator cannot edit the account of an open campaign directly: it asks for a change.
  const admin = await newPage(browser);
  await signIn(admin, 'demo-admin');
  await admin.goto('/admin/campaigns/2');
  await hydrated(admin);
  await expect(admin.getByLabel('พร้อมเพย์ (มือถือหรือเลข 13 หลัก)')).toHaveAttribute('readonly', '');
  await admin.getByLabel('พร้อมเพย์', { exact: true }).fill('0812345678');
  await admin.getByLabel('เหตุผลที่เปลี่ยน').fill('มูลนิธิเปิดบัญชีพร้อมเพย์ใหม่');
  await admin.getByRole('button', { name: 'ยื่นคำขอเปลี่ยนบัญชี' }).click();
  await expect(admin.locator('.payee-changes')).toContainText('รออนุมัติ');
  await admin.context().close();

  // A finance officer approves it on the finance home page.
  const finance = await newPage(browser);
  await signIn(finance, 'demo-finance');
  await expect(finance).toHaveURL(/\/finance$/);
  await hydrated(finance);
  await expect(finance.getByRole('heading', { name: 'คำขอเปลี่ยนบัญชีรับเงินที่รออนุมัติ' })).toBeVisible();
  await finance.getByRole('button', { name: 'อนุมัติและใช้บัญชีใหม่' }).click();
  await expect(finance.getByRole('status')).toHaveText('บันทึกการพิจารณาแล้ว');
  await finance.context().close();

  // The waiting pledge still shows what it was shown; a new pledge shows the new account.
  await page.reload();
  await expect(page.getByRole('img', { name: 'คิวอาร์โค้ดพร้อมเพย์' })).toHaveAttribute('data-payload', before);
  await page.goto('/campaigns/2');
  await hydrated(page);
  await page.getByRole('button', { name: '฿100.00' }).click();
  await page.getByRole('button', { name: 'บริจาคและรับคิวอาร์พร้อมเพย์' }).click();
  await expect(page).toHaveURL(/\/donations\/PP-[0-9A-Z-]+$/);
  const after = (await page.getByRole('img', { name: 'คิวอาร์โค้ดพร้อมเพย์' }).getAttribute('data-payload'))!;
  expect(after).toContain('0066812345678');
  await expect(page.getByText('08x-xxx-5678')).toBeVisible();
});
