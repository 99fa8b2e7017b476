import { test, expect, APIRequestContext } from '@playwright/test';
import { BASE_URL, hydrated, signedIn, statement } from '../helpers';

// A night's transfers cleared at the desk: 60 credits, of which 15 carry their pledge's
// reference (matched on import), 40 are the only pledge of their amount (one group
// confirmation), and 5 share their amount with another pledge but name their donor (five
// single matches). The clicks and seconds are printed for the record.

/** A donor's pledge through the public API, from its own address (the test server trusts the
 * forwarded address as a proxy's, so many donors do not share one pledge limit). */
async function pledgeAs(request: APIRequestContext, n: number, amount: string, name: string): Promise<string> {
  const body = new URLSearchParams({
    'input[campaign_id]': '1',
    'input[amount]': amount,
    'input[donor_name]': name,
    'input[idempotency_key]': `desk-${Date.now()}-${n}-${Math.floor(Math.random() * 1e9)}`,
  });
  const response = await request.post(`${BASE_URL}/api/donations/pledge`, {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'x-forwarded-for': `10.77.${Math.floor(n / 200)}.${(n % 200) + 1}`,
    },
    data: body.toString(),
    maxRedirects: 0,
  });
  expect(response.status(), await response.text()).toBeLessThan(400);
  return (await response.json()).reference;
}

test('sixty credits are cleared with one group confirmation and five single matches', async ({ browser, playwright }) => {
  test.setTimeout(240_000);
  const request = await playwright.request.newContext();
  const stamp = Date.now();
  const satang = String((stamp % 89) + 10);
  const finance = await signedIn(browser, 'demo-finance');
  await finance.goto('/finance/reconcile?campaign=1');
  await hydrated(finance);
  // Typed amounts stay as typed: the satang tail is turned off if another test left it on.
  const tail = finance.locator('.pledge-tail');
  if ((await tail.textContent())!.includes('เปิดอยู่')) {
    await tail.getByRole('button', { name: 'ปิด', exact: true }).click();
    await expect(tail).toContainText('ปิดอยู่');
  }

  const credits: [string, string][] = [];
  let n = stamp % 5000;
  // 15 transfers whose slip carries the pledge's reference.
  for (let i = 0; i < 15; i++) {
    const reference = await pledgeAs(request, n++, '500', `ผู้ให้ อ้างอิง${i}`);
    credits.push(['500.00', `จาก X10${i} ${reference}`]);
  }
  // 40 pledges each alone with its amount.
  const base = 41000 + (stamp % 700) * 50;
  for (let i = 0; i < 40; i++) {
    const amount = `${base + i}.${satang}`;
    await pledgeAs(request, n++, amount, `ผู้ให้ ยอดเดียว${i}`);
    credits.push([amount, `จาก X2${i} นาย ไม่ระบุ`]);
  }
  // 5 amounts pledged twice; the bank names one of the two donors.
  for (let i = 0; i < 5; i++) {
    const amount = `${base + 45 + i}.${satang}`;
    await pledgeAs(request, n++, amount, `สมชาย แฝด${i}`);
    await pledgeAs(request, n++, amount, `สมศรี อื่น${i}`);
    credits.push([amount, `จาก X3${i} นาย สมชาย แฝด${i}`]);
  }

  const started = Date.now();
  let clicks = 0;
  await finance.reload();
  await hydrated(finance);
  await finance.getByLabel('ไฟล์รายการเดินบัญชี (CSV)').setInputFiles({
    name: `night-${stamp}.csv`,
    mimeType: 'text/csv',
    buffer: statement(credits),
  });
  await finance.getByRole('button', { name: 'นำเข้า', exact: true }).click();
  clicks++;
  await expect(finance.locator('.import-outcome')).toContainText('นำเข้าแล้ว 60 รายการ');
  await expect(finance.locator('.import-outcome')).toContainText('จับคู่อัตโนมัติ 15');

  // One group: read, then confirmed at once.
  const unique = finance.locator('.suggestion-group[data-evidence="UniqueAmount"]');
  const mine = unique.locator('tbody tr').filter({ hasText: 'ยอดเดียว' });
  await expect(mine).toHaveCount(40);
  await unique.getByRole('button', { name: /ยืนยันทั้งกลุ่ม/ }).click();
  clicks++;
  await expect(finance.locator('.group-outcome')).toContainText(/จับคู่แล้ว \d+ รายการ/);

  // Five single matches, each at its credit, to the donor the bank names.
  for (let i = 0; i < 5; i++) {
    const amount = Number(`${base + 45 + i}.${satang}`).toLocaleString('en-US', { minimumFractionDigits: 2 });
    const line = finance.locator('.bank-lines.unmatched > li', { hasText: `฿${amount}` });
    await expect(line).toHaveCount(1);
    await line.locator('.candidates li', { hasText: `สมชาย แฝด${i}` }).getByRole('button', { name: 'จับคู่' }).click();
    clicks++;
    await expect(finance.locator('.answer-dock')).toContainText('จับคู่แล้ว');
    await expect(line).toHaveCount(0);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`desk: 60 credits cleared with ${clicks} clicks in ${seconds.toFixed(1)} s`);

  // None of the night's amounts waits any more.
  await finance.goto(`/finance/reconcile?campaign=1&min=${base}&max=${base + 50}`);
  await hydrated(finance);
  await expect(finance.getByRole('heading', { name: /เงินเข้าที่ยังไม่ได้จับคู่/ })).toContainText('(0)');
  await finance.context().close();
  await request.dispose();
});
