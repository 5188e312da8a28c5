// Browser tests of the wasm console in its offline mode: the built site on a static host,
// where no API answers, so the console runs its offline demo (sign_in.test.mjs covers the
// console served by loyalty-server).
//
// Runs Debian's Chromium through playwright-core (software WebGL2 via SwiftShader) against
// build/web (see console_page.mjs for the override LOYALTY_WEB_ROOT). Artifacts
// (screenshots) go to build/test-artifacts/.
//
//   node --test --test-reporter=spec tests/e2e/
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  artifactDir, clickRect, decodePng, distinctColors, inkPixels, openConsole as openConsoleWith,
  readyTimeoutMs, screenshotRect, startConsoleHarness, textRect, waitForText,
} from './console_page.mjs';

const vietnameseHeading = 'Chào mừng đến bảng điều khiển — chương trình khách hàng thân thiết';
const englishHeading = 'Welcome to the console — your customer loyalty program';

// [SECTION] Browser ---------------------------------------------------------------------------
let harness;

before(async () => {
  harness = await startConsoleHarness({ host: 'static' });
});

after(async () => {
  await harness?.stop();
});

const openConsole = (options) => openConsoleWith(harness, options);

// The date in Vietnam now, as the console writes it (dd/MM/yyyy).
function vietnamDateToday() {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric',
  }).formatToParts(new Date());
  const part = (type) => parts.find((item) => item.type === type).value;
  return `${part('day')}/${part('month')}/${part('year')}`;
}

// Waits until the page has shown `count` more animation frames: the console's main loop
// draws once per animation frame, so it has drawn at least `count - 1` frames since. (Its
// frame report is published only when it changes, so it cannot be counted instead.)
async function waitForFrames(page, count) {
  await page.evaluate((frames) => new Promise((resolve) => {
    let seen = 0;
    const tick = () => { if (++seen >= frames) resolve(); else requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  }), count);
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

    // Read between two readings of the date: near midnight the day may turn meanwhile,
    // and then either day is right.
    const dayBefore = vietnamDateToday();
    const today = await textRect(page, 'overview_today_value');
    const dayAfter = vietnamDateToday();
    assert.match(today.text, /^\d{2}\/\d{2}\/\d{4}$/);
    assert.ok([dayBefore, dayAfter].includes(today.text), `${today.text} is neither ${dayBefore} nor ${dayAfter}`);

    for (const id of ['product_name', 'nav_overview', 'nav_wallet_tiers', 'nav_customer_groups',
      'nav_notifications', 'overview_offline_note', 'language_vietnamese', 'language_english']) {
      await textRect(page, id);
    }
    assert.equal((await textRect(page, 'product_name')).text, 'Khách hàng thân thiết');
    assert.equal((await textRect(page, 'nav_wallet_tiers')).text, 'Ví điểm & hạng');
    // The rule preview and the members are built; the other modules are still coming.
    assert.equal((await textRect(page, 'overview_module_badge_wallet_tiers')).text, 'Dùng thử ngay');
    assert.equal((await textRect(page, 'overview_module_badge_members')).text, 'Dùng thử ngay');
    assert.equal((await textRect(page, 'overview_module_badge_vouchers')).text, 'Sắp ra mắt');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('from a static host the console runs the offline demo, says nothing reaches a store, and asks no sign-in', async () => {
  const apiRequestsBefore = harness.server.requested.filter((pathname) => pathname.startsWith('/api/')).length;
  const { context, page, problems, apiRefusals } = await openConsole();
  try {
    assert.equal(await page.evaluate(() => window.consoleScreen), 'overview');
    assert.equal((await page.evaluate(() => window.consoleState))['session.mode'], 'offline');
    const banner = await textRect(page, 'mode_banner');
    assert.equal(banner.text,
      'Demo ngoại tuyến: mọi thứ chạy trong trình duyệt này, không có dữ liệu nào được gửi tới cửa hàng.');
    assert.ok(inkPixels(await screenshotRect(page, banner)) > 200, 'no ink where the offline banner is drawn');
    assert.equal((await textRect(page, 'offline_badge')).text, 'Demo ngoại tuyến');
    assert.equal((await textRect(page, 'overview_mode_value')).text, 'Ngoại tuyến');
    assert.equal(await page.evaluate(() => !!window.consoleTextRects.sign_in_heading), false, 'a sign-in screen offline');
    // One question to the server, refused by the static host; nothing else was sent.
    assert.deepEqual(apiRefusals, ['404 /api/v1/auth/me']);
    const apiRequests = harness.server.requested.filter((pathname) => pathname.startsWith('/api/'));
    assert.deepEqual(apiRequests.slice(apiRequestsBefore), ['/api/v1/auth/me']);

    await clickRect(page, await textRect(page, 'language_english'));
    await waitForText(page, 'mode_banner', 'Offline demo: everything runs in this browser; nothing reaches a store.');
    // The offline demo's screens still open: the rule preview computes in the page.
    await clickRect(page, await textRect(page, 'nav_wallet_tiers'));
    await page.waitForFunction(() => window.consoleState?.['preview.buyer_points'] === '10', null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => !!window.consoleTextRects.preview_connected_note), false,
      'the preview says it is not the store\'s program although no store is connected');
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
    // A few frames with the new atlas: counted, not waited for by the clock.
    await waitForFrames(sharp.page, 4);
    assert.equal(await sharp.page.evaluate(() => window.consoleMissingGlyphs), 0);
    await waitForText(sharp.page, 'members_search_label');
    await sharp.page.screenshot({ path: path.join(artifactDir, 'console-dpr1-after-dpr2.png') });
    // The screen's heading and description (large and dark enough to count as ink).
    const heading = await textRect(sharp.page, 'members_description');
    assert.ok(inkPixels(await screenshotRect(sharp.page, { x: heading.x, y: heading.y - 40, width: 300, height: heading.height + 40 })) > 50,
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
    const vouchers = await textRect(page, 'nav_vouchers');
    await page.mouse.click(vouchers.x + vouchers.width / 2, vouchers.y + vouchers.height / 2);
    await page.waitForFunction(() => window.consoleScreen === 'vouchers', null, { timeout: 10_000 });
    assert.equal((await textRect(page, 'coming_soon_badge')).text, 'Sắp ra mắt');
    assert.equal(await page.evaluate(() => window.consoleMissingGlyphs), 0);
    await page.screenshot({ path: path.join(artifactDir, 'console-vouchers.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('without WebGL2 the page explains why in Vietnamese and English', async () => {
  const context = await harness.browser.newContext({ viewport: { width: 1000, height: 700 } });
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
    await page.goto(`${harness.server.baseUrl}/`);
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
  const context = await harness.browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  // The wasm is held back until the loading indicator has been checked, then refused: first
  // the indicator, then the message, whatever the machine's speed.
  let releaseWasm;
  const wasmHeld = new Promise((resolve) => { releaseWasm = resolve; });
  let wasmRequested;
  const wasmAsked = new Promise((resolve) => { wasmRequested = resolve; });
  await page.route('**/console.wasm*', async (route) => {
    wasmRequested();
    await wasmHeld;
    await route.fulfill({ status: 404, body: 'not found' });
  });
  try {
    await page.goto(`${harness.server.baseUrl}/`);
    await wasmAsked;
    const loading = page.locator('#loading');
    assert.equal(await loading.isVisible(), true, 'no loading indicator while the wasm downloads');
    assert.match(await loading.innerText(), /Đang tải…/);
    releaseWasm();
    const failure = page.locator('#failure');
    await failure.waitFor({ state: 'visible', timeout: 20_000 });
    const message = await failure.innerText();
    assert.match(message, /Không tải được bảng điều khiển/);
    assert.match(message, /The console could not be loaded/);
  } finally {
    releaseWasm();
    await context.close();
  }
});
