// The OpenAPI document (server/openapi.json, served at /api/v1/openapi.json) against the
// server: every route the server registers is in the document and every documented route
// is served (both ways, from the route registrations in server/http/*.cpp and by asking the
// running server), and every example request in the document is accepted.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, repoDir, runToExit, startServer } from './server_harness.mjs';

const documentPath = path.join(repoDir, 'server', 'openapi.json');
const document = JSON.parse(fs.readFileSync(documentPath, 'utf8'));
const methods = ['get', 'post', 'put', 'patch', 'delete'];
const fastHashing = { LOYALTY_FAST_PASSWORD_HASH: '1' };

// "/api/v1/stores/{store_id}/members/{member_id}" -> "/api/v1/stores/{}/members/{}"
const normalise = (route) => route.replace(/\{[a-z_]+\}/g, '{}');

function documentedRoutes() {
  const routes = new Set();
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const method of methods) if (operations[method]) routes.add(`${method.toUpperCase()} ${normalise(route)}`);
  }
  return routes;
}

// The routes the server's source registers: `server.Get("...")`, `server.Post(store_path +
// "...")`, and the store routes' `read("...")` / `write(post, "...")` / `path_regex("...")`.
function registeredRoutes() {
  const routes = new Set();
  const folder = path.join(repoDir, 'server', 'http');
  const storePrefix = '/api/v1/stores/{}';
  for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.cpp'))) {
    const source = fs.readFileSync(path.join(folder, file), 'utf8');
    const toTemplate = (text) => text.replace(/\(\[\^\/\]\+\)/g, '{}').replace(/\{[a-z_]+\}/g, '{}');
    for (const match of source.matchAll(/server\.(Get|Post|Put|Patch|Delete)\(\s*(?:(\w+)\s*\+\s*)?"([^"]*)"/g)) {
      const [, method, prefix, literal] = match;
      const route = prefix ? storePrefix + toTemplate(literal) : toTemplate(literal);
      routes.add(`${method.toUpperCase()} ${route}`);
    }
    for (const match of source.matchAll(/server\.(Get|Post|Put|Patch|Delete)\(\s*path_regex\("([^"]*)"\)/g)) {
      routes.add(`${match[1].toUpperCase()} ${storePrefix}${toTemplate(match[2])}`);
    }
    for (const match of source.matchAll(/\bread\("([^"]*)"/g)) routes.add(`GET ${storePrefix}${toTemplate(match[1])}`);
    for (const match of source.matchAll(/\bpost_read\("([^"]*)"/g)) routes.add(`POST ${storePrefix}${toTemplate(match[1])}`);
    for (const match of source.matchAll(/\bwrite\((post|put|patch|del), "([^"]*)"/g)) {
      routes.add(`${(match[1] === 'del' ? 'delete' : match[1]).toUpperCase()} ${storePrefix}${toTemplate(match[2])}`);
    }
  }
  // The API's 404 for unknown paths and the console's static files are not API routes.
  for (const route of [...routes]) if (route.includes('(') || route.endsWith('/.*')) routes.delete(route);
  return routes;
}

test('every route the server registers is documented, and every documented route is registered', () => {
  const documented = documentedRoutes();
  const registered = registeredRoutes();
  assert.ok(registered.size > 30, `found only ${registered.size} registered routes: the scan of server/http broke`);
  const undocumented = [...registered].filter((route) => !documented.has(route)).sort();
  const unserved = [...documented].filter((route) => !registered.has(route)).sort();
  assert.deepEqual(undocumented, [], 'routes missing from server/openapi.json');
  assert.deepEqual(unserved, [], 'documented routes the server does not register');
});

test('the document is OpenAPI 3.1 and every operation names its permission and its errors', () => {
  assert.equal(document.openapi, '3.1.0');
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const method of methods) {
      const operation = operations[method];
      if (!operation) continue;
      assert.ok(operation.summary, `${method} ${route} has a summary`);
      if (route.startsWith('/api/v1/stores/')) {
        assert.ok(operation['x-permission'], `${method} ${route} names its permission`);
        assert.ok(operation.responses['403'], `${method} ${route} documents 403`);
      }
    }
  }
});

test('the running server serves the document and every documented route, and accepts its examples', async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  const db = ['--database', databasePath];
  await runToExit(['create-store', ...db, '--id', 'shop-a', '--name', 'Cửa hàng A'], { env: fastHashing });
  await runToExit(['create-staff', ...db, '--email', 'owner@shop.vn', '--name', 'Chủ', '--store', 'shop-a', '--role', 'owner'],
    { env: fastHashing, input: 'mat-khau-cua-chu\n' });
  const server = await startServer(t, { baseDir, databasePath, env: fastHashing });
  const signIn = await (await fetch(server.url('/api/v1/auth/sign-in'), {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'owner@shop.vn', password: 'mat-khau-cua-chu' }),
  })).json();
  const token = signIn.token;
  const call = async (method, route, body, headers = {}) => {
    const response = await fetch(server.url(route), {
      method: method.toUpperCase(),
      headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* metrics are text */ }
    return { status: response.status, json, text };
  };

  const served = await call('get', '/api/v1/openapi.json');
  assert.equal(served.status, 200);
  assert.deepEqual(served.json, document, 'the server serves the document kept in the repository');

  // The examples, in an order that makes each meaningful (a program before members, a
  // member before its orders, ...). Path parameters come from what earlier steps created.
  const ids = { store_id: 'shop-a', member_id: 'KH-API-1', order_id: 'DH-API-1', hold_id: 'GIU-1' };
  const example = (route, method) => document.paths[route][method].requestBody?.content['application/json'].example;
  const fill = (route) => route.replace(/\{([a-z_]+)\}/g, (_, name) => encodeURIComponent(String(ids[name])));
  const run = async (method, route, { body = example(route, method), key } = {}) => {
    const answer = await call(method, fill(route), body, key ? { 'Idempotency-Key': key } : {});
    assert.ok(answer.status >= 200 && answer.status < 300,
      `${method.toUpperCase()} ${route} with its example answered ${answer.status}: ${answer.text.slice(0, 400)}`);
    return answer.json;
  };
  const st = '/api/v1/stores/{store_id}';
  await run('put', `${st}/program`);
  // A backtest's period starts when the store has a program (the second the program was saved in, or later).
  const afterProgram = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace(".000Z", "Z");
  await run('post', `${st}/members`);
  await run('post', `${st}/members`, { body: { member_id: 'KH-API-2', phone: '0987654321', name: 'Trần Thị Bình' } });
  await run('post', `${st}/members/{member_id}/adjustments`, { key: 'adjust-1' });
  await run('post', `${st}/members/{member_id}/tier`);
  await run('post', `${st}/orders`, { key: 'order-1' });
  await run('post', `${st}/orders/{order_id}/refunds`, { key: 'refund-1' });
  await run('post', `${st}/orders/{order_id}/pending/release`);
  await run('post', `${st}/orders`, { body: { order_id: 'DH-API-2', member_id: 'KH-API-1', status: 'completed', amount_vnd: 300000 } });
  ids.order_id = 'DH-API-2';
  await run('post', `${st}/orders/{order_id}/pending/cancel`);
  await run('post', `${st}/holds`, { key: 'hold-1' });
  await run('post', `${st}/holds/{hold_id}/release`, { body: undefined, key: 'release-1' });
  await run('post', `${st}/redemptions`, { key: 'redeem-1' });
  await run('post', `${st}/transfers`, { key: 'transfer-1' });
  await run('post', `${st}/program/preview`);
  await run('post', `${st}/program/impact`);
  await run('post', `${st}/program/backtest`, { body: { ...example(`${st}/program/backtest`, 'post'), from: afterProgram, to: new Date(Date.parse(afterProgram) + 86_400_000).toISOString() } });
  const metricsAnswer = await call('get', fill(`${st}/metrics`) + '?from=2026-01-01T00:00:00%2B07:00&bucket=month');
  assert.equal(metricsAnswer.status, 200, metricsAnswer.text.slice(0, 400));
  // Groups: the documented dynamic group, then a static one to fill, page, import and delete.
  ids.group_id = 'sinh-nhat-thang-6';
  await run('put', `${st}/groups/{group_id}`);
  ids.group_id = 'khach-quen';
  await run('put', `${st}/groups/{group_id}`, { body: { name: 'Khách quen', kind: 'static' } });
  await run('post', `${st}/groups/{group_id}/members`);
  await run('post', `${st}/groups/{group_id}/import`);
  assert.deepEqual((await run('get', `${st}/groups/{group_id}/members`)).data.members.map((m) => m.member_id ?? m), ['KH-API-1', 'KH-API-2']);
  await run('get', `${st}/members/{member_id}/groups`);
  await run('post', `${st}/groups/{group_id}/members/remove`);
  await run('delete', `${st}/groups/{group_id}`);
  // Voucher campaigns: the documented hidden campaign for the June group, published; a print
  // run, a partner's codes (JSON, then CSV), a claim by a member of the group, a check of a
  // partner's code, the member's vouchers and offers, and the claim cancelled.
  ids.campaign_id = 'VC-SINH-NHAT-6';
  await run('put', `${st}/campaigns/{campaign_id}`, { key: 'campaign-1' });
  await run('post', `${st}/campaigns/{campaign_id}/status`, { key: 'status-1' });
  await run('get', `${st}/campaigns`);
  await run('post', `${st}/campaigns/{campaign_id}/codes`, { key: 'print-1' });
  await run('post', `${st}/campaigns/{campaign_id}/codes/import`, { key: 'import-1' });
  const imported = await run('post', `${st}/campaigns/{campaign_id}/codes/import`, { body: { batch_id: 'GRAB-SN-2', csv: 'Mã\r\nGRAB-SN-0003\r\n' } });
  assert.deepEqual(imported.codes.map((code) => code.code), ['GRABSN0003']);
  const claimed = await run('post', `${st}/campaigns/{campaign_id}/claims`, { key: 'claim-1' });
  assert.equal(claimed.voucher.points, 10);
  ids.claim_id = claimed.voucher.claim_id;
  assert.equal((await run('post', `${st}/vouchers/check`)).data.discount_vnd, 50000);
  assert.equal((await run('get', `${st}/members/{member_id}/vouchers`)).data.vouchers[0].claim_id, 'NM-API-1');
  assert.equal((await run('get', `${st}/members/{member_id}/campaigns`)).data.campaigns[0].refusal.result, 'claim_limit_reached');
  assert.equal((await run('get', `${st}/campaigns/{campaign_id}`)).data.codes_issued, 7);
  assert.equal((await run('post', `${st}/claims/{claim_id}/cancel`, { key: 'cancel-1' })).voucher.state, 'void');
  // Notifications: the documented one to everyone (sent at once), its deliveries marked, a scenario.
  ids.notification_id = 'uu-dai-thang-6';
  await run('put', `${st}/notifications/{notification_id}`);
  await run('post', `${st}/notifications/{notification_id}/schedule`, { body: undefined, key: 'schedule-1' });
  assert.equal((await run('get', `${st}/deliveries/due`)).data.count, 2);
  await run('post', `${st}/deliveries/sent`, { key: 'sent-1' });
  await run('post', `${st}/deliveries/failed`, { key: 'failed-1' });
  await run('post', `${st}/deliveries/opened`, { key: 'opened-1' });
  await run('post', `${st}/deliveries/clicked`, { key: 'clicked-1' });
  const delivery = await call('get', fill(`${st}/deliveries`) + '?delivery_id=' + encodeURIComponent('n/uu-dai-thang-6/KH-API-1'));
  assert.equal(delivery.status, 200, delivery.text.slice(0, 400));
  assert.equal(delivery.json.data.clicked, true);
  await run('get', `${st}/notifications`);
  await run('get', `${st}/notifications/{notification_id}`);
  await run('post', `${st}/notifications/{notification_id}/cancel`, { body: undefined, key: 'notification-cancel-1' });
  ids.scenario_id = 'cam-on-don-hang';
  await run('put', `${st}/scenarios/{scenario_id}`);
  await run('get', `${st}/scenarios`);
  await run('get', `${st}/scenarios/{scenario_id}`);
  await run('patch', `${st}/members/{member_id}`);
  await run('post', `${st}/members/{member_id}/block`, { body: undefined });
  await run('post', `${st}/members/{member_id}/unblock`, { body: undefined });
  const staff = await run('post', `${st}/staff`);
  ids.staff_id = staff.staff?.id ?? staff.id;
  await run('patch', `${st}/staff/{staff_id}`);
  const key = await run('post', `${st}/api-keys`);
  ids.key_id = key.api_key?.id ?? key.id;
  if (document.paths[`${st}/webhooks`]) {
    const hook = await run('post', `${st}/webhooks`);
    ids.webhook_id = hook.webhook?.id ?? hook.id;
    await run('patch', `${st}/webhooks/{webhook_id}`);
  }

  // Every documented route is served: nothing answers with the API's "no such path".
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const method of methods) {
      if (!operations[method] || method === 'delete' || route.endsWith('/sign-out')) continue;
      const answer = await call(method, fill(route).replace('{', ''), method === 'get' ? undefined : {});
      const noSuchPath = answer.status === 404 && answer.json?.error?.code === 'not_found' &&
        /no API at this path/.test(answer.json?.error?.message?.en ?? '');
      assert.ok(!noSuchPath && answer.status !== 405, `${method.toUpperCase()} ${route} is served (got ${answer.status})`);
    }
  }
  const metrics = await call('get', '/metrics');
  assert.match(metrics.text, /loyalty_http_requests_total\{route="POST \/api\/v1\/stores\/\{store_id\}\/orders",status="200"\} [1-9]/);
  assert.match(metrics.text, /loyalty_commit_batches_total [1-9]/);
  assert.match(metrics.text, /loyalty_journal_length\{store="shop-a"\} [1-9]/);
});
