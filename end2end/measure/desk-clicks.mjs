// A scripted finance officer clears the demo's reconciliation desk (campaign 1) and reports the
// clicks and seconds it took. It works on the desk before and after suggestion groups, so two
// builds can be compared in one run:
//
//   PHAPA_BASE_URL=http://127.0.0.1:3000 node end2end/measure/desk-clicks.mjs
//
// The officer confirms each suggestion group at once (where the desk has them), then goes
// through the credits left: a candidate named in the bank's text, or the only candidate, is
// matched; a credit with no candidate is recorded as a gift. Credits with several candidates
// and no name to choose by are left for a person, and counted.
import { chromium } from '@playwright/test';

const base = process.env.PHAPA_BASE_URL ?? 'http://127.0.0.1:3000';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await (await browser.newContext({ baseURL: base })).newPage();
await page.goto('/login');
await page.getByLabel('ชื่อผู้ใช้').fill('demo-finance');
await page.getByLabel('รหัสผ่าน').fill('phapa-demo-password');
await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
await page.waitForURL((url) => !url.pathname.startsWith('/login'));

const lines = page.locator('.bank-lines.unmatched > li');
const hydrated = () => page.waitForSelector('body[data-hydrated="true"]');
async function settle(before) {
  for (let i = 0; i < 100; i++) {
    if ((await lines.count()) !== before) return;
    await page.waitForTimeout(100);
  }
}

await page.goto('/finance/reconcile?campaign=1');
await hydrated();
const waiting = await lines.count();
const started = Date.now();
let clicks = 0;
let grouped = 0;
// Suggestion groups, each confirmed at once after reading (the desk after issue 21).
for (;;) {
  const button = page.locator('.suggestion-group button[type="submit"]').first();
  if ((await button.count()) === 0) break;
  const before = await lines.count();
  const rows = await page.locator('.suggestion-group').first().locator('tbody tr').count();
  await button.click();
  clicks++;
  grouped += rows;
  await settle(before);
  await page.waitForTimeout(300);
}
let left = 0;
for (let i = 0; ; ) {
  const n = await lines.count();
  if (i >= n) break;
  const line = lines.nth(i);
  const text = (await line.locator('.line-text').textContent()) ?? '';
  const candidates = line.locator('.candidates > li');
  const count = await candidates.count();
  let chosen = null;
  for (let c = 0; c < count; c++) {
    const words = ((await candidates.nth(c).textContent()) ?? '').split('·')[1]?.trim().split(/\s+/) ?? [];
    if (words.length > 0 && words.every((w) => text.includes(w))) chosen = candidates.nth(c);
  }
  if (!chosen && count === 1) chosen = candidates.first();
  if (chosen) {
    await chosen.getByRole('button', { name: 'จับคู่' }).click();
    clicks++;
  } else if (count === 0) {
    await line.locator('details.gift-from-line summary').click();
    await line.getByRole('button', { name: 'บันทึกและออกใบเสร็จ' }).click();
    clicks += 2;
  } else {
    left++;
    i++;
    continue;
  }
  await settle(n);
}
const seconds = (Date.now() - started) / 1000;
console.log(
  JSON.stringify({ waiting, grouped, clicks, seconds: Number(seconds.toFixed(1)), left_for_a_person: left }),
);
await browser.close();
