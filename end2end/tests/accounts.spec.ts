import { test, expect, Page } from '@playwright/test';

const PASSWORD = 'phapa-demo-password';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('ชื่อผู้ใช้').fill(username);
  await page.getByLabel('รหัสผ่าน').fill(PASSWORD);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
}

function staffMenu(page: Page) {
  return page.getByRole('navigation', { name: 'เมนูสำหรับเจ้าหน้าที่' });
}

test('an administrator signs in and sees the administration pages', async ({ page }) => {
  await signIn(page, 'demo-admin');
  await expect(page).toHaveURL(/\/admin\/accounts$/);
  await expect(staffMenu(page).getByRole('link', { name: 'บัญชีผู้ใช้' })).toBeVisible();
  await expect(staffMenu(page).getByRole('link', { name: 'บันทึกการตรวจสอบ' })).toBeVisible();
  await expect(page.locator('.whoami')).toContainText('ผู้ดูแลระบบ (ตัวอย่าง)');
  await expect(page.getByRole('cell', { name: 'demo-staff', exact: true })).toBeVisible();
});

test('a finance officer sees the audit log but not account administration', async ({ page }) => {
  await signIn(page, 'demo-finance');
  await expect(page).toHaveURL(/\/finance$/);
  await expect(staffMenu(page).getByRole('link', { name: 'การเงินและการบริจาค' })).toBeVisible();
  await staffMenu(page).getByRole('link', { name: 'บันทึกการตรวจสอบ' }).click();
  await expect(staffMenu(page).getByRole('link', { name: 'บัญชีผู้ใช้' })).toHaveCount(0);
  await expect(page.getByRole('cell', { name: 'sign_in' }).first()).toBeVisible();
  const response = await page.goto('/admin/accounts');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'ไม่มีสิทธิ์เข้าถึง' })).toBeVisible();
});

test("hospital staff see their own hospital and cannot open another's internal page", async ({ page }) => {
  await signIn(page, 'demo-staff');
  await expect(page).toHaveURL(/\/staff$/);
  await expect(staffMenu(page).getByRole('link', { name: 'โรงพยาบาลของฉัน' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('(ตัวอย่าง)');
  await expect(page.locator('.staff-page').getByText('เจ้าหน้าที่ รพ.สต. (ตัวอย่าง)')).toBeVisible();
  expect((await page.goto('/staff/hospitals/99001'))?.status()).toBe(200);
  const other = await page.goto('/staff/hospitals/99002');
  expect(other?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'ไม่มีสิทธิ์เข้าถึง' })).toBeVisible();
});

test('a wrong password gets one message that does not say whether the user exists', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('ชื่อผู้ใช้').fill('nobody-at-all');
  await page.getByLabel('รหัสผ่าน').fill('not-the-password');
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await expect(page.getByRole('alert')).toHaveText('ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง');
});

test('an administrator creates a staff account, which can then sign in, and signs out', async ({ page, browser }) => {
  await signIn(page, 'demo-admin');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const username = `staff-${Date.now()}`;
  await page.getByLabel('ชื่อผู้ใช้', { exact: true }).fill(username);
  await page.getByLabel('ชื่อที่แสดง').fill('พยาบาลทดสอบ');
  await page.getByLabel('รหัสผ่าน (12–128 ตัวอักษร)').fill(PASSWORD);
  await page.getByLabel('บทบาท', { exact: true }).selectOption('hospital_staff');
  await page.getByLabel('รหัสหน่วยบริการ (เฉพาะเจ้าหน้าที่โรงพยาบาล)').fill('99002');
  await page.getByRole('button', { name: 'สร้างบัญชี' }).click();
  await expect(page.getByRole('status')).toHaveText('สร้างบัญชีแล้ว');
  await expect(page.getByRole('cell', { name: username, exact: true })).toBeVisible();

  const other = await browser.newPage();
  await signIn(other, username);
  await expect(other).toHaveURL(/\/staff$/);
  await other.close();

  await page.getByRole('button', { name: 'ออกจากระบบ' }).click();
  await expect(page.getByRole('link', { name: 'เข้าสู่ระบบ' })).toBeVisible();
});
