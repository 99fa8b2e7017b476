import { test, expect, Page, Locator } from '@playwright/test';

// A donor's phone: most arrive from a link shared in a LINE group.
const PHONE = { width: 390, height: 844 };

/** Fails unless the whole of `locator` lies inside the viewport as it is now (no scrolling). */
async function expectInView(page: Page, locator: Locator, what: string) {
  const box = (await locator.boundingBox())!;
  const { width, height } = page.viewportSize()!;
  const where = `${what}: x ${box.x}–${box.x + box.width}, y ${box.y}–${box.y + box.height} in ${width}×${height}`;
  expect(box.x, where).toBeGreaterThanOrEqual(0);
  expect(box.y, where).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, where).toBeLessThanOrEqual(width);
  expect(box.y + box.height, where).toBeLessThanOrEqual(height);
}

test.describe('on a phone', () => {
  test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

  test('a waiting pledge shows its QR code, amount and save button above the fold', async ({ page }) => {
    await page.goto('/campaigns/1');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.getByLabel('จำนวนเงิน (บาท)').fill('300');
    await page.getByRole('button', { name: 'บริจาคและรับคิวอาร์พร้อมเพย์' }).click();
    await expect(page).toHaveURL(/\/donations\/PP-[0-9A-Z-]+$/);
    // Opened afresh, as from a saved link, so nothing is scrolled.
    await page.reload();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);

    const qr = page.getByRole('img', { name: 'คิวอาร์โค้ดพร้อมเพย์' });
    await expectInView(page, qr, 'QR code');
    await expectInView(page, page.getByRole('link', { name: 'บันทึกรูป QR' }), 'save button');
    await expectInView(page, page.locator('.promptpay .amount'), 'amount');
    await expect(page.locator('.promptpay .amount')).toHaveText('฿300.00');
    // Nothing sticks out sideways on a narrow screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    // The same page on a laptop screen keeps paying first as well.
    await page.setViewportSize({ width: 1280, height: 720 });
    await expectInView(page, qr, 'QR code on a laptop');
    await expectInView(page, page.getByRole('link', { name: 'บันทึกรูป QR' }), 'save button on a laptop');
  });

  test('public pages fit the width of a phone in both languages', async ({ page, context }) => {
    for (const lang of ['th', 'en']) {
      await context.addCookies([{ name: 'lang', value: lang, url: baseUrl() }]);
      for (const path of ['/', '/campaigns/1', '/campaigns/3/report', '/hospitals', '/hospitals/99001', '/donations', '/login']) {
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('lang', lang);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${path} (${lang}) is ${width}px wide`).toBeLessThanOrEqual(PHONE.width);
      }
    }
  });

  test('staff and finance pages fit the width of a phone', async ({ browser }) => {
    test.setTimeout(120_000);
    const pages: [string, string[]][] = [
      ['demo-staff', ['/staff', '/staff/hospitals/99001']],
      ['demo-staff-4', ['/staff/loans', '/staff/loans/register', '/staff/loans/summary']],
      ['demo-finance', [
        '/finance', '/finance/campaigns/1', '/finance/campaigns/1/report', '/finance/requests?campaign=1',
        '/finance/purchases?campaign=1', '/finance/stock?campaign=1', '/finance/reconcile?campaign=1',
      ]],
      ['demo-admin', ['/admin/campaigns', '/admin/campaigns/1', '/admin/accounts', '/admin/hospitals']],
    ];
    for (const [user, paths] of pages) {
      const context = await browser.newContext({ baseURL: baseUrl(), viewport: PHONE, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('ชื่อผู้ใช้').fill(user);
      await page.getByLabel('รหัสผ่าน').fill('phapa-demo-password');
      await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
      await expect(page).not.toHaveURL(/\/login/);
      for (const path of paths) {
        await page.goto(path);
        await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
        const wide = await page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          // What sticks out, to name it in the failure.
          const culprits = [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.parentElement?.closest('.table-scroll'))
            .slice(0, 3)
            .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`);
          return { scroll: document.documentElement.scrollWidth, culprits };
        });
        expect(wide.scroll, `${user} ${path} is ${wide.scroll}px wide: ${wide.culprits.join(', ')}`).toBeLessThanOrEqual(PHONE.width);
      }
      await context.close();
    }
  });
});

function baseUrl(): string {
  return process.env.PHAPA_BASE_URL ?? 'http://127.0.0.1:3000';
}
