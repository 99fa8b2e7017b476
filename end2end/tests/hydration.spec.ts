import { test, expect, Page, ConsoleMessage } from '@playwright/test';
import { signedIn, BASE_URL } from '../helpers';

// Every page each kind of user opens, checked for what a hydration mismatch leaves behind: a
// panic (the "did not load completely" notice), an error in the console, or islands that never
// come alive. A mismatch breaks every button of an island while the page still looks right, so
// only the browser can find it.

const PUBLIC = ['/', '/campaigns/1', '/campaigns/3', '/campaigns/3/report', '/hospitals', '/hospitals/99001', '/donations', '/login'];

const STAFF_PAGES: [string, string[]][] = [
  ['demo-admin', [
    '/admin/accounts', '/admin/audit', '/admin/hospitals', '/admin/catalog', '/admin/partners',
    '/admin/campaigns', '/admin/campaigns/1', '/admin/campaigns/2', '/admin/campaigns/3',
  ]],
  ['demo-finance', [
    '/finance', '/finance/campaigns/1', '/finance/campaigns/2', '/finance/campaigns/1/report',
    '/finance/campaigns/3/report', '/finance/requests?campaign=1', '/finance/purchases?campaign=1',
    '/finance/stock?campaign=1', '/finance/reconcile?campaign=1', '/finance/reconcile?campaign=3',
    '/finance/purchases/1/labels',
  ]],
  ['demo-staff', ['/staff', '/staff/hospitals/99001']],
];

/** Opens `path` and fails on any sign that its islands did not hydrate cleanly. */
async function opensCleanly(page: Page, path: string) {
  const errors: string[] = [];
  const onConsole = (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  };
  const onError = (e: Error) => errors.push(`page: ${e.message}`);
  page.on('console', onConsole);
  page.on('pageerror', onError);
  try {
    const response = await page.goto(path);
    expect(response?.status(), path).toBeLessThan(400);
    // Either every island is live, or the panic notice appears: whichever comes first.
    await expect(page.locator('body[data-hydrated="true"], .broken-page').first()).toBeAttached({ timeout: 15_000 });
    // A panic in a lazy island can come a moment after the others are live.
    await page.waitForTimeout(300);
    await expect(page.locator('.broken-page'), `${path}: ${errors.join(' | ')}`).toHaveCount(0);
    expect(errors, path).toEqual([]);
    await expect(page.locator('body'), path).toHaveAttribute('data-hydrated', 'true');
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onError);
  }
}

test('public pages hydrate with no error, in Thai and in English', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  for (const lang of ['th', 'en']) {
    await context.addCookies([{ name: 'lang', value: lang, url: BASE_URL }]);
    for (const path of PUBLIC) await opensCleanly(page, path);
  }
  await context.close();
});

for (const [user, paths] of STAFF_PAGES) {
  test(`every page ${user} opens hydrates with no error`, async ({ browser }) => {
    test.setTimeout(180_000);
    const page = await signedIn(browser, user);
    for (const lang of ['th', 'en']) {
      await page.context().addCookies([{ name: 'lang', value: lang, url: BASE_URL }]);
      for (const path of paths) await opensCleanly(page, path);
    }
    await page.context().close();
  });
}
