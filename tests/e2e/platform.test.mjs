// Browser tests of the web conventions a user expects from the console, on a static host
// (the offline demo): Vietnamese through an input method, the system clipboard both ways,
// addresses (reload, Back and Forward, links), a phone layout, Tab and Enter, and no
// frames drawn while nothing happens. Screenshots go to build/test-artifacts/.
//
//   node --test --test-reporter=spec tests/e2e/platform.test.mjs
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  artifactDir, clickRect, decodePng, inputRect, openConsole, readyTimeoutMs, startConsoleHarness, textRect,
  typeInto, waitForState, waitForText,
} from './console_page.mjs';

let harness;

before(async () => {
  harness = await startConsoleHarness({ host: 'static' });
});

after(async () => {
  await harness?.stop();
});

const keyHoldMs = 80;

async function openAt(address, options = {}) {
  const opened = await openConsole(harness, options);
  if (address !== '#/') {
    await opened.page.goto(`${harness.server.baseUrl}/${address}`);
    await waitForState(opened.page, { route: address });
  }
  return opened;
}

async function focusInput(page, id) {
  await clickRect(page, await inputRect(page, id));
  await page.waitForFunction((key) => window.consoleInputs?.[key]?.focused === true, id, { timeout: 10_000 });
}

async function clearInput(page, id) {
  await focusInput(page, id);
  await page.keyboard.press('Control+A', { delay: keyHoldMs });
  await page.keyboard.press('Backspace', { delay: keyHoldMs });
  await page.waitForFunction((key) => window.consoleInputs?.[key]?.text === '', id, { timeout: 10_000 });
}

async function waitForInputText(page, id, expected) {
  await page.waitForFunction(([key, text]) => window.consoleInputs?.[key]?.text === text, [id, expected],
    { timeout: 10_000 }).catch(async (error) => {
    const have = await page.evaluate((key) => window.consoleInputs?.[key]?.text, id);
    throw new Error(`${error.message}\nwanted ${JSON.stringify(expected)} in ${id}, have ${JSON.stringify(have)}`);
  });
}

// One word through a Telex composition, as Chromium's input methods deliver it: the
// composition grows letter by letter (the console must not take any of it), then commits.
async function composeWord(cdp, steps) {
  for (const step of steps) {
    await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
  }
  await cdp.send('Input.insertText', { text: steps[steps.length - 1] });
}

test('"Nguyễn Văn An" typed through an input method composition arrives whole', async () => {
  const { context, page, problems } = await openAt('#/program');
  try {
    await clearInput(page, 'preview_amount_vnd');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'text-agent',
      'the text agent does not have the keyboard while a field is edited');
    const cdp = await context.newCDPSession(page);
    // Telex: N g u y e e x n -> Nguyễn; the composition is shown, never typed, until it commits.
    for (const step of ['N', 'Ng', 'Ngu', 'Nguy', 'Nguye', 'Nguyê', 'Nguyễ']) {
      await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
    }
    assert.equal((await inputRect(page, 'preview_amount_vnd')).text, '', 'a composition was typed before it was committed');
    await cdp.send('Input.imeSetComposition', { text: 'Nguyễn', selectionStart: 6, selectionEnd: 6 });
    await cdp.send('Input.insertText', { text: 'Nguyễn' });
    await waitForInputText(page, 'preview_amount_vnd', 'Nguyễn');
    await cdp.send('Input.insertText', { text: ' ' });
    await composeWord(cdp, ['V', 'Va', 'Vaw', 'Vă', 'Văn']);
    await cdp.send('Input.insertText', { text: ' ' });
    await composeWord(cdp, ['A', 'An']);
    await waitForInputText(page, 'preview_amount_vnd', 'Nguyễn Văn An');
    await page.screenshot({ path: path.join(artifactDir, 'platform-ime.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an input method that sends Backspace then the new letter (Unikey) is not scrambled', async () => {
  const { context, page, problems } = await openAt('#/program');
  try {
    await clearInput(page, 'preview_amount_vnd');
    const cdp = await context.newCDPSession(page);
    await page.keyboard.type('Nguye');
    // "e" again: Unikey deletes the "e" and types "ê", faster than a frame (no key delay).
    await page.keyboard.press('Backspace');
    await cdp.send('Input.insertText', { text: 'ê' });
    await page.keyboard.type('n');
    // "x": the tone goes on "ê", two letters back: two Backspaces, then "ễn".
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await cdp.send('Input.insertText', { text: 'ễn' });
    await waitForInputText(page, 'preview_amount_vnd', 'Nguyễn');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('copy and paste reach the system clipboard both ways', async () => {
  const { context, page, problems } = await openAt('#/program');
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.server.baseUrl });
    // From another application into the console.
    await page.evaluate(() => navigator.clipboard.writeText('Nguyễn Văn An 250000'));
    await clearInput(page, 'preview_amount_vnd');
    await page.keyboard.press('Control+V', { delay: keyHoldMs });
    await waitForInputText(page, 'preview_amount_vnd', 'Nguyễn Văn An 250000');
    // From the console to another application: select all, copy, and the clipboard has it.
    await page.evaluate(() => navigator.clipboard.writeText('something else'));
    await typeInto(page, 'preview_amount_vnd', '1750000');
    await page.keyboard.press('Control+A', { delay: keyHoldMs });
    await page.keyboard.press('Control+C', { delay: keyHoldMs });
    await page.waitForFunction(async () => (await navigator.clipboard.readText()) === '1750000', null, { timeout: 10_000 });
    // Cut takes it out of the field as well.
    await page.keyboard.press('Control+A', { delay: keyHoldMs });
    await page.keyboard.press('Control+X', { delay: keyHoldMs });
    await waitForInputText(page, 'preview_amount_vnd', '');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '1750000');
    // And back in: the order's points follow the pasted amount (1 % of 1.750.000 ₫ at 1.000 ₫ a point).
    await page.keyboard.press('Control+V', { delay: keyHoldMs });
    await waitForInputText(page, 'preview_amount_vnd', '1750000');
    await waitForState(page, { 'preview.buyer_points': '17' });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('every screen has an address: reload keeps it and what was typed, Back and Forward move within the app', async () => {
  const { context, page, problems } = await openConsole(harness);
  try {
    assert.equal(new URL(page.url()).hash, '#/');
    await clickRect(page, await textRect(page, 'nav_wallet_tiers'));
    await waitForState(page, { route: '#/program' });
    assert.equal(new URL(page.url()).hash, '#/program');
    await typeInto(page, 'preview_amount_vnd', '2500000');
    await waitForState(page, { 'preview.buyer_points': '25' });

    await page.reload();
    await page.waitForFunction(() => window.consoleReady === true, null, { timeout: readyTimeoutMs });
    await waitForState(page, { route: '#/program' });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'wallet_tiers');
    await waitForInputText(page, 'preview_amount_vnd', '2500000');
    await waitForState(page, { 'preview.buyer_points': '25' });

    await clickRect(page, await textRect(page, 'nav_members'));
    await waitForState(page, { route: '#/members' });
    await page.goBack();
    await waitForState(page, { route: '#/program' });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'wallet_tiers');
    await page.goBack();
    await waitForState(page, { route: '#/' });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'overview');
    assert.equal(new URL(page.url()).pathname, '/', 'Back left the app');
    await page.goForward();
    await waitForState(page, { route: '#/program' });
    await page.goForward();
    await waitForState(page, { route: '#/members' });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'members');

    // A shared link to a member opens the members screen with the member's id in the route.
    await page.goto(`${harness.server.baseUrl}/#/members/M0000123`);
    await waitForState(page, { route: '#/members/M0000123' });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'members');
    // Encoded segments come back as they were written.
    await page.evaluate(() => { window.location.hash = '#/members/Nguy%E1%BB%85n%20A'; });
    await waitForState(page, { route: '#/members/Nguy%E1%BB%85n%20A' });
    // An address that is no screen: the console stays and corrects the address.
    await page.evaluate(() => { window.location.hash = '#/nowhere'; });
    await page.waitForFunction(() => window.location.hash === '#/members/Nguy%E1%BB%85n%20A', null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'members');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an unknown address opens the overview and says so in the address bar', async () => {
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${harness.server.baseUrl}/#/no/such/screen`);
    await page.waitForFunction(() => window.consoleReady === true, null, { timeout: readyTimeoutMs });
    await waitForState(page, { route: '#/' });
    assert.equal(new URL(page.url()).hash, '#/');
    assert.equal(await page.evaluate(() => window.consoleScreen), 'overview');
    // The overview speaks to store owners, and says why it is offline.
    assert.equal((await textRect(page, 'overview_card_money_note')).text,
      'Mọi số tiền tính bằng đồng, không có số lẻ: giá, giảm giá và giá trị điểm.');
    assert.equal((await textRect(page, 'overview_card_mode_note')).text,
      'Không có máy chủ cửa hàng nào trả lời trang này: bản demo chạy trong trình duyệt');
  } finally {
    await context.close();
  }
});

test('on a 390 px phone the navigation is a menu, words are never cut letter by letter, and a tap opens the keyboard', async () => {
  const { context, page, problems } = await openConsole(harness,
    { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  try {
    await waitForState(page, { 'ui.navigation': 'menu', 'ui.words_broken': '0' });
    assert.equal(await page.evaluate(() => !!window.consoleTextRects.nav_members), false, 'the side navigation shows on a phone');
    // "1.000.000 ₫" on one line.
    const money = await textRect(page, 'overview_money_value');
    assert.ok(money.height < 40, `the money value wrapped (${money.height} px tall)`);
    await page.screenshot({ path: path.join(artifactDir, 'platform-phone-overview.png') });

    const menu = await textRect(page, 'navigation_menu_button');
    await page.touchscreen.tap(menu.x + menu.width / 2, menu.y + menu.height / 2);
    await waitForState(page, { 'ui.navigation': 'drawer_open' });
    await page.screenshot({ path: path.join(artifactDir, 'platform-phone-menu.png') });
    const program = await waitForText(page, 'nav_wallet_tiers');
    await page.touchscreen.tap(program.x + program.width / 2, program.y + program.height / 2);
    await waitForState(page, { route: '#/program', 'ui.navigation': 'menu', 'ui.words_broken': '0' });
    await page.screenshot({ path: path.join(artifactDir, 'platform-phone-program.png') });

    // A finger dragged up scrolls the screen (ImGui itself only knows wheels), and what it
    // touched first is not clicked.
    const rulesBefore = await textRect(page, 'preview_rules_heading');
    const cdp = await context.newCDPSession(page);
    const touch = (type, y) => cdp.send('Input.dispatchTouchEvent',
      { type, touchPoints: type === 'touchEnd' ? [] : [{ x: 200, y }] });
    await touch('touchStart', 600);
    for (let y = 580; y >= 300; y -= 20) await touch('touchMove', y);
    await touch('touchEnd', 300);
    await page.waitForFunction((top) => (window.consoleTextRects?.preview_rules_heading?.y ?? top) < top - 150,
      rulesBefore.y, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.consoleState['route']), '#/program', 'the drag clicked something');
    await page.screenshot({ path: path.join(artifactDir, 'platform-phone-scrolled.png') });
    // Back to the top for the field.
    await touch('touchStart', 200);
    for (let y = 220; y <= 800; y += 20) await touch('touchMove', y);
    await touch('touchEnd', 800);
    await page.waitForFunction((top) => Math.abs((window.consoleTextRects?.preview_rules_heading?.y ?? 0) - top) < 2,
      rulesBefore.y, { timeout: 10_000 });

    // A tap into a field gives the text agent the focus: what opens a phone's keyboard.
    const field = await inputRect(page, 'preview_amount_vnd');
    await page.touchscreen.tap(field.x + field.width / 2, field.y + field.height / 2);
    await page.waitForFunction(() => window.consoleInputs?.preview_amount_vnd?.focused === true, null, { timeout: 10_000 });
    await page.waitForFunction(() => document.activeElement?.id === 'text-agent', null, { timeout: 10_000 });
    // The agent sits at the field's caret, where the keyboard's suggestions appear.
    const agent = await page.evaluate(() => document.getElementById('text-agent').getBoundingClientRect().toJSON());
    assert.ok(agent.top >= field.y - 4 && agent.top <= field.y + field.height, `agent at y ${agent.top}, field at ${field.y}`);
    assert.ok(agent.left >= field.x && agent.left <= field.x + field.width, `agent at x ${agent.left}, field at ${field.x}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('Tab reaches the controls in reading order with a visible ring; Enter and Space use them', async () => {
  const { context, page, problems } = await openConsole(harness);
  try {
    const focus = async () => page.evaluate(() => window.consoleState?.['focus.rect'] ?? null);
    const rings = [];
    for (let press = 0; press < 4; press++) {
      const before = await focus();
      await page.keyboard.press('Tab', { delay: keyHoldMs });
      await page.waitForFunction((previous) => {
        const now = window.consoleState?.['focus.rect'];
        return !!now && now !== previous;
      }, before, { timeout: 10_000 });
      rings.push(await focus());
    }
    assert.equal(new Set(rings).size, 4, `Tab did not move to a new control each time: ${rings.join(' | ')}`);
    // The ring is drawn, in the brand colour.
    const [x, y, width, height] = rings[3].split(',').map(Number);
    const image = decodePng(await page.screenshot({ clip: { x, y, width, height } }));
    let brandPixels = 0;
    for (let index = 0; index < image.pixels.length; index += 4) {
      const [red, green, blue] = image.pixels.subarray(index, index + 3);
      if (Math.abs(red - 0x0f) < 40 && Math.abs(green - 0x76) < 40 && Math.abs(blue - 0x6e) < 40) brandPixels++;
    }
    assert.ok(brandPixels > 2 * (width + height), `no focus ring drawn (${brandPixels} brand pixels)`);
    // Shift+Tab goes back.
    await page.keyboard.press('Shift+Tab', { delay: keyHoldMs });
    await page.waitForFunction((previous) => window.consoleState?.['focus.rect'] === previous, rings[2], { timeout: 10_000 });

    // Tab on to the rule preview's navigation item, then Enter opens it.
    const program = await textRect(page, 'nav_wallet_tiers');
    const ringHolds = (ring, rect) => {
      if (!ring) return false;
      const [rx, ry, rw, rh] = ring.split(',').map(Number);
      return rx <= rect.x && ry <= rect.y && rx + rw >= rect.x + rect.width && ry + rh >= rect.y + rect.height;
    };
    for (let press = 0; press < 40 && !ringHolds(await focus(), program); press++) {
      const before = await focus();
      await page.keyboard.press('Tab', { delay: keyHoldMs });
      await page.waitForFunction((previous) => window.consoleState?.['focus.rect'] !== previous, before, { timeout: 10_000 });
    }
    assert.ok(ringHolds(await focus(), program), 'Tab never reached the navigation item');
    await page.keyboard.press('Enter', { delay: keyHoldMs });
    await waitForState(page, { route: '#/program' });

    // Tab reaches the calculator's first field, which then takes typing.
    for (let press = 0; press < 60; press++) {
      if (await page.evaluate(() => window.consoleInputs?.preview_amount_vnd?.focused === true)) break;
      await page.keyboard.press('Tab', { delay: keyHoldMs });
      await page.waitForFunction(() => !!window.consoleState?.['focus.rect'], null, { timeout: 10_000 });
    }
    await page.waitForFunction(() => window.consoleInputs?.preview_amount_vnd?.focused === true, null, { timeout: 10_000 });
    await page.keyboard.press('Control+A', { delay: keyHoldMs });
    await page.keyboard.type('3000000');
    await waitForInputText(page, 'preview_amount_vnd', '3000000');
    // Space toggles the referrer box once Tab is on it.
    for (let press = 0; press < 10; press++) {
      const ring = await focus();
      const box = await textRect(page, 'preview_has_referrer');
      if (ringHolds(ring, { x: box.x + 2, y: box.y + 2, width: 4, height: 4 })) break;
      await page.keyboard.press('Tab', { delay: keyHoldMs });
      await page.waitForFunction((previous) => window.consoleState?.['focus.rect'] !== previous, ring, { timeout: 10_000 });
    }
    await waitForState(page, { 'preview.has_referrer': 'true' });
    await page.keyboard.press('Space', { delay: keyHoldMs });
    await waitForState(page, { 'preview.has_referrer': 'false' });
    await page.screenshot({ path: path.join(artifactDir, 'platform-keyboard.png') });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('nothing is drawn while nothing happens; input wakes the console', async () => {
  const { context, page, problems } = await openConsole(harness);
  try {
    const frames = () => page.evaluate(() => window.consoleFramesDrawn);
    // Settled: a quiet second draws nothing. The demo store loads in the page first, drawing
    // while it does (longer on a busy machine): the console must go quiet within 10 s.
    let settled = await frames();
    for (let second = 0; second < 10; second++) {
      await page.waitForTimeout(1000);
      const now = await frames();
      if (now === settled) break;
      settled = now;
    }
    await page.waitForTimeout(1000);
    assert.equal(await frames(), settled, 'frames drawn while nothing happened');
    // The mouse wakes it, and it goes quiet again.
    await page.mouse.move(400, 300);
    await page.mouse.move(420, 320);
    await page.waitForFunction((count) => window.consoleFramesDrawn > count, settled, { timeout: 10_000 });
    await page.waitForTimeout(500);
    const after = await frames();
    await page.waitForTimeout(1000);
    assert.equal(await frames(), after, 'frames drawn after the mouse stopped');
    // A change of address outside the app wakes it too.
    await page.evaluate(() => { window.location.hash = '#/vouchers'; });
    await waitForState(page, { route: '#/vouchers' });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'vouchers');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// WCAG's contrast ratio of two sRGB colours.
function contrastRatio(first, second) {
  const luminance = ([red, green, blue]) => {
    const linear = (channel) => {
      const value = channel / 255;
      return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}

test('body text keeps a contrast of at least 4.5:1 with its background, notes included', async () => {
  const { context, page, problems } = await openAt('#/program', { deviceScaleFactor: 2 });
  try {
    // Muted and faint notes, on white panels and on the app's background.
    for (const id of ['preview_point_value_note', 'preview_calculator_subtitle', 'preview_program_heading',
                      'preview_order_section']) {
      const rect = await textRect(page, id);
      const image = decodePng(await page.screenshot({ clip: { x: rect.x, y: rect.y, width: rect.width, height: rect.height } }));
      // The background is the most common colour; the ink is the pixel farthest from it
      // (the core of a stroke, where anti-aliasing leaves the text's own colour).
      const counts = new Map();
      for (let index = 0; index < image.pixels.length; index += 4) {
        const key = image.pixels.readUInt32BE(index);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const backgroundKey = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
      const background = [backgroundKey >>> 24, (backgroundKey >>> 16) & 255, (backgroundKey >>> 8) & 255];
      let best = 1;
      for (let index = 0; index < image.pixels.length; index += 4) {
        best = Math.max(best, contrastRatio(background, [...image.pixels.subarray(index, index + 3)]));
      }
      assert.ok(best >= 4.5, `${id}: contrast ${best.toFixed(2)}:1 with its background`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
