// manual_tiers.cpp: staff place a member in a tier (a VIP) with a reason and an end date;
// while it lasts the member is at least in that tier, and when it ends the member is
// placed by what they qualify for (retention never keeps a tier that was not earned).
#include "core/store.hpp"

#include "core/store_limits.hpp"

namespace loyalty {

Result Store::assign_tier(const TierAssignmentRequest& request, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  const MemberIndex member = find_member(request.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  const ProgramVersion* program = program_at(now);
  if (program == nullptr) return Result::failure(ResultCode::program_not_set);
  if (request.reason.empty()) return Result::field("reason", "bắt buộc: lý do gán hạng", "required: why the tier is assigned");
  if (request.actor.empty()) return Result::field("actor", "bắt buộc: nhân viên gán hạng", "required: the staff member");
  Member& record = members_[member];
  const bool in_force = !record.manual_tier_id.empty() && now < record.manual_tier_ends_at_utc;
  if (request.tier_id.empty()) {
    if (!in_force) return Result::field("tier_id", "thành viên không có hạng được gán để kết thúc", "the member has no assigned tier to end");
  } else {
    if (program->config.tier_index_by_id(request.tier_id) < 0) {
      return Result::field("tier_id", "không có hạng này trong chương trình", "no tier of the program has this id");
    }
    if (request.ends_at_utc <= now) return Result::field("ends_at", "phải sau thời điểm của lệnh", "must be after the command's time");
    // The same assignment again (a retry) changes nothing.
    if (in_force && record.manual_tier_id == request.tier_id && record.manual_tier_ends_at_utc == request.ends_at_utc) {
      return Result::failure(ResultCode::already_applied);
    }
  }
  // After this point the command must succeed.
  tier_assignments_.push_back(TierAssignment{member, request.tier_id, request.reason, intern_actor(request.actor), now,
                                             request.tier_id.empty() ? now : request.ends_at_utc});
  changes.events.push_back(Event{EventKind::tier_assigned, now, member, no_index,
                                 static_cast<std::int64_t>(tier_assignments_.size() - 1)});
  touch(member, changes);
  if (request.tier_id.empty()) {
    end_manual_tier(member, now, changes);
  } else {
    record.manual_tier_id = request.tier_id;
    record.manual_tier_ends_at_utc = request.ends_at_utc;
    schedule({request.ends_at_utc, DueKind::manual_tier_end, member});
    evaluate_tier(member, now, TierChangeCause::manual_assignment, changes);
  }
  settle(changes);
  return Result::success();
}

void Store::end_manual_tier(MemberIndex member, UtcSeconds now, Changes& changes) {
  Member& record = members_[member];
  record.manual_tier_id.clear();
  record.manual_tier_ends_at_utc = 0;
  const ProgramVersion* program = program_at(now);
  if (program == nullptr) return;
  const std::int32_t qualified = program->config.tier_index_for(tier_measure(member, now));
  if (qualified == record.tier_index) return;
  changes.events.push_back(
      Event{EventKind::tier_changed, now, member, no_index, 0, record.tier_index, qualified, TierChangeCause::manual_assignment_ended});
  record.tier_index = qualified;
  record.tier_since_utc = now;
}

}  // namespace loyalty
