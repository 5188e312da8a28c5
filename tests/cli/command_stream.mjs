// command_stream.mjs: a deterministic stream of `loyalty apply` commands for black-box tests.
//
// generateCommandStream({ seed, count }) returns { lines, memberIds, stats }: `lines` are
// JSON-lines commands (a few deliberately malformed) that exercise every command with
// successes, retries and refusals; `memberIds` are the ids of every member the stream
// tries to create (some are refused, so reading them may answer member_not_found). The
// same seed always gives the same stream: the generator uses its own PRNG (mulberry32),
// never Math.random, and no clock.
//
// The life of a point: from about 60 % of the stream a third program version has a 7-day
// pending period, expiry 2 months after earning, an inactivity rule, 15-minute holds and
// transfers with limits; redemptions, holds (captured by orders, released, timing out),
// transfers, staff actions on pending points, birthday bonuses, process_due, liability and
// expiring_points follow, and time runs on long enough for releases and expiries.

// mulberry32: a small, fast 32-bit PRNG; good enough for test data, fully deterministic.
export function mulberry32(seed) {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Names with their spelling without diacritics (what staff type in the search box).
const FAMILY = [['Nguyễn', 'nguyen'], ['Trần', 'tran'], ['Lê', 'le'], ['Phạm', 'pham'], ['Hoàng', 'hoang'],
  ['Huỳnh', 'huynh'], ['Phan', 'phan'], ['Vũ', 'vu'], ['Võ', 'vo'], ['Đặng', 'dang'], ['Bùi', 'bui'], ['Đỗ', 'do']];
const MIDDLE = [['Văn', 'van'], ['Thị', 'thi'], ['Minh', 'minh'], ['Ngọc', 'ngoc'], ['Đức', 'duc'], ['Thu', 'thu'],
  ['Hữu', 'huu'], ['Thanh', 'thanh']];
const GIVEN = [['An', 'an'], ['Bình', 'binh'], ['Cường', 'cuong'], ['Dung', 'dung'], ['Giang', 'giang'],
  ['Hà', 'ha'], ['Hải', 'hai'], ['Hương', 'huong'], ['Khánh', 'khanh'], ['Lan', 'lan'], ['Long', 'long'],
  ['Mai', 'mai'], ['Nam', 'nam'], ['Oanh', 'oanh'], ['Phúc', 'phuc'], ['Quân', 'quan'], ['Sơn', 'son'],
  ['Tâm', 'tam'], ['Trang', 'trang'], ['Tuấn', 'tuan'], ['Vy', 'vy'], ['Yến', 'yen']];
const MOBILE_PREFIXES = ['090', '091', '093', '096', '097', '098', '032', '035', '070', '077', '081', '085'];

export const WRITE_COMMANDS = new Set(['save_program', 'create_member', 'update_member', 'set_referrer', 'order', 'refund',
  'adjust_points', 'review_tiers', 'process_due', 'redeem_points', 'hold_points', 'release_hold', 'transfer_points',
  'release_pending', 'cancel_pending', 'grant_birthday_bonuses']);

// pointLife: the sections of a point's life (pending, expiry, pay_with_points, transfers), added as given.
export function programDocument({ buyerRateBp = 100, referrerRateBp = 50, rounding = 'down', windowMonths = 12,
  pointLife = null } = {}) {
  return {
    ...(pointLife ?? {}),
    program_name: 'Khách hàng thân thiết',
    time_zone: 'Asia/Ho_Chi_Minh',
    wallet: { initial_pool_points: 1_000_000_000, point_value_vnd: 1000, buyer_earn_rate_bp: buyerRateBp,
      referrer_earn_rate_bp: referrerRateBp, rounding, exclude_shipping: true },
    tier_points: { vnd_per_tier_point: 20000, window_months: windowMonths },
    tiers: [
      { id: 'bac', name: 'Bạc', description: 'Hạng khởi đầu', tier_points_needed: 0,
        perks: [{ type: 'birthday_bonus', enabled: true, birthday_bonus_points: 50 }] },
      { id: 'vang', name: 'Vàng', description: 'Mua sắm thường xuyên', tier_points_needed: 500,
        perks: [{ type: 'earning_multiplier', enabled: true, multiplier_bp: 12000 },
          { type: 'free_shipping', enabled: true, free_shipping_min_order_vnd: 300000 }] },
      { id: 'bach_kim', name: 'Bạch kim', description: 'Thân thiết nhất', tier_points_needed: 2000,
        perks: [{ type: 'earning_multiplier', enabled: true, multiplier_bp: 15000 },
          { type: 'voucher_point_discount', enabled: true, discount_bp: 500 },
          { type: 'private_price_list', enabled: true, price_list_id: 'bang-gia-bach-kim' }] },
    ],
  };
}

function pad(value, width) { return String(value).padStart(width, '0'); }

// Formats a UTC instant (seconds) as ISO 8601, in UTC or in Vietnam time (both are accepted).
function isoTime(seconds, vietnam) {
  const shifted = new Date((seconds + (vietnam ? 7 * 3600 : 0)) * 1000);
  const text = `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1, 2)}-${pad(shifted.getUTCDate(), 2)}` +
    `T${pad(shifted.getUTCHours(), 2)}:${pad(shifted.getUTCMinutes(), 2)}:${pad(shifted.getUTCSeconds(), 2)}`;
  return text + (vietnam ? '+07:00' : 'Z');
}

export function generateCommandStream({ seed = 20260101, count = 6000 } = {}) {
  const random = mulberry32(seed);
  const int = (low, high) => low + Math.floor(random() * (high - low + 1));   // inclusive
  const chance = (p) => random() < p;
  const pick = (list) => list[Math.floor(random() * list.length)];

  const lines = [];
  const stats = {};
  const emit = (kind, command) => {
    stats[kind] = (stats[kind] || 0) + 1;
    lines.push(typeof command === 'string' ? command : JSON.stringify(command));
  };

  let now = Date.UTC(2026, 0, 1, 1, 0, 0) / 1000;   // 2026-01-01T01:00:00Z
  // Mostly increasing; about one command in 20 reports an event a few days late.
  const nextTime = () => {
    now += int(1, 240) * 60;
    const late = chance(0.05) ? int(1, 5 * 24) * 3600 : 0;
    return isoTime(now - late, chance(0.5));
  };

  const members = [];        // { id, phone, name, ascii }
  const memberIds = [];      // every id the stream tries to create
  const phones = new Set();
  const orders = [];         // { id, member, amounts, status, refunded, refunds: [{id, amount}] }
  const adjustmentKeys = [];  // { key, member, points, reason }
  let memberSequence = 0;
  let orderSequence = 0;
  let adjustmentSequence = 0;
  let programVersions = 0;
  // The life of a point.
  let pointLifeOn = false;    // the version with pending, expiry and transfers is in force
  const holds = [];           // { id, member, points }
  const redemptions = [];     // { id, member, points }
  const transfers = [];       // { id, from, to, points }
  const pendingOrders = [];   // orders completed under the point-life version: { id }
  let holdSequence = 0;
  let redemptionSequence = 0;
  let transferSequence = 0;

  const newPhone = () => {
    for (;;) {
      const phone = pick(MOBILE_PREFIXES) + pad(int(0, 9_999_999), 7);
      if (!phones.has(phone)) return phone;
    }
  };
  // The same number as people write it.
  const writtenPhone = (phone) => {
    switch (int(0, 3)) {
      case 0: return phone;
      case 1: return `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
      case 2: return `+84${phone.slice(1)}`;
      default: return `${phone.slice(0, 4)}.${phone.slice(4, 7)}.${phone.slice(7)}`;
    }
  };
  const amountsFor = () => {
    const amount = int(1, 4000) * 5000;   // 5,000 to 20,000,000 VND
    const amounts = { amount_vnd: amount };
    if (chance(0.3)) amounts.shipping_vnd = Math.min(amount, pick([15000, 20000, 30000]));
    if (chance(0.15)) amounts.voucher_discount_vnd = Math.floor(amount / 10 / 1000) * 1000;
    if (chance(0.1)) amounts.paid_with_points_vnd = Math.floor(amount / 20 / 1000) * 1000;
    return amounts;
  };
  const existingMember = () => pick(members);

  const saveProgram = (options, time) => {
    programVersions++;
    emit('save_program', { command: 'save_program', time, actor: 'chu-cua-hang', program: programDocument(options) });
  };

  const createMember = () => {
    const roll = random();
    if (roll < 0.06 && members.length > 0) {
      // A retry of an earlier creation (same phone, same name): already_applied.
      const member = existingMember();
      emit('create_member_retry', { command: 'create_member', time: nextTime(), member_id: member.id,
        phone: writtenPhone(member.phone), name: member.name });
      return;
    }
    if (roll < 0.10 && members.length > 0) {
      // Another person with a taken phone: phone_taken.
      emit('create_member_phone_taken', { command: 'create_member', time: nextTime(),
        phone: existingMember().phone, name: 'Người Khác' });
      return;
    }
    if (roll < 0.13 && members.length > 0) {
      // A taken member id: member_exists.
      emit('create_member_id_taken', { command: 'create_member', time: nextTime(), member_id: existingMember().id,
        phone: newPhone(), name: 'Trùng Mã' });
      return;
    }
    if (roll >= 0.17 && roll < 0.22 && members.length > 0) {
      // Staff correct a member: an email, a new phone (the model follows it), channels,
      // rarely a blocked or unblocked card.
      const member = existingMember();
      const update = { command: 'update_member', time: nextTime(), member_id: member.id };
      const what = random();
      if (what < 0.4) {
        update.email = `${member.ascii.replace(/ /g, '.')}@example.vn`;
      } else if (what < 0.7) {
        member.phone = newPhone();
        update.phone = writtenPhone(member.phone);
      } else if (what < 0.95) {
        update.opt_ins = { sms: random() < 0.5 };
      } else {
        update.status = random() < 0.6 ? 'blocked' : 'active';
      }
      emit('update_member', update);
      return;
    }
    if (roll < 0.17) {
      // Invalid: a bad phone, email or birthday.
      emit('create_member_invalid', { command: 'create_member', time: nextTime(), phone: pick(['12345', '0123', 'abc']),
        name: 'Không Hợp Lệ', email: pick(['x@', 'ok@example.vn']), birthday: { day: 31, month: pick([2, 4, 6]) } });
      return;
    }
    const family = pick(FAMILY), middle = pick(MIDDLE), given = pick(GIVEN);
    const member = {
      id: `KH${pad(++memberSequence, 6)}`,
      phone: newPhone(),
      name: `${family[0]} ${middle[0]} ${given[0]}`,
      ascii: `${family[1]} ${middle[1]} ${given[1]}`,
    };
    const command = { command: 'create_member', time: nextTime(), member_id: member.id, phone: writtenPhone(member.phone),
      name: member.name };
    if (members.length > 0 && chance(0.4)) command.referrer_id = chance(0.95) ? existingMember().id : 'KH-KHONG-CO';
    if (chance(0.3)) command.email = `${member.ascii.replace(/ /g, '.')}.${memberSequence}@example.vn`;
    if (chance(0.3)) command.birthday = { day: int(1, 28), month: int(1, 12), year: int(1950, 2005) };
    if (chance(0.2)) command.opt_ins = { push: chance(0.5), sms: chance(0.5), email: chance(0.5) };
    phones.add(member.phone);
    members.push(member);
    memberIds.push(member.id);
    emit('create_member', command);
  };

  const orderCommand = (order, status, extra = {}) => ({
    command: 'order', time: nextTime(), order_id: order.id, member_id: order.member, status, ...order.amounts,
    actor: pick(['pos-quay-1', 'pos-quay-2', 'web', 'admin']), ...extra,
  });

  const orderEvent = () => {
    const roll = random();
    const open = orders.filter((order) => order.status === 'placed');
    const completed = orders.filter((order) => order.status === 'completed');
    if (roll < 0.45 || orders.length === 0) {
      // A new order, usually completed at once.
      const status = pick(['completed', 'completed', 'completed', 'placed', 'placed', 'cancelled']);
      const unknown = chance(0.02);
      const order = { id: `DH${pad(++orderSequence, 7)}`, member: unknown ? 'KH-KHONG-CO' : existingMember().id,
        amounts: amountsFor(), status, refunded: 0, refunds: [] };
      if (!unknown) orders.push(order);
      if (!unknown && pointLifeOn && status === 'completed') pendingOrders.push(order.id);
      emit('order_new', orderCommand(order, status));
    } else if (roll < 0.65 && open.length > 0) {
      const order = pick(open);
      order.status = chance(0.85) ? 'completed' : 'cancelled';
      if (pointLifeOn && order.status === 'completed') pendingOrders.push(order.id);
      emit('order_transition', orderCommand(order, order.status));
    } else if (roll < 0.75) {
      // A duplicate of the last status: already_applied (or a refusal for a cancelled order).
      const order = pick(orders);
      emit('order_duplicate', orderCommand(order, order.status === 'refunded' ? 'completed' : order.status));
    } else if (roll < 0.82) {
      // The same order with another amount or another member: refused.
      const order = pick(orders);
      if (chance(0.5)) {
        emit('order_conflict', orderCommand(order, 'completed', { amount_vnd: order.amounts.amount_vnd + 1000 }));
      } else {
        emit('order_conflict', orderCommand(order, 'completed', { member_id: existingMember().id }));
      }
    } else if (roll < 0.90 && completed.length > 0) {
      // A full refund by status.
      const order = pick(completed);
      order.status = 'refunded';
      order.refunded = order.amounts.amount_vnd;
      emit('order_refunded', orderCommand(order, 'refunded'));
    } else if (completed.length > 0) {
      // Cancelling a completed order: order_already_completed.
      emit('order_cancel_completed', orderCommand(pick(completed), 'cancelled'));
    } else {
      emit('order_refunded_unknown', orderCommand(pick(orders), 'refunded'));
    }
  };

  const refund = () => {
    const candidates = orders.filter((order) => order.status === 'completed' || order.refunds.length > 0);
    if (candidates.length === 0) return;
    const order = pick(candidates);
    const left = order.amounts.amount_vnd - order.refunded;
    const roll = random();
    if (roll < 0.15 && order.refunds.length > 0) {
      // A retry of an earlier refund, sometimes with another amount (refund_conflict).
      const earlier = pick(order.refunds);
      emit('refund_retry', { command: 'refund', time: nextTime(), order_id: order.id, refund_id: earlier.id,
        amount_vnd: chance(0.7) ? earlier.amount : earlier.amount + 1000, actor: 'admin' });
      return;
    }
    const exceeding = roll < 0.25 || left <= 0;
    const amount = exceeding ? left + int(1, 100) * 1000 : int(1, Math.max(1, Math.floor(left / 1000))) * 1000;
    const refundId = `HT${pad(order.refunds.length + 1, 2)}`;
    const command = { command: 'refund', time: nextTime(), order_id: order.id, refund_id: refundId, amount_vnd: amount, actor: 'admin' };
    if (!exceeding && order.status === 'completed') {
      order.refunds.push({ id: refundId, amount: command.amount_vnd });
      order.refunded += command.amount_vnd;
      if (order.refunded === order.amounts.amount_vnd) order.status = 'refunded';
    }
    emit(exceeding ? 'refund_exceeding' : 'refund', command);
  };

  const adjust = () => {
    if (adjustmentKeys.length > 0 && chance(0.2)) {
      const earlier = pick(adjustmentKeys);
      emit('adjust_retry', { command: 'adjust_points', time: nextTime(), member_id: earlier.member,
        points: chance(0.7) ? earlier.points : earlier.points + 1, reason: earlier.reason, actor: 'ho-tro.lan',
        idempotency_key: earlier.key });
      return;
    }
    const adjustment = { key: `ADJ-${pad(++adjustmentSequence, 5)}`, member: existingMember().id,
      points: chance(0.7) ? int(1, 500) : -int(1, 50), reason: pick(['Bù điểm do lỗi máy POS', 'Trừ điểm tặng nhầm', 'Quà xin lỗi khách hàng']) };
    adjustmentKeys.push(adjustment);
    emit('adjust_points', { command: 'adjust_points', time: nextTime(), member_id: adjustment.member,
      points: adjustment.points, reason: adjustment.reason, actor: 'ho-tro.lan', idempotency_key: adjustment.key });
  };

  // ----- the life of a point ------------------------------------------------------------
  // A checkout paying with points: a hold, then (usually within minutes) the order naming it.
  const holdAndOrder = () => {
    const member = existingMember();
    const hold = { id: `GIU${pad(++holdSequence, 6)}`, member: member.id, points: int(1, 40) };
    const orderAmount = int(2, 400) * 5000;
    const tooMuch = chance(0.08);
    const points = tooMuch ? Math.floor(orderAmount / 1000) + int(1, 50) : hold.points;   // above the 50 % share
    emit('hold_points', { command: 'hold_points', time: nextTime(), hold_id: hold.id, member_id: member.id, points,
      order_amount_vnd: orderAmount });
    if (tooMuch) return;
    holds.push(hold);
    const roll = random();
    now += int(1, 12) * 60;   // the customer finishes the checkout, or not: holds time out after 15 minutes
    const time = isoTime(now, chance(0.5));
    if (roll < 0.6) {
      const order = { id: `DH${pad(++orderSequence, 7)}`, member: member.id, amounts: { amount_vnd: orderAmount },
        status: 'completed', refunded: 0, refunds: [] };
      orders.push(order);
      pendingOrders.push(order.id);
      emit('order_with_hold', { command: 'order', time, order_id: order.id, member_id: member.id, status: 'completed',
        amount_vnd: orderAmount, points_hold_id: hold.id, actor: pick(['pos-quay-1', 'web']) });
    } else if (roll < 0.7) {
      const order = { id: `DH${pad(++orderSequence, 7)}`, member: member.id, amounts: { amount_vnd: orderAmount },
        status: 'cancelled', refunded: 0, refunds: [] };
      orders.push(order);
      emit('order_cancel_with_hold', { command: 'order', time, order_id: order.id, member_id: member.id,
        status: 'cancelled', amount_vnd: orderAmount, points_hold_id: hold.id, actor: 'web' });
    } else if (roll < 0.85) {
      emit('release_hold', { command: 'release_hold', time, hold_id: hold.id, actor: 'web' });
    }
    // else: abandoned; the hold times out by itself.
  };

  const pointLife = () => {
    const roll = random();
    if (roll < 0.2) {
      holdAndOrder();
    } else if (roll < 0.27 && holds.length > 0) {
      // Releasing an earlier hold: captured, released, timed out, or unknown.
      emit('release_hold_again', { command: 'release_hold', time: nextTime(),
        hold_id: chance(0.9) ? pick(holds).id : 'GIU-KHONG-CO', actor: 'web' });
    } else if (roll < 0.29 && holds.length > 0) {
      // Another member's hold.
      const hold = pick(holds);
      emit('order_hold_mismatch', { command: 'order', time: nextTime(), order_id: `DH${pad(++orderSequence, 7)}`,
        member_id: existingMember().id, status: 'completed', amount_vnd: 500000, points_hold_id: hold.id });
    } else if (roll < 0.45) {
      if (redemptions.length > 0 && chance(0.15)) {
        const earlier = pick(redemptions);
        emit('redeem_retry', { command: 'redeem_points', time: nextTime(), redemption_id: earlier.id, member_id: earlier.member,
          points: chance(0.7) ? earlier.points : earlier.points + 1, reason: 'Voucher', actor: 'pos-quay-1' });
        return;
      }
      const redemption = { id: `DD${pad(++redemptionSequence, 6)}`, member: existingMember().id, points: int(1, 120) };
      redemptions.push(redemption);
      emit('redeem_points', { command: 'redeem_points', time: nextTime(), redemption_id: redemption.id,
        member_id: redemption.member, points: redemption.points,
        reason: pick(['Voucher 50.000 ₫', 'Quà tặng: bình giữ nhiệt', 'Đổi điểm lấy voucher giao hàng']), actor: 'pos-quay-1' });
    } else if (roll < 0.62) {
      if (transfers.length > 0 && chance(0.1)) {
        const earlier = pick(transfers);
        emit('transfer_retry', { command: 'transfer_points', time: nextTime(), transfer_id: earlier.id,
          from_member_id: earlier.from, to_member_id: earlier.to, points: earlier.points, actor: 'app' });
        return;
      }
      const from = existingMember();
      const to = chance(0.97) ? existingMember() : from;   // now and then to oneself: invalid_field
      const transfer = { id: `CD${pad(++transferSequence, 6)}`, from: from.id, to: to.id, points: int(1, 150) };
      transfers.push(transfer);
      emit('transfer_points', { command: 'transfer_points', time: nextTime(), transfer_id: transfer.id,
        from_member_id: from.id, to_member_id: to.id, points: transfer.points, actor: 'app' });
    } else if (roll < 0.72 && pendingOrders.length > 0) {
      // Staff on pending points: recent orders are usually still pending.
      const orderId = chance(0.95) ? pendingOrders[pendingOrders.length - 1 - int(0, Math.min(20, pendingOrders.length - 1))]
        : 'DH-KHONG-CO';
      const release = chance(0.6);
      emit(release ? 'release_pending' : 'cancel_pending', { command: release ? 'release_pending' : 'cancel_pending',
        time: nextTime(), order_id: orderId,
        reason: release ? 'Khách đã nhận hàng, không đổi trả' : 'Đơn thử nghiệm, không tích điểm', actor: 'ho-tro.lan' });
    } else if (roll < 0.8) {
      emit('process_due', { command: 'process_due', time: nextTime() });
    } else if (roll < 0.84) {
      emit('grant_birthday_bonuses', { command: 'grant_birthday_bonuses', time: nextTime() });
    } else if (roll < 0.92) {
      emit('expiring_points', { command: 'expiring_points', within_days: int(1, 90), limit: int(1, 50) });
    } else {
      emit('liability', { command: 'liability' });
    }
  };

  const read = () => {
    const roll = random();
    const member = existingMember();
    if (roll < 0.35) {
      emit('get_member', { command: 'get_member', member_id: chance(0.97) ? member.id : 'KH-KHONG-CO' });
    } else if (roll < 0.6) {
      // Names without diacritics, parts of names, phone suffixes, card numbers.
      const words = member.ascii.split(' ');
      const query = pick([member.ascii, words.slice(1).join(' '), words[2], `${words[2]} ${words[0]}`,
        member.phone.slice(-4), member.phone.slice(-6), member.name, `80000${pad(int(1, members.length), 4)}`]);
      emit('search_members', { command: 'search_members', query, limit: int(1, 10) });
    } else if (roll < 0.75) {
      emit('ledger_history', { command: 'ledger_history', member_id: member.id, limit: int(1, 20) });
    } else if (roll < 0.93) {
      const command = { command: 'preview', member_id: member.id, ...amountsFor() };
      if (chance(0.2)) command.program = programDocument({ buyerRateBp: 150, rounding: pick(['down', 'half_up', 'up']) });
      emit('preview', command);
    } else if (roll < 0.96) {
      emit('rules_text', { command: 'rules_text' });
    } else {
      emit('audit', { command: 'audit' });
    }
  };

  const malformed = () => {
    emit('malformed', pick([
      '{"command":"order","order_id":',
      'not json at all',
      '{"command":"get_member","member_id":42}',
      '{"command":"teleport"}',
      '[1,2,3]',
      '{"command":"order","time":"2026-13-01T00:00:00Z","order_id":"X","member_id":"Y","status":"completed","amount_vnd":"1000"}',
    ]));
  };

  // The story: a program, a few members, then a random mix.
  saveProgram({}, isoTime(now, true));
  for (let i = 0; i < 20; i++) createMember();
  const secondVersionAt = Math.floor(count * 0.45);
  const thirdVersionAt = Math.floor(count * 0.6);
  let thirdVersionSaved = false;
  while (lines.length < count - 1) {
    if (!thirdVersionSaved && lines.length >= thirdVersionAt) {
      // The life of a point: before the version that allows them, transfers are refused.
      thirdVersionSaved = true;
      const from = existingMember();
      emit('transfer_disabled', { command: 'transfer_points', time: nextTime(), transfer_id: 'CD-TRUOC-V3',
        from_member_id: from.id, to_member_id: existingMember().id, points: 1, actor: 'app' });
      saveProgram({ buyerRateBp: 200, referrerRateBp: 100, rounding: 'half_up', pointLife: {
        pending: { days: 7, tier_points: pick(['at_once', 'when_available']) },
        expiry: { rule: 'months_after', months: 2, inactivity_months: 3 },
        pay_with_points: { max_share_bp: 5000, hold_timeout_s: 900 },
        transfers: { enabled: true, daily_limit_points: 200, minimum_balance_points: 10 },
      } }, nextTime());
      pointLifeOn = true;
      continue;
    }
    if (lines.length === secondVersionAt) {
      // A later version with another rate; and one that tries to start before it.
      const time = nextTime();
      saveProgram({ buyerRateBp: 200, referrerRateBp: 100, rounding: 'half_up' }, time);
      emit('save_program_early', { command: 'save_program', time: isoTime(Date.UTC(2026, 0, 1) / 1000, false),
        program: programDocument({ buyerRateBp: 300 }) });
      continue;
    }
    if (pointLifeOn && chance(0.25)) {
      pointLife();
      continue;
    }
    const roll = random();
    if (roll < 0.12) createMember();
    else if (roll < 0.47) orderEvent();
    else if (roll < 0.55) refund();
    else if (roll < 0.60) adjust();
    else if (roll < 0.62) {
      emit('set_referrer', { command: 'set_referrer', time: nextTime(), member_id: existingMember().id,
        referrer_id: existingMember().id });
    } else if (roll < 0.63) {
      emit('review_tiers', { command: 'review_tiers', time: nextTime() });
    } else if (roll < 0.635) malformed();
    else if (roll < 0.64) {
      emit('save_program_invalid', { command: 'save_program', time: nextTime(),
        program: { wallet: { point_value_vnd: 0, buyer_earn_rate_bp: 100 } } });
    } else read();
  }
  emit('audit', { command: 'audit' });
  return { lines, memberIds, stats, programVersions };
}
