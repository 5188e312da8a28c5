// Browser tests of the wasm console, served the way the product serves it.
//
// Runs Debian's Chromium through playwright-core (software WebGL2 via SwiftShader) against
// build/bin/loyalty-server --web-root build/web. Overrides:
//   LOYALTY_WEB_ROOT   the static site to serve (default build/web)
//   LOYALTY_SERVER     the server binary (default build/bin/loyalty-server); when it does not
//                      exist yet, a minimal static server inside this file stands in for it.
// Artifacts (screenshots) go to build/test-artifacts/.
//
//   node --test --test-reporter=spec tests/e2e/
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const webRoot = path.resolve(repoDir, process.env.LOYALTY_WEB_ROOT || 'build/web');
const serverBinary = path.resolve(repoDir, process.env.LOYALTY_SERVER || 'build/bin/loyalty-server');
const artifactDir = path.join(repoDir, 'build', 'test-artifacts');
const readyTimeoutMs = 60_000;

const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

const vietnameseHeading = 'Chào mừng đến bảng điều khiển — chương trình khách hàng thân thiết';
const englishHeading = 'Welcome to the console — your customer loyalty program';

// [SECTION] Serving ------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`loyalty-server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`loyalty-server did not answer ${baseUrl}/api/health within ${timeoutMs} ms`);
}

async function startRealServer() {
  const port = await freePort();
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-e2e-'));
  const child = spawn(serverBinary, [
    '--port', String(port), '--database', path.join(tempDir, 'test.db'), '--web-root', webRoot,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, 15_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${output}`);
  }
  return {
    baseUrl,
    kind: `loyalty-server (${path.relative(repoDir, serverBinary)})`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      fs.rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

// Stand-in until the real server exists: static files only, with the right MIME types
// (application/wasm lets the browser compile while downloading).
const contentTypes = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.data': 'application/octet-stream', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json',
};
async function startStandInServer() {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    if (url.pathname === '/api/health') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ok"}');
      return;
    }
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.join(webRoot, path.normalize(relative));
    if (!file.startsWith(webRoot) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': contentTypes[path.extname(file)] || 'application/octet-stream',
    });
    fs.createReadStream(file).pipe(response);
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    kind: 'stand-in static server (build/bin/loyalty-server not built yet)',
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

// [SECTION] PNG decoding (8-bit RGB/RGBA, non-interlaced: what Chromium writes) -----------
function decodePng(buffer) {
  assert.equal(buffer.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'not a PNG');
  let offset = 8;
  let width = 0, height = 0, colorType = 0, bitDepth = 0, interlace = 0;
  const idat = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8];
      colorType = data[9];
      interlace = data[12];
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  assert.equal(bitDepth, 8, 'PNG bit depth');
  assert.equal(interlace, 0, 'PNG interlacing');
  const channels = { 2: 3, 6: 4 }[colorType];
  assert.ok(channels, `PNG colour type ${colorType}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(width * height * 4);
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? line[x - channels] : 0;
      const up = previous[x];
      const upLeft = x >= channels ? previous[x - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const estimate = left + up - upLeft;
        const toLeft = Math.abs(estimate - left), toUp = Math.abs(estimate - up);
        const toUpLeft = Math.abs(estimate - upLeft);
        predictor = toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
      }
      line[x] = (line[x] + predictor) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      pixels[(y * width + x) * 4 + 0] = line[x * channels + 0];
      pixels[(y * width + x) * 4 + 1] = line[x * channels + 1];
      pixels[(y * width + x) * 4 + 2] = line[x * channels + 2];
      pixels[(y * width + x) * 4 + 3] = channels === 4 ? line[x * channels + 3] : 255;
    }
    previous = line;
  }
  return { width, height, pixels };
}

function distinctColors(image) {
  const colors = new Set();
  for (let index = 0; index < image.pixels.length; index += 4) {
    colors.add(image.pixels.readUInt32BE(index));
  }
  return colors.size;
}

// Pixels dark enough to be text on the light theme.
function inkPixels(image) {
  let count = 0;
  for (let index = 0; index < image.pixels.length; index += 4) {
    const [red, green, blue] = image.pixels.subarray(index, index + 3);
    if (0.299 * red + 0.587 * green + 0.114 * blue < 140) count++;
  }
  return count;
}

// [SECTION] Browser ---------------------------------------------------------------------------
let browser;
let server;

before(async () => {
  for (const file of ['index.html', 'console.js', 'console.wasm', 'boot.js', 'console.css']) {
    assert.ok(fs.existsSync(path.join(webRoot, file)),
      `${path.join(webRoot, file)} is missing: build the console first (make build-wasm), ` +
      'or point LOYALTY_WEB_ROOT at a built site');
  }
  fs.mkdirSync(artifactDir, { recursive: true });
  server = fs.existsSync(serverBinary) ? await startRealServer() : await startStandInServer();
  console.log(`# serving ${path.relative(repoDir, webRoot)} with ${server.kind} at ${server.baseUrl}`);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs,
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Opens the console in a fresh context and waits until it has drawn. Collects console
// errors and page errors for the caller to check.
async function openConsole({ viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1 } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${server.baseUrl}/`);
  await page.waitForFunction(() => window.consoleReady === true || !!window.consoleFailed,
    null, { timeout: readyTimeoutMs });
  const failed = await page.evaluate(() => window.consoleFailed || null);
  assert.equal(failed, null, `the console showed its failure page (${failed}); ${problems.join('; ')}`);
  return { context, page, problems };
}

async function textRect(page, id) {
  const rect = await page.evaluate((key) => window.consoleTextRects?.[key] ?? null, id);
  assert.ok(rect, `the console reported no text rectangle "${id}"`);
  return rect;
}

async function screenshotRect(page, rect, padding = 2) {
  const clip = {
    x: Math.max(0, rect.x - padding), y: Math.max(0, rect.y - padding),
    width: rect.width + 2 * padding, height: rect.height + 2 * padding,
  };
  return decodePng(await page.screenshot({ clip }));
}

// The date in Vietnam now, as the console writes it (dd/MM/yyyy).
function vietnamDateToday() {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric',
  }).formatToParts(new Date());
  const part = (type) => parts.find((item) => item.type === type).value;
  return `${part('day')}/${part('month')}/${part('year')}`;
}

// [SECTION] Tests ---------------------------------------------------------------------------
test('console loads, draws a non-blank canvas and logs no errors', async () => {
  const { context, page, problems } = await openConsole();
  try {
    await page.waitForSelector('#loading', { state: 'hidden', timeout: 5000 });
    await page.screenshot({ path: path.join(artifactDir, 'console.png') });
    const canvas = decodePng(await page.locator('#canvas').screenshot());
    assert.equal(canvas.width, 1280);
    assert.equal(canvas.height, 800);
    const colors = distinctColors(canvas);
    assert.ok(colors >= 64, `canvas looks blank: only ${colors} distinct colours`);
    assert.ok(inkPixels(canvas) > 2000, 'canvas has almost no dark (text) pixels');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('Vietnamese text renders with every glyph, and the date and money come from core', async () => {
  const { context, page, problems } = await openConsole();
  try {
    assert.equal(await page.evaluate(() => window.consoleLanguage), 'vi');
    assert.equal(await page.evaluate(() => window.consoleMissingGlyphs), 0,
      `glyphs missing from the font: ${await page.evaluate(() => window.consoleMissingCodepoints)}`);

    const heading = await textRect(page, 'overview_welcome_heading');
    assert.equal(heading.text, vietnameseHeading);
    assert.ok(heading.width > 200 && heading.height > 20, `heading rectangle ${JSON.stringify(heading)}`);
    const headingInk = inkPixels(await screenshotRect(page, heading));
    assert.ok(headingInk > 300, `only ${headingInk} ink pixels where the heading is drawn`);

    const money = await textRect(page, 'overview_money_value');
    assert.equal(money.text, '1.000.000 ₫');
    assert.ok(inkPixels(await screenshotRect(page, money)) > 50, 'no ink where 1.000.000 ₫ is drawn');

    const today = await textRect(page, 'overview_today_value');
    assert.match(today.text, /^\d{2}\/\d{2}\/\d{4}$/);
    assert.equal(today.text, vietnamDateToday());

    for (const id of ['product_name', 'nav_overview', 'nav_wallet_tiers', 'nav_customer_groups',
      'nav_notifications', 'overview_offline_note', 'language_vietnamese', 'language_english']) {
      await textRect(page, id);
    }
    assert.equal((await textRect(page, 'product_name')).text, 'Khách hàng thân thiết');
    assert.equal((await textRect(page, 'nav_wallet_tiers')).text, 'Ví điểm & hạng');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('canvas follows window resizes and devicePixelRatio', async () => {
  const canvasSize = (page) => page.evaluate(() => {
    const canvas = document.getElementById('canvas');
    return { css: [canvas.clientWidth, canvas.clientHeight], backing: [canvas.width, canvas.height] };
  });
  const waitForBacking = (page, width, height) => page.waitForFunction(([w, h]) => {
    const canvas = document.getElementById('canvas');
    return canvas.width === w && canvas.height === h;
  }, [width, height], { timeout: 10_000 });

  const normal = await openConsole({ viewport: { width: 1000, height: 700 } });
  try {
    assert.deepEqual(await canvasSize(normal.page), { css: [1000, 700], backing: [1000, 700] });
    await normal.page.setViewportSize({ width: 1300, height: 760 });
    await waitForBacking(normal.page, 1300, 760);
    assert.deepEqual(await canvasSize(normal.page), { css: [1300, 760], backing: [1300, 760] });
    // ImGui lays out in CSS pixels: the toggle sits at the new right edge.
    await normal.page.waitForFunction(() => {
      const toggle = window.consoleTextRects?.language_english;
      return toggle && toggle.x + toggle.width > 1200 && toggle.x + toggle.width <= 1300;
    }, null, { timeout: 10_000 });
    assert.deepEqual(normal.problems, []);
  } finally {
    await normal.context.close();
  }

  const sharp = await openConsole({ viewport: { width: 900, height: 600 }, deviceScaleFactor: 2 });
  try {
    assert.equal(await sharp.page.evaluate(() => window.devicePixelRatio), 2);
    assert.deepEqual(await canvasSize(sharp.page), { css: [900, 600], backing: [1800, 1200] });
    const toggle = await textRect(sharp.page, 'language_english');
    assert.ok(toggle.x + toggle.width <= 900, 'layout is not in CSS pixels at devicePixelRatio 2');
    await sharp.page.setViewportSize({ width: 700, height: 500 });
    await waitForBacking(sharp.page, 1400, 1000);
    assert.deepEqual(await canvasSize(sharp.page), { css: [700, 500], backing: [1400, 1000] });
    await sharp.page.screenshot({ path: path.join(artifactDir, 'console-dpr2.png') });
    assert.equal(await sharp.page.evaluate(() => window.consoleMissingGlyphs), 0);
    // Mouse positions are CSS pixels too: a click lands on the item drawn there.
    const members = await textRect(sharp.page, 'nav_members');
    await sharp.page.mouse.click(members.x + members.width / 2, members.y + members.height / 2);
    await sharp.page.waitForFunction(() => window.consoleScreen === 'members', null, { timeout: 10_000 });
    // The density changes under a running console (browser zoom, another screen): the
    // backing store follows and the fonts are rasterised again.
    const cdp = await sharp.context.newCDPSession(sharp.page);
    await cdp.send('Emulation.setDeviceMetricsOverride',
      { width: 700, height: 500, deviceScaleFactor: 1, mobile: false });
    await waitForBacking(sharp.page, 700, 500);
    await sharp.page.waitForTimeout(200);  // a few frames with the new atlas
    assert.equal(await sharp.page.evaluate(() => window.consoleMissingGlyphs), 0);
    assert.ok(inkPixels(await screenshotRect(sharp.page, await textRect(sharp.page, 'coming_soon_title'))) > 100,
      'no text drawn after the fonts were rebuilt for the new density');
    assert.deepEqual(sharp.problems, []);
  } finally {
    await sharp.context.close();
  }
});

test('language toggle switches to English, is remembered, and navigation opens screens', async () => {
  const { context, page, problems } = await openConsole();
  try {
    const heading = await textRect(page, 'overview_welcome_heading');
    const before = await screenshotRect(page, heading);

    const english = await textRect(page, 'language_english');
    await page.mouse.click(english.x + english.width / 2, english.y + english.height / 2);
    await page.waitForFunction(() => window.consoleLanguage === 'en', null, { timeout: 10_000 });
    assert.equal((await textRect(page, 'overview_welcome_heading')).text, englishHeading);
    assert.equal((await textRect(page, 'nav_members')).text, 'Members');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.evaluate(() => window.consoleMissingGlyphs), 0);
    const afterSwitch = await screenshotRect(page, heading);
    assert.notDeepEqual(afterSwitch.pixels, before.pixels, 'the heading pixels did not change');
    await page.screenshot({ path: path.join(artifactDir, 'console-english.png') });

    // Remembered across a reload (localStorage).
    await page.reload();
    await page.waitForFunction(() => window.consoleReady === true, null, { timeout: readyTimeoutMs });
    assert.equal(await page.evaluate(() => window.consoleLanguage), 'en');

    // Back to Vietnamese, then open a screen that is not built yet.
    const vietnamese = await textRect(page, 'language_vietnamese');
    await page.mouse.click(vietnamese.x + vietnamese.width / 2, vietnamese.y + vietnamese.height / 2);
    await page.waitForFunction(() => window.consoleLanguage === 'vi', null, { timeout: 10_000 });
    const members = await textRect(page, 'nav_members');
    await page.mouse.click(members.x + members.width / 2, members.y + members.height / 2);
    await page.waitForFunction(() => window.consoleScreen === 'members', null, { timeout: 10_000 });
    assert.equal((await textRect(page, 'coming_soon_badge')).text, 'Sắp ra mắt');
    assert.equal(await page.evaluate(() => window.consoleMissingGlyphs), 0);
    await page.screenshot({ path: path.join(artifactDir, 'console-members.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('without WebGL2 the page explains why in Vietnamese and English', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  await context.addInitScript(() => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      if (/webgl/i.test(String(type))) return null;
      return getContext.call(this, type, ...rest);
    };
  });
  const page = await context.newPage();
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  try {
    await page.goto(`${server.baseUrl}/`);
    const failure = page.locator('#failure');
    await failure.waitFor({ state: 'visible', timeout: 10_000 });
    const message = await failure.innerText();
    assert.match(message, /Không khởi tạo được WebGL2/);
    assert.match(message, /WebGL2 is not available/);
    assert.equal(await page.locator('#loading').isVisible(), false);
    assert.equal(await page.evaluate(() => window.consoleReady === true), false);
    assert.ok(!requested.includes('/console.wasm'), 'downloaded the wasm although it cannot run');
    await page.screenshot({ path: path.join(artifactDir, 'console-no-webgl.png') });
  } finally {
    await context.close();
  }
});

test('loading shows "Đang tải…"; a failed download shows a readable message', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  // The wasm answers late, then not at all: first the loading indicator, then the message.
  await page.route('**/console.wasm', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.fulfill({ status: 404, body: 'not found' });
  });
  try {
    await page.goto(`${server.baseUrl}/`);
    const loading = page.locator('#loading');
    assert.equal(await loading.isVisible(), true, 'no loading indicator while the wasm downloads');
    assert.match(await loading.innerText(), /Đang tải…/);
    const failure = page.locator('#failure');
    await failure.waitFor({ state: 'visible', timeout: 20_000 });
    const message = await failure.innerText();
    assert.match(message, /Không tải được bảng điều khiển/);
    assert.match(message, /The console could not be loaded/);
  } finally {
    await context.close();
  }
});
