// Writes assets/demo_store.jsonl: the demo store's commands (docs/commands.md), the same
// for the server's demo (make run) and, later, the offline console. Deterministic: the
// same script gives the same file. Run: node scripts/make_demo_store.mjs > assets/demo_store.jsonl
let state = 20261201n;
function random(limit) {   // SplitMix64, like core/basics/seeded_random.hpp
  state = (state + 0x9E3779B97F4A7C15n) & 0xFFFFFFFFFFFFFFFFn;
  let z = state;
  z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & 0xFFFFFFFFFFFFFFFFn;
  z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & 0xFFFFFFFFFFFFFFFFn;
  z = z ^ (z >> 31n);
  return Number(z % BigInt(limit));
}
const pick = (list) => list[random(list.length)];
const familyNames = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const middleNames = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Thu', 'Đức', 'Thanh', 'Hữu', 'Quốc', 'Kim', 'Gia', 'Bảo'];
const givenNames = ['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Hạnh', 'Hiếu', 'Hoa', 'Hùng', 'Hương', 'Khánh', 'Lan', 'Linh', 'Long',
  'Mai', 'Nam', 'Nga', 'Nhung', 'Phúc', 'Phương', 'Quân', 'Quỳnh', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Uyên', 'Vy', 'Yến'];
const program = {
  program_name: 'Khách hàng thân thiết', time_zone: 'Asia/Ho_Chi_Minh',
  wallet: { initial_pool_points: 1000000000, point_value_vnd: 1000, buyer_earn_rate_bp: 100, referrer_earn_rate_bp: 50, rounding: 'down', exclude_shipping: true },
  tier_points: { vnd_per_tier_point: 20000, window_months: 12 },
  tiers: [
    { id: 'bac', name: 'Bạc', name_en: 'Silver', description: 'Hạng khởi đầu cho mọi thành viên', tier_points_needed: 0,
      perks: [{ type: 'birthday_bonus', enabled: true, birthday_bonus_points: 50 }] },
    { id: 'vang', name: 'Vàng', name_en: 'Gold', description: 'Khách hàng mua sắm thường xuyên', tier_points_needed: 500,
      perks: [{ type: 'birthday_bonus', enabled: true, birthday_bonus_points: 50 }, { type: 'earning_multiplier', enabled: true, multiplier_bp: 12000 },
        { type: 'free_shipping', enabled: true, free_shipping_min_order_vnd: 300000 }] },
    { id: 'bach_kim', name: 'Bạch kim', name_en: 'Platinum', description: 'Khách hàng thân thiết nhất', tier_points_needed: 2000,
      perks: [{ type: 'birthday_bonus', enabled: true, birthday_bonus_points: 50 }, { type: 'earning_multiplier', enabled: true, multiplier_bp: 15000 },
        { type: 'free_shipping', enabled: true, free_shipping_min_order_vnd: 300000 }, { type: 'voucher_point_discount', enabled: true, discount_bp: 500 }] },
  ],
  pending: { days: 7, tier_points: 'at_once' },
  expiry: { rule: 'months_after', months: 12, inactivity_months: 0 },
  pay_with_points: { max_share_bp: 5000, hold_timeout_s: 900 },
  transfers: { enabled: true, daily_limit_points: 200, minimum_balance_points: 10 },
};
const start = Date.parse('2025-12-01T01:00:00Z');
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const lines = [];
lines.push({ command: 'save_program', time: iso(start), actor: 'chu@demo.vn', program });
const memberCount = 300;
const events = [];
for (let i = 1; i <= memberCount; i++) {
  const joined = start + 3600_000 + random(300) * 86400_000 + random(36000) * 1000;
  const member = {
    command: 'create_member', time: iso(joined), member_id: `KH${String(i).padStart(5, '0')}`,
    phone: `09${String(10000000 + i * 7919 % 89999999).padStart(8, '0')}`,
    name: `${pick(familyNames)} ${pick(middleNames)} ${pick(givenNames)}`,
    birthday: { day: 1 + random(28), month: 1 + random(12) },
  };
  // The docs' and the browser tests' customer: "nguyen van" finds her (the draws above
  // are kept, so every other member is as before).
  if (i === 1) member.name = 'Nguyễn Văn An';
  if (i > 20 && random(3) === 0) member.referrer_id = `KH${String(1 + random(i - 1)).padStart(5, '0')}`;
  events.push(member);
  const orders = random(12);
  for (let k = 0; k < orders; k++) {
    const at = joined + 3600_000 + random(Math.max(1, Math.floor((start + 360 * 86400_000 - joined) / 1000))) * 1000;
    events.push({ command: 'order', time: iso(at), order_id: `DH${i}-${k + 1}`, member_id: member.member_id, status: 'completed',
      amount_vnd: (50 + random(3000)) * 1000, actor: 'pos-quay-1' });
  }
}
// A member must exist before its orders, and referrers before the referred: stable sort by time.
events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
const seen = new Set();
for (const event of events) {
  if (event.command === 'create_member') {
    if (event.referrer_id && !seen.has(event.referrer_id)) delete event.referrer_id;
    seen.add(event.member_id);
  }
  lines.push(event);
}
process.stdout.write(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
