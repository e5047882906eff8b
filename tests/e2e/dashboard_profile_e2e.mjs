// Browser test of the profile dashboard: `custlens serve` on a profile table (one row per
// customer), opened in Debian's headless Chromium (playwright-core) at a laptop's 1366×768 and a
// phone's 390×844. Checks that the page logs no console errors, that every chart canvas is drawn,
// that nothing is wider than the viewport, that it offers region, category and tier filters and
// that switching one changes the numbers; saves screenshots in the output folder.
//
//   node tests/e2e/dashboard_profile_e2e.mjs CUSTLENS_BINARY OUTPUT_DIR
//
// Exits 0 when every check passes, 1 with one line per failed check otherwise.
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  makeChecks,
  waitForCharts as sharedWaitForCharts,
  watchConsole as sharedWatchConsole,
  startServer as sharedStartServer,
} from './lib.mjs';

const [binaryArg, outArg] = process.argv.slice(2);
if (!binaryArg || !outArg) {
  console.error('usage: node dashboard_profile_e2e.mjs CUSTLENS_BINARY OUTPUT_DIR');
  process.exit(2);
}
const binary = resolve(binaryArg);
const out = resolve(outArg);
const chromiumPath = process.env.CUSTLENS_CHROMIUM || '/usr/bin/chromium';
const profiles = fileURLToPath(new URL('../data/user_personalized_features.csv', import.meta.url));
const viewports = [
  { name: '1366', width: 1366, height: 768 },
  { name: '390', width: 390, height: 844 },
];
const { failures, check } = makeChecks();

// waitForCharts, watchConsole and startServer of lib.mjs, bound to this test's checks and binary.
const waitForCharts = (page, label) => sharedWaitForCharts(page, label, check);
const watchConsole = (page, label) => sharedWatchConsole(page, label, check);
const startServer = (input) => sharedStartServer(binary, input);

// The page scrolls only vertically: no element pushes it wider than the viewport.
async function checkNoHorizontalOverflow(page, label) {
  const { scroll, client, widest } = await page.evaluate(() => {
    const root = document.documentElement;
    let widestElement = '';
    let right = 0;
    document.querySelectorAll('body *').forEach((node) => {
      const box = node.getBoundingClientRect();
      if (box.right > right) {
        right = box.right;
        widestElement = `${node.tagName.toLowerCase()}.${node.className}`;
      }
    });
    return { scroll: root.scrollWidth, client: root.clientWidth, widest: `${widestElement} to ${Math.round(right)}px` };
  });
  check(scroll <= client, `${label}: no horizontal overflow (page ${scroll}px in ${client}px; ${widest})`);
}

// The filter values a <select> offers, without the empty "all".
async function choices(select) {
  return select.locator('option').evaluateAll((nodes) =>
    nodes.map((node) => node.value).filter((value) => value !== ''),
  );
}

// Chooses `value` in `select` and waits for the redrawn page: /api/report answers 200 and the
// tables differ from before.
async function switchFilter(page, label, select, value) {
  const tables = () => page.locator('table').allInnerTexts();
  const before = await tables();
  const response = page.waitForResponse((r) => r.url().includes('/api/report'), { timeout: 120000 });
  await select.selectOption(value);
  const answer = await response;
  check(answer.status() === 200, `${label}: /api/report answered ${answer.status()} for '${value}'`);
  let after = before;
  for (let attempt = 0; attempt < 100 && JSON.stringify(after) === JSON.stringify(before); ++attempt) {
    await page.waitForTimeout(200);
    after = await tables();
  }
  check(JSON.stringify(after) !== JSON.stringify(before), `${label}: choosing '${value}' changes the tables`);
}

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const { server, url } = await startServer(profiles);
  try {
    for (const viewport of viewports) {
      const label = `profile dashboard ${viewport.width}x${viewport.height}`;
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      const page = await context.newPage();
      const errors = watchConsole(page, label);
      await page.goto(url, { waitUntil: 'load' });
      await waitForCharts(page, label);
      await checkNoHorizontalOverflow(page, label);
      const title = await page.locator('#report-title').innerText();
      check(/profile/i.test(title), `${label}: the profile report's title (${title})`);
      await page.screenshot({ path: join(out, `profile_dashboard_${viewport.name}.png`), fullPage: true });

      for (const name of ['region', 'category', 'tier']) {
        check((await page.locator(`select[name="${name}"]`).count()) === 1, `${label}: has a ${name} filter`);
      }
      check((await page.locator('select[name="country"], input[type="date"]').count()) === 0,
            `${label}: no order-line filters (country, dates)`);
      // The tier alone first (the full fit's tiers are large), then a region within it.
      const tier = page.locator('select[name="tier"]');
      const tiers = await choices(tier);
      check(tiers.length > 1, `${label}: the tier filter lists tiers (${tiers.join(', ')})`);
      await switchFilter(page, label, tier, tiers[0]);
      await waitForCharts(page, `${label} after the tier filter`);
      const region = page.locator('select[name="region"]');
      const regions = await choices(region);
      check(regions.length > 1, `${label}: the region filter lists regions (${regions.join(', ')})`);
      await switchFilter(page, `${label}, tier and region`, region, regions[regions.length - 1]);
      await waitForCharts(page, `${label} after filtering`);
      await checkNoHorizontalOverflow(page, `${label} after filtering`);
      await page.screenshot({ path: join(out, `profile_dashboard_${viewport.name}_filtered.png`), fullPage: true });
      errors();
      await context.close();
    }
  } finally {
    const exited = new Promise((resolvePromise) => server.on('exit', (code, signal) => resolvePromise({ code, signal })));
    server.kill('SIGTERM');
    const { code, signal } = await exited;
    check(code === 0, `serve exits 0 on SIGTERM (code ${code}, signal ${signal})`);
    await browser.close();
  }
}

main()
  .catch((error) => failures.push(`unexpected: ${error.stack || error}`))
  .finally(() => {
    if (failures.length) {
      console.error(`${failures.length} check(s) failed:\n${failures.join('\n')}`);
      process.exit(1);
    }
    console.log(`all checks passed; screenshots in ${out}`);
  });
