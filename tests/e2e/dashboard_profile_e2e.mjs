// Browser test of the profile dashboard: `custlens serve` on a profile table (one row per
// customer), opened in Debian's headless Chromium (playwright-core) at a laptop's 1366×768 and a
// phone's 390×844. Checks that the page logs no console errors, that every chart canvas is drawn,
// that nothing is wider than the viewport, that it offers region, category and tier filters and
// that switching one changes the numbers; saves screenshots in the output folder.
//
//   node tests/e2e/dashboard_profile_e2e.mjs CUSTLENS_BINARY OUTPUT_DIR
//
// Exits 0 when every check passes, 1 with one line per failed check otherwise.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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
const failures = [];
const check = (ok, message) => {
  if (!ok) failures.push(message);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
};

// Counts the drawn (non-transparent) pixels of every canvas on the page.
async function canvasInk(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0 || canvas.height === 0) return 0;
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 3; i < pixels.length; i += 4) ink += pixels[i] !== 0 ? 1 : 0;
      return ink;
    }),
  );
}

// Waits until every chart container holds a canvas with ink.
async function waitForCharts(page, label) {
  const charts = await page.locator('div.chart').count();
  let ink = [];
  for (let attempt = 0; attempt < 50; ++attempt) {
    ink = await canvasInk(page);
    if (ink.length >= charts && ink.length > 0 && ink.every((n) => n > 0)) break;
    await page.waitForTimeout(200);
  }
  check(charts > 0, `${label}: the page has chart containers (${charts})`);
  check(ink.length >= charts, `${label}: every chart container has a canvas (${ink.length}/${charts})`);
  const blank = ink.filter((n) => n === 0).length;
  check(ink.length > 0 && blank === 0, `${label}: every canvas is drawn (${blank} blank of ${ink.length})`);
}

function watchConsole(page, label) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return () => check(errors.length === 0, `${label}: no console errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
}

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

// Starts `custlens serve` on a free port and resolves with the URL it prints on stderr.
function startServer(input) {
  const server = spawn(binary, ['serve', input, '--port', '0', '--lang', 'en'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${text}`)), 120000);
    const onData = (chunk) => {
      text += chunk;
      const match = text.match(/http:\/\/(127\.0\.0\.1|localhost):\d+/);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ server, url: match[0] });
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`serve exited early (${code}): ${text}`)));
  });
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
