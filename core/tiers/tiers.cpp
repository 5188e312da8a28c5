// tiers.cpp: tier points in their window, the tier a member is in, and tier changes.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"

namespace loyalty {

// ---------------------------------------------------------------------------------------------
// Tiers

namespace {
// Sums one measure of a member's tier history over the qualification period at `time`.
template <typename Field>
std::int64_t period_sum(std::span<const TierEntry> history, const ProgramConfig* config, UtcSeconds time, Field field) {
  // Lifetime counts everything up to `time` (events may arrive out of order); a window
  // counts what is younger than `window_months` months; a calendar year what is dated
  // from its first moment on.
  const UtcSeconds start = config == nullptr ? INT64_MIN : config->qualification_start_utc(time);
  const bool from_start = config != nullptr && config->counts_from_start();
  std::int64_t total = 0;
  for (const TierEntry& entry : history) {
    if (entry.effective_time_utc > time) break;  // sorted: the rest is later still
    if (entry.effective_time_utc > start || (from_start && entry.effective_time_utc == start)) total += field(entry);
  }
  return std::max<std::int64_t>(total, 0);
}
}  // namespace

TierPoints tier_points_in_period(std::span<const TierEntry> history, const ProgramConfig* config, UtcSeconds time) {
  return period_sum(history, config, time, [](const TierEntry& entry) { return entry.tier_points; });
}

std::int64_t tier_measure_in_period(std::span<const TierEntry> history, const ProgramConfig& config, UtcSeconds time) {
  const TierMeasure measure = config.tier_points.qualify_by;
  return period_sum(history, &config, time, [measure](const TierEntry& entry) -> std::int64_t {
    switch (measure) {
      case TierMeasure::tier_points: return entry.tier_points;
      case TierMeasure::spend_vnd: return entry.spend_vnd;
      case TierMeasure::order_count: return entry.orders;
    }
    return entry.tier_points;
  });
}

std::int32_t tier_with_rules(const TierState& state, const ProgramConfig& config, std::int32_t qualified, UtcSeconds time) {
  // A manual tier sets a floor while it lasts: the member is never below what they qualify for.
  if (!state.manual_tier_id.empty() && time < state.manual_tier_ends_at_utc) {
    return std::max<std::int32_t>(qualified, config.tier_index_by_id(state.manual_tier_id));
  }
  const std::int32_t current = std::min<std::int32_t>(state.tier_index, static_cast<std::int32_t>(config.tiers.size()) - 1);
  if (qualified >= current || config.tier_retention.empty()) return qualified;
  const TierRetentionConfig& retention = config.tier_retention;
  if (retention.keep_months > 0 && time < add_months(state.tier_since_utc, retention.keep_months, config.time_zone)) return current;
  return retention.fall_at_most_one_tier ? std::max(qualified, current - 1) : qualified;
}

TierPoints Store::window_tier_points(MemberIndex member, UtcSeconds time) const {
  const ProgramVersion* program = program_at(time);
  return tier_points_in_period(members_[member].tier_history, program ? &program->config : nullptr, time);
}

std::int64_t Store::tier_measure(MemberIndex member, UtcSeconds time) const {
  const ProgramVersion* program = program_at(time);
  if (program == nullptr) return tier_points_in_period(members_[member].tier_history, nullptr, time);
  return tier_measure_in_period(members_[member].tier_history, program->config, time);
}

TierState Store::tier_state(MemberIndex member) const {
  const Member& record = members_[member];
  return TierState{record.tier_index, record.tier_since_utc, record.manual_tier_id, record.manual_tier_ends_at_utc};
}

std::int32_t Store::tier_with_rules(MemberIndex member, const ProgramConfig& config, std::int32_t qualified, UtcSeconds time) const {
  return loyalty::tier_with_rules(tier_state(member), config, qualified, time);
}

std::int32_t Store::tier_under(MemberIndex member, const ProgramConfig& config, UtcSeconds time) const {
  return tier_with_rules(member, config, config.tier_index_for(tier_measure_in_period(members_[member].tier_history, config, time)), time);
}

void Store::add_tier_entry(MemberIndex member, UtcSeconds effective_time_utc, TierPoints tier_points, Vnd spend_vnd, std::int32_t orders) {
  std::vector<TierEntry>& history = members_[member].tier_history;
  // Mostly appended in time order; a late event is moved into place.
  auto position = history.end();
  while (position != history.begin() && (position - 1)->effective_time_utc > effective_time_utc) --position;
  history.insert(position, TierEntry{effective_time_utc, tier_points, spend_vnd, orders});
}

// The first moment at which tier points counted from `entered_at` are out of a window of
// `window_months` (window_tier_points counts an entry while entered_at > time − window).
// Usually the same wall time `window_months` later; when that month is shorter (earned on
// 29/02 or 31/03), the window still holds them through that clamped day, so they leave at
// the next local midnight.
UtcSeconds window_exit_utc(UtcSeconds entered_at, std::int32_t window_months, const TimeZone& zone) {
  const UtcSeconds candidate = add_months(entered_at, window_months, zone);
  if (add_months(candidate, -window_months, zone) >= entered_at) return candidate;
  const CivilDate day = local_date(candidate, zone);
  return local_midnight_utc(civil_from_days(days_from_civil(day) + 1), zone);
}

TierStatus Store::tier_status(MemberIndex member, UtcSeconds time) const {
  TierStatus status;
  const ProgramVersion* program = program_at(time);
  if (program == nullptr) return status;
  const ProgramConfig& config = program->config;
  status.tier_points = tier_points_in_period(members_[member].tier_history, &config, time);
  status.measure = config.tier_points.qualify_by == TierMeasure::tier_points ? status.tier_points
                                                                             : tier_measure_in_period(members_[member].tier_history, config, time);
  status.qualified_tier_index = config.tier_index_for(status.measure);
  status.tier_index = tier_with_rules(member, config, status.qualified_tier_index, time);
  const Member& record = members_[member];
  if (!record.manual_tier_id.empty() && time < record.manual_tier_ends_at_utc && status.tier_index > status.qualified_tier_index) {
    status.manual = true;
    status.manual_ends_at_utc = record.manual_tier_ends_at_utc;
  }
  if (status.tier_index >= 0) status.measure_to_keep = config.tiers[static_cast<std::size_t>(status.tier_index)].tier_points_needed;
  // A manual tier is not kept by retention when it ends: no safe-until date for it.
  if (!status.manual && config.tier_retention.keep_months > 0 && status.tier_index >= 0 && status.tier_index == record.tier_index) {
    status.safe_until_utc = add_months(record.tier_since_utc, config.tier_retention.keep_months, config.time_zone);
  }
  if (status.tier_index + 1 < static_cast<std::int32_t>(config.tiers.size())) {
    status.next_tier_index = status.tier_index + 1;
    status.tier_points_to_next =
        std::max<std::int64_t>(0, config.tiers[static_cast<std::size_t>(status.next_tier_index)].tier_points_needed - status.measure);
  }
  if (config.tier_points.window_months > 0) {
    // Group what is in the window by the moment it leaves it (the history is in time order).
    const UtcSeconds window_start = add_months(time, -config.tier_points.window_months, config.time_zone);
    for (const TierEntry& entry : members_[member].tier_history) {
      if (entry.effective_time_utc > time) break;
      if (entry.effective_time_utc <= window_start) continue;
      const UtcSeconds leaves_at = window_exit_utc(entry.effective_time_utc, config.tier_points.window_months, config.time_zone);
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

void Store::set_tier(MemberIndex member, const ProgramConfig& config, std::int64_t measure, UtcSeconds time,
                     TierChangeCause cause, Changes& changes) {
  const std::int32_t tier_index = tier_with_rules(member, config, config.tier_index_for(measure), time);
  Member& record = members_[member];
  if (tier_index == record.tier_index) return;
  const std::int32_t tier_before = record.tier_index;
  changes.events.push_back(Event{EventKind::tier_changed, time, member, changes.order, 0, record.tier_index, tier_index, cause});
  record.tier_index = tier_index;
  record.tier_since_utc = time;
  // The tier-up bonus: the first time the member reaches a tier by what they did (not a
  // manual tier), for every tier reached on the way up, lowest first (a jump past a middle
  // tier reaches it too); pending with the order that reached it.
  if (tier_index > tier_before && cause != TierChangeCause::manual_assignment) {
    const bool by_order = cause == TierChangeCause::order && changes.order != no_index;
    for (std::int32_t reached = std::max<std::int32_t>(tier_before + 1, 0); reached <= tier_index && reached < 32; ++reached) {
      const Tier& tier = config.tiers[static_cast<std::size_t>(reached)];
      const std::uint32_t bit = 1u << static_cast<unsigned>(reached);
      if (tier.tier_up_bonus_points <= 0 || (record.tier_up_bonus_tiers & bit) != 0) continue;
      record.tier_up_bonus_tiers |= bit;
      give_bonus(BonusKind::tier_up, member, by_order ? changes.order : no_index, tier.tier_up_bonus_points, reached, time, time,
                 config, by_order && config.pending.days > 0, 0, changes);
    }
  }
}

void Store::evaluate_tier(MemberIndex member, UtcSeconds time, TierChangeCause cause, Changes& changes) {
  const ProgramVersion* program = program_at(time);
  if (program == nullptr) return;
  const ProgramConfig& config = program->config;
  set_tier(member, config, tier_measure_in_period(members_[member].tier_history, config, time), time, cause, changes);
}

Result Store::review_tiers(UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  if (program_at(now) == nullptr) return Result::failure(ResultCode::program_not_set);
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    evaluate_tier(member, now, TierChangeCause::window, changes);
  }
  settle(changes);
  return Result::success();
}

}  // namespace loyalty
