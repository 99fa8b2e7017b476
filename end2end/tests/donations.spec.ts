import { test, expect, Page, Browser } from '@playwright/test';

const PASSWORD = 'phapa-demo-password';

async function signIn(page: Page, username: string) {
  await page.goto('/login');
  await page.getByLabel('ชื่อผู้ใช้').fill(username);
  await page.getByLabel('รหัสผ่าน').fill(PASSWORD);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click();
}

async function financePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: process.env.PHAPA_BASE_URL ?? 'http://127.0.0.1:3000' });
  const page = await context.newPage();
  await signIn(page, 'demo-finance');
  await expect(page).toHaveURL(/\/finance$/);
  return page;
}

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

test('a donor pledges, pays by QR, and finds the receipt once a finance officer confirms it', async ({ page, browser }) => {
  await page.goto('/campaigns/1');
  await hydrated(page);
  await page.getByRole('button', { name: '฿500.00' }).click();
  await expect(page.getByLabel('จำนวนเงิน (บาท)')).toHaveValue('500');
  await page.getByLabel('ชื่อผู้บริจาค (ไม่บังคับ)').fill('คุณทดลอง ให้ด้วยใจ');
  await page.getByLabel('แสดงชื่อของฉันในรายชื่อผู้ร่วมบุญ').check();
  await page.getByRole('button', { name: 'บริจาคและรับคิวอาร์พร้อมเพย์' }).click();

  await expect(page).toHaveURL(/\/donations\/PP-[0-9A-Z-]+$/);
  const reference = (await page.getByTestId('reference').textContent())!.trim();
  const qr = page.getByRole('img', { name: 'คิวอาร์โค้ดพร้อมเพย์' });
  await expect(qr).toBeVisible();
  const payload = (await qr.getAttribute('data-payload'))!;
  expect(payload).toContain('5406500.00');
  expect(payload).toContain('0066123456789');
  expect(await qr.locator('path').getAttribute('d')).toMatch(/^M4 4h7v1h-7z/);
  await expect(page.getByRole('link', { name: 'บันทึกรูป QR' })).toHaveAttribute('href', `/donations/${reference}/qr.png`);
  const png = await page.request.get(`/donations/${reference}/qr.png`);
  expect(png.headers()['content-type']).toBe('image/png');
  await expect(page.locator('.reference-line')).toContainText('รอรับเงิน');

  // The finance officer sees the pledge waiting, opens it and confirms the money arrived.
  const finance = await financePage(browser);
  await finance.locator('main').getByRole('link', { name: /ผ้าป่าประชารัฐ เพื่อผู้ป่วยติดบ้าน/ }).click();
  await finance.getByRole('link', { name: reference }).click();
  await hydrated(finance);
  await expect(finance.getByRole('heading', { name: 'สำหรับเจ้าหน้าที่การเงิน' })).toBeVisible();
  await finance.getByRole('button', { name: 'ยืนยันได้รับเงินและออกใบเสร็จ' }).click();
  await expect(finance.locator('.receipt-no')).toBeVisible();
  const receiptNo = (await finance.locator('.receipt-no').textContent())!.trim();
  await finance.context().close();

  // The donor looks the gift up by its reference, typed in lower case.
  await page.goto('/donations');
  await page.getByLabel('รหัสอ้างอิง').fill(reference.toLowerCase());
  await page.getByRole('button', { name: 'ค้นหา', exact: true }).click();
  await expect(page.locator('.reference-line')).toContainText('ได้รับแล้ว');
  await expect(page.locator('.receipt-no')).toHaveText(receiptNo);
  await expect(page.getByRole('heading', { name: 'เงินของคุณไปที่ไหน' })).toBeVisible();
  // The fund box adds up on the page: given (+ carried) = received; − spent − held = left.
  const fund = page.locator('.fund-sum');
  const satang = async (cls: string) => {
    const cell = fund.locator(`dd.${cls}`);
    if ((await cell.count()) === 0) return 0;
    const text = (await cell.textContent())!.replace(/[฿,\s]/g, '');
    return Math.round(Number(text) * 100);
  };
  const [raised, carried, received, spent, held, left] = await Promise.all(
    ['raised', 'carried', 'received', 'spent', 'held', 'left'].map(satang),
  );
  expect(raised + carried, 'given and carried make what the fund received').toBe(received);
  expect(received - spent - held, 'received less spent and held is what is left').toBe(left);
  await page.getByRole('link', { name: 'ดูและพิมพ์ใบเสร็จ' }).click();
  await expect(page.getByRole('heading', { name: 'ใบเสร็จรับเงินบริจาค' })).toBeVisible();
  await expect(page.locator('.receipt .words')).toHaveText('(ห้าร้อยบาทถ้วน)');
  await expect(page.locator('.receipt')).toContainText('คุณทดลอง ให้ด้วยใจ');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.receipt')).toBeVisible();
});

test('a gift recorded by finance moves the public total without a reload', async ({ page, browser }) => {
  await page.goto('/campaigns/2');
  await hydrated(page);
  const before = (await page.locator('.totals .raised').textContent())!;

  const finance = await financePage(browser);
  await finance.goto('/finance/campaigns/2');
  await hydrated(finance);
  await finance.getByLabel('จำนวนเงิน หรือมูลค่าสิ่งของ (บาท)').fill('1,000.25');
  await finance.getByLabel('ชื่อผู้บริจาค (เว้นว่างถ้าไม่ประสงค์ออกนาม)').fill('ร้านทดสอบสด');
  await finance.getByLabel('ยินยอมให้แสดงชื่อต่อสาธารณะ').check();
  await finance.getByRole('button', { name: 'บันทึกและออกใบเสร็จ' }).click();
  await expect(finance.getByRole('status')).toContainText('บันทึกแล้ว ใบเสร็จเลขที่');
  await finance.context().close();

  await expect(page.locator('.totals .raised')).not.toHaveText(before, { timeout: 25_000 });
  await expect(page.locator('.recent')).toContainText('ร้านทดสอบสด');
});

test('twenty envelopes typed by keyboard survive a network drop and a reload, and the batch closes', async ({ page, context }) => {
  const amounts = [100, 200, 500, 1000, 20, 50, 100, 300, 999.5, 100, 200, 500, 40, 60, 100, 1500, 100, 100, 250, 80.25];
  const total = amounts.reduce((a, b) => a + b, 0);
  await signIn(page, 'demo-finance');
  await page.goto('/finance/campaigns/1');
  await hydrated(page);
  await page.getByLabel('ชื่อชุด').fill(`โต๊ะรับซอง ${Date.now()}`);
  await page.getByLabel('จำนวนซองที่นับได้').fill(String(amounts.length));
  await page.getByLabel('ยอดเงินสดที่นับได้ (บาท)').fill(total.toFixed(2));
  await page.getByRole('button', { name: 'เปิดชุดบันทึก' }).click();
  await expect(page).toHaveURL(/\/finance\/batches\/\d+$/);
  await hydrated(page);

  const amount = page.getByLabel('จำนวนเงิน (บาท)');
  await amount.focus();
  for (let i = 0; i < amounts.length; i++) {
    if (i === 12) await context.setOffline(true);
    await page.keyboard.type(String(amounts[i]));
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('ชื่อผู้บริจาค')).toBeFocused();
    if (i % 3 === 0) await page.keyboard.type(`ผู้ร่วมบุญ ${i}`);
    await page.keyboard.press('Enter');
    await expect(amount).toBeFocused();
  }
  await expect(page.getByTestId('entered-count')).toHaveText('20');
  await expect(page.getByTestId('waiting')).not.toHaveText('0');
  await expect(page.getByRole('status').filter({ hasText: 'ส่งไม่ได้ในขณะนี้' })).toBeVisible();

  // Back online, the page is reloaded at once: the unsent envelopes come back from the
  // browser's storage and are sent, each exactly once.
  await context.setOffline(false);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('waiting')).toHaveText('0', { timeout: 20_000 });
  await expect(page.getByTestId('entered-count')).toHaveText('20');
  await expect(page.getByTestId('entered-total')).toHaveText(`฿${total.toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
  await expect(page.getByTestId('balance')).toContainText('ตรงกับที่นับได้');
  await page.reload();
  await expect(page.locator('table.donations tbody tr')).toHaveCount(20);

  await hydrated(page);
  await page.getByRole('button', { name: 'ปิดชุดและออกใบเสร็จ' }).click();
  await expect(page.getByText('ปิดชุดแล้ว')).toBeVisible();
  await page.reload();
  const receipts = page.locator('table.donations tbody tr td:nth-child(5)');
  await expect(receipts).toHaveCount(20);
  for (const text of await receipts.allTextContents()) expect(text).toMatch(/^\d{4}\/\d{6}$/);
});

test('a pledge with a wrong ID checksum is refused with a field message and nothing is stored', async ({ page }) => {
  await page.goto('/campaigns/1');
  await hydrated(page);
  await page.getByLabel('จำนวนเงิน (บาท)').fill('0.001');
  await page.getByLabel('เลขประจำตัวประชาชน/ผู้เสียภาษี 13 หลัก (ไม่บังคับ ใช้ลดหย่อนภาษี)').fill('1234567890122');
  await page.getByRole('button', { name: 'บริจาคและรับคิวอาร์พร้อมเพย์' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('ทศนิยมได้ไม่เกินสองตำแหน่ง');
  await expect(alert).toContainText('หลักตรวจสอบไม่ตรง');
  await expect(page).toHaveURL(/\/campaigns\/1$/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a pledge posts as a plain form and lands on the donation with its QR code', async ({ page }) => {
    await page.goto('/campaigns/1');
    await page.getByLabel('จำนวนเงิน (บาท)').fill('250');
    await page.getByRole('button', { name: 'บริจาคและรับคิวอาร์พร้อมเพย์' }).click();
    await expect(page).toHaveURL(/\/donations\/PP-[0-9A-Z-]+$/);
    await expect(page.getByRole('img', { name: 'คิวอาร์โค้ดพร้อมเพย์' })).toBeVisible();
    await expect(page.locator('.promptpay .amount')).toHaveText('฿250.00');
  });
});
