// API test of voucher campaigns, the journey of seed 001 over HTTP: a group of customers
// born in June, a hidden campaign for it, a claim by a member in the group (Bạch kim: 95
// points instead of 100) and a refusal for one outside it, the code checked and used on an
// order (which earns on what was paid), the refund that gives the code back, the cancelled
// claim that gives the points back (with its reason, audited), errors with field paths, and
// a restart after which every read answers as before.
//
//   NODE_PATH=/usr/share/nodejs node --test tests/api/campaigns.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { makeTempDir, startServer, waitFor, sqlite } from './server_harness.mjs';
import {
  fastHashing, seedStores, signIn, storeClient, testProgram, ok, assertErrorShape, fieldNames, balancesOf, call, isoTime,
} from './store_api.mjs';

// 1 point = 1,000 VND, 1 % earned, 20,000 VND per tier point, rounding down; Bạch kim from
// 2,000 tier points with 5 % fewer points for every voucher.
const program = testProgram({
  tiers: [
    { id: 'bac', name: 'Bạc', tier_points_needed: 0 },
    { id: 'bach_kim', name: 'Bạch kim', tier_points_needed: 2000, perks: [{ type: 'voucher_point_discount', enabled: true, discount_bp: 500 }] },
  ],
});

const campaign = {
  name: 'Quà sinh nhật tháng 6', name_en: 'June birthday gift', description: 'Giảm 100.000 ₫ cho đơn từ 500.000 ₫',
  starts_at: '2026-01-01T00:00:00+07:00', ends_at: '2035-01-01T00:00:00+07:00',
  reward: { kind: 'fixed_amount', amount_vnd: 100_000 }, min_order_vnd: 500_000, point_cost: 100,
  total_quantity: 10, limit_per_member: 1, target_group_id: 'sinh-nhat-thang-6', budget_vnd: 1_000_000, code_prefix: 'SN',
};

test('seed 001 over HTTP: group, hidden campaign, claim in and out of the group, use, refund, cancel, errors, restart', { timeout: 120_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seedStores(databasePath, [{ id: 'shop', staff: [['chu@shop.vn', 'owner'], ['tiepthi@shop.vn', 'marketing'], ['hotro@shop.vn', 'support']] }]);
  let server = await startServer(t, { baseDir, databasePath, env: fastHashing });
  let owner = storeClient(server, 'shop', await signIn(server, 'chu@shop.vn'));
  const marketing = storeClient(server, 'shop', await signIn(server, 'tiepthi@shop.vn'));
  const support = storeClient(server, 'shop', await signIn(server, 'hotro@shop.vn'));

  ok(await owner.put('/program', { program }), 'program');
  ok(await owner.post('/members', { member_id: 'KH-AN', phone: '0912345678', name: 'Nguyễn Văn An', birthday: { day: 15, month: 6 } }), 'An');
  ok(await owner.post('/members', { member_id: 'KH-BINH', phone: '0987654321', name: 'Trần Thị Bình', birthday: { day: 3, month: 3 } }), 'Bình');
  // An: 40,000,000 VND earns 400 points and 2,000 tier points (Bạch kim); Bình: 100 and 500.
  ok(await owner.post('/orders', { order_id: 'DH-1', member_id: 'KH-AN', status: 'completed', amount_vnd: 40_000_000 }), 'An buys');
  ok(await owner.post('/orders', { order_id: 'DH-2', member_id: 'KH-BINH', status: 'completed', amount_vnd: 10_000_000 }), 'Bình buys');
  assert.equal((await owner.get('/members/KH-AN')).json.data.tier.tier.id, 'bach_kim');

  // The group, then the campaign: a bad document first, refused with the body's paths.
  ok(await marketing.put('/groups/sinh-nhat-thang-6', { name: 'Sinh nhật tháng 6', kind: 'dynamic', filter: { birthday_month: 6 } }), 'group');
  const bad = await marketing.put('/campaigns/VC-SN6', { ...campaign, ends_at: '2025-01-01T00:00:00+07:00', reward: { kind: 'fixed_amount', amount_vnd: 0 } });
  assertErrorShape(bad, 422, 'invalid_field');
  assert.deepEqual(fieldNames(bad).sort(), ['ends_at', 'reward.amount_vnd']);
  assert.deepEqual(fieldNames(await marketing.put('/campaigns/VC-SN6', { ...campaign, campaign_id: 'OTHER' })), ['campaign_id']);
  assert.deepEqual(fieldNames(await marketing.put('/campaigns/VC-SN6', { ...campaign, target_group_id: 'khong-co' })), ['target_group_id']);
  assertErrorShape(await marketing.get('/campaigns/VC-SN6'), 404, 'campaign_not_found');
  assert.equal(ok(await marketing.put('/campaigns/VC-SN6', campaign)).campaign.status, 'draft');
  assert.equal(ok(await marketing.post('/campaigns/VC-SN6/status', { status: 'hidden' })).campaign.status, 'hidden');
  assertErrorShape(await marketing.post('/campaigns/VC-SN6/status', { status: 'draft' }), 422, 'campaign_status_not_allowed');
  // Marketing runs the campaign but never claims for a member.
  assertErrorShape(await marketing.post('/campaigns/VC-SN6/claims', { member_id: 'KH-AN' }), 403, 'forbidden');

  // A hidden campaign: listed to An (in the group) at 95 points, not to Bình.
  const offersAn = ok(await support.get('/members/KH-AN/campaigns')).data.campaigns;
  assert.deepEqual(offersAn.map((offer) => [offer.campaign_id, offer.member_point_cost, offer.claimable]), [['VC-SN6', 95, true]]);
  assert.deepEqual(ok(await support.get('/members/KH-BINH/campaigns')).data.campaigns, []);
  const refused = await support.post('/campaigns/VC-SN6/claims', { member_id: 'KH-BINH', claim_id: 'NM-BINH' });
  assertErrorShape(refused, 422, 'campaign_not_for_member');
  assert.equal((await balancesOf(owner, 'KH-BINH')).points, 100);

  // An claims: 100 − ⌊100 × 5 %⌋ = 95 points; 400 − 95 = 305. A retry replays the answer.
  const claim = await support.post('/campaigns/VC-SN6/claims', { member_id: 'KH-AN', claim_id: 'NM-1' }, { key: 'claim-an-1' });
  assert.equal(claim.status, 201, claim.text);
  const voucher = claim.json.voucher;
  assert.match(voucher.code, /^SN-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{3}$/);
  assert.deepEqual([voucher.points, voucher.state, voucher.member_id], [95, 'unused', 'KH-AN']);
  assert.deepEqual(claim.json.transactions[0].postings, [{ account: 'member:KH-AN:points', amount: -95 }, { account: 'redeemed', amount: 95 }]);
  assert.equal((await balancesOf(owner, 'KH-AN')).points, 305);
  const retry = await support.post('/campaigns/VC-SN6/claims', { member_id: 'KH-AN', claim_id: 'NM-1' }, { key: 'claim-an-1' });
  assert.equal(retry.text, claim.text);
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  // The same claim id without the key: the core's own idempotency, the same code.
  const again = ok(await support.post('/campaigns/VC-SN6/claims', { member_id: 'KH-AN', claim_id: 'NM-1' }));
  assert.deepEqual([again.result, again.voucher.code], ['already_applied', voucher.code]);
  assertErrorShape(await support.post('/campaigns/VC-SN6/claims', { member_id: 'KH-AN', seed: 'a'.repeat(20) }), 422, 'invalid_fields');
  assertErrorShape(await support.post('/campaigns/VC-SN6/claims', { member_id: 'KH-AN', claim_id: 'NM-2' }), 422, 'claim_limit_reached');
  assertErrorShape(await support.post('/campaigns/NOPE/claims', { member_id: 'KH-AN' }), 404, 'campaign_not_found');

  // At the checkout: the code (as typed) against 1,230,000 VND takes 100,000 off; not Bình's.
  const typed = voucher.code.toLowerCase().replace(/-/g, ' ');
  const checked = ok(await support.post('/vouchers/check', { code: typed, member_id: 'KH-AN', amount_vnd: 1_230_000 })).data;
  assert.deepEqual([checked.discount_vnd, checked.amount_after_discount_vnd], [100_000, 1_130_000]);
  assertErrorShape(await support.post('/vouchers/check', { code: typed, member_id: 'KH-BINH', amount_vnd: 1_230_000 }), 422, 'voucher_code_not_for_member');
  assertErrorShape(await support.post('/vouchers/check', { code: typed, member_id: 'KH-AN', amount_vnd: 400_000 }), 422, 'order_below_minimum');
  const mistyped = voucher.code.slice(0, -1) + (voucher.code.endsWith('2') ? '3' : '2');
  assertErrorShape(await support.post('/vouchers/check', { code: mistyped, member_id: 'KH-AN', amount_vnd: 1_230_000 }), 422, 'voucher_code_mistyped');

  // The order with the code: 1,230,000 − 100,000 = 1,130,000 paid; 1 % of it at 1,000 VND
  // a point is 11.3, rounded down: 11 points (305 + 11 = 316); 56 tier points.
  const order = ok(await owner.post('/orders', { order_id: 'DH-3', member_id: 'KH-AN', status: 'completed', amount_vnd: 1_230_000, voucher_code: typed }), 'order with the code');
  assert.deepEqual([order.voucher.state, order.voucher.order_id, order.voucher.discount_vnd], ['used', 'DH-3', 100_000]);
  assert.deepEqual(order.transactions.find((tx) => tx.kind === 'order_earning').postings, [{ account: 'pool', amount: -11 }, { account: 'member:KH-AN:points', amount: 11 }]);
  assert.equal(order.transactions.find((tx) => tx.kind === 'tier_earning').postings[1].amount, 56);
  assert.equal(order.balances['KH-AN'].points, 316);
  assertErrorShape(await owner.post('/orders', { order_id: 'DH-4', member_id: 'KH-AN', status: 'completed', amount_vnd: 900_000, voucher_code: typed }), 422, 'voucher_code_used');
  assertErrorShape(await owner.post('/orders', { order_id: 'DH-4', member_id: 'KH-AN', status: 'completed', amount_vnd: 900_000, voucher_code: typed, voucher_discount_vnd: 5 }), 422, 'voucher_code_used');

  // The refund takes the 11 points back and gives the code back: the campaign runs.
  const refund = ok(await owner.post('/orders', { order_id: 'DH-3', member_id: 'KH-AN', status: 'refunded', amount_vnd: 1_230_000 }), 'refund');
  assert.ok(refund.events.some((event) => event.kind === 'voucher_returned' && event.code === voucher.code), JSON.stringify(refund.events));
  assert.equal(refund.balances['KH-AN'].points, 305);
  const vouchers = ok(await support.get('/members/KH-AN/vouchers')).data.vouchers;
  assert.deepEqual(vouchers.map((v) => [v.code, v.state]), [[voucher.code, 'unused']]);
  const counters = ok(await marketing.get('/campaigns/VC-SN6')).data;
  assert.deepEqual([counters.codes_issued, counters.codes_used, counters.codes_left, counters.budget_committed_vnd], [1, 0, 9, 100_000]);

  // Cancelling the claim needs a reason; then the 95 points come back (305 + 95 = 400),
  // and the audit log has who, why, and the campaign, code and balances before.
  assert.deepEqual(fieldNames(await support.post('/claims/NM-1/cancel', { reason: '  ' })), ['reason']);
  assert.deepEqual(fieldNames(await support.post('/claims/NM-1/cancel', {})), ['reason']);
  assertErrorShape(await support.post('/claims/NM-9/cancel', { reason: 'x' }), 404, 'voucher_claim_not_found');
  assertErrorShape(await marketing.post('/claims/NM-1/cancel', { reason: 'x' }), 403, 'forbidden');
  const cancelled = ok(await support.post('/claims/NM-1/cancel', { reason: 'Khách nhận nhầm chương trình' }, { key: 'cancel-1' }));
  assert.equal(cancelled.voucher.state, 'void');
  assert.equal(cancelled.balances['KH-AN'].points, 400);
  const audit = ok(await call(server, 'GET', '/api/v1/stores/shop/audit-log?limit=100', { auth: await signIn(server, 'chu@shop.vn') }));
  const entries = audit.entries ?? audit.data?.entries ?? audit.audit_log ?? audit;
  const cancelEntry = entries.find((entry) => entry.action === 'voucher_claim.cancelled');
  assert.ok(cancelEntry, JSON.stringify(audit).slice(0, 400));
  assert.equal(cancelEntry.target, 'claim:NM-1');
  assert.equal(cancelEntry.actor, 'staff:hotro@shop.vn');
  const before = typeof cancelEntry.before === 'string' ? JSON.parse(cancelEntry.before) : cancelEntry.before;
  assert.deepEqual([before.campaign.campaign_id, before.voucher.state, before.balances.points], ['VC-SN6', 'unused', 305]);
  const after = typeof cancelEntry.after === 'string' ? JSON.parse(cancelEntry.after) : cancelEntry.after;
  assert.equal(after.request.reason, 'Khách nhận nhầm chương trình');
  assert.ok(entries.some((entry) => entry.action === 'campaign.status_changed' && entry.target === 'campaign:VC-SN6'));

  // A partner's CSV with a code twice: the repeat is named by its spreadsheet row.
  const twice = await marketing.post('/campaigns/VC-SN6/codes/import', { batch_id: 'P-1', csv: 'Mã\r\nGRAB-0001\r\nGRAB-0001\r\n' });
  assertErrorShape(twice, 422, 'invalid_field');
  assert.deepEqual(fieldNames(twice), ['csv[3]']);
  assert.deepEqual(fieldNames(await marketing.post('/campaigns/VC-SN6/codes/import', { batch_id: 'P-1', csv: 'Mã\r\n' })), ['csv']);
  ok(await marketing.post('/campaigns/VC-SN6/codes/import', { batch_id: 'P-1', csv: '\uFEFFMã;Ghi chú\r\nGRAB-0001;một\r\n' }), 'import');

  // A restart replays the journal: every read answers as before.
  const reads = async (api) => Promise.all([
    api.get('/campaigns'), api.get('/campaigns/VC-SN6'), api.get('/members/KH-AN/vouchers'), api.get('/members/KH-AN/campaigns'),
    api.get('/members/KH-BINH/campaigns'), api.get('/members/KH-AN'), api.get('/members/KH-AN/ledger?limit=100'), api.get('/ledger/audit'),
  ].map((promise) => promise.then((response) => `${response.status} ${response.text}`)));
  const answersBefore = await reads(owner);
  assert.match(answersBefore[7], /"invariants_hold":true/);
  await server.stop();
  server = await startServer(t, { baseDir, databasePath, env: fastHashing });
  owner = storeClient(server, 'shop', await signIn(server, 'chu@shop.vn'));
  assert.deepEqual(await reads(owner), answersBefore);
});

test('a campaign ends by itself at ends_at: the server\'s scheduler moves the store there, reads show it ended, claims are refused, also after a restart', { timeout: 60_000 }, async (t) => {
  const baseDir = makeTempDir(t);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seedStores(databasePath, [{ id: 'shop', staff: [['chu@shop.vn', 'owner']] }]);
  let server = await startServer(t, { baseDir, databasePath, env: fastHashing });
  let owner = storeClient(server, 'shop', await signIn(server, 'chu@shop.vn'));
  ok(await owner.put('/program', { program }), 'program');
  ok(await owner.post('/members', { member_id: 'KH-AN', phone: '0912345678', name: 'An' }), 'An');
  // Ends 3 seconds from now; a campaign saved to end in the past is refused, naming ends_at.
  const endsAt = isoTime(Date.now() + 3000);
  const short = { ...campaign, point_cost: 0, ends_at: endsAt };
  delete short.target_group_id;
  assert.deepEqual(fieldNames(await owner.put('/campaigns/VC-NGAN', { ...short, ends_at: isoTime(Date.now() - 1000) })), ['ends_at']);
  ok(await owner.put('/campaigns/VC-NGAN', short), 'campaign');
  ok(await owner.post('/campaigns/VC-NGAN/status', { status: 'visible' }), 'publish');
  assert.equal(ok(await owner.post('/campaigns/VC-NGAN/claims', { member_id: 'KH-AN', claim_id: 'NM-1' })).voucher.state, 'unused');
  // No write from us: the scheduler's process_due at ends_at ends it.
  await waitFor(async () => (await owner.get('/campaigns/VC-NGAN')).json.data.status === 'ended', 'the campaign ended', { deadlineMs: 15_000, intervalMs: 200 });
  assert.ok(Number(sqlite(databasePath, `SELECT COUNT(*) FROM journal WHERE store_id = 'shop' AND command_json LIKE '%"process_due"%'`)) >= 1, 'journaled as due work');
  assertErrorShape(await owner.post('/campaigns/VC-NGAN/claims', { member_id: 'KH-AN', claim_id: 'NM-2' }), 422, 'campaign_ended');
  assertErrorShape(await owner.post('/campaigns/VC-NGAN/status', { status: 'visible' }), 422, 'campaign_status_not_allowed');
  assert.deepEqual(ok(await owner.get('/members/KH-AN/campaigns')).data.campaigns, []);
  const before = (await owner.get('/campaigns/VC-NGAN')).text;
  await server.stop();
  server = await startServer(t, { baseDir, databasePath, env: fastHashing });
  owner = storeClient(server, 'shop', await signIn(server, 'chu@shop.vn'));
  assert.equal((await owner.get('/campaigns/VC-NGAN')).text, before);
});
