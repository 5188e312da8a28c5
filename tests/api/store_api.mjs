// Helpers for the store API tests (store_routes, crash, concurrency, due_work): stores and
// staff made by the operator's commands, requests with a bearer token, API keys, a test
// program, and the checks every answer gets. Built on server_harness.mjs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runToExit } from './server_harness.mjs';

// The minimum Argon2id cost: sign-ins stay fast (the production cost is the same code).
export const fastHashing = { LOYALTY_FAST_PASSWORD_HASH: '1' };
export const passwordOf = (email) => `mật-khẩu ${email}`;

export async function adminOk(args, input = '') {
  const result = await runToExit(args, { env: fastHashing, input });
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return result;
}

// Creates stores and their staff with the operator's commands (the server may be down or up).
// `stores`: [{ id, staff: [[email, role], ...] }].
export async function seedStores(databasePath, stores) {
  const db = ['--database', databasePath];
  for (const store of stores) {
    await adminOk(['create-store', ...db, '--id', store.id, '--name', `Cửa hàng ${store.id}`]);
    for (const [email, role] of store.staff ?? []) {
      await adminOk(['create-staff', ...db, '--email', email, '--name', email.split('@')[0], '--store', store.id, '--role', role],
        `${passwordOf(email)}\n`);
    }
  }
}

// One request. `auth`: a bearer token (string) or nothing. Network failures throw.
export async function call(server, method, pathname, { body, rawBody, contentType, auth, headers = {}, signal } = {}) {
  const sent = { ...headers };
  if (auth) sent.Authorization = `Bearer ${auth}`;
  let payload;
  if (rawBody !== undefined) payload = rawBody;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) sent['Content-Type'] = contentType ?? 'application/json';
  const response = await fetch(typeof server === 'string' ? server + pathname : server.url(pathname),
    { method, headers: sent, body: payload, signal });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, json, text };
}

export async function signIn(server, email, password = passwordOf(email)) {
  const response = await call(server, 'POST', '/api/v1/auth/sign-in', { body: { email, password } });
  assert.equal(response.status, 200, `sign-in of ${email}: ${response.text}`);
  return response.json.token;
}

export async function createApiKey(server, ownerToken, storeId, scopes, name = `key ${scopes.join(' ')}`) {
  const response = await call(server, 'POST', `/api/v1/stores/${storeId}/api-keys`, { auth: ownerToken, body: { name, scopes } });
  assert.equal(response.status, 201, `API key ${name}: ${response.text}`);
  return response.json.key;
}

// A program with exact arithmetic: 1 point = 1,000 VND, the buyer earns 1 % (an order of
// k × 100,000 VND earns k points, a refund of j × 100,000 VND takes back j), 20,000 VND per
// tier point, rounding down; no pending period, no expiry; transfers allowed.
export function testProgram(changes = {}) {
  return {
    program_name: 'Chương trình thử',
    time_zone: 'Asia/Ho_Chi_Minh',
    wallet: { initial_pool_points: 1_000_000_000, point_value_vnd: 1000, buyer_earn_rate_bp: 100, referrer_earn_rate_bp: 0, rounding: 'down', exclude_shipping: true },
    tier_points: { vnd_per_tier_point: 20000, window_months: 0 },
    tiers: [{ id: 'bac', name: 'Bạc', tier_points_needed: 0 }],
    pay_with_points: { max_share_bp: 10000, hold_timeout_s: 900 },
    transfers: { enabled: true, daily_limit_points: 0, minimum_balance_points: 0 },
    ...changes,
  };
}

// A store's routes for one caller: `api.post('/orders', body, { key })`.
export function storeClient(server, storeId, token) {
  const base = `/api/v1/stores/${storeId}`;
  const send = (method) => (pathname, body, { key, headers = {}, ...rest } = {}) => call(server, method, base + pathname, {
    auth: token, body, headers: key === undefined ? headers : { ...headers, 'Idempotency-Key': key }, ...rest,
  });
  return { base, get: send('GET'), post: send('POST'), put: send('PUT'), patch: send('PATCH'), delete: send('DELETE') };
}

// Asserts a 2xx answer and gives its body.
export function ok(response, what = '') {
  assert.ok(response.status >= 200 && response.status < 300, `${what}: ${response.status} ${response.text}`);
  return response.json;
}

// The one error shape: {"error":{"code","message":{"vi","en"},"fields","request_id"}}, the
// request id also in X-Request-Id; `status` and `code` when given.
export function assertErrorShape(response, status, code) {
  const what = `${response.status} ${response.text}`;
  if (status !== undefined) assert.equal(response.status, status, what);
  const body = response.json;
  assert.ok(body && typeof body.error === 'object', `error object in ${what}`);
  const { error } = body;
  assert.deepEqual(Object.keys(error).sort(), ['code', 'fields', 'message', 'request_id'], what);
  assert.equal(typeof error.code, 'string', what);
  assert.ok(error.code.length > 0, what);
  if (code !== undefined) assert.equal(error.code, code, what);
  assert.ok(typeof error.message.vi === 'string' && error.message.vi.length > 0, what);
  assert.ok(typeof error.message.en === 'string' && error.message.en.length > 0, what);
  assert.ok(Array.isArray(error.fields), what);
  for (const field of error.fields) assert.equal(typeof field.field, 'string', what);
  assert.ok(typeof error.request_id === 'string' && error.request_id.length > 0, what);
  assert.equal(response.headers.get('x-request-id'), error.request_id, what);
  return error;
}

export const fieldNames = (response) => response.json.error.fields.map((field) => field.field);

// The member's balances, from the profile.
export async function balancesOf(api, memberId) {
  const profile = await api.get(`/members/${encodeURIComponent(memberId)}`);
  assert.equal(profile.status, 200, profile.text);
  return profile.json.data.balances;
}

// Every transaction of a member's history, newest first, following the cursor.
export async function wholeHistory(api, memberId, limit = 1000) {
  const transactions = [];
  let cursor = null;
  for (;;) {
    const query = `limit=${limit}${cursor === null ? '' : `&after=${cursor}`}`;
    const page = await api.get(`/members/${encodeURIComponent(memberId)}/ledger?${query}`);
    assert.equal(page.status, 200, page.text);
    transactions.push(...page.json.data.transactions);
    if (!page.json.data.has_more) return transactions;
    cursor = page.json.data.next_cursor;
  }
}

// A demo-store file (--demo-store): commands replayed into the store "cua-hang-demo" on the
// first start of an empty database, with the demo accounts (chu@demo.vn is its owner).
// Lets a test place the program and members in the past, which the API cannot.
export const demoStoreId = 'cua-hang-demo';
export const demoOwner = { email: 'chu@demo.vn', password: 'demo-chu-cua-hang' };
export function writeCommandsFile(dir, commands) {
  const file = path.join(dir, 'store.jsonl');
  fs.writeFileSync(file, commands.map((command) => JSON.stringify(command)).join('\n') + '\n');
  return file;
}
export const isoTime = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
