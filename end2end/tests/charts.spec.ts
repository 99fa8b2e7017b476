import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { BASE_URL, PASSWORD } from '../helpers';

// The settled demo campaign's charts and map are SVG drawn on the server: with JavaScript off
// they are all there, with their figures as text beside them. A finance officer, still without
// JavaScript, downloads a fiscal year's donations as a CSV that Excel reads as Thai, and as an
// Excel workbook.

test('the charts and the map render without JavaScript', async ({ browser }) => {
  const bare = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false });
  const page = await bare.newPage();
  await page.goto('/campaigns/3/report');

  const money = page.locator('figure.money-in-chart');
  await expect(money.locator('svg[role="img"]')).toBeVisible();
  expect(await money.locator('polyline.series').count()).toBeGreaterThan(0);
  await expect(money.locator('svg')).toHaveAttribute('aria-label', /฿/);
  expect(await money.locator('table tbody tr').count()).toBeGreaterThan(0);

  const spent = page.locator('figure.spent-chart');
  await expect(spent.locator('rect.bar-spent')).toBeVisible();
  await expect(spent.locator('.legend')).toContainText('จัดซื้อครุภัณฑ์');

  const districts = page.locator('figure.district-chart');
  expect(await districts.locator('rect.bar').count()).toBeGreaterThan(0);
  await expect(districts.locator('table')).toContainText('อำเภอ');

  const map = page.locator('figure.hospital-map');
  await expect(map.locator('svg')).toBeVisible();
  await expect(map.locator('circle.hospital-marker.received')).toHaveCount(2);
  expect(await map.locator('circle.district-point').count()).toBeGreaterThanOrEqual(20);
  // Offline by design: nothing on the page comes from another site.
  const outside = await page.evaluate(() =>
    [...document.querySelectorAll('[src], link[href], image')]
      .map((e) => e.getAttribute('src') ?? e.getAttribute('href') ?? '')
      .filter((u) => /^(https?:)?\/\//.test(u)),
  );
  expect(outside).toEqual([]);
  // A marker's size follows its units: the bigger count has the bigger circle.
  const markers = await map.locator('circle.hospital-marker.received').evaluateAll((cs) =>
    cs.map((c) => [Number(c.getAttribute('data-units')), Number(c.getAttribute('r'))]),
  );
  markers.sort((a, b) => a[0] - b[0]);
  if (markers[0][0] < markers[1][0]) expect(markers[0][1]).toBeLessThan(markers[1][1]);

  // A finance officer downloads one fiscal year's donations.
  await page.goto('/login');
  await page.getByLabel('ชื่อผู้ใช้').fill('demo-finance');
  await page.getByLabel('รหัสผ่าน').fill(PASSWORD);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto('/finance/campaigns/3/report');
  // The oldest year, in which the demo campaign received its money.
  const year = await page.locator('#fiscal-year option').last().getAttribute('value');
  await page.locator('#fiscal-year').selectOption(year!);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'เงินบริจาค (.csv)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`phapa-campaign-3-donations-fy${year}.csv`);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.trim().split('\n');
  expect(lines[0]).toContain('เลขอ้างอิง / reference');
  expect(lines.length).toBeGreaterThan(2);

  // The same year's donations as an Excel workbook (a zip: it starts with "PK").
  const [book] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'เงินบริจาค (Excel .xlsx)' }).click(),
  ]);
  expect(book.suggestedFilename()).toBe(`phapa-campaign-3-donations-fy${year}.xlsx`);
  expect(readFileSync((await book.path())!).subarray(0, 2).toString()).toBe('PK');
  await bare.close();
});
