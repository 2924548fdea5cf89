import { chromium } from 'playwright-core';
const base = process.argv[2];
const pages = process.argv.slice(3);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
for (const [w, h, tag] of [[390, 844, 'phone'], [1366, 900, 'desk']]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h } });
  const page = await ctx.newPage();
  for (const p of pages) {
    await page.goto('file://' + base + '/' + p);
    const name = p.replace(/[\/.]/g, '_');
    await page.screenshot({ path: `/tmp/shot-${tag}-${name}.png`, fullPage: false });
  }
  await ctx.close();
}
await browser.close();
