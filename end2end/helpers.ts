import { expect, Page, Browser } from '@playwright/test';

// What several browser tests share: the demo accounts' password, the server's address, signing
// in, and waiting until every island on a page is live.

export const PASSWORD = 'phapa-demo-password';
export const BASE_URL = process.env.PHAPA_BASE_URL ?? 'http://127.0.0.1:3000';

/// A fresh browser context signed in as `username`.
export async function signedIn(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('ชื่อผู้ใช้').fill(username);
  await page.getByLabel('รหัสผ่าน').fill(PASSWORD);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

/// Waits until every island on the page has hydrated.
export async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}
