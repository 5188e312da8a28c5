// Checks the field tables of docs/commands.md against the program, and the order of the
// fields of a result that the page promises. The docs examples test (docs_examples.test.mjs)
// compares the page with the program's own output, so it guards drift, not the contract:
// this test reads the contract from the page and tries it.
//
// - Every command's table (| Field | Type | Required | ...): leaving out a field marked
//   required gives `invalid_field` with that field named in `errors[].field`; leaving out
//   one marked `no` gives what the full command gives. The same for the tables of the
//   program configuration document (`program_invalid`, with the path in the document) and
//   the perks' parameters.
// - "The shape of a result": every result of the examples and of the runs above has its
//   fields in the documented order, nested objects too, and a refusal carries only what the
//   page says it carries.
//
// The page decides which fields are required; this file only holds one valid value for
// every documented field (a field documented without a sample here fails the test, so a
// new field gets checked as soon as it is documented).
//
//   node --test tests/cli/docs_fields.test.mjs     (LOYALTY_CLI overrides the binary)
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = process.env.LOYALTY_CLI || path.join(root, 'build', 'bin', 'loyalty');
const docPath = path.join(root, 'docs', 'commands.md');
const docText = fs.readFileSync(docPath, 'utf8');
const docLines = docText.split('\n');

// ----- reading the page -------------------------------------------------------------------

const backticked = (text) => [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
const cells = (row) => row.replace(/^\|/, '').replace(/\|$/, '').split(' | ').map((cell) => cell.trim());

// Every table whose header starts "| Field | Type | Required", with the heading above it.
function fieldTables() {
  const tables = [];
  let heading = '';
  let headingLine = 0;
  for (let i = 0; i < docLines.length; i++) {
    const line = docLines[i];
    if (/^#{2,3} /.test(line)) { heading = line; headingLine = i + 1; continue; }
    if (!/^\| Field \| Type \| Required \|/.test(line)) continue;
    const rows = [];
    for (let k = i + 2; k < docLines.length && docLines[k].startsWith('|'); k++) {
      const [field, type, required] = cells(docLines[k]);
      for (const name of backticked(field)) rows.push({ name, type, required, docLine: k + 1 });
    }
    tables.push({ heading, headingLine, docLine: i + 1, rows });
  }
  return tables;
}

// "yes", "no", or a condition ("yes (when `tier_points` is given)", "yes unless `rule` is
// `never`"): the samples below always meet the condition, so a conditional yes is a yes.
const isRequired = (required) => required.startsWith('yes');

// The perks' table: | `type` | Parameter | Limits | Meaning |, parameters marked
// "(required)" or "(optional, ...)"; a parameter without a mark is optional.
function perkTable() {
  const start = docLines.findIndex((line) => /^\| `type` \| Parameter \|/.test(line));
  assert.ok(start > 0, 'docs/commands.md: the perks table (| `type` | Parameter | ...) is missing');
  const perks = [];
  for (let k = start + 2; k < docLines.length && docLines[k].startsWith('|'); k++) {
    const [type, parameters] = cells(docLines[k]);
    const params = [...parameters.matchAll(/`(\w+)`( \((required|optional)[^)]*\))?/g)]
      .map((match) => ({ name: match[1], required: match[3] === 'required' }));
    perks.push({ type: backticked(type)[0], params, docLine: k + 1 });
  }
  return perks;
}

// A shape written in the page, `{"id", ["effective_time"], "reason": {"vi", "en"}, ...}`:
// the fields in order, [optional] ones, nested shapes, and "..." for "more may follow".
function parseShape(text) {
  let i = 0;
  const skipSpace = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  function parseValue() {
    skipSpace();
    if (text[i] === '{') return { object: parseObject() };
    if (text[i] === '[') {
      i++;
      const inner = parseValue();
      skipSpace();
      assert.equal(text[i], ']', `shape ${text}: ] expected at ${i}`);
      i++;
      return { array: inner };
    }
    // Anything else (`...`, a word) stands for a value the page does not spell out.
    while (i < text.length && !/[,}\]]/.test(text[i])) i++;
    return {};
  }
  function parseObject() {
    assert.equal(text[i], '{');
    i++;
    const shape = { fields: [], open: false };
    for (;;) {
      skipSpace();
      if (text[i] === '}') { i++; return shape; }
      if (text.startsWith('...', i)) { shape.open = true; i += 3; }
      else {
        const optional = text[i] === '[';
        if (optional) i++;
        const name = /^"(\w+)"/.exec(text.slice(i));
        assert.ok(name, `shape ${text}: a field name expected at ${i}`);
        i += name[0].length;
        if (optional) { assert.equal(text[i], ']'); i++; }
        skipSpace();
        if (text[i] === '(') { while (text[i] !== ')') i++; i++; skipSpace(); }   // a remark: "state" (active, ...)
        let value = {};
        if (text[i] === ':') { i++; value = parseValue(); }
        shape.fields.push({ name: name[1], optional, ...value });
      }
      skipSpace();
      if (text[i] === ',') i++;
    }
  }
  skipSpace();
  return parseObject();
}

// "The shape of a result": the top-level fields in order, the shape of each, the fields a
// refusal may carry and the codes that carry `errors`.
function resultShape() {
  const start = docText.indexOf('## The shape of a result');
  const end = docText.indexOf('Transaction kinds:', start);
  assert.ok(start > 0 && end > start, 'docs/commands.md: "The shape of a result" is missing');
  const section = docText.slice(start, end);
  const order = [];
  const shapes = {};
  let errorCodes = [];
  for (const row of section.split('\n').filter((line) => /^\| `\w+` \|/.test(line))) {
    const [field, , meaning] = cells(row);
    const name = backticked(field)[0];
    order.push(name);
    const shapeText = backticked(meaning).find((text) => text.startsWith('{'));
    if (shapeText) shapes[name] = parseShape(shapeText);
    // "only for field problems (`malformed_json`, `invalid_field`, ...)": the codes in the parentheses.
    if (name === 'errors') errorCodes = backticked(/\(([^)]*)\)/.exec(meaning)[1]);
  }
  // The prose after the tables: "and, by command, `version` (`save_program`), `member_id`
  // (`create_member`) or `hold` (`hold_points`). A read that succeeds adds `data`" and
  // "Any result ... may also carry `due`: `{"transactions", "events"}`".
  const afterTables = section.slice(section.lastIndexOf('| ---'));
  const prose = afterTables.slice(afterTables.indexOf('\n\n'));
  const refusal = /A\s+refusal\s+carries\s+only\s+([\s\S]*?):/.exec(prose);
  assert.ok(refusal, 'docs/commands.md: "A refusal carries only ..." is missing');
  const refusalFields = backticked(refusal[1]);
  const due = /may also carry `(\w+)`: `(\{[\s\S]*?\})`/.exec(prose);
  assert.ok(due, 'docs/commands.md: "may also carry `due`" is missing');
  const commandNames = new Set(commandTables().map((table) => table.command));
  for (const name of backticked(prose.slice(0, prose.search(/A\s+refusal/)))) {
    if (/^\w+$/.test(name) && !commandNames.has(name) && !order.includes(name)) order.push(name);
  }
  order.push(due[1]);
  shapes[due[1]] = parseShape(due[2].replace(/\s+/g, ' '));
  refusalFields.push(due[1]);
  return { order, shapes, refusalFields, errorCodes };
}

function commandTables() {
  return fieldTables()
    .filter((table) => /^## `\w+`$/.test(table.heading))
    .map((table) => ({ ...table, command: backticked(table.heading)[0] }));
}

// The program configuration document's tables, with the path of their fields.
function programTables() {
  const start = docLines.findIndex((line) => line === '## The program configuration document');
  return fieldTables()
    .filter((table) => table.docLine > start && table.heading.startsWith('### '))
    .map((table) => {
      const name = table.heading === '### Top level' ? '' : backticked(table.heading)[0];
      return { ...table, prefix: name === '' ? '' : name.replace('[i]', '[0]') + '.' };
    });
}

// ----- samples: one valid value of every documented field ---------------------------------

const programSample = () => ({
  program_name: 'Khách hàng thân thiết',
  time_zone: 'Asia/Ho_Chi_Minh',
  wallet: { initial_pool_points: 1000000000, point_value_vnd: 1000, buyer_earn_rate_bp: 100, referrer_earn_rate_bp: 50,
    rounding: 'down', exclude_shipping: true },
  tier_points: { vnd_per_tier_point: 20000, window_months: 12, qualify_by: 'tier_points', calendar_year_start_month: 0 },
  tiers: [{ id: 'bac', name: 'Bạc', name_en: 'Silver', description: 'Hạng khởi đầu', tier_points_needed: 0,
    perks: [{ type: 'birthday_bonus', enabled: true, birthday_bonus_points: 50 }], tier_up_bonus_points: 0 }],
  pending: { days: 7, tier_points: 'at_once' },
  expiry: { rule: 'months_after', months: 12, inactivity_months: 0, from: 'completion' },
  pay_with_points: { max_share_bp: 5000, hold_timeout_s: 900 },
  transfers: { enabled: true, daily_limit_points: 0, minimum_balance_points: 0 },
  earning: { excluded_products: ['the-qua-tang'], excluded_categories: ['thuoc-la'],
    category_multipliers: [{ category: 'huu-co', multiplier_bp: 20000 }], minimum_order_vnd: 0, maximum_points_per_order: 0 },
  promotions: [{ id: 'tet', name: 'Tết', starts_at: '2026-01-01T00:00:00Z', ends_at: '2026-02-01T00:00:00Z', multiplier_bp: 20000,
    tier_id: 'bac', group_id: 'vip', combine: 'multiply' }],
  bonuses: { welcome_points: 10, first_order_points: 20, referral_referrer_points: 30, referral_new_member_points: 10,
    referral_instead_of_percentage: false, profile_completion_points: 5 },
  tier_retention: { keep_months: 3, fall_at_most_one_tier: true },
});

const perkSamples = {
  earning_multiplier: { multiplier_bp: 15000 },
  voucher_point_discount: { discount_bp: 500 },
  private_price_list: { price_list_id: 'bang-gia-bach-kim' },
  birthday_bonus: { birthday_bonus_points: 50 },
  free_shipping: { free_shipping_min_order_vnd: 300000 },
  custom: { text_vi: 'Quà tặng riêng', text_en: 'A private gift' },
};

const campaignSample = (id) => ({
  campaign_id: id, name: 'Voucher Tết', name_en: 'Tet voucher', description: 'Giảm 20.000 ₫',
  starts_at: '2026-01-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z', reward: { kind: 'fixed_amount', amount_vnd: 20000 },
  min_order_vnd: 0, point_cost: 10, total_quantity: 100, limit_per_member: 5, ...(id === 'C1' ? {} : { target_group_id: 'vip' }),
  budget_vnd: 2000000, code_prefix: 'TET',
});

// A store in which every sample below is accepted: a program with a pending period and
// transfers, an with 200 points, binh, two orders with pending points and an active hold.
const SETUP = [
  // The group the sample's promotion is for exists before the program that names it.
  { command: 'save_group', time: '2026-01-01T00:00:00Z', group_id: 'vip', name: 'Khách VIP', kind: 'static' },
  { command: 'save_program', time: '2026-01-01T00:00:00Z', program: programSample() },
  { command: 'create_member', time: '2026-01-02T00:00:00Z', member_id: 'an', phone: '0912345678', name: 'Nguyễn Văn An' },
  { command: 'create_member', time: '2026-01-02T00:00:00Z', member_id: 'binh', phone: '0987654321', name: 'Trần Thị Bình' },
  { command: 'adjust_points', time: '2026-01-03T00:00:00Z', member_id: 'an', points: 200, reason: 'Quà', actor: 'staff', idempotency_key: 'gift' },
  { command: 'order', time: '2026-01-04T00:00:00Z', order_id: 'P1', member_id: 'an', status: 'completed', amount_vnd: 1000000,
    lines: [{ product_id: 'ao', quantity: 2, amount_vnd: 1000000 }] },
  { command: 'order', time: '2026-01-04T00:00:00Z', order_id: 'P2', member_id: 'an', status: 'completed', amount_vnd: 1000000 },
  { command: 'hold_points', time: '2026-01-05T00:00:00Z', hold_id: 'H1', member_id: 'an', points: 10, order_amount_vnd: 100000 },
  // Customer groups: a static list with binh, and a dynamic group.
  { command: 'add_group_members', time: '2026-01-05T00:00:00Z', group_id: 'vip', member_ids: ['binh'] },
  { command: 'save_group', time: '2026-01-05T00:00:00Z', group_id: 'june', name: 'Sinh nhật tháng 6', kind: 'dynamic',
    filter: { birthday_month: 6 } },
  // A visible voucher campaign with a claim of an's and two partner codes.
  { command: 'save_campaign', time: '2026-01-05T00:00:00Z', campaign: campaignSample('C1') },
  { command: 'set_campaign_status', time: '2026-01-05T00:00:00Z', campaign_id: 'C1', status: 'visible' },
  { command: 'claim_voucher', time: '2026-01-05T00:00:00Z', claim_id: 'K1', member_id: 'an', campaign_id: 'C1', seed: '0123456789abcdef' },
  { command: 'import_voucher_codes', time: '2026-01-05T00:00:00Z', batch_id: 'P1', campaign_id: 'C1', codes: ['GRAB0001', 'GRAB0002'] },
  // A notification sending to everyone (an's delivery sent), a draft, and a scenario.
  { command: 'save_notification', time: '2026-01-05T00:00:00Z', notification: { notification_id: 'N1', title: 'Chào {name}', body: '{points} điểm' } },
  { command: 'schedule_notification', time: '2026-01-05T00:00:00Z', notification_id: 'N1' },
  { command: 'mark_delivery_sent', time: '2026-01-05T00:00:00Z', delivery_id: 'n/N1/an' },
  { command: 'save_notification', time: '2026-01-05T00:00:00Z', notification: { notification_id: 'N3', title: 'Nháp', body: 'Nháp' } },
  { command: 'save_scenario', time: '2026-01-05T00:00:00Z',
    scenario: { scenario_id: 'S0', name: 'Sinh nhật', kind: 'birthday', title: 'Chúc mừng {name}', body: 'Sinh nhật vui vẻ' } },
];

const TIME = '2026-01-05T00:01:00Z';   // after the setup, inside the pending period and the hold
const COMMAND_SAMPLES = {
  save_program: { command: 'save_program', time: TIME, actor: 'owner', effective_from: TIME, program: programSample() },
  create_member: { command: 'create_member', time: TIME, member_id: 'cuong', phone: '0358111222', name: 'Lê Văn Cường',
    email: 'cuong@example.vn', birthday: { day: 1, month: 2, year: 1990 }, referrer_id: 'an', opt_ins: { sms: true } },
  update_member: { command: 'update_member', time: TIME, member_id: 'binh', phone: '0903000111', name: 'Trần Thị Bình',
    email: 'binh@example.vn', birthday: { day: 3, month: 4 }, opt_ins: { email: true }, status: 'active' },
  set_referrer: { command: 'set_referrer', time: TIME, member_id: 'binh', referrer_id: 'an' },
  order: { command: 'order', time: TIME, order_id: 'A1', member_id: 'an', status: 'completed', amount_vnd: 500000,
    shipping_vnd: 10000, voucher_discount_vnd: 20000, paid_with_points_vnd: 10000, points_hold_id: 'H1', actor: 'pos',
    voucher_code: 'grab-0001', lines: [{ product_id: 'ca-phe', category: 'do-uong', quantity: 2, amount_vnd: 490000 }] },
  refund: { command: 'refund', time: TIME, order_id: 'P1', refund_id: 'r1', amount_vnd: 100000, actor: 'staff',
    lines: [{ product_id: 'ao', quantity: 1 }] },
  adjust_points: { command: 'adjust_points', time: TIME, member_id: 'binh', points: 5, reason: 'Bù điểm', actor: 'staff',
    idempotency_key: 'k2' },
  review_tiers: { command: 'review_tiers', time: TIME },
  assign_tier: { command: 'assign_tier', time: TIME, member_id: 'binh', tier_id: 'bac', ends_at: '2027-01-01T00:00:00Z',
    reason: 'Khách VIP', actor: 'owner' },
  get_member: { command: 'get_member', member_id: 'an', time: TIME },
  lookup_member: { command: 'lookup_member', card_number: '8000000011', phone: '0912 345 678', time: TIME },
  search_members: { command: 'search_members', query: 'nguyen', limit: 5, time: TIME },
  ledger_history: { command: 'ledger_history', member_id: 'an', limit: 5, before_transaction: 100, time: TIME },
  explain_balance: { command: 'explain_balance', member_id: 'an', time: TIME },
  preview: { command: 'preview', amount_vnd: 1000000, shipping_vnd: 10000, voucher_discount_vnd: 20000,
    paid_with_points_vnd: 10000, member_id: 'an', program: programSample(), time: TIME,
    lines: [{ product_id: 'tra', category: 'huu-co', quantity: 1, amount_vnd: 990000 }] },
  rules_text: { command: 'rules_text', program: programSample(), time: TIME },
  get_program: { command: 'get_program', time: TIME },
  audit: { command: 'audit', time: TIME },
  release_pending: { command: 'release_pending', time: TIME, order_id: 'P1', reason: 'Đã giao hàng', actor: 'staff' },
  cancel_pending: { command: 'cancel_pending', time: TIME, order_id: 'P2', reason: 'Đơn thử', actor: 'staff' },
  redeem_points: { command: 'redeem_points', time: TIME, redemption_id: 'D1', member_id: 'an', points: 5, reason: 'Voucher',
    actor: 'pos' },
  hold_points: { command: 'hold_points', time: TIME, hold_id: 'H2', member_id: 'an', points: 10, order_amount_vnd: 100000 },
  release_hold: { command: 'release_hold', time: TIME, hold_id: 'H1', actor: 'pos' },
  transfer_points: { command: 'transfer_points', time: TIME, transfer_id: 'T1', from_member_id: 'an', to_member_id: 'binh',
    points: 5, actor: 'app' },
  grant_birthday_bonuses: { command: 'grant_birthday_bonuses', time: TIME },
  expiring_points: { command: 'expiring_points', within_days: 30, limit: 10, time: TIME },
  liability: { command: 'liability', time: TIME },
  process_due: { command: 'process_due', time: TIME },
  program_impact: { command: 'program_impact', time: TIME, program: programSample(), sample_limit: 5 },
  backtest_program: { command: 'backtest_program', time: TIME, program: programSample(), from: '2026-01-01T00:00:00Z', to: TIME,
    sample_limit: 5 },
  metrics: { command: 'metrics', time: TIME, from: '2026-01-01T00:00:00Z', to: TIME, bucket: 'week', attribution_days: 7 },
  save_group: { command: 'save_group', time: TIME, group_id: 'moi', name: 'Khách mới', name_en: 'New customers',
    description: 'Tham gia từ năm 2026', kind: 'dynamic', filter: { joined: { after: '2026-01-01T00:00:00Z' } } },
  delete_group: { command: 'delete_group', time: TIME, group_id: 'june' },
  add_group_members: { command: 'add_group_members', time: TIME, group_id: 'vip', member_ids: ['an'] },
  remove_group_members: { command: 'remove_group_members', time: TIME, group_id: 'vip', member_ids: ['binh'] },
  import_group_members: { command: 'import_group_members', time: TIME, group_id: 'vip', csv: 'Số điện thoại\r\n0912 345 678\r\n',
    mode: 'add', all_rows_required: true },
  get_group: { command: 'get_group', group_id: 'vip', time: TIME },
  list_groups: { command: 'list_groups', time: TIME },
  group_members: { command: 'group_members', group_id: 'vip', limit: 5, after: 'an', time: TIME },
  member_groups: { command: 'member_groups', member_id: 'binh', time: TIME },
  save_campaign: { command: 'save_campaign', time: TIME, campaign: campaignSample('C2') },
  set_campaign_status: { command: 'set_campaign_status', time: TIME, campaign_id: 'C1', status: 'paused' },
  list_campaigns: { command: 'list_campaigns', member_id: 'an', time: TIME },
  claim_voucher: { command: 'claim_voucher', time: TIME, claim_id: 'K2', member_id: 'an', campaign_id: 'C1',
    seed: 'fedcba9876543210', actor: 'app' },
  check_voucher: { command: 'check_voucher', time: TIME, code: 'GRAB-0001', member_id: 'an', amount_vnd: 500000, shipping_vnd: 10000 },
  member_vouchers: { command: 'member_vouchers', member_id: 'an', time: TIME },
  issue_voucher_codes: { command: 'issue_voucher_codes', time: TIME, batch_id: 'B1', campaign_id: 'C1', count: 2,
    seed: '0011223344556677', actor: 'owner' },
  import_voucher_codes: { command: 'import_voucher_codes', time: TIME, batch_id: 'P2', campaign_id: 'C1', codes: ['GRAB0003'],
    actor: 'owner' },
  use_voucher: { command: 'use_voucher', time: TIME, code: 'GRAB0002', member_id: 'an', order_id: 'U1', amount_vnd: 500000,
    shipping_vnd: 10000 },
  cancel_voucher_claim: { command: 'cancel_voucher_claim', time: TIME, claim_id: 'K1', reason: 'Khách đổi ý', actor: 'staff' },
  get_campaign: { command: 'get_campaign', campaign_id: 'C1', time: TIME },
  save_notification: { command: 'save_notification', time: TIME, notification: { notification_id: 'N2', title: 'Chào {name}',
    body: 'Xem {campaign}', title_en: 'Hello {name}', body_en: 'See {campaign}', target: { kind: 'campaign', campaign_id: 'C1' },
    audience_group_id: 'vip', channel: 'app_push', send_at: '2026-01-06T00:00:00+07:00' } },
  schedule_notification: { command: 'schedule_notification', time: TIME, notification_id: 'N3' },
  cancel_notification: { command: 'cancel_notification', time: TIME, notification_id: 'N1' },
  // At the clock the setup left (a later time is refused: due_deliveries answers at the clock).
  due_deliveries: { command: 'due_deliveries', time: '2026-01-05T00:00:00Z', after: 'n/N1/an', limit: 5 },
  mark_delivery_sent: { command: 'mark_delivery_sent', time: TIME, delivery_id: 'n/N1/binh' },
  mark_delivery_failed: { command: 'mark_delivery_failed', time: TIME, delivery_id: 'n/N1/binh', attempt: 1, reason: 'gateway 503' },
  mark_delivery_opened: { command: 'mark_delivery_opened', time: TIME, delivery_id: 'n/N1/an' },
  mark_delivery_clicked: { command: 'mark_delivery_clicked', time: TIME, delivery_id: 'n/N1/an' },
  get_delivery: { command: 'get_delivery', delivery_id: 'n/N1/an', time: TIME },
  get_notification: { command: 'get_notification', notification_id: 'N1', time: TIME },
  list_notifications: { command: 'list_notifications', status: 'sending', time: TIME },
  save_scenario: { command: 'save_scenario', time: TIME, scenario: { scenario_id: 'S1', name: 'Cảm ơn', kind: 'order_thanks',
    enabled: true, title: 'Cảm ơn {name}', body: 'Đơn {order_id}: {order_amount}', delay_minutes: 60,
    quiet_hours: { from: '21:00', to: '08:00' } } },
  get_scenario: { command: 'get_scenario', scenario_id: 'S0', time: TIME },
  list_scenarios: { command: 'list_scenarios', time: TIME },
};

// ----- running the program ----------------------------------------------------------------

// Runs the setup and then `lines` in one fresh in-memory store; returns the results of `lines`.
function runAfterSetup(lines) {
  const input = [...SETUP, ...lines].map((line) => JSON.stringify(line)).join('\n') + '\n';
  const run = spawnSync(cli, ['apply'], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `loyalty apply exited ${run.status}: ${run.stderr}`);
  const results = run.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
  assert.equal(results.length, SETUP.length + lines.length);
  results.slice(0, SETUP.length).forEach((result, index) =>
    assert.equal(result.result, 'ok', `setup line ${index + 1} was refused: ${JSON.stringify(result)}`));
  return results.slice(SETUP.length);
}

const without = (object, field) => {
  const copy = structuredClone(object);
  delete copy[field];
  return copy;
};
const errorFields = (result) => (result.errors || []).map((error) => error.field);
const describe = (result) => `${result.result} ${JSON.stringify(result.errors || [])}`;

// Every result seen by the tests below, for the shape check at the end.
const seenResults = [];

// ----- the tests ----------------------------------------------------------------------------

test('every command documented has a table, and every documented field a sample here', () => {
  assert.ok(fs.existsSync(cli), `missing ${cli}: build it (make build) or set LOYALTY_CLI`);
  const tables = commandTables();
  assert.ok(tables.length >= 25, `found ${tables.length} command tables`);
  const problems = [];
  for (const table of tables) {
    const sample = COMMAND_SAMPLES[table.command];
    if (!sample) { problems.push(`docs/commands.md:${table.headingLine}: no sample command for ${table.command}`); continue; }
    for (const row of table.rows) {
      if (!(row.name in sample)) problems.push(`docs/commands.md:${row.docLine}: no sample value for ${table.command}.${row.name}`);
    }
    for (const field of Object.keys(sample)) {
      if (!table.rows.some((row) => row.name === field)) {
        problems.push(`docs/commands.md:${table.docLine}: ${table.command}.${field} is accepted but not in the table`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('every command sample, given in full, is accepted', () => {
  const commands = commandTables().map((table) => table.command).filter((command) => COMMAND_SAMPLES[command]);
  const problems = [];
  for (const command of commands) {
    const [result] = runAfterSetup([COMMAND_SAMPLES[command]]);
    seenResults.push(result);
    if (result.result !== 'ok') problems.push(`${command}: ${describe(result)}`);
  }
  assert.deepEqual(problems, []);
});

test('a field documented as required is required, one documented as optional is not', () => {
  const problems = [];
  for (const table of commandTables()) {
    const sample = COMMAND_SAMPLES[table.command];
    if (!sample) continue;
    for (const row of table.rows) {
      if (!(row.name in sample)) continue;
      const [result] = runAfterSetup([without(sample, row.name)]);
      seenResults.push(result);
      const where = `docs/commands.md:${row.docLine}: ${table.command}.${row.name} (Required: ${row.required})`;
      if (isRequired(row.required)) {
        if (result.result !== 'invalid_field' || !errorFields(result).includes(row.name)) {
          problems.push(`${where}: left out, the program answers ${describe(result)}, not invalid_field naming it`);
        }
      } else if (result.result !== 'ok') {
        problems.push(`${where}: left out, the program answers ${describe(result)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

// An optional field whose absence leaves another field of the sample naming nothing: the
// program is refused, naming that other field (the reference is checked, not the absence).
const refusedWithout = {
  tiers: 'promotions[0].tier_id',   // the promotion for the tier bac, in a program without tiers
};

test('the program configuration document: required fields are required, optional ones are not', () => {
  const tables = programTables();
  assert.ok(tables.length >= 8, `found ${tables.length} tables of the program document`);
  const problems = [];
  const cases = [];
  for (const table of tables) {
    for (const row of table.rows) {
      // The path in the sample: "wallet.point_value_vnd" is program.wallet.point_value_vnd.
      const parts = (table.prefix + row.name).split('.');
      const program = programSample();
      let parent = program;
      for (const part of parts.slice(0, -1)) {
        const index = /^(\w+)\[0\]$/.exec(part);
        parent = index ? parent[index[1]][0] : parent[part];
      }
      const leaf = parts[parts.length - 1];
      if (parent === undefined || !(leaf in parent)) {
        problems.push(`docs/commands.md:${row.docLine}: no sample value for program.${parts.join('.')}`);
        continue;
      }
      delete parent[leaf];
      cases.push({ row, path: parts.join('.'), program, refusedAt: refusedWithout[parts.join('.')] });
    }
  }
  for (const perk of perkTable()) {
    const sample = perkSamples[perk.type];
    if (!sample) { problems.push(`docs/commands.md:${perk.docLine}: no sample for the perk ${perk.type}`); continue; }
    for (const param of perk.params) {
      if (!(param.name in sample)) {
        problems.push(`docs/commands.md:${perk.docLine}: no sample value for the perk ${perk.type}'s ${param.name}`);
        continue;
      }
      const program = programSample();
      program.tiers[0].perks = [{ type: perk.type, enabled: true, ...sample }];
      delete program.tiers[0].perks[0][param.name];
      cases.push({ row: { docLine: perk.docLine, required: param.required ? 'yes' : 'no' },
        path: `tiers[0].perks[0].${param.name}`, program });
    }
    // The full perk is accepted.
    const program = programSample();
    program.tiers[0].perks = [{ type: perk.type, enabled: true, ...sample }];
    cases.push({ row: { docLine: perk.docLine, required: 'no' }, path: `(the full ${perk.type} perk)`, program, full: true });
  }
  assert.ok(cases.filter((entry) => isRequired(entry.row.required)).length >= 12, 'too few required fields read from the page');
  const results = runAfterSetup(cases.map((entry) => ({ command: 'save_program', time: TIME, program: entry.program })));
  // Each save is a new version at the same time, which is allowed: the cases do not interfere,
  // except that a refused one changes nothing.
  results.forEach((result, index) => {
    const { row, path: fieldPath, refusedAt } = cases[index];
    seenResults.push(result);
    const where = `docs/commands.md:${row.docLine}: program.${fieldPath} (Required: ${row.required})`;
    if (refusedAt) {
      if (result.result !== 'program_invalid' || errorFields(result).join(',') !== refusedAt) {
        problems.push(`${where}: left out, save_program answers ${describe(result)}, not program_invalid naming only ${refusedAt}`);
      }
    } else if (isRequired(row.required)) {
      if (result.result !== 'program_invalid' || !errorFields(result).includes(fieldPath)) {
        problems.push(`${where}: left out, save_program answers ${describe(result)}, not program_invalid naming it`);
      }
    } else if (result.result !== 'ok') {
      problems.push(`${where}: ${cases[index].full ? 'given' : 'left out'}, save_program answers ${describe(result)}`);
    }
  });
  assert.deepEqual(problems, []);
});

// Checks `value` against a documented shape; returns the problems found.
function shapeProblems(value, shape, where) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${where}: not an object`];
  const problems = [];
  const names = shape.fields.map((field) => field.name);
  const keys = Object.keys(value);
  const listed = keys.filter((key) => names.includes(key));
  const expectedOrder = names.filter((name) => listed.includes(name));
  if (listed.join(',') !== expectedOrder.join(',')) problems.push(`${where}: fields ${listed.join(', ')}; documented order ${names.join(', ')}`);
  const unlisted = keys.filter((key) => !names.includes(key));
  if (unlisted.length > 0 && !shape.open) problems.push(`${where}: undocumented fields ${unlisted.join(', ')}`);
  // "..." lets more fields follow the listed ones, not come between them.
  if (shape.open && unlisted.some((key) => keys.indexOf(key) < keys.indexOf(listed[listed.length - 1]))) {
    problems.push(`${where}: fields ${keys.join(', ')} put undocumented ones before ${names.join(', ')}`);
  }
  for (const field of shape.fields) {
    if (!(field.name in value)) {
      if (!field.optional) problems.push(`${where}: ${field.name} is missing`);
      continue;
    }
    if (field.object) problems.push(...shapeProblems(value[field.name], field.object, `${where}.${field.name}`));
    if (field.array?.object) {
      value[field.name].forEach((item, index) => problems.push(...shapeProblems(item, field.array.object, `${where}.${field.name}[${index}]`)));
    }
  }
  return problems;
}

test('every result has its fields in the order "The shape of a result" promises', () => {
  const { order, shapes, refusalFields, errorCodes } = resultShape();
  assert.deepEqual(order.slice(0, 4), ['line', 'command', 'result', 'message'], 'the first four fields as read from the page');
  assert.ok(errorCodes.includes('invalid_field'), `codes with errors: ${errorCodes}`);
  // The docs' own story, run again, gives results of every kind.
  const stories = [];
  const blocks = docText.split('\n```');
  for (const block of blocks) if (block.startsWith('jsonl\n')) stories.push(...block.slice(6).split('\n'));
  const input = stories.join('\n') + '\n';
  const run = spawnSync(cli, ['apply'], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  const results = [...run.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line)), ...seenResults];
  assert.ok(results.length > 100, `only ${results.length} results to check`);

  const topShape = { fields: order.map((name) => ({ name, optional: true })), open: false };
  const problems = [];
  for (const result of results) {
    const where = `line ${result.line} (${result.command}, ${result.result})`;
    for (const name of ['line', 'command', 'result', 'message']) if (!(name in result)) problems.push(`${where}: no ${name}`);
    problems.push(...shapeProblems(result, topShape, where));
    for (const [name, shape] of Object.entries(shapes)) {
      if (!(name in result)) continue;
      if (Array.isArray(result[name])) {
        result[name].forEach((item, index) => problems.push(...shapeProblems(item, shape, `${where}: ${name}[${index}]`)));
      } else if (name === 'balances') {
        // Keyed by member id, besides the pool.
        for (const [key, balances] of Object.entries(result[name])) {
          if (key !== 'pool') problems.push(...shapeProblems(balances, shape, `${where}: balances.${key}`));
        }
      } else {
        problems.push(...shapeProblems(result[name], shape, `${where}: ${name}`));
      }
    }
    if (result.due) {
      for (const [index, transaction] of (result.due.transactions || []).entries()) {
        problems.push(...shapeProblems(transaction, shapes.transactions, `${where}: due.transactions[${index}]`));
      }
      for (const [index, event] of (result.due.events || []).entries()) {
        problems.push(...shapeProblems(event, shapes.events, `${where}: due.events[${index}]`));
      }
    }
    const success = result.result === 'ok' || result.result === 'already_applied';
    if (!success) {
      const extra = Object.keys(result).filter((key) => !refusalFields.includes(key));
      if (extra.length > 0) problems.push(`${where}: a refusal carries ${extra.join(', ')}`);
    }
    if (('errors' in result) !== errorCodes.includes(result.result)) {
      problems.push(`${where}: errors ${'errors' in result ? 'present' : 'absent'}`);
    }
  }
  assert.deepEqual(problems.slice(0, 40), [], `${problems.length} problems`);
});
