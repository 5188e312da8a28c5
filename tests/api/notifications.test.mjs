// API test of notification delivery: a scheduled notification to every member goes, at
// its send time, through the outbox to a fake push gateway (a webhook endpoint taking
// delivery_sent events), across a restart of the server in the middle of the stream:
// every member opted in gets exactly one delivery (one outbox event each), nobody opted
// out gets one, and the notification ends `sent`.
//
//   node --test tests/api/notifications.test.mjs
//
// Waits are bounded deadlines; nothing asserts on how long anything took.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { makeTempDir, runToExit, startServer, waitFor } from './server_harness.mjs';

const env = {
  LOYALTY_FAST_PASSWORD_HASH: '1',
  LOYALTY_WEBHOOK_BACKOFF_SCALE: '0.0001',
};
const store = 'shop-a';
const st = `/api/v1/stores/${store}`;
const owner = { email: 'owner-a@shop.vn', password: 'mat-khau-chu-a' };
const memberCount = 40;
const optedOut = ['KH-OUT-1', 'KH-OUT-2'];

async function adminOk(args, input = '') {
  const result = await runToExit(args, { env, input });
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
}

async function call(server, method, pathname, { body, token } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(server.url(pathname), { method, headers, body: body !== undefined ? JSON.stringify(body) : undefined });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: response.status, json, text };
}

async function ok(server, method, pathname, options) {
  const answer = await call(server, method, pathname, options);
  assert.ok(answer.status >= 200 && answer.status < 300, `${method} ${pathname}: ${answer.status} ${answer.text}`);
  return answer.json;
}

async function signIn(server) {
  return (await ok(server, 'POST', '/api/v1/auth/sign-in', { body: owner })).token;
}

// The fake push gateway: fails its first two requests, then takes each after a short delay
// (so that the restart comes while the stream is still going); keeps every request.
async function startGateway(t) {
  const requests = [];
  let count = 0;
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      count += 1;
      const failed = count <= 2;
      requests.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), failed });
      setTimeout(() => {
        response.writeHead(failed ? 503 : 200, { 'Content-Type': 'text/plain' });
        response.end(failed ? 'busy' : 'ok');
      }, failed ? 0 : 30);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }));
  return { requests, url: `http://127.0.0.1:${server.address().port}/push` };
}

test('a scheduled notification reaches every opted-in member once through the outbox, across a restart, and none other', { timeout: 120_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  const db = ['--database', databasePath];
  await adminOk(['create-store', ...db, '--id', store, '--name', 'Cửa hàng A']);
  await adminOk(['create-staff', ...db, '--email', owner.email, '--name', 'Chủ A', '--store', store, '--role', 'owner'], `${owner.password}\n`);
  const gateway = await startGateway(t);
  const first = await startServer(t, { baseDir, databasePath, env });
  let token = await signIn(first);

  // The push gateway is the store's webhook endpoint for delivery_sent.
  await ok(first, 'POST', `${st}/webhooks`, { token, body: { url: gateway.url, event_types: ['delivery_sent'] } });
  await ok(first, 'PUT', `${st}/program`, { token, body: { program: { wallet: { point_value_vnd: 1000, buyer_earn_rate_bp: 100 },
    tiers: [{ id: 'bac', name: 'Bạc', tier_points_needed: 0 }] } } });
  const opted = [];
  for (let i = 0; i < memberCount; i++) {
    const memberId = `KH-${String(i).padStart(3, '0')}`;
    opted.push(memberId);
    await ok(first, 'POST', `${st}/members`, { token, body: { member_id: memberId, phone: `0912${String(100000 + i)}`, name: `Khách ${i}` } });
  }
  for (const [i, memberId] of optedOut.entries()) {
    await ok(first, 'POST', `${st}/members`, { token, body: { member_id: memberId, phone: `0988${String(100000 + i)}`, name: `Không nhận ${i}`, opt_ins: { push: false } } });
  }
  // Two seconds from now, whole seconds (the core's time unit).
  const sendAt = new Date((Math.floor(Date.now() / 1000) + 2) * 1000).toISOString().replace('.000Z', 'Z');
  await ok(first, 'PUT', `${st}/notifications/khai-truong`, { token, body: { title: 'Chào {name}', body: 'Bạn có {points} điểm', send_at: sendAt } });
  const scheduled = await ok(first, 'POST', `${st}/notifications/khai-truong/schedule`, { token, body: {} });
  assert.equal(scheduled.notification.status, 'scheduled');

  // Stop in the middle of the stream: after the first deliveries reached the gateway.
  const taken = () => gateway.requests.filter((request) => !request.failed);
  await waitFor(() => taken().length >= 5, 'the first deliveries at the gateway', { deadlineMs: 30_000 });
  const stopped = await first.stop('SIGTERM');
  assert.equal(stopped.code, 0, `the server stops cleanly: ${first.output.stderr}`);
  assert.ok(taken().length < memberCount, 'the restart comes in the middle of the stream');

  const second = await startServer(t, { baseDir, databasePath, env });
  token = await signIn(second);
  const deliveryIdsTaken = () => new Set(taken().map((request) => request.body.data.delivery_id));
  await waitFor(() => deliveryIdsTaken().size >= memberCount, 'every delivery at the gateway', { deadlineMs: 60_000 });

  // Each delivery is one outbox event (one webhook-id): the gateway may hear an event again
  // after a cut-off request (at least once, the same id), never a second event for it.
  const eventOf = new Map();
  for (const request of gateway.requests) {
    assert.equal(request.body.type, 'delivery_sent');
    const data = request.body.data;
    assert.equal(data.kind, 'delivery_sent');
    assert.equal(data.notification_id, 'khai-truong');
    assert.equal(data.channel, 'app_push');
    assert.equal(data.title, `Chào Khách ${Number(data.member_id.slice(3))}`);
    assert.equal(data.body, 'Bạn có 0 điểm');
    // Never before its time: the event was made at or after the send time.
    assert.ok(data.time >= sendAt, `${data.delivery_id} was handed over at ${data.time}, not before ${sendAt}`);
    const known = eventOf.get(data.delivery_id);
    assert.ok(known === undefined || known === request.headers['webhook-id'], `${data.delivery_id} is one event`);
    eventOf.set(data.delivery_id, request.headers['webhook-id']);
  }
  assert.deepEqual([...deliveryIdsTaken()].sort(), opted.map((id) => `n/khai-truong/${id}`).sort(), 'every opted-in member, nobody else');

  const read = await ok(second, 'GET', `${st}/notifications/khai-truong`, { token });
  assert.equal(read.data.status, 'sent');
  assert.equal(read.data.deliveries.sent, memberCount);
  assert.equal(read.data.deliveries.skipped, optedOut.length);
  assert.equal((await ok(second, 'GET', `${st}/deliveries/due`, { token })).data.count, 0);
});

test('without a push gateway, due deliveries wait for the store\'s own sender; a gateway added later takes the rest', { timeout: 60_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  const db = ['--database', databasePath];
  await adminOk(['create-store', ...db, '--id', store, '--name', 'Cửa hàng A']);
  await adminOk(['create-staff', ...db, '--email', owner.email, '--name', 'Chủ A', '--store', store, '--role', 'owner'], `${owner.password}\n`);
  const server = await startServer(t, { baseDir, databasePath, env });
  const token = await signIn(server);
  await ok(server, 'PUT', `${st}/program`, { token, body: { program: { wallet: { point_value_vnd: 1000, buyer_earn_rate_bp: 100 },
    tiers: [{ id: 'bac', name: 'Bạc', tier_points_needed: 0 }] } } });
  for (const i of [1, 2, 3]) await ok(server, 'POST', `${st}/members`, { token, body: { member_id: `KH-${i}`, phone: `091220000${i}`, name: `Khách ${i}` } });
  // An endpoint for other events is not a push gateway.
  await ok(server, 'POST', `${st}/webhooks`, { token, body: { url: 'http://127.0.0.1:9/hook', event_types: ['points_earned'] } });
  await ok(server, 'PUT', `${st}/notifications/ngay-le`, { token, body: { title: 'Chào {name}', body: 'Ưu đãi ngày lễ' } });
  assert.equal((await ok(server, 'POST', `${st}/notifications/ngay-le/schedule`, { token, body: {} })).notification.status, 'sending');

  // The scheduler looks every second: after three of its runs, nothing was marked sent.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const due = await ok(server, 'GET', `${st}/deliveries/due`, { token });
  assert.equal(due.data.count, 3);
  assert.equal((await ok(server, 'GET', `${st}/notifications/ngay-le`, { token })).data.deliveries.sent, 0);
  // The store's own sender takes one and says so.
  assert.equal((await ok(server, 'POST', `${st}/deliveries/sent`, { token, body: { delivery_id: 'n/ngay-le/KH-1' } })).delivery.state, 'sent');

  // A gateway now: the scheduler hands it the two left, each once.
  const gateway = await startGateway(t);
  await ok(server, 'POST', `${st}/webhooks`, { token, body: { url: gateway.url, event_types: ['delivery_sent'] } });
  await waitFor(async () => (await ok(server, 'GET', `${st}/notifications/ngay-le`, { token })).data.deliveries.sent === 3,
    'the two left handed to the gateway', { deadlineMs: 30_000, intervalMs: 200 });
  assert.equal((await ok(server, 'GET', `${st}/deliveries/due`, { token })).data.count, 0);
});
