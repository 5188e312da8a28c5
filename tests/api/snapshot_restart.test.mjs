// A restart loads the newest snapshot of a store's state and replays only the journal
// after it; the store then answers exactly as before the restart, and as a full replay
// does (a damaged snapshot is ignored and the whole journal replayed).
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { makeTempDir, runToExit, sqlite, startServer } from './server_harness.mjs';

// Chunks of 4 KiB: a snapshot of this small store is still saved in several.
const env = { LOYALTY_FAST_PASSWORD_HASH: '1', LOYALTY_SNAPSHOT_EVERY: '25', LOYALTY_SNAPSHOT_CHUNK_BYTES: '4096' };

test('snapshot + tail gives the same store as before the restart and as a full replay', async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  const db = ['--database', databasePath];
  await runToExit(['create-store', ...db, '--id', 'shop', '--name', 'Cửa hàng'], { env });
  await runToExit(['create-staff', ...db, '--email', 'chu@shop.vn', '--name', 'Chủ', '--store', 'shop', '--role', 'owner'],
    { env, input: 'mat-khau-cua-chu\n' });
  const start = () => startServer(t, { baseDir, databasePath, env });
  let server = await start();
  const signIn = async () => (await (await fetch(server.url('/api/v1/auth/sign-in'), {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'chu@shop.vn', password: 'mat-khau-cua-chu' }),
  })).json()).token;
  let token = await signIn();
  const call = async (method, route, body) => {
    const response = await fetch(server.url(`/api/v1/stores/shop${route}`), {
      method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: await response.json() };
  };
  const program = { wallet: { point_value_vnd: 1000, buyer_earn_rate_bp: 100, referrer_earn_rate_bp: 50 },
    tiers: [{ id: 'bac', name: 'Bạc', tier_points_needed: 0 }, { id: 'vang', name: 'Vàng', tier_points_needed: 200 }],
    expiry: { rule: 'months_after', months: 12 }, transfers: { enabled: true } };
  assert.equal((await call('PUT', '/program', { program })).status, 200);
  const members = [];
  for (let i = 0; i < 8; i++) {
    const member_id = `M${i}`;
    members.push(member_id);
    const body = { member_id, phone: `09${String(12345670 + i)}`, name: `Thành viên ${i}` };
    if (i > 0) body.referrer_id = 'M0';
    assert.equal((await call('POST', '/members', body)).status, 201);
  }
  for (let k = 0; k < 70; k++) {
    const answer = await call('POST', '/orders', { order_id: `O${k}`, member_id: members[k % members.length], status: 'completed', amount_vnd: 250000 + k * 10000 });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    if (k % 10 === 9) await call('POST', `/orders/O${k - 5}/refunds`, { refund_id: `R${k}`, amount_vnd: 100000 });
  }
  const reads = async () => {
    const answers = [await call('GET', '/ledger/audit'), await call('GET', '/liability')];
    for (const member_id of members) {
      answers.push(await call('GET', `/members/${member_id}`));
      answers.push(await call('GET', `/members/${member_id}/ledger?limit=100`));
    }
    return answers.map((answer) => JSON.stringify(answer));
  };
  const before = await reads();
  assert.equal(JSON.parse(before[0]).json.data.invariants_hold, true);
  await server.stop();
  const journalLength = Number(sqlite(databasePath, "SELECT MAX(sequence) FROM journal WHERE store_id = 'shop'"));
  const snapshotAt = Number(sqlite(databasePath, "SELECT MAX(sequence) FROM snapshots WHERE store_id = 'shop'"));
  assert.ok(snapshotAt > 0 && snapshotAt <= journalLength, `a snapshot was taken (at ${snapshotAt} of ${journalLength} entries)`);

  const chunks = Number(sqlite(databasePath, `SELECT COUNT(*) FROM snapshot_chunks WHERE sequence = ${snapshotAt}`));
  assert.ok(chunks > 1, `the snapshot is in several chunks (${chunks})`);
  assert.equal(sqlite(databasePath, 'SELECT chunk_count FROM snapshots'), String(chunks));
  assert.equal(sqlite(databasePath, `SELECT COUNT(*) FROM snapshot_chunks WHERE sequence <> ${snapshotAt}`), '0',
    'the chunks of older snapshots are removed');
  // What a save killed half-way leaves (chunks, no snapshots row) is never read.
  sqlite(databasePath, "INSERT INTO snapshot_chunks VALUES ('shop', 999999, 0, CAST('half a snapshot' AS BLOB))");

  server = await start();
  token = await signIn();
  assert.deepEqual(await reads(), before, 'snapshot + tail answers as the store did before the restart');
  assert.doesNotMatch(server.output.stderr, /ignoring snapshot/);
  await server.stop();

  // A chunk missing: the snapshot is refused and the whole journal replayed.
  sqlite(databasePath, `DELETE FROM snapshot_chunks WHERE sequence = ${snapshotAt} AND chunk_index = 1`);
  server = await start();
  token = await signIn();
  assert.deepEqual(await reads(), before, 'a full replay answers the same');
  assert.match(server.output.stderr, /ignoring snapshot/);
  // That start replayed a tail longer than LOYALTY_SNAPSHOT_EVERY and saved a new snapshot,
  // which removed the unfinished one's chunk.
  await server.stop();
  assert.equal(sqlite(databasePath, 'SELECT COUNT(*) FROM snapshot_chunks WHERE sequence = 999999'), '0');
  assert.equal(sqlite(databasePath, "SELECT COUNT(*) FROM snapshots"), '1');

  // A damaged snapshot is refused by its checks: the whole journal is replayed instead.
  sqlite(databasePath, "UPDATE snapshot_chunks SET data = CAST('damaged' AS BLOB) WHERE chunk_index = 0");
  server = await start();
  token = await signIn();
  assert.deepEqual(await reads(), before, 'a full replay answers the same');
  assert.match(server.output.stderr, /ignoring snapshot/);
});
