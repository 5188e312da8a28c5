// console_page.mjs: what the browser tests of the console share: serving the built site,
// launching Chromium, opening the console and reading its test hooks, decoding screenshots.
//
// Runs Debian's Chromium through playwright-core (software WebGL2 via SwiftShader) against
// the built site served one of two ways, the console's two modes:
//   host: 'static'   a plain static file server (as a CDN or `python -m http.server` would
//                    serve it): no API answers, so the console runs its offline demo;
//   host: 'server'   build/bin/loyalty-server --web-root build/web on a fresh database
//                    (with --demo-store FILE when `demoStore` is given): connected mode.
// Overrides:
//   LOYALTY_WEB_ROOT   the static site to serve (default build/web)
//   LOYALTY_SERVER     the server binary (default build/bin/loyalty-server)
// Artifacts (screenshots) go to build/test-artifacts/.
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

export const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const webRoot = path.resolve(repoDir, process.env.LOYALTY_WEB_ROOT || 'build/web');
const serverBinary = path.resolve(repoDir, process.env.LOYALTY_SERVER || 'build/bin/loyalty-server');
export const artifactDir = path.join(repoDir, 'build', 'test-artifacts');
export const readyTimeoutMs = 60_000;

const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

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

async function startRealServer({ demoStore } = {}) {
  assert.ok(fs.existsSync(serverBinary),
    `${serverBinary} is missing: build it first (make build-native), or set LOYALTY_SERVER`);
  const port = await freePort();
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyalty-e2e-'));
  const args = ['--port', String(port), '--database', path.join(tempDir, 'test.db'), '--web-root', webRoot];
  if (demoStore) args.push('--demo-store', demoStore);
  const child = spawn(serverBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
    binary: serverBinary,
    databasePath: path.join(tempDir, 'test.db'),   // for the operator's commands (grant-role)
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

// A static host: files only, with the right MIME types (application/wasm lets the browser
// compile while downloading), and a plain-text 404 for anything else, /api/... included.
const contentTypes = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.data': 'application/octet-stream', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json',
};
async function startStaticHost() {
  const requested = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    requested.push(url.pathname);
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
    kind: 'a static file server (no API: the offline demo)',
    requested,   // the paths asked for, in order
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

// [SECTION] PNG decoding (8-bit RGB/RGBA, non-interlaced: what Chromium writes) -----------
export function decodePng(buffer) {
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

export function distinctColors(image) {
  const colors = new Set();
  for (let index = 0; index < image.pixels.length; index += 4) {
    colors.add(image.pixels.readUInt32BE(index));
  }
  return colors.size;
}

// Pixels dark enough to be text on the light theme.
export function inkPixels(image) {
  let count = 0;
  for (let index = 0; index < image.pixels.length; index += 4) {
    const [red, green, blue] = image.pixels.subarray(index, index + 3);
    if (0.299 * red + 0.587 * green + 0.114 * blue < 140) count++;
  }
  return count;
}

// [SECTION] Browser ---------------------------------------------------------------------------
// Checks the site is built, starts the host (see the top of this file) and Chromium.
// Returns { server, browser, stop }.
export async function startConsoleHarness({ host = 'static', demoStore } = {}) {
  assert.ok(host === 'static' || host === 'server', `unknown host "${host}"`);
  for (const file of ['index.html', 'console.js', 'console.wasm', 'boot.js', 'console.css']) {
    assert.ok(fs.existsSync(path.join(webRoot, file)),
      `${path.join(webRoot, file)} is missing: build the console first (make build-wasm), ` +
      'or point LOYALTY_WEB_ROOT at a built site');
  }
  fs.mkdirSync(artifactDir, { recursive: true });
  const server = host === 'server' ? await startRealServer({ demoStore }) : await startStaticHost();
  console.log(`# serving ${path.relative(repoDir, webRoot)} with ${server.kind} at ${server.baseUrl}`);
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs,
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    server,
    browser,
    stop: async () => {
      await browser?.close();
      await server?.stop();
    },
  };
}

// Opens the console in a fresh context and waits until it has drawn. Collects console
// errors and page errors for the caller to check (`problems`), and apart from them the API
// answers of 400 and above (`apiRefusals`, "401 /api/v1/auth/me"): Chromium logs each as
// "Failed to load resource", yet the console expects some, such as its probe of the server
// (404 from a static host, 401 when nobody is signed in), so a test says which it expected.
// `hasTouch` and `isMobile` make a phone (touch events, the mobile viewport).
export async function openConsole(harness,
  { viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1, hasTouch = false, isMobile = false } = {}) {
  const context = await harness.browser.newContext({ viewport, deviceScaleFactor, hasTouch, isMobile });
  const page = await context.newPage();
  const problems = [];
  const apiRefusals = [];
  const isApiPath = (url) => { try { return new URL(url).pathname.startsWith('/api/'); } catch { return false; } };
  page.on('response', (response) => {
    if (response.status() >= 400 && isApiPath(response.url())) {
      apiRefusals.push(`${response.status()} ${new URL(response.url()).pathname}`);
    }
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/^Failed to load resource/.test(message.text()) && isApiPath(message.location()?.url ?? '')) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${harness.server.baseUrl}/`);
  await page.waitForFunction(() => window.consoleReady === true || !!window.consoleFailed,
    null, { timeout: readyTimeoutMs });
  const failed = await page.evaluate(() => window.consoleFailed || null);
  assert.equal(failed, null, `the console showed its failure page (${failed}); ${problems.join('; ')}`);
  return { context, page, problems, apiRefusals };
}

// Waits until the console has drawn again after a reload (window.consoleReady is the new
// page's: the console knows its mode again).
export async function reloadConsole(page) {
  await page.reload();
  await page.waitForFunction(() => window.consoleReady === true || !!window.consoleFailed,
    null, { timeout: readyTimeoutMs });
  assert.equal(await page.evaluate(() => window.consoleFailed || null), null, 'the console failed after a reload');
}

// Waits until the published state (window.consoleState) has every key/value of `expected`;
// on a timeout, says what it had.
export async function waitForState(page, expected, timeout = 10_000) {
  await page.waitForFunction((wanted) => {
    const state = window.consoleState || {};
    return Object.entries(wanted).every(([key, value]) => state[key] === value);
  }, expected, { timeout }).catch(async (error) => {
    const state = await consoleState(page);
    delete state['preview.rules_text'];
    throw new Error(`${error.message}\nwanted ${JSON.stringify(expected)}\nhave ${JSON.stringify(state)}`);
  });
}

// [SECTION] Test hooks ------------------------------------------------------------------------
// A text the last frame drew (window.consoleTextRects): { text, x, y, width, height }.
export async function textRect(page, id) {
  const rect = await page.evaluate((key) => window.consoleTextRects?.[key] ?? null, id);
  assert.ok(rect, `the console reported no text rectangle "${id}"`);
  return rect;
}

// A text input (window.consoleInputs): { text, x, y, width, height, focused }.
export async function inputRect(page, id) {
  const rect = await page.evaluate((key) => window.consoleInputs?.[key] ?? null, id);
  assert.ok(rect, `the console reported no input "${id}"`);
  return rect;
}

// The values a screen publishes (window.consoleState): { "preview.buyer_points": "10", ... }.
export async function consoleState(page) {
  return page.evaluate(() => ({ ...(window.consoleState || {}) }));
}

// Waits until the last frame drew `id` (optionally with exactly `text`).
export async function waitForText(page, id, text = undefined, timeout = 10_000) {
  await page.waitForFunction(([key, expected]) => {
    const rect = window.consoleTextRects?.[key];
    return !!rect && (expected === null || rect.text === expected);
  }, [id, text ?? null], { timeout });
  return textRect(page, id);
}

export async function clickRect(page, rect) {
  await page.mouse.click(rect.x + rect.width / 2, rect.y + rect.height / 2);
}

// Dear ImGui 1.86 reads keys as a state per frame: a key pressed and released within one
// frame is never seen. Editing keys are held for a few frames (typed characters are queued
// as text input and need no delay).
const keyHoldMs = 80;

// Focuses an ImGui text input by clicking it, replaces what it holds with `text` through the
// keyboard, and waits until the console reports the new content. A password field reports
// one '*' per character, never what was typed: `{ masked: true }`.
export async function typeInto(page, id, text, { masked = false } = {}) {
  await clickRect(page, await inputRect(page, id));
  await page.waitForFunction((key) => window.consoleInputs?.[key]?.focused === true, id,
    { timeout: 10_000 });
  await page.keyboard.press('Control+A', { delay: keyHoldMs });
  await page.keyboard.press('Backspace', { delay: keyHoldMs });
  await page.waitForFunction((key) => window.consoleInputs?.[key]?.text === '', id, { timeout: 10_000 });
  if (text.length > 0) await page.keyboard.type(text, { delay: 15 });
  const reported = masked ? '*'.repeat([...text].length) : text;
  await page.waitForFunction(([key, expected]) => window.consoleInputs?.[key]?.text === expected,
    [id, reported], { timeout: 10_000 });
}

export async function screenshotRect(page, rect, padding = 2) {
  const clip = {
    x: Math.max(0, rect.x - padding), y: Math.max(0, rect.y - padding),
    width: rect.width + 2 * padding, height: rect.height + 2 * padding,
  };
  return decodePng(await page.screenshot({ clip }));
}
