// liability.cpp: what the store owes its members, and who has points about to expire.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"

namespace loyalty {

// ---------------------------------------------------------------------------------------------
// Liability and expiry warnings

// Outstanding = available + pending + held − debt, and each breakdown adds up to it: by
// expiry month, lots by the local month they expire in, held points under "held" (they
// go back to their lots or are spent) and debt as a negative "debt" bucket; by tier, each
// member's points balance (negative while in debt) + pending + held under the tier the
// member is in at `time` (the same tier get_member shows).
Liability Store::liability(UtcSeconds time) const {
  Liability result;
  const ProgramVersion* program = program_at(time);
  const ProgramConfig* config = program ? &program->config : nullptr;
  const Vnd point_value_vnd = config ? config->wallet.point_value_vnd : 0;
  const TimeZone zone = config ? config->time_zone : TimeZone{};
  std::vector<std::pair<UtcSeconds, Points>> by_expiry;   // (local month start, points); never = INT64_MAX
  std::vector<Points> by_tier(config ? config->tiers.size() + 1 : 1, 0);
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    const Member& record = members_[member];
    for (std::uint32_t lot_index : member_lots(member)) {
      const PointLot& lot = lots_[lot_index];
      if (lot.points_remaining <= 0) continue;
      (lot.pending ? result.pending_points : result.available_points) += lot.points_remaining;
      UtcSeconds month = INT64_MAX;
      if (lot.expires_at_utc != INT64_MAX) {
        const CivilDate date = local_date(lot.expires_at_utc, zone);
        month = local_midnight_utc({date.year, date.month, 1}, zone);
      }
      by_expiry.emplace_back(month, lot.points_remaining);
    }
    const Points member_total = ledger_.balance(member, MemberAccount::points) + ledger_.balance(member, MemberAccount::pending) +
                                ledger_.balance(member, MemberAccount::held);
    result.held_points += ledger_.balance(member, MemberAccount::held);
    result.debt_points += record.debt_points;
    if (member_total == 0) continue;
    const std::int32_t tier_index = config ? tier_status(member, time).tier_index : -1;
    const std::size_t tier_slot = tier_index >= 0 ? static_cast<std::size_t>(tier_index) : by_tier.size() - 1;
    by_tier[std::min(tier_slot, by_tier.size() - 1)] += member_total;
  }
  result.outstanding_points = result.available_points + result.pending_points + result.held_points - result.debt_points;
  // Points are at most 10^12 and a point at most 10^6 VND: the values fit in int64.
  result.outstanding_value_vnd = result.outstanding_points * point_value_vnd;
  std::sort(by_expiry.begin(), by_expiry.end());
  for (const auto& [month, points] : by_expiry) {
    const std::string key = month == INT64_MAX ? "never" : format_local_month(month, zone);
    if (result.by_expiry_month.empty() || result.by_expiry_month.back().key != key) result.by_expiry_month.push_back({key, 0, 0});
    result.by_expiry_month.back().points += points;
    result.by_expiry_month.back().value_vnd += points * point_value_vnd;
  }
  if (result.held_points != 0) result.by_expiry_month.push_back({"held", result.held_points, result.held_points * point_value_vnd});
  if (result.debt_points != 0) result.by_expiry_month.push_back({"debt", -result.debt_points, -result.debt_points * point_value_vnd});
  for (std::size_t slot = 0; slot < by_tier.size(); ++slot) {
    if (by_tier[slot] == 0) continue;
    const std::string key = config && slot < config->tiers.size() ? config->tiers[slot].id : "none";
    result.by_tier.push_back({key, by_tier[slot], by_tier[slot] * point_value_vnd});
  }
  return result;
}

std::vector<ExpiringPoints> Store::expiring_points(UtcSeconds time, std::int32_t within_days, std::size_t limit) const {
  const UtcSeconds until = time + static_cast<UtcSeconds>(within_days) * seconds_per_day;
  std::vector<ExpiringPoints> result;
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    ExpiringPoints entry{member, 0, INT64_MAX};
    for (std::uint32_t lot_index : member_lots(member)) {
      const PointLot& lot = lots_[lot_index];
      if (lot.pending || lot.points_remaining <= 0 || lot.expires_at_utc <= time || lot.expires_at_utc > until) continue;
      entry.points += lot.points_remaining;
      entry.first_expiry_utc = std::min(entry.first_expiry_utc, lot.expires_at_utc);
    }
    if (entry.points > 0) result.push_back(entry);
  }
  // Soonest first, then most points: who to warn first.
  std::sort(result.begin(), result.end(), [](const ExpiringPoints& a, const ExpiringPoints& b) {
    if (a.first_expiry_utc != b.first_expiry_utc) return a.first_expiry_utc < b.first_expiry_utc;
    if (a.points != b.points) return a.points > b.points;
    return a.member < b.member;
  });
  if (result.size() > limit) result.resize(limit);
  return result;
}

}  // namespace loyalty
