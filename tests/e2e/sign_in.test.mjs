// Browser tests of the console in connected mode: served by the real loyalty-server with the
// demo store (as `make run` starts it), the console asks staff to sign in, shows the demo's
// accounts, and once signed in says which store and role it works as, across a reload,
// until signing out. (console.test.mjs covers the offline mode, on a static host.)
//
//   node --test --test-reporter=spec tests/e2e/sign_in.test.mjs
//   LOYALTY_SERVER=build/x/bin/loyalty-server LOYALTY_WEB_ROOT=build/x-web node --test ...
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  artifactDir, clickRect, consoleState, inkPixels, inputRect, openConsole, reloadConsole, repoDir,
  screenshotRect, startConsoleHarness, textRect, typeInto, waitForState, waitForText,
} from './console_page.mjs';

const owner = { email: 'chu@demo.vn', password: 'demo-chu-cua-hang' };
const signInPath = '/api/v1/auth/sign-in';

let harness;

before(async () => {
  harness = await startConsoleHarness({
    host: 'server', demoStore: path.join(repoDir, 'assets', 'demo_store.jsonl'),
  });
});

after(async () => {
  await harness?.stop();
});

async function hasText(page, id) {
  return page.evaluate((key) => !!window.consoleTextRects?.[key], id);
}

async function assertNoMissingGlyphs(page) {
  const missing = await page.evaluate(() => window.consoleMissingCodepoints);
  assert.deepEqual(missing, [], 'glyphs missing from the font');
}

// Opens the console and waits for its sign-in screen, demo note included.
async function openSignIn() {
  const opened = await openConsole(harness);
  await waitForState(opened.page, { 'session.mode': 'signed_out' });
  assert.equal(await opened.page.evaluate(() => window.consoleScreen), 'sign_in');
  await waitForText(opened.page, 'demo_account_0');
  return opened;
}

async function signIn(page, { email, password }) {
  await typeInto(page, 'sign_in_email', email);
  await typeInto(page, 'sign_in_password', password, { masked: true });
  await clickRect(page, await textRect(page, 'sign_in_button'));
}

test('served by the server with the demo store, the console asks for sign-in and shows the demo accounts', async () => {
  const { context, page, problems, apiRefusals } = await openSignIn();
  try {
    assert.equal((await textRect(page, 'sign_in_heading')).text, 'Đăng nhập');
    assert.equal((await textRect(page, 'mode_banner')).text,
      'Đã kết nối máy chủ cửa hàng. Hãy đăng nhập để làm việc với cửa hàng của bạn.');
    assert.equal((await textRect(page, 'connected_badge')).text, 'Đã kết nối');
    assert.equal(await hasText(page, 'offline_badge'), false, 'says "offline" although a server answered');
    // Nothing behind the sign-in screen is open yet: no navigation.
    assert.equal(await hasText(page, 'nav_members'), false, 'the navigation shows before signing in');

    // The demo note: the store, and every account with its documented password and role.
    assert.equal((await textRect(page, 'demo_note_heading')).text, 'Máy chủ này chạy cửa hàng demo: Cửa hàng demo');
    assert.equal((await textRect(page, 'demo_account_0')).text, 'Chủ cửa hàng · chu@demo.vn · demo-chu-cua-hang');
    assert.equal((await textRect(page, 'demo_account_1')).text, 'Tiếp thị · marketing@demo.vn · demo-tiep-thi');
    assert.equal((await textRect(page, 'demo_account_2')).text, 'Hỗ trợ khách hàng · hotro@demo.vn · demo-ho-tro');
    assert.ok(inkPixels(await screenshotRect(page, await textRect(page, 'demo_account_0'))) > 100,
      'no ink where the owner\'s demo account is drawn');
    await assertNoMissingGlyphs(page);
    await page.screenshot({ path: path.join(artifactDir, 'sign-in.png') });

    // English on request, the note included.
    await clickRect(page, await textRect(page, 'language_english'));
    await waitForText(page, 'sign_in_heading', 'Sign in');
    assert.equal((await textRect(page, 'demo_note_heading')).text, 'This server runs the demo store: Cửa hàng demo');
    assert.equal((await textRect(page, 'demo_account_0')).text, 'Owner · chu@demo.vn · demo-chu-cua-hang');

    // Clicking an account fills the form with it (the password field shows only stars).
    await clickRect(page, await textRect(page, 'demo_account_1'));
    await page.waitForFunction(() => window.consoleInputs?.sign_in_email?.text === 'marketing@demo.vn', null, { timeout: 10_000 });
    assert.equal((await inputRect(page, 'sign_in_password')).text, '*'.repeat('demo-tiep-thi'.length));

    // The one expected refusal: "nobody is signed in" when the console asked.
    assert.deepEqual(apiRefusals, ['401 /api/v1/auth/me']);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('signing in as the owner names the store and the role, survives a reload, and signing out ends the session', async () => {
  const { context, page, problems, apiRefusals } = await openSignIn();
  try {
    await signIn(page, owner);
    // The password never reaches the test hooks; the field reports stars only.
    const inputs = await page.evaluate(() => JSON.stringify(window.consoleInputs));
    assert.ok(!inputs.includes(owner.password), 'the password is readable from the page\'s test hooks');

    await waitForState(page, {
      'session.mode': 'signed_in', 'session.email': owner.email, 'session.store_id': 'cua-hang-demo',
      'session.store_name': 'Cửa hàng demo', 'session.role': 'owner',
    });
    await page.waitForFunction(() => window.consoleScreen === 'overview', null, { timeout: 10_000 });
    const banner = await waitForText(page, 'mode_banner',
      'Đã kết nối · Cửa hàng: Cửa hàng demo · Vai trò: Chủ cửa hàng · chu@demo.vn');
    assert.ok(inkPixels(await screenshotRect(page, banner)) > 200, 'no ink where the banner is drawn');
    assert.equal((await textRect(page, 'sign_out_button')).text, 'Đăng xuất');
    assert.equal((await textRect(page, 'overview_mode_value')).text, 'Đã kết nối');
    assert.equal((await textRect(page, 'overview_card_mode_connected_note')).text, 'Cửa hàng: Cửa hàng demo');
    assert.equal(await hasText(page, 'overview_offline_note'), false, 'the overview still says "offline demo"');
    assert.equal(await hasText(page, 'sign_in_heading'), false);
    // The example program's preview says it is not the store's.
    await clickRect(page, await textRect(page, 'nav_wallet_tiers'));
    await waitForText(page, 'preview_connected_note',
      'Bản xem thử này dùng chương trình mẫu, chưa phải chương trình của cửa hàng Cửa hàng demo.');
    await assertNoMissingGlyphs(page);
    await page.screenshot({ path: path.join(artifactDir, 'signed-in.png') });

    // The session is the server's HttpOnly, SameSite=Strict cookie: the page cannot read it.
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === 'loyalty_session');
    assert.ok(session, `no session cookie among ${cookies.map((cookie) => cookie.name)}`);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.ok(!(await page.evaluate(() => document.cookie)).includes('loyalty_session'));

    // A reload goes straight in: the console asks who is signed in, and it is still the owner,
    // on the screen the address names.
    await reloadConsole(page);
    assert.equal(await page.evaluate(() => window.consoleScreen), 'wallet_tiers');
    assert.equal(new URL(page.url()).hash, '#/program');
    const state = await consoleState(page);
    assert.equal(state['session.mode'], 'signed_in');
    assert.equal(state['session.role'], 'owner');
    assert.equal(state['session.store_name'], 'Cửa hàng demo');
    assert.equal(await hasText(page, 'sign_in_heading'), false, 'the sign-in screen showed after a reload');

    // In English the banner says the same.
    await clickRect(page, await textRect(page, 'language_english'));
    await waitForText(page, 'mode_banner', 'Connected · Store: Cửa hàng demo · Role: Owner · chu@demo.vn');

    // Signing out: back to the sign-in screen, with the password gone, and the server agrees.
    await clickRect(page, await textRect(page, 'sign_out_button'));
    await waitForState(page, { 'session.mode': 'signed_out' });
    await page.waitForFunction(() => window.consoleScreen === 'sign_in', null, { timeout: 10_000 });
    assert.equal((await inputRect(page, 'sign_in_password')).text, '');
    assert.equal((await inputRect(page, 'sign_in_email')).text, owner.email, 'the email is kept for the next sign-in');
    assert.equal(await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status), 401);
    await reloadConsole(page);
    assert.equal((await consoleState(page))['session.mode'], 'signed_out');

    // Expected refusals only: nobody signed in at the first load, after signing out (our own
    // check), and at the last reload.
    assert.deepEqual(apiRefusals, ['401 /api/v1/auth/me', '401 /api/v1/auth/me', '401 /api/v1/auth/me']);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a link shared while signed out opens its screen once signed in', async () => {
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${harness.server.baseUrl}/#/program`);
    await page.waitForFunction(() => window.consoleReady === true, null, { timeout: 60_000 });
    await waitForState(page, { 'session.mode': 'signed_out' });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'sign_in');
    assert.equal(new URL(page.url()).hash, '#/program', 'the sign-in screen lost the link');
    await signIn(page, owner);
    await waitForState(page, { 'session.mode': 'signed_in', route: '#/program' });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'wallet_tiers');
  } finally {
    await context.close();
  }
});

test('a wrong password shows the server\'s message in Vietnamese and English; empty fields are caught first', async () => {
  const { context, page, problems, apiRefusals } = await openSignIn();
  const signInRequests = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === signInPath) signInRequests.push(request.method());
  });
  try {
    // Empty fields: the console says what is missing and asks the server nothing.
    await clickRect(page, await textRect(page, 'sign_in_button'));
    await waitForText(page, 'sign_in_email_error', 'Hãy nhập email.');
    assert.equal((await textRect(page, 'sign_in_password_error')).text, 'Hãy nhập mật khẩu.');
    assert.deepEqual(signInRequests, []);

    await signIn(page, { email: owner.email, password: 'not-the-password' });
    const error = await waitForText(page, 'sign_in_error', 'Email hoặc mật khẩu không đúng.');
    assert.ok(inkPixels(await screenshotRect(page, error)) > 100, 'no ink where the error is drawn');
    const state = await consoleState(page);
    assert.equal(state['sign_in.error_code'], 'invalid_credentials');
    assert.equal(state['session.mode'], 'signed_out');
    assert.equal(await hasText(page, 'sign_in_email_error'), false, 'the fixed field still shows its error');
    assert.deepEqual(signInRequests, ['POST']);
    await page.screenshot({ path: path.join(artifactDir, 'sign-in-refused.png') });

    await clickRect(page, await textRect(page, 'language_english'));
    await waitForText(page, 'sign_in_error', 'The email or the password is wrong.');
    await assertNoMissingGlyphs(page);

    // The server's field messages go under their field: an address that cannot be an email.
    await typeInto(page, 'sign_in_email', 'not an email');
    await clickRect(page, await textRect(page, 'sign_in_button'));
    await waitForState(page, { 'sign_in.error_code': 'invalid_fields' });
    assert.equal((await textRect(page, 'sign_in_error')).text, 'Some fields are not valid.');
    assert.ok((await textRect(page, 'sign_in_email_error')).text.length > 0, 'no message under the email field');

    assert.deepEqual(apiRefusals, ['401 /api/v1/auth/me', `401 ${signInPath}`, `422 ${signInPath}`]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
