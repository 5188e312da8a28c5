// auditor_model.cpp: the documented rules, written again from the documents (see the
// header). Every "Rule decided here" comment marks a choice the documents leave open.
#include "auditor_model.hpp"

#include <algorithm>
#include <functional>
#include <map>

namespace loyalty::auditor {

namespace {

std::string text_field(const Json& command, const char* key) {
  const auto field = command.find(key);
  return field != command.end() && field->is_string() ? field->get<std::string>() : std::string();
}

std::int64_t integer_field(const Json& command, const char* key) {
  const auto field = command.find(key);
  return field != command.end() && field->is_number_integer() ? field->get<std::int64_t>() : 0;
}

bool is_leap_year(std::int32_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// The highest enabled multiplier of a tier; x1 without one (or without a tier).
BasisPoints multiplier_bp_of(const ProgramConfig& config, int tier_index) {
  BasisPoints best = basis_points_per_whole;
  if (tier_index < 0) return best;
  for (const Perk& perk : config.tiers[static_cast<std::size_t>(tier_index)].perks) {
    if (perk.enabled && perk.type == PerkType::earning_multiplier) best = std::max(best, perk.multiplier_bp);
  }
  return best;
}

// Rule decided here: a tier with several enabled birthday perks gives the largest one.
Points birthday_bonus_of(const ProgramConfig& config, int tier_index) {
  Points best = 0;
  if (tier_index < 0) return best;
  for (const Perk& perk : config.tiers[static_cast<std::size_t>(tier_index)].perks) {
    if (perk.enabled && perk.type == PerkType::birthday_bonus) best = std::max(best, perk.birthday_bonus_points);
  }
  return best;
}

Prediction result(const char* code) { return Prediction{code, false}; }
Prediction any_refusal() { return Prediction{"refused", true}; }

}  // namespace

bool AuditorModel::DueItem::operator>(const DueItem& other) const {
  if (due_utc != other.due_utc) return due_utc > other.due_utc;
  if (kind != other.kind) return kind > other.kind;
  return index > other.index;
}

// ----- lookups ------------------------------------------------------------------------------
std::size_t AuditorModel::find_member(const std::string& member_id) const {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (members_[i].member_id == member_id) return i;
  }
  return none;
}

std::size_t AuditorModel::find_order(const std::string& order_id) const {
  for (std::size_t i = 0; i < orders_.size(); ++i) {
    if (orders_[i].order_id == order_id) return i;
  }
  return none;
}

std::size_t AuditorModel::find_hold(const std::string& hold_id) const {
  for (std::size_t i = 0; i < holds_.size(); ++i) {
    if (holds_[i].hold_id == hold_id) return i;
  }
  return none;
}

const ProgramVersion* AuditorModel::version_at(UtcSeconds time) const {
  const ProgramVersion* found = nullptr;
  for (const ProgramVersion& version : versions_) {
    if (version.effective_from_utc <= time) found = &version;
  }
  return found;
}

const TimeZone& AuditorModel::zone() const {
  static const TimeZone vietnam;
  return versions_.empty() ? vietnam : versions_.back().config.time_zone;
}

// The zone a read names its months in: the version in force at the read's time, the
// default zone (Asia/Ho_Chi_Minh) before any.
const TimeZone& AuditorModel::zone_at(UtcSeconds time) const {
  static const TimeZone vietnam;
  const ProgramVersion* version = version_at(time);
  return version == nullptr ? vietnam : version->config.time_zone;
}

std::optional<UtcSeconds> AuditorModel::read_time(const Json& command) {
  const auto field = command.find("time");
  if (field == command.end() || !field->is_string()) return std::nullopt;
  const std::string text = field->get<std::string>();
  // A full instant with a zone: "2026-02-01T09:00:00+07:00" or "...Z". A bare date or a
  // time without a zone is ambiguous and refused (docs: conventions).
  if (text.size() < 20 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  const bool zoned = text.back() == 'Z' ||
                     (text.size() >= 25 && (text[text.size() - 6] == '+' || text[text.size() - 6] == '-') && text[text.size() - 3] == ':');
  if (!zoned) return std::nullopt;
  return parse_utc_time(text);
}

// ----- tiers --------------------------------------------------------------------------------
int AuditorModel::tier_index_at(TierPoints tier_points, const ProgramConfig& config) const {
  int index = -1;
  for (std::size_t i = 0; i < config.tiers.size(); ++i) {
    if (config.tiers[i].tier_points_needed <= tier_points) index = static_cast<int>(i);
  }
  return index;
}

// "Only tier points of the last N calendar months count": at `time` the window holds what
// entered after the same local wall time N months earlier (the day clamped at a month's
// end) and not after `time`.
bool AuditorModel::in_window(UtcSeconds enter_utc, UtcSeconds time, std::int32_t window_months) const {
  if (enter_utc > time) return false;
  return window_months == 0 || add_months(time, -window_months, zone()) < enter_utc;
}

// The first moment tier points that entered at `enter_utc` are out of the window: N months
// later, or, when that day was clamped (entered on 31/08, 29/02), the next local midnight.
UtcSeconds AuditorModel::leaves_window_utc(UtcSeconds enter_utc, std::int32_t window_months) const {
  const UtcSeconds same_time_later = add_months(enter_utc, window_months, zone());
  if (add_months(same_time_later, -window_months, zone()) >= enter_utc) return same_time_later;
  const CivilDate day = local_date(same_time_later, zone());
  return local_midnight_utc(civil_from_days(days_from_civil(day) + 1), zone());
}

// The qualification period (docs: `tier_points`): a calendar year counts what is dated from
// the first moment of the year (its start month, 00:00 in the store's zone) on; a window
// the last N months; otherwise everything up to `time`.
// The first moment that counts at `time` (INT64_MIN: everything).
UtcSeconds AuditorModel::period_start_utc(UtcSeconds time, const ProgramConfig* config) const {
  if (config == nullptr) return INT64_MIN;
  const std::int32_t start_month = config->tier_points.calendar_year_start_month;
  if (start_month != 0) {
    const CivilDate today = local_date(time, config->time_zone);
    return local_midnight_utc(CivilDate{today.month >= start_month ? today.year : today.year - 1, start_month, 1}, config->time_zone);
  }
  // A window holds what entered after the same wall time N months earlier (see in_window).
  return config->tier_points.window_months == 0 ? INT64_MIN : add_months(time, -config->tier_points.window_months, zone()) + 1;
}

TierPoints AuditorModel::window_tier_points(std::size_t member, UtcSeconds time, std::size_t excluded_order) const {
  const ProgramVersion* version = version_at(time);
  const UtcSeconds start = period_start_utc(time, version != nullptr ? &version->config : nullptr);
  TierPoints total = 0;
  for (const TierEntry& entry : members_[member].tier_entries) {
    if (entry.order == excluded_order && excluded_order != none) continue;
    if (entry.enter_utc >= start && entry.enter_utc <= time) total += entry.tier_points;
  }
  return total;
}

std::int64_t AuditorModel::tier_measure(std::size_t member, UtcSeconds time) const {
  const ProgramVersion* version = version_at(time);
  const TierMeasure measure = version != nullptr ? version->config.tier_points.qualify_by : TierMeasure::tier_points;
  const UtcSeconds start = period_start_utc(time, version != nullptr ? &version->config : nullptr);
  std::int64_t total = 0;
  for (const TierEntry& entry : members_[member].tier_entries) {
    if (entry.enter_utc < start || entry.enter_utc > time) continue;
    total += measure == TierMeasure::spend_vnd ? entry.spend_vnd : measure == TierMeasure::order_count ? entry.orders : entry.tier_points;
  }
  return std::max<std::int64_t>(total, 0);
}

// Docs (`tier_retention`, `assign_tier`): a tier staff assigned is a floor while it lasts; a
// tier reached is kept `keep_months` from when the member entered it; after that a member
// below it falls to what they qualify for, or one tier at most.
int AuditorModel::tier_at(std::size_t member_index, UtcSeconds time) const {
  const ProgramVersion* version = version_at(time);
  if (version == nullptr) return -1;
  const ProgramConfig& config = version->config;
  const Member& member = members_[member_index];
  const int qualified = tier_index_at(tier_measure(member_index, time), config);
  if (!member.manual_tier_id.empty() && time < member.manual_end_utc) {
    int assigned = -1;
    for (std::size_t i = 0; i < config.tiers.size(); ++i) {
      if (config.tiers[i].id == member.manual_tier_id) assigned = static_cast<int>(i);
    }
    return std::max(qualified, assigned);
  }
  const int current = std::min(member.tier, static_cast<int>(config.tiers.size()) - 1);
  const TierRetentionConfig& retention = config.tier_retention;
  if (qualified >= current || (retention.keep_months == 0 && !retention.fall_at_most_one_tier)) return qualified;
  if (retention.keep_months > 0 && time < add_months(member.tier_since_utc, retention.keep_months, config.time_zone)) return current;
  return retention.fall_at_most_one_tier ? std::max(qualified, current - 1) : qualified;
}

// The tier is placed at the clock, under the version in force at the clock: a late order
// changes the tier only as it stands now (time model: late events).
void AuditorModel::place_tier(std::size_t member, PlaceCause cause, std::size_t order) { place_tier_at(member, clock_utc_, cause, order); }

// Something falling due places the tier at the moment it fell due. Going up gives the
// tier-up bonus of every tier reached on the way (docs: `tiers[i]`), lowest first, once per
// member, never for a tier staff assigned.
void AuditorModel::place_tier_at(std::size_t member_index, UtcSeconds at_utc, PlaceCause cause, std::size_t order) {
  const ProgramVersion* version = version_at(at_utc);
  if (version == nullptr) return;
  const int tier = tier_at(member_index, at_utc);
  Member& member = members_[member_index];
  if (tier == member.tier) return;
  const int before = member.tier;
  member.tier = tier;
  member.tier_since_utc = at_utc;
  if (tier <= before || cause == PlaceCause::manual) return;
  const ProgramConfig& config = version->config;
  for (int reached = std::max(before + 1, 0); reached <= tier; ++reached) {
    const std::uint32_t bit = 1u << static_cast<unsigned>(reached);
    const Points bonus = config.tiers[static_cast<std::size_t>(reached)].tier_up_bonus_points;
    if (bonus <= 0 || (members_[member_index].tier_up_given & bit) != 0) continue;
    members_[member_index].tier_up_given |= bit;
    const bool by_order = cause == PlaceCause::order;
    give_bonus(member_index, bonus, config, at_utc, by_order && config.pending.days > 0, by_order ? order : none);
  }
}

// An assigned tier ending (at its end, or staff ending it): the member is placed by what
// they qualify for, at once; retention does not keep a tier that was not earned.
void AuditorModel::end_manual_tier(std::size_t member_index, UtcSeconds at_utc) {
  Member& member = members_[member_index];
  member.manual_tier_id.clear();
  member.manual_end_utc = 0;
  const ProgramVersion* version = version_at(at_utc);
  if (version == nullptr) return;
  const int qualified = tier_index_at(tier_measure(member_index, at_utc), version->config);
  if (qualified == member.tier) return;
  member.tier = qualified;
  member.tier_since_utc = at_utc;
}

void AuditorModel::count_order_tier_points(std::size_t order_index, UtcSeconds enter_utc) {
  Order& order = orders_[order_index];
  if (order.tier_counted) return;
  order.tier_counted = true;
  order.tier_enter_utc = enter_utc;
  // Refunds made while the tier points waited already took their share: only the rest counts.
  const TierPoints counted = order.tier_points - order.tier_taken;
  if (counted > 0) {
    Member& member = members_[order.member];
    member.tier_entries.push_back(TierEntry{enter_utc, counted, order_index});
    member.tier_points_lifetime += counted;
  }
}

// ----- lots ---------------------------------------------------------------------------------
UtcSeconds AuditorModel::lot_expiry_utc(const ProgramConfig& config, UtcSeconds earned_utc) const {
  switch (config.expiry.rule) {
    case ExpiryRule::never: return never_utc;
    case ExpiryRule::months_after: return add_months(earned_utc, config.expiry.months, config.time_zone);
    case ExpiryRule::end_of_month_after: return end_of_month_after(earned_utc, config.expiry.months, config.time_zone);
  }
  return never_utc;
}

void AuditorModel::schedule(UtcSeconds due_utc, DueKind kind, std::size_t index) {
  if (due_utc == never_utc) return;
  due_heap_.push_back(DueItem{due_utc, kind, index});
  std::push_heap(due_heap_.begin(), due_heap_.end(), std::greater<DueItem>());
}

void AuditorModel::schedule_inactivity(std::size_t member) {
  schedule(inactivity_deadline_utc(members_[member]), DueKind::inactivity, member);
}

// A member's debt is recovered from the next points that become available (docs: refund).
std::size_t AuditorModel::credit_lot(std::size_t member_index, Points points, UtcSeconds expiry_utc, bool pending,
                                     UtcSeconds pending_end_utc, std::size_t order, bool buyer_lot) {
  Member& member = members_[member_index];
  Lot lot;
  lot.member = member_index;
  lot.remaining_points = points;
  lot.pending = pending;
  lot.pending_end_utc = pending_end_utc;
  lot.expiry_utc = expiry_utc;
  lot.order = order;
  lot.buyer_lot = buyer_lot;
  if (order != none) lot.order_id = orders_[order].order_id;
  if (!pending) {
    const Points recovered = std::min(member.debt_points, lot.remaining_points);
    member.debt_points -= recovered;
    lot.remaining_points -= recovered;
  }
  lots_.push_back(lot);
  const std::size_t index = lots_.size() - 1;
  member.lots.push_back(index);
  if (pending) schedule(pending_end_utc, DueKind::pending_end, index);
  schedule(expiry_utc, DueKind::lot_expiry, index);
  return index;
}

// Spends take the available lots that expire soonest first (ties: the older lot first).
std::vector<LotShare> AuditorModel::debit_available(std::size_t member_index, Points points) {
  std::vector<std::size_t> candidates;
  for (std::size_t lot : members_[member_index].lots) {
    if (!lots_[lot].pending && lots_[lot].remaining_points > 0) candidates.push_back(lot);
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](std::size_t a, std::size_t b) { return lots_[a].expiry_utc < lots_[b].expiry_utc; });
  std::vector<LotShare> shares;
  for (std::size_t lot : candidates) {
    if (points == 0) break;
    const Points taken = std::min(points, lots_[lot].remaining_points);
    lots_[lot].remaining_points -= taken;
    points -= taken;
    shares.push_back(LotShare{lot, taken});
  }
  return shares;
}

Points AuditorModel::available_points(std::size_t member_index) const {
  Points total = 0;
  for (std::size_t lot : members_[member_index].lots) {
    if (!lots_[lot].pending) total += lots_[lot].remaining_points;
  }
  return total - members_[member_index].debt_points;
}

void AuditorModel::expire_lot(std::size_t lot_index) {
  Lot& lot = lots_[lot_index];
  if (lot.pending || lot.remaining_points == 0) return;
  const Points expired = lot.remaining_points;
  lot.remaining_points = 0;
  lot.expired_points += expired;
  members_[lot.member].statement.expired += expired;
  expired_points_ += expired;
}

// Points given back to a lot (a hold released, points paid for a refunded order): into the
// lot they came from, with its expiry; a lot that has expired takes them and they expire
// at once (time model: late events).
// Rule decided here: a debt is recovered first from points that come back, also into a lot
// that has expired (only the rest expires).
void AuditorModel::return_to_lot(std::size_t lot_index, Points points, UtcSeconds at_utc) {
  Lot& lot = lots_[lot_index];
  Member& member = members_[lot.member];
  const Points recovered = std::min(member.debt_points, points);
  member.debt_points -= recovered;
  points -= recovered;
  if (lot.expiry_utc <= at_utc) {
    lot.expired_points += points;
    member.statement.expired += points;
    expired_points_ += points;
    return;
  }
  lot.remaining_points += points;
}

void AuditorModel::release_hold_points(std::size_t hold_index, HoldState state, UtcSeconds at_utc) {
  Hold& hold = holds_[hold_index];
  hold.state = state;
  members_[hold.member].held_points -= hold.points;
  for (const LotShare& share : hold.taken_from) return_to_lot(share.lot, share.points, at_utc);
}

void AuditorModel::release_pending_lot(std::size_t lot_index, UtcSeconds at_utc) {
  Lot& lot = lots_[lot_index];
  if (!lot.pending) return;
  lot.pending = false;
  Member& member = members_[lot.member];
  const Points recovered = std::min(member.debt_points, lot.remaining_points);
  member.debt_points -= recovered;
  lot.remaining_points -= recovered;
  // With `pending.tier_points` `when_available`, the order's tier points count from the
  // moment the buyer's points become available.
  // Rule decided here: that moment is the end of the pending period reckoned from the
  // order's own time (even when a late order is released at once, at the clock), or the
  // moment staff released it early.
  if (lot.buyer_lot && lot.order != none) {
    Order& order = orders_[lot.order];
    const ProgramVersion* version = version_at(order.completed_utc);
    if (version != nullptr && version->config.pending.tier_points_when_available && !order.tier_counted) {
      count_order_tier_points(lot.order, at_utc);
      // Placed when it happens: a late order's end of the pending period, at the clock.
      place_tier_at(lot.member, std::max(at_utc, clock_utc_));
    }
  }
}

void AuditorModel::expire_all_available(std::size_t member_index) {
  for (std::size_t lot : members_[member_index].lots) expire_lot(lot);
}

// ----- time passing -------------------------------------------------------------------------
// The inactivity rule counts from the later of the member's last completed order (or
// joining) and the moment the current inactivity setting took effect: the first of the
// latest run of versions with this inactivity_months.
UtcSeconds AuditorModel::inactivity_deadline_utc(const Member& member) const {
  if (versions_.empty()) return never_utc;
  const std::int32_t months = versions_.back().config.expiry.inactivity_months;
  if (months == 0) return never_utc;
  std::size_t first = versions_.size() - 1;
  while (first > 0 && versions_[first - 1].config.expiry.inactivity_months == months) --first;
  const UtcSeconds from_utc = std::max(member.last_order_utc, versions_[first].effective_from_utc);
  return add_months(from_utc, months, zone());
}

void AuditorModel::process_due_until(UtcSeconds until_utc) {
  while (!due_heap_.empty() && due_heap_.front().due_utc <= until_utc) {
    std::pop_heap(due_heap_.begin(), due_heap_.end(), std::greater<DueItem>());
    const DueItem item = due_heap_.back();
    due_heap_.pop_back();
    switch (item.kind) {
      case DueKind::pending_end: {
        const Lot& lot = lots_[item.index];
        if (lot.pending && lot.pending_end_utc == item.due_utc) release_pending_lot(item.index, item.due_utc);
        break;
      }
      case DueKind::hold_timeout: {
        const Hold& hold = holds_[item.index];
        if (hold.state == HoldState::active && hold.expires_utc == item.due_utc) {
          release_hold_points(item.index, HoldState::timed_out, item.due_utc);
        }
        break;
      }
      case DueKind::lot_expiry: {
        if (lots_[item.index].expiry_utc == item.due_utc) expire_lot(item.index);
        break;
      }
      case DueKind::manual_tier_end: {
        const Member& member = members_[item.index];
        if (!member.manual_tier_id.empty() && member.manual_end_utc == item.due_utc) end_manual_tier(item.index, std::max(item.due_utc, clock_utc_));
        break;
      }
      case DueKind::inactivity: {
        Member& member = members_[item.index];
        // The rule fires once per deadline. Rule decided here: points that arrive after
        // it fired (an adjustment, a transfer) stay until the next deadline, which only a
        // new completed order or a new inactivity setting sets.
        if (inactivity_deadline_utc(member) == item.due_utc && member.inactivity_fired_utc != item.due_utc) {
          member.inactivity_fired_utc = item.due_utc;
          expire_all_available(item.index);
        }
        break;
      }
    }
  }
}

// ----- commands -----------------------------------------------------------------------------
Prediction AuditorModel::apply(const Json& command) {
  const std::string name = text_field(command, "command");
  const std::optional<UtcSeconds> time = read_time(command);
  // A time that is not valid moves nothing (time model: the clock).
  if (!time) return result("invalid_field");
  // The clock moves through every write, even one then refused or already applied.
  if (*time > clock_utc_) {
    process_due_until(*time);
    clock_utc_ = *time;
  }
  Prediction prediction;
  if (name == "save_program") prediction = save_program(command, *time);
  else if (name == "create_member") prediction = create_member(command, *time);
  else if (name == "update_member") prediction = update_member(command);
  else if (name == "set_referrer") prediction = set_referrer(command, *time);
  else if (name == "order") prediction = order(command, *time);
  else if (name == "refund") {
    const std::string refund_id = text_field(command, "refund_id");
    const std::size_t order_index = find_order(text_field(command, "order_id"));
    if (refund_id == "full") prediction = result("invalid_field");
    else if (order_index == none) prediction = result("order_not_found");
    else prediction = refund(order_index, refund_id, integer_field(command, "amount_vnd"), *time,
                             command.contains("lines") ? command["lines"] : Json::array());
  }
  else if (name == "adjust_points") prediction = adjust_points(command);
  else if (name == "redeem_points") prediction = redeem_points(command);
  else if (name == "hold_points") prediction = hold_points(command);
  else if (name == "release_hold") prediction = release_hold(command);
  else if (name == "transfer_points") prediction = transfer_points(command);
  else if (name == "release_pending") prediction = pending_action(command, true);
  else if (name == "cancel_pending") prediction = pending_action(command, false);
  else if (name == "grant_birthday_bonuses") prediction = grant_birthday_bonuses();
  else if (name == "review_tiers") prediction = review_tiers();
  else if (name == "assign_tier") prediction = assign_tier(command, *time);
  else if (name == "save_group") prediction = save_group(command);
  else if (name == "process_due") prediction = result("ok");
  else prediction = result("unknown_command");
  // Whatever a late event made due at or before the clock happens at once, at the clock.
  process_due_until(clock_utc_);
  return prediction;
}

Prediction AuditorModel::save_program(const Json& command, UtcSeconds time) {
  const auto program = command.find("program");
  if (program == command.end()) return result("invalid_field");
  ProgramConfigReading reading = read_program_config(*program, "");
  if (!reading.config) return result("program_invalid");
  if (!versions_.empty() && time < versions_.back().given_time_utc) return result("program_time_before_latest");
  const Points pool_wanted = reading.config->wallet.initial_pool_points;
  if (!versions_.empty()) {
    const Points difference = pool_wanted - versions_.back().config.wallet.initial_pool_points;
    if (difference < 0 && pool_points_ < -difference) return result("invalid_field");
    pool_points_ += difference;
    points_funded_ += difference;
  } else {
    pool_points_ += pool_wanted;
    points_funded_ += pool_wanted;
  }
  // A version takes effect at the later of its time and the clock: never retroactively.
  versions_.push_back(ProgramVersion{*reading.config, time, std::max(time, clock_utc_)});
  for (std::size_t member = 0; member < members_.size(); ++member) {
    place_tier(member);
    schedule_inactivity(member);
  }
  return result("ok");
}

Prediction AuditorModel::create_member(const Json& command, UtcSeconds time) {
  const std::string member_id = text_field(command, "member_id");
  const std::string phone = text_field(command, "phone");
  const std::string name = text_field(command, "name");
  const std::string referrer_id = text_field(command, "referrer_id");
  for (const Member& member : members_) {
    if (member.phone == phone && member.name == name && (member_id.empty() || member.member_id == member_id)) {
      return result("already_applied");
    }
  }
  if (find_member(member_id) != none) return result("member_exists");
  for (const Member& member : members_) {
    if (member.phone == phone) return result("phone_taken");
  }
  std::size_t referrer = none;
  if (!referrer_id.empty()) {
    referrer = find_member(referrer_id);
    if (referrer == none) return result("referrer_not_found");
  }
  Member member;
  member.member_id = member_id;
  member.phone = phone;
  member.name = name;
  member.joined_utc = time;         // its own time, even when reported late
  member.last_order_utc = time;
  member.referrer = referrer;
  member.referrer_since_utc = time;
  member.email = text_field(command, "email");
  if (const auto birthday = command.find("birthday"); birthday != command.end() && birthday->is_object()) {
    member.birthday_day = static_cast<std::int32_t>(integer_field(*birthday, "day"));
    member.birthday_month = static_cast<std::int32_t>(integer_field(*birthday, "month"));
  }
  members_.push_back(member);
  place_tier(members_.size() - 1);
  schedule_inactivity(members_.size() - 1);
  // The welcome bonus (docs: `bonuses`), under the version in force at the clock, spendable at once.
  if (const ProgramVersion* version = version_at(clock_utc_); version != nullptr && version->config.bonuses.welcome_points > 0) {
    give_bonus(members_.size() - 1, version->config.bonuses.welcome_points, version->config, clock_utc_, false, none);
  }
  give_profile_bonus(members_.size() - 1);
  return result("ok");
}

Prediction AuditorModel::update_member(const Json& command) {
  const std::size_t index = find_member(text_field(command, "member_id"));
  if (index == none) return result("member_not_found");
  if (command.contains("phone")) {
    const std::string phone = text_field(command, "phone");
    for (std::size_t other = 0; other < members_.size(); ++other) {
      if (other != index && members_[other].phone == phone) return result("phone_taken");
    }
    members_[index].phone = phone;
  }
  Member& member = members_[index];
  if (command.contains("name")) member.name = text_field(command, "name");
  if (command.contains("email")) member.email = text_field(command, "email");
  if (command.contains("status")) member.blocked = text_field(command, "status") == "blocked";
  if (const auto birthday = command.find("birthday"); birthday != command.end()) {
    member.birthday_day = birthday->is_object() ? static_cast<std::int32_t>(integer_field(*birthday, "day")) : 0;
    member.birthday_month = birthday->is_object() ? static_cast<std::int32_t>(integer_field(*birthday, "month")) : 0;
  }
  give_profile_bonus(index);
  return result("ok");
}

// Docs (`bonuses`): once the name, phone, email and birthday are all known, under the
// version in force at the clock, spendable at once; never to a blocked card.
void AuditorModel::give_profile_bonus(std::size_t member_index) {
  const ProgramVersion* version = version_at(clock_utc_);
  Member& member = members_[member_index];
  if (version == nullptr || member.blocked || member.profile_bonus_given) return;
  const Points points = version->config.bonuses.profile_completion_points;
  if (points <= 0 || member.name.empty() || member.phone.empty() || member.email.empty() || member.birthday_day == 0) return;
  member.profile_bonus_given = true;
  give_bonus(member_index, points, version->config, clock_utc_, false, none);
}

Prediction AuditorModel::set_referrer(const Json& command, UtcSeconds time) {
  const std::size_t member = find_member(text_field(command, "member_id"));
  if (member == none) return result("member_not_found");
  const std::size_t referrer = find_member(text_field(command, "referrer_id"));
  if (referrer == none) return result("referrer_not_found");
  if (member == referrer) return result("self_referral");
  if (members_[member].referrer == referrer) return result("already_applied");
  if (members_[member].referrer != none) return result("referrer_already_set");
  for (std::size_t up = referrer; up != none; up = members_[up].referrer) {
    if (up == member) return result("referral_cycle");
  }
  members_[member].referrer = referrer;
  members_[member].referrer_since_utc = time;   // from its own time (time model)
  return result("ok");
}

Prediction AuditorModel::order(const Json& command, UtcSeconds time) {
  const std::string order_id = text_field(command, "order_id");
  const std::string status_name = text_field(command, "status");
  const std::string hold_id = text_field(command, "points_hold_id");
  const Vnd amount_vnd = integer_field(command, "amount_vnd");
  const Vnd shipping_vnd = integer_field(command, "shipping_vnd");
  const Vnd voucher_vnd = integer_field(command, "voucher_discount_vnd");
  Vnd paid_with_points_vnd = integer_field(command, "paid_with_points_vnd");
  const std::size_t hold = hold_id.empty() ? none : find_hold(hold_id);
  const std::size_t buyer = find_member(text_field(command, "member_id"));
  // Rule decided here: another member's hold says nothing about this order's amounts, so
  // it is refused as hold_member_mismatch (below) rather than as invalid_field.
  // The amounts as given must add up; the hold's value is checked against the order once
  // the hold is known to be active (below), so a stale hold is refused as such.
  if (shipping_vnd + voucher_vnd + paid_with_points_vnd > amount_vnd) return result("invalid_field");
  if (hold != none && buyer != none && holds_[hold].member == buyer) {
    // With a hold, paid_with_points_vnd is the hold's value: given equal, or left out.
    if (paid_with_points_vnd != 0 && paid_with_points_vnd != holds_[hold].value_vnd) return result("invalid_field");
    paid_with_points_vnd = holds_[hold].value_vnd;
  }
  const std::size_t member = find_member(text_field(command, "member_id"));
  if (member == none) return result("member_not_found");
  // A new order may not be dated before its member joined (issue 7): a field error on
  // `time`, checked before the hold.
  if (find_order(order_id) == none && time < members_[member].joined_utc) return result("invalid_field");
  if (!hold_id.empty() && hold == none) return result("hold_not_found");
  if (hold != none && holds_[hold].member != member) return result("hold_member_mismatch");
  // A hold that is another order's is refused before its state is looked at (docs: `order`,
  // results: invalid_field on points_hold_id comes before hold_not_active).
  if (hold != none) {
    const std::size_t this_order = find_order(order_id);
    for (std::size_t other = 0; other < orders_.size(); ++other) {
      if (other != this_order && orders_[other].hold_linked && orders_[other].hold_id == hold_id) return result("invalid_field");
    }
  }

  std::size_t known = find_order(order_id);
  if (known != none) {
    const Order& recorded = orders_[known];
    if (recorded.member != member) return result("order_member_mismatch");
    // A field left out or 0 is not compared.
    auto differs = [](Vnd given, Vnd kept) { return given != 0 && kept != 0 && given != kept; };
    if (differs(amount_vnd, recorded.amount_vnd) || differs(shipping_vnd, recorded.shipping_vnd) ||
        differs(voucher_vnd, recorded.voucher_discount_vnd) || differs(paid_with_points_vnd, recorded.paid_with_points_vnd)) {
      return result("order_amount_mismatch");
    }
  }
  const OrderStatus now = known != none ? orders_[known].status : OrderStatus::placed;
  if (status_name == "placed") {
    if (known != none) return result("already_applied");
  } else if (status_name == "completed") {
    if (known != none && (now == OrderStatus::completed || now == OrderStatus::refunded)) return result("already_applied");
    if (known != none && now == OrderStatus::cancelled) return result("order_already_cancelled");
  } else if (status_name == "cancelled") {
    if (known != none && (now == OrderStatus::completed || now == OrderStatus::refunded)) return result("order_already_completed");
    if (known != none && now == OrderStatus::cancelled) return result("already_applied");
  } else if (status_name == "refunded") {
    if (known == none || now == OrderStatus::placed || now == OrderStatus::cancelled) return result("order_not_completed");
    if (now == OrderStatus::refunded) return result("already_applied");
    Order& order = orders_[known];
    return refund(known, "full", order.paid_vnd - order.refunded_vnd, time);
  } else {
    return result("invalid_field");
  }
  // An order may not be dated before its member joined (issue 7); the documents do not say
  // with which code.
  if (time < members_[member].joined_utc) return any_refusal();

  // From here on the order is new, or a placed order moves on.
  Order candidate = known != none ? orders_[known] : Order{};
  if (known == none) {
    candidate.order_id = order_id;
    candidate.member = member;
    candidate.amount_vnd = amount_vnd;
    candidate.shipping_vnd = shipping_vnd;
    candidate.voucher_discount_vnd = voucher_vnd;
    candidate.paid_with_points_vnd = paid_with_points_vnd;
    if (const auto lines = command.find("lines"); lines != command.end() && lines->is_array()) {
      for (const Json& line : *lines) {
        OrderLine recorded;
        recorded.product_id = text_field(line, "product_id");
        recorded.category = text_field(line, "category");
        recorded.quantity = line.contains("quantity") ? integer_field(line, "quantity") : 1;
        recorded.amount_vnd = integer_field(line, "amount_vnd");
        candidate.lines.push_back(recorded);
      }
    }
  }
  // A hold named on `placed` stays the order's hold when a later event leaves it out
  // (defect 10).
  if (candidate.hold_id.empty() && hold != none) {
    candidate.hold_id = hold_id;
    candidate.paid_with_points_vnd = paid_with_points_vnd;
    candidate.hold_linked = status_name != "cancelled";
  }
  if (status_name == "placed") {
    // A checkout may not reserve a hold that is no longer active (docs: `order`, results).
    if (hold != none && holds_[hold].state != HoldState::active) return result("hold_not_active");
    orders_.push_back(candidate);
    return result("ok");
  }
  if (status_name == "cancelled") {
    // A cancellation releases the order's hold.
    const std::size_t order_hold = candidate.hold_id.empty() ? none : find_hold(candidate.hold_id);
    if (order_hold != none && holds_[order_hold].state == HoldState::active) {
      release_hold_points(order_hold, HoldState::released, clock_utc_);
    }
    candidate.status = OrderStatus::cancelled;
    if (known == none) orders_.push_back(candidate);
    else orders_[known] = candidate;
    return result("ok");
  }
  // completed
  // Rule decided here: a blocked card is refused after the status checks (a retry of a
  // completion still answers already_applied) and before the hold's checks.
  if (members_[member].blocked) return result("member_blocked");
  const std::size_t order_hold = candidate.hold_id.empty() ? none : find_hold(candidate.hold_id);
  if (order_hold != none && holds_[order_hold].state != HoldState::active) return result("hold_not_active");
  const ProgramVersion* version = version_at(time);
  if (version == nullptr) return result("program_not_set");
  const ProgramConfig& config = version->config;
  // A hold may pay at most max_share_bp of the order it pays (defect 2). Rule decided
  // here: refused as points_share_exceeded, with the share of the version in force at
  // the order's time.
  if (order_hold != none &&
      static_cast<__int128>(holds_[order_hold].value_vnd) * basis_points_per_whole >
          static_cast<__int128>(config.pay_with_points.max_share_bp) * candidate.amount_vnd) {
    return result("points_share_exceeded");
  }
  // The held points must fit in the order beside shipping and the voucher discount.
  if (order_hold != none && candidate.shipping_vnd + candidate.voucher_discount_vnd + holds_[order_hold].value_vnd > candidate.amount_vnd) {
    return result("invalid_field");
  }
  // What the order earns, valued at its own time.
  Vnd earn_base_vnd = candidate.amount_vnd - candidate.voucher_discount_vnd - candidate.paid_with_points_vnd -
                      (config.wallet.exclude_shipping ? candidate.shipping_vnd : 0);
  earn_base_vnd = std::max<Vnd>(earn_base_vnd, 0);
  const int tier_before = tier_at(member, time);
  const BasisPoints multiplier_bp = multiplier_bp_of(config, tier_before);
  // A promotion (docs: `promotions[i]`) in force at the order's time, for the buyer's tier
  // or group or everyone: the highest multiplier. Rule decided here: among equal ones, the
  // first listed. `multiply` multiplies the tier's multiplier, `highest` takes the higher.
  const Promotion* promotion = nullptr;
  for (const Promotion& candidate_promotion : config.promotions) {
    if (time < candidate_promotion.starts_at_utc || time >= candidate_promotion.ends_at_utc) continue;
    if (!candidate_promotion.tier_id.empty() &&
        (tier_before < 0 || config.tiers[static_cast<std::size_t>(tier_before)].id != candidate_promotion.tier_id)) continue;
    if (!candidate_promotion.group_id.empty() && !in_group(member, candidate_promotion.group_id)) continue;
    if (promotion == nullptr || candidate_promotion.multiplier_bp > promotion->multiplier_bp) promotion = &candidate_promotion;
  }
  __int128 multiplier_numerator = multiplier_bp, multiplier_denominator = 1;
  if (promotion != nullptr && promotion->combine == PromotionCombine::multiply) {
    multiplier_numerator = static_cast<__int128>(multiplier_bp) * promotion->multiplier_bp;
    multiplier_denominator = basis_points_per_whole;
  } else if (promotion != nullptr) {
    multiplier_numerator = std::max<BasisPoints>(multiplier_bp, promotion->multiplier_bp);
  }
  // With lines (docs: `earning`): the earn base shared by amount over the lines, the goods
  // not listed and shipping when it earns, each share rounded down with the rest carried
  // on; excluded lines weigh nothing; a category multiplier weighs its lines' buyer points.
  // Without lines: one part at x1, which is the rule without lines.
  struct Part { Vnd amount_vnd; BasisPoints multiplier_bp; bool excluded; Vnd base_vnd = 0; };
  std::vector<Part> parts;
  if (candidate.lines.empty()) {
    parts.push_back({earn_base_vnd, basis_points_per_whole, false});
  } else {
    Vnd listed_vnd = 0;
    for (const OrderLine& line : candidate.lines) {
      bool excluded = false;
      for (const std::string& category : config.earning.excluded_categories) excluded = excluded || (!line.category.empty() && category == line.category);
      for (const std::string& product : config.earning.excluded_products) excluded = excluded || product == line.product_id;
      BasisPoints line_multiplier_bp = basis_points_per_whole;
      for (const CategoryMultiplier& entry : config.earning.category_multipliers) {
        if (!line.category.empty() && entry.category == line.category) line_multiplier_bp = entry.multiplier_bp;
      }
      parts.push_back({line.amount_vnd, line_multiplier_bp, excluded});
      listed_vnd += line.amount_vnd;
    }
    if (candidate.amount_vnd - candidate.shipping_vnd - listed_vnd > 0) {
      parts.push_back({candidate.amount_vnd - candidate.shipping_vnd - listed_vnd, basis_points_per_whole, false});
    }
    if (!config.wallet.exclude_shipping && candidate.shipping_vnd > 0) parts.push_back({candidate.shipping_vnd, basis_points_per_whole, false});
  }
  // Cumulative shares: part i gets floor(total × weight up to i ÷ all) − what came before.
  auto share_out = [](std::int64_t total, const std::vector<__int128>& weights) {
    __int128 all = 0;
    for (__int128 weight : weights) all += weight;
    std::vector<std::int64_t> shares;
    __int128 running = 0;
    std::int64_t given = 0;
    for (__int128 weight : weights) {
      running += weight;
      const std::int64_t upto = all == 0 ? 0 : static_cast<std::int64_t>(static_cast<__int128>(total) * running / all);
      shares.push_back(upto - given);
      given = upto;
    }
    return shares;
  };
  std::vector<__int128> amount_weights, buyer_weights, earning_weights;
  for (const Part& part : parts) amount_weights.push_back(part.amount_vnd);
  const std::vector<std::int64_t> bases = share_out(earn_base_vnd, amount_weights);
  __int128 weighted_base = 0;
  Vnd earning_base_vnd = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Vnd base = parts[i].excluded ? 0 : bases[i];
    buyer_weights.push_back(static_cast<__int128>(base) * parts[i].multiplier_bp);
    earning_weights.push_back(base);
    weighted_base += static_cast<__int128>(base) * parts[i].multiplier_bp;
    earning_base_vnd += base;
  }
  const Points buyer_points = divide_rounded(weighted_base * config.wallet.buyer_earn_rate_bp * multiplier_numerator,
                                             static_cast<__int128>(basis_points_per_whole) * basis_points_per_whole *
                                                 basis_points_per_whole * multiplier_denominator * config.wallet.point_value_vnd,
                                             config.wallet.rounding).value_or(0);
  // The referrer the buyer had at the order's time (set at or before it) earns, unless
  // the referrer's card is blocked (defects 7 and 8).
  const std::size_t referrer = members_[member].referrer;
  const bool referrer_earns = referrer != none && members_[member].referrer_since_utc <= time && !members_[referrer].blocked;
  const Points referrer_points =
      referrer_earns ? divide_rounded(static_cast<__int128>(earning_base_vnd) * config.wallet.referrer_earn_rate_bp,
                                      static_cast<__int128>(basis_points_per_whole) * config.wallet.point_value_vnd,
                                      config.wallet.rounding).value_or(0)
                     : 0;
  const TierPoints tier_points = earning_base_vnd / config.tier_points.vnd_per_tier_point;
  {
    const std::vector<std::int64_t> buyer_shares = share_out(buyer_points, buyer_weights);
    const std::vector<std::int64_t> referrer_shares = share_out(referrer_points, earning_weights);
    const std::vector<std::int64_t> tier_shares = share_out(tier_points, earning_weights);
    for (std::size_t i = 0; i < candidate.lines.size(); ++i) {
      candidate.lines[i].buyer_points = buyer_shares[i];
      candidate.lines[i].referrer_points = referrer_shares[i];
      candidate.lines[i].tier_points = tier_shares[i];
    }
  }
  // Bonuses of a member's first completed order (docs: `bonuses`): checked with the order's points.
  const bool first_order = !members_[member].completed_an_order;
  const Points first_order_bonus = first_order ? config.bonuses.first_order_points : 0;
  const Points referrer_bonus = first_order && referrer_earns ? config.bonuses.referral_referrer_points : 0;
  const Points new_member_bonus = first_order && referrer_earns ? config.bonuses.referral_new_member_points : 0;
  if (pool_points_ < buyer_points + referrer_points + first_order_bonus + referrer_bonus + new_member_bonus) {
    return result("pool_exhausted");
  }

  // After this point the completion succeeds.
  if (known == none) {
    orders_.push_back(candidate);
    known = orders_.size() - 1;
  } else {
    orders_[known] = candidate;
  }
  Order& order = orders_[known];
  order.status = OrderStatus::completed;
  order.completed_utc = time;
  order.paid_vnd = order.amount_vnd - order.voucher_discount_vnd - order.paid_with_points_vnd;
  order.buyer_points = buyer_points;
  order.referrer_points = referrer_points;
  order.tier_points = tier_points;
  pool_points_ -= buyer_points + referrer_points;
  const bool pending = config.pending.days > 0;
  const UtcSeconds pending_end_utc = time + static_cast<UtcSeconds>(config.pending.days) * seconds_per_day;
  const UtcSeconds expiry_utc = lot_expiry_utc(config, time);
  const bool tier_waits = pending && config.pending.tier_points_when_available;
  // The buyer's lot exists even with no points when tier points wait for it, so that they
  // count when it becomes available.
  if (buyer_points > 0 || tier_waits) {
    order.buyer_lot = credit_lot(member, buyer_points, expiry_utc, pending, pending_end_utc, known, true);
    members_[member].statement.earned += buyer_points;
  }
  if (referrer_points > 0) {
    orders_[known].referrer_lot = credit_lot(referrer, referrer_points, expiry_utc, pending, pending_end_utc, known, false);
    members_[referrer].statement.earned += referrer_points;
  }
  if (!tier_waits) count_order_tier_points(known, time);
  // Tiers by spend or by orders count the order at its completion, pending or not.
  if (config.tier_points.qualify_by != TierMeasure::tier_points) {
    const Vnd goods_vnd = config.wallet.exclude_shipping ? order.paid_vnd - order.shipping_vnd : order.paid_vnd;
    members_[member].tier_entries.push_back(TierEntry{time, 0, known, goods_vnd > 0 ? goods_vnd : order.paid_vnd, 1});
  }
  members_[member].completed_an_order = true;
  give_bonus(member, first_order_bonus, config, time, pending, known);
  if (referrer_bonus > 0) give_bonus(referrer, referrer_bonus, config, time, pending, known);
  give_bonus(member, new_member_bonus, config, time, pending, known);
  if (order_hold != none) {
    Hold& paying = holds_[order_hold];
    paying.state = HoldState::captured;
    members_[member].held_points -= paying.points;
    members_[member].statement.spent += paying.points;
    redeemed_points_ += paying.points;
    orders_[known].held_points_paid = paying.points;
  }
  members_[member].last_order_utc = std::max(members_[member].last_order_utc, time);
  schedule_inactivity(member);
  place_tier(member, PlaceCause::order, known);
  return result("ok");
}

// Takes back an order party's points up to `target_points` in all. Rule decided here
// (issue 7, defect 9: "full refund takes back everything earned still takeable"): what
// expired out of the order's lot is gone already and is never taken again; the rest comes
// from the order's own lot first (pending points are cancelled), then from the member's
// other available lots, soonest expiry first, and what is still missing becomes debt.
void AuditorModel::take_back(std::size_t order_index, bool buyer, Points target_points) {
  Order& order = orders_[order_index];
  const std::size_t lot_index = buyer ? order.buyer_lot : order.referrer_lot;
  const Points earned = buyer ? order.buyer_points : order.referrer_points;
  Points& taken = buyer ? order.buyer_taken : order.referrer_taken;
  if (lot_index == none || earned == 0) return;
  const Points takeable = earned - lots_[lot_index].expired_points;
  const Points delta = std::min(target_points, takeable) - taken;
  if (delta <= 0) return;
  taken += delta;
  Lot& lot = lots_[lot_index];
  Member& member = members_[lot.member];
  pool_points_ += delta;
  member.statement.reversed += delta;
  const Points from_lot = std::min(delta, lot.remaining_points);
  lot.remaining_points -= from_lot;
  if (lot.pending) return;   // pending points are simply cancelled: the lot held them all
  Points missing = delta - from_lot;
  for (const LotShare& share : debit_available(lot.member, missing)) missing -= share.points;
  member.debt_points += missing;
}

void AuditorModel::cancel_pending_of_order(std::size_t order_index) {
  Order& order = orders_[order_index];
  for (bool buyer : {true, false}) {
    const std::size_t lot_index = buyer ? order.buyer_lot : order.referrer_lot;
    if (lot_index == none || !lots_[lot_index].pending) continue;
    Lot& lot = lots_[lot_index];
    const Points cancelled = lot.remaining_points;
    lot.remaining_points = 0;
    lot.pending = false;
    (buyer ? order.buyer_taken : order.referrer_taken) += cancelled;
    pool_points_ += cancelled;
    members_[lot.member].statement.reversed += cancelled;
    // Tier points waiting for the buyer's points never count.
    if (buyer && !order.tier_counted) order.tier_taken = order.tier_points;
  }
  // Its pending bonuses go back to the pool too; like a refund's, they are not given again.
  for (OrderBonus& bonus : order.bonuses) {
    Lot& lot = lots_[bonus.lot];
    if (bonus.reversed || !lot.pending || lot.remaining_points == 0) continue;
    bonus.reversed = true;
    pool_points_ += lot.remaining_points;
    members_[lot.member].statement.reversed += lot.remaining_points;
    lot.remaining_points = 0;
    lot.pending = false;
  }
}

void AuditorModel::give_bonus(std::size_t member, Points points, const ProgramConfig& config, UtcSeconds earned_utc, bool pending,
                              std::size_t order) {
  if (points <= 0 || points > pool_points_) return;
  pool_points_ -= points;
  const UtcSeconds pending_end_utc = earned_utc + static_cast<UtcSeconds>(config.pending.days) * seconds_per_day;
  const std::size_t lot = credit_lot(member, points, lot_expiry_utc(config, earned_utc), pending, pending_end_utc, order, false);
  members_[member].statement.earned += points;
  if (order != none) orders_[order].bonuses.push_back(OrderBonus{lot, points, false});
}

Prediction AuditorModel::refund(std::size_t order_index, const std::string& refund_id, Vnd amount_vnd, UtcSeconds time,
                                const Json& refund_lines) {
  Order& order = orders_[order_index];
  if (refund_id != "full") {
    for (const Refund& earlier : order.refunds) {
      if (earlier.refund_id == refund_id) return result(earlier.amount_vnd == amount_vnd ? "already_applied" : "refund_conflict");
    }
    if (order.status == OrderStatus::refunded) return result("order_already_refunded");
    if (order.status != OrderStatus::completed) return result("order_not_completed");
  }
  // A refund may not be dated before its order completed (issue 7); the code is not documented.
  if (time < order.completed_utc) return any_refusal();
  if (amount_vnd > order.paid_vnd - order.refunded_vnd) return result("refund_exceeds_order");
  // Named lines: lines of the order, each once, at most what is left of it (docs: `refund`).
  std::vector<std::pair<std::size_t, std::int64_t>> returned;
  for (const Json& named : refund_lines) {
    const std::string product_id = text_field(named, "product_id");
    const std::int64_t quantity = integer_field(named, "quantity");
    std::size_t found = none;
    for (std::size_t i = 0; i < order.lines.size(); ++i) {
      if (order.lines[i].product_id == product_id) found = i;
    }
    if (found == none) return result("invalid_field");
    for (const auto& [earlier, count] : returned) {
      if (earlier == found) return result("invalid_field");
    }
    if (quantity < 1 || quantity > order.lines[found].quantity - order.lines[found].returned) return result("invalid_field");
    returned.emplace_back(found, quantity);
  }

  const Vnd refunded_before_vnd = order.refunded_vnd;
  order.refunds.push_back(Refund{refund_id, amount_vnd});
  order.refunded_vnd += amount_vnd;
  const bool full = order.refunded_vnd == order.paid_vnd;
  auto share_of = [&](std::int64_t whole) -> std::int64_t {
    if (full) return whole;
    return static_cast<std::int64_t>(static_cast<__int128>(whole) * order.refunded_vnd / order.paid_vnd);
  };
  // By lines: what the named lines earned for the quantity returned (rounded down, the
  // line's last unit taking the rest), on top of what was taken before; the refund that
  // ends the order takes everything left.
  Points buyer_target = share_of(order.buyer_points), referrer_target = share_of(order.referrer_points);
  TierPoints tier_target = share_of(order.tier_points);
  if (!returned.empty() && !full) {
    buyer_target = order.buyer_taken;
    referrer_target = order.referrer_taken;
    tier_target = order.tier_taken;
    for (const auto& [index, returned_quantity] : returned) {
      OrderLine& line = order.lines[index];
      const auto quantity = returned_quantity;   // a lambda may not capture a structured binding in Emscripten's clang
      auto part = [&](std::int64_t earned) {
        return static_cast<std::int64_t>(static_cast<__int128>(earned) * (line.returned + quantity) / line.quantity) -
               static_cast<std::int64_t>(static_cast<__int128>(earned) * line.returned / line.quantity);
      };
      buyer_target += part(line.buyer_points);
      referrer_target += part(line.referrer_points);
      tier_target += part(line.tier_points);
    }
  }
  tier_target = std::min(tier_target, order.tier_points);
  for (const auto& [index, quantity] : returned) order.lines[index].returned += quantity;
  // Points earned first, then tier points, then the points paid come back (docs: the
  // example of DH-2004).
  take_back(order_index, true, buyer_target);
  take_back(order_index, false, referrer_target);
  if (tier_target > order.tier_taken) {
    const TierPoints delta = tier_target - order.tier_taken;
    order.tier_taken = tier_target;
    if (order.tier_counted) {
      Member& member = members_[order.member];
      // The reversal counts from the order's completion: as if never earned.
      member.tier_entries.push_back(TierEntry{order.tier_enter_utc, -delta, order_index});
      member.tier_points_lifetime -= delta;
    }
  }
  // Tiers by spend or orders: the refunded money for goods, and the order itself when
  // refunded in full, leave from the order's completion.
  if (const ProgramVersion* order_version = version_at(order.completed_utc);
      order_version != nullptr && order_version->config.tier_points.qualify_by != TierMeasure::tier_points) {
    const Vnd goods_vnd = order_version->config.wallet.exclude_shipping && order.paid_vnd - order.shipping_vnd > 0
                              ? order.paid_vnd - order.shipping_vnd : order.paid_vnd;
    const Vnd spend_back_vnd = std::min(order.refunded_vnd, goods_vnd) - std::min(refunded_before_vnd, goods_vnd);
    const std::int64_t orders_back = order.refunded_vnd == order.paid_vnd ? 1 : 0;
    if (spend_back_vnd != 0 || orders_back != 0) {
      members_[order.member].tier_entries.push_back(TierEntry{order.completed_utc, 0, order_index, -spend_back_vnd, -orders_back});
    }
  }
  if (order.held_points_paid > 0) {
    const Points target = share_of(order.held_points_paid);
    Points to_return = target - order.points_returned;
    if (to_return > 0) {
      const std::size_t hold_index = find_hold(order.hold_id);
      // Back into the lots they came from, in the order they were taken (soonest expiry
      // first: the docs' example gives DH-2001's referrer points back to Bình first).
      Points skip = order.points_returned;
      order.points_returned = target;
      redeemed_points_ -= to_return;
      members_[order.member].statement.returned += to_return;
      for (const LotShare& share : holds_[hold_index].taken_from) {
        Points available_here = share.points;
        const Points skipped = std::min(skip, available_here);
        skip -= skipped;
        available_here -= skipped;
        const Points given = std::min(available_here, to_return);
        if (given > 0) return_to_lot(share.lot, given, clock_utc_);
        to_return -= given;
        if (to_return == 0) break;
      }
    }
  }
  // The order's bonuses go back when it is refunded in full within its pending period (at
  // the clock, which a late refund is applied at): still pending, what the lot holds; else
  // what has not expired, from the bonus's lot first, then soonest expiry, then as debt.
  const ProgramVersion* bonus_version = version_at(order.completed_utc);
  if (full && bonus_version != nullptr &&
      clock_utc_ < order.completed_utc + static_cast<UtcSeconds>(bonus_version->config.pending.days) * seconds_per_day) {
    for (OrderBonus& bonus : order.bonuses) {
      if (bonus.reversed) continue;
      bonus.reversed = true;
      Lot& lot = lots_[bonus.lot];
      Member& holder = members_[lot.member];
      const Points back = lot.pending ? lot.remaining_points : bonus.points - lot.expired_points;
      if (back <= 0) continue;
      pool_points_ += back;
      holder.statement.reversed += back;
      const Points from_lot = std::min(back, lot.remaining_points);
      lot.remaining_points -= from_lot;
      if (lot.pending) continue;
      Points missing = back - from_lot;
      for (const LotShare& share : debit_available(lot.member, missing)) missing -= share.points;
      holder.debt_points += missing;
    }
  }
  if (full) order.status = OrderStatus::refunded;
  place_tier(order.member);
  return result("ok");
}

Prediction AuditorModel::adjust_points(const Json& command) {
  const std::string key = text_field(command, "idempotency_key");
  const std::string member_id = text_field(command, "member_id");
  const std::string reason = text_field(command, "reason");
  const Points points = integer_field(command, "points");
  if (points == 0) return result("invalid_field");
  for (const Adjustment& earlier : adjustments_) {
    if (earlier.idempotency_key == key) {
      return result(earlier.member_id == member_id && earlier.points == points && earlier.reason == reason ? "already_applied"
                                                                                                            : "idempotency_key_conflict");
    }
  }
  const std::size_t member = find_member(member_id);
  if (member == none) return result("member_not_found");
  if (points > 0 && pool_points_ < points) return result("pool_exhausted");
  if (points < 0 && available_points(member) < -points) return result("insufficient_points");
  adjustments_.push_back(Adjustment{key, member_id, reason, points});
  if (points > 0) {
    const ProgramVersion* version = latest_version();
    pool_points_ -= points;
    credit_lot(member, points, version != nullptr ? lot_expiry_utc(version->config, clock_utc_) : never_utc, false, 0, none, false);
    members_[member].statement.earned += points;
  } else {
    debit_available(member, -points);
    adjustments_points_ += -points;
    members_[member].statement.spent += -points;
  }
  return result("ok");
}

Prediction AuditorModel::redeem_points(const Json& command) {
  const std::string redemption_id = text_field(command, "redemption_id");
  const std::size_t member = find_member(text_field(command, "member_id"));
  const Points points = integer_field(command, "points");
  if (member == none) return result("member_not_found");
  for (const Redemption& earlier : redemptions_) {
    if (earlier.redemption_id == redemption_id) {
      return result(earlier.member == member && earlier.points == points ? "already_applied" : "idempotency_key_conflict");
    }
  }
  // Rule decided here: a blocked card is refused after the retry checks.
  if (members_[member].blocked) return result("member_blocked");
  if (available_points(member) < points) return result("insufficient_points");
  redemptions_.push_back(Redemption{redemption_id, member, points});
  debit_available(member, points);
  redeemed_points_ += points;
  members_[member].statement.spent += points;
  return result("ok");
}

Prediction AuditorModel::hold_points(const Json& command) {
  const std::string hold_id = text_field(command, "hold_id");
  const std::size_t member = find_member(text_field(command, "member_id"));
  const Points points = integer_field(command, "points");
  const Vnd order_amount_vnd = integer_field(command, "order_amount_vnd");
  if (member == none) return result("member_not_found");
  if (const std::size_t earlier = find_hold(hold_id); earlier != none) {
    return result(holds_[earlier].member == member && holds_[earlier].points == points ? "already_applied"
                                                                                        : "idempotency_key_conflict");
  }
  if (members_[member].blocked) return result("member_blocked");
  const ProgramVersion* version = version_at(clock_utc_);
  if (version == nullptr) return result("program_not_set");
  const ProgramConfig& config = version->config;
  const Vnd value_vnd = points * config.wallet.point_value_vnd;
  if (static_cast<__int128>(value_vnd) * basis_points_per_whole >
      static_cast<__int128>(config.pay_with_points.max_share_bp) * order_amount_vnd) {
    return result("points_share_exceeded");
  }
  if (available_points(member) < points) return result("insufficient_points");
  Hold hold;
  hold.hold_id = hold_id;
  hold.member = member;
  hold.points = points;
  hold.value_vnd = value_vnd;
  hold.expires_utc = clock_utc_ + config.pay_with_points.hold_timeout_s;   // applied at the clock
  hold.taken_from = debit_available(member, points);
  holds_.push_back(hold);
  members_[member].held_points += points;
  schedule(hold.expires_utc, DueKind::hold_timeout, holds_.size() - 1);
  return result("ok");
}

Prediction AuditorModel::release_hold(const Json& command) {
  const std::size_t hold = find_hold(text_field(command, "hold_id"));
  if (hold == none) return result("hold_not_found");
  if (holds_[hold].state == HoldState::released || holds_[hold].state == HoldState::timed_out) return result("already_applied");
  if (holds_[hold].state == HoldState::captured) return result("hold_already_captured");
  release_hold_points(hold, HoldState::released, clock_utc_);
  return result("ok");
}

Prediction AuditorModel::transfer_points(const Json& command) {
  const std::string transfer_id = text_field(command, "transfer_id");
  const std::string from_id = text_field(command, "from_member_id");
  const std::string to_id = text_field(command, "to_member_id");
  const Points points = integer_field(command, "points");
  if (from_id == to_id) return result("invalid_field");
  const std::size_t from = find_member(from_id);
  const std::size_t to = find_member(to_id);
  if (from == none || to == none) return result("member_not_found");
  for (const Transfer& earlier : transfers_) {
    if (earlier.transfer_id == transfer_id) {
      return result(earlier.from == from && earlier.points == points ? "already_applied" : "idempotency_key_conflict");
    }
  }
  // Rule decided here: only the sender's blocked card refuses a transfer (the generator
  // never sends to a blocked receiver, which the documents leave open).
  if (members_[from].blocked) return result("member_blocked");
  const ProgramVersion* version = version_at(clock_utc_);
  if (version == nullptr) return result("program_not_set");
  const TransferConfig& rules = version->config.transfers;
  if (!rules.enabled) return result("transfers_disabled");
  if (available_points(from) < points + rules.minimum_balance_points) return result("insufficient_points");
  // The limit counts the local day of the clock, in the program's zone.
  const std::int64_t today = days_from_civil(local_date(clock_utc_, version->config.time_zone));
  Points sent_today = 0;
  for (const TransferSent& sent : members_[from].transfers_sent) {
    if (sent.local_day == today) sent_today += sent.points;
  }
  if (rules.daily_limit_points > 0 && sent_today + points > rules.daily_limit_points) return result("transfer_limit_reached");
  transfers_.push_back(Transfer{transfer_id, from, points});
  members_[from].transfers_sent.push_back(TransferSent{today, points});
  members_[from].statement.sent += points;
  members_[to].statement.received += points;
  // The receiver's lots keep the expiry of the points given: a transfer never extends a life.
  for (const LotShare& share : debit_available(from, points)) {
    credit_lot(to, share.points, lots_[share.lot].expiry_utc, false, 0, none, false);
  }
  return result("ok");
}

Prediction AuditorModel::pending_action(const Json& command, bool release) {
  const std::size_t order_index = find_order(text_field(command, "order_id"));
  if (order_index == none) return result("order_not_found");
  Order& order = orders_[order_index];
  if (release ? order.staff_released : order.staff_cancelled) return result("already_applied");
  bool has_pending = false;
  for (std::size_t lot : {order.buyer_lot, order.referrer_lot}) {
    if (lot != none && lots_[lot].pending && lots_[lot].remaining_points > 0) has_pending = true;
  }
  // The order's bonuses (docs: `bonuses`) wait with its points.
  for (const OrderBonus& bonus : order.bonuses) {
    if (!bonus.reversed && lots_[bonus.lot].pending && lots_[bonus.lot].remaining_points > 0) has_pending = true;
  }
  // Defect 16: nothing pending any more is refused, not ok.
  if (!has_pending) return result("nothing_pending");
  if (release) {
    order.staff_released = true;
    for (std::size_t lot : {order.buyer_lot, order.referrer_lot}) {
      // Docs (pending.tier_points): an order that earned no points counts its tier points
      // at the end of its pending period, even when staff release the referrer's early.
      if (lot == order.buyer_lot && order.buyer_points == 0) continue;
      if (lot != none) release_pending_lot(lot, clock_utc_);
    }
    for (const OrderBonus& bonus : orders_[order_index].bonuses) {
      if (!bonus.reversed) release_pending_lot(bonus.lot, clock_utc_);
    }
  } else {
    order.staff_cancelled = true;
    cancel_pending_of_order(order_index);
  }
  return result("ok");
}

// The birthday is "today" at the clock (a late grant is applied at the clock), in the
// program's zone; 29/02 birthdays on 28/02 in other years; once per calendar year.
// Rule decided here: the perk is that of the tier the member's tier points reach at the
// clock (what get_member shows), and a year counts as given only when points were given.
Prediction AuditorModel::grant_birthday_bonuses() {
  const ProgramVersion* version = version_at(clock_utc_);
  if (version == nullptr) return result("program_not_set");
  const ProgramConfig& config = version->config;
  const CivilDate today = local_date(clock_utc_, config.time_zone);
  for (std::size_t index = 0; index < members_.size(); ++index) {
    Member& member = members_[index];
    if (member.blocked || member.birthday_day == 0) continue;
    const bool is_today = (member.birthday_month == today.month && member.birthday_day == today.day) ||
                          (member.birthday_month == 2 && member.birthday_day == 29 && !is_leap_year(today.year) &&
                           today.month == 2 && today.day == 28);
    if (!is_today) continue;
    if (std::find(member.birthday_years.begin(), member.birthday_years.end(), today.year) != member.birthday_years.end()) continue;
    const Points bonus = birthday_bonus_of(config, tier_at(index, clock_utc_));
    if (bonus <= 0 || pool_points_ < bonus) continue;
    member.birthday_years.push_back(today.year);
    pool_points_ -= bonus;
    members_[index].statement.earned += bonus;
    credit_lot(index, bonus, lot_expiry_utc(config, clock_utc_), false, 0, none, false);
  }
  return result("ok");
}

// Docs (`assign_tier`): a tier of the program in force until `ends_at`, or null to end the
// one in force; the same tier and end again is a retry.
Prediction AuditorModel::assign_tier(const Json& command, UtcSeconds) {
  const std::size_t member = find_member(text_field(command, "member_id"));
  if (member == none) return result("member_not_found");
  const ProgramVersion* version = version_at(clock_utc_);
  if (version == nullptr) return result("program_not_set");
  if (text_field(command, "reason").empty() || text_field(command, "actor").empty()) return result("invalid_field");
  Member& record = members_[member];
  const bool in_force = !record.manual_tier_id.empty() && clock_utc_ < record.manual_end_utc;
  const std::string tier_id = text_field(command, "tier_id");
  if (tier_id.empty()) {
    if (!in_force) return result("invalid_field");
    end_manual_tier(member, clock_utc_);
    return result("ok");
  }
  bool known_tier = false;
  for (const Tier& tier : version->config.tiers) known_tier = known_tier || tier.id == tier_id;
  if (!known_tier) return result("invalid_field");
  const std::optional<UtcSeconds> ends_at = parse_utc_time(text_field(command, "ends_at"));
  if (!ends_at || *ends_at <= clock_utc_) return result("invalid_field");
  if (in_force && record.manual_tier_id == tier_id && record.manual_end_utc == *ends_at) return result("already_applied");
  record.manual_tier_id = tier_id;
  record.manual_end_utc = *ends_at;
  schedule(*ends_at, DueKind::manual_tier_end, member);
  place_tier(member, PlaceCause::manual);
  return result("ok");
}

// Only dynamic groups of one birthday month are sent: {"birthday_month": M}.
Prediction AuditorModel::save_group(const Json& command) {
  const std::string group_id = text_field(command, "group_id");
  Json without_time = command;
  without_time.erase("time");
  const std::string definition = without_time.dump();
  for (Group& group : groups_) {
    if (group.group_id != group_id) continue;
    if (group.definition == definition) return result("already_applied");
    group.definition = definition;
    group.birthday_month = static_cast<std::int32_t>(integer_field(command["filter"], "birthday_month"));
    return result("ok");
  }
  groups_.push_back(Group{group_id, static_cast<std::int32_t>(integer_field(command["filter"], "birthday_month")), definition});
  return result("ok");
}

// A group that does not exist matches nobody (docs: `promotions[i]`).
bool AuditorModel::in_group(std::size_t member, const std::string& group_id) const {
  for (const Group& group : groups_) {
    if (group.group_id == group_id) return members_[member].birthday_day != 0 && members_[member].birthday_month == group.birthday_month;
  }
  return false;
}

Prediction AuditorModel::review_tiers() {
  if (version_at(clock_utc_) == nullptr) return result("program_not_set");
  for (std::size_t member = 0; member < members_.size(); ++member) place_tier(member);
  return result("ok");
}

// ----- reads --------------------------------------------------------------------------------
Balances AuditorModel::balances(std::size_t member_index) const {
  const Member& member = members_[member_index];
  Balances balances;
  balances.points = available_points(member_index);
  for (std::size_t lot : member.lots) {
    if (lots_[lot].pending) balances.pending += lots_[lot].remaining_points;
  }
  balances.held = member.held_points;
  balances.tier_points_lifetime = member.tier_points_lifetime;
  if (const ProgramVersion* version = latest_version()) balances.points_value_vnd = balances.points * version->config.wallet.point_value_vnd;
  return balances;
}

MemberView AuditorModel::member_view(std::size_t member_index, UtcSeconds time) const {
  const Member& member = members_[member_index];
  MemberView view;
  view.balances = balances(member_index);
  view.window_tier_points = window_tier_points(member_index, time);
  const ProgramVersion* version = version_at(time);
  if (version != nullptr) {
    const int tier = tier_at(member_index, time);
    if (tier >= 0) view.tier_id = version->config.tiers[static_cast<std::size_t>(tier)].id;
    const std::int32_t window_months = version->config.tier_points.window_months;
    if (window_months > 0) {
      std::map<UtcSeconds, TierPoints> drops;
      for (const TierEntry& entry : member.tier_entries) {
        if (!in_window(entry.enter_utc, time, window_months)) continue;
        drops[leaves_window_utc(entry.enter_utc, window_months)] += entry.tier_points;
      }
      for (const auto& [at_utc, tier_points] : drops) {
        if (tier_points > 0 && view.upcoming_drops.size() < 3) view.upcoming_drops.push_back(TierDrop{at_utc, tier_points});
      }
    }
  }
  std::map<std::string, Points> by_month;
  Points never_points = 0;
  for (std::size_t lot : member.lots) {
    const Lot& entry = lots_[lot];
    if (entry.remaining_points <= 0) continue;
    if (entry.pending) {
      view.pending.push_back(PendingLine{entry.remaining_points, entry.pending_end_utc, entry.order_id});
    } else if (entry.expiry_utc == never_utc) {
      never_points += entry.remaining_points;
    } else {
      by_month[format_local_month(entry.expiry_utc, zone_at(time))] += entry.remaining_points;
    }
  }
  for (const auto& [month, points] : by_month) view.points_by_expiry_month.push_back(MonthPoints{month, points});
  if (never_points > 0) view.points_by_expiry_month.push_back(MonthPoints{"never", never_points});
  std::sort(view.pending.begin(), view.pending.end(), [](const PendingLine& a, const PendingLine& b) {
    if (a.available_at_utc != b.available_at_utc) return a.available_at_utc < b.available_at_utc;
    if (a.order_id != b.order_id) return a.order_id < b.order_id;
    return a.points < b.points;
  });
  view.statement = member.statement;
  view.debt_points = member.debt_points;
  return view;
}

LiabilityView AuditorModel::liability(UtcSeconds time) const {
  LiabilityView view;
  const ProgramVersion* version = version_at(time);
  if (version != nullptr) view.point_value_vnd = version->config.wallet.point_value_vnd;
  std::map<std::string, Points> by_month;
  Points never_points = 0;
  std::vector<Points> by_tier_index(version != nullptr ? version->config.tiers.size() : 0, 0);
  Points no_tier_points = 0;
  for (std::size_t index = 0; index < members_.size(); ++index) {
    const Balances member_balances = balances(index);
    view.available += std::max<Points>(member_balances.points, 0);
    view.debt += members_[index].debt_points;
    view.pending += member_balances.pending;
    view.held += member_balances.held;
    for (std::size_t lot : members_[index].lots) {
      const Lot& entry = lots_[lot];
      if (entry.remaining_points <= 0) continue;
      if (entry.expiry_utc == never_utc) never_points += entry.remaining_points;
      else by_month[format_local_month(entry.expiry_utc, zone_at(time))] += entry.remaining_points;
    }
    const Points owed = member_balances.points + member_balances.pending + member_balances.held;
    // By the tier the member is in at `time`, the tier get_member shows (defect 14: the
    // breakdown must agree with the member's tier). The docs' "last placed in" predates it.
    const int tier = version != nullptr ? tier_at(index, time) : -1;
    if (tier >= 0 && static_cast<std::size_t>(tier) < by_tier_index.size()) by_tier_index[static_cast<std::size_t>(tier)] += owed;
    else no_tier_points += owed;
  }
  view.outstanding = view.available + view.pending + view.held - view.debt;
  for (const auto& [month, points] : by_month) view.by_expiry_month.push_back(MonthPoints{month, points});
  if (never_points > 0) view.by_expiry_month.push_back(MonthPoints{"never", never_points});
  for (std::size_t tier = 0; tier < by_tier_index.size(); ++tier) {
    if (by_tier_index[tier] != 0) view.by_tier.push_back(TierPointsLine{version->config.tiers[tier].id, by_tier_index[tier]});
  }
  if (no_tier_points != 0) view.by_tier.push_back(TierPointsLine{"none", no_tier_points});
  return view;
}

// Spendable points in lots expiring after `time` and at most `within_days` days after it,
// as the lots stand at the clock (a read makes nothing fall due). Sorted soonest first,
// then most points, then by member id.
std::vector<ExpiringLine> AuditorModel::expiring_points(UtcSeconds time, std::int32_t within_days) const {
  std::vector<ExpiringLine> lines;
  const UtcSeconds until_utc = time + static_cast<UtcSeconds>(within_days) * seconds_per_day;
  for (std::size_t index = 0; index < members_.size(); ++index) {
    ExpiringLine line;
    line.member_id = members_[index].member_id;
    line.first_expiry_utc = never_utc;
    for (std::size_t lot : members_[index].lots) {
      const Lot& entry = lots_[lot];
      if (entry.pending || entry.remaining_points <= 0 || entry.expiry_utc <= time || entry.expiry_utc > until_utc) continue;
      line.points += entry.remaining_points;
      line.first_expiry_utc = std::min(line.first_expiry_utc, entry.expiry_utc);
    }
    if (line.points > 0) lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end(), [](const ExpiringLine& a, const ExpiringLine& b) {
    if (a.first_expiry_utc != b.first_expiry_utc) return a.first_expiry_utc < b.first_expiry_utc;
    if (a.points != b.points) return a.points > b.points;
    return a.member_id < b.member_id;
  });
  return lines;
}

AuditView AuditorModel::audit() const {
  return AuditView{points_funded_, pool_points_, redeemed_points_, expired_points_, adjustments_points_, members_.size(), orders_.size()};
}

}  // namespace loyalty::auditor
