import { test, expect, Page } from '@playwright/test';
import { BASE_URL, hydrated, signedIn } from '../helpers';

// The whole path from a hospital's request to a unit at its bedside: staff ask, finance
// approves, a purchase above the threshold waits for a second finance officer, it is received
// into tagged units, allocated, dispatched, and the hospital's staff confirm it; then the unit
// shows on its public page, the hospital's page and the page of a donation whose money bought it.
// The public pages of this path also work without JavaScript.

// The demo gift the README names; its campaign's purchases are what it helped buy.
const DEMO_REFERENCE = 'PP-DEMQ-GAVE-BEDS-2626';

test('from a request to a confirmed unit that donors can follow', async ({ browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const reason = `เครื่องดูดเสมหะสำหรับผู้ป่วยระยะท้าย ${stamp}`;
  const invoice = `E2E-${stamp}`;

  // 1. Hospital staff ask for a suction machine.
  const staff = await signedIn(browser, 'demo-staff-3');
  await staff.goto('/staff');
  await hydrated(staff);
  const form = staff.locator('.request-form');
  const campaign = await form.getByLabel('กองผ้าป่า').inputValue();
  await form.getByLabel('ครุภัณฑ์').selectOption({ label: 'เครื่องดูดเสมหะ (เครื่อง)' });
  await form.getByLabel('จำนวนที่ขอ').fill('1');
  await form.getByLabel('ผู้ป่วยระยะท้าย').fill('2');
  await form.getByLabel('เหตุผล').fill(reason);
  await form.getByRole('button', { name: 'ส่งคำขอ' }).click();
  await expect(staff.locator('.requests-table tr', { hasText: 'รอพิจารณา' }).first()).toBeVisible();

  // 2. Finance approves it.
  const finance = await signedIn(browser, 'demo-finance');
  await finance.goto(`/finance/requests?campaign=${campaign}`);
  await hydrated(finance);
  const item = finance.locator('.queue-item', { hasText: reason });
  const requestId = (await item.getAttribute('data-request'))!;
  await item.getByLabel('เหตุผล', { exact: true }).fill('จำเป็นสำหรับผู้ป่วยระยะท้าย');
  await item.getByRole('button', { name: 'อนุมัติ', exact: true }).click();
  await expect(finance.locator('.queue-item', { hasText: reason })).toContainText('อนุมัติแล้ว');

  // 3. A purchase above the threshold (฿50,000) waits for a second officer.
  await finance.goto('/finance');
  await finance.locator(`main a[href="/finance/purchases?campaign=${campaign}"]`).click();
  await hydrated(finance);
  const buy = finance.locator('.purchase-form');
  await buy.getByLabel('ผู้ขาย', { exact: true }).fill('บริษัท ทดสอบการแพทย์ จำกัด');
  await buy.getByLabel('เลขประจำตัวผู้เสียภาษีของผู้ขาย (ถ้ามี)').fill('0105546000112');
  await buy.getByLabel('เลขที่ใบแจ้งหนี้/ใบกำกับภาษี').fill(invoice);
  await buy.getByLabel('วันที่ในใบแจ้งหนี้').fill('2026-11-20');
  const suction = await buy.locator('#pu-item-0 option', { hasText: 'เครื่องดูดเสมหะ' }).getAttribute('value');
  await buy.locator('#pu-item-0').selectOption(suction!);
  await buy.locator('#pu-qty-0').fill('1');
  await buy.locator('#pu-price-0').fill('55000');
  await buy.getByRole('button', { name: 'บันทึกการซื้อ' }).click();
  // A wrong check digit is refused on its field, and so is a price far above the reference
  // without a written reason.
  await expect(finance.locator('[data-field="vendor_tax_id"]')).toContainText('หลักตรวจสอบไม่ตรง');
  await buy.getByLabel('เลขประจำตัวผู้เสียภาษีของผู้ขาย (ถ้ามี)').fill('0105546000111');
  await buy.getByRole('button', { name: 'บันทึกการซื้อ' }).click();
  await expect(finance.locator('[data-field="lines.1.justification"]')).toBeVisible();
  await buy.locator('#pu-why-0').fill('รุ่นพกพาใช้ไฟบ้านได้ ร้านเดียวที่มีของ');
  await buy.getByRole('button', { name: 'บันทึกการซื้อ' }).click();
  const card = finance.locator('.purchase', { hasText: invoice });
  await expect(card).toHaveAttribute('data-status', 'awaiting_approval');
  await expect(card.getByRole('button', { name: /อนุมัติ/ })).toHaveCount(0);
  await finance.context().close();

  // 4. The second finance officer approves and receives it, and prints its label.
  const second = await signedIn(browser, 'demo-finance-2');
  await second.goto(`/finance/purchases?campaign=${campaign}`);
  await hydrated(second);
  const theirs = second.locator('.purchase', { hasText: invoice });
  await theirs.getByRole('button', { name: 'อนุมัติ (ผู้อนุมัติคนที่สอง)' }).click();
  await expect(theirs).toHaveAttribute('data-status', 'approved');
  await theirs.getByLabel(/หมายเลขเครื่อง/).fill(`SX-${stamp}`);
  await theirs.getByRole('button', { name: 'รับของเข้าคลัง' }).click();
  await theirs.getByRole('link', { name: 'พิมพ์ป้ายครุภัณฑ์' }).click();
  const label = second.locator('.label').first();
  await expect(label.locator('svg.qr')).toBeVisible();
  const tag = (await label.locator('.tag').textContent())!.trim();
  expect(tag).toMatch(/^EQ-\d+-\d{5}$/);

  // 5. Allocate it to the request, then dispatch it.
  await second.goto(`/finance/stock?campaign=${campaign}`);
  await hydrated(second);
  const allocation = second.locator(`.allocations li[data-request="${requestId}"]`);
  await allocation.getByRole('button', { name: 'จัดสรร' }).click();
  await expect(second.getByRole('status')).toContainText('บันทึกแล้ว');
  // Fully allocated, the request is no longer offered.
  await expect(allocation).toHaveCount(0);
  const going = second.locator('.dispatches li', { hasText: tag });
  await going.getByLabel('วันที่ส่ง').fill('2026-11-23');
  await going.getByLabel('ผู้นำส่ง').fill('รถพยาบาล อบต.');
  await going.getByRole('button', { name: 'บันทึกการจัดส่ง' }).click();
  await expect(second.getByRole('status').filter({ hasText: 'บันทึกการจัดส่งแล้ว' })).toBeVisible();
  await second.context().close();

  // 6. Only the hospital's staff confirm what reached them.
  await staff.goto('/staff');
  await hydrated(staff);
  const coming = staff.locator('.coming li', { hasText: tag });
  await coming.getByRole('button', { name: `ได้รับแล้ว ${tag}` }).click();
  await expect(staff.locator('.coming li', { hasText: tag })).toHaveCount(0);
  await expect(staff.locator('.units tr', { hasText: tag })).toContainText('ถึง รพ.สต. แล้ว');
  // The request on the same page moves on without a reload.
  await expect(staff.locator(`.requests-table tr[data-request="${requestId}"]`)).toContainText('ได้รับครบแล้ว');
  await staff.context().close();

  // 7. Donors see it: the unit's page, the hospital's page, and a donation that paid for it.
  const donor = await browser.newPage({ baseURL: BASE_URL });
  await donor.goto(`/units/${tag}`);
  await expect(donor.locator('main')).toContainText(tag);
  await expect(donor.locator('main')).toContainText('เครื่องดูดเสมหะ');
  const hospitalLink = donor.locator('main a[href^="/hospitals/"]').first();
  await hospitalLink.click();
  await expect(donor.locator(`main a[href="/units/${tag}"]`)).toBeVisible();
  await donor.goto(`/donations/${DEMO_REFERENCE}`);
  await expect(donor.locator(`main a[href="/units/${tag}"]`)).toBeVisible();
  await donor.close();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a donor follows a demo gift to a hospital in at most three clicks', async ({ page }) => {
    await page.goto(`/donations/${DEMO_REFERENCE}`);
    // One sentence says how shares are counted; the units bought are links.
    const unit = page.locator('main a[href^="/units/EQ-"]').first();
    await expect(unit).toBeVisible();
    await unit.click();
    await expect(page).toHaveURL(/\/units\/EQ-/);
    const hospital = page.locator('main a[href^="/hospitals/"]').first();
    await expect(hospital).toBeVisible();
    await hospital.click();
    await expect(page).toHaveURL(/\/hospitals\/\d{5}$/);
    await expect(page.locator('main a[href^="/units/EQ-"]').first()).toBeVisible();
  });

  test('the campaign page shows how far each wished-for item has come', async ({ page }) => {
    await page.goto('/campaigns/1');
    await expect(page.locator('.wishlist')).toContainText('ซื้อแล้ว');
    await expect(page.locator('.wishlist')).toContainText('ส่งถึง รพ.สต. แล้ว');
  });
});
