// adjustments.cpp: manual point corrections by staff.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"

namespace loyalty {

// ---------------------------------------------------------------------------------------------
// Manual adjustments

Result Store::adjust_points(const PointsAdjustment& adjustment, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  Result invalid{ResultCode::invalid_field, {}};
  if (adjustment.points == 0) invalid.errors.push_back({"points", "phải khác 0", "must not be zero"});
  if (adjustment.points > points_max || adjustment.points < -points_max) {
    invalid.errors.push_back({"points", "vượt quá 10^12", "exceeds 10^12"});
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
  const std::uint32_t transaction = ledger_.post(TransactionKind::manual_adjustment, now, now, record_index, actor, postings);
  if (adjustment.points > 0) {
    // Given points form a lot like earned ones, with the program's expiry.
    static const ProgramConfig no_program;
    const ProgramVersion* program = program_at(now);
    create_lot(member, no_index, magnitude, now, program ? program->config : no_program, false);
    members_[member].points_earned += magnitude;
  } else {
    const Points uncovered = consume_lots(member, magnitude, now, transaction);
    assert(uncovered == 0);
    members_[member].points_spent += magnitude;   // the statement counts staff taking points as spent
  }
  adjustments_.push_back(AdjustmentRecord{member, adjustment.points, adjustment.reason, adjustment.idempotency_key, actor, transaction});
  adjustment_by_key_.emplace(adjustment.idempotency_key, record_index);
  changes.transactions.push_back(transaction);
  touch(member, changes);
  changes.events.push_back(Event{EventKind::points_adjusted, now, member, no_index, adjustment.points});
  settle(changes);
  return Result::success();
}

}  // namespace loyalty
