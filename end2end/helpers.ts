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

/// A pledge of `baht` to a campaign (the demo's open one unless named) through the public form;
/// returns its reference.
export async function pledge(page: Page, baht: string, campaign = 1): Promise<string> {
  await page.goto(`/campaigns/${campaign}`);
  // Typed before the form's island is live, the amount could be lost as it hydrates.
  await hydrated(page);
  await page.getByLabel('จำนวนเงิน (บาท)').fill(baht);
  await page.getByRole('button', { name: 'บริจาคและรับคิวอาร์พร้อมเพย์' }).click();
  await expect(page).toHaveURL(/\/donations\/PP-[0-9A-Z-]+$/);
  return (await page.getByTestId('reference').textContent())!.trim();
}

/// `4321.56` as the bank and the app write it.
export function money(baht: string): string {
  const [whole, satang] = baht.split('.');
  return `${Number(whole).toLocaleString('en-US')}.${satang}`;
}

/// A K-BIZ-shaped statement (UTF-8 with BOM) dated today in Bangkok, with these credits after
/// an opening balance of `opening` satang.
export function statement(credits: [string, string][], opening = 0): Buffer {
  const now = new Date(Date.now() + 7 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${two(now.getUTCDate())}/${two(now.getUTCMonth() + 1)}/${two(now.getUTCFullYear() % 100)}`;
  // The money arrives a minute or more after now (Bangkok), never before the pledges the test
  // just made (a credit never matches a pledge made after it), and still today.
  const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
  const at = (i: number) => {
    const m = Math.min(minutes + 1 + i, 23 * 60 + 59);
    return `${two(Math.floor(m / 60))}:${two(m % 60)}`;
  };
  let balance = opening;
  const rows = credits.map(([baht, who], i) => {
    balance += Math.round(Number(baht) * 100);
    const b = (balance / 100).toFixed(2);
    return `,${day},${at(i)},รับโอนเงิน,,,"${money(baht)}",,"${money(b)}",,K PLUS,,${who}`;
  });
  const lines = [
    'รายการเดินบัญชีเงินฝากออมทรัพย์ (มีรายละเอียด),,,,,,,,,,,,',
    'K-DEPOSIT STATEMENT OF SAVING ACCOUNT (WITH DETAIL),,,,,,,,,,,,',
    ',ชื่อบัญชี,กองผ้าป่าทดสอบ,,,,,เลขที่บัญชีเงินฝาก,,,,xxx-x-x0000-x,',
    ',วันที่,เวลา/ วันที่มีผล,รายการ,ถอนเงิน,,ฝากเงิน,,ยอดคงเหลือ,,ช่องทาง,,รายละเอียด',
    ...rows,
  ];
  return Buffer.from('\ufeff' + lines.join('\n') + '\n', 'utf8');
}
