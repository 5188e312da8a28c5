// API tests of signing in, sessions, CSRF, roles, staff, API keys, the audit log and the
// operator's commands, against the real server on a temporary database.
//
//   NODE_PATH=/usr/share/nodejs node --test tests/api/auth.test.mjs
//   LOYALTY_SERVER=build/auth/bin/loyalty-server node --test tests/api/auth.test.mjs
//
// Passwords are hashed at libsodium's minimum cost here (LOYALTY_FAST_PASSWORD_HASH=1);
// the production cost is the same code with other numbers.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  makeTempDir, runToExit, startServer, sqlite, assertApiError, waitFor,
} from './server_harness.mjs';

const fastHashing = { LOYALTY_FAST_PASSWORD_HASH: '1' };

// ---------------------------------------------------------------- helpers

// Runs an operator's command; `input` is what it reads on standard input (the password).
function admin(args, input) {
  return runToExit(args, { env: fastHashing, input: input ?? '' });
}

async function adminOk(args, input) {
  const result = await admin(args, input);
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return result;
}

// One request; `auth` is { token } (bearer), { cookie, csrf } (the console) or nothing.
async function call(server, method, pathname, { body, rawBody, contentType, auth = {}, headers = {} } = {}) {
  const sent = { ...headers };
  if (auth.token) sent.Authorization = `Bearer ${auth.token}`;
  if (auth.cookie) sent.Cookie = `loyalty_session=${auth.cookie}`;
  if (auth.csrf) sent['X-CSRF-Token'] = auth.csrf;
  let payload;
  if (rawBody !== undefined) payload = rawBody;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) sent['Content-Type'] = contentType ?? 'application/json';
  const response = await fetch(server.url(pathname), { method, headers: sent, body: payload });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, json, text };
}

async function signIn(server, email, password) {
  const response = await call(server, 'POST', '/api/v1/auth/sign-in', { body: { email, password } });
  assert.equal(response.status, 200, `sign-in of ${email}: ${response.text}`);
  const cookie = /loyalty_session=([^;]*)/.exec(response.headers.get('set-cookie'))[1];
  return { token: response.json.token, cookie, csrf: response.json.csrf_token, body: response.json, headers: response.headers };
}

const bearer = (session) => ({ token: session.token });
const browser = (session) => ({ cookie: session.cookie, csrf: session.csrf });

// The error body without its request id, which differs on every answer.
function withoutRequestId(body) {
  const copy = structuredClone(body);
  delete copy.error.request_id;
  return copy;
}

// Creates stores and staff through the command line, as an operator would.
async function seed(databasePath) {
  const db = ['--database', databasePath];
  await adminOk(['create-store', ...db, '--id', 'shop-a', '--name', 'Cửa hàng A']);
  await adminOk(['create-store', ...db, '--id', 'shop-b', '--name', 'Cửa hàng B', '--time-zone', 'Asia/Bangkok']);
  const staff = [
    ['owner-a@shop.vn', 'Chủ A', 'shop-a', 'owner'],
    ['marketing-a@shop.vn', 'Tiếp thị A', 'shop-a', 'marketing'],
    ['support-a@shop.vn', 'Hỗ trợ A', 'shop-a', 'support'],
    ['owner-b@shop.vn', 'Chủ B', 'shop-b', 'owner'],
  ];
  for (const [email, name, store, role] of staff) {
    await adminOk(['create-staff', ...db, '--email', email, '--name', name, '--store', store, '--role', role], `${passwordOf(email)}\n`);
  }
}
const passwordOf = (email) => `mật-khẩu ${email}`;

// ---------------------------------------------------------------- one shared server

let shared;
const sessions = {};
const sharedCleanups = [];
const sharedContext = { after: (fn) => { sharedCleanups.push(fn); } };

before(async () => {
  const baseDir = makeTempDir(sharedContext);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seed(databasePath);
  shared = await startServer(sharedContext, { baseDir, databasePath, env: fastHashing });
  for (const email of ['owner-a@shop.vn', 'marketing-a@shop.vn', 'support-a@shop.vn', 'owner-b@shop.vn']) {
    sessions[email.split('@')[0]] = await signIn(shared, email, passwordOf(email));
  }
});

after(async () => {
  for (const cleanup of sharedCleanups.reverse()) await cleanup();
});

// ---------------------------------------------------------------- the operator's commands

test('create-store adds a store, refuses a duplicate (exit 1) and a bad id (exit 2)', async (t) => {
  const databasePath = path.join(makeTempDir(t), 'cli.db');
  const created = await adminOk(['create-store', '--database', databasePath, '--id', 'cafe-1', '--name', 'Cà phê Một']);
  assert.match(created.stdout, /cafe-1/);
  assert.equal(sqlite(databasePath, "SELECT id || '|' || name || '|' || time_zone FROM stores"), 'cafe-1|Cà phê Một|Asia/Ho_Chi_Minh');
  const duplicate = await admin(['create-store', '--database', databasePath, '--id', 'cafe-1', '--name', 'Khác']);
  assert.equal(duplicate.code, 1);
  assert.match(duplicate.stderr, /already exists/);
  for (const args of [
    ['--id', 'Có Dấu', '--name', 'x'],
    ['--id', '-x', '--name', 'x'],
    ['--name', 'no id'],
    ['--id', 'ok', '--name', 'x', '--time-zone', 'not a zone!'],
    ['--id', 'ok', '--name', 'x', '--colour', 'blue'],
  ]) {
    const refused = await admin(['create-store', '--database', databasePath, ...args]);
    assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
    assert.match(refused.stderr, /Usage: loyalty-server create-store/);
  }
  assert.equal(sqlite(databasePath, 'SELECT COUNT(*) FROM stores'), '1');
  assert.equal(sqlite(databasePath, "SELECT action || ' ' || actor FROM audit_log"), 'store.created operator');
});

test('create-staff reads the password from standard input and stores an Argon2id hash', async (t) => {
  const databasePath = path.join(makeTempDir(t), 'cli.db');
  await adminOk(['create-store', '--database', databasePath, '--id', 'shop', '--name', 'Shop']);
  const args = ['create-staff', '--database', databasePath, '--email', 'An@Shop.VN', '--name', 'Nguyễn Văn An', '--store', 'shop', '--role', 'support'];
  await adminOk(args, 'một mật khẩu dài\n');
  assert.equal(sqlite(databasePath, 'SELECT email FROM staff'), 'an@shop.vn', 'emails are kept in lower case');
  const hash = sqlite(databasePath, 'SELECT password_hash FROM staff');
  assert.match(hash, /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
  assert.ok(!hash.includes('một mật khẩu dài'));
  assert.equal(sqlite(databasePath, 'SELECT role FROM staff_roles'), 'support');

  const again = await admin(args, 'một mật khẩu dài\n');
  assert.equal(again.code, 1, 'an existing email is a failure');
  assert.match(again.stderr, /already exists/);
  const noStore = await admin([...args.slice(0, 4), 'x@shop.vn', '--name', 'X', '--store', 'nowhere', '--role', 'support'], 'password-long\n');
  assert.equal(noStore.code, 1);
  assert.match(noStore.stderr, /no store 'nowhere'/);
  const cases = [
    { change: ['--role', 'boss'], input: 'password-long\n', why: /--role/ },
    { change: [], input: '', why: /no password/ },
    { change: [], input: 'short\n', why: /at least 8/ },
    { change: ['--password', 'in-a-flag'], input: 'password-long\n', why: /unknown option '--password'/ },
  ];
  for (const { change, input, why } of cases) {
    const base = ['create-staff', '--database', databasePath, '--email', 'y@shop.vn', '--name', 'Y', '--store', 'shop', '--role', 'owner'];
    const withChange = change[0] === '--role' ? [...base.slice(0, -2), ...change] : [...base, ...change];
    const refused = await admin(withChange, input);
    assert.equal(refused.code, 2, `${withChange.join(' ')}: ${refused.stderr}`);
    assert.match(refused.stderr, why);
  }
  assert.equal(sqlite(databasePath, 'SELECT COUNT(*) FROM staff'), '1');
});

test('grant-role gives an existing account a role in another store, audited with before and after', async (t) => {
  const databasePath = path.join(makeTempDir(t), 'cli.db');
  const db = ['--database', databasePath];
  await adminOk(['create-store', ...db, '--id', 'one', '--name', 'One']);
  await adminOk(['create-store', ...db, '--id', 'two', '--name', 'Two']);
  await adminOk(['create-staff', ...db, '--email', 'an@shop.vn', '--name', 'An', '--store', 'one', '--role', 'support'], 'password-long\n');
  await adminOk(['grant-role', ...db, '--email', 'an@shop.vn', '--store', 'two', '--role', 'marketing']);
  await adminOk(['grant-role', ...db, '--email', 'AN@shop.vn', '--store', 'one', '--role', 'owner']);
  assert.equal(sqlite(databasePath, "SELECT store_id || ':' || role FROM staff_roles ORDER BY store_id").split('\n').join(' '), 'one:owner two:marketing');
  const entry = JSON.parse(sqlite(databasePath, "SELECT json_object('before', json(before_json), 'after', json(after_json)) FROM audit_log WHERE action = 'staff.role_granted' AND store_id = 'one'"));
  assert.equal(entry.before.role, 'support');
  assert.equal(entry.after.role, 'owner');
  const missing = await admin(['grant-role', ...db, '--email', 'nobody@shop.vn', '--store', 'one', '--role', 'owner']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no account/);
});

test('reset-password changes the password and ends the account\'s sessions', async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  const db = ['--database', databasePath];
  await adminOk(['create-store', ...db, '--id', 'shop', '--name', 'Shop']);
  await adminOk(['create-staff', ...db, '--email', 'an@shop.vn', '--name', 'An', '--store', 'shop', '--role', 'owner'], 'the-old-password\n');
  const server = await startServer(t, { baseDir, databasePath, env: fastHashing });
  const session = await signIn(server, 'an@shop.vn', 'the-old-password');
  assert.equal((await call(server, 'GET', '/api/v1/auth/me', { auth: bearer(session) })).status, 200);

  // While the server runs, as an operator would.
  await adminOk(['reset-password', ...db, '--email', 'an@shop.vn'], 'the-new-password\n');
  const me = await call(server, 'GET', '/api/v1/auth/me', { auth: bearer(session) });
  assert.equal(me.status, 401);
  assertApiError(me.json, 'unauthenticated');
  const old = await call(server, 'POST', '/api/v1/auth/sign-in', { body: { email: 'an@shop.vn', password: 'the-old-password' } });
  assert.equal(old.status, 401);
  await signIn(server, 'an@shop.vn', 'the-new-password');
  assert.equal(sqlite(databasePath, "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.password_reset'"), '1');
  const unknown = await admin(['reset-password', ...db, '--email', 'nobody@shop.vn'], 'the-new-password\n');
  assert.equal(unknown.code, 1);
});

test('backup copies the database while the server runs; the restored copy has the same rows and serves sign-in', { timeout: 120_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seed(databasePath);
  const server = await startServer(t, { baseDir, databasePath, env: fastHashing });
  const owner = await signIn(server, 'owner-a@shop.vn', passwordOf('owner-a@shop.vn'));
  const key = await call(server, 'POST', '/api/v1/stores/shop-a/api-keys', { auth: bearer(owner), body: { name: 'quầy 1', scopes: ['orders'] } });
  assert.equal(key.status, 201);

  const backupPath = path.join(baseDir, 'backups', 'copy.db');
  fs.mkdirSync(path.dirname(backupPath));
  const result = await adminOk(['backup', '--database', databasePath, '--to', backupPath]);
  assert.match(result.stdout, /backed up/);
  assert.ok(!fs.readdirSync(path.dirname(backupPath)).some((name) => name.includes('.partial-')), 'no partial file left');
  assert.equal(sqlite(backupPath, 'PRAGMA integrity_check'), 'ok');
  for (const table of ['stores', 'staff', 'staff_roles', 'sessions', 'api_keys', 'audit_log', 'schema_migrations']) {
    assert.equal(sqlite(backupPath, `SELECT * FROM ${table} ORDER BY 1, 2`), sqlite(databasePath, `SELECT * FROM ${table} ORDER BY 1, 2`), table);
  }
  const refused = await admin(['backup', '--database', path.join(baseDir, 'missing.db'), '--to', path.join(baseDir, 'x.db')]);
  assert.equal(refused.code, 1);
  assert.ok(!fs.existsSync(path.join(baseDir, 'missing.db')), 'backup never creates the source');
  const usage = await admin(['backup', '--database', databasePath]);
  assert.equal(usage.code, 2);

  // Restore as documented: the server stopped, the copy put in place of the database.
  await server.stop();
  const restoredDir = makeTempDir(t);
  const restoredPath = path.join(restoredDir, 'restored.db');
  fs.copyFileSync(backupPath, restoredPath);
  const restored = await startServer(t, { baseDir: restoredDir, databasePath: restoredPath, env: fastHashing });
  const again = await signIn(restored, 'owner-a@shop.vn', passwordOf('owner-a@shop.vn'));
  const keys = await call(restored, 'GET', '/api/v1/stores/shop-a/api-keys', { auth: bearer(again) });
  assert.deepEqual(keys.json.api_keys.map((k) => k.name), ['quầy 1']);
  const apiKey = await call(restored, 'GET', '/api/v1/auth/me', { auth: { token: key.json.key } });
  assert.equal(apiKey.status, 401, 'an API key is not a staff session');
});

// ---------------------------------------------------------------- signing in

test('sign-in answers the staff, their stores, a CSRF token, a token and an HttpOnly SameSite cookie', async () => {
  const session = await signIn(shared, 'OWNER-A@shop.vn', passwordOf('owner-a@shop.vn'));
  const { body } = session;
  assert.deepEqual(Object.keys(body).sort(), ['csrf_token', 'expires_at', 'idle_timeout_s', 'staff', 'stores', 'token']);
  assert.equal(body.staff.email, 'owner-a@shop.vn');
  assert.equal(body.staff.name, 'Chủ A');
  assert.deepEqual(body.stores, [{ store_id: 'shop-a', name: 'Cửa hàng A', role: 'owner' }]);
  assert.match(body.token, /^[A-Za-z0-9_-]{43}$/);
  assert.match(body.csrf_token, /^[A-Za-z0-9_-]{43}$/);
  assert.match(body.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(body.idle_timeout_s, 1800);
  const cookie = session.headers.get('set-cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /Path=\//);
  assert.doesNotMatch(cookie, /Secure/, 'no Secure flag unless asked for');
  assert.equal(session.headers.get('cache-control'), 'no-store');
  // Only the hash of the token is kept.
  const tokenHash = crypto.createHash('sha256').update(body.token).digest('hex');
  assert.equal(sqlite(shared.databasePath, `SELECT COUNT(*) FROM sessions WHERE token_hash = '${tokenHash}'`), '1');
  assert.equal(sqlite(shared.databasePath, `SELECT COUNT(*) FROM sessions WHERE token_hash = '${body.token}'`), '0');
});

test('a wrong password and an unknown email get the same answer', async () => {
  const wrong = await call(shared, 'POST', '/api/v1/auth/sign-in', { body: { email: 'support-a@shop.vn', password: 'not the password' } });
  const unknown = await call(shared, 'POST', '/api/v1/auth/sign-in', { body: { email: 'nobody@shop.vn', password: 'not the password' } });
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assertApiError(wrong.json, 'invalid_credentials');
  assert.deepEqual(withoutRequestId(wrong.json), withoutRequestId(unknown.json));
  assert.equal(wrong.headers.get('set-cookie'), null);
  assert.equal(unknown.headers.get('set-cookie'), null);
});

test('sign-in refuses bad bodies: 415, 400, 413 and 422 with the fields at fault', async () => {
  const signInPath = '/api/v1/auth/sign-in';
  const notJson = await call(shared, 'POST', signInPath, { rawBody: 'email=a&password=b', contentType: 'application/x-www-form-urlencoded' });
  assert.equal(notJson.status, 415);
  assertApiError(notJson.json, 'unsupported_media_type');
  const malformed = await call(shared, 'POST', signInPath, { rawBody: '{"email":' });
  assert.equal(malformed.status, 400);
  assertApiError(malformed.json, 'malformed_json');
  const array = await call(shared, 'POST', signInPath, { rawBody: '["a","b"]' });
  assert.equal(array.status, 400);
  const huge = await call(shared, 'POST', signInPath, { body: { email: 'a@b.vn', password: 'x'.repeat(70 * 1024) } });
  assert.equal(huge.status, 413);
  assertApiError(huge.json, 'payload_too_large');
  const typed = await call(shared, 'POST', signInPath, { body: { email: 5, password: 'x', remember: true } });
  assert.equal(typed.status, 422);
  assertApiError(typed.json, 'invalid_fields');
  assert.deepEqual(typed.json.error.fields.map((f) => f.field).sort(), ['email', 'remember']);
  for (const field of typed.json.error.fields) assert.ok(field.vi && field.en);
  const missing = await call(shared, 'POST', signInPath, { body: { email: 'a@b.vn' } });
  assert.equal(missing.status, 422);
  assert.deepEqual(missing.json.error.fields.map((f) => f.field), ['password']);
  assert.match(missing.json.error.request_id, /^req_[0-9a-f]{16}$/);
  assert.equal(missing.headers.get('x-request-id'), missing.json.error.request_id);
  const tagged = await call(shared, 'POST', signInPath, { body: {}, headers: { 'X-Request-Id': 'till-42.retry-1' } });
  assert.equal(tagged.json.error.request_id, 'till-42.retry-1');
});

test('failed sign-ins are limited per account: the sixth try answers 429 with Retry-After, even with the right password', async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seed(databasePath);
  const server = await startServer(t, { baseDir, databasePath, env: fastHashing });
  const attempt = (email, password) => call(server, 'POST', '/api/v1/auth/sign-in', { body: { email, password } });
  for (let failure = 1; failure <= 5; failure += 1) {
    assert.equal((await attempt('support-a@shop.vn', `wrong ${failure}`)).status, 401, `failure ${failure}`);
  }
  const limited = await attempt('support-a@shop.vn', 'wrong 6');
  assert.equal(limited.status, 429);
  assertApiError(limited.json, 'too_many_sign_in_attempts');
  const retryAfterS = Number(limited.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfterS) && retryAfterS > 0 && retryAfterS <= 15 * 60, `Retry-After ${retryAfterS}`);
  const rightPassword = await attempt('SUPPORT-A@shop.vn', passwordOf('support-a@shop.vn'));
  assert.equal(rightPassword.status, 429, 'no guess is checked while limited');
  // An unknown email is limited the same way, so the limit tells nothing either.
  for (let failure = 1; failure <= 5; failure += 1) await attempt('ghost@shop.vn', 'wrong');
  const ghost = await attempt('ghost@shop.vn', 'wrong');
  assert.equal(ghost.status, 429);
  assert.deepEqual(withoutRequestId(ghost.json), withoutRequestId(limited.json));
  // Other accounts are not affected by one account's limit.
  await signIn(server, 'owner-a@shop.vn', passwordOf('owner-a@shop.vn'));
});

test('failed sign-ins are limited per client address across accounts (20 per window)', async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seed(databasePath);
  const server = await startServer(t, { baseDir, databasePath, env: fastHashing });
  for (let failure = 1; failure <= 20; failure += 1) {
    const response = await call(server, 'POST', '/api/v1/auth/sign-in', { body: { email: `guess-${failure}@shop.vn`, password: 'wrong' } });
    assert.equal(response.status, 401, `failure ${failure}`);
  }
  const limited = await call(server, 'POST', '/api/v1/auth/sign-in', { body: { email: 'owner-a@shop.vn', password: passwordOf('owner-a@shop.vn') } });
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
});

test('with LOYALTY_SECURE_COOKIES=1 the session cookie is Secure', async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seed(databasePath);
  const server = await startServer(t, { baseDir, databasePath, env: { ...fastHashing, LOYALTY_SECURE_COOKIES: '1' } });
  const session = await signIn(server, 'owner-a@shop.vn', passwordOf('owner-a@shop.vn'));
  assert.match(session.headers.get('set-cookie'), /; Secure/);
});

// ---------------------------------------------------------------- sessions, cookies, CSRF

test('the cookie needs X-CSRF-Token on unsafe methods; a bearer token does not', async () => {
  const owner = sessions['owner-a'];
  const keysPath = '/api/v1/stores/shop-a/api-keys';
  const body = { name: 'csrf probe', scopes: ['lookups'] };
  const noToken = await call(shared, 'POST', keysPath, { auth: { cookie: owner.cookie }, body });
  assert.equal(noToken.status, 403);
  assertApiError(noToken.json, 'csrf_failed');
  const wrongToken = await call(shared, 'POST', keysPath, { auth: { cookie: owner.cookie, csrf: sessions['owner-b'].csrf }, body });
  assert.equal(wrongToken.status, 403);
  assertApiError(wrongToken.json, 'csrf_failed');
  const withToken = await call(shared, 'POST', keysPath, { auth: browser(owner), body });
  assert.equal(withToken.status, 201);
  const read = await call(shared, 'GET', keysPath, { auth: { cookie: owner.cookie } });
  assert.equal(read.status, 200, 'reads need no CSRF token');
  const viaBearer = await call(shared, 'POST', keysPath, { auth: bearer(owner), body });
  assert.equal(viaBearer.status, 201);
  const revoke = await call(shared, 'DELETE', `${keysPath}/${withToken.json.api_key.id}`, { auth: { cookie: owner.cookie } });
  assert.equal(revoke.status, 403, 'DELETE is unsafe too');
  assertApiError(revoke.json, 'csrf_failed');
});

test('GET /auth/me works with the cookie or the bearer token, and refuses anything else with 401', async () => {
  const support = sessions['support-a'];
  for (const auth of [{ cookie: support.cookie }, bearer(support)]) {
    const me = await call(shared, 'GET', '/api/v1/auth/me', { auth });
    assert.equal(me.status, 200);
    assert.equal(me.json.staff.email, 'support-a@shop.vn');
    assert.deepEqual(me.json.stores, [{ store_id: 'shop-a', name: 'Cửa hàng A', role: 'support' }]);
    assert.equal(me.json.csrf_token, support.csrf);
    assert.equal(me.json.token, undefined, 'the token is given only at sign-in');
  }
  for (const headers of [{}, { Authorization: 'Bearer nonsense' }, { Authorization: 'Basic b3duZXI6cGFzcw==' }, { Authorization: 'Bearer ' }, { Cookie: 'loyalty_session=forged' }]) {
    const refused = await call(shared, 'GET', '/api/v1/auth/me', { headers });
    assert.equal(refused.status, 401, JSON.stringify(headers));
    assertApiError(refused.json, 'unauthenticated');
  }
});

test('sign-out ends the session for both the cookie and the token, and clears the cookie', async () => {
  const session = await signIn(shared, 'marketing-a@shop.vn', passwordOf('marketing-a@shop.vn'));
  const withoutCsrf = await call(shared, 'POST', '/api/v1/auth/sign-out', { auth: { cookie: session.cookie } });
  assert.equal(withoutCsrf.status, 403, 'signing out by cookie needs the CSRF token (no forced sign-out)');
  const out = await call(shared, 'POST', '/api/v1/auth/sign-out', { auth: browser(session) });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /loyalty_session=;.*Max-Age=0/);
  for (const auth of [{ cookie: session.cookie }, bearer(session)]) {
    const me = await call(shared, 'GET', '/api/v1/auth/me', { auth });
    assert.equal(me.status, 401);
  }
  const twice = await call(shared, 'POST', '/api/v1/auth/sign-out', { auth: bearer(session) });
  assert.equal(twice.status, 401);
});

test('an idle session expires (LOYALTY_SESSION_IDLE_S) and then answers session_expired', { timeout: 120_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seed(databasePath);
  const server = await startServer(t, { baseDir, databasePath, env: { ...fastHashing, LOYALTY_SESSION_IDLE_S: '1' } });
  const session = await signIn(server, 'owner-a@shop.vn', passwordOf('owner-a@shop.vn'));
  assert.equal(session.body.idle_timeout_s, 1);
  // Every request counts as activity, so the probe waits longer each time until the
  // session has been idle long enough; it asserts what happens, not how long it took.
  let last;
  let intervalMs = 50;
  await waitFor(async () => {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    intervalMs = Math.min(intervalMs * 2, 4000);
    last = await call(server, 'GET', '/api/v1/auth/me', { auth: bearer(session) });
    return last.status !== 200;
  }, 'idle expiry', { deadlineMs: 60_000 });
  assert.equal(last.status, 401);
  assertApiError(last.json, 'session_expired');
  // Signing in again works.
  await signIn(server, 'owner-a@shop.vn', passwordOf('owner-a@shop.vn'));
});

test('a session ends at its absolute limit (LOYALTY_SESSION_ABSOLUTE_S) however busy it is', { timeout: 120_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seed(databasePath);
  const server = await startServer(t, { baseDir, databasePath, env: { ...fastHashing, LOYALTY_SESSION_ABSOLUTE_S: '2' } });
  const session = await signIn(server, 'owner-a@shop.vn', passwordOf('owner-a@shop.vn'));
  assert.match(session.headers.get('set-cookie'), /Max-Age=2/);
  let last;
  await waitFor(async () => {
    last = await call(server, 'GET', '/api/v1/auth/me', { auth: { cookie: session.cookie } });
    return last.status !== 200;
  }, 'absolute expiry', { deadlineMs: 60_000, intervalMs: 50 });
  assertApiError(last.json, 'session_expired');
});

// ---------------------------------------------------------------- roles on staff, keys, audit

// Every owner-only route of this part, with a request that would succeed for an owner.
function ownerRoutes(storeId, { staffId, keyId }) {
  const base = `/api/v1/stores/${storeId}`;
  return [
    ['GET', `${base}/staff`],
    ['POST', `${base}/staff`, { email: `new-${crypto.randomUUID()}@shop.vn`, name: 'Mới', role: 'support', password: 'password-long' }],
    ['PATCH', `${base}/staff/${staffId}`, { role: 'support' }],
    ['DELETE', `${base}/staff/${staffId}`],
    ['GET', `${base}/api-keys`],
    ['POST', `${base}/api-keys`, { name: 'k', scopes: ['orders'] }],
    ['DELETE', `${base}/api-keys/${keyId}`],
    ['GET', `${base}/audit-log`],
  ];
}

async function staffIdOf(email) {
  return Number(sqlite(shared.databasePath, `SELECT id FROM staff WHERE email = '${email}'`));
}

test('marketing and support are refused (403) on every staff, API-key and audit route; no credentials get 401', async () => {
  const owner = sessions['owner-a'];
  const key = await call(shared, 'POST', '/api/v1/stores/shop-a/api-keys', { auth: bearer(owner), body: { name: 'role probe', scopes: ['holds'] } });
  const routes = ownerRoutes('shop-a', { staffId: await staffIdOf('support-a@shop.vn'), keyId: key.json.api_key.id });
  for (const role of ['marketing-a', 'support-a']) {
    for (const [method, pathname, body] of routes) {
      for (const auth of [bearer(sessions[role]), browser(sessions[role])]) {
        const response = await call(shared, method, pathname, { auth, body });
        assert.equal(response.status, 403, `${role} ${method} ${pathname}`);
        assertApiError(response.json, 'forbidden');
      }
    }
  }
  for (const [method, pathname, body] of routes) {
    const response = await call(shared, method, pathname, { body });
    assert.equal(response.status, 401, `anonymous ${method} ${pathname}`);
    assertApiError(response.json, 'unauthenticated');
  }
  // An API key, whatever its scopes, manages nothing.
  const allScopes = await call(shared, 'POST', '/api/v1/stores/shop-a/api-keys', { auth: bearer(owner), body: { name: 'all scopes', scopes: ['orders', 'holds', 'lookups'] } });
  for (const [method, pathname, body] of routes) {
    const response = await call(shared, method, pathname, { auth: { token: allScopes.json.key }, body });
    assert.equal(response.status, 403, `API key ${method} ${pathname}`);
  }
  // Nothing changed.
  assert.equal(sqlite(shared.databasePath, "SELECT role FROM staff_roles r JOIN staff s ON s.id = r.staff_id WHERE s.email = 'support-a@shop.vn'"), 'support');
  assert.equal(sqlite(shared.databasePath, `SELECT revoked_at_utc IS NULL FROM api_keys WHERE id = ${key.json.api_key.id}`), '1');
});

test('the owner may do everything on staff: list, create, change role, remove; each change is audited', async () => {
  const owner = bearer(sessions['owner-a']);
  const base = '/api/v1/stores/shop-a';
  const list = await call(shared, 'GET', `${base}/staff`, { auth: owner });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.staff.map((s) => [s.email, s.role]), [
    ['owner-a@shop.vn', 'owner'], ['marketing-a@shop.vn', 'marketing'], ['support-a@shop.vn', 'support'],
  ]);
  assert.ok(list.json.staff.every((s) => !('password_hash' in s)));

  const created = await call(shared, 'POST', `${base}/staff`, { auth: owner, body: { email: 'Thu@Shop.vn', name: 'Trần Thị Thu', role: 'support', password: 'một-mật-khẩu' } });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.json.staff, { id: created.json.staff.id, email: 'thu@shop.vn', name: 'Trần Thị Thu', role: 'support', disabled: false });
  const staffId = created.json.staff.id;
  assert.match(sqlite(shared.databasePath, `SELECT password_hash FROM staff WHERE id = ${staffId}`), /^\$argon2id\$/);
  const thu = await signIn(shared, 'thu@shop.vn', 'một-mật-khẩu');
  assert.deepEqual(thu.body.stores, [{ store_id: 'shop-a', name: 'Cửa hàng A', role: 'support' }]);

  const duplicate = await call(shared, 'POST', `${base}/staff`, { auth: owner, body: { email: 'owner-b@shop.vn', name: 'X', role: 'owner', password: 'password-long' } });
  assert.equal(duplicate.status, 409);
  assertApiError(duplicate.json, 'staff_exists');
  const invalid = await call(shared, 'POST', `${base}/staff`, { auth: owner, body: { email: 'not-an-email', name: '', role: 'boss', password: 'short', extra: 1 } });
  assert.equal(invalid.status, 422);
  assert.deepEqual(invalid.json.error.fields.map((f) => f.field).sort(), ['email', 'extra', 'name', 'password', 'role']);

  const promoted = await call(shared, 'PATCH', `${base}/staff/${staffId}`, { auth: owner, body: { role: 'marketing' } });
  assert.equal(promoted.status, 200);
  assert.equal(promoted.json.staff.role, 'marketing');
  const badRole = await call(shared, 'PATCH', `${base}/staff/${staffId}`, { auth: owner, body: { role: 'admin' } });
  assert.equal(badRole.status, 422);
  // Roles are read on every request: the new role applies to the open session at once.
  const meAfter = await call(shared, 'GET', '/api/v1/auth/me', { auth: bearer(thu) });
  assert.equal(meAfter.json.stores[0].role, 'marketing');

  const removed = await call(shared, 'DELETE', `${base}/staff/${staffId}`, { auth: owner });
  assert.equal(removed.status, 204);
  const gone = await call(shared, 'GET', `${base}/audit-log`, { auth: bearer(thu) });
  assert.equal(gone.status, 403, 'removed staff lose the store at once');
  const again = await call(shared, 'DELETE', `${base}/staff/${staffId}`, { auth: owner });
  assert.equal(again.status, 404);

  const entries = (await call(shared, 'GET', `${base}/audit-log?limit=100`, { auth: owner })).json.entries
    .filter((entry) => entry.target === `staff:${staffId}`);
  assert.deepEqual(entries.map((entry) => entry.action), ['staff.created', 'staff.role_changed', 'staff.removed']);
  for (const entry of entries) assert.equal(entry.actor, 'staff:owner-a@shop.vn');
  assert.equal(entries[0].before, null);
  assert.equal(entries[0].after.email, 'thu@shop.vn');
  assert.equal(entries[1].before.role, 'support');
  assert.equal(entries[1].after.role, 'marketing');
  assert.equal(entries[2].before.role, 'marketing');
  assert.equal(entries[2].after, null);
  assert.ok(!JSON.stringify(entries).includes('argon2'), 'no password hash in the audit log');
});

test('the last owner of a store can be neither demoted nor removed (409)', async () => {
  const owner = bearer(sessions['owner-b']);
  const ownerId = await staffIdOf('owner-b@shop.vn');
  const demote = await call(shared, 'PATCH', `/api/v1/stores/shop-b/staff/${ownerId}`, { auth: owner, body: { role: 'support' } });
  assert.equal(demote.status, 409);
  assertApiError(demote.json, 'last_owner');
  const remove = await call(shared, 'DELETE', `/api/v1/stores/shop-b/staff/${ownerId}`, { auth: owner });
  assert.equal(remove.status, 409);
  assert.equal(sqlite(shared.databasePath, `SELECT role FROM staff_roles WHERE staff_id = ${ownerId}`), 'owner');
});

test('another store is refused with 403 and the same answer as a store that does not exist', async () => {
  const ownerA = sessions['owner-a'];
  const ownerBId = await staffIdOf('owner-b@shop.vn');
  const keyB = await call(shared, 'POST', '/api/v1/stores/shop-b/api-keys', { auth: bearer(sessions['owner-b']), body: { name: 'b', scopes: ['orders'] } });
  const before = sqlite(shared.databasePath, 'SELECT COUNT(*) FROM audit_log');
  for (const storeId of ['shop-b', 'no-such-store']) {
    for (const [method, pathname, body] of ownerRoutes(storeId, { staffId: ownerBId, keyId: keyB.json.api_key.id })) {
      const response = await call(shared, method, pathname, { auth: bearer(ownerA), body });
      assert.equal(response.status, 403, `${method} ${pathname}`);
      assertApiError(response.json, 'forbidden');
      assert.ok(!response.text.includes('owner-b') && !response.text.includes('Cửa hàng B'), 'nothing of store B leaks');
    }
  }
  const other = await call(shared, 'GET', '/api/v1/stores/shop-b/staff', { auth: bearer(ownerA) });
  const none = await call(shared, 'GET', '/api/v1/stores/no-such-store/staff', { auth: bearer(ownerA) });
  assert.deepEqual(withoutRequestId(other.json), withoutRequestId(none.json));
  // Store B's staff and keys addressed through store A are "not found", like ids that never existed.
  for (const [method, pathname, body] of [
    ['PATCH', `/api/v1/stores/shop-a/staff/${ownerBId}`, { role: 'support' }],
    ['DELETE', `/api/v1/stores/shop-a/staff/${ownerBId}`],
    ['DELETE', `/api/v1/stores/shop-a/api-keys/${keyB.json.api_key.id}`],
  ]) {
    const response = await call(shared, method, pathname, { auth: bearer(ownerA), body });
    assert.equal(response.status, 404, `${method} ${pathname}`);
    const missing = await call(shared, method, pathname.replace(/\/\d+$/, '/987654'), { auth: bearer(ownerA), body });
    assert.equal(missing.status, 404);
    assert.deepEqual(withoutRequestId(response.json), withoutRequestId(missing.json));
  }
  // A key of store B is refused in store A.
  const crossKey = await call(shared, 'GET', '/api/v1/stores/shop-a/api-keys', { auth: { token: keyB.json.key } });
  assert.equal(crossKey.status, 403);
  assert.equal(sqlite(shared.databasePath, 'SELECT COUNT(*) FROM audit_log'), before, 'refusals change nothing');
  assert.equal(sqlite(shared.databasePath, `SELECT role FROM staff_roles WHERE staff_id = ${ownerBId}`), 'owner');
});

// ---------------------------------------------------------------- API keys

test('API keys: shown once, stored hashed, listed with their prefix and scopes, revocable; bad scopes refused', async () => {
  const owner = bearer(sessions['owner-a']);
  const keysPath = '/api/v1/stores/shop-a/api-keys';
  const created = await call(shared, 'POST', keysPath, { auth: owner, body: { name: 'POS quầy 1', scopes: ['orders', 'lookups'] } });
  assert.equal(created.status, 201, created.text);
  const { key, api_key: record } = created.json;
  assert.match(key, /^lk_[A-Za-z0-9_-]{43}$/);
  assert.equal(record.key_prefix, key.slice(0, 11));
  assert.deepEqual(record.scopes, ['orders', 'lookups']);
  assert.equal(record.revoked_at, null);
  assert.equal(created.headers.get('cache-control'), 'no-store');
  const keyHash = crypto.createHash('sha256').update(key).digest('hex');
  assert.equal(sqlite(shared.databasePath, `SELECT key_hash FROM api_keys WHERE id = ${record.id}`), keyHash);
  const dump = execDump(shared.databasePath);
  assert.ok(!dump.includes(key), 'the key itself is nowhere in the database');

  const listed = await call(shared, 'GET', keysPath, { auth: owner });
  const entry = listed.json.api_keys.find((k) => k.id === record.id);
  assert.deepEqual(entry, record);
  assert.ok(!listed.text.includes(key));

  // The key authenticates in its store (and is refused where its scopes do not reach).
  const asKey = await call(shared, 'GET', keysPath, { auth: { token: key } });
  assert.equal(asKey.status, 403);
  assertApiError(asKey.json, 'forbidden');

  const revoked = await call(shared, 'DELETE', `${keysPath}/${record.id}`, { auth: owner });
  assert.equal(revoked.status, 200);
  assert.match(revoked.json.api_key.revoked_at, /Z$/);
  const afterRevoke = await call(shared, 'GET', keysPath, { auth: { token: key } });
  assert.equal(afterRevoke.status, 401, 'a revoked key signs nothing in');
  const twice = await call(shared, 'DELETE', `${keysPath}/${record.id}`, { auth: owner });
  assert.equal(twice.status, 200, 'revoking again changes nothing');
  const notFound = await call(shared, 'DELETE', `${keysPath}/abc`, { auth: owner });
  assert.equal(notFound.status, 404);

  const audit = (await call(shared, 'GET', '/api/v1/stores/shop-a/audit-log?limit=100', { auth: owner })).json.entries
    .filter((e) => e.target === `api_key:${record.id}`);
  assert.deepEqual(audit.map((e) => e.action), ['api_key.created', 'api_key.revoked'], 'one revocation entry, not two');
  assert.equal(audit[1].before.revoked_at, null);
  assert.equal(audit[1].after.revoked_at, revoked.json.api_key.revoked_at);
  assert.ok(!JSON.stringify(audit).includes(key));

  for (const [body, fields] of [
    [{ name: 'x', scopes: ['orders', 'admin'] }, ['scopes[1]']],
    [{ name: 'x', scopes: ['orders', 'orders'] }, ['scopes[1]']],
    [{ name: 'x', scopes: [] }, ['scopes']],
    [{ name: 'x', scopes: 'orders' }, ['scopes']],
    [{ name: 'x', scopes: [1] }, ['scopes']],
    [{ scopes: ['orders'] }, ['name']],
    [{ name: 'x', scopes: ['orders'], store_id: 'shop-b' }, ['store_id']],
  ]) {
    const refused = await call(shared, 'POST', keysPath, { auth: owner, body });
    assert.equal(refused.status, 422, JSON.stringify(body));
    assert.deepEqual(refused.json.error.fields.map((f) => f.field), fields, JSON.stringify(body));
  }
});

function execDump(databasePath) {
  return sqlite(databasePath, '.dump');
}

// ---------------------------------------------------------------- the audit log

test('the audit log pages by cursor, stays in its store, and refuses bad parameters with 422', async () => {
  const owner = bearer(sessions['owner-a']);
  const base = '/api/v1/stores/shop-a/audit-log';
  for (let index = 0; index < 3; index += 1) {
    await call(shared, 'POST', '/api/v1/stores/shop-a/api-keys', { auth: owner, body: { name: `paging ${index}`, scopes: ['holds'] } });
  }
  const all = (await call(shared, 'GET', `${base}?limit=100`, { auth: owner })).json;
  assert.ok(all.entries.length >= 5);
  const seen = [];
  let cursor = '';
  let pages = 0;
  for (;;) {
    const page = await call(shared, 'GET', `${base}?limit=2${cursor ? `&after=${cursor}` : ''}`, { auth: owner });
    assert.equal(page.status, 200);
    assert.ok(page.json.entries.length <= 2);
    seen.push(...page.json.entries.map((e) => e.id));
    pages += 1;
    if (!page.json.has_more) {
      assert.equal(page.json.next_cursor, null);
      break;
    }
    assert.equal(typeof page.json.next_cursor, 'string');
    cursor = page.json.next_cursor;
  }
  assert.ok(pages >= 3);
  const allIds = (await call(shared, 'GET', `${base}?limit=100`, { auth: owner })).json.entries.map((e) => e.id);
  assert.deepEqual(seen, allIds, 'every entry once, in order');
  assert.deepEqual([...allIds].sort((a, b) => a - b), allIds);
  const first = all.entries[0];
  assert.deepEqual(Object.keys(first).sort(), ['action', 'actor', 'after', 'before', 'id', 'recorded_at', 'target']);
  assert.equal(first.action, 'store.created');
  assert.equal(first.actor, 'operator');
  assert.ok(all.entries.every((e) => !JSON.stringify(e).includes('shop-b') && !JSON.stringify(e).includes('owner-b')), 'only store A');

  for (const query of ['limit=0', 'limit=101', 'limit=abc', 'after=-1', 'after=x', 'limit=2.5']) {
    const refused = await call(shared, 'GET', `${base}?${query}`, { auth: owner });
    assert.equal(refused.status, 422, query);
    assertApiError(refused.json, 'invalid_fields');
    assert.equal(refused.json.error.fields.length, 1);
  }
  // Append-only, like the journal.
  assert.throws(() => execFileSync('sqlite3', [shared.databasePath, 'DELETE FROM audit_log'], { stdio: 'pipe' }), /append-only/);
});

test('every stored password is an Argon2id string', () => {
  const hashes = sqlite(shared.databasePath, 'SELECT password_hash FROM staff').split('\n');
  assert.ok(hashes.length >= 4);
  for (const hash of hashes) assert.match(hash, /^\$argon2id\$v=19\$/);
});

test('an unknown auth path or method answers the JSON 404', async () => {
  for (const [method, pathname] of [['GET', '/api/v1/auth/sign-in'], ['PUT', '/api/v1/stores/shop-a/staff'], ['GET', '/api/v1/stores/shop-a/staff/1/extra']]) {
    const response = await call(shared, method, pathname, { auth: bearer(sessions['owner-a']) });
    assert.equal(response.status, 404, `${method} ${pathname}`);
    assertApiError(response.json, 'not_found');
  }
});

// ---------------------------------------------------------------- the demo's accounts (the console's sign-in note)

test('GET /api/v1/auth/demo lists the demo accounts only when the server runs the demo store, and each signs in with its role', async (t) => {
  // Started without --demo-store: nothing to tell, even though the server hosts stores.
  const silent = await call(shared, 'GET', '/api/v1/auth/demo');
  assert.equal(silent.status, 200);
  assert.deepEqual(silent.json, { demo: null });
  assert.equal(silent.headers.get('cache-control'), 'no-store');

  const baseDir = makeTempDir(t);
  const commands = path.join(baseDir, 'demo.jsonl');
  fs.writeFileSync(commands, '\n');   // the demo store with its accounts, and no commands
  const demoServer = await startServer(t, { baseDir, env: fastHashing, extraArgs: ['--demo-store', commands] });
  const answer = await call(demoServer, 'GET', '/api/v1/auth/demo');
  assert.equal(answer.status, 200);
  assert.equal(answer.json.demo.store_id, 'cua-hang-demo');
  assert.equal(answer.json.demo.store_name, 'Cửa hàng demo');
  assert.deepEqual(answer.json.demo.accounts.map((account) => [account.email, account.role]),
    [['chu@demo.vn', 'owner'], ['marketing@demo.vn', 'marketing'], ['hotro@demo.vn', 'support']]);
  // What the note says is true: every listed password signs in, with the listed role.
  for (const account of answer.json.demo.accounts) {
    const session = await signIn(demoServer, account.email, account.password);
    assert.deepEqual(session.body.stores, [{ store_id: 'cua-hang-demo', name: 'Cửa hàng demo', role: account.role }]);
  }
  await demoServer.stop();

  // --demo-store on a database that already had a store creates no demo store: no note.
  const otherDir = makeTempDir(t);
  const otherDatabase = path.join(otherDir, 'loyalty.db');
  await adminOk(['create-store', '--database', otherDatabase, '--id', 'cafe', '--name', 'Cà phê']);
  const notDemo = await startServer(t, { baseDir: otherDir, databasePath: otherDatabase, env: fastHashing, extraArgs: ['--demo-store', commands] });
  assert.deepEqual((await call(notDemo, 'GET', '/api/v1/auth/demo')).json, { demo: null });
});
