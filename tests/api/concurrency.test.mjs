// Concurrency test: many clients spend from one member at once (redemptions, holds and
// transfers of the same size, so that exactly floor(balance / size) can succeed whatever the
// order); exactly that many succeed, the rest are refused with insufficient_points; the
// balance never goes below zero in any read; no request fails with a 5xx or a stray
// SQLITE_BUSY, while other stores write, readers read and the operator takes a backup.
//
//   NODE_PATH=/usr/share/nodejs node --test tests/api/concurrency.test.mjs
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { makeTempDir, startServer, runToExit, sqlite } from './server_harness.mjs';
import {
  fastHashing, seedStores, signIn, createApiKey, storeClient, testProgram, ok, assertErrorShape, balancesOf, wholeHistory,
} from './store_api.mjs';

let server;
let owner;
let checkout;      // an API key with the holds scope, as a shop's checkout has
let other;         // the owner of another store in the same database
const cleanups = [];
const context = { after: (fn) => { cleanups.push(fn); } };
let phoneCounter = 0;
const newPhone = () => `0988${String(++phoneCounter).padStart(6, '0')}`;

before(async () => {
  const baseDir = makeTempDir(context);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seedStores(databasePath, [
    { id: 'busy', staff: [['owner@busy.vn', 'owner']] },
    { id: 'busy-other', staff: [['owner@other.vn', 'owner']] },
  ]);
  server = await startServer(context, { baseDir, databasePath, env: fastHashing });
  const ownerToken = await signIn(server, 'owner@busy.vn');
  owner = storeClient(server, 'busy', ownerToken);
  checkout = storeClient(server, 'busy', await createApiKey(server, ownerToken, 'busy', ['holds']));
  other = storeClient(server, 'busy-other', await signIn(server, 'owner@other.vn'));
  ok(await owner.put('/program', { program: testProgram() }));
  ok(await other.put('/program', { program: testProgram() }));
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function memberWith(points) {
  const member = `KH-${newPhone()}`;
  ok(await owner.post('/members', { member_id: member, phone: newPhone(), name: `Khách ${member}` }));
  ok(await owner.post(`/members/${member}/adjustments`, { points, reason: 'Điểm ban đầu' }, { key: `fund-${member}` }));
  return member;
}

// Reads the member's balances in a loop until `done()`; each read must show no negative
// balance, and (every write here only takes points) never more points than the read before.
function watch(member, done) {
  return (async () => {
    let reads = 0;
    let last = Infinity;
    while (!done()) {
      const response = await owner.get(`/members/${member}`);
      assert.equal(response.status, 200, response.text);
      const { points, held } = response.json.data.balances;
      assert.ok(points >= 0 && held >= 0, `balances ${points} + ${held} held`);
      assert.ok(points <= last, `points went from ${last} up to ${points}`);
      last = points;
      reads += 1;
    }
    return reads;
  })();
}

// Every answer is a success or insufficient_points: never a 5xx, never SQLite's words.
function tally(answers, successStatus) {
  let succeeded = 0;
  for (const answer of answers) {
    assert.ok(answer.status < 500, `${answer.status} ${answer.text}`);
    assert.doesNotMatch(answer.text, /SQLITE|database is locked/i);
    if (answer.status === successStatus) succeeded += 1;
    else assertErrorShape(answer, 422, 'insufficient_points');
  }
  return succeeded;
}

test('50 clients redeem and hold from one member at once: exactly the possible number succeed, the balance never goes below zero', async () => {
  const size = 40;
  const member = await memberWith(1000);
  let finished = false;
  const watchers = [watch(member, () => finished), watch(member, () => finished)];
  const requests = Array.from({ length: 50 }, (_, index) => (index % 2 === 0
    ? checkout.post('/redemptions', { redemption_id: `rd-${member}-${index}`, member_id: member, points: size, reason: 'Đổi quà' })
    : checkout.post('/holds', { hold_id: `h-${member}-${index}`, member_id: member, points: size, order_amount_vnd: 100_000 })));
  const answers = await Promise.all(requests);
  finished = true;
  const reads = await Promise.all(watchers);
  assert.equal(tally(answers, 201), 1000 / size, 'exactly 25 succeed');
  const holds = answers.filter((answer, index) => index % 2 === 1 && answer.status === 201).length;
  const balances = await balancesOf(owner, member);
  assert.deepEqual([balances.points, balances.held], [0, holds * size]);
  const history = await wholeHistory(owner, member);
  assert.equal(history.filter((tx) => tx.kind === 'points_redeemed').length, 25 - holds);
  assert.equal(history.filter((tx) => tx.kind === 'hold_placed').length, holds);
  assert.ok(reads.every((count) => count > 0));
  assert.equal(ok(await owner.get('/ledger/audit')).data.invariants_hold, true);
});

test('spending storms with idempotency keys, transfers, other members and another store writing, and a backup taken meanwhile: exact counts, no 5xx, no SQLITE_BUSY', { timeout: 120_000 }, async (t) => {
  const size = 33;
  const rounds = 3;
  const receiver = await memberWith(1);
  for (let round = 1; round <= rounds; round += 1) {
    const member = await memberWith(1000);   // floor(1000 / 33) = 30 succeed, 10 points left
    let finished = false;
    const watchers = [watch(member, () => finished), watch(member, () => finished), watch(member, () => finished)];
    const spends = Array.from({ length: 60 }, (_, index) => {
      const key = { key: `spend-${round}-${index}` };
      if (index % 3 === 0) return checkout.post('/redemptions', { redemption_id: `rd-${round}-${index}`, member_id: member, points: size, reason: 'Đổi quà' }, key);
      if (index % 3 === 1) return checkout.post('/holds', { hold_id: `h-${round}-${index}`, member_id: member, points: size, order_amount_vnd: 100_000 }, key);
      return checkout.post('/transfers', { transfer_id: `tr-${round}-${index}`, from_member_id: member, to_member_id: receiver, points: size }, key);
    });
    // Meanwhile: orders for other members of this store, orders in another store, reads of
    // the liability and the audit, and (in the first round) an online backup.
    const busyMember = await memberWith(1);
    const otherMember = `B-${round}`;
    ok(await other.post('/members', { member_id: otherMember, phone: newPhone(), name: 'Khách khác' }));
    const noise = [
      ...Array.from({ length: 20 }, (_, index) => owner.post('/orders', { order_id: `o-${round}-${index}`, member_id: busyMember, status: 'completed', amount_vnd: 100_000 }, { key: `o-${round}-${index}` })),
      ...Array.from({ length: 20 }, (_, index) => other.post('/orders', { order_id: `o-${round}-${index}`, member_id: otherMember, status: 'completed', amount_vnd: 200_000 })),
      ...Array.from({ length: 10 }, () => owner.get('/liability')),
      ...Array.from({ length: 5 }, () => owner.get('/ledger/audit')),
    ];
    const backupPath = path.join(path.dirname(server.databasePath), `backup-${round}.db`);
    const backup = round === 1 ? runToExit(['backup', '--database', server.databasePath, '--to', backupPath]) : null;
    const [answers, noiseAnswers, backupResult] = await Promise.all([Promise.all(spends), Promise.all(noise), backup]);
    finished = true;
    await Promise.all(watchers);

    assert.equal(tally(answers, 201), 30, `round ${round}: exactly 30 succeed`);
    for (const answer of noiseAnswers) {
      assert.ok(answer.status === 200, `${answer.status} ${answer.text}`);
    }
    const balances = await balancesOf(owner, member);
    const holds = answers.filter((answer, index) => index % 3 === 1 && answer.status === 201).length;
    assert.deepEqual([balances.points, balances.held], [10, holds * size]);
    assert.equal((await balancesOf(owner, busyMember)).points, 1 + 20);
    assert.equal((await balancesOf(other, otherMember)).points, 20 * 2);
    if (backupResult) {
      assert.equal(backupResult.code, 0, backupResult.stderr);
      assert.equal(sqlite(backupPath, 'PRAGMA integrity_check'), 'ok');
    }
    // The same keys again: replays of what happened, not new spending.
    const again = await Promise.all(Array.from({ length: 60 }, (_, index) => {
      const key = { key: `spend-${round}-${index}` };
      if (index % 3 === 0) return checkout.post('/redemptions', { redemption_id: `rd-${round}-${index}`, member_id: member, points: size, reason: 'Đổi quà' }, key);
      if (index % 3 === 1) return checkout.post('/holds', { hold_id: `h-${round}-${index}`, member_id: member, points: size, order_amount_vnd: 100_000 }, key);
      return checkout.post('/transfers', { transfer_id: `tr-${round}-${index}`, from_member_id: member, to_member_id: receiver, points: size }, key);
    }));
    again.forEach((answer, index) => {
      assert.equal(answer.headers.get('idempotent-replayed'), 'true');
      assert.equal(answer.text, answers[index].text);
    });
    assert.deepEqual(await balancesOf(owner, member), balances);
  }
  const transfersIn = (await wholeHistory(owner, receiver)).filter((tx) => tx.kind === 'points_transfer').length;
  assert.equal((await balancesOf(owner, receiver)).points, 1 + transfersIn * size);
  assert.equal(ok(await owner.get('/ledger/audit')).data.invariants_hold, true);
  assert.equal(ok(await other.get('/ledger/audit')).data.invariants_hold, true);
  assert.doesNotMatch(server.output.stderr, /SQLITE_BUSY|database is locked/i);
  t.diagnostic(`${transfersIn} transfers of ${rounds * 30} successful spends`);
});
