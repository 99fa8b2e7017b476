import { test, expect, Browser, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// axe-core on every public page, in Thai and in English, after hydration: no serious or
// critical violations. The donation pages need references, made here as a donor would.

const PASSWORD = 'phapa-demo-password';

type Result = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

function baseUrl(): string {
  return process.env.PHAPA_BASE_URL ?? 'http://127.0.0.1:3000';
}

/** Pledges ฿`baht` on campaign 1 by the plain form (no JavaScript: quicker) and returns its reference. */
async function pledge(browser: Browser, baht: string): Promise<string> {
  const context = await browser.newContext({ baseURL: baseUrl(), javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/campaigns/1');
  await page.getByLabel('จำนวนเงิน (บาท)').fill(baht);
  await page.getByRole('button', { name: 'บริจาคและรับคิวอาร์พร้อมเพย์' }).click();
  await expect(page).toHaveURL(/\/donations\/PP-[0-9A-Z-]+$/);
  const reference = (await page.getByTestId('reference').textContent())!.trim();
  await context.close();
  return reference;
}

/** A finance officer confirms that the money for `reference` arrived, which issues its receipt. */
async function confirm(browser: Browser, reference: string) {
  const context = await browser.newContext({ baseURL: baseUrl() });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('ชื่อผู้ใช้').fill('demo-finance');
  await page.getByLabel('รหัสผ่าน').fill(PASSWORD);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
  await expect(page).toHaveURL(/\/finance$/);
  await page.goto(`/donations/${reference}`);
  await hydrated(page);
  await page.getByRole('button', { name: 'ยืนยันได้รับเงินและออกใบเสร็จ' }).click();
  await expect(page.locator('.receipt-no')).toBeVisible();
  await context.close();
}

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/**
 * The serious and critical violations on the page as it is now, one line per element. Checks
 * that axe could not finish count too: Thai marks that overflow a badge, for one, hide its
 * contrast from axe.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  // Legacy mode runs axe in the page itself; the default opens a blank page for every run to
  // merge the results of frames, which these pages do not have, and took twice as long.
  const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  const serious = (r: Result) => r.impact === 'serious' || r.impact === 'critical';
  const lines = (r: Result, what: string, nodes = r.nodes) => nodes.map((n) => `${r.id} (${r.impact}${what}) ${n.target.join(' ')}: ${r.help}`);
  // Axe never computes the contrast of text drawn inside an SVG (it stops at the SVG as an
  // image, or at a label of one digit as too short to judge). The report's chart labels are
  // such `<text>`; their colours are fixed in style/main.css (dark grey on white or pale green,
  // at least 6.6:1; white on the marker green, 4.8:1). Only those are let through.
  const inSvg = (n: Result['nodes'][number]) => n.html.startsWith('<text');
  return [
    ...results.violations.filter(serious).flatMap((r) => lines(r, '')),
    ...results.incomplete
      .filter(serious)
      .flatMap((r) => lines(r, ', could not check', r.nodes.filter((n) => !(r.id === 'color-contrast' && inSvg(n))))),
  ];
}

let pledged = '';
let received = '';

test.beforeAll(async ({ browser }) => {
  [pledged, received] = await Promise.all([pledge(browser, '120'), pledge(browser, '80')]);
  await confirm(browser, received);
});

for (const lang of ['th', 'en'] as const) {
  test(`public pages in ${lang === 'th' ? 'Thai' : 'English'} have no serious or critical axe violations`, async ({ page, context }) => {
    await context.addCookies([{ name: 'lang', value: lang, url: baseUrl() }]);
    const paths = [
      '/',
      '/campaigns/1',
      '/campaigns/3',
      '/campaigns/3/report',
      '/hospitals',
      '/hospitals/99001',
      '/hospitals/99015',
      '/donations',
      `/donations/${pledged}`,
      `/donations/${received}`,
      `/donations/${received}/receipt`,
      '/login',
    ];
    const found: string[] = [];
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await hydrated(page);
      found.push(...(await seriousViolations(page)).map((v) => `${path}: ${v}`));
    }
    expect(found, `axe found:\n${found.join('\n')}`).toEqual([]);
  });
}
