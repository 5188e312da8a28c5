#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/card_number.hpp"
#include "core/phone.hpp"
#include "core/prefetch.hpp"

namespace loyalty {

namespace {
constexpr std::size_t member_id_bytes_max = 64;
constexpr std::size_t order_id_bytes_max = 128;
constexpr std::size_t name_bytes_max = 200;
constexpr std::size_t text_bytes_max = 1000;
constexpr std::uint32_t no_index = UINT32_MAX;
// The refund recorded when an order's status becomes refunded; clients cannot use this id.
constexpr std::string_view full_refund_id = "full";

bool is_valid_email(std::string_view email) {
  const std::size_t at = email.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < email.size() && email.find('@', at + 1) == std::string_view::npos &&
         email.find('.', at) != std::string_view::npos && email.find(' ') == std::string_view::npos && email.size() <= 254;
}
}  // namespace

std::string_view member_status_name(MemberStatus status) { return status == MemberStatus::active ? "active" : "blocked"; }

std::string_view order_status_name(OrderStatus status) {
  static constexpr std::array<std::string_view, 4> names = {"placed", "completed", "cancelled", "refunded"};
  return names.at(static_cast<std::size_t>(status));
}

std::optional<OrderStatus> order_status_from_name(std::string_view name) {
  for (OrderStatus status : {OrderStatus::placed, OrderStatus::completed, OrderStatus::cancelled, OrderStatus::refunded}) {
    if (order_status_name(status) == name) return status;
  }
  return std::nullopt;
}

std::string_view event_kind_name(EventKind kind) {
  static constexpr std::array<std::string_view, 18> names = {
      "program_saved",   "member_created",    "member_updated", "referrer_set",   "points_earned",
      "points_reversed", "points_adjusted",   "tier_changed",   "points_available", "pending_cancelled",
      "points_redeemed", "points_held",       "hold_captured",  "hold_released",  "points_transferred",
      "points_expired",  "points_returned",   "birthday_bonus"};
  static_assert(names.size() == static_cast<std::size_t>(EventKind::birthday_bonus) + 1);
  return names.at(static_cast<std::size_t>(kind));
}

std::string_view tier_change_cause_name(TierChangeCause cause) {
  static constexpr std::array<std::string_view, 7> names = {"joined", "order",           "refund",          "adjustment",
                                                            "window", "program_changed", "points_available"};
  static_assert(names.size() == static_cast<std::size_t>(TierChangeCause::points_available) + 1);
  return names.at(static_cast<std::size_t>(cause));
}

Store::Store() { actors_.push_back(""); actor_by_name_.emplace("", 0); }

std::uint32_t Store::intern_actor(std::string_view actor) {
  if (actors_[last_actor_] == actor) return last_actor_;
  const auto found = actor_by_name_.find(std::string(actor));
  if (found != actor_by_name_.end()) return last_actor_ = found->second;
  const auto index = static_cast<std::uint32_t>(actors_.size());
  last_actor_ = index;
  actors_.emplace_back(actor);
  actor_by_name_.emplace(std::string(actor), index);
  return index;
}

void Store::touch(MemberIndex member, Changes& changes) const {
  if (std::find(changes.members.begin(), changes.members.end(), member) == changes.members.end()) {
    changes.members.push_back(member);
  }
}

// ---------------------------------------------------------------------------------------------
// Program versions

const ProgramVersion* Store::program_at(UtcSeconds time) const {
  // Versions are saved in time order; the one in force is the last one effective by `time`.
  auto after = std::upper_bound(program_versions_.begin(), program_versions_.end(), time,
                                [](UtcSeconds t, const ProgramVersion& version) { return t < version.effective_from_utc; });
  if (after == program_versions_.begin()) return nullptr;
  return &*(after - 1);
}

const ProgramVersion* Store::current_program() const {
  return program_versions_.empty() ? nullptr : &program_versions_.back();
}

Result Store::save_program(const ProgramConfig& config, UtcSeconds time, std::string_view actor, Changes& changes) {
  changes.clear();
  if (!program_versions_.empty() && time < program_versions_.back().effective_from_utc) {
    return Result::failure(ResultCode::program_time_before_latest);
  }
  // The pool follows the configured initial pool: a larger value funds the difference; a
  // smaller one may only take back points still in the pool.
  const Points funded = ledger_.points_funded();
  const Points funding_change = config.wallet.initial_pool_points - funded;
  if (funding_change < 0 && ledger_.balance(SystemAccount::pool) + funding_change < 0) {
    return Result::field("wallet.initial_pool_points",
                         "không thể nhỏ hơn số điểm đã phát cho thành viên (" + format_points(funded - ledger_.balance(SystemAccount::pool)) + ")",
                         "cannot be less than the points already issued to members (" +
                             format_grouped_en(funded - ledger_.balance(SystemAccount::pool)) + ")");
  }
  // After this point the command must succeed.
  const auto version = static_cast<std::int32_t>(program_versions_.size() + 1);
  const std::int32_t inactivity_before = program_versions_.empty() ? 0 : program_versions_.back().config.expiry.inactivity_months;
  program_versions_.push_back(ProgramVersion{version, time, config});
  if (config.expiry.inactivity_months > 0 && config.expiry.inactivity_months != inactivity_before) {
    // Deadlines under the new rule; items scheduled under the old one no longer match (process_due checks).
    for (MemberIndex member = 0; member < members_.size(); ++member) {
      schedule({add_months(members_[member].last_order_at_utc, config.expiry.inactivity_months, config.time_zone),
                DueKind::inactivity, member, members_[member].last_order_at_utc});
    }
  }
  if (funding_change != 0) {
    const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(SystemAccount::genesis), -funding_change},
                                                    PostingRequest{account_of(SystemAccount::pool), funding_change}};
    changes.transactions.push_back(ledger_.post(TransactionKind::pool_funding, time, time, static_cast<std::uint32_t>(version),
                                                intern_actor(actor), postings));
  }
  changes.events.push_back(Event{EventKind::program_saved, time, no_member, no_index, version});
  // Tiers may have new thresholds: place every member again.
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    evaluate_tier(member, time, TierChangeCause::program_changed, changes);
  }
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Members

MemberIndex Store::find_member(std::string_view member_id) const {
  return member_by_id_.find(member_id, [this](std::uint32_t index) -> std::string_view { return members_[index].member_id; });
}

MemberIndex Store::find_member_by_phone(std::string_view phone_normalized) const {
  return member_by_phone_.find(phone_normalized, [this](std::uint32_t index) -> std::string_view { return members_[index].phone; });
}

MemberIndex Store::find_member_by_card(std::string_view card_number) const {
  return member_by_card_.find(card_number, [this](std::uint32_t index) -> std::string_view { return members_[index].card_number; });
}

std::vector<SearchHit> Store::search_members(std::string_view query, std::size_t limit) const {
  return search_index_.search(query, limit);
}

std::optional<MemberStatus> member_status_from_name(std::string_view name) {
  if (name == "active") return MemberStatus::active;
  if (name == "blocked") return MemberStatus::blocked;
  return std::nullopt;
}

void Store::check_member_details(const std::string* phone, const std::string* name, const std::string* email,
                                 const Birthday* birthday, UtcSeconds time, std::string& phone_normalized,
                                 std::vector<FieldError>& errors) const {
  if (phone != nullptr) {
    const PhoneResult normalized = normalize_phone_vn(*phone);
    if (normalized.phone) {
      phone_normalized = *normalized.phone;
    } else {
      errors.push_back({"phone", normalized.error_vi, normalized.error_en});
    }
  }
  if (name != nullptr && (name->find_first_not_of(" \t") == std::string::npos || name->size() > name_bytes_max || !is_valid_utf8(*name))) {
    errors.push_back({"name", "bắt buộc, tối đa 200 byte UTF-8", "required, at most 200 bytes of UTF-8"});
  }
  if (email != nullptr && !email->empty() && !is_valid_email(*email)) {
    errors.push_back({"email", "địa chỉ email không hợp lệ", "not a valid email address"});
  }
  if (birthday != nullptr && (birthday->day != 0 || birthday->month != 0 || birthday->year != 0)) {
    // Without a year, 29/02 is a valid birthday: check against a leap year. A birthday
    // with a year cannot be in the future.
    const std::int32_t check_year = birthday->year == 0 ? 2000 : birthday->year;
    if (!is_valid_date(check_year, birthday->month, birthday->day) ||
        (birthday->year != 0 && (birthday->year < 1900 || local_midnight_utc({birthday->year, birthday->month, birthday->day}, TimeZone{}) > time))) {
      errors.push_back({"birthday", "ngày sinh không hợp lệ", "not a valid birthday"});
    }
  }
}

Result Store::update_member(const MemberUpdate& update, UtcSeconds time, Changes& changes) {
  changes.clear();
  const MemberIndex member = find_member(update.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  Result invalid{ResultCode::invalid_field, {}};
  std::string phone_normalized;
  check_member_details(update.phone ? &*update.phone : nullptr, update.name ? &*update.name : nullptr,
                       update.email ? &*update.email : nullptr, update.birthday ? &*update.birthday : nullptr, time,
                       phone_normalized, invalid.errors);
  if (!invalid.errors.empty()) return invalid;
  Member& record = members_[member];
  const bool phone_changes = update.phone && phone_normalized != record.phone;
  if (phone_changes && find_member_by_phone(phone_normalized) != no_member) return Result::failure(ResultCode::phone_taken);
  const bool name_changes = update.name && *update.name != record.name;
  // After this point the command must succeed.
  auto phone_of = [this](std::uint32_t index) -> std::string_view { return members_[index].phone; };
  if (phone_changes || name_changes) search_index_.remove(member);
  if (phone_changes) {
    member_by_phone_.erase(record.phone, member, phone_of);
    record.phone = phone_normalized;
    member_by_phone_.insert(record.phone, member);
  }
  if (name_changes) record.name = *update.name;
  if (phone_changes || name_changes) search_index_.add(member, record.name, record.phone, record.card_number);
  if (update.email) record.email = *update.email;
  if (update.birthday) record.birthday = *update.birthday;
  if (update.opt_ins) record.opt_ins = *update.opt_ins;
  if (update.status) record.status = *update.status;
  changes.events.push_back(Event{EventKind::member_updated, time, member});
  return Result::success();
}

Result Store::create_member(const NewMember& request, UtcSeconds time, Changes& changes) {
  changes.clear();
  Result invalid{ResultCode::invalid_field, {}};
  if (!request.member_id.empty() && !is_valid_key(request.member_id, member_id_bytes_max)) {
    invalid.errors.push_back({"member_id", "chỉ gồm ký tự ASCII in được, không có khoảng trắng, tối đa 64 byte",
                              "printable ASCII without spaces, at most 64 bytes"});
  }
  std::string phone_normalized;
  check_member_details(&request.phone, &request.name, &request.email, &request.birthday, time, phone_normalized, invalid.errors);
  if (!invalid.errors.empty()) return invalid;

  // A retry of the same creation gets already_applied, not a second member.
  const MemberIndex same_phone = find_member_by_phone(phone_normalized);
  const MemberIndex same_id = request.member_id.empty() ? no_member : find_member(request.member_id);
  if (same_id != no_member || same_phone != no_member) {
    const MemberIndex existing = same_id != no_member ? same_id : same_phone;
    const Member& member = members_[existing];
    const bool same_request = member.phone == phone_normalized && member.name == request.name &&
                              (request.member_id.empty() || request.member_id == member.member_id);
    if (same_request) {
      changes.created_member = existing;
      return Result::failure(ResultCode::already_applied);
    }
    return Result::failure(same_id != no_member ? ResultCode::member_exists : ResultCode::phone_taken);
  }
  MemberIndex referrer = no_member;
  if (!request.referrer_id.empty()) {
    referrer = find_member(request.referrer_id);
    if (referrer == no_member) {
      return request.referrer_id == request.member_id ? Result::failure(ResultCode::self_referral)
                                                      : Result::failure(ResultCode::referrer_not_found);
    }
  }
  const auto index = static_cast<MemberIndex>(members_.size());
  std::string member_id = request.member_id;
  if (member_id.empty()) {
    // Generated ids never collide with a later client-chosen one that looks the same:
    // the sequence skips taken ids.
    std::uint64_t sequence = index + 1;
    do {
      std::string digits = std::to_string(sequence++);
      member_id = "M" + std::string(digits.size() < 7 ? 7 - digits.size() : 0, '0') + digits;
    } while (find_member(member_id) != no_member);
  }
  // After this point the command must succeed.
  Member member;
  member.member_id = member_id;
  member.card_number = card_number_from_sequence(index + 1);
  member.phone = phone_normalized;
  member.name = request.name;
  member.email = request.email;
  member.birthday = request.birthday;
  member.joined_at_utc = time;
  member.last_order_at_utc = time;   // the inactivity rule counts from joining until a first order
  member.referrer = referrer;
  member.opt_ins = request.opt_ins;
  assert(find_member_by_card(member.card_number) == no_member);
  members_.push_back(std::move(member));
  const Member& stored = members_.back();
  member_by_id_.insert(stored.member_id, index);
  member_by_phone_.insert(stored.phone, index);
  member_by_card_.insert(stored.card_number, index);
  search_index_.add(index, stored.name, stored.phone, stored.card_number);
  ledger_.add_member_accounts(index);
  changes.created_member = index;
  if (const ProgramVersion* program = program_at(time); program && program->config.expiry.inactivity_months > 0) {
    schedule({add_months(time, program->config.expiry.inactivity_months, program->config.time_zone), DueKind::inactivity, index, time});
  }
  changes.events.push_back(Event{EventKind::member_created, time, index});
  evaluate_tier(index, time, TierChangeCause::joined, changes);
  return Result::success();
}

Result Store::set_referrer(std::string_view member_id, std::string_view referrer_id, UtcSeconds time, Changes& changes) {
  changes.clear();
  const MemberIndex member = find_member(member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  const MemberIndex referrer = find_member(referrer_id);
  if (referrer == no_member) return Result::failure(ResultCode::referrer_not_found);
  if (referrer == member) return Result::failure(ResultCode::self_referral);
  if (members_[member].referrer == referrer) return Result::failure(ResultCode::already_applied);
  if (members_[member].referrer != no_member) return Result::failure(ResultCode::referrer_already_set);
  // Walk up from the new referrer: reaching the member would close a loop A -> B -> ... -> A.
  for (MemberIndex ancestor = referrer; ancestor != no_member; ancestor = members_[ancestor].referrer) {
    if (ancestor == member) return Result::failure(ResultCode::referral_cycle);
  }
  members_[member].referrer = referrer;
  changes.events.push_back(Event{EventKind::referrer_set, time, member});
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Tiers

TierPoints Store::window_tier_points(MemberIndex member, UtcSeconds time) const {
  const ProgramVersion* program = program_at(time);
  const std::int32_t window_months = program ? program->config.tier_points.window_months : 0;
  // Lifetime counts everything up to `time` (events may arrive out of order); a window
  // counts what is younger than `window_months` months.
  const UtcSeconds window_start = window_months == 0 ? INT64_MIN : add_months(time, -window_months, program->config.time_zone);
  TierPoints total = 0;
  for (const TierEntry& entry : members_[member].tier_history) {
    if (entry.effective_time_utc > time) break;  // sorted: the rest is later still
    if (entry.effective_time_utc > window_start) total += entry.tier_points;
  }
  return std::max<TierPoints>(total, 0);
}

void Store::add_tier_entry(MemberIndex member, UtcSeconds effective_time_utc, TierPoints tier_points) {
  std::vector<TierEntry>& history = members_[member].tier_history;
  // Mostly appended in time order; a late event is moved into place.
  auto position = history.end();
  while (position != history.begin() && (position - 1)->effective_time_utc > effective_time_utc) --position;
  history.insert(position, TierEntry{effective_time_utc, tier_points});
}

TierStatus Store::tier_status(MemberIndex member, UtcSeconds time) const {
  TierStatus status;
  const ProgramVersion* program = program_at(time);
  if (program == nullptr) return status;
  const ProgramConfig& config = program->config;
  status.tier_points = window_tier_points(member, time);
  status.tier_index = config.tier_index_for(status.tier_points);
  if (status.tier_index + 1 < static_cast<std::int32_t>(config.tiers.size())) {
    status.next_tier_index = status.tier_index + 1;
    status.tier_points_to_next = config.tiers[static_cast<std::size_t>(status.next_tier_index)].tier_points_needed - status.tier_points;
  }
  if (config.tier_points.window_months > 0) {
    // Group what is in the window by the moment it leaves it (the history is in time order).
    const UtcSeconds window_start = add_months(time, -config.tier_points.window_months, config.time_zone);
    for (const TierEntry& entry : members_[member].tier_history) {
      if (entry.effective_time_utc > time) break;
      if (entry.effective_time_utc <= window_start) continue;
      const UtcSeconds leaves_at = add_months(entry.effective_time_utc, config.tier_points.window_months, config.time_zone);
      if (!status.upcoming_drops.empty() && status.upcoming_drops.back().at_utc == leaves_at) {
        status.upcoming_drops.back().tier_points += entry.tier_points;
      } else {
        status.upcoming_drops.push_back({leaves_at, entry.tier_points});
      }
    }
    std::erase_if(status.upcoming_drops, [](const WindowDrop& drop) { return drop.tier_points == 0; });
    if (status.upcoming_drops.size() > 3) status.upcoming_drops.resize(3);
  }
  return status;
}

void Store::set_tier(MemberIndex member, const ProgramConfig& config, TierPoints tier_points, UtcSeconds time,
                     TierChangeCause cause, Changes& changes) {
  const std::int32_t tier_index = config.tier_index_for(tier_points);
  Member& record = members_[member];
  if (tier_index == record.tier_index) return;
  changes.events.push_back(Event{EventKind::tier_changed, time, member, changes.order, 0, record.tier_index, tier_index, cause});
  record.tier_index = tier_index;
}

void Store::evaluate_tier(MemberIndex member, UtcSeconds time, TierChangeCause cause, Changes& changes) {
  const ProgramVersion* program = program_at(time);
  if (program == nullptr) return;
  set_tier(member, program->config, window_tier_points(member, time), time, cause, changes);
}

Result Store::review_tiers(UtcSeconds time, Changes& changes) {
  changes.clear();
  if (program_at(time) == nullptr) return Result::failure(ResultCode::program_not_set);
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    evaluate_tier(member, time, TierChangeCause::window, changes);
  }
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Orders

std::uint32_t Store::find_order(std::string_view order_id) const {
  return order_by_id_.find(order_id, [this](std::uint32_t index) -> std::string_view { return orders_[index].order_id; });
}

Result Store::record_order(const OrderEvent& event, UtcSeconds time, Changes& changes) {
  changes.clear();
  if (!is_valid_key(event.order_id, order_id_bytes_max)) {
    return Result::field("order_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng, tối đa 128 byte",
                         "required: printable ASCII without spaces, at most 128 bytes");
  }
  if (Result amounts = check_order_amounts(event.amounts); !amounts.ok()) return amounts;
  const MemberIndex member = find_member(event.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  if (members_[member].status == MemberStatus::blocked && event.status == OrderStatus::completed &&
      find_order(event.order_id) == no_index) {
    return Result::failure(ResultCode::member_blocked);
  }
  // Start the memory reads an earning will need, so that they overlap instead of waiting
  // one after the other (the accrual benchmark is bound by memory latency).
  {
    const Member& buyer = members_[member];
    prefetch(reinterpret_cast<const char*>(&buyer) + 64);   // the second line: lots and totals
    ledger_.prefetch_member(member);
    if (!buyer.tier_history.empty()) prefetch(buyer.tier_history.data() + buyer.tier_history.size() - 1);
    if (buyer.referrer != no_member) {
      prefetch(reinterpret_cast<const char*>(&members_[buyer.referrer]) + 64);
      ledger_.prefetch_member(buyer.referrer);
    }
  }
  const std::uint32_t actor = intern_actor(event.actor);
  // A checkout that pays with points names its hold.
  std::uint32_t hold_index = no_index;
  if (!event.points_hold_id.empty()) {
    hold_index = find_hold(event.points_hold_id);
    if (hold_index == no_index) return Result::failure(ResultCode::hold_not_found);
    if (holds_[hold_index].member != member) return Result::failure(ResultCode::hold_member_mismatch);
  }
  auto amounts_with_hold = [&](OrderAmounts amounts) {
    if (hold_index != no_index) amounts.paid_with_points_vnd = holds_[hold_index].value_vnd;
    return amounts;
  };
  if (hold_index != no_index && event.amounts.paid_with_points_vnd != 0 &&
      event.amounts.paid_with_points_vnd != holds_[hold_index].value_vnd) {
    return Result::field("paid_with_points_vnd", "khác giá trị điểm đang giữ", "differs from the value of the points held");
  }

  std::uint32_t order_index = find_order(event.order_id);
  if (order_index != no_index) {
    Order& order = orders_[order_index];
    changes.order = order_index;
    if (order.member != member) return Result::failure(ResultCode::order_member_mismatch);
    // The amounts must agree with what was recorded; a field left at 0 is not repeated.
    const OrderAmounts& known = order.amounts;
    if (known.amount_vnd != event.amounts.amount_vnd ||
        (event.amounts.shipping_vnd != 0 && known.shipping_vnd != event.amounts.shipping_vnd) ||
        (event.amounts.voucher_discount_vnd != 0 && known.voucher_discount_vnd != event.amounts.voucher_discount_vnd) ||
        (event.amounts.paid_with_points_vnd != 0 && known.paid_with_points_vnd != event.amounts.paid_with_points_vnd)) {
      return Result::failure(ResultCode::order_amount_mismatch);
    }
    switch (event.status) {
      case OrderStatus::placed:
        return Result::failure(ResultCode::already_applied);   // placed is where every order starts
      case OrderStatus::completed: {
        if (order.status == OrderStatus::cancelled) return Result::failure(ResultCode::order_already_cancelled);
        if (order.status != OrderStatus::placed) return Result::failure(ResultCode::already_applied);
        if (hold_index != no_index && holds_[hold_index].state != HoldState::active) return Result::failure(ResultCode::hold_not_active);
        EarningPlan plan;
        plan.hold = hold_index;
        if (Result planned = plan_earning(member, amounts_with_hold(order.amounts), time, plan); !planned.ok()) return planned;
        complete_order(order_index, time, actor, plan, changes);
        return Result::success();
      }
      case OrderStatus::cancelled:
        if (order.status == OrderStatus::cancelled) return Result::failure(ResultCode::already_applied);
        if (order.status != OrderStatus::placed) return Result::failure(ResultCode::order_already_completed);
        order.status = OrderStatus::cancelled;   // cancelled before completion: nothing was earned
        if (hold_index != no_index && holds_[hold_index].state == HoldState::active) {
          end_hold(hold_index, HoldState::released, time, actor, changes);
        }
        return Result::success();
      case OrderStatus::refunded: {
        if (order.status == OrderStatus::refunded) return Result::failure(ResultCode::already_applied);
        if (order.status != OrderStatus::completed) return Result::failure(ResultCode::order_not_completed);
        // A full refund takes back whatever the partial refunds have not.
        record_refund(order_index, full_refund_id, order_paid_vnd(order) - order.refunded_vnd, time, actor, changes);
        return Result::success();
      }
    }
    return Result::success();
  }
  // A first event for this order.
  if (event.status == OrderStatus::refunded) return Result::failure(ResultCode::order_not_completed);
  // Check the earning before creating the order, so that a refusal leaves no trace.
  EarningPlan plan;
  plan.hold = hold_index;
  if (event.status == OrderStatus::completed) {
    if (hold_index != no_index && holds_[hold_index].state != HoldState::active) return Result::failure(ResultCode::hold_not_active);
    if (Result planned = plan_earning(member, amounts_with_hold(event.amounts), time, plan); !planned.ok()) return planned;
  }
  order_index = static_cast<std::uint32_t>(orders_.size());
  Order order;
  order.order_id = event.order_id;
  order.member = member;
  order.status = event.status == OrderStatus::cancelled ? OrderStatus::cancelled : OrderStatus::placed;
  order.amounts = event.status == OrderStatus::completed ? amounts_with_hold(event.amounts) : event.amounts;
  order.placed_at_utc = time;
  orders_.push_back(std::move(order));
  order_by_id_.insert(event.order_id, order_index);
  changes.order = order_index;
  if (event.status == OrderStatus::completed) complete_order(order_index, time, actor, plan, changes);
  if (event.status == OrderStatus::cancelled && hold_index != no_index && holds_[hold_index].state == HoldState::active) {
    end_hold(hold_index, HoldState::released, time, actor, changes);
  }
  return Result::success();
}

Vnd Store::order_paid_vnd(const Order& order) {
  return order.amounts.amount_vnd - order.amounts.voucher_discount_vnd - order.amounts.paid_with_points_vnd;
}

Result Store::plan_earning(MemberIndex member, const OrderAmounts& amounts, UtcSeconds time, EarningPlan& plan) const {
  plan.program = program_at(time);
  if (plan.program == nullptr) return Result::failure(ResultCode::program_not_set);
  const ProgramConfig& config = plan.program->config;
  // The buyer's tier at that time, before this order, decides the multiplier; the
  // referrer is the one the buyer has when the order completes.
  plan.tier_points_before = window_tier_points(member, time);
  plan.earning = compute_earning(config, amounts, config.tier_index_for(plan.tier_points_before),
                                 members_[member].referrer != no_member);
  if (plan.earning.code != ResultCode::ok) return Result::failure(plan.earning.code);
  if (plan.earning.buyer_points + plan.earning.referrer_points > ledger_.balance(SystemAccount::pool)) {
    return Result::failure(ResultCode::pool_exhausted);
  }
  return Result::success();
}

void Store::complete_order(std::uint32_t order_index, UtcSeconds time, std::uint32_t actor, const EarningPlan& plan,
                           Changes& changes) {
  Order& order = orders_[order_index];
  const EarningBreakdown& earning = plan.earning;
  assert(plan.program != nullptr && earning.code == ResultCode::ok);
  // After this point the command must succeed.
  const ProgramConfig& config = plan.program->config;
  const bool pending = config.pending.days > 0;
  order.status = OrderStatus::completed;
  order.completed_at_utc = time;
  order.program_version = plan.program->version;
  order.referrer = members_[order.member].referrer;
  order.buyer_points_earned = earning.buyer_points;
  order.referrer_points_earned = earning.referrer_points;
  order.tier_points_earned = earning.tier_points;
  if (plan.hold != no_index) order.amounts.paid_with_points_vnd = holds_[plan.hold].value_vnd;

  // Earned points wait in the pending account during the return window.
  const MemberAccount destination = pending ? MemberAccount::pending : MemberAccount::points;
  std::array<PostingRequest, 3> postings{};
  std::size_t count = 0;
  if (earning.buyer_points + earning.referrer_points > 0) {
    postings[count++] = {account_of(SystemAccount::pool), -(earning.buyer_points + earning.referrer_points)};
    if (earning.buyer_points > 0) postings[count++] = {account_of(order.member, destination), earning.buyer_points};
    if (earning.referrer_points > 0) postings[count++] = {account_of(order.referrer, destination), earning.referrer_points};
    changes.transactions.push_back(
        ledger_.post(TransactionKind::order_earning, time, time, order_index, actor, std::span(postings.data(), count)));
  }
  if (earning.buyer_points > 0) {
    order.buyer_lot = create_lot(order.member, order_index, earning.buyer_points, time, config, pending);
    members_[order.member].points_earned += earning.buyer_points;
  }
  if (earning.referrer_points > 0) {
    order.referrer_lot = create_lot(order.referrer, order_index, earning.referrer_points, time, config, pending);
    members_[order.referrer].points_earned += earning.referrer_points;
  }
  TierPoints tier_points_now = earning.tier_points;
  if (pending && config.pending.tier_points_when_available && earning.buyer_points > 0) {
    order.tier_points_deferred = earning.tier_points;   // posted when the buyer's lot becomes available
    tier_points_now = 0;
  }
  if (tier_points_now > 0) {
    const std::array<PostingRequest, 2> tier_postings = {
        PostingRequest{account_of(SystemAccount::tier_genesis), -tier_points_now},
        PostingRequest{account_of(order.member, MemberAccount::tier_points), tier_points_now}};
    changes.transactions.push_back(ledger_.post(TransactionKind::tier_earning, time, time, order_index, actor, tier_postings));
    add_tier_entry(order.member, time, tier_points_now);
  }
  // Points paid for the order leave the hold for good.
  if (plan.hold != no_index) {
    PointsHold& hold = holds_[plan.hold];
    hold.state = HoldState::captured;
    hold.order = order_index;
    order.hold = plan.hold;
    const std::array<PostingRequest, 2> capture = {PostingRequest{account_of(order.member, MemberAccount::held), -hold.points},
                                                   PostingRequest{account_of(SystemAccount::redeemed), hold.points}};
    changes.transactions.push_back(ledger_.post(TransactionKind::hold_captured, time, time, plan.hold, actor, capture));
    members_[order.member].points_spent += hold.points;
    changes.events.push_back(Event{EventKind::hold_captured, time, order.member, order_index, hold.points});
  }
  Member& buyer = members_[order.member];
  buyer.last_order_at_utc = std::max(buyer.last_order_at_utc, time);
  if (config.expiry.inactivity_months > 0) {
    schedule({add_months(buyer.last_order_at_utc, config.expiry.inactivity_months, config.time_zone), DueKind::inactivity,
              order.member, buyer.last_order_at_utc});
  }
  touch(order.member, changes);
  changes.events.push_back(Event{EventKind::points_earned, time, order.member, order_index, earning.buyer_points});
  if (order.referrer != no_member) {
    touch(order.referrer, changes);
    changes.events.push_back(Event{EventKind::points_earned, time, order.referrer, order_index, earning.referrer_points});
  }
  // The order's tier points count from now, so they are in the window at `time`.
  set_tier(order.member, config, plan.tier_points_before + tier_points_now, time, TierChangeCause::order, changes);
}

Result Store::refund_order(const RefundEvent& event, UtcSeconds time, Changes& changes) {
  changes.clear();
  if (!is_valid_key(event.refund_id, order_id_bytes_max)) {
    return Result::field("refund_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng, tối đa 128 byte",
                         "required: printable ASCII without spaces, at most 128 bytes");
  }
  if (event.refund_id == full_refund_id) {
    return Result::field("refund_id", "\"" + std::string(full_refund_id) + "\" dành cho hoàn tiền toàn bộ theo trạng thái đơn hàng",
                         "\"" + std::string(full_refund_id) + "\" is reserved for the full refund by order status");
  }
  if (event.amount_vnd <= 0) return Result::field("amount_vnd", "phải lớn hơn 0", "must be greater than 0");
  const std::uint32_t order_index = find_order(event.order_id);
  if (order_index == no_index) return Result::failure(ResultCode::order_not_found);
  changes.order = order_index;
  std::string refund_key = event.order_id;
  refund_key.push_back('\x1f');
  refund_key += event.refund_id;
  if (const auto known = refund_by_key_.find(refund_key); known != refund_by_key_.end()) {
    return Result::failure(refunds_[known->second].amount_vnd == event.amount_vnd ? ResultCode::already_applied
                                                                                  : ResultCode::refund_conflict);
  }
  const Order& order = orders_[order_index];
  if (order.status == OrderStatus::refunded) return Result::failure(ResultCode::order_already_refunded);
  if (order.status != OrderStatus::completed) return Result::failure(ResultCode::order_not_completed);
  if (event.amount_vnd > order_paid_vnd(order) - order.refunded_vnd) return Result::failure(ResultCode::refund_exceeds_order);
  // After this point the command must succeed.
  record_refund(order_index, event.refund_id, event.amount_vnd, time, intern_actor(event.actor), changes);
  return Result::success();
}

// Records a refund and takes back the share of what the order earned that the refunds so
// far cover (refunded ÷ paid, where paid excludes the voucher discount and the points
// payment). Each refund takes the difference between the cumulative share owed back and
// what earlier refunds took, so partial refunds never take more than was earned, and a
// full refund takes back exactly everything, whatever the rounding of the parts.
void Store::record_refund(std::uint32_t order_index, std::string_view refund_id, Vnd refund_vnd, UtcSeconds time,
                          std::uint32_t actor, Changes& changes) {
  Order& order = orders_[order_index];
  const Vnd paid_vnd = order_paid_vnd(order);
  assert(refund_vnd >= 0 && order.refunded_vnd + refund_vnd <= paid_vnd);
  const auto refund_index = static_cast<std::uint32_t>(refunds_.size());
  std::string refund_key = order.order_id;
  refund_key.push_back('\x1f');
  refund_key += refund_id;
  refunds_.push_back(RefundRecord{order_index, std::string(refund_id), refund_vnd});
  refund_by_key_.emplace(std::move(refund_key), refund_index);
  order.refunded_vnd += refund_vnd;
  const bool full = order.refunded_vnd == paid_vnd;
  if (full) order.status = OrderStatus::refunded;
  auto share = [&](std::int64_t earned) -> std::int64_t {
    if (paid_vnd == 0 || full) return earned;
    return multiply_divide(earned, order.refunded_vnd, paid_vnd, Rounding::down).value();
  };
  // Staff may have cancelled pending points already: a refund never takes back below zero.
  const Points buyer_back = std::max<Points>(0, share(order.buyer_points_earned) - order.buyer_points_reversed);
  const Points referrer_back = std::max<Points>(0, share(order.referrer_points_earned) - order.referrer_points_reversed);
  TierPoints tier_back = std::max<TierPoints>(0, share(order.tier_points_earned) - order.tier_points_reversed);

  // Inside the pending period the points are simply cancelled; after it they come out of
  // the member's balance (which may go negative, recovered from later points).
  struct Party { MemberIndex member; std::uint32_t lot; Points back; };
  const std::array<Party, 2> parties = {Party{order.member, order.buyer_lot, buyer_back},
                                        Party{order.referrer, order.referrer_lot, referrer_back}};
  std::array<PostingRequest, 3> postings{};
  std::size_t count = 0;
  Points reversed_from_balance = 0;
  for (const Party& party : parties) {
    if (party.back <= 0) continue;
    if (party.lot != no_index && lots_[party.lot].pending) {
      cancel_pending_lot(party.lot, party.back, time, actor, changes);
    } else {
      postings[++count] = {account_of(party.member, MemberAccount::points), -party.back};
      reversed_from_balance += party.back;
    }
  }
  if (reversed_from_balance > 0) {
    postings[0] = {account_of(SystemAccount::pool), reversed_from_balance};
    // The reversal counts from the order's completion, like what it reverses.
    const std::uint32_t transaction = ledger_.post(TransactionKind::order_reversal, time, order.completed_at_utc, refund_index,
                                                   actor, std::span(postings.data(), count + 1));
    changes.transactions.push_back(transaction);
    for (const Party& party : parties) {
      if (party.back <= 0 || (party.lot != no_index && lots_[party.lot].pending)) continue;
      members_[party.member].points_reversed += party.back;
      members_[party.member].debt_points += consume_lots(party.member, party.back, time, transaction, party.lot);
    }
  }
  // Tier points not yet counted (waiting for the pending period) are taken back first.
  const TierPoints from_deferred = std::min(order.tier_points_deferred, tier_back);
  order.tier_points_deferred -= from_deferred;
  order.tier_points_reversed += from_deferred;
  tier_back -= from_deferred;
  if (tier_back > 0) {
    const std::array<PostingRequest, 2> tier_postings = {
        PostingRequest{account_of(order.member, MemberAccount::tier_points), -tier_back},
        PostingRequest{account_of(SystemAccount::tier_genesis), tier_back}};
    changes.transactions.push_back(
        ledger_.post(TransactionKind::tier_reversal, time, order.completed_at_utc, refund_index, actor, tier_postings));
    add_tier_entry(order.member, order.completed_at_utc, -tier_back);
  }
  order.buyer_points_reversed += buyer_back;
  order.referrer_points_reversed += referrer_back;
  order.tier_points_reversed += tier_back;
  assert(order.buyer_points_reversed <= order.buyer_points_earned);
  assert(order.referrer_points_reversed <= order.referrer_points_earned);

  // Points the customer paid with come back in the same proportion, to the lots they came from.
  if (order.hold != no_index) {
    const PointsHold& hold = holds_[order.hold];
    const Points give = share(hold.points) - order.points_paid_returned;
    if (give > 0) {
      const std::array<PostingRequest, 2> returned = {PostingRequest{account_of(SystemAccount::redeemed), -give},
                                                      PostingRequest{account_of(order.member, MemberAccount::points), give}};
      changes.transactions.push_back(ledger_.post(TransactionKind::points_returned, time, time, refund_index, actor, returned));
      restore_portions(hold.transaction, order.points_paid_returned, give, time, changes);
      order.points_paid_returned += give;
      members_[order.member].points_returned += give;
      changes.events.push_back(Event{EventKind::points_returned, time, order.member, order_index, give});
    }
  }
  touch(order.member, changes);
  changes.events.push_back(Event{EventKind::points_reversed, time, order.member, order_index, buyer_back});
  if (order.referrer != no_member && referrer_back > 0) {
    touch(order.referrer, changes);
    changes.events.push_back(Event{EventKind::points_reversed, time, order.referrer, order_index, referrer_back});
  }
  evaluate_tier(order.member, time, TierChangeCause::refund, changes);
}

// ---------------------------------------------------------------------------------------------
// Manual adjustments

Result Store::adjust_points(const PointsAdjustment& adjustment, UtcSeconds time, Changes& changes) {
  changes.clear();
  Result invalid{ResultCode::invalid_field, {}};
  if (adjustment.points == 0) invalid.errors.push_back({"points", "phải khác 0", "must not be zero"});
  if (adjustment.points > amount_vnd_max || adjustment.points < -amount_vnd_max) {
    invalid.errors.push_back({"points", "vượt quá 10^15", "exceeds 10^15"});
  }
  if (adjustment.reason.find_first_not_of(" \t") == std::string::npos || adjustment.reason.size() > text_bytes_max ||
      !is_valid_utf8(adjustment.reason)) {
    invalid.errors.push_back({"reason", "bắt buộc: lý do điều chỉnh", "required: why the points are adjusted"});
  }
  if (adjustment.actor.empty() || adjustment.actor.size() > member_id_bytes_max) {
    invalid.errors.push_back({"actor", "bắt buộc: nhân viên thực hiện", "required: the staff member making it"});
  }
  if (!is_valid_key(adjustment.idempotency_key, order_id_bytes_max)) {
    invalid.errors.push_back({"idempotency_key", "bắt buộc: ký tự ASCII in được, không khoảng trắng",
                              "required: printable ASCII without spaces"});
  }
  if (!invalid.errors.empty()) return invalid;
  const MemberIndex member = find_member(adjustment.member_id);
  if (const auto known = adjustment_by_key_.find(adjustment.idempotency_key); known != adjustment_by_key_.end()) {
    const AdjustmentRecord& record = adjustments_[known->second];
    const bool same = record.member == member && record.points == adjustment.points && record.reason == adjustment.reason;
    return Result::failure(same ? ResultCode::already_applied : ResultCode::idempotency_key_conflict);
  }
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  if (adjustment.points > ledger_.balance(SystemAccount::pool)) return Result::failure(ResultCode::pool_exhausted);
  // Staff may take back only what the member has available: a correction never silently
  // creates a debt.
  if (adjustment.points < 0 && available_points(member) < -adjustment.points) return Result::failure(ResultCode::insufficient_points);
  // After this point the command must succeed.
  const auto record_index = static_cast<std::uint32_t>(adjustments_.size());
  const std::uint32_t actor = intern_actor(adjustment.actor);
  // Points given come from the pool; points taken go to the adjustments account, so the
  // store can see how much staff corrections removed.
  const AccountId source = adjustment.points > 0 ? account_of(SystemAccount::pool) : account_of(member, MemberAccount::points);
  const AccountId destination = adjustment.points > 0 ? account_of(member, MemberAccount::points) : account_of(SystemAccount::adjustments);
  const Points magnitude = adjustment.points > 0 ? adjustment.points : -adjustment.points;
  const std::array<PostingRequest, 2> postings = {PostingRequest{source, -magnitude}, PostingRequest{destination, magnitude}};
  const std::uint32_t transaction = ledger_.post(TransactionKind::manual_adjustment, time, time, record_index, actor, postings);
  if (adjustment.points > 0) {
    // Given points form a lot like earned ones, with the program's expiry.
    static const ProgramConfig no_program;
    const ProgramVersion* program = program_at(time);
    create_lot(member, no_index, magnitude, time, program ? program->config : no_program, false);
    members_[member].points_earned += magnitude;
  } else {
    const Points uncovered = consume_lots(member, magnitude, time, transaction);
    assert(uncovered == 0);
    members_[member].points_reversed += magnitude;
  }
  adjustments_.push_back(AdjustmentRecord{member, adjustment.points, adjustment.reason, adjustment.idempotency_key, actor, transaction});
  adjustment_by_key_.emplace(adjustment.idempotency_key, record_index);
  changes.transactions.push_back(transaction);
  touch(member, changes);
  changes.events.push_back(Event{EventKind::points_adjusted, time, member, no_index, adjustment.points});
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Invariants and size

std::string Store::check_invariants() const {
  if (std::string ledger_problem = ledger_.check_invariants(); !ledger_problem.empty()) return ledger_problem;
  for (std::size_t i = 0; i < orders_.size(); ++i) {
    const Order& order = orders_[i];
    if (order.buyer_points_reversed > order.buyer_points_earned || order.referrer_points_reversed > order.referrer_points_earned ||
        order.tier_points_reversed > order.tier_points_earned) {
      return "order " + order.order_id + " reversed more than it earned";
    }
    if (order.refunded_vnd > order.amounts.amount_vnd) return "order " + order.order_id + " refunded more than its amount";
  }
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    const Member& record = members_[member];
    Points available = 0, pending = 0;
    for (std::uint32_t lot_index : member_lots(member)) {
      const PointLot& lot = lots_[lot_index];
      if (lot.points_remaining < 0) return "a lot of member " + record.member_id + " holds less than nothing";
      if (lot.points_remaining > lot.points_earned) return "a lot of member " + record.member_id + " holds more than it earned";
      (lot.pending ? pending : available) += lot.points_remaining;
    }
    if (record.debt_points < 0) return "negative debt for member " + record.member_id;
    if (available - record.debt_points != ledger_.balance(member, MemberAccount::points)) {
      return "lots of member " + record.member_id + " disagree with the points balance";
    }
    if (pending != ledger_.balance(member, MemberAccount::pending)) return "pending lots of member " + record.member_id + " disagree";
    Points held = 0;
    for (const PointsHold& hold : holds_) held += hold.member == member && hold.state == HoldState::active ? hold.points : 0;
    if (held != ledger_.balance(member, MemberAccount::held)) return "holds of member " + record.member_id + " disagree";
    // available + pending + held = earned + received + returned - spent - expired - reversed - sent
    const Points statement = record.points_earned + record.points_received + record.points_returned - record.points_spent -
                             record.points_expired - record.points_reversed - record.points_sent;
    if (ledger_.balance(member, MemberAccount::points) + pending + held != statement) {
      return "the statement of member " + record.member_id + " does not add up";
    }
    TierPoints total = 0;
    for (const TierEntry& entry : members_[member].tier_history) total += entry.tier_points;
    if (total != ledger_.balance(member, MemberAccount::tier_points)) {
      return "tier history of member " + members_[member].member_id + " disagrees with the ledger";
    }
  }
  return {};
}

std::size_t Store::memory_bytes() const {
  auto string_heap = [](const std::string& text) { return text.capacity() > 15 ? text.capacity() + 1 : 0; };
  // An unordered_map node holds the pair and a next pointer; the bucket array one pointer per bucket.
  auto map_bytes = [&](const auto& map) {
    std::size_t bytes = map.bucket_count() * sizeof(void*);
    for (const auto& [key, value] : map) bytes += sizeof(key) + sizeof(value) + sizeof(void*) * 2 + string_heap(key);
    return bytes;
  };
  std::size_t bytes = ledger_.memory_bytes() + search_index_.memory_bytes();
  bytes += members_.capacity() * sizeof(Member);
  for (const Member& member : members_) {
    bytes += string_heap(member.member_id) + string_heap(member.card_number) + string_heap(member.phone) +
             string_heap(member.name) + string_heap(member.email);
  }
  for (const Member& member : members_) {
    bytes += member.tier_history.capacity() * sizeof(TierEntry);
  }
  bytes += lots_.memory_bytes() + lot_portions_.capacity() * sizeof(LotPortion) +
           holds_.capacity() * sizeof(PointsHold) + due_.capacity() * sizeof(DueItem) + hold_by_id_.memory_bytes();
  bytes += orders_.memory_bytes();
  for (const Order& order : orders_) bytes += string_heap(order.order_id);
  bytes += member_by_id_.memory_bytes() + member_by_phone_.memory_bytes() + member_by_card_.memory_bytes() +
           order_by_id_.memory_bytes() + map_bytes(refund_by_key_) + map_bytes(adjustment_by_key_) +
           refunds_.capacity() * sizeof(RefundRecord);
  return bytes;
}

}  // namespace loyalty
