// API tests of the store routes (/api/v1/stores/{store_id}/...): every route answers as
// documented; every role and API-key scope is allowed or refused per the matrix
// (server/auth/principal.cpp, README "Staff, roles and API keys"); another store is refused;
// bad input is refused without harm, in the one error shape; idempotency keys replay, refuse
// a reused key and refuse a retry in flight; ledger history pages by a stable cursor.
//
//   NODE_PATH=/usr/share/nodejs node --test tests/api/store_routes.test.mjs
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, startServer, sqlite, waitFor, repoDir } from './server_harness.mjs';
import {
  fastHashing, seedStores, signIn, createApiKey, call, storeClient, testProgram, ok,
  assertErrorShape, fieldNames, balancesOf, wholeHistory,
} from './store_api.mjs';

// ---------------------------------------------------------------- one shared server

let server;
let programSavedBy;
const tokens = {};
const cleanups = [];
const context = { after: (fn) => { cleanups.push(fn); } };
let phoneCounter = 0;
const newPhone = () => `0900${String(++phoneCounter).padStart(6, '0')}`;

// shop-a: the role matrix, with a pending period (so pending points can be released or
// cancelled); shop-b: another store; shop-c: routes, bad input, idempotency, paging.
before(async () => {
  const baseDir = makeTempDir(context);
  const databasePath = path.join(baseDir, 'loyalty.db');
  await seedStores(databasePath, [
    { id: 'shop-a', staff: [['owner-a@shop.vn', 'owner'], ['marketing-a@shop.vn', 'marketing'], ['support-a@shop.vn', 'support']] },
    { id: 'shop-b', staff: [['owner-b@shop.vn', 'owner']] },
    { id: 'shop-c', staff: [['owner-c@shop.vn', 'owner']] },
  ]);
  server = await startServer(context, { baseDir, databasePath, env: fastHashing });
  for (const name of ['owner-a', 'marketing-a', 'support-a', 'owner-b', 'owner-c']) tokens[name] = await signIn(server, `${name}@shop.vn`);
  for (const scope of ['orders', 'holds', 'lookups', 'vouchers']) tokens[`key-a-${scope}`] = await createApiKey(server, tokens['owner-a'], 'shop-a', [scope]);
  tokens['key-b-all'] = await createApiKey(server, tokens['owner-b'], 'shop-b', ['orders', 'holds', 'lookups', 'vouchers']);
  ok(await storeClient(server, 'shop-a', tokens['owner-a']).put('/program', { program: testProgram({ pending: { days: 7, tier_points: 'at_once' } }) }), 'program a');
  // Backtests start once the store has a program: the second it was saved in, or later.
  programSavedBy = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace(".000Z", "Z");
  ok(await storeClient(server, 'shop-b', tokens['owner-b']).put('/program', { program: testProgram() }), 'program b');
  ok(await storeClient(server, 'shop-c', tokens['owner-c']).put('/program', { program: testProgram() }), 'program c');
  // The scheduler's daily work (birthdays, tier review) runs once a store has a program: wait
  // for it, so that it does not show up later as a change.
  await waitFor(() => sqlite(databasePath, "SELECT COUNT(DISTINCT store_id) FROM journal WHERE command_json LIKE '%\"review_tiers\"%'") === '3',
    'the daily work of the three stores');
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// What a refused request must leave as it was: the core's audit and liability, the program
// versions, one member's profile, and the rows the server keeps beside the journal (the
// journal itself, but for time passing: a refused core command that moves the clock is
// journaled as process_due, and the scheduler's daily work is its own).
async function fingerprint(storeId, memberId) {
  const owner = storeClient(server, storeId, tokens[{ 'shop-a': 'owner-a', 'shop-b': 'owner-b', 'shop-c': 'owner-c' }[storeId]]);
  const audit = ok(await owner.get('/ledger/audit'), 'audit').data;
  const liability = ok(await owner.get('/liability'), 'liability').data;
  const versions = ok(await owner.get('/program/versions'), 'versions').versions.length;
  const member = memberId ? (await owner.get(`/members/${memberId}`)).json : null;
  const rows = sqlite(server.databasePath, [
    `SELECT COUNT(*) FROM journal WHERE store_id = '${storeId}' AND command_json NOT LIKE '%"process_due"%'
       AND command_json NOT LIKE '%"review_tiers"%' AND command_json NOT LIKE '%"grant_birthday_bonuses"%'`,
    `SELECT COUNT(*) FROM idempotency_records WHERE store_id = '${storeId}'`,
    `SELECT COUNT(*) FROM audit_log WHERE store_id = '${storeId}'`,
    `SELECT COUNT(*) FROM outbox WHERE store_id = '${storeId}'`,
  ].join('; '));
  return { audit, liability, versions, member, rows };
}

// ---------------------------------------------------------------- the routes and the matrix

// Per principal tag, what the owner prepares in shop-a so that each route can succeed.
async function prepare(tag) {
  const owner = storeClient(server, 'shop-a', tokens['owner-a']);
  const member = `mem-${tag}`;
  const phone = newPhone();
  ok(await owner.post('/members', { member_id: member, phone, name: `Thành viên ${tag}` }), `member ${tag}`);
  ok(await owner.post(`/members/${member}/adjustments`, { points: 1000, reason: 'Điểm ban đầu' }, { key: `fund-${tag}` }), `fund ${tag}`);
  for (const order of [`ord-${tag}`, `pend-rel-${tag}`, `pend-can-${tag}`]) {
    ok(await owner.post('/orders', { order_id: order, member_id: member, status: 'completed', amount_vnd: 1_000_000 }), `order ${order}`);
  }
  ok(await owner.post('/holds', { hold_id: `hold-${tag}`, member_id: member, points: 5, order_amount_vnd: 100_000 }), `hold ${tag}`);
  // A visible campaign of 10 points with a partner's code to check and a claim to cancel.
  ok(await owner.put(`/campaigns/pc-${tag}`, testCampaign()), `campaign ${tag}`);
  ok(await owner.post(`/campaigns/pc-${tag}/status`, { status: 'visible' }), `publish ${tag}`);
  ok(await owner.post(`/campaigns/pc-${tag}/codes/import`, { batch_id: `pb-${tag}`, codes: [`CHK-${tag}`] }), `partner code ${tag}`);
  ok(await owner.post(`/campaigns/pc-${tag}/claims`, { member_id: member, claim_id: `pcl-${tag}` }), `claim ${tag}`);
  ok(await owner.put(`/campaigns/pc2-${tag}`, testCampaign()), `second campaign ${tag}`);
  ok(await owner.post(`/campaigns/pc2-${tag}/status`, { status: 'visible' }), `publish second ${tag}`);
  return { member, phone };
}

// A campaign anyone may claim once: 50,000 VND off an order of 200,000 for 10 points.
function testCampaign(fields = {}) {
  return {
    name: 'Giảm 50.000 ₫', starts_at: '2026-01-01T00:00:00+07:00', ends_at: '2035-01-01T00:00:00+07:00',
    reward: { kind: 'fixed_amount', amount_vnd: 50_000 }, min_order_vnd: 200_000, point_cost: 10, total_quantity: 100, ...fields,
  };
}

// Every store route: name, permission, expected success status, request and a check of the
// documented answer.
function storeRoutes(tag, { member, phone }) {
  return [
    { name: 'GET /program', permission: 'read_program', status: 200, request: ['GET', '/program'],
      check: (body) => { assert.equal(typeof body.data.version, 'number'); assert.equal(body.data.program.wallet.point_value_vnd, 1000); } },
    { name: 'GET /program/versions', permission: 'read_program', status: 200, request: ['GET', '/program/versions'],
      check: (body) => { assert.ok(body.versions.length >= 1); assert.ok(body.versions.every((v) => v.version && v.effective_from && v.program)); } },
    { name: 'GET /program/rules-text', permission: 'read_program', status: 200, request: ['GET', '/program/rules-text'],
      check: (body) => { assert.match(body.data.vi, /1 %/); assert.equal(typeof body.data.en, 'string'); } },
    { name: 'POST /program/preview', permission: 'read_program', status: 200, request: ['POST', '/program/preview', { member_id: member, amount_vnd: 500_000 }],
      check: (body) => assert.equal(body.data.buyer.points, 5) },
    { name: 'PUT /program', permission: 'write_program', status: 200, request: ['PUT', '/program', { program: testProgram({ pending: { days: 7, tier_points: 'at_once' } }) }],
      check: (body) => assert.ok(body.version >= 2) },
    { name: 'POST /members', permission: 'write_members', status: 201, request: ['POST', '/members', { member_id: `new-${tag}`, phone: newPhone(), name: `Mới ${tag}` }],
      check: (body) => assert.equal(body.member_id, `new-${tag}`) },
    { name: 'GET /members', permission: 'read_members', status: 200, request: ['GET', `/members?query=${phone}`],
      check: (body) => assert.deepEqual(body.data.members.map((m) => m.member_id), [member]) },
    { name: 'GET /members/lookup', permission: 'lookup_members', status: 200, request: ['GET', `/members/lookup?phone=${phone}`],
      check: (body) => assert.equal(body.data.member.member_id, member) },
    { name: 'GET /members/{member_id}', permission: 'read_members', status: 200, request: ['GET', `/members/${member}`],
      check: (body) => { assert.equal(body.data.member.phone, phone); assert.equal(typeof body.data.balances.points, 'number'); } },
    { name: 'PATCH /members/{member_id}', permission: 'write_members', status: 200, request: ['PATCH', `/members/${member}`, { name: `Đổi tên ${tag}` }],
      check: (body) => assert.equal(body.result, 'ok') },
    { name: 'POST /members/{member_id}/block', permission: 'write_members', status: 200, request: ['POST', `/members/${member}/block`],
      check: (body) => assert.equal(body.result, 'ok') },
    { name: 'POST /members/{member_id}/unblock', permission: 'write_members', status: 200, request: ['POST', `/members/${member}/unblock`],
      check: (body) => assert.equal(body.result, 'ok') },
    { name: 'GET /members/{member_id}/ledger', permission: 'read_members', status: 200, request: ['GET', `/members/${member}/ledger?limit=2`],
      check: (body) => { assert.equal(body.data.transactions.length, 2); assert.equal(body.data.has_more, true); assert.equal(typeof body.data.next_cursor, 'number'); } },
    { name: 'GET /members/{member_id}/lots', permission: 'read_members', status: 200, request: ['GET', `/members/${member}/lots`],
      check: (body) => { assert.equal(body.data.member_id, member); assert.equal(body.data.lots_points, body.data.points); assert.ok(Array.isArray(body.data.lots)); } },
    { name: 'POST /members/{member_id}/adjustments', permission: 'adjust_points', status: 201, request: ['POST', `/members/${member}/adjustments`, { points: 7, reason: 'Bù điểm' }, `adj-${tag}`],
      check: (body) => assert.equal(body.transactions[0].kind, 'manual_adjustment') },
    { name: 'POST /members/{member_id}/tier', permission: 'adjust_points', status: 200, request: ['POST', `/members/${member}/tier`, { tier_id: 'bac', ends_at: '2030-01-01T00:00:00Z', reason: `VIP ${tag}` }],
      check: (body) => assert.equal(body.events[0].kind, 'tier_assigned') },
    { name: 'POST /orders', permission: 'orders', status: 200, request: ['POST', '/orders', { order_id: `ord-new-${tag}`, member_id: member, status: 'completed', amount_vnd: 300_000 }],
      check: (body) => assert.equal(body.balances[member].pending, 30 + 3) },
    { name: 'POST /orders/{order_id}/refunds', permission: 'orders', status: 201, request: ['POST', `/orders/ord-${tag}/refunds`, { refund_id: `r-${tag}`, amount_vnd: 200_000 }],
      // The order's points are still pending: a refund cancels pending points.
      check: (body) => { assert.equal(body.balances[member].pending, 33 - 2); assert.ok(body.transactions.some((t) => t.kind === 'tier_reversal')); } },
    { name: 'POST /orders/{order_id}/pending/release', permission: 'adjust_points', status: 200, request: ['POST', `/orders/pend-rel-${tag}/pending/release`, { reason: 'Khách quen' }],
      check: (body) => assert.equal(body.transactions[0].kind, 'pending_release') },
    { name: 'POST /orders/{order_id}/pending/cancel', permission: 'adjust_points', status: 200, request: ['POST', `/orders/pend-can-${tag}/pending/cancel`, { reason: 'Đơn gian lận' }],
      check: (body) => assert.equal(body.transactions[0].kind, 'pending_cancel') },
    { name: 'POST /holds', permission: 'holds', status: 201, request: ['POST', '/holds', { hold_id: `nh-${tag}`, member_id: member, points: 5, order_amount_vnd: 100_000 }],
      check: (body) => { assert.equal(body.hold.state, 'active'); assert.equal(body.hold.points, 5); } },
    { name: 'POST /holds/{hold_id}/release', permission: 'holds', status: 200, request: ['POST', `/holds/hold-${tag}/release`, {}],
      check: (body) => assert.equal(body.transactions[0].kind, 'hold_released') },
    { name: 'POST /redemptions', permission: 'holds', status: 201, request: ['POST', '/redemptions', { redemption_id: `rd-${tag}`, member_id: member, points: 3, reason: 'Ly cà phê' }],
      check: (body) => assert.equal(body.transactions[0].kind, 'points_redeemed') },
    { name: 'POST /transfers', permission: 'holds', status: 201, request: ['POST', '/transfers', { transfer_id: `tr-${tag}`, from_member_id: member, to_member_id: `mem-sink`, points: 2 }],
      check: (body) => assert.equal(body.transactions[0].kind, 'points_transfer') },
    { name: 'GET /expiring-points', permission: 'read_members', status: 200, request: ['GET', '/expiring-points?within_days=30&limit=10'],
      check: (body) => { assert.equal(body.data.within_days, 30); assert.ok(Array.isArray(body.data.members)); } },
    // Customer groups: a static group per principal, filled, paged, imported into, emptied, deleted.
    { name: 'PUT /groups/{group_id}', permission: 'manage_groups', status: 200, request: ['PUT', `/groups/g-${tag}`, { name: `Nhóm ${tag}`, kind: 'static' }],
      check: (body) => { assert.equal(body.group.group_id, `g-${tag}`); assert.equal(body.group.kind, 'static'); } },
    { name: 'POST /groups/{group_id}/members', permission: 'manage_groups', status: 200, request: ['POST', `/groups/g-${tag}/members`, { member_ids: [member] }],
      check: (body) => { assert.equal(body.change.added, 1); assert.equal(body.change.listed_members, 1); } },
    { name: 'POST /groups/{group_id}/import', permission: 'manage_groups', status: 200,
      request: ['POST', `/groups/g-${tag}/import`, { csv: `Mã khách hàng;Ghi chú\r\nmem-sink;người nhận\r\nkhong-co;\r\n`, mode: 'add' }],
      check: (body) => { assert.equal(body.import.matched, 1); assert.equal(body.import.unmatched, 1); assert.equal(body.import.listed_members, 2); } },
    { name: 'GET /groups', permission: 'manage_groups', status: 200, request: ['GET', '/groups'],
      check: (body) => assert.ok(body.data.groups.some((group) => group.group_id === `g-${tag}` && group.listed_members === 2)) },
    { name: 'GET /groups/{group_id}', permission: 'manage_groups', status: 200, request: ['GET', `/groups/g-${tag}`],
      check: (body) => assert.equal(body.data.group_id, `g-${tag}`) },
    { name: 'GET /groups/{group_id}/members', permission: 'manage_groups', status: 200, request: ['GET', `/groups/g-${tag}/members?limit=1`],
      check: (body) => { assert.equal(body.data.count, 2); assert.equal(body.data.members.length, 1); assert.ok(body.data.next_after); } },
    { name: 'GET /members/{member_id}/groups', permission: 'manage_groups', status: 200, request: ['GET', `/members/${member}/groups`],
      check: (body) => assert.deepEqual(body.data.groups.map((group) => group.group_id), [`g-${tag}`]) },
    { name: 'POST /groups/{group_id}/members/remove', permission: 'manage_groups', status: 200, request: ['POST', `/groups/g-${tag}/members/remove`, { member_ids: [member] }],
      check: (body) => { assert.equal(body.change.removed, 1); assert.equal(body.change.listed_members, 1); } },
    { name: 'DELETE /groups/{group_id}', permission: 'manage_groups', status: 200, request: ['DELETE', `/groups/g-${tag}`],
      check: (body) => assert.deepEqual(body.transactions, []) },
    // Voucher campaigns: a campaign per principal saved, published, printed and imported
    // into; the prepared one claimed from, checked against an order, and a claim cancelled.
    { name: 'PUT /campaigns/{campaign_id}', permission: 'manage_campaigns', status: 200, request: ['PUT', `/campaigns/c-${tag}`, testCampaign({ code_prefix: 'AB' })],
      check: (body) => { assert.equal(body.campaign.campaign_id, `c-${tag}`); assert.equal(body.campaign.status, 'draft'); assert.equal(body.campaign.codes_left, 100); } },
    { name: 'POST /campaigns/{campaign_id}/status', permission: 'manage_campaigns', status: 200, request: ['POST', `/campaigns/c-${tag}/status`, { status: 'visible' }],
      check: (body) => assert.equal(body.campaign.status, 'visible') },
    { name: 'POST /campaigns/{campaign_id}/codes', permission: 'manage_campaigns', status: 201, request: ['POST', `/campaigns/c-${tag}/codes`, { batch_id: `b-${tag}`, count: 2 }],
      check: (body) => { assert.equal(body.codes.length, 2); assert.ok(body.codes.every((code) => /^AB-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{3}$/.test(code.code) && code.source === 'bulk')); } },
    { name: 'POST /campaigns/{campaign_id}/codes/import', permission: 'manage_campaigns', status: 201,
      request: ['POST', `/campaigns/c-${tag}/codes/import`, { batch_id: `i-${tag}`, csv: `Mã voucher;Ghi chú\r\nP1-${tag};đối tác\r\n;\r\nP2-${tag};\r\n` }],
      check: (body) => assert.deepEqual(body.codes.map((code) => code.code), [`P1${tag}`, `P2${tag}`].map((code) => code.replace(/-/g, '').toUpperCase())) },
    { name: 'GET /campaigns', permission: 'manage_campaigns', status: 200, request: ['GET', '/campaigns'],
      check: (body) => assert.ok(body.data.campaigns.some((campaign) => campaign.campaign_id === `pc-${tag}` && campaign.codes_issued === 2)) },
    { name: 'GET /campaigns/{campaign_id}', permission: 'manage_campaigns', status: 200, request: ['GET', `/campaigns/pc-${tag}`],
      check: (body) => { assert.equal(body.data.codes_issued, 2); assert.equal(body.data.budget_committed_vnd, 100_000); } },
    { name: 'GET /members/{member_id}/campaigns', permission: 'claim_vouchers', status: 200, request: ['GET', `/members/${member}/campaigns`],
      check: (body) => { const offer = body.data.campaigns.find((campaign) => campaign.campaign_id === `pc-${tag}`); assert.equal(offer.member_claims, 1); assert.equal(offer.claimable, false); assert.equal(offer.refusal.result, 'claim_limit_reached'); } },
    { name: 'POST /campaigns/{campaign_id}/claims', permission: 'claim_vouchers', status: 201, request: ['POST', `/campaigns/pc2-${tag}/claims`, { member_id: member }],
      check: (body) => { assert.equal(body.voucher.state, 'unused'); assert.equal(body.voucher.points, 10); assert.equal(body.transactions[0].kind, 'voucher_claimed'); } },
    { name: 'GET /members/{member_id}/vouchers', permission: 'claim_vouchers', status: 200, request: ['GET', `/members/${member}/vouchers`],
      check: (body) => assert.ok(body.data.vouchers.some((voucher) => voucher.claim_id === `pcl-${tag}`)) },
    { name: 'POST /vouchers/check', permission: 'check_vouchers', status: 200, request: ['POST', '/vouchers/check', { code: `chk ${tag}`, member_id: member, amount_vnd: 250_000 }],
      check: (body) => { assert.equal(body.data.discount_vnd, 50_000); assert.equal(body.data.amount_after_discount_vnd, 200_000); } },
    { name: 'POST /claims/{claim_id}/cancel', permission: 'adjust_points', status: 200, request: ['POST', `/claims/pcl-${tag}/cancel`, { reason: 'Khách nhận nhầm' }],
      check: (body) => { assert.equal(body.voucher.state, 'void'); assert.equal(body.transactions[0].kind, 'voucher_claim_cancelled'); } },
    // Notifications: one to everyone per principal, sent at once; its deliveries marked; a scenario.
    { name: 'PUT /notifications/{notification_id}', permission: 'manage_notifications', status: 200,
      request: ['PUT', `/notifications/n-${tag}`, { title: 'Chào {name}', body: 'Bạn có {points} điểm' }],
      check: (body) => { assert.equal(body.notification.notification_id, `n-${tag}`); assert.equal(body.notification.status, 'draft'); } },
    { name: 'POST /notifications/{notification_id}/schedule', permission: 'manage_notifications', status: 200,
      request: ['POST', `/notifications/n-${tag}/schedule`, {}],
      check: (body) => { assert.equal(body.notification.status, 'sending'); assert.ok(body.notification.deliveries.audience >= 2); } },
    { name: 'GET /notifications', permission: 'manage_notifications', status: 200, request: ['GET', '/notifications?status=sending'],
      check: (body) => assert.ok(body.data.notifications.some((n) => n.notification_id === `n-${tag}`)) },
    { name: 'GET /deliveries/due', permission: 'manage_notifications', status: 200, request: ['GET', '/deliveries/due?limit=1000'],
      check: (body) => {
        const mine = body.data.deliveries.find((d) => d.delivery_id === `n/n-${tag}/${member}`);
        assert.ok(mine, 'the member is due');
        // The member's points as the store holds them now, dot-grouped (995, or 1.012).
        assert.match(mine.body, /^Bạn có \d{1,3}(\.\d{3})* điểm$/);
      } },
    { name: 'POST /deliveries/sent', permission: 'manage_notifications', status: 200,
      request: ['POST', '/deliveries/sent', { delivery_id: `n/n-${tag}/${member}` }],
      check: (body) => assert.equal(body.delivery.state, 'sent') },
    { name: 'POST /deliveries/failed', permission: 'manage_notifications', status: 200,
      request: ['POST', '/deliveries/failed', { delivery_id: `n/n-${tag}/mem-sink`, attempt: 1, reason: 'gateway 503' }],
      check: (body) => { assert.equal(body.delivery.state, 'pending'); assert.equal(body.delivery.failures, 1); } },
    { name: 'POST /deliveries/opened', permission: 'manage_notifications', status: 200,
      request: ['POST', '/deliveries/opened', { delivery_id: `n/n-${tag}/${member}` }],
      check: (body) => assert.equal(body.delivery.opened, true) },
    { name: 'POST /deliveries/clicked', permission: 'manage_notifications', status: 200,
      request: ['POST', '/deliveries/clicked', { delivery_id: `n/n-${tag}/${member}` }],
      check: (body) => assert.equal(body.delivery.clicked, true) },
    { name: 'GET /deliveries', permission: 'manage_notifications', status: 200,
      request: ['GET', `/deliveries?delivery_id=${encodeURIComponent(`n/n-${tag}/${member}`)}`],
      check: (body) => { assert.equal(body.data.state, 'sent'); assert.match(body.data.title, new RegExp(`^Chào (Đổi tên|Thành viên) ${tag}$`)); } },
    { name: 'GET /notifications/{notification_id}', permission: 'manage_notifications', status: 200, request: ['GET', `/notifications/n-${tag}`],
      check: (body) => { assert.equal(body.data.deliveries.sent, 1); assert.equal(body.data.deliveries.opened, 1); } },
    { name: 'POST /notifications/{notification_id}/cancel', permission: 'manage_notifications', status: 200,
      request: ['POST', `/notifications/n-${tag}/cancel`, {}],
      check: (body) => assert.equal(body.notification.status, 'cancelled') },
    { name: 'PUT /scenarios/{scenario_id}', permission: 'manage_notifications', status: 200,
      request: ['PUT', `/scenarios/s-${tag}`, { name: 'Lên hạng', kind: 'tier_upgrade', title: 'Chúc mừng {name}', body: 'Hạng mới: {tier}' }],
      check: (body) => { assert.equal(body.scenario.scenario_id, `s-${tag}`); assert.equal(body.scenario.enabled, true); } },
    { name: 'GET /scenarios', permission: 'manage_notifications', status: 200, request: ['GET', '/scenarios'],
      check: (body) => assert.ok(body.data.scenarios.some((s) => s.scenario_id === `s-${tag}`)) },
    { name: 'GET /scenarios/{scenario_id}', permission: 'manage_notifications', status: 200, request: ['GET', `/scenarios/s-${tag}`],
      check: (body) => assert.equal(body.data.kind, 'tier_upgrade') },
    // A candidate that doubles the point value: the liability doubles, and nothing is saved.
    { name: 'POST /program/impact', permission: 'read_insights', status: 200,
      request: ['POST', '/program/impact', { program: testProgram({ wallet: { initial_pool_points: 1_000_000_000, point_value_vnd: 2000, buyer_earn_rate_bp: 100, referrer_earn_rate_bp: 50 } }), sample_limit: 3 }],
      check: (body) => { const liability = body.data.liability; assert.equal(liability.point_value_vnd_after, 2000); assert.equal(liability.value_vnd_after, 2 * liability.value_vnd_now); } },
    { name: 'POST /program/backtest', permission: 'read_insights', status: 200,
      request: ['POST', '/program/backtest', { program: testProgram(), from: programSavedBy }],
      check: (body) => { assert.equal(typeof body.data.orders, 'number'); assert.equal(body.data.difference.points_net, body.data.candidate.points_net - body.data.current.points_net); } },
    { name: 'GET /metrics', permission: 'read_insights', status: 200, request: ['GET', '/metrics?from=2026-01-01T00:00:00%2B07:00&to=2030-01-01T00:00:00%2B07:00&bucket=month'],
      check: (body) => { assert.equal(body.data.bucket, 'month'); assert.ok(body.data.total.orders >= 1); assert.ok(body.data.total.members_total >= 1); } },
    { name: 'GET /liability', permission: 'read_liability', status: 200, request: ['GET', '/liability'],
      check: (body) => assert.equal(typeof body.data.outstanding_points, 'number') },
    { name: 'GET /ledger/audit', permission: 'read_liability', status: 200, request: ['GET', '/ledger/audit'],
      check: (body) => assert.equal(body.data.invariants_hold, true) },
  ];
}

const allPermissions = ['read_program', 'write_program', 'read_members', 'write_members', 'lookup_members', 'adjust_points', 'orders', 'holds', 'read_liability', 'read_insights', 'manage_groups',
  'manage_campaigns', 'claim_vouchers', 'check_vouchers', 'manage_notifications'];
// The matrix of server/auth/principal.cpp, restated independently.
const principals = [
  { tag: 'owner', token: 'owner-a', allowed: allPermissions },
  { tag: 'marketing', token: 'marketing-a', allowed: ['read_program', 'write_program', 'read_insights', 'manage_groups', 'manage_campaigns', 'manage_notifications'] },
  { tag: 'support', token: 'support-a', allowed: ['read_program', 'read_members', 'write_members', 'lookup_members', 'adjust_points', 'claim_vouchers', 'check_vouchers'] },
  { tag: 'key-orders', token: 'key-a-orders', allowed: ['orders', 'check_vouchers'] },
  { tag: 'key-holds', token: 'key-a-holds', allowed: ['holds'] },
  { tag: 'key-lookups', token: 'key-a-lookups', allowed: ['read_members', 'lookup_members'] },
  { tag: 'key-vouchers', token: 'key-a-vouchers', allowed: ['claim_vouchers', 'check_vouchers'] },
];

function send(storeId, token, [method, pathname, body, key]) {
  return storeClient(server, storeId, token)[method.toLowerCase()](pathname, body, key ? { key } : {});
}

test('every store route answers as documented, and each role and API-key scope is allowed or refused (403, nothing changes) per the matrix', { timeout: 180_000 }, async () => {
  const owner = storeClient(server, 'shop-a', tokens['owner-a']);
  ok(await owner.post('/members', { member_id: 'mem-sink', phone: newPhone(), name: 'Người nhận' }), 'sink');
  const seen = new Map();   // route name -> principals allowed
  for (const principal of principals) {
    const fixture = await prepare(principal.tag);
    for (const route of storeRoutes(principal.tag, fixture)) {
      const allowed = principal.allowed.includes(route.permission);
      const before = allowed ? null : await fingerprint('shop-a', fixture.member);
      const response = await send('shop-a', tokens[principal.token], route.request);
      const what = `${principal.tag} ${route.name}: ${response.status} ${response.text}`;
      if (allowed) {
        assert.equal(response.status, route.status, what);
        assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8', what);
        assert.match(response.headers.get('x-request-id') ?? '', /\S/, what);
        route.check(response.json);
        if (!seen.has(route.name)) seen.set(route.name, []);
        seen.get(route.name).push(principal.tag);
      } else {
        assertErrorShape(response, 403, 'forbidden');
        assert.deepEqual(await fingerprint('shop-a', fixture.member), before, `${what}: nothing changes`);
      }
    }
  }
  // Every route was allowed to someone (the owner at least) and checked; they are the store
  // routes of the OpenAPI document (but staff, API keys, the audit log and webhooks, tested
  // in their own files), each answering its documented success status.
  const routes = storeRoutes('x', { member: 'x', phone: 'x' });
  assert.equal(seen.size, routes.length);
  const documented = JSON.parse(fs.readFileSync(path.join(repoDir, 'server/openapi.json'), 'utf8'));
  const documentedRoutes = [];
  for (const [pathname, operations] of Object.entries(documented.paths)) {
    const template = pathname.replace('/api/v1/stores/{store_id}', '');
    if (template === pathname || /^\/(staff|api-keys|audit-log|webhooks)/.test(template)) continue;
    for (const [method, operation] of Object.entries(operations)) {
      if (!operation?.responses) continue;
      documentedRoutes.push(`${method.toUpperCase()} ${template}`);
      const route = routes.find((r) => r.name === `${method.toUpperCase()} ${template}`);
      assert.ok(route, `${method.toUpperCase()} ${template} is tested`);
      assert.deepEqual(Object.keys(operation.responses).filter((status) => status.startsWith('2')), [String(route.status)], route.name);
    }
  }
  assert.deepEqual(documentedRoutes.sort(), routes.map((r) => r.name).sort());
  assert.deepEqual(seen.get('GET /members/lookup'), ['owner', 'support', 'key-lookups']);
  assert.deepEqual(seen.get('POST /orders'), ['owner', 'key-orders']);
  assert.deepEqual(seen.get('PUT /program'), ['owner', 'marketing']);
  assert.deepEqual(seen.get('GET /metrics'), ['owner', 'marketing']);
  assert.deepEqual(seen.get('PUT /campaigns/{campaign_id}'), ['owner', 'marketing']);
  assert.deepEqual(seen.get('POST /campaigns/{campaign_id}/claims'), ['owner', 'support', 'key-vouchers']);
  assert.deepEqual(seen.get('POST /vouchers/check'), ['owner', 'support', 'key-orders', 'key-vouchers']);
  assert.deepEqual(seen.get('POST /claims/{claim_id}/cancel'), ['owner', 'support']);
  // The owner's changes did what they say: the renamed, unblocked member, and its balances.
  const profile = ok(await owner.get('/members/mem-owner')).data;
  assert.equal(profile.member.name, 'Đổi tên owner');
  assert.equal(profile.member.status, 'active');
  // 1000 + 7 (adjustment) + 10 (pending released) − 5 (hold placed) − 3 (redeemed) − 2
  // (transferred) − 10 (a claim, cancelled: + 10) − 10 (another claim); the first hold was released.
  assert.equal(profile.balances.points, 1000 + 7 + 10 - 5 - 3 - 2 - 10 + 10 - 10);
  assert.equal(profile.balances.held, 5);
  // Pending: 10 + 10 + 10 + 3 (four orders) − 2 (refund) − 10 (released) − 10 (cancelled).
  assert.equal(profile.balances.pending, 30 + 3 - 2 - 10 - 10);
  assert.equal(ok(await owner.get('/ledger/audit')).data.invariants_hold, true);
});

test('no credentials or a bad token: 401 on every store route, nothing changes', async () => {
  const fixture = { member: 'mem-owner', phone: '0900000001' };
  const before = await fingerprint('shop-a', 'mem-owner');
  for (const route of storeRoutes('anon', fixture)) {
    for (const token of [undefined, 'not-a-token']) {
      const response = await send('shop-a', token, route.request);
      assertErrorShape(response, 401);
    }
  }
  assert.deepEqual(await fingerprint('shop-a', 'mem-owner'), before);
});

test('another store is refused: staff and keys of one store get 403 on every route of the other, nothing changes', { timeout: 120_000 }, async () => {
  const fixtureA = { member: 'mem-owner', phone: '0900000001' };
  const beforeA = await fingerprint('shop-a', 'mem-owner');
  const ownerB = storeClient(server, 'shop-b', tokens['owner-b']);
  ok(await ownerB.post('/members', { member_id: 'mem-b', phone: newPhone(), name: 'Khách B' }));
  const beforeB = await fingerprint('shop-b', 'mem-b');
  const answers = [];
  for (const token of ['owner-b', 'key-b-all']) {
    for (const route of storeRoutes('cross', fixtureA)) {
      const response = await send('shop-a', tokens[token], route.request);
      assertErrorShape(response, 403, 'forbidden');
      answers.push(response.json);
    }
  }
  for (const token of ['owner-a', 'marketing-a', 'support-a', 'key-a-orders', 'key-a-holds', 'key-a-lookups', 'key-a-vouchers']) {
    for (const route of storeRoutes('cross', { member: 'mem-b', phone: '0900000002' })) {
      const response = await send('shop-b', tokens[token], route.request);
      assertErrorShape(response, 403, 'forbidden');
      answers.push(response.json);
    }
  }
  // A store that does not exist gets the same answer: a refusal tells nothing.
  for (const route of storeRoutes('cross', fixtureA)) {
    const response = await send('no-such-store', tokens['owner-a'], route.request);
    assertErrorShape(response, 403, 'forbidden');
    answers.push(response.json);
  }
  const withoutId = answers.map(({ error }) => ({ ...error, request_id: undefined }));
  assert.ok(withoutId.every((answer) => JSON.stringify(answer) === JSON.stringify(withoutId[0])), 'every refusal is the same');
  assert.deepEqual(await fingerprint('shop-a', 'mem-owner'), beforeA);
  assert.deepEqual(await fingerprint('shop-b', 'mem-b'), beforeB);
});

// ---------------------------------------------------------------- bad input

test('bad input is refused without harm: 413, 400, 415, 422 naming the field, 404; the error shape; the server keeps serving', { timeout: 120_000 }, async () => {
  const api = storeClient(server, 'shop-c', tokens['owner-c']);
  ok(await api.post('/members', { member_id: 'bad-in', phone: newPhone(), name: 'Khách thử' }));
  ok(await api.post('/members/bad-in/adjustments', { points: 100, reason: 'Điểm ban đầu' }, { key: 'bad-in-fund' }));
  ok(await api.post('/orders', { order_id: 'bad-in-o1', member_id: 'bad-in', status: 'completed', amount_vnd: 1_000_000 }));
  const before = await fingerprint('shop-c', 'bad-in');
  const order = { order_id: 'bad-in-o2', member_id: 'bad-in', status: 'completed', amount_vnd: 500_000 };
  const raw = (method, pathname, rawBody, contentType = 'application/json') =>
    call(server, method, `${api.base}${pathname}`, { auth: tokens['owner-c'], rawBody, contentType });

  // Bodies over 64 KiB, on a write, a read with a body and the program.
  const big = JSON.stringify({ ...order, note: 'x'.repeat(70 * 1024) });
  for (const [method, pathname] of [['POST', '/orders'], ['POST', '/program/preview'], ['PUT', '/program'], ['POST', '/members']]) {
    assertErrorShape(await raw(method, pathname, big), 413, 'payload_too_large');
  }
  // The same in chunks, with no Content-Length.
  const chunked = await fetch(server.url(`${api.base}/orders`), {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokens['owner-c']}`, 'Content-Type': 'application/json' },
    body: new ReadableStream({ start(controller) { for (let i = 0; i < 8; i += 1) controller.enqueue(new TextEncoder().encode(big.slice(i * 10_000, (i + 1) * 10_000))); controller.enqueue(new TextEncoder().encode(big.slice(80_000))); controller.close(); } }),
    duplex: 'half',
  });
  assertErrorShape({ status: chunked.status, headers: chunked.headers, json: JSON.parse(await chunked.text()), text: '' }, 413, 'payload_too_large');
  // Malformed JSON, and JSON that is not an object.
  for (const text of ['{"order_id":', '{order_id: 1}', '[1,2]', '"text"', '', '{"a":1}{"b":2}']) {
    for (const [method, pathname] of [['POST', '/orders'], ['POST', '/members'], ['PUT', '/program'], ['POST', '/program/preview']]) {
      assertErrorShape(await raw(method, pathname, text), 400, 'malformed_json');
    }
  }
  // Not JSON by its content type.
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', 'text/json', 'application/json-patch+json']) {
    assertErrorShape(await raw('POST', '/orders', JSON.stringify(order), type), 415, 'unsupported_media_type');
  }
  // Wrong types, unknown fields, numbers out of range: 422 naming each field.
  const refusals = [
    ['POST', '/orders', { ...order, amount_vnd: '500000' }, ['amount_vnd']],
    ['POST', '/orders', { ...order, amount_vnd: 5.5 }, ['amount_vnd']],
    ['POST', '/orders', { ...order, amount_vnd: 10 ** 16 }, ['amount_vnd']],
    ['POST', '/orders', { ...order, amount_vnd: -1 }, ['amount_vnd']],
    ['POST', '/orders', { ...order, amount_vnd: 1e300 }, ['amount_vnd']],
    ['POST', '/orders', { ...order, colour: 'blue' }, ['colour']],
    ['POST', '/orders', { ...order, status: 42 }, ['status']],
    ['POST', '/orders', { ...order, member_id: null }, ['member_id']],
    ['POST', '/orders', { order_id: 'bad-in-o3', member_id: 'bad-in', status: 'completed' }, ['amount_vnd']],
    ['POST', '/orders/bad-in-o1/refunds', { refund_id: 'r', amount_vnd: 0 }, ['amount_vnd']],
    ['POST', '/members', { phone: newPhone(), name: 'X', birthday: { day: 1, month: 13 } }, ['birthday.month']],
    ['POST', '/members', { phone: 12345, name: 'X' }, ['phone']],
    ['POST', '/members', { phone: newPhone(), name: 'X', nickname: 'x' }, ['nickname']],
    ['PATCH', '/members/bad-in', { name: '' }, ['name']],
    ['PATCH', '/members/bad-in', { opt_ins: { push: 'yes' } }, ['opt_ins.push']],
    ['POST', '/members/bad-in/adjustments', { points: 10 ** 13, reason: 'x', idempotency_key: 'k-range' }, ['points']],
    ['POST', '/members/bad-in/adjustments', { points: 0, reason: 'x', idempotency_key: 'k-zero' }, ['points']],
    ['POST', '/holds', { hold_id: 'h-bad', member_id: 'bad-in', points: 0, order_amount_vnd: 100_000 }, ['points']],
    ['POST', '/holds', { hold_id: 'h-bad', member_id: 'bad-in', points: true, order_amount_vnd: 100_000 }, ['points']],
    ['POST', '/redemptions', { redemption_id: 'rd-bad', member_id: 'bad-in', points: 1, reason: 'x', extra: 1 }, ['extra']],
    ['POST', '/transfers', { transfer_id: 't-bad', from_member_id: 'bad-in', to_member_id: 'bad-in', points: 1 }, ['to_member_id']],
    ['PUT', '/program', { program: testProgram({ wallet: { point_value_vnd: 0, buyer_earn_rate_bp: 100 } }) }, ['wallet.point_value_vnd']],
    ['PUT', '/program', { program: testProgram({ pay_with_points: { hold_timeout_s: 10 } }) }, ['pay_with_points.hold_timeout_s']],
    ['POST', '/program/preview', { amount_vnd: 'many' }, ['amount_vnd']],
    // Fields the server sets.
    ['POST', '/orders', { ...order, actor: 'someone else' }, ['actor']],
    ['POST', '/orders', { ...order, command: 'refund' }, ['command']],
    ['POST', '/program/preview', { amount_vnd: 1000, command: 'order' }, ['command']],
    // A `time` where the route takes none: the server's clock decides.
    ...[
      ['POST', '/members', { phone: newPhone(), name: 'X' }],
      ['PATCH', '/members/bad-in', { name: 'Y' }],
      ['POST', '/members/bad-in/block', {}],
      ['POST', '/members/bad-in/adjustments', { points: 1, reason: 'x', idempotency_key: 'k-time' }],
      ['POST', '/holds', { hold_id: 'h-time', member_id: 'bad-in', points: 1, order_amount_vnd: 100_000 }],
      ['POST', '/redemptions', { redemption_id: 'rd-time', member_id: 'bad-in', points: 1, reason: 'x' }],
      ['POST', '/transfers', { transfer_id: 't-time', from_member_id: 'bad-in', to_member_id: 'mem-x', points: 1 }],
      ['POST', '/orders/bad-in-o1/pending/release', { reason: 'x' }],
      ['PUT', '/program', { program: testProgram() }],
    ].map(([method, pathname, body]) => [method, pathname, { ...body, time: '2026-01-01T00:00:00Z' }, ['time']]),
    // A business time far in the future, or not a time.
    ['POST', '/orders', { ...order, time: '2099-01-01T00:00:00Z' }, ['time']],
    ['POST', '/orders', { ...order, time: new Date(Date.now() + 3600_000).toISOString() }, ['time']],
    ['POST', '/orders', { ...order, time: '2026-01-01' }, ['time']],
    ['POST', '/orders', { ...order, time: 1700000000 }, ['time']],
    ['POST', '/orders/bad-in-o1/refunds', { refund_id: 'r-future', amount_vnd: 100_000, time: '2099-01-01T00:00:00Z' }, ['time']],
  ];
  for (const [method, pathname, body, fields] of refusals) {
    const response = await api[method.toLowerCase()](pathname, body);
    const error = assertErrorShape(response, 422);
    for (const field of fields) assert.ok(fieldNames(response).includes(field), `${method} ${pathname} names ${field}: ${response.text}`);
    for (const field of error.fields) assert.ok(field.vi && field.en, `a message for ${field.field}: ${response.text}`);
  }
  // Query parameters.
  // (each named as the route names it: the cursor is `after`, whatever the core calls it)
  for (const query of ['limit=0', 'limit=1001', 'limit=abc', 'limit=', 'limit=1e3', 'after=abc', 'after=0', 'after=-3', 'after=99999999999999999999']) {
    const response = await api.get(`/members/bad-in/ledger?${query}`);
    assertErrorShape(response, 422);
    assert.deepEqual(fieldNames(response), [query.split('=')[0]], response.text);
  }
  assertErrorShape(await api.get('/members'), 422);   // query is required
  assertErrorShape(await api.get('/expiring-points?within_days=400'), 422);
  assertErrorShape(await api.get('/members/lookup'), 422);
  // A card and a phone that do not name the same member find no one.
  assertErrorShape(await api.get('/members/lookup?card_number=8000000011&phone=0999999999'), 404);
  // Unknown routes, methods and resources.
  for (const [method, pathname] of [
    ['GET', '/nothing'], ['POST', '/orders/bad-in-o1/unknown'], ['DELETE', '/members/bad-in'], ['GET', '/orders'],
    ['PUT', '/members/bad-in'], ['GET', '/holds/h1'], ['POST', '/members/bad-in/ledger'], ['GET', '/members/bad-in/history'],
  ]) {
    assertErrorShape(await call(server, method, `${api.base}${pathname}`, { auth: tokens['owner-c'] }), 404, 'not_found');
  }
  assertErrorShape(await call(server, 'GET', '/api/v2/stores/shop-c/program', { auth: tokens['owner-c'] }), 404, 'not_found');
  assertErrorShape(await call(server, 'GET', '/api/v1/stores/Shop-C/program', { auth: tokens['owner-c'] }), 404, 'not_found');
  assertErrorShape(await api.get('/members/nobody'), 404, 'member_not_found');
  assertErrorShape(await api.post('/orders/nothing/refunds', { refund_id: 'r', amount_vnd: 1000 }), 404, 'order_not_found');
  assertErrorShape(await api.post('/holds/nothing/release', {}), 404, 'hold_not_found');
  // A bad Idempotency-Key header.
  assertErrorShape(await api.post('/orders', order, { key: 'x'.repeat(256) }), 400, 'invalid_idempotency_key');
  // The caller's request id is kept.
  const tagged = await api.post('/orders', { ...order, colour: 1 }, { headers: { 'X-Request-Id': 'till-7.retry-2' } });
  assert.equal(assertErrorShape(tagged, 422).request_id, 'till-7.retry-2');

  assert.deepEqual(await fingerprint('shop-c', 'bad-in'), before, 'nothing changed');
  const health = await call(server, 'GET', '/api/health');
  assert.equal(health.status, 200);
  // And the same write, well formed, still works.
  assert.equal(ok(await api.post('/orders', order)).balances['bad-in'].points, 110 + 5);
});

// ---------------------------------------------------------------- idempotency

test('idempotency: the same key and body replays the first answer and changes nothing; the same key with another body is refused (422) and changes nothing', async () => {
  const api = storeClient(server, 'shop-c', tokens['owner-c']);
  ok(await api.post('/members', { member_id: 'idem', phone: newPhone(), name: 'Khách lặp' }));
  ok(await api.post('/members', { member_id: 'idem-2', phone: newPhone(), name: 'Khách nhận' }));

  const writes = [
    ['/orders', { order_id: 'idem-o1', member_id: 'idem', status: 'completed', amount_vnd: 2_000_000 }, { order_id: 'idem-o1', member_id: 'idem', status: 'completed', amount_vnd: 3_000_000 }],
    ['/orders/idem-o1/refunds', { refund_id: 'idem-r1', amount_vnd: 500_000 }, { refund_id: 'idem-r1', amount_vnd: 600_000 }],
    ['/members/idem/adjustments', { points: 40, reason: 'Quà tặng' }, { points: 41, reason: 'Quà tặng' }],
    ['/holds', { hold_id: 'idem-h1', member_id: 'idem', points: 4, order_amount_vnd: 100_000 }, { hold_id: 'idem-h2', member_id: 'idem', points: 4, order_amount_vnd: 100_000 }],
    ['/redemptions', { redemption_id: 'idem-d1', member_id: 'idem', points: 3, reason: 'Quà' }, { redemption_id: 'idem-d1', member_id: 'idem', points: 3, reason: 'Quà khác' }],
    ['/transfers', { transfer_id: 'idem-t1', from_member_id: 'idem', to_member_id: 'idem-2', points: 2 }, { transfer_id: 'idem-t2', from_member_id: 'idem', to_member_id: 'idem-2', points: 2 }],
    ['/members', { member_id: 'idem-3', phone: newPhone(), name: 'Khách ba' }, { member_id: 'idem-4', phone: newPhone(), name: 'Khách bốn' }],
  ];
  for (const [index, [pathname, body, otherBody]] of writes.entries()) {
    const key = `idem-key-${index}`;
    const first = await api.post(pathname, body, { key });
    assert.ok([200, 201].includes(first.status), `${pathname}: ${first.text}`);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const state = await fingerprint('shop-c', 'idem');
    const balances = { idem: await balancesOf(api, 'idem'), other: await balancesOf(api, 'idem-2') };

    for (let retry = 0; retry < 3; retry += 1) {
      const replay = await api.post(pathname, body, { key });
      assert.equal(replay.status, first.status, pathname);
      assert.equal(replay.text, first.text, `${pathname}: the first answer, byte for byte`);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    }
    // The same body with its fields in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    assert.equal((await api.post(pathname, reordered, { key })).headers.get('idempotent-replayed'), 'true');

    const reused = await api.post(pathname, otherBody, { key });
    assertErrorShape(reused, 422, 'idempotency_key_reused');
    assert.deepEqual(fieldNames(reused), ['Idempotency-Key']);
    // The same key on another route is another request too.
    assertErrorShape(await api.post('/redemptions', { redemption_id: `x-${key}`, member_id: 'idem', points: 1, reason: 'x' }, { key }), 422, 'idempotency_key_reused');

    assert.deepEqual(await fingerprint('shop-c', 'idem'), state, `${pathname}: nothing changed`);
    assert.deepEqual({ idem: await balancesOf(api, 'idem'), other: await balancesOf(api, 'idem-2') }, balances);
  }
  // What was applied, once each: 20 points earned, 5 taken back, 40 given, 4 held, 3 redeemed, 2 sent.
  const idem = await balancesOf(api, 'idem');
  assert.deepEqual([idem.points, idem.held], [20 - 5 + 40 - 4 - 3 - 2, 4]);
  assert.equal((await balancesOf(api, 'idem-2')).points, 2);
  // A key belongs to its caller: the same key from another principal is a new request.
  const other = storeClient(server, 'shop-c', await createApiKey(server, tokens['owner-c'], 'shop-c', ['holds']));
  const fromKey = await other.post('/redemptions', { redemption_id: 'idem-d9', member_id: 'idem', points: 1, reason: 'Quà' }, { key: 'idem-key-4' });
  assert.equal(fromKey.status, 201, fromKey.text);
  assert.equal(fromKey.headers.get('idempotent-replayed'), null);
  // A refusal is an answer too: replayed as it was.
  const refused = await api.post('/redemptions', { redemption_id: 'idem-big', member_id: 'idem', points: 10 ** 6, reason: 'x' }, { key: 'refused-once' });
  assertErrorShape(refused, 422, 'insufficient_points');
  const refusedAgain = await api.post('/redemptions', { redemption_id: 'idem-big', member_id: 'idem', points: 10 ** 6, reason: 'x' }, { key: 'refused-once' });
  assert.equal(refusedAgain.status, 422);
  assert.equal(refusedAgain.text, refused.text);
  assert.equal(refusedAgain.headers.get('idempotent-replayed'), 'true');
});

test('idempotency: identical keyed requests sent at once get the first answer, a replay or 409 in flight; the write applies once', { timeout: 120_000 }, async () => {
  const api = storeClient(server, 'shop-c', tokens['owner-c']);
  ok(await api.post('/members', { member_id: 'race', phone: newPhone(), name: 'Khách đua' }));
  const concurrent = 40;
  let inFlightSeen = 0;
  let rounds = 0;
  let expectedPoints = 0;
  // Rounds until a retry met its first request in flight (it does within a few).
  while (inFlightSeen === 0 && rounds < 20) {
    rounds += 1;
    const body = { points: rounds, reason: `Lượt ${rounds}` };
    const key = `race-${rounds}`;
    const answers = await Promise.all(Array.from({ length: concurrent }, () => api.post('/members/race/adjustments', body, { key })));
    expectedPoints += rounds;
    const originals = answers.filter((a) => a.status === 201 && a.headers.get('idempotent-replayed') === null);
    const replays = answers.filter((a) => a.headers.get('idempotent-replayed') === 'true');
    const inFlight = answers.filter((a) => a.status === 409);
    assert.equal(originals.length, 1, 'one request did the work');
    assert.equal(originals.length + replays.length + inFlight.length, concurrent, answers.map((a) => `${a.status} ${a.text}`).join('\n'));
    for (const replay of replays) {
      assert.equal(replay.status, 201);
      assert.equal(replay.text, originals[0].text);
    }
    for (const answer of inFlight) assertErrorShape(answer, 409, 'idempotency_in_flight');
    inFlightSeen += inFlight.length;
    const history = await wholeHistory(api, 'race');
    assert.equal(history.filter((t) => t.idempotency_key === key).length, 1, `${key} applied once`);
    assert.equal((await balancesOf(api, 'race')).points, expectedPoints);
    // After the first is answered, a retry is a replay.
    const late = await api.post('/members/race/adjustments', body, { key });
    assert.equal(late.headers.get('idempotent-replayed'), 'true');
  }
  assert.ok(inFlightSeen > 0, `a retry met its first request in flight (${rounds} rounds)`);
});

// ---------------------------------------------------------------- ledger paging

test('ledger history pages by cursor, newest first; the cursor is stable while new entries arrive', async () => {
  const api = storeClient(server, 'shop-c', tokens['owner-c']);
  ok(await api.post('/members', { member_id: 'pages', phone: newPhone(), name: 'Khách trang' }));
  const adjust = async (n) => ok(await api.post('/members/pages/adjustments', { points: n, reason: `Lần ${n}` }, { key: `pages-${n}` })).transactions[0].id;
  const ids = [];
  for (let n = 1; n <= 12; n += 1) ids.push(await adjust(n));
  const newestFirst = [...ids].reverse();

  const page1 = ok(await api.get('/members/pages/ledger?limit=5')).data;
  assert.deepEqual(page1.transactions.map((t) => t.id), newestFirst.slice(0, 5));
  assert.equal(page1.has_more, true);
  assert.equal(page1.next_cursor, newestFirst[4]);
  // New entries arrive between pages.
  const added = [await adjust(13), await adjust(14), await adjust(15)];
  const page2 = ok(await api.get(`/members/pages/ledger?limit=5&after=${page1.next_cursor}`)).data;
  assert.deepEqual(page2.transactions.map((t) => t.id), newestFirst.slice(5, 10));
  assert.equal(page2.has_more, true);
  const sixteenth = await adjust(16);
  const page3 = ok(await api.get(`/members/pages/ledger?limit=5&after=${page2.next_cursor}`)).data;
  assert.deepEqual(page3.transactions.map((t) => t.id), newestFirst.slice(10));
  assert.equal(page3.has_more, false);
  assert.equal(page3.next_cursor, null);
  // The same cursor gives the same page again; a fresh first page starts with the new entries.
  assert.deepEqual(ok(await api.get(`/members/pages/ledger?limit=5&after=${page1.next_cursor}`)).data.transactions, page2.transactions);
  const fresh = ok(await api.get('/members/pages/ledger?limit=5')).data;
  assert.deepEqual(fresh.transactions.map((t) => t.id), [sixteenth, ...[...added].reverse(), newestFirst[0]]);
  // The whole history, page by page with limit 1, is every entry once.
  const all = await wholeHistory(api, 'pages', 1);
  assert.equal(all.length, 16);
  assert.equal(new Set(all.map((t) => t.id)).size, 16);
  assert.deepEqual(all.map((t) => t.id), [...all.map((t) => t.id)].sort((a, b) => b - a));
  // An exact last page: has_more is false when nothing is left.
  const exact = ok(await api.get(`/members/pages/ledger?limit=4&after=${all[11].id}`)).data;
  assert.equal(exact.transactions.length, 4);
  assert.equal(exact.has_more, false);
  assert.equal(exact.next_cursor, null);
});

test('a store the operator creates while the server runs is served at once, and only to its own staff', async () => {
  await seedStores(server.databasePath, [{ id: 'shop-new', staff: [['owner-new@shop.vn', 'owner']] }]);
  const api = storeClient(server, 'shop-new', await signIn(server, 'owner-new@shop.vn'));
  assertErrorShape(await api.get('/program'), 422, 'program_not_set');
  ok(await api.put('/program', { program: testProgram() }));
  assert.equal(ok(await api.post('/members', { member_id: 'n1', phone: newPhone(), name: 'Khách mới' })).member_id, 'n1');
  assert.equal(ok(await api.post('/orders', { order_id: 'n-o1', member_id: 'n1', status: 'completed', amount_vnd: 300_000 })).balances.n1.points, 3);
  assertErrorShape(await storeClient(server, 'shop-new', tokens['owner-a']).get('/members/n1'), 403, 'forbidden');
});
