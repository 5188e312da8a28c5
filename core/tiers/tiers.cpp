// tiers.cpp: tier points in their window, the tier a member is in, and tier changes.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"

namespace loyalty {

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
  const UtcSeconds now = begin_write(time, changes);
  if (program_at(now) == nullptr) return Result::failure(ResultCode::program_not_set);
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    evaluate_tier(member, now, TierChangeCause::window, changes);
  }
  settle(changes);
  return Result::success();
}

}  // namespace loyalty
