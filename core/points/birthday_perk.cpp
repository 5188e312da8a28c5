// birthday_perk.cpp: the tier perk that gives points on a member's birthday.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"

namespace loyalty {

// ---------------------------------------------------------------------------------------------
// Birthday perk

Result Store::grant_birthday_bonuses(UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  const ProgramVersion* program = program_at(now);
  if (program == nullptr) return Result::failure(ResultCode::program_not_set);
  const ProgramConfig& config = program->config;
  const CivilDate today = local_date(now, config.time_zone);
  const bool leap = days_in_month(today.year, 2) == 29;
  for (MemberIndex member = 0; member < members_.size(); ++member) {
    Member& record = members_[member];
    if (!record.birthday.known() || record.status != MemberStatus::active || record.birthday_bonus_year >= today.year) continue;
    const bool birthday_today = (record.birthday.month == today.month && record.birthday.day == today.day) ||
                                (!leap && record.birthday.month == 2 && record.birthday.day == 29 && today.month == 2 && today.day == 28);
    if (!birthday_today) continue;
    Points bonus = 0;
    for (const Perk* perk : config.enabled_perks(tier_status(member, now).tier_index)) {
      if (perk->type == PerkType::birthday_bonus) bonus = std::max(bonus, perk->birthday_bonus_points);
    }
    if (bonus <= 0 || bonus > ledger_.balance(SystemAccount::pool)) continue;
    record.birthday_bonus_year = today.year;
    const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(SystemAccount::pool), -bonus},
                                                    PostingRequest{account_of(member, MemberAccount::points), bonus}};
    changes.transactions.push_back(ledger_.post(TransactionKind::birthday_bonus, now, now, member, 0, postings));
    create_lot(member, no_index, bonus, now, config, false);
    record.points_earned += bonus;
    touch(member, changes);
    changes.events.push_back(Event{EventKind::birthday_bonus, now, member, no_index, bonus});
  }
  settle(changes);
  return Result::success();
}

}  // namespace loyalty
