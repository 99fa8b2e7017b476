import { test, expect, Browser } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { get } from 'node:http';

// Donors open campaign links on phones over slow mobile networks: a fresh load of a public page
// may fetch at most this much WASM, counted as the bytes that crossed the wire (gzip -9).
//
// Pages are rendered on the server; only islands run in the browser. The public islands (live
// totals, pledge form, hospital filter) are in the main module; every staff island is a lazy
// chunk that a public page never fetches. This test fails if a public page fetches any chunk
// or if the main module outgrows the limit.
const LIMIT_BYTES = 250_000;
const BASE_URL = process.env.PHAPA_BASE_URL ?? 'http://127.0.0.1:3000';

type Fetched = { url: string; bytes: number; encoding: string };

/**
 * The size of `path` as the server sends it to a client that accepts only gzip, counted before
 * decompression. Chromium also takes brotli, which would make the check depend on the browser.
 */
function gzipBytes(path: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    get(new URL(path, BASE_URL), { headers: { 'accept-encoding': 'gzip' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () =>
        resolve({ url: path, bytes, encoding: String(response.headers['content-encoding'] ?? 'identity') }),
      );
      response.on('error', reject);
    }).on('error', reject);
  });
}

/** Opens `path` in a new browser context (empty cache); returns the WASM files it fetched, sized as gzip. */
async function freshLoad(browser: Browser, path: string) {
  const context = await browser.newContext({ baseURL: BASE_URL });
  const page = await context.newPage();
  const urls = new Set<string>();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('.wasm')) urls.add(url.pathname);
  });
  await page.goto(path);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.waitForLoadState('networkidle');
  const files = await Promise.all([...urls].map(gzipBytes));
  return { context, files, total: files.reduce((sum, f) => sum + f.bytes, 0) };
}

/** A pledge's reference, made the way a donor makes one. */
async function pledgeReference(browser: Browser): Promise<string> {
  const context = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/campaigns/1');
  await page.getByLabel('จำนวนเงิน (บาท)').fill('100');
  await page.getByRole('button', { name: 'บริจาคและรับคิวอาร์พร้อมเพย์' }).click();
  await expect(page).toHaveURL(/\/donations\/PP-[0-9A-Z-]+$/);
  const reference = new URL(page.url()).pathname.split('/')[2];
  await context.close();
  return reference;
}

test('a fresh load of each public page fetches no more WASM than the size limit', async ({ browser }) => {
  test.setTimeout(90_000);
  const reference = await pledgeReference(browser);
  const pages = [
    '/',
    '/campaigns/1',
    '/hospitals',
    '/hospitals/99001',
    '/donations',
    `/donations/${reference}`,
    `/donations/${reference}/receipt`,
    '/login',
  ];
  const report: Record<string, { bytes: number; files: Fetched[] }> = {};
  for (const path of pages) {
    const { context, files, total } = await freshLoad(browser, path);
    await context.close();
    expect(files.length, `${path} loaded no WASM: the size check would prove nothing`).toBeGreaterThan(0);
    for (const f of files) expect(f.encoding, `${f.url} should be served gzip-compressed`).toBe('gzip');
    report[path.replace(reference, '{reference}')] = { bytes: total, files };
  }
  const largest = Math.max(...Object.values(report).map((r) => r.bytes));
  const summary = Object.entries(report).map(([path, r]) => `${path} ${r.bytes} B in ${r.files.length} files`);
  console.log(`public first-load WASM (gzip -9 bytes; limit ${LIMIT_BYTES}): ${summary.join('; ')}`);
  if (process.env.PHAPA_SIZE_REPORT) {
    writeFileSync(process.env.PHAPA_SIZE_REPORT, JSON.stringify({ limit: LIMIT_BYTES, largest, pages: report }, null, 2));
  }
  // Judged after the report is written, so scripts/bench.sh can show an older build's size too.
  for (const [path, r] of Object.entries(report)) {
    const chunks = r.files.filter((f) => /\/(split_|chunk_)[^/]*\.wasm$/.test(f.url)).map((f) => f.url);
    expect(chunks, `${path} fetched lazy (staff) chunks`).toEqual([]);
    expect(r.bytes, `${path} fetched ${JSON.stringify(r.files)}`).toBeLessThanOrEqual(LIMIT_BYTES);
  }
});
