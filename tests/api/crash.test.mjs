// Crash test: clients send thousands of order events, refunds and adjustments, each with an
// Idempotency-Key, while the server is killed with SIGKILL at random moments (at least ten
// times) and restarted on the same database. Every write a client saw acknowledged (2xx) must
// be applied exactly once; writes that got no answer are retried with the same key after the
// restart and must not be applied twice. Checked against an independent expectation: orders
// of k × 100,000 VND earn exactly k points (1 %, 1 point = 1,000 VND) and 5k tier points, a
// refund of j × 100,000 VND takes back j and 5j, an adjustment gives its points; and by the
// members' histories (each order, refund and adjustment once), the core's audit and SQLite's
// integrity check. Loopback only, bounded in count and time.
//
//   NODE_PATH=/usr/share/nodejs node --test tests/api/crash.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { makeTempDir, startServer, freePort, sqlite } from './server_harness.mjs';
import {
  fastHashing, seedStores, signIn, storeClient, testProgram, ok, balancesOf, wholeHistory,
} from './store_api.mjs';

const storeId = 'crash-shop';
const memberCount = 20;
const clientCount = 12;
const killsMin = 20;
const killsMax = 40;
const writesMin = 3000;          // writes sent before the last kill
const requestTimeoutMs = 15_000;

// A small seeded generator, so that a failure can be replayed with the same choices.
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('every acknowledged write survives SIGKILL exactly once; retries of unanswered writes are not applied twice', { timeout: 170_000 }, async (t) => {
  const seed = Number(process.env.CRASH_SEED ?? 20261201);
  t.diagnostic(`seed ${seed} (CRASH_SEED to replay)`);
  const random = seededRandom(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const between = (low, high) => low + Math.floor(random() * (high - low + 1));

  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  const port = await freePort();
  await seedStores(databasePath, [{ id: storeId, staff: [['owner@crash.vn', 'owner']] }]);
  // Snapshots every few hundred journal entries: restarts load snapshot + tail, and some
  // kills land while one is written.
  const env = { ...fastHashing, LOYALTY_SNAPSHOT_EVERY: '250' };
  let server = await startServer(t, { baseDir, databasePath, port, env });
  const token = await signIn(server, 'owner@crash.vn');
  // The API client names the server by its port, which stays the same across restarts.
  const api = storeClient(`http://127.0.0.1:${port}`, storeId, token);
  ok(await api.put('/program', { program: testProgram() }), 'program');
  const members = Array.from({ length: memberCount }, (_, index) => `KH-${String(index + 1).padStart(3, '0')}`);
  for (const [index, member] of members.entries()) {
    ok(await api.post('/members', { member_id: member, phone: `0911${String(index).padStart(6, '0')}`, name: `Khách ${index + 1}` }), member);
  }

  // ---- the writes, and what each one is expected to do
  const writes = [];                 // { key, pathname, body, kind, member, points, tier, acked, answer }
  const ackedOrders = [];            // orders acknowledged, with what of them is not refunded yet
  let sequence = 0;
  function newWrite() {
    sequence += 1;
    const roll = random();
    const refundable = ackedOrders.filter((order) => order.unitsLeft > 0);
    if (roll < 0.25 && refundable.length > 0) {
      const order = pick(refundable);
      const units = between(1, order.unitsLeft);
      order.unitsLeft -= units;    // counted when sent: retried until it is applied
      return { key: `refund-${sequence}`, pathname: `/orders/${order.id}/refunds`, kind: 'refund', member: order.member,
        points: -units, tier: -5 * units, refundId: `HT-${sequence}`, body: { refund_id: `HT-${sequence}`, amount_vnd: units * 100_000 } };
    }
    if (roll < 0.45) {
      const member = pick(members);
      const points = between(1, 30);
      return { key: `adjust-${sequence}`, pathname: `/members/${member}/adjustments`, kind: 'adjustment', member, points, tier: 0,
        body: { points, reason: `Bù điểm lần ${sequence}` } };
    }
    const member = pick(members);
    const units = between(1, 9);
    return { key: `order-${sequence}`, pathname: '/orders', kind: 'order', member, points: units, tier: 5 * units, orderId: `DH-${sequence}`, units,
      body: { order_id: `DH-${sequence}`, member_id: member, status: 'completed', amount_vnd: units * 100_000 } };
  }

  // ---- the server's life: up, killed, restarted
  let up = true;
  let kills = 0;
  let restarted = Promise.resolve();
  let resolveRestarted = () => {};
  const unexpected = [];
  let stopping = false;

  async function send(write) {
    try {
      const response = await api.post(write.pathname, write.body, { key: write.key, signal: AbortSignal.timeout(requestTimeoutMs) });
      if (response.status >= 200 && response.status < 300) return { acked: true, response };
      // 503 (storage unavailable) and 409 (in flight) say: not done, retry.
      if (response.status !== 503 && response.status !== 409) unexpected.push(`${write.key}: ${response.status} ${response.text}`);
      return { acked: false };
    } catch {
      return { acked: false };   // no answer: the server died under it
    }
  }

  function acknowledge(write, response) {
    write.acked = true;
    write.answer = { status: response.status, text: response.text, replayed: response.headers.get('idempotent-replayed') === 'true' };
    if (write.kind === 'order') ackedOrders.push({ id: write.orderId, member: write.member, unitsLeft: write.units });
  }

  const retryQueue = [];
  async function client() {
    while (!stopping) {
      if (!up) { await restarted; continue; }
      const write = retryQueue.shift() ?? newWrite();
      if (!write.sent) { write.sent = true; writes.push(write); }
      const { acked, response } = await send(write);
      if (acked) acknowledge(write, response);
      else retryQueue.push(write);
    }
  }

  async function killer() {
    while (kills < killsMin || (writes.length < writesMin && kills < killsMax)) {
      // Let the clients work for a random moment, then kill the server under them.
      const sentBefore = writes.length;
      const target = sentBefore + between(50, 400);
      const deadline = Date.now() + 20_000;
      while (writes.length < target && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, between(1, 15)));
      restarted = new Promise((resolve) => { resolveRestarted = resolve; });
      up = false;
      server.child.kill('SIGKILL');
      const exit = await server.exited;
      assert.equal(exit.signal, 'SIGKILL', 'killed, not exited');
      kills += 1;
      // The database as the crash left it: SQLite recovers it, whole.
      assert.equal(sqlite(databasePath, 'PRAGMA integrity_check'), 'ok', `integrity after kill ${kills}`);
      server = await startServer(t, { baseDir, databasePath, port, env });
      up = true;
      resolveRestarted();
    }
    stopping = true;
  }

  await Promise.all([killer(), ...Array.from({ length: clientCount }, client)]);
  assert.deepEqual(unexpected, [], 'no write was refused');
  assert.ok(kills >= 10, `${kills} kills`);
  const unansweredAtEnd = writes.filter((write) => !write.acked).length;

  // ---- retry every unanswered write with its key, until answered
  for (let attempt = 0; retryQueue.length > 0; attempt += 1) {
    assert.ok(attempt < 20, `writes still unanswered: ${retryQueue.map((w) => w.key).join(' ')}`);
    const batch = retryQueue.splice(0);
    for (const write of batch) {
      const { acked, response } = await send(write);
      if (acked) acknowledge(write, response);
      else retryQueue.push(write);
    }
  }
  assert.deepEqual(unexpected, []);
  const durableBeforeAnswer = writes.filter((write) => write.answer.replayed).length;
  t.diagnostic(`${writes.length} writes, ${kills} kills; ${unansweredAtEnd} unanswered when the last client stopped; `
    + `${durableBeforeAnswer} applied before a crash took their answer (replayed on retry)`);
  assert.ok(writes.length >= 1000, `thousands of writes (${writes.length})`);

  // ---- the independent expectation
  const expected = Object.fromEntries(members.map((member) => [member, { points: 0, tier: 0 }]));
  for (const write of writes) {
    expected[write.member].points += write.points;
    expected[write.member].tier += write.tier;
  }
  async function checkState(when) {
    for (const member of members) {
      const balances = await balancesOf(api, member);
      assert.deepEqual(
        { points: balances.points, pending: balances.pending, held: balances.held, tier: balances.tier_points_lifetime },
        { points: expected[member].points, pending: 0, held: 0, tier: expected[member].tier },
        `${member} ${when}`,
      );
    }
    const audit = ok(await api.get('/ledger/audit'), 'audit').data;
    assert.equal(audit.invariants_hold, true, `invariants ${when}`);
    assert.equal(audit.orders, writes.filter((write) => write.kind === 'order').length, `orders ${when}`);
    assert.equal(audit.members, memberCount);
  }
  await checkState('after the crashes');

  // Each write once in the members' histories.
  const byMember = new Map();
  for (const member of members) byMember.set(member, await wholeHistory(api, member));
  for (const write of writes) {
    const history = byMember.get(write.member);
    const found = write.kind === 'order'
      ? history.filter((tx) => tx.kind === 'order_earning' && tx.order_id === write.orderId)
      : write.kind === 'refund'
        ? history.filter((tx) => tx.kind === 'order_reversal' && tx.refund_id === write.refundId)
        : history.filter((tx) => tx.kind === 'manual_adjustment' && tx.idempotency_key === write.key);
    assert.equal(found.length, 1, `${write.key} once in ${write.member}'s history`);
  }

  // Every acknowledged answer survived the crashes with its key: the same key and body replay it.
  for (const write of writes) {
    const { response } = await send(write);
    assert.ok(response, `${write.key} answered`);
    assert.equal(response.headers.get('idempotent-replayed'), 'true', write.key);
    assert.equal(response.status, write.answer.status, write.key);
    assert.equal(response.text, write.answer.text, `${write.key}: the first answer`);
  }

  assert.ok(Number(sqlite(databasePath, `SELECT COUNT(*) FROM snapshots WHERE store_id = '${storeId}'`)) > 0, 'restarts used snapshots');

  // A clean stop and start rebuild the same state; the database is whole.
  await server.stop('SIGTERM');
  assert.equal(sqlite(databasePath, 'PRAGMA integrity_check'), 'ok');
  server = await startServer(t, { baseDir, databasePath, port, env });
  await checkState('after a clean restart');
  await server.stop('SIGTERM');
  assert.equal(sqlite(databasePath, 'PRAGMA integrity_check'), 'ok');
});
