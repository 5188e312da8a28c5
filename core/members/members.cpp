// members.cpp: creating, finding and correcting members, and their referrers.
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/store_limits.hpp"
#include "core/basics/text_fold.hpp"
#include "core/members/card_number.hpp"
#include "core/members/phone.hpp"

namespace loyalty {

namespace {
bool is_valid_email(std::string_view email) {
  const std::size_t at = email.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < email.size() && email.find('@', at + 1) == std::string_view::npos &&
         email.find('.', at) != std::string_view::npos && email.find(' ') == std::string_view::npos && email.size() <= 254;
}
}  // namespace

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
  const auto is_control = [](char letter) { return static_cast<unsigned char>(letter) < 0x20 || letter == 0x7f; };
  if (name != nullptr && (name->size() > name_bytes_max || !is_valid_utf8(*name) || !has_visible_character(*name) ||
                          std::any_of(name->begin(), name->end(), is_control))) {
    errors.push_back({"name", "bắt buộc (có ít nhất một chữ nhìn thấy được), tối đa 200 byte UTF-8",
                      "required (at least one visible character), at most 200 bytes of UTF-8"});
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
  const UtcSeconds now = begin_write(time, changes);
  const MemberIndex member = find_member(update.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  Result invalid{ResultCode::invalid_field, {}};
  std::string phone_normalized;
  check_member_details(update.phone ? &*update.phone : nullptr, update.name ? &*update.name : nullptr,
                       update.email ? &*update.email : nullptr, update.birthday ? &*update.birthday : nullptr, now,
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
  sync_group_member(member);
  changes.events.push_back(Event{EventKind::member_updated, now, member});
  give_member_bonuses(member, now, false, changes);
  settle(changes);   // a member who opted out or is blocked is skipped by deliveries waiting (core/notifications)
  return Result::success();
}

// A member may join with a time before the clock (a sign-up reported late): joined_at is
// that time, orders may not be dated before it, and the rest is applied at the clock.
Result Store::create_member(const NewMember& request, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
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
  member.referrer_since_utc = time;
  member.opt_ins = request.opt_ins;
  assert(find_member_by_card(member.card_number) == no_member);
  members_.push_back(std::move(member));
  const Member& stored = members_.back();
  member_by_id_.insert(stored.member_id, index);
  member_by_phone_.insert(stored.phone, index);
  member_by_card_.insert(stored.card_number, index);
  search_index_.add(index, stored.name, stored.phone, stored.card_number);
  ledger_.add_member_accounts(index);
  sync_group_member(index);
  changes.created_member = index;
  schedule_inactivity(index);
  changes.events.push_back(Event{EventKind::member_created, now, index});
  evaluate_tier(index, now, TierChangeCause::joined, changes);
  give_member_bonuses(index, now, true, changes);
  settle(changes);
  return Result::success();
}

// The referrer earns on the member's orders completed at or after `time` (which may be
// before the clock: an order dated between them, reported later, pays the referrer).
Result Store::set_referrer(std::string_view member_id, std::string_view referrer_id, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
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
  members_[member].referrer_since_utc = time;
  changes.events.push_back(Event{EventKind::referrer_set, now, member});
  return Result::success();
}

MemberIndex Store::referrer_at(MemberIndex member, UtcSeconds time) const {
  const Member& record = members_[member];
  if (record.referrer == no_member || time < record.referrer_since_utc) return no_member;
  return record.referrer;
}

}  // namespace loyalty
