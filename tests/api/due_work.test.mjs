// Due work across a restart: what falls due while the server is down (pending points becoming
// available, a checkout's hold timing out) happens when it starts again, once, posted at the
// moment it fell due; a second restart does not do it again. And idempotency records are
// dropped after their documented 24 hours.
//
// The store is built with --demo-store from commands dated in the past (the API dates a
// program and a member "now"), so that an order dated 7 days ago less a few seconds has a
// pending period (7 days) that ends a few seconds from now; the hold times out after the
// program's hold_timeout_s, 60 s (its minimum). The test waits, with bounded polling, for
// both moments to pass while the server is down: about a minute.
//
//   NODE_PATH=/usr/share/nodejs node --test tests/api/due_work.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { makeTempDir, startServer, freePort, sqlite, waitFor } from './server_harness.mjs';
import {
  fastHashing, signIn, storeClient, testProgram, ok, balancesOf, wholeHistory,
  demoStoreId, demoOwner, writeCommandsFile, isoTime,
} from './store_api.mjs';

const day = 86_400_000;

test('pending points and a hold that fall due while the server is down are processed at start, once', { timeout: 180_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  const port = await freePort();
  const startedAt = Date.now();
  const commands = writeCommandsFile(baseDir, [
    { command: 'save_program', time: isoTime(startedAt - 30 * day), actor: 'chu@demo.vn',
      program: testProgram({ pending: { days: 7, tier_points: 'at_once' }, pay_with_points: { max_share_bp: 10000, hold_timeout_s: 60 } }) },
    { command: 'create_member', time: isoTime(startedAt - 20 * day), member_id: 'KH-1', phone: '0912000001', name: 'Nguyễn Văn Chờ' },
  ]);
  const options = { baseDir, databasePath, port, env: fastHashing, extraArgs: ['--demo-store', commands] };
  let server = await startServer(t, options);
  const api = storeClient(`http://127.0.0.1:${port}`, demoStoreId, await signIn(server, demoOwner.email, demoOwner.password));

  ok(await api.post('/members/KH-1/adjustments', { points: 100, reason: 'Điểm ban đầu' }, { key: 'fund' }));
  // Completed 7 days ago less 45 s: its 20 points wait until 45 s from now.
  const order = ok(await api.post('/orders', {
    order_id: 'DH-CHO', member_id: 'KH-1', status: 'completed', amount_vnd: 2_000_000, time: isoTime(Date.now() - 7 * day + 45_000),
  }, { key: 'order' }));
  assert.equal(order.balances['KH-1'].pending, 20);
  const hold = ok(await api.post('/holds', { hold_id: 'GIU-1', member_id: 'KH-1', points: 30, order_amount_vnd: 100_000 }, { key: 'hold' })).hold;
  const profile = ok(await api.get('/members/KH-1')).data;
  assert.equal(profile.pending.length, 1, JSON.stringify(profile.pending));
  const pendingEntry = profile.pending[0];
  const availableAt = pendingEntry.available_at;
  assert.equal(pendingEntry.points, 20);
  assert.equal(typeof availableAt, 'string', `the pending lot says when: ${JSON.stringify(pendingEntry)}`);
  assert.deepEqual({ points: profile.balances.points, pending: profile.balances.pending, held: profile.balances.held }, { points: 70, pending: 20, held: 30 });

  // Down before either falls due (both are tens of seconds away).
  server.child.kill('SIGKILL');
  await server.exited;
  const killedAt = Date.now();
  assert.ok(Date.parse(availableAt) > killedAt && Date.parse(hold.expires_at) > killedAt, 'both fall due while the server is down');
  const dueAt = Math.max(Date.parse(availableAt), Date.parse(hold.expires_at));
  await waitFor(() => Date.now() > dueAt + 1000, 'both moments passing', { deadlineMs: 120_000, intervalMs: 250 });

  server = await startServer(t, options);
  await waitFor(async () => {
    const balances = await balancesOf(api, 'KH-1');
    return balances.pending === 0 && balances.held === 0;
  }, 'the due work at start', { deadlineMs: 30_000, intervalMs: 50 });

  async function checkOnce(when) {
    const balances = await balancesOf(api, 'KH-1');
    assert.deepEqual({ points: balances.points, pending: balances.pending, held: balances.held }, { points: 100 + 20, pending: 0, held: 0 }, when);
    const history = await wholeHistory(api, 'KH-1');
    const released = history.filter((tx) => tx.kind === 'pending_release');
    const timedOut = history.filter((tx) => tx.kind === 'hold_released');
    assert.equal(released.length, 1, `one pending release ${when}`);
    assert.equal(timedOut.length, 1, `one hold release ${when}`);
    assert.equal(released[0].order_id, 'DH-CHO');
    // Each posted at the moment it fell due, though processed later.
    assert.equal(released[0].time, availableAt);
    assert.equal(timedOut[0].time, hold.expires_at);
    // And fed once to the outbox (the webhooks' source).
    const events = sqlite(databasePath, `SELECT event_type FROM outbox WHERE store_id = '${demoStoreId}' AND event_type IN ('points_available', 'hold_released') ORDER BY event_type`);
    assert.equal(events, 'hold_released\npoints_available', when);
  }
  await checkOnce('after the restart');
  assert.deepEqual(ok(await api.get('/members/KH-1')).data.pending, []);

  // A clean restart rebuilds the same state and does not run the due work again.
  await server.stop('SIGTERM');
  server = await startServer(t, options);
  await checkOnce('after a second restart');
  assert.equal(ok(await api.get('/ledger/audit')).data.invariants_hold, true);
  // The hold is over: releasing it by hand now changes nothing.
  const release = await api.post('/holds/GIU-1/release', {});
  assert.equal(release.status, 200, release.text);
  assert.equal(release.json.result, 'already_applied');
  assert.deepEqual(release.json.transactions, []);
  await checkOnce('after releasing it again by hand');
  await server.stop('SIGTERM');
});

test('idempotency records are dropped after their documented 24 hours; younger ones stay', { timeout: 60_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  const port = await freePort();
  const commands = writeCommandsFile(baseDir, [
    { command: 'save_program', time: isoTime(Date.now() - 30 * day), actor: 'chu@demo.vn', program: testProgram() },
    { command: 'create_member', time: isoTime(Date.now() - 20 * day), member_id: 'KH-1', phone: '0912000001', name: 'Nguyễn Văn Lặp' },
  ]);
  const options = { baseDir, databasePath, port, env: fastHashing, extraArgs: ['--demo-store', commands] };
  let server = await startServer(t, options);
  const api = storeClient(`http://127.0.0.1:${port}`, demoStoreId, await signIn(server, demoOwner.email, demoOwner.password));
  for (const key of ['old', 'young']) {
    ok(await api.post('/members/KH-1/adjustments', { points: 5, reason: key, idempotency_key: `adj-${key}` }, { key }));
  }
  await server.stop('SIGTERM');
  // One record made 25 hours ago, one 23 hours ago.
  sqlite(databasePath, `UPDATE idempotency_records SET created_at_utc = '${isoTime(Date.now() - 25 * 3600_000)}' WHERE idempotency_key = 'old'`);
  sqlite(databasePath, `UPDATE idempotency_records SET created_at_utc = '${isoTime(Date.now() - 23 * 3600_000)}' WHERE idempotency_key = 'young'`);
  server = await startServer(t, options);
  await waitFor(() => sqlite(databasePath, "SELECT COUNT(*) FROM idempotency_records WHERE idempotency_key = 'old'") === '0',
    'the old record dropped', { deadlineMs: 20_000, intervalMs: 50 });
  assert.equal(sqlite(databasePath, "SELECT COUNT(*) FROM idempotency_records WHERE idempotency_key = 'young'"), '1');
  // The young key still replays and refuses another body; the old one is free again.
  const young = await api.post('/members/KH-1/adjustments', { points: 5, reason: 'young', idempotency_key: 'adj-young' }, { key: 'young' });
  assert.equal(young.headers.get('idempotent-replayed'), 'true');
  assert.equal((await api.post('/members/KH-1/adjustments', { points: 6, reason: 'x', idempotency_key: 'adj-x' }, { key: 'young' })).json.error.code, 'idempotency_key_reused');
  const reused = await api.post('/members/KH-1/adjustments', { points: 7, reason: 'again', idempotency_key: 'adj-again' }, { key: 'old' });
  assert.equal(reused.status, 201, reused.text);
  assert.equal(reused.headers.get('idempotent-replayed'), null);
  assert.equal((await balancesOf(api, 'KH-1')).points, 5 + 5 + 7);
  await server.stop('SIGTERM');
});
