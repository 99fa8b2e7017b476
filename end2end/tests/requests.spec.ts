import { test, expect } from '@playwright/test';
import { hydrated, signedIn } from '../helpers';

// A hospital asks for equipment, a finance officer approves fewer units with a reason, and the
// hospital reads the decision; the hospital's public page lists what it still needs, without
// JavaScript and without the need's patient counts.

test('a hospital asks, finance approves fewer with a reason, and the hospital reads it', async ({ browser }) => {
  const reason = `เตียงสำหรับผู้ป่วยรายใหม่ ${Date.now()}`;
  const staff = await signedIn(browser, 'demo-staff');
  await staff.goto('/staff');
  await hydrated(staff);
  const form = staff.locator('.request-form');
  const campaign = await form.getByLabel('กองผ้าป่า').inputValue();
  await form.getByLabel('ครุภัณฑ์').selectOption({ index: 0 });
  await form.getByLabel('จำนวนที่ขอ').fill('0');
  await form.getByLabel('เหตุผล').fill(reason);
  await form.getByRole('button', { name: 'ส่งคำขอ' }).click();
  // Zero is refused on its field, in Thai.
  await expect(staff.locator('[data-field="quantity"]')).toContainText('จำนวนที่ขอต้องเป็นจำนวนเต็ม 1 ถึง 1,000');
  await form.getByLabel('จำนวนที่ขอ').fill('4');
  await form.getByLabel('ผู้ป่วยติดเตียง').fill('6');
  await form.getByLabel('จำนวนที่มีอยู่แล้ว').fill('1');
  await form.getByLabel('ความเร่งด่วน').selectOption('urgent');
  await form.getByRole('button', { name: 'ส่งคำขอ' }).click();
  const row = staff.locator('.requests-table tr', { hasText: 'รอพิจารณา' }).first();
  await expect(row).toBeVisible();

  const finance = await signedIn(browser, 'demo-finance');
  await finance.getByRole('link', { name: 'คำขอครุภัณฑ์', exact: true }).and(finance.locator(`main a[href="/finance/requests?campaign=${campaign}"]`)).click();
  await expect(finance).toHaveURL(new RegExp(`/finance/requests\\?campaign=${campaign}$`));
  await hydrated(finance);
  const item = finance.locator('.queue-item', { hasText: reason });
  await expect(item).toBeVisible();
  await item.getByLabel('จำนวนที่อนุมัติ').fill('3');
  await item.getByLabel('เหตุผล', { exact: true }).fill('อนุมัติตามงบที่มี');
  await item.getByRole('button', { name: 'อนุมัติ', exact: true }).click();
  await expect(finance.getByRole('status')).toContainText('บันทึกแล้ว');
  await expect(finance.locator('.queue-item', { hasText: reason })).toContainText('อนุมัติแล้ว');
  await finance.context().close();

  await staff.reload();
  await hydrated(staff);
  const decided = staff.locator('.requests-table tr', { hasText: 'อนุมัติตามงบที่มี' });
  await expect(decided).toContainText('อนุมัติแล้ว');
  await expect(decided).toContainText('3 (ขอ 4)');
  await staff.context().close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a hospital page lists what it still needs, without patient counts', async ({ page }) => {
    await page.goto('/hospitals/99001');
    const needed = page.locator('.open-requests');
    await expect(needed.getByRole('heading', { name: 'ครุภัณฑ์ที่ยังต้องการ' })).toBeVisible();
    await expect(needed.locator('li').first()).toBeVisible();
    await expect(needed).not.toContainText('ติดเตียง');
  });
});
