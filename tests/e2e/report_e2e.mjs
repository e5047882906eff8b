// Browser test of what a person sees: report.html opened from a file:// URL and the dashboards
// (order lines, a behaviour log) from localhost, plus the regression, profile, prediction,
// forecast and lifetime-value reports of `custlens ols|logit|profile|predict|forecast|clv --out`
// and the closed loop's campaign readout, run history and tier migration,
// in Debian's headless Chromium (playwright-core drives it), each at a laptop (1366 x 768) and a
// phone (390 x 844) viewport. Checks that the pages log no console errors, that every chart
// canvas is drawn (has non-blank pixels), that switching a dashboard filter changes the numbers,
// and the layout rules of docs/report.md on every page and width:
//   - nothing is wider than its section, and the page never scrolls sideways;
//   - a table of 25 rows or fewer is not inside a scroll box (a longer one may scroll down,
//     never sideways);
//   - every text ECharts draws (axis labels and names, legends, series labels) lies inside its
//     chart's canvas, and no two visible texts of a chart overlap;
//   - a table's row name cut with an ellipsis carries the whole name as its tooltip.
// Saves a full-page screenshot per page and width: report-desktop.png, report-phone.png, ...
//
//   node tests/e2e/report_e2e.mjs CUSTLENS_BINARY OUTPUT_DIR
//
// Exits 0 when every check passes, 1 with one line per failed check otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import {
  makeChecks,
  waitForCharts as sharedWaitForCharts,
  watchConsole as sharedWatchConsole,
  startServer as sharedStartServer,
} from './lib.mjs';

const [binaryArg, outArg] = process.argv.slice(2);
if (!binaryArg || !outArg) {
  console.error('usage: node report_e2e.mjs CUSTLENS_BINARY OUTPUT_DIR');
  process.exit(2);
}
const binary = resolve(binaryArg);
const out = resolve(outArg);
const chromiumPath = process.env.CUSTLENS_CHROMIUM || '/usr/bin/chromium';
const { failures, check } = makeChecks();

function run(args) {
  const result = spawnSync(binary, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`custlens ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
}

// Runs custlens in the background: resolves with null when it exits 0, else with the error, so
// that no rejection goes unhandled while the other commands run.
function runInBackground(args) {
  return new Promise((resolvePromise) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', (error) => resolvePromise(error));
    child.on('exit', (code) => resolvePromise(code === 0 ? null
      : new Error(`custlens ${args.join(' ')} failed (${code}): ${stderr}`)));
  });
}

// Counts the drawn (non-transparent) pixels of every canvas on the page.
// waitForCharts, watchConsole and startServer of lib.mjs, bound to this test's checks and binary.
const waitForCharts = (page, label) => sharedWaitForCharts(page, label, check);
const watchConsole = (page, label) => sharedWatchConsole(page, label, check);
const startServer = (input) => sharedStartServer(binary, input);


const viewports = [
  { name: 'desktop', width: 1366, height: 768 },
  { name: 'phone', width: 390, height: 844 },
];
// A table with more rows than this may scroll down inside its box (docs/report.md).
const scrollRows = 25;
// The sections of `custlens clv --out` with a holdout, in report order.
// The sections of a behaviour log's report (`analyze LOG --out`, default options), in order.
const eventSectionIds = ['events_kpis', 'events_funnel', 'events_daily', 'events_hours',
                         'events_retention', 'events_categories', 'events_items', 'events_lifecycle'];
// The same log joined with order lines and a profile table (`events --orders --profiles --by
// tier`): the funnel by tier after the funnel, and one section per table at the end.
const joinedSectionIds = ['events_kpis', 'events_funnel', 'events_funnel_breakdown', 'events_daily',
                          'events_hours', 'events_retention', 'events_categories', 'events_items',
                          'events_lifecycle', 'events_joined_rfm', 'events_joined_profile'];
const clvSectionIds = ['clv_models', 'clv_grid', 'clv_holdout', 'clv_tracking', 'clv_value',
                       'clv_tiers', 'clv_top_customers'];

// The layout rules, checked in the page: returns one line per breach.
async function layoutProblems(page) {
  return page.evaluate((maxRows) => {
    const problems = [];
    const name = (node) => node.closest('section')?.id || node.id || node.tagName.toLowerCase();
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      problems.push(`the page scrolls sideways (${root.scrollWidth}px in ${root.clientWidth}px)`);
    }
    // (a) Nothing wider than its section.
    for (const section of document.querySelectorAll('section')) {
      if (section.scrollWidth > section.clientWidth + 1) {
        problems.push(`${name(section)}: content ${section.scrollWidth}px wide in ${section.clientWidth}px`);
      }
      const box = section.getBoundingClientRect();
      for (const node of section.querySelectorAll('*')) {
        const rect = node.getBoundingClientRect();
        if (rect.width > 0 && (rect.right > box.right + 1 || rect.left < box.left - 1)) {
          problems.push(`${name(section)}: a ${node.tagName.toLowerCase()}.${node.className} sticks out of the section (${Math.round(rect.left)}..${Math.round(rect.right)} in ${Math.round(box.left)}..${Math.round(box.right)})`);
          break;
        }
      }
    }
    // Tables: none scrolls sideways; one of maxRows rows or fewer is not in a scroll box.
    for (const table of document.querySelectorAll('table')) {
      const rows = table.tBodies[0] ? table.tBodies[0].rows.length : 0;
      for (let node = table.parentElement; node && node !== document.body; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (/auto|scroll/.test(style.overflowX) && node.scrollWidth > node.clientWidth + 1) {
          problems.push(`${name(table)}: a table scrolls sideways (${node.scrollWidth}px in ${node.clientWidth}px)`);
        }
        if (rows <= maxRows && /auto|scroll/.test(style.overflowY) && node.scrollHeight > node.clientHeight + 1) {
          problems.push(`${name(table)}: a table of ${rows} rows sits in a scroll box (${node.clientHeight}px of ${node.scrollHeight}px shown)`);
        }
      }
    }
    // A row name cut with an ellipsis has its whole text as the tooltip.
    for (const key of document.querySelectorAll('td .key')) {
      const cut = key.scrollWidth > key.clientWidth + 1 || key.scrollHeight > key.clientHeight + 1;
      if (cut && key.parentElement.title !== key.textContent) {
        problems.push(`${name(key)}: cut row name '${key.textContent}' has no tooltip`);
      }
    }
    // (b) Every chart's texts inside its canvas, no two of them overlapping.
    const charts = Array.from(document.querySelectorAll('div.chart'));
    charts.forEach((div, index) => {
      const chart = echarts.getInstanceByDom(div);
      const label = `${name(div)} chart ${index}`;
      if (!chart) {
        problems.push(`${label}: no ECharts instance`);
        return;
      }
      const zr = chart.getZr();
      const width = zr.getWidth();
      const height = zr.getHeight();
      const spans = [];
      for (const element of zr.storage.getDisplayList(true)) {
        if (element.type !== 'tspan' || element.invisible || !element.style || !element.style.text) continue;
        const text = String(element.style.text);
        if (text.trim() === '') continue;
        const local = element.getBoundingRect();
        if (local.width === 0 || local.height === 0) continue;
        // The span's corners on the canvas (labels may be rotated), and what of it a clip
        // (a scrolling legend's window) leaves visible.
        const m = element.transform || [1, 0, 0, 1, 0, 0];
        const corners = [[local.x, local.y], [local.x + local.width, local.y],
                         [local.x + local.width, local.y + local.height], [local.x, local.y + local.height]]
          .map(([x, y]) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]);
        let box = {
          x0: Math.min(...corners.map((c) => c[0])), y0: Math.min(...corners.map((c) => c[1])),
          x1: Math.max(...corners.map((c) => c[0])), y1: Math.max(...corners.map((c) => c[1])),
        };
        for (const clip of element.__clipPaths || []) {
          const rect = clip.getBoundingRect().clone();
          if (clip.transform) rect.applyTransform(clip.transform);
          box = { x0: Math.max(box.x0, rect.x), y0: Math.max(box.y0, rect.y),
                  x1: Math.min(box.x1, rect.x + rect.width), y1: Math.min(box.y1, rect.y + rect.height) };
        }
        if (box.x1 - box.x0 < 1 || box.y1 - box.y0 < 1) continue;  // clipped away
        const clipped = (element.__clipPaths || []).length > 0;
        const owner = element.parent || element;
        spans.push({ corners, box, clipped, text, axis: typeof owner.anid === 'string' && owner.anid.startsWith('label_') });
        if (box.x0 < -1 || box.y0 < -1 || box.x1 > width + 1 || box.y1 > height + 1) {
          problems.push(`${label}: text '${text}' outside the ${width}x${height} canvas at (${Math.round(box.x0)}, ${Math.round(box.y0)})-(${Math.round(box.x1)}, ${Math.round(box.y1)})`);
        }
      }
      // Two texts overlap when their (possibly rotated) boxes share more than 1.5px across every
      // separating axis (lines of one label too); a clipped text by its visible part.
      const project = (points, [ax, ay]) => {
        const values = points.map(([x, y]) => x * ax + y * ay);
        return [Math.min(...values), Math.max(...values)];
      };
      const polygon = (span) => span.clipped
        ? [[span.box.x0, span.box.y0], [span.box.x1, span.box.y0], [span.box.x1, span.box.y1], [span.box.x0, span.box.y1]]
        : span.corners;
      const overlap = (a, b) => {
        const pa = polygon(a);
        const pb = polygon(b);
        for (const points of [pa, pb]) {
          for (let k = 0; k < 2; ++k) {
            const dx = points[k + 1][0] - points[k][0];
            const dy = points[k + 1][1] - points[k][1];
            const length = Math.hypot(dx, dy) || 1;
            const axis = [dx / length, dy / length];
            const [a0, a1] = project(pa, axis);
            const [b0, b1] = project(pb, axis);
            if (Math.min(a1, b1) - Math.max(a0, b0) <= 1.5) return false;
          }
        }
        return true;
      };
      let reported = 0;
      for (let i = 0; i < spans.length && reported < 5; ++i) {
        for (let j = i + 1; j < spans.length && reported < 5; ++j) {
          if (overlap(spans[i], spans[j])) {
            const kind = spans[i].axis && spans[j].axis ? 'axis labels' : 'texts';
            problems.push(`${label}: ${kind} '${spans[i].text}' and '${spans[j].text}' overlap`);
            ++reported;
          }
        }
      }
    });
    return problems;
  }, scrollRows);
}

// Opens `url` at each viewport: drawn charts, the layout rules, a full-page screenshot
// `${name}-${viewport}.png`; `more(page)` runs extra checks on the desktop page.
async function visit(browser, name, url, { charts, more } = {}) {
  for (const viewport of viewports) {
    const label = `${name} ${viewport.name}`;
    const context = await browser.newContext({
      viewport: { width: viewport.width, height: viewport.height },
      isMobile: viewport.name === 'phone',
      hasTouch: viewport.name === 'phone',
    });
    try {
      const page = await context.newPage();
      const errors = watchConsole(page, label);
      await page.goto(url, { waitUntil: 'load' });
      await waitForCharts(page, label);
      if (charts !== undefined) {
        const count = await page.locator('div.chart').count();
        check(count === charts, `${label}: ${charts} charts (${count})`);
      }
      const problems = await layoutProblems(page);
      check(problems.length === 0, `${label}: layout rules hold${problems.length ? ':\n    ' + problems.join('\n    ') : ''}`);
      await page.screenshot({ path: join(out, `${name}-${viewport.name}.png`), fullPage: true });
      if (viewport.name === 'desktop') {
        // Charts are laid out again when the window narrows (legends, labels and names adapt).
        await page.setViewportSize({ width: viewports[1].width, height: viewports[1].height });
        await page.waitForTimeout(300);
        const resized = await layoutProblems(page);
        check(resized.length === 0, `${label} narrowed to phone width: layout rules hold${resized.length ? ':\n    ' + resized.join('\n    ') : ''}`);
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await page.waitForTimeout(300);
        if (more) await more(page, label);
      }
      errors();
    } finally {
      await context.close();
    }
  }
}

// The dashboard's filter: choosing a country must change the tables.
async function filterDashboard(dashboard, label) {
  const country = dashboard.locator('select[name="country"]');
  check((await country.count()) === 1, `${label}: has a country filter`);
  const options = await country.locator('option').evaluateAll((nodes) =>
    nodes.map((node) => node.value).filter((value) => value !== ''),
  );
  check(options.length > 1, `${label}: the country filter lists countries (${options.length})`);
  const tables = () => dashboard.locator('table').allInnerTexts();
  const before = await tables();
  const pick = options[options.length - 1];
  const response = dashboard.waitForResponse((r) => r.url().includes('/api/report'));
  await country.selectOption(pick);
  // Some pages apply filters on change, others with a button; press it when there is one.
  const apply = dashboard.locator('[data-action="apply"]');
  if ((await apply.count()) > 0) await apply.first().click();
  const answer = await response;
  check(answer.status() === 200, `${label}: /api/report answered ${answer.status()} for ${pick}`);
  let after = before;
  for (let attempt = 0; attempt < 50 && JSON.stringify(after) === JSON.stringify(before); ++attempt) {
    await dashboard.waitForTimeout(200);
    after = await tables();
  }
  check(JSON.stringify(after) !== JSON.stringify(before),
        `${label}: choosing country '${pick}' changes the tables`);
  await waitForCharts(dashboard, `${label} after filtering`);
  const problems = await layoutProblems(dashboard);
  check(problems.length === 0, `${label} after filtering: layout rules hold${problems.length ? ':\n    ' + problems.join('\n    ') : ''}`);
  await dashboard.screenshot({ path: join(out, 'dashboard-filtered-desktop.png'), fullPage: true });
}

// The behaviour-log dashboard: day-range and category filters; narrowing the days, then picking
// a category, redraws the page with the view's numbers; screenshots of the filtered page at both
// widths.
async function filterEventsDashboard(dashboard, label) {
  const from = dashboard.locator('input[name="from"]');
  const to = dashboard.locator('input[name="to"]');
  const category = dashboard.locator('select[name="category"]');
  check((await from.count()) === 1 && (await to.count()) === 1 && (await category.count()) === 1,
        `${label}: has from, to and category filters`);
  check((await dashboard.locator('select[name="country"], select[name="tier"]').count()) === 0,
        `${label}: no country or tier filter`);
  const [first, last] = [await from.getAttribute('min'), await from.getAttribute('max')];
  check(Boolean(first) && Boolean(last) && first < last, `${label}: the dates are bounded by the log's days (${first}..${last})`);
  const categories = await category.locator('option').evaluateAll((nodes) =>
    nodes.map((node) => node.value).filter((value) => value !== ''));
  check(categories.length > 1, `${label}: the category filter lists categories (${categories.length})`);
  const uv = () => dashboard.locator('#section-events_kpis tbody tr').nth(1).innerText();
  const redraw = async (what, change) => {
    const before = await dashboard.locator('table').allInnerTexts();
    const response = dashboard.waitForResponse((r) => r.url().includes('/api/report'));
    await change();
    const answer = await response;
    check(answer.status() === 200, `${label}: /api/report answered ${answer.status()} for ${what}`);
    let after = before;
    for (let attempt = 0; attempt < 50 && JSON.stringify(after) === JSON.stringify(before); ++attempt) {
      await dashboard.waitForTimeout(200);
      after = await dashboard.locator('table').allInnerTexts();
    }
    check(JSON.stringify(after) !== JSON.stringify(before), `${label}: ${what} changes the tables`);
  };
  const visitorsBefore = await uv();
  // The log's last three days: fewer visitors.
  const second = new Date(Date.parse(last + 'T00:00:00Z') - 2 * 86400000).toISOString().slice(0, 10);
  await redraw(`from=${second}`, () => from.fill(second));
  const visitorsAfter = await uv();
  check(visitorsAfter !== visitorsBefore, `${label}: the visitors change with the days (${visitorsBefore} -> ${visitorsAfter})`);
  await redraw(`category ${categories[0]}`, () => category.selectOption(categories[0]));
  const findings = await dashboard.locator('#section-events_kpis .findings').innerText();
  check(findings.includes(`Filtered view: local days ${second} to ${last}, category ${categories[0]}`),
        `${label}: the KPI section names the view (${findings.split('\n')[0]})`);
  await waitForCharts(dashboard, `${label} after filtering`);
  for (const viewport of viewports) {
    await dashboard.setViewportSize({ width: viewport.width, height: viewport.height });
    await dashboard.waitForTimeout(300);
    const problems = await layoutProblems(dashboard);
    check(problems.length === 0, `${label} after filtering at ${viewport.name} width: layout rules hold${problems.length ? ':\n    ' + problems.join('\n    ') : ''}`);
    await dashboard.screenshot({ path: join(out, `events-dashboard-filtered-${viewport.name}.png`), fullPage: true });
  }
}

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // The pages' inputs: every command but the first two is independent of the others, so they
  // run two at a time (the Debug/ASan binary is slow; ctest runs another test beside this one).
  const data = (name) => fileURLToPath(new URL(`../data/${name}`, import.meta.url));
  const orders = join(out, 'orders.csv');
  run(['gen', 'orders', '--rows', '20000', '--customers', '800', '--seed', '7', '-o', orders]);
  // The Chinese report reads the same orders with two long country names (one Chinese): they
  // must be cut with a tooltip, not spill over the chart or the table.
  const longNames = join(out, 'orders-long-names.csv');
  writeFileSync(longNames, readFileSync(orders, 'utf8')
    .replace(/,Germany$/gm, ',德意志联邦共和国及其海外领地与特别行政区域（含离岸仓储与保税区）')
    .replace(/,France$/gm, ',French Republic including its overseas departments regions and collectivities'));
  const profiles = data('user_personalized_features.csv');
  const invoices = data('online_retail_invoices.csv');
  const taobao = data('taobao_user_behavior_sample.csv');
  const cdnow = data('cdnow_sample_transactions.csv');
  const clvPeriods = ['--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30'];
  const commands = [
    // The slowest first. The prediction report of `custlens predict --out` on the real UCI
    // invoices; in Chinese on the 64 customers of predict_orders.csv: the zh page's layout, at a
    // fifth of the CPU (the models and their numbers are the gtests' business).
    ['predict', invoices, '--out', join(out, 'predict'), '--lang', 'en'],
    ['predict', data('predict_orders.csv'), '--out', join(out, 'predict-zh'), '--lang', 'zh'],
    // The customer-profile report; in Chinese on the profile table with Chinese headers.
    ['profile', profiles, '--out', join(out, 'profile'), '--lang', 'en'],
    ['profile', data('profiles_zh.csv'), '--out', join(out, 'profile-zh'), '--lang', 'zh'],
    // The revenue forecast of `custlens forecast --out`, weekly.
    ['forecast', orders, '--freq', 'week', '--out', join(out, 'forecast'), '--lang', 'en'],
    ['forecast', orders, '--freq', 'week', '--out', join(out, 'forecast-zh'), '--lang', 'zh'],
    // The lifetime-value report of `custlens clv --out` on the CDNOW sample, with a holdout.
    ['clv', cdnow, ...clvPeriods, '--out', join(out, 'clv'), '--lang', 'en'],
    ['clv', cdnow, ...clvPeriods, '--out', join(out, 'clv-zh'), '--lang', 'zh'],
    ['analyze', orders, '--out', join(out, 'result'), '--lang', 'en'],
    ['analyze', longNames, '--out', join(out, 'result-zh'), '--lang', 'zh'],
    ['ols', profiles, '--y', 'Total_Spending', '--x', 'all', '--out', join(out, 'ols'), '--lang', 'en'],
    ['logit', profiles, '--y', 'Newsletter_Subscription', '--x', 'all', '--out', join(out, 'logit'),
     '--lang', 'en'],
    // A behaviour log (the headerless Taobao sample) through analyze; in Chinese, joined with
    // orders and profiles of the same users.
    ['analyze', taobao, '--out', join(out, 'events'), '--lang', 'en'],
    ['events', taobao, '--orders', data('events_join_orders.csv'),
     '--profiles', data('events_join_profiles.csv'), '--by', 'tier', '--out', join(out, 'events-zh'),
     '--lang', 'zh'],
  ];
  const errors = [];
  const worker = async () => {
    for (let next = commands.shift(); next; next = commands.shift()) {
      const error = await runInBackground([...next, '--quiet']);
      if (error) errors.push(error);
    }
  };
  await Promise.all([worker(), worker()]);
  if (errors.length) throw errors[0];
  // The closed loop (docs/store.md): two snapshots of one shop and a campaign readout recorded in
  // one store, then its history and tier migration read back, in both languages.
  const loopStore = join(out, 'loop.db');
  for (const args of [
    ['analyze', data('store_orders_2011h1.csv'), '--out', join(out, 'loop-first'), '--source-name', 'shop', '--quiet'],
    ['analyze', invoices, '--out', join(out, 'loop-second'), '--source-name', 'shop', '--quiet'],
    ['campaign', data('campaign_orders.csv'), '--contacts', data('campaign_contacts.csv'),
     '--out', join(out, 'campaign'), '--lang', 'en', '--quiet'],
    ['history', '--out', join(out, 'history'), '--lang', 'en'],
    ['history', '--out', join(out, 'history-zh'), '--lang', 'zh'],
    ['migrate', '--out', join(out, 'migration'), '--lang', 'en'],
    ['migrate', '--out', join(out, 'migration-zh'), '--lang', 'zh'],
  ]) {
    run([...args, '--store', loopStore]);
  }
  const reportPath = join(out, 'result', 'report.html');
  check(existsSync(reportPath), 'analyze wrote report.html');

  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const file = (path) => pathToFileURL(path).href;
    // The report, offline, from the file system, in both languages.
    await visit(browser, 'report', file(reportPath), {
      more: async (page, label) => {
        // The playbook is one card per tier below a compact table, not two columns of prose.
        const tiers = await page.locator('#section-tiers').evaluate((section) => ({
          rows: section.querySelectorAll('tbody tr').length,
          cards: section.querySelectorAll('.card').length,
          lists: section.querySelectorAll('td ul').length,
        }));
        check(tiers.cards === tiers.rows && tiers.lists === 0,
              `${label}: one playbook card per tier (${tiers.cards} cards, ${tiers.rows} tiers, ${tiers.lists} lists in cells)`);
      },
    });
    await visit(browser, 'report-zh', file(join(out, 'result-zh', 'report.html')));
    // The regression reports of `custlens ols|logit --out`.
    await visit(browser, 'ols', file(join(out, 'ols', 'report.html')), { charts: 3 });
    await visit(browser, 'logit', file(join(out, 'logit', 'report.html')), { charts: 1 });
    // The customer-profile report of `custlens profile --out` (K-Means, tiers, regions, tests).
    // Ten charts: the nine profile sections and the outlier box plots.
    await visit(browser, 'profile', file(join(out, 'profile', 'report.html')), { charts: 10 });
    await visit(browser, 'profile-zh', file(join(out, 'profile-zh', 'report.html')), { charts: 10 });
    await visit(browser, 'predict', file(join(out, 'predict', 'report.html')));
    await visit(browser, 'predict-zh', file(join(out, 'predict-zh', 'report.html')));

    // The forecast report: the audit and outlier charts, actual vs forecast with bands, the model
    // and gap tables.
    await visit(browser, 'forecast', file(join(out, 'forecast', 'report.html')), { charts: 3 });
    await visit(browser, 'forecast-zh', file(join(out, 'forecast-zh', 'report.html')), { charts: 3 });

    // The lifetime-value report: the audit and outlier charts and the seven CLV sections (the
    // two heat maps and the two tracking panels are one chart each).
    const clvSections = async (page, label) => {
      const ids = await page.locator('section[id^="section-clv_"]').evaluateAll((nodes) => nodes.map((node) => node.id));
      check(ids.join(',') === clvSectionIds.map((id) => `section-${id}`).join(','),
            `${label}: the lifetime-value sections in order (${ids.join(', ')})`);
    };
    await visit(browser, 'clv', file(join(out, 'clv', 'report.html')), { charts: 9, more: clvSections });
    await visit(browser, 'clv-zh', file(join(out, 'clv-zh', 'report.html')), { charts: 9, more: clvSections });

    // The behaviour report: eight sections, six charts (the KPI and item tables have none).
    const eventSections = (expected) => async (page, label) => {
      const ids = await page.locator('section[id^="section-events_"]').evaluateAll((nodes) => nodes.map((node) => node.id));
      check(ids.join(',') === expected.map((id) => `section-${id}`).join(','),
            `${label}: the behaviour sections in order (${ids.join(', ')})`);
    };
    await visit(browser, 'events', file(join(out, 'events', 'report.html')),
                { charts: 6, more: eventSections(eventSectionIds) });
    // Joined: the funnel by tier and the two tier sections add a chart each.
    await visit(browser, 'events-zh', file(join(out, 'events-zh', 'report.html')),
                { charts: 9, more: eventSections(joinedSectionIds) });

    // The loop: the campaign readout, the run history (runs and KPIs, tier shares, campaigns:
    // a chart each) and the tier migration heat map.
    await visit(browser, 'campaign', file(join(out, 'campaign', 'report.html')));
    const historySections = async (page, label) => {
      const ids = await page.locator('section[id^="section-history_"]').evaluateAll((nodes) => nodes.map((node) => node.id));
      check(ids.join(',') === 'section-history_runs,section-history_tiers,section-history_campaigns',
            `${label}: the history sections in order (${ids.join(', ')})`);
    };
    await visit(browser, 'history', file(join(out, 'history', 'report.html')), { charts: 3, more: historySections });
    await visit(browser, 'history-zh', file(join(out, 'history-zh', 'report.html')), { charts: 3, more: historySections });
    await visit(browser, 'migration', file(join(out, 'migration', 'report.html')), { charts: 1 });
    await visit(browser, 'migration-zh', file(join(out, 'migration-zh', 'report.html')), { charts: 1 });

    // The dashboards from localhost (order lines, the behaviour log); a filter change must change
    // what the page shows.
    for (const [name, input, more] of [['dashboard', orders, filterDashboard],
                                       ['events-dashboard', taobao, filterEventsDashboard]]) {
      const { server, url } = await startServer(input);
      try {
        await visit(browser, name, url, { more });
      } finally {
        const exited = new Promise((resolvePromise) => server.on('exit', (code, signal) => resolvePromise({ code, signal })));
        server.kill('SIGTERM');
        const { code, signal } = await exited;
        check(code === 0, `${name}: serve exits 0 on SIGTERM (code ${code}, signal ${signal})`);
      }
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
