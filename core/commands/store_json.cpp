#include "core/commands/store_json.hpp"
#include "core/commands/notification_commands.hpp"

#include <algorithm>

#include "core/campaigns/voucher_codes.hpp"
#include "core/program/rules_text.hpp"

namespace loyalty {

std::string account_name(const Store& store, AccountId account) {
  if (!is_member_account(account)) {
    switch (static_cast<SystemAccount>(account)) {
      case SystemAccount::genesis: return "genesis";
      case SystemAccount::pool: return "pool";
      case SystemAccount::redeemed: return "redeemed";
      case SystemAccount::expired: return "expired";
      case SystemAccount::adjustments: return "adjustments";
      case SystemAccount::tier_genesis: return "tier_genesis";
      case SystemAccount::count: break;
    }
    return "unknown";
  }
  static constexpr std::string_view kinds[] = {"points", "pending", "held", "tier_points"};
  return "member:" + store.members()[member_of_account(account)].member_id + ":" +
         std::string(kinds[static_cast<std::size_t>(member_account_kind(account))]);
}

Json message_json(ResultCode code) { return Json{{"vi", result_message_vi(code)}, {"en", result_message_en(code)}}; }

Json errors_to_json(const std::vector<FieldError>& errors) {
  Json list = Json::array();
  for (const FieldError& error : errors) list.push_back({{"field", error.path}, {"vi", error.message_vi}, {"en", error.message_en}});
  return list;
}

Json tier_to_json(const ProgramConfig* config, std::int32_t tier_index) {
  if (config == nullptr || tier_index < 0 || tier_index >= static_cast<std::int32_t>(config->tiers.size())) return nullptr;
  const Tier& tier = config->tiers[static_cast<std::size_t>(tier_index)];
  Json json{{"id", tier.id}, {"name", tier.name}};
  if (!tier.name_en.empty()) json["name_en"] = tier.name_en;
  return json;
}

Json transaction_to_json(const Store& store, std::uint32_t transaction_index) {
  const Transaction& transaction = store.ledger().transactions()[transaction_index];
  Json json{{"id", transaction_index + 1},
            {"kind", transaction_kind_name(transaction.kind)},
            {"time", format_utc_time(transaction.time_utc)}};
  if (transaction.effective_time_utc != transaction.time_utc) json["effective_time"] = format_utc_time(transaction.effective_time_utc);
  json["actor"] = store.actor_name(transaction.actor);
  std::string key, reason_vi, reason_en;
  switch (transaction.kind) {
    case TransactionKind::pool_funding:
      key = "program:" + std::to_string(transaction.subject);
      reason_vi = "Cấp quỹ điểm theo cấu hình phiên bản " + std::to_string(transaction.subject);
      reason_en = "Pool funded by program version " + std::to_string(transaction.subject);
      break;
    case TransactionKind::order_earning:
    case TransactionKind::tier_earning: {
      const Order& order = store.orders()[transaction.subject];
      const bool tier = transaction.kind == TransactionKind::tier_earning;
      key = "order:" + order.order_id + ":completed" + (tier ? ":tier" : "");
      reason_vi = (tier ? "Điểm phân hạng từ đơn hàng " : "Tích điểm đơn hàng ") + order.order_id;
      reason_en = (tier ? "Tier points for order " : "Points for order ") + order.order_id;
      json["order_id"] = order.order_id;
      break;
    }
    case TransactionKind::order_reversal:
    case TransactionKind::tier_reversal: {
      const RefundRecord& refund = store.refunds()[transaction.subject];
      const Order& order = store.orders()[refund.order];
      const bool tier = transaction.kind == TransactionKind::tier_reversal;
      key = "order:" + order.order_id + ":refund:" + refund.refund_id + (tier ? ":tier" : "");
      reason_vi = (tier ? "Trừ điểm phân hạng do hoàn tiền đơn hàng " : "Trừ điểm do hoàn tiền đơn hàng ") + order.order_id;
      reason_en = (tier ? "Tier points taken back for the refund of order " : "Points taken back for the refund of order ") + order.order_id;
      json["order_id"] = order.order_id;
      json["refund_id"] = refund.refund_id;
      break;
    }
    case TransactionKind::manual_adjustment: {
      const AdjustmentRecord& adjustment = store.adjustments()[transaction.subject];
      key = adjustment.idempotency_key;
      reason_vi = reason_en = adjustment.reason;
      break;
    }
    case TransactionKind::pending_release:
    case TransactionKind::pending_cancel: {
      const PointLot& lot = store.lots()[transaction.subject];
      const bool release = transaction.kind == TransactionKind::pending_release;
      const std::string order_id = lot.order != UINT32_MAX ? store.orders()[lot.order].order_id : "";
      key = std::string(release ? "lot:" : "lot-cancel:") + std::to_string(transaction.subject + 1) + ":" + std::to_string(transaction_index + 1);
      reason_vi = release ? "Hết thời gian chờ, điểm đơn hàng " + order_id + " được dùng" : "Hủy điểm đang chờ của đơn hàng " + order_id;
      reason_en = release ? "Pending period over: points of order " + order_id + " available" : "Pending points of order " + order_id + " cancelled";
      if (const PointsAction* staff = store.staff_action_for(transaction_index)) {
        // Released or cancelled by hand: the staff member's reason is the reason.
        reason_vi = (release ? "Nhân viên cho dùng điểm đang chờ: " : "Nhân viên hủy điểm đang chờ: ") + staff->reason;
        reason_en = (release ? "Pending points released by staff: " : "Pending points cancelled by staff: ") + staff->reason;
      }
      if (!order_id.empty()) json["order_id"] = order_id;
      break;
    }
    case TransactionKind::points_redeemed:
    case TransactionKind::points_transfer: {
      const PointsAction& action = store.points_actions()[transaction.subject];
      const bool transfer = transaction.kind == TransactionKind::points_transfer;
      key = std::string(transfer ? "transfer:" : "redemption:") + action.action_id;
      if (transfer) {
        reason_vi = "Chuyển điểm từ " + store.members()[action.member].member_id + " sang " + store.members()[action.other_member].member_id;
        reason_en = "Points transferred from " + store.members()[action.member].member_id + " to " +
                    store.members()[action.other_member].member_id;
      } else {
        reason_vi = reason_en = action.reason;
      }
      break;
    }
    case TransactionKind::hold_placed:
    case TransactionKind::hold_captured:
    case TransactionKind::hold_released: {
      const PointsHold& hold = store.holds()[transaction.subject];
      key = "hold:" + hold.hold_id + (transaction.kind == TransactionKind::hold_placed ? ":placed"
                                      : transaction.kind == TransactionKind::hold_captured ? ":captured" : ":released");
      if (transaction.kind == TransactionKind::hold_placed) {
        reason_vi = "Giữ điểm để thanh toán đơn hàng";
        reason_en = "Points held for a checkout";
      } else if (transaction.kind == TransactionKind::hold_captured) {
        reason_vi = "Dùng điểm thanh toán đơn hàng " + store.orders()[hold.order].order_id;
        reason_en = "Points paid for order " + store.orders()[hold.order].order_id;
        json["order_id"] = store.orders()[hold.order].order_id;
      } else {
        reason_vi = hold.state == HoldState::timed_out ? "Hết thời gian giữ điểm, điểm được trả lại" : "Trả lại điểm đang giữ";
        reason_en = hold.state == HoldState::timed_out ? "Points hold timed out; points returned" : "Points hold released";
      }
      break;
    }
    case TransactionKind::points_returned: {
      const RefundRecord& refund = store.refunds()[transaction.subject];
      const Order& order = store.orders()[refund.order];
      key = "order:" + order.order_id + ":refund:" + refund.refund_id + ":points";
      reason_vi = "Trả lại điểm đã dùng cho đơn hàng hoàn tiền " + order.order_id;
      reason_en = "Points paid for refunded order " + order.order_id + " returned";
      json["order_id"] = order.order_id;
      break;
    }
    case TransactionKind::birthday_bonus: {
      const Member& member = store.members()[transaction.subject];
      const ProgramVersion* program = store.program_at(transaction.time_utc);
      const TimeZone zone = program ? program->config.time_zone : TimeZone{};
      key = "birthday:" + member.member_id + ":" + format_local_month(transaction.time_utc, zone).substr(0, 4);
      reason_vi = "Quà sinh nhật";
      reason_en = "Birthday bonus";
      break;
    }
    case TransactionKind::voucher_claimed:
    case TransactionKind::voucher_claim_cancelled: {
      const VoucherClaim& claim = store.campaigns().claims()[transaction.subject];
      const Campaign& campaign = store.campaigns().campaigns()[claim.campaign];
      const bool claimed = transaction.kind == TransactionKind::voucher_claimed;
      key = "voucher:" + claim.claim_id + (claimed ? ":claimed" : ":cancelled");
      reason_vi = (claimed ? "Đổi điểm lấy voucher: " : "Hủy nhận voucher, trả lại điểm: ") + campaign.config.name;
      reason_en = (claimed ? "Points for a voucher: " : "Voucher claim cancelled, points returned: ") +
                  (campaign.config.name_en.empty() ? campaign.config.name : campaign.config.name_en);
      json["campaign_id"] = campaign.config.campaign_id;
      break;
    }
    case TransactionKind::welcome_bonus:
    case TransactionKind::first_order_bonus:
    case TransactionKind::referral_bonus:
    case TransactionKind::profile_completion_bonus:
    case TransactionKind::tier_up_bonus:
    case TransactionKind::bonus_reversal: {
      const BonusRecord& bonus = store.bonuses()[transaction.subject];
      const bool reversal = transaction.kind == TransactionKind::bonus_reversal;
      key = "bonus:" + std::to_string(transaction.subject + 1) + ":" + std::string(bonus_kind_name(bonus.kind)) + (reversal ? ":reversed" : "");
      switch (bonus.kind) {
        case BonusKind::welcome: reason_vi = "Thưởng chào mừng thành viên mới"; reason_en = "Welcome bonus"; break;
        case BonusKind::first_order: reason_vi = "Thưởng đơn hàng đầu tiên"; reason_en = "First order bonus"; break;
        case BonusKind::referral: reason_vi = "Thưởng giới thiệu thành viên mới"; reason_en = "Referral bonus"; break;
        case BonusKind::profile_completion: reason_vi = "Thưởng hoàn thiện hồ sơ"; reason_en = "Profile completion bonus"; break;
        case BonusKind::tier_up: reason_vi = "Thưởng lên hạng"; reason_en = "Tier-up bonus"; break;
      }
      if (reversal) {
        reason_vi = "Thu hồi: " + reason_vi;
        reason_en = "Reversed: " + reason_en;
      }
      if (bonus.order != UINT32_MAX) json["order_id"] = store.orders()[bonus.order].order_id;
      break;
    }
    case TransactionKind::points_expired: {
      key = "expiry:" + store.members()[transaction.subject].member_id + ":" + format_utc_time(transaction.time_utc);
      reason_vi = "Điểm hết hạn";
      reason_en = "Points expired";
      break;
    }
  }
  json["idempotency_key"] = key;
  json["reason"] = {{"vi", reason_vi}, {"en", reason_en}};
  Json postings = Json::array();
  for (const Posting& posting : store.ledger().postings_of(transaction)) {
    postings.push_back({{"account", account_name(store, posting.account)}, {"amount", posting.amount}});
  }
  json["postings"] = postings;
  return json;
}

Json event_to_json(const Store& store, const Event& event) {
  Json json{{"kind", event_kind_name(event.kind)}, {"time", format_utc_time(event.time_utc)}};
  if (event.member != no_member) json["member_id"] = store.members()[event.member].member_id;
  if (event.order != UINT32_MAX && event.kind != EventKind::program_saved) json["order_id"] = store.orders()[event.order].order_id;
  switch (event.kind) {
    case EventKind::program_saved: json["version"] = event.points; break;
    case EventKind::points_earned:
    case EventKind::points_reversed:
    case EventKind::points_adjusted:
    case EventKind::points_available:
    case EventKind::pending_cancelled:
    case EventKind::points_redeemed:
    case EventKind::points_held:
    case EventKind::hold_captured:
    case EventKind::hold_released:
    case EventKind::points_expired:
    case EventKind::points_returned:
    case EventKind::birthday_bonus:
    case EventKind::welcome_bonus:
    case EventKind::first_order_bonus:
    case EventKind::referral_bonus:
    case EventKind::profile_completion_bonus:
    case EventKind::tier_up_bonus:
    case EventKind::bonus_reversed: json["points"] = event.points; break;
    case EventKind::tier_assigned: {
      const TierAssignment& assignment = store.tier_assignments()[static_cast<std::size_t>(event.points)];
      json["tier_id"] = assignment.tier_id.empty() ? Json(nullptr) : Json(assignment.tier_id);
      json["ends_at"] = format_utc_time(assignment.ends_at_utc);
      json["reason"] = assignment.reason;
      json["actor"] = store.actor_name(assignment.actor);
      break;
    }
    case EventKind::points_transferred:
      json["points"] = event.points;
      json["to_member_id"] = store.members()[event.other_member].member_id;
      break;
    case EventKind::tier_changed: {
      const ProgramVersion* program = store.program_at(event.time_utc);
      const ProgramConfig* config = program ? &program->config : nullptr;
      json["from"] = tier_to_json(config, event.tier_from);
      json["to"] = tier_to_json(config, event.tier_to);
      json["direction"] = event.tier_to > event.tier_from ? "up" : "down";
      json["cause"] = tier_change_cause_name(event.cause);
      break;
    }
    case EventKind::voucher_claimed:
    case EventKind::voucher_used:
    case EventKind::voucher_returned:
    case EventKind::voucher_claim_cancelled: {
      const VoucherCode& code = store.campaigns().codes()[event.voucher_code];
      const CampaignConfig& config = store.campaigns().campaigns()[code.campaign].config;
      json["campaign_id"] = config.campaign_id;
      // Partner codes as the partner printed them; the store's own in groups of four.
      json["code"] = code.source == CodeSource::imported ? code.code : format_voucher_code(code.code, config.code_prefix.size());
      if (event.kind == EventKind::voucher_claimed || event.kind == EventKind::voucher_claim_cancelled) json["points"] = event.points;
      break;
    }
    case EventKind::delivery_sent: json.update(delivery_to_json(store, event.delivery, true)); break;
    case EventKind::member_created:
    case EventKind::member_updated:
    case EventKind::referrer_set: break;
  }
  return json;
}

Json member_balances_to_json(const Store& store, MemberIndex member) {
  const Ledger& ledger = store.ledger();
  const Points points = ledger.balance(member, MemberAccount::points);
  const ProgramVersion* program = store.current_program();
  // points: the spendable balance (negative while a reversal is being recovered);
  // pending and held are apart from it.
  Json json{{"points", points},
            {"pending", ledger.balance(member, MemberAccount::pending)},
            {"held", ledger.balance(member, MemberAccount::held)},
            {"tier_points_lifetime", ledger.balance(member, MemberAccount::tier_points)}};
  if (program) json["points_value_vnd"] = points * program->config.wallet.point_value_vnd;
  return json;
}

Json member_summary_to_json(const Store& store, MemberIndex member, UtcSeconds time) {
  const Member& record = store.members()[member];
  // The tier as of `time`, under the program in force then (a stored tier index belongs
  // to the version it was evaluated under).
  const ProgramVersion* program = store.program_at(time);
  return Json{{"member_id", record.member_id}, {"name", record.name}, {"phone", record.phone},
              {"card_number", record.card_number},
              {"tier", tier_to_json(program ? &program->config : nullptr, store.tier_status(member, time).tier_index)},
              {"points", store.ledger().balance(member, MemberAccount::points)}};
}

Json liability_to_json(const Liability& liability) {
  auto buckets = [](const std::vector<LiabilityBucket>& list, const char* key_name) {
    Json json = Json::array();
    for (const LiabilityBucket& bucket : list) json.push_back({{key_name, bucket.key}, {"points", bucket.points}, {"value_vnd", bucket.value_vnd}});
    return json;
  };
  return Json{{"outstanding_points", liability.outstanding_points}, {"outstanding_value_vnd", liability.outstanding_value_vnd},
              {"available_points", liability.available_points}, {"pending_points", liability.pending_points},
              {"held_points", liability.held_points}, {"debt_points", liability.debt_points},
              {"by_expiry_month", buckets(liability.by_expiry_month, "month")}, {"by_tier", buckets(liability.by_tier, "tier")}};
}

Json member_profile_to_json(const Store& store, MemberIndex member, UtcSeconds time) {
  const Member& record = store.members()[member];
  Json member_json{{"member_id", record.member_id}, {"card_number", record.card_number}, {"phone", record.phone},
                   {"name", record.name}, {"email", record.email}, {"joined_at", format_utc_time(record.joined_at_utc)},
                   {"status", member_status_name(record.status)},
                   {"opt_ins", {{"push", record.opt_ins.push}, {"sms", record.opt_ins.sms}, {"email", record.opt_ins.email}, {"zalo", record.opt_ins.zalo}}}};
  member_json["birthday"] = record.birthday.known()
                                ? Json{{"day", record.birthday.day}, {"month", record.birthday.month},
                                       {"year", record.birthday.year == 0 ? Json(nullptr) : Json(record.birthday.year)}}
                                : Json(nullptr);
  member_json["referrer_id"] = record.referrer == no_member ? Json(nullptr) : Json(store.members()[record.referrer].member_id);
  Json json{{"member", member_json}, {"balances", member_balances_to_json(store, member)}};
  const ProgramVersion* program = store.program_at(time);
  const TierStatus status = store.tier_status(member, time);
  const ProgramConfig* config = program ? &program->config : nullptr;
  Json drops = Json::array();
  for (const WindowDrop& drop : status.upcoming_drops) {
    drops.push_back({{"at", format_utc_time(drop.at_utc)}, {"tier_points", drop.tier_points}});
  }
  json["tier"] = {{"tier_points", status.tier_points},
                  {"tier", tier_to_json(config, status.tier_index)},
                  {"next_tier", tier_to_json(config, status.next_tier_index)},
                  {"tier_points_to_next", status.tier_points_to_next},
                  {"upcoming_drops", drops},
                  {"window_months", config ? config->tier_points.window_months : 0}};
  // The newer tier rules, shown only where the program or the member has them.
  if (config && config->tier_points.qualify_by != TierMeasure::tier_points) {
    json["tier"]["qualify_by"] = tier_measure_name(config->tier_points.qualify_by);
    json["tier"]["measure"] = status.measure;
  }
  if (config && config->tier_points.calendar_year_start_month != 0) {
    json["tier"]["period_started_at"] = format_utc_time(config->qualification_start_utc(time));
  }
  if (config && !config->tier_retention.empty() && status.tier_index >= 0 && !status.manual) {
    // What keeps the tier: reaching its threshold again within the period; until safe_until it stays regardless.
    json["tier"]["retention"] = {{"safe_until", status.safe_until_utc == 0 ? Json(nullptr) : Json(format_utc_time(status.safe_until_utc))},
                                 {"keeps_with", status.measure_to_keep},
                                 {"qualified_tier", tier_to_json(config, status.qualified_tier_index)}};
  }
  if (status.manual) {
    json["tier"]["manual"] = {{"tier_id", record.manual_tier_id}, {"ends_at", format_utc_time(status.manual_ends_at_utc)}};
  }
  Json perks = Json::array();
  if (config) {
    for (const Perk* perk : config->enabled_perks(status.tier_index)) {
      perks.push_back({{"type", perk_type_name(perk->type)}, {"vi", describe_perk(*perk, Language::vi)}, {"en", describe_perk(*perk, Language::en)}});
    }
  }
  json["perks"] = perks;
  // Points by the local month they expire in, soonest first: what the member should use first.
  Json by_month = Json::array();
  std::vector<std::pair<UtcSeconds, Points>> expiring;
  for (std::uint32_t lot_index : store.member_lots(member)) {
    const PointLot& lot = store.lots()[lot_index];
    if (!lot.pending && lot.points_remaining > 0) expiring.emplace_back(lot.expires_at_utc, lot.points_remaining);
  }
  std::sort(expiring.begin(), expiring.end());
  const TimeZone zone = config ? config->time_zone : TimeZone{};
  for (const auto& [expires_at, points] : expiring) {
    const std::string month = expires_at == INT64_MAX ? "never" : format_local_month(expires_at, zone);
    if (by_month.empty() || by_month.back()["month"] != month) by_month.push_back({{"month", month}, {"points", 0}});
    by_month.back()["points"] = by_month.back()["points"].get<Points>() + points;
  }
  json["points_by_expiry_month"] = by_month;
  Json pending_lots = Json::array();
  for (std::uint32_t lot_index : store.member_lots(member)) {
    const PointLot& lot = store.lots()[lot_index];
    if (!lot.pending || lot.points_remaining <= 0) continue;
    pending_lots.push_back({{"points", lot.points_remaining}, {"available_at", format_utc_time(lot.available_at_utc)},
                            {"order_id", lot.order != UINT32_MAX ? Json(store.orders()[lot.order].order_id) : Json(nullptr)}});
  }
  json["pending"] = pending_lots;
  json["statement"] = {{"earned", record.points_earned}, {"received", record.points_received}, {"returned", record.points_returned},
                       {"spent", record.points_spent}, {"expired", record.points_expired}, {"reversed", record.points_reversed},
                       {"sent", record.points_sent}, {"debt", record.debt_points}};
  return json;
}

Json ledger_history_to_json(const Store& store, MemberIndex member, std::size_t limit, std::uint32_t before_transaction) {
  std::vector<std::uint32_t> transactions;
  for (MemberAccount kind : {MemberAccount::points, MemberAccount::pending, MemberAccount::held, MemberAccount::tier_points}) {
    store.ledger().visit_account_history(account_of(member, kind), [&](const Posting&, std::uint32_t posting_index) {
      const std::uint32_t transaction = store.ledger().transaction_of(posting_index);
      if (transaction < before_transaction) transactions.push_back(transaction);
      return true;
    });
  }
  std::sort(transactions.begin(), transactions.end(), std::greater<>());
  transactions.erase(std::unique(transactions.begin(), transactions.end()), transactions.end());
  Json list = Json::array();
  for (std::size_t i = 0; i < transactions.size() && i < limit; ++i) list.push_back(transaction_to_json(store, transactions[i]));
  Json json{{"member_id", store.members()[member].member_id}, {"transactions", list}};
  json["more"] = transactions.size() > limit;
  return json;
}

Json preview_to_json(const ProgramConfig& config, const OrderPreview& preview, std::span<const OrderLine> order_lines) {
  const EarningBreakdown& earning = preview.earning;
  auto perk_list = [](const std::vector<const Perk*>& perks) {
    Json list = Json::array();
    for (const Perk* perk : perks) {
      list.push_back({{"type", perk_type_name(perk->type)}, {"vi", describe_perk(*perk, Language::vi)}, {"en", describe_perk(*perk, Language::en)}});
    }
    return list;
  };
  Json json{
      {"earn_base_vnd", earning.earn_base_vnd},
      {"buyer", {{"points", earning.buyer_points}, {"earn_rate_bp", earning.buyer_earn_rate_bp}, {"multiplier_bp", earning.multiplier_bp},
                 {"formula", {{"vi", describe_buyer_formula(earning, Language::vi)}, {"en", describe_buyer_formula(earning, Language::en)}}}}},
      {"referrer", {{"points", earning.referrer_points}, {"earn_rate_bp", earning.referrer_earn_rate_bp},
                    {"formula", {{"vi", describe_referrer_formula(earning, Language::vi)}, {"en", describe_referrer_formula(earning, Language::en)}}}}},
      {"tier_points", {{"earned", earning.tier_points}, {"before", preview.tier_points_before}, {"after", preview.tier_points_after},
                       {"formula", {{"vi", describe_tier_formula(earning, Language::vi)}, {"en", describe_tier_formula(earning, Language::en)}}}}},
      {"rounding", rounding_name(earning.rounding)},
      {"rounding_label", {{"vi", rounding_label_vi(earning.rounding)}, {"en", rounding_label_en(earning.rounding)}}},
      {"tier_before", tier_to_json(&config, preview.tier_before)},
      {"tier_after", tier_to_json(&config, preview.tier_after)},
      {"next_tier", tier_to_json(&config, preview.next_tier_index)},
      {"tier_points_to_next", preview.tier_points_to_next},
      {"perks_applying", perk_list(preview.perks_applying)},
      {"perks_unlocked", perk_list(preview.perks_unlocked)},
  };
  // The newer rules, present only when they played a part: which lines earned what, the
  // promotion, the minimum and maximum, and the bonuses the order would give.
  if (!earning.lines.empty()) {
    Json lines = Json::array();
    for (std::size_t i = 0; i < earning.lines.size(); ++i) {
      // Named as the order named it, so that the owner sees which line earned what.
      const LineEarning& line = earning.lines[i];
      const OrderLine* named = i < order_lines.size() ? &order_lines[i] : nullptr;
      lines.push_back({{"product_id", named ? named->product_id : ""}, {"category", named ? named->category : ""},
                       {"earn_base_vnd", line.earn_base_vnd}, {"multiplier_bp", line.multiplier_bp}, {"excluded", line.excluded},
                       {"buyer_points", line.buyer_points}, {"referrer_points", line.referrer_points}, {"tier_points", line.tier_points}});
    }
    json["lines"] = std::move(lines);
  }
  if (earning.promotion != nullptr) {
    json["promotion"] = {{"id", earning.promotion->id}, {"name", earning.promotion->name}, {"multiplier_bp", earning.promotion->multiplier_bp},
                         {"combine", promotion_combine_name(earning.promotion->combine)}, {"tier_multiplier_bp", earning.tier_multiplier_bp}};
  }
  if (earning.below_minimum) json["below_minimum_order_vnd"] = config.earning.minimum_order_vnd;
  if (earning.points_over_maximum > 0) json["points_over_maximum"] = earning.points_over_maximum;
  // Why the tier stays or changes: the measure in its period before and after, and what holds it when not the measure.
  const TierExplanation& explanation = preview.tier_explanation;
  Json tier_explanation{{"measure", tier_measure_name(config.tier_points.qualify_by)}, {"period", tier_period_name(config)},
                        {"measure_before", explanation.measure_before}, {"measure_after", explanation.measure_after},
                        {"qualified_tier_after", tier_to_json(&config, explanation.qualified_tier_after)},
                        {"held_by", tier_held_by_name(explanation.held_by)}};
  if (config.tier_points.window_months > 0) tier_explanation["window_months"] = config.tier_points.window_months;
  if (config.tier_points.calendar_year_start_month != 0) tier_explanation["year_start_month"] = config.tier_points.calendar_year_start_month;
  if (explanation.safe_until_utc != 0) tier_explanation["safe_until"] = format_utc_time(explanation.safe_until_utc);
  if (explanation.manual_ends_at_utc != 0) tier_explanation["manual_ends_at"] = format_utc_time(explanation.manual_ends_at_utc);
  tier_explanation["vi"] = describe_tier_explanation(config, preview, Language::vi);
  tier_explanation["en"] = describe_tier_explanation(config, preview, Language::en);
  json["tier_explanation"] = std::move(tier_explanation);
  if (!preview.bonuses.empty()) {
    Json bonuses = Json::array();
    for (const PreviewBonus& bonus : preview.bonuses) {
      bonuses.push_back({{"kind", bonus.kind}, {"to", bonus.to_referrer ? "referrer" : "buyer"}, {"points", bonus.points}});
    }
    json["bonuses"] = std::move(bonuses);
  }
  return json;
}

Json changes_to_json(const Store& store, const Changes& changes) {
  Json transactions = Json::array();
  for (std::uint32_t transaction : changes.transactions) transactions.push_back(transaction_to_json(store, transaction));
  Json balances = Json::object();
  for (MemberIndex member : changes.members) balances[store.members()[member].member_id] = member_balances_to_json(store, member);
  if (!changes.transactions.empty()) balances["pool"] = store.ledger().balance(SystemAccount::pool);
  Json events = Json::array();
  for (const Event& event : changes.events) events.push_back(event_to_json(store, event));
  return Json{{"transactions", transactions}, {"balances", balances}, {"events", events}};
}

}  // namespace loyalty
