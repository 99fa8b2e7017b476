import { test, expect, Page } from '@playwright/test';

/** Waits until the WASM has hydrated the page (the app marks <body> once it runs in the browser). */
async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

test('the campaign list leads to a campaign page with its totals', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'th');
  await expect(page.getByRole('heading', { level: 2, name: 'กองผ้าป่า' })).toBeVisible();
  // Other tests may add campaigns; the demo's three are always there.
  expect(await page.locator('.campaign-card').count()).toBeGreaterThanOrEqual(3);
  const card = page.locator('.campaign-card').filter({ has: page.getByRole('heading', { name: /อำเภอเมืองขอนแก่น/ }) });
  const firstRaised = await card.locator('.raised').innerText();
  expect(firstRaised).toMatch(/^฿[\d,]+\.\d\d$/);
  await hydrated(page);

  await page.getByRole('link', { name: /อำเภอเมืองขอนแก่น/ }).click();
  await expect(page).toHaveURL(/\/campaigns\/1$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('อำเภอเมืองขอนแก่น');
  await expect(page.locator('.totals .raised')).toHaveText(firstRaised);
  await expect(page.getByRole('progressbar').first()).toBeVisible();
  await expect(page.getByText(/จากที่ต้องการ 10 เตียง/).first()).toBeVisible();
  await expect(page.getByText(/ระดมทุนได้ \d+ · ซื้อแล้ว \d+ · ส่งถึง รพ.สต. แล้ว \d+/).first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'โรงพยาบาลที่ได้รับประโยชน์' })).toBeVisible();
});

test('the language toggle switches to English and is remembered', async ({ page }) => {
  await page.goto('/campaigns/1');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/campaigns\/1$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Equipment we are raising money for' })).toBeVisible();
  await expect(page.getByText(/of 10 beds wanted/).first()).toBeVisible();

  await page.goto('/hospitals');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hospitals by district');

  await page.getByRole('button', { name: 'ภาษาไทย' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'th');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('โรงพยาบาลและ รพ.สต. แยกตามอำเภอ');
});

test('?lang=en also selects English', async ({ page }) => {
  await page.goto('/?lang=en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 2, name: 'Campaigns' })).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the campaign page shows its totals and the toggle still works', async ({ page }) => {
    await page.goto('/campaigns/2');
    await expect(page.locator('.totals .raised')).toHaveText(/^฿[\d,]+\.\d\d$/);
    await expect(page.locator('.totals .percent')).toHaveText(/^\d+%$/);
    await expect(page.getByRole('progressbar').first()).toHaveAttribute('aria-valuenow', '100');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: 'Recent gifts' })).toBeVisible();
  });

  test('the hospital search works by submitting the form', async ({ page }) => {
    await page.goto('/hospitals');
    await page.getByLabel('ค้นหาชื่อโรงพยาบาล ตำบล หรืออำเภอ').fill('ไม่มีชื่อนี้');
    await page.getByRole('button', { name: 'ค้นหา' }).click();
    await expect(page).toHaveURL(/\?q=/);
    await expect(page.getByText('แสดง 0 แห่ง')).toBeVisible();
  });
});

test('after hydration the hospital list filters as you type, without reloading', async ({ page }) => {
  await page.goto('/hospitals');
  await expect(page.getByText('แสดง 20 แห่ง')).toBeVisible();
  await hydrated(page);
  const url = page.url();
  const firstName = (await page.locator('.hospital-list a').first().innerText()).trim();
  await page.getByLabel('ค้นหาชื่อโรงพยาบาล ตำบล หรืออำเภอ').pressSequentially(firstName.slice(7, 13));
  await expect(page.getByText(/แสดง \d+ แห่ง/)).not.toHaveText('แสดง 20 แห่ง');
  await expect(page.locator('.hospital-list a').first()).toHaveText(firstName);
  expect(page.url()).toBe(url);
});

test('a hospital page names its campaign and says when nothing has arrived yet', async ({ page }) => {
  // 99004 has a wheelchair allocated in the demo, not yet delivered.
  await page.goto('/hospitals/99004');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('(ตัวอย่าง)');
  await expect(page.getByText('ยังไม่มีครุภัณฑ์ที่ส่งมอบให้โรงพยาบาลนี้')).toBeVisible();
  await page.getByRole('link', { name: /อำเภอเมืองขอนแก่น/ }).click();
  await expect(page).toHaveURL(/\/campaigns\/1$/);
});

test('an unknown page answers 404 with a way back', async ({ page }) => {
  const response = await page.goto('/campaigns/9999');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'ไม่พบหน้านี้' })).toBeVisible();
  await page.getByRole('link', { name: 'กลับไปหน้ากองผ้าป่า' }).click();
  await expect(page).toHaveURL(/\/$/);
});
