import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { BASE_URL } from '../helpers';

// The open-data guide `/api` on a phone: Thai first with an English switch, every endpoint of
// the OpenAPI document explained, live examples that answer, downloads, nothing off-screen, and
// no serious or critical axe findings.

async function serious(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

test('the open-data guide explains every endpoint with live examples, in Thai and English', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const doc = await (await page.request.get('/api/v1/openapi.json')).json();
  expect(doc.openapi).toBe('3.1.0');
  const paths = Object.keys(doc.paths);
  expect(paths.length).toBe(10);

  await page.goto('/api');
  await expect(page.locator('html')).toHaveAttribute('lang', 'th');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('ข้อมูลเปิด');
  for (const path of paths) {
    await expect(page.getByRole('heading', { name: `GET ${path}`, exact: true })).toBeVisible();
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await serious(page)).toEqual([]);

  // A live example answers with real data.
  const example = await page.locator('a[href^="/api/v1/units?campaign="]').getAttribute('href');
  const answer = await page.request.get(example!);
  expect(answer.status()).toBe(200);
  expect(answer.headers()['access-control-allow-origin']).toBe('*');
  const units = await answer.json();
  expect(units.items.length).toBeGreaterThan(0);
  await page.locator('a[href^="/api/v1/units/EQ-"]').click();
  await expect(page.locator('body')).toContainText('"tag":"EQ-');

  // The downloads, explained column by column.
  await page.goto('/api');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('#dictionary')).toHaveText('Downloads and data dictionary');
  await expect(page.getByRole('cell', { name: 'days_in_homes', exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(await serious(page)).toEqual([]);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#dictionary ~ h3 a[href="/api/v1/hospitals.csv"]').click(),
  ]);
  expect(download.suggestedFilename()).toBe('phapa-hospitals.csv');
  await context.close();
});
