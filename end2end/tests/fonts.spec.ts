import { test, expect, Page } from '@playwright/test';

/**
 * The fonts Chromium actually drew `selector`'s text with (DevTools protocol), and the element's
 * font-family list. A font missing from the list means the browser fell back on its own choice.
 */
async function fontsOf(page: Page, selector: string) {
  const client = await page.context().newCDPSession(page);
  await client.send('DOM.enable');
  await client.send('CSS.enable');
  const { root } = await client.send('DOM.getDocument');
  const { nodeId } = await client.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await client.send('CSS.getPlatformFontsForNode', { nodeId });
  const stack = await page.locator(selector).first().evaluate((el) => getComputedStyle(el).fontFamily);
  return { used: fonts.filter((f) => f.glyphCount > 0).map((f) => f.familyName), stack };
}

test('Thai text is drawn with a Thai font named in the page\'s own font list', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'th');
  const heading = await fontsOf(page, 'main h1');
  expect(heading.used.length).toBeGreaterThan(0);
  for (const family of heading.used) expect(heading.stack, `h1 drawn with ${family}`).toContain(`${family}`);

  // An English page keeps a Thai font in its list for the Thai words in it.
  await page.goto('/?lang=en');
  const toggle = await fontsOf(page, '.lang-toggle button');
  expect(toggle.used.length).toBeGreaterThan(0);
  for (const family of toggle.used) expect(toggle.stack, `"ภาษาไทย" drawn with ${family}`).toContain(`${family}`);
});
