// Shared by the browser tests (report_e2e.mjs, dashboard_profile_e2e.mjs): a check list, drawn
// canvases, console errors and `custlens serve` on a free port.
import { spawn } from 'node:child_process';

// A list of failed checks and the function that prints and records each check.
export function makeChecks() {
  const failures = [];
  const check = (ok, message) => {
    if (!ok) failures.push(message);
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
  };
  return { failures, check };
}

export async function canvasInk(page) {
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
export async function waitForCharts(page, label, check) {
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

export function watchConsole(page, label, check) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return () => check(errors.length === 0, `${label}: no console errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
}

// Starts `custlens serve` on a free port and resolves with the URL it prints on stderr.
export function startServer(binary, input) {
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
