// Browser test of what a person sees: report.html opened from a file:// URL and the dashboard
// from localhost, plus the regression and profile reports of `custlens ols|profile --out`, in
// Debian's headless Chromium (playwright-core drives it). Checks that the pages log no console
// errors, that every chart canvas is drawn (has non-blank pixels), and that
// switching a dashboard filter changes the numbers; saves screenshots in the output folder.
//
//   node tests/e2e/report_e2e.mjs CUSTLENS_BINARY OUTPUT_DIR
//
// Exits 0 when every check passes, 1 with one line per failed check otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [binaryArg, outArg] = process.argv.slice(2);
if (!binaryArg || !outArg) {
  console.error('usage: node report_e2e.mjs CUSTLENS_BINARY OUTPUT_DIR');
  process.exit(2);
}
const binary = resolve(binaryArg);
const out = resolve(outArg);
const chromiumPath = process.env.CUSTLENS_CHROMIUM || '/usr/bin/chromium';
const failures = [];
const check = (ok, message) => {
  if (!ok) failures.push(message);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
};

function run(args) {
  const result = spawnSync(binary, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`custlens ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
}

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

// Waits until every chart container holds a canvas with ink (ECharts animates its first frame).
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

// Starts `custlens serve` on a free port and resolves with the URL it prints on stderr.
function startServer(input) {
  const server = spawn(binary, ['serve', input, '--port', '0', '--lang', 'en'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${text}`)), 60000);
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

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const orders = join(out, 'orders.csv');
  run(['gen', 'orders', '--rows', '20000', '--customers', '800', '--seed', '7', '-o', orders]);
  run(['analyze', orders, '--out', join(out, 'result'), '--lang', 'en', '--quiet']);
  const reportPath = join(out, 'result', 'report.html');
  check(existsSync(reportPath), 'analyze wrote report.html');

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });

    // The report, offline, from the file system.
    const report = await context.newPage();
    const reportErrors = watchConsole(report, 'report.html');
    await report.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
    await waitForCharts(report, 'report.html');
    await report.screenshot({ path: join(out, 'report.png'), fullPage: true });
    reportErrors();

    // The regression report of `custlens ols --out`: coefficient, residual and Q-Q charts.
    const profiles = fileURLToPath(new URL('../data/user_personalized_features.csv', import.meta.url));
    run(['ols', profiles, '--y', 'Total_Spending', '--x', 'all', '--out', join(out, 'ols'),
         '--lang', 'en', '--quiet']);
    const olsReport = await context.newPage();
    const olsErrors = watchConsole(olsReport, 'ols report.html');
    await olsReport.goto(pathToFileURL(join(out, 'ols', 'report.html')).href, { waitUntil: 'load' });
    await waitForCharts(olsReport, 'ols report.html');
    const olsCharts = await olsReport.locator('div.chart').count();
    check(olsCharts === 3, `ols report.html: three charts (${olsCharts})`);
    await olsReport.screenshot({ path: join(out, 'ols_report.png'), fullPage: true });
    olsErrors();

    // The customer-profile report of `custlens profile --out` (K-Means, tiers, regions, tests).
    run(['profile', profiles, '--out', join(out, 'profile'), '--lang', 'en', '--quiet']);
    const profileReport = await context.newPage();
    const profileErrors = watchConsole(profileReport, 'profile report.html');
    await profileReport.goto(pathToFileURL(join(out, 'profile', 'report.html')).href, { waitUntil: 'load' });
    await waitForCharts(profileReport, 'profile report.html');
    const profileCharts = await profileReport.locator('div.chart').count();
    check(profileCharts === 10, `profile report.html: ten charts, outliers included (${profileCharts})`);
    await profileReport.screenshot({ path: join(out, 'profile_report.png'), fullPage: true });
    profileErrors();

    // The dashboard from localhost; a filter change must change what the page shows.
    const { server, url } = await startServer(orders);
    try {
      const dashboard = await context.newPage();
      const dashboardErrors = watchConsole(dashboard, 'dashboard');
      await dashboard.goto(url, { waitUntil: 'load' });
      await waitForCharts(dashboard, 'dashboard');
      await dashboard.screenshot({ path: join(out, 'dashboard.png'), fullPage: true });

      const country = dashboard.locator('select[name="country"]');
      check((await country.count()) === 1, 'dashboard: has a country filter');
      const options = await country.locator('option').evaluateAll((nodes) =>
        nodes.map((node) => node.value).filter((value) => value !== ''),
      );
      check(options.length > 1, `dashboard: the country filter lists countries (${options.length})`);
      const tables = () => dashboard.locator('table').allInnerTexts();
      const before = await tables();
      const pick = options[options.length - 1];
      const response = dashboard.waitForResponse((r) => r.url().includes('/api/report'));
      await country.selectOption(pick);
      // Some pages apply filters on change, others with a button; press it when there is one.
      const apply = dashboard.locator('[data-action="apply"]');
      if ((await apply.count()) > 0) await apply.first().click();
      const answer = await response;
      check(answer.status() === 200, `dashboard: /api/report answered ${answer.status()} for ${pick}`);
      let after = before;
      for (let attempt = 0; attempt < 50 && JSON.stringify(after) === JSON.stringify(before); ++attempt) {
        await dashboard.waitForTimeout(200);
        after = await tables();
      }
      check(JSON.stringify(after) !== JSON.stringify(before),
            `dashboard: choosing country '${pick}' changes the tables`);
      await waitForCharts(dashboard, 'dashboard after filtering');
      await dashboard.screenshot({ path: join(out, 'dashboard_filtered.png'), fullPage: true });
      dashboardErrors();
    } finally {
      const exited = new Promise((resolvePromise) => server.on('exit', (code, signal) => resolvePromise({ code, signal })));
      server.kill('SIGTERM');
      const { code, signal } = await exited;
      check(code === 0, `serve exits 0 on SIGTERM (code ${code}, signal ${signal})`);
    }
  } finally {
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
