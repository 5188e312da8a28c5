// API tests of outgoing webhooks (Standard Webhooks): local receivers on loopback that fail
// at first, a restart in the middle, signatures checked here with node's own HMAC, the
// delivery log, an endpoint that always fails being disabled, and the routes' rules.
//
//   node --test tests/api/webhooks.test.mjs
//   LOYALTY_SERVER=build/native/bin/loyalty-server node --test tests/api/webhooks.test.mjs
//
// Retry delays are scaled down (LOYALTY_WEBHOOK_BACKOFF_SCALE=0.0001: the 5 s first retry
// becomes 0.5 ms, the whole ~24 h schedule about 8.5 s). Tests wait for what they need
// with bounded deadlines; nothing asserts on how long anything took.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { makeTempDir, runToExit, startServer, sqlite, assertApiError, waitFor } from './server_harness.mjs';

const env = {
  LOYALTY_FAST_PASSWORD_HASH: '1',
  LOYALTY_WEBHOOK_BACKOFF_SCALE: '0.0001',
  LOYALTY_WEBHOOK_ALLOW_HTTP: '',   // production's rule: http only to loopback
};
const store = 'shop-a';
const st = `/api/v1/stores/${store}`;
const owner = { email: 'owner-a@shop.vn', password: 'mat-khau-chu-a' };
const support = { email: 'support-a@shop.vn', password: 'mat-khau-ho-tro-a' };
const failuresBeforeDisable = 11;

const program = {
  program_name: 'Khách hàng thân thiết',
  wallet: { point_value_vnd: 1000, buyer_earn_rate_bp: 100, referrer_earn_rate_bp: 50 },
  tier_points: { vnd_per_tier_point: 20000, window_months: 12 },
  tiers: [
    { id: 'bac', name: 'Bạc', tier_points_needed: 0 },
    { id: 'vang', name: 'Vàng', tier_points_needed: 500 },
  ],
  pending: { days: 7 },
  expiry: { rule: 'months_after', months: 12 },
};

// ---------------------------------------------------------------- helpers

async function adminOk(args, input = '') {
  const result = await runToExit(args, { env, input });
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
}

async function seed(databasePath) {
  const db = ['--database', databasePath];
  await adminOk(['create-store', ...db, '--id', store, '--name', 'Cửa hàng A']);
  for (const [account, name, role] of [[owner, 'Chủ A', 'owner'], [support, 'Hỗ trợ A', 'support']]) {
    await adminOk(['create-staff', ...db, '--email', account.email, '--name', name, '--store', store, '--role', role],
      `${account.password}\n`);
  }
}

async function call(server, method, pathname, { body, token, headers = {} } = {}) {
  const sent = { ...headers };
  if (token) sent.Authorization = `Bearer ${token}`;
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  const response = await fetch(server.url(pathname), {
    method, headers: sent, body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: response.status, json, text };
}

async function ok(server, method, pathname, options, expected = 200) {
  const answer = await call(server, method, pathname, options);
  if (expected === '2xx') assert.ok(answer.status >= 200 && answer.status < 300, `${method} ${pathname}: ${answer.status} ${answer.text}`);
  else assert.equal(answer.status, expected, `${method} ${pathname}: ${answer.text}`);
  return answer.json;
}

async function signIn(server, account) {
  const signedIn = await ok(server, 'POST', '/api/v1/auth/sign-in', { body: account });
  return signedIn.token;
}

// A webhook receiver on loopback: answers 500 to its first `failFirst` requests (or to all
// while `state.alwaysFail`), then 200 (after `delayMs`, a slow receiver); keeps every
// request's headers and raw body.
async function startReceiver(t, { failFirst = 0, alwaysFail = false, delayMs = 0 } = {}) {
  const state = { failFirst, alwaysFail, count: 0 };
  const requests = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      state.count += 1;
      const failed = state.alwaysFail || state.count <= state.failFirst;
      requests.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks), failed });
      const answer = () => {
        response.writeHead(failed ? 500 : 200, { 'Content-Type': 'text/plain' });
        response.end(failed ? 'not today' : 'ok');
      };
      if (delayMs > 0 && !failed) setTimeout(answer, delayMs); else answer();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }));
  const { port } = server.address();
  return { state, requests, url: `http://127.0.0.1:${port}/hooks/loyalty?source=test` };
}

// The Standard Webhooks check a receiver makes: v1 HMAC-SHA256 of "id.timestamp.body" with
// the secret's bytes, and a timestamp within 5 minutes.
function verifySignature(secret, { headers, body }) {
  assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  assert.equal(key.length, 32, 'the secret holds 32 bytes');
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  assert.match(id ?? '', /^evt_shop-a_\d+$/);
  assert.match(timestamp ?? '', /^\d+$/);
  assert.ok(Math.abs(Date.now() / 1000 - Number(timestamp)) < 300, 'the timestamp is current (receivers allow 5 minutes)');
  const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  const signatures = (headers['webhook-signature'] ?? '').split(' ');
  const matches = signatures.some((entry) => {
    const [version, value] = entry.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
  assert.ok(matches, `valid signature on ${id}`);
  assert.equal(headers['content-type'], 'application/json');
}

const outboxIdOf = (request) => Number(request.headers['webhook-id'].split('_').pop());

// The store's outbox after `afterId`, as the server wrote it.
function outboxRows(databasePath, afterId = 0) {
  const text = sqlite(databasePath,
    `SELECT id || '|' || COALESCE(member_id, '') || '|' || event_type FROM outbox WHERE store_id = '${store}' AND id > ${afterId} ORDER BY id`);
  return text === '' ? [] : text.split('\n').map((line) => {
    const [id, memberId, type] = line.split('|');
    return { id: Number(id), memberId, type };
  });
}

async function allDeliveries(server, token, endpointId) {
  const entries = [];
  let after = null;
  for (let page = 0; page < 1000; page += 1) {
    const query = `limit=3${after ? `&after=${after}` : ''}`;
    const body = await ok(server, 'GET', `${st}/webhooks/${endpointId}/deliveries?${query}`, { token });
    assert.ok(body.deliveries.length <= 3);
    entries.push(...body.deliveries);
    if (!body.has_more) {
      assert.equal(body.next_cursor, null);
      return entries;
    }
    assert.equal(typeof body.next_cursor, 'string');
    after = body.next_cursor;
  }
  assert.fail('the delivery log did not end');
}

async function endpointOf(server, token, id) {
  const list = await ok(server, 'GET', `${st}/webhooks`, { token });
  return list.webhooks.find((hook) => hook.id === id);
}

// Members, orders and a refund: points_earned, tier_changed, points_reversed, ...
async function makeEvents(server, token, { members, prefix, refund = false }) {
  for (const member of members) {
    const existing = await call(server, 'GET', `${st}/members/${member}`, { token });
    if (existing.status === 404) {
      await ok(server, 'POST', `${st}/members`, { token, body: { member_id: member, name: `Khách ${member}`, phone: `09120000${member.replace(/\D/g, '').padStart(2, '0')}` } }, '2xx');
    }
    for (const [index, amount] of [2000000, 12000000].entries()) {
      const orderId = `${prefix}-${member}-${index}`;
      await ok(server, 'POST', `${st}/orders`, {
        token, headers: { 'Idempotency-Key': `key-${orderId}` },
        body: { order_id: orderId, member_id: member, status: 'completed', amount_vnd: amount },
      }, '2xx');
    }
    if (refund) {
      await ok(server, 'POST', `${st}/orders/${prefix}-${member}-0/refunds`, {
        token, headers: { 'Idempotency-Key': `refund-${prefix}-${member}` },
        body: { refund_id: `TL-${prefix}-${member}`, amount_vnd: 500000 },
      }, '2xx');
    }
  }
}

// ---------------------------------------------------------------- tests

test('every event arrives, in order per member, signed, despite a restart, and the log shows the failures', async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seed(databasePath);
  // Slow to accept, so that the restart comes while deliveries are still going.
  const receiver = await startReceiver(t, { failFirst: 3, delayMs: 25 });
  const first = await startServer(t, { baseDir, databasePath, env });
  let token = await signIn(first, owner);

  const created = await ok(first, 'POST', `${st}/webhooks`, { token, body: { url: receiver.url } }, 201);
  const secret = created.secret;
  const endpoint = created.webhook;
  assert.equal(endpoint.url, receiver.url);
  assert.deepEqual(endpoint.event_types, ['*']);
  assert.equal(endpoint.enabled, true);
  assert.equal(endpoint.secret, undefined, 'the endpoint never shows its secret');

  await ok(first, 'PUT', `${st}/program`, { token, body: { program } }, '2xx');
  await makeEvents(first, token, { members: ['KH-1', 'KH-2', 'KH-3'], prefix: 'A', refund: true });
  // Stop while deliveries are still going: after the first success, before all are in.
  await waitFor(() => receiver.requests.some((request) => !request.failed), 'a first successful delivery');
  const stopped = await first.stop('SIGTERM');
  assert.equal(stopped.code, 0, `the server stops cleanly on SIGTERM: ${first.output.stderr}`);
  const beforeRestart = receiver.requests.filter((request) => !request.failed).length;

  const second = await startServer(t, { baseDir, databasePath, env });
  token = await signIn(second, owner);
  await makeEvents(second, token, { members: ['KH-1', 'KH-4'], prefix: 'B' });

  const expected = outboxRows(databasePath, endpoint.delivered_outbox_id);
  assert.ok(expected.length >= 15, `events were written (${expected.length})`);
  assert.ok(expected.some((row) => row.type === 'points_earned') && expected.some((row) => row.type === 'tier_changed') &&
    expected.some((row) => row.type === 'points_reversed'), 'orders, tiers and refunds made events');
  const delivered = () => new Set(receiver.requests.filter((request) => !request.failed).map(outboxIdOf));
  await waitFor(() => expected.every((row) => delivered().has(row.id)), 'every event delivered', { deadlineMs: 60_000 });

  const byId = new Map(expected.map((row) => [row.id, row]));
  for (const request of receiver.requests) {
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/hooks/loyalty?source=test');
    verifySignature(secret, request);
    const message = JSON.parse(request.body.toString('utf8'));
    const row = byId.get(outboxIdOf(request));
    assert.ok(row, `${request.headers['webhook-id']} is an event of the outbox`);
    assert.equal(message.type, row.type);
    assert.equal(message.store_id, store);
    assert.equal(typeof message.timestamp, 'string');
    assert.equal(message.data.kind, row.type);
    if (row.memberId) assert.equal(message.data.member_id, row.memberId);
  }

  // In order per member: the first arrival of each event follows the outbox order.
  const firstArrivals = [];
  const seen = new Set();
  for (const request of receiver.requests.filter((entry) => !entry.failed)) {
    const id = outboxIdOf(request);
    if (!seen.has(id)) firstArrivals.push(id);
    seen.add(id);
  }
  const members = new Set(expected.map((row) => row.memberId));
  for (const member of members) {
    const arrived = firstArrivals.filter((id) => byId.get(id).memberId === member);
    const written = expected.filter((row) => row.memberId === member).map((row) => row.id);
    assert.deepEqual(arrived, written, `the events of member "${member}" arrived in order`);
  }
  // At least once, and no more than the one request the shutdown cut off is sent twice:
  // the progress pointer survived the restart.
  const successes = receiver.requests.filter((request) => !request.failed).length;
  assert.ok(successes - expected.length <= 1, `${successes} deliveries of ${expected.length} events`);
  assert.ok(beforeRestart >= 1);

  // The log: the first event failed three times (HTTP 500) and then went through. (The
  // receiver may hear the last event before the server has recorded its answer.)
  await waitFor(async () => (await endpointOf(second, token, endpoint.id)).delivered_outbox_id === expected.at(-1).id,
    'the pointer at the last event');
  const log = await allDeliveries(second, token, endpoint.id);
  const head = log.slice(0, 4);
  assert.deepEqual(head.map((entry) => [entry.attempt, entry.status_code, entry.succeeded]),
    [[1, 500, false], [2, 500, false], [3, 500, false], [4, 200, true]]);
  assert.equal(new Set(head.map((entry) => entry.outbox_id)).size, 1, 'the retries are of the same event');
  assert.equal(head[0].outbox_id, expected[0].id);
  assert.equal(head[0].webhook_id, `evt_${store}_${expected[0].id}`);
  assert.equal(head[0].event_type, expected[0].type);
  assert.match(head[0].error, /HTTP 500/);
  assert.equal(head[3].error, null);
  const logged = log.filter((entry) => entry.succeeded);
  assert.equal(logged.length, expected.length, 'one recorded success per event');
  assert.deepEqual(logged.map((entry) => entry.outbox_id), expected.map((row) => row.id));
  assert.ok(log.every((entry, index) => index === 0 || entry.id > log[index - 1].id), 'the log pages in order');

  const after = await endpointOf(second, token, endpoint.id);
  assert.equal(after.enabled, true);
  assert.equal(after.consecutive_failures, 0);
  assert.equal(after.disabled_reason, null);
});

test('an endpoint that always fails is disabled and shown so; enabled again, it receives what it missed', async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seed(databasePath);
  const receiver = await startReceiver(t, { alwaysFail: true });
  const server = await startServer(t, { baseDir, databasePath, env });
  const token = await signIn(server, owner);
  const created = await ok(server, 'POST', `${st}/webhooks`,
    { token, body: { url: receiver.url, event_types: ['points_earned', 'points_reversed'] } }, 201);
  const id = created.webhook.id;
  assert.deepEqual(created.webhook.event_types, ['points_earned', 'points_reversed']);

  await ok(server, 'PUT', `${st}/program`, { token, body: { program } }, '2xx');
  await makeEvents(server, token, { members: ['KH-9'], prefix: 'C', refund: true });

  await waitFor(async () => (await endpointOf(server, token, id)).enabled === false, 'the endpoint disabled',
    { deadlineMs: 90_000, intervalMs: 50 });
  const disabled = await endpointOf(server, token, id);
  assert.equal(disabled.consecutive_failures, failuresBeforeDisable);
  assert.match(disabled.disabled_reason, /11 failed deliveries in a row \(last: HTTP 500/);
  assert.equal(disabled.next_attempt_at, null);

  const log = await allDeliveries(server, token, id);
  assert.equal(log.length, failuresBeforeDisable);
  assert.deepEqual(log.map((entry) => entry.attempt), Array.from({ length: failuresBeforeDisable }, (_, index) => index + 1));
  assert.ok(log.every((entry) => entry.status_code === 500 && !entry.succeeded && entry.outbox_id === log[0].outbox_id));
  assert.equal(log[0].event_type, 'points_earned', 'only the subscribed kinds are sent');
  assert.equal(receiver.requests.length, failuresBeforeDisable, 'nothing is sent to a disabled endpoint');

  const audit = await ok(server, 'GET', `${st}/audit-log?limit=100`, { token });
  const entry = audit.entries.find((item) => item.action === 'webhook.disabled');
  assert.ok(entry, 'the audit log records the disabling');
  assert.equal(entry.actor, 'system:webhooks');
  assert.equal(entry.target, `webhook:${id}`);

  receiver.state.alwaysFail = false;
  const enabled = await ok(server, 'PATCH', `${st}/webhooks/${id}`, { token, body: { enabled: true } });
  assert.equal(enabled.webhook.enabled, true);
  assert.equal(enabled.webhook.disabled_reason, null);
  assert.equal(enabled.webhook.consecutive_failures, 0);

  const expected = outboxRows(databasePath, created.webhook.delivered_outbox_id)
    .filter((row) => row.type === 'points_earned' || row.type === 'points_reversed');
  assert.ok(expected.length >= 3 && expected.some((row) => row.type === 'points_reversed'));
  const delivered = () => receiver.requests.filter((request) => !request.failed).map(outboxIdOf);
  await waitFor(() => expected.every((row) => delivered().includes(row.id)), 'the missed events delivered');
  assert.deepEqual(delivered(), expected.map((row) => row.id), 'in outbox order, each once, only the subscribed kinds');
  for (const request of receiver.requests) verifySignature(created.secret, request);
});

test('webhook routes: owner only, checked input, the secret shown once, changes audited', async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seed(databasePath);
  const server = await startServer(t, { baseDir, databasePath, env });
  const token = await signIn(server, owner);
  const supportToken = await signIn(server, support);

  assertApiError((await call(server, 'GET', `${st}/webhooks`, { token: supportToken })).json, 'forbidden');
  assert.equal((await call(server, 'POST', `${st}/webhooks`, { token: supportToken, body: { url: 'https://example.com/h' } })).status, 403);
  assert.equal((await call(server, 'GET', `${st}/webhooks`)).status, 401);

  const refused = async (body, field) => {
    const answer = await call(server, 'POST', `${st}/webhooks`, { token, body });
    assert.equal(answer.status, 422, `${JSON.stringify(body)}: ${answer.text}`);
    assertApiError(answer.json, 'invalid_fields');
    assert.ok(answer.json.error.fields.some((item) => item.field === field), `${field} named in ${answer.text}`);
    assert.ok(typeof answer.json.error.request_id === 'string');
  };
  await refused({ url: 'ftp://example.com/hook' }, 'url');
  await refused({ url: 'http://example.com/hook' }, 'url');          // http only to loopback
  await refused({ url: 'https://user:pw@example.com/hook' }, 'url');
  await refused({ url: 'https://example.com:99999/hook' }, 'url');
  await refused({ url: 'https://exa mple.com/' }, 'url');
  await refused({ url: 'https://example.com/hook', event_types: ['points_invented'] }, 'event_types[0]');
  await refused({ url: 'https://example.com/hook', event_types: [] }, 'event_types');
  await refused({ url: 'https://example.com/hook', event_types: ['tier_changed', 'tier_changed'] }, 'event_types[1]');
  await refused({ url: 'https://example.com/hook', colour: 'red' }, 'colour');
  await refused({}, 'url');

  const created = await ok(server, 'POST', `${st}/webhooks`,
    { token, body: { url: 'https://example.com/loyalty', event_types: ['tier_changed'] } }, 201);
  assert.match(created.secret, /^whsec_/);
  const id = created.webhook.id;
  const loopback = await ok(server, 'POST', `${st}/webhooks`, { token, body: { url: 'http://localhost:9/x' } }, 201);
  assert.notEqual(loopback.secret, created.secret);

  const list = await call(server, 'GET', `${st}/webhooks`, { token });
  assert.equal(list.json.webhooks.length, 2);
  assert.ok(!list.text.includes('whsec_'), 'the list never shows a secret');

  const disabled = await ok(server, 'PATCH', `${st}/webhooks/${id}`, { token, body: { enabled: false } });
  assert.equal(disabled.webhook.enabled, false);
  assert.equal(disabled.webhook.disabled_reason, `disabled by staff:${owner.email}`);
  const changed = await ok(server, 'PATCH', `${st}/webhooks/${id}`,
    { token, body: { url: 'https://example.org/new', event_types: ['*'], enabled: true } });
  assert.deepEqual([changed.webhook.url, changed.webhook.event_types, changed.webhook.enabled, changed.webhook.disabled_reason],
    ['https://example.org/new', ['*'], true, null]);
  assertApiError((await call(server, 'PATCH', `${st}/webhooks/${id}`, { token, body: { enabled: 'yes' } })).json, 'invalid_fields');
  assertApiError((await call(server, 'PATCH', `${st}/webhooks/${id}`, { token, body: { url: 'http://example.org/' } })).json, 'invalid_fields');
  assertApiError((await call(server, 'PATCH', `${st}/webhooks/999`, { token, body: { enabled: true } })).json, 'not_found');
  assertApiError((await call(server, 'PATCH', `${st}/webhooks/abc`, { token, body: { enabled: true } })).json, 'not_found');

  assertApiError((await call(server, 'GET', `${st}/webhooks/${id}/deliveries?limit=0`, { token })).json, 'invalid_fields');
  assertApiError((await call(server, 'GET', `${st}/webhooks/${id}/deliveries?after=x`, { token })).json, 'invalid_fields');
  const empty = await ok(server, 'GET', `${st}/webhooks/${id}/deliveries`, { token });
  assert.deepEqual(empty, { deliveries: [], has_more: false, next_cursor: null });

  const removed = await ok(server, 'DELETE', `${st}/webhooks/${id}`, { token });
  assert.equal(removed.webhook.id, id);
  assertApiError((await call(server, 'DELETE', `${st}/webhooks/${id}`, { token })).json, 'not_found');
  assertApiError((await call(server, 'GET', `${st}/webhooks/${id}/deliveries`, { token })).json, 'not_found');
  assert.equal((await ok(server, 'GET', `${st}/webhooks`, { token })).webhooks.length, 1);

  const audit = await ok(server, 'GET', `${st}/audit-log?limit=100`, { token });
  const actions = audit.entries.filter((entry) => entry.target === `webhook:${id}`).map((entry) => entry.action);
  assert.deepEqual(actions, ['webhook.created', 'webhook.updated', 'webhook.updated', 'webhook.deleted']);
  assert.ok(!JSON.stringify(audit).includes('whsec_'), 'the audit log never holds a secret');
});
