import { test, expect } from '@playwright/test';

test('an administrator drafts a campaign, gives it a wishlist, opens it, and the public sees it', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('ชื่อผู้ใช้').fill('demo-admin');
  await page.getByLabel('รหัสผ่าน').fill('phapa-demo-password');
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.getByRole('navigation', { name: 'เมนูสำหรับเจ้าหน้าที่' }).getByRole('link', { name: 'จัดการกองผ้าป่า' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'จัดการกองผ้าป่า' })).toBeVisible();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  const title = `ผ้าป่าทดสอบ ${Date.now()}`;
  await page.getByLabel('ชื่อกองผ้าป่า (ไทย)').fill(title);
  await page.getByLabel('เป้าหมาย (บาท)').fill('100,00');
  await page.getByLabel('วันเริ่มรับบริจาค').fill('2026-11-01');
  await page.getByLabel('วันสิ้นสุด').fill('2027-12-31');
  await page.getByLabel('ผู้รับบริจาคตามกฎหมาย (ชื่อภาษาไทย)').fill('มูลนิธิทดสอบ (ตัวอย่าง)');
  await page.getByLabel('เลขประจำตัวผู้เสียภาษีของผู้รับบริจาค').fill('0-0000-00000-00-2');
  await page.getByRole('button', { name: 'สร้างฉบับร่าง' }).click();
  await expect(page.getByRole('alert')).toContainText('ใช้จุลภาคคั่นหลักพันเท่านั้น');
  await expect(page.getByRole('alert')).toContainText('หลักตรวจสอบไม่ตรง');
  await page.getByLabel('เลขประจำตัวผู้เสียภาษีของผู้รับบริจาค').fill('0-0000-00000-00-1');

  await page.getByLabel('เป้าหมาย (บาท)').fill('120,000');
  await page.getByRole('button', { name: 'สร้างฉบับร่าง' }).click();
  await page.getByRole('link', { name: 'แก้ไขต่อ' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);

  await page.getByLabel('เพิ่มรายการ').selectOption({ label: 'รถเข็นนั่ง (฿3,800.00)' });
  await page.getByLabel('จำนวน', { exact: true }).fill('12');
  await page.getByRole('button', { name: 'เพิ่ม', exact: true }).first().click();
  await expect(page.getByLabel('รถเข็นนั่ง')).toHaveValue('12');

  await page.getByRole('button', { name: 'เปิดรับบริจาค' }).click();
  await expect(page.getByText('เปิดรับบริจาค').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'ปิดรับบริจาค' })).toBeVisible();

  await page.goto('/');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByText('จากที่ต้องการ 12 คัน')).toBeVisible();
  await expect(page.getByText('ระดมทุนได้ 0 · ซื้อแล้ว 0').first()).toBeVisible();
});

test('an administrator corrects a reference price in the catalog', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('ชื่อผู้ใช้').fill('demo-admin');
  await page.getByLabel('รหัสผ่าน').fill('phapa-demo-password');
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await page.goto('/admin/catalog');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const row = page.getByRole('row').filter({ hasText: 'glucometer' });
  await row.getByText('แก้ไข').click();
  await row.getByLabel('ราคาอ้างอิงต่อหน่วย (บาท)').fill('1,650.50');
  await row.getByRole('button', { name: 'บันทึก' }).click();
  await expect(page.getByRole('status')).toHaveText('บันทึกแล้ว');
  await expect(page.getByRole('row').filter({ hasText: 'glucometer' })).toContainText('฿1,650.50');
});
