// Browser tests of the owner's screens and of the session around them, on the real server
// with the demo store: the audit log shows an adjustment just made, with its reason; the
// owner adds a support account, who signs in and does not see the owner's screens; an API
// key is created, its secret copied, used, and revoked (then the API says 401); an account
// of two stores chooses one after sign-in and switches later; a session that ends while
// staff type returns to sign-in and, signed in again, the same screen has the text back.
//
//   node --test --test-reporter=spec tests/e2e/owner_screens.test.mjs
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  artifactDir, clickRect, consoleState, openConsole, repoDir, startConsoleHarness, textRect, typeInto,
  waitForState, waitForText,
} from './console_page.mjs';

const owner = { email: 'chu@demo.vn', password: 'demo-chu-cua-hang' };
const support = { email: 'hotro@demo.vn', password: 'demo-ho-tro' };
const storeId = 'cua-hang-demo';
const viewport = { width: 1280, height: 1000 };
const ownerScreens = ['nav_audit_log', 'nav_staff_accounts', 'nav_api_keys'];

let harness;
before(async () => {
  harness = await startConsoleHarness({ host: 'server', demoStore: path.join(repoDir, 'assets', 'demo_store.jsonl') });
});
after(async () => { await harness?.stop(); });

// [SECTION] Steps ----------------------------------------------------------------------------------
async function drawn(page, id) {
  return page.evaluate((key) => window.consoleTextRects?.[key] ?? window.consoleInputs?.[key] ?? null, id);
}

// Waits until `id` is drawn and scrolls the screen until it is in view; returns where it is.
async function reveal(page, id) {
  await page.waitForFunction((key) => !!(window.consoleTextRects?.[key] || window.consoleInputs?.[key]), id, { timeout: 15_000 })
    .catch(async () => {
      await page.screenshot({ path: path.join(artifactDir, `owner-failed-${id}.png`) });
      throw new Error(`nothing drawn as "${id}" on ${await page.evaluate(() => window.consoleScreen)}`);
    });
  // The program editor is long (every rule of the program): up to 80 turns of the wheel.
  for (let attempt = 0; attempt < 80; attempt++) {
    const rect = await drawn(page, id);
    // The bars (the banner's buttons, the navigation) never scroll; the screen beside them does.
    const inBars = rect.y + rect.height <= 110 || rect.x < 248;
    if (inBars || (rect.y >= 110 && rect.y + rect.height <= viewport.height - 8)) return rect;
    await page.mouse.move(viewport.width / 2, viewport.height / 2);
    await page.mouse.wheel(0, rect.y < 110 ? -240 : 240);
    await page.waitForTimeout(60);
  }
  throw new Error(`"${id}" stays out of view`);
}

async function click(page, id) {
  await clickRect(page, await reveal(page, id));
}

async function type(page, id, text) {
  await reveal(page, id);
  await typeInto(page, id, text);
}

async function signIn(page, { email, password }) {
  await waitForState(page, { 'session.mode': 'signed_out' });
  await typeInto(page, 'sign_in_email', email);
  await typeInto(page, 'sign_in_password', password, { masked: true });
  await clickRect(page, await textRect(page, 'sign_in_button'));
}

async function openAddress(page, address) {
  await page.evaluate((hash) => { window.location.hash = hash; }, address);
  await page.waitForFunction((hash) => window.consoleState?.route === hash, address, { timeout: 15_000 });
}

// The API as a till would call it, with a key or a session.
async function api(method, route, { key, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${harness.server.baseUrl}${route}`, { method, headers, body: body && JSON.stringify(body) });
  return { status: response.status, body: await response.json().catch(() => null) };
}

// Ends the browser's session from another client, as signing out on another device does.
async function endSessionElsewhere(context) {
  const cookie = (await context.cookies()).map((entry) => `${entry.name}=${entry.value}`).join('; ');
  const me = await fetch(`${harness.server.baseUrl}/api/v1/auth/me`, { headers: { cookie } });
  assert.equal(me.status, 200, 'the session is live before it is ended');
  const { csrf_token: csrfToken } = await me.json();
  const signOut = await fetch(`${harness.server.baseUrl}/api/v1/auth/sign-out`,
    { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
  assert.ok([200, 204].includes(signOut.status), `sign-out elsewhere answered ${signOut.status}`);
}

function operator(...args) {
  execFileSync(harness.server.binary, [args[0], '--database', harness.server.databasePath, ...args.slice(1)], { stdio: 'pipe' });
}

// [SECTION] Journeys ------------------------------------------------------------------------------------
test('the owner sees an adjustment just made in the audit log: when, who, what and why', async () => {
  const { context, page, problems } = await openConsole(harness, { viewport });
  try {
    await signIn(page, owner);
    await waitForState(page, { 'session.mode': 'signed_in', 'session.role': 'owner' });
    for (const id of ownerScreens) assert.ok(await drawn(page, id), `the owner has no "${id}" in the navigation`);

    await openAddress(page, '#/members/KH00001');
    await waitForState(page, { 'profile.member_id': 'KH00001' });
    const before = Number((await consoleState(page))['profile.points']);
    const reason = 'Bu diem don DH9 do may POS loi';
    await type(page, 'profile_adjust_points', '15');
    await type(page, 'profile_reason', reason);
    await click(page, 'profile_adjust_button');
    await click(page, 'confirm_yes');
    await waitForState(page, { 'profile.points': String(before + 15) });

    await click(page, 'nav_audit_log');
    await waitForState(page, { route: '#/audit' });
    await waitForText(page, 'audit_row_0_reason', reason);
    assert.equal((await textRect(page, 'audit_row_0_who')).text, owner.email);
    assert.equal((await textRect(page, 'audit_row_0_what')).text, 'Điều chỉnh điểm · member:KH00001 · +15');
    // dd/MM/yyyy HH:mm in the store's zone (Asia/Ho_Chi_Minh, UTC+7), the minute of the log's entry.
    const when = (await textRect(page, 'audit_row_0_when')).text;
    assert.match(when, /^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
    await page.screenshot({ path: path.join(artifactDir, 'owner-audit-log.png') });
    assert.deepEqual(problems, [], problems.join('; '));
  } catch (error) {
    await page.screenshot({ path: path.join(artifactDir, 'owner-failed-audit.png') }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
});

test('the owner adds a support account, who signs in and does not see the owner\'s screens', async () => {
  const email = 'nhanvien.moi@demo.vn';
  const password = 'mat-khau-ban-dau-12';
  {
    const { context, page, problems } = await openConsole(harness, { viewport });
    try {
      await signIn(page, owner);
      await waitForState(page, { 'session.role': 'owner' });
      await click(page, 'nav_staff_accounts');
      await waitForState(page, { route: '#/staff' });
      await page.waitForFunction(() => Number(window.consoleState?.['staff.count']) >= 3, null, { timeout: 15_000 });
      const count = Number((await consoleState(page))['staff.count']);
      await type(page, 'staff_email', email);
      await type(page, 'staff_name', 'Tran Thi Moi');
      await type(page, 'staff_password', password);
      // The role picker starts at support, the role most often added.
      assert.equal((await textRect(page, 'staff_new_role')).text, 'Hỗ trợ khách hàng');
      await click(page, 'staff_add_button');
      await waitForText(page, 'staff_added');
      await waitForState(page, { 'staff.count': String(count + 1) });
      assert.equal((await textRect(page, `staff_${email}_role`)).text, 'Hỗ trợ khách hàng');
      await page.screenshot({ path: path.join(artifactDir, 'owner-staff.png') });
      assert.deepEqual(problems, [], problems.join('; '));
    } finally {
      await context.close();
    }
  }
  const { context, page, problems, apiRefusals } = await openConsole(harness, { viewport });
  try {
    await signIn(page, { email, password });
    await waitForState(page, { 'session.mode': 'signed_in', 'session.role': 'support' });
    await waitForText(page, 'nav_members');
    for (const id of ownerScreens) assert.equal(await drawn(page, id), null, `support sees "${id}"`);
    // An owner's address typed by hand: the screen says who may see it, and asks the server nothing.
    await openAddress(page, '#/audit');
    await waitForText(page, 'owner_not_allowed', 'Chỉ chủ cửa hàng xem được mục này.');
    assert.deepEqual(apiRefusals.filter((line) => line.includes('/audit-log')), []);
    assert.deepEqual(problems, [], problems.join('; '));
  } finally {
    await context.close();
  }
});

test('the owner creates an API key, copies its secret once, and revokes it: the key then gets 401', async () => {
  const { context, page, problems } = await openConsole(harness, { viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.server.baseUrl });
  try {
    await signIn(page, owner);
    await waitForState(page, { 'session.role': 'owner' });
    await click(page, 'nav_api_keys');
    await waitForState(page, { route: '#/api-keys' });
    await type(page, 'keys_name', 'may-pos-quay-1');
    // orders and lookups are ticked for a till; holds too.
    await click(page, 'keys_scope_holds');
    await click(page, 'keys_create_button');
    await waitForState(page, { 'keys.secret_shown': '1' });
    const secret = (await textRect(page, 'keys_secret')).text;
    assert.ok(secret.length >= 20, `a key of some length: ${secret}`);
    await click(page, 'keys_copy');
    await page.waitForFunction(async (wanted) => (await navigator.clipboard.readText()) === wanted, secret, { timeout: 10_000 });
    assert.equal((await textRect(page, 'key_may-pos-quay-1_scopes')).text, 'orders, holds, lookups');
    await page.screenshot({ path: path.join(artifactDir, 'owner-api-key.png') });

    // The till uses it: a lookup by phone.
    const lookup = `/api/v1/stores/${storeId}/members/lookup?phone=0910007919`;
    assert.equal((await api('GET', lookup, { key: secret })).status, 200);

    await click(page, 'keys_secret_done');
    await waitForState(page, { 'keys.secret_shown': '0' });
    assert.equal(await drawn(page, 'keys_secret'), null, 'the secret is shown again');
    await click(page, 'keys_revoke_may-pos-quay-1');
    await waitForText(page, 'keys_revoke_question');
    await click(page, 'keys_revoke_confirm');
    await page.waitForFunction(() => /^Đã thu hồi /.test(window.consoleTextRects?.['key_may-pos-quay-1_state']?.text ?? ''),
      null, { timeout: 15_000 });
    assert.equal((await api('GET', lookup, { key: secret })).status, 401);
    assert.deepEqual(problems, [], problems.join('; '));
  } catch (error) {
    await page.screenshot({ path: path.join(artifactDir, 'owner-failed-api-key.png') }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
});

test('staff of two stores choose one after sign-in and switch later; the banner names store, role and mode', async () => {
  operator('create-store', '--id', 'chi-nhanh-ha-noi', '--name', 'Chi nhánh Hà Nội');
  operator('grant-role', '--email', support.email, '--store', 'chi-nhanh-ha-noi', '--role', 'owner');
  const { context, page, problems } = await openConsole(harness, { viewport });
  try {
    await signIn(page, support);
    await waitForState(page, { 'session.mode': 'signed_in', 'session.stores': '2' });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'store_chooser');
    await waitForText(page, 'stores_heading', 'Chọn cửa hàng');
    assert.equal((await textRect(page, 'mode_banner')).text, `Đã kết nối · ${support.email} · Hãy chọn cửa hàng để làm việc`);
    assert.equal(await drawn(page, 'nav_members'), null, 'the navigation shows before a store is chosen');
    await page.screenshot({ path: path.join(artifactDir, 'owner-store-chooser.png') });
    await click(page, `store_choice_${storeId}`);
    await waitForState(page, { 'session.store_id': storeId, 'session.role': 'support' });
    assert.equal((await textRect(page, 'mode_banner')).text,
      `Đã kết nối · Cửa hàng: Cửa hàng demo · Vai trò: Hỗ trợ khách hàng · ${support.email}`);
    for (const id of ownerScreens) assert.equal(await drawn(page, id), null, `support sees "${id}"`);
    await openAddress(page, '#/members/KH00001');
    await waitForState(page, { 'profile.member_id': 'KH00001' });

    // Switch: the other store, where this account is the owner.
    await click(page, 'stores_switch');
    await waitForText(page, 'stores_heading');
    await click(page, 'store_choice_chi-nhanh-ha-noi');
    await waitForState(page, { 'session.store_id': 'chi-nhanh-ha-noi', 'session.role': 'owner' });
    assert.equal((await textRect(page, 'mode_banner')).text,
      `Đã kết nối · Cửa hàng: Chi nhánh Hà Nội · Vai trò: Chủ cửa hàng · ${support.email}`);
    await waitForText(page, 'nav_audit_log');
    // The first store's member is not looked up in the other store: the overview opens.
    await waitForState(page, { route: '#/' });
    // A reload keeps the store chosen in this tab.
    await page.reload();
    await page.waitForFunction(() => window.consoleReady === true, null, { timeout: 60_000 });
    await waitForState(page, { 'session.store_id': 'chi-nhanh-ha-noi' });
    await page.screenshot({ path: path.join(artifactDir, 'owner-store-switched.png') });
    assert.deepEqual(problems, [], problems.join('; '));
  } catch (error) {
    await page.screenshot({ path: path.join(artifactDir, 'owner-failed-stores.png') }).catch(() => {});
    throw new Error(`${error.message}\n${JSON.stringify(await consoleState(page).catch(() => null))}`);
  } finally {
    await context.close();
  }
});

test('a session that ends while staff type returns to sign-in, and the text is still there after signing in', async () => {
  const { context, page, problems } = await openConsole(harness, { viewport });
  try {
    await signIn(page, owner);
    await waitForState(page, { 'session.role': 'owner' });
    await openAddress(page, '#/members/KH00001');
    await waitForState(page, { 'profile.member_id': 'KH00001' });
    const before = Number((await consoleState(page))['profile.points']);
    const reason = 'Khach phan nan don DH77 thieu diem';
    await type(page, 'profile_adjust_points', '30');
    await type(page, 'profile_reason', reason);

    await endSessionElsewhere(context);
    // The next request (the adjustment) hears 401: back to sign-in, nothing changed.
    await click(page, 'profile_adjust_button');
    await click(page, 'confirm_yes');
    await waitForState(page, { 'session.mode': 'signed_out' });
    assert.equal(await page.evaluate(() => window.consoleScreen), 'sign_in');
    await page.screenshot({ path: path.join(artifactDir, 'owner-session-ended.png') });
    const points = await api('GET', `/api/v1/stores/${storeId}/members/KH00001`);
    assert.equal(points.status, 401, 'the API without a session');

    await signIn(page, owner);
    await waitForState(page, { 'session.mode': 'signed_in', route: '#/members/KH00001' });
    await waitForState(page, { 'profile.member_id': 'KH00001', 'profile.points': String(before) });
    assert.equal((await drawn(page, 'profile_reason')).text, reason);
    assert.equal((await drawn(page, 'profile_adjust_points')).text, '30');
    await page.screenshot({ path: path.join(artifactDir, 'owner-session-back.png') });
    assert.deepEqual(problems, [], problems.join('; '));
  } finally {
    await context.close();
  }
});

test('offline, the owner\'s screens say plainly that they need the store\'s server', async () => {
  const offline = await startConsoleHarness({ host: 'static' });
  try {
    const { context, page, problems } = await openConsole(offline, { viewport });
    try {
      await waitForState(page, { 'session.mode': 'offline' });
      const needsServer = 'Mục này cần kết nối với máy chủ của cửa hàng: bản demo ngoại tuyến không có tài khoản nhân viên, khóa API hay nhật ký.';
      for (const [navigation, refusal, route] of [['nav_audit_log', 'audit_refusal', '#/audit'],
        ['nav_staff_accounts', 'staff_refusal', '#/staff'], ['nav_api_keys', 'keys_refusal', '#/api-keys']]) {
        await click(page, navigation);
        await waitForState(page, { route });
        await waitForText(page, refusal, needsServer);
      }
      await page.screenshot({ path: path.join(artifactDir, 'owner-offline.png') });
      assert.deepEqual(problems, [], problems.join('; '));
    } finally {
      await context.close();
    }
  } finally {
    await offline.stop();
  }
});

test('a session that ends while the owner edits the program keeps the draft through signing in again', async () => {
  const { context, page, problems } = await openConsole(harness, { viewport });
  try {
    await signIn(page, owner);
    await waitForState(page, { 'session.role': 'owner' });
    await click(page, 'nav_wallet_tiers');
    await click(page, 'program_tab_edit');
    await type(page, 'program_field_wallet_buyer_earn_rate_bp', '3');
    await waitForState(page, { 'program.unsaved': 'yes', 'program.example': 'Đơn 1.000.000 ₫ được 30 điểm' });
    const route = (await consoleState(page)).route;

    await endSessionElsewhere(context);
    await waitForState(page, { 'program.problems': '0' });
    await click(page, 'program_save_button');   // answered 401: nothing saved
    await waitForState(page, { 'session.mode': 'signed_out' });

    await signIn(page, owner);
    await waitForState(page, { 'session.mode': 'signed_in', route });
    await waitForState(page, { 'program.unsaved': 'yes', 'program.example': 'Đơn 1.000.000 ₫ được 30 điểm' });
    assert.equal((await drawn(page, 'program_field_wallet_buyer_earn_rate_bp')).text, '3');
    // The version in force is still the first: the save before the sign-in did not happen.
    const program = await fetch(`${harness.server.baseUrl}/api/v1/stores/${storeId}/program`,
      { headers: { cookie: (await context.cookies()).map((entry) => `${entry.name}=${entry.value}`).join('; ') } });
    assert.equal((await program.json()).data.version, 1);
    await page.screenshot({ path: path.join(artifactDir, 'owner-session-program-draft.png') });
    assert.deepEqual(problems, [], problems.join('; '));
  } finally {
    await context.close();
  }
});
