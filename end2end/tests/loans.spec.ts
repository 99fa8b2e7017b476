import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { BASE_URL, signedIn } from '../helpers';

// The last mile in a browser: a hospital's staff put a household on the waiting list, lend it a
// wheelchair, record a home visit, take the chair back, have it cleaned and lend it to a second
// home; the chair's public page, read without JavaScript, then shows two homes served and none
// of the hospital's borrower codes. Every form on the desk is a plain post.

test('a wheelchair goes from the waiting list to two homes', async ({ browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  // In base 36 the stamp has at most 8 digits: a code of 13 digits (or one holding 0 and 6, 8
  // or 9 then 8 more digits) would be refused as a national ID or a phone number.
  const tag36 = stamp.toString(36).toUpperCase();
  const first = `E2E-${tag36}-A`;
  const second = `E2E-${tag36}-B`;
  const page = await signedIn(browser, 'demo-staff-5');
  await page.goto('/staff/loans');

  const add = page.locator('form.add-waiting');
  await add.getByLabel('ครุภัณฑ์').selectOption({ label: 'รถเข็นนั่ง' });
  await add.getByLabel('กลุ่มผู้ป่วย').selectOption('bedbound');
  await add.getByLabel('ความเร่งด่วน').selectOption('urgent');
  await add.getByLabel('รหัสผู้ยืม (ของ รพ.สต.)').fill(first);
  await add.getByRole('button', { name: 'เพิ่ม' }).click();
  await expect(page).toHaveURL(/done=waiting/);
  await expect(page.getByRole('status')).toContainText('เพิ่มในรายการรอแล้ว');

  const entry = page.locator('article.waiting-entry', { hasText: first });
  const tag = await entry.locator('select[name="tag"]').inputValue();
  expect(tag).toMatch(/^EQ-\d+-\d{5}$/);
  await entry.getByRole('button', { name: 'ให้ยืม' }).click();
  await expect(page).toHaveURL(/done=lend/);

  const loan = page.locator('article.loan', { hasText: first });
  await loan.getByText('บันทึกการเยี่ยมบ้าน').click();
  await loan.getByRole('button', { name: 'บันทึกการเยี่ยม' }).click();
  await expect(page).toHaveURL(/done=visit/);
  await expect(page.locator('article.loan', { hasText: first })).toContainText('ยังใช้งานอยู่');

  const out = page.locator('article.loan', { hasText: first });
  await out.locator('summary', { hasText: 'รับคืน' }).click();
  await out.locator('select[name="end_reason"]').selectOption('recovered');
  await out.getByRole('button', { name: 'รับคืน' }).click();
  await expect(page).toHaveURL(/done=return/);

  const row = page.locator(`tr#unit-${tag}`);
  await expect(row).toContainText('รอทำความสะอาดและตรวจสภาพ');
  await row.getByRole('button', { name: 'ทำความสะอาดและตรวจแล้ว' }).click();
  await expect(page).toHaveURL(/done=cleaned/);

  const ready = page.locator(`tr#unit-${tag}`);
  await ready.getByText('ให้ยืมโดยตรง').click();
  await ready.getByLabel('รหัสผู้ยืม').fill(second);
  await ready.getByRole('button', { name: 'ให้ยืม' }).click();
  await expect(page).toHaveURL(/done=lend/);
  await expect(page.locator('article.loan', { hasText: second })).toBeVisible();
  await page.context().close();

  const bare = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false });
  const unit = await bare.newPage();
  await unit.goto(`/units/${tag}`);
  await expect(unit.locator('.homes-count')).toHaveText('2');
  await expect(unit.locator('.care')).toHaveText('ให้ผู้ป่วยยืมใช้ที่บ้าน');
  const html = await unit.content();
  expect(html).not.toContain(first);
  expect(html).not.toContain(second);
  await bare.close();
});

test('the lending desk, its register and summary have no serious or critical axe violations', async ({ browser }) => {
  const page = await signedIn(browser, 'demo-staff-4');
  const found: string[] = [];
  for (const path of ['/staff/loans', '/staff/loans/register', '/staff/loans/summary', '/hospitals/99015', '/units/EQ-3-00009']) {
    await page.goto(path);
    const results = await new AxeBuilder({ page }).analyze();
    for (const v of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
      found.push(`${path}: ${v.id} (${v.nodes.length})`);
    }
  }
  expect(found).toEqual([]);
  await page.context().close();
});
