// store_groups.cpp: customer groups in the store: saving, deleting, listing members of a
// static group, importing a CSV list, and evaluating who is in a group at a given time.
//
// [SECTION] Evaluation
// [SECTION] Writes
// [SECTION] Reads
//
// Evaluation of a whole group works on member sets: each condition is tested only on the
// members still undecided (an `all` narrows the set child by child, an `any` tests each
// child on the members no earlier child took), so a selective first condition makes the
// rest cheap. Conditions on orders read the orders in one pass when many members are
// undecided, and each member's own orders (newest first) when few are.
#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <iterator>

#include "core/basics/text_fold.hpp"
#include "core/groups/group_csv.hpp"
#include "core/members/card_number.hpp"
#include "core/members/phone.hpp"
#include "core/store.hpp"
#include "core/store_limits.hpp"

namespace loyalty {

// [SECTION] Evaluation ------------------------------------------------------------------------
namespace {

// What a member has ordered by the evaluation time, within one condition's period.
struct OrderFacts {
  std::uint32_t count = 0;
  Vnd spent_vnd = 0;
};

class GroupEvaluator {
 public:
  GroupEvaluator(const Store& store, UtcSeconds at) : store_(store), at_(at), birthdays_(store.groups().birthdays()) {
    program_ = store.program_at(at);
    zone_ = program_ ? program_->config.time_zone : TimeZone{};
  }

  // A whole group: its conditions hold for a member whatever other members there are, so
  // the group is evaluated over every member and only its members are then checked to be
  // able to be in a group at all (is_eligible): one pass over the members fewer.
  MemberSet whole_group(const CustomerGroup& group) {
    MemberSet members = group_members(group, MemberSet(store_.members().size(), true));
    std::vector<std::uint64_t>& words = members.words();
    for (std::size_t w = 0; w < words.size(); ++w) {
      for (std::uint64_t word = words[w]; word != 0; word &= word - 1) {
        const auto member = static_cast<MemberIndex>(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
        if (!is_eligible(member)) members.erase(member);
      }
    }
    return members;
  }
  bool is_eligible(MemberIndex member) const {
    const Member& record = store_.members()[member];
    return record.status == MemberStatus::active && record.joined_at_utc <= at_;
  }

  // The members of `candidates` in the group.
  MemberSet group_members(const CustomerGroup& group, const MemberSet& candidates) {
    if (group.kind == GroupKind::static_list) {
      MemberSet result(candidates.member_count());
      for (MemberIndex member : group.members) {
        if (candidates.contains(member)) result.insert(member);
      }
      return result;
    }
    return node_members(group.filter, 0, candidates);
  }

  bool group_holds(const CustomerGroup& group, MemberIndex member) {
    if (group.kind == GroupKind::static_list) return std::binary_search(group.members.begin(), group.members.end(), member);
    return node_holds(group.filter, 0, member);
  }

 private:
  MemberSet node_members(const GroupFilter& filter, std::uint32_t index, const MemberSet& candidates) {
    const FilterNode& node = filter.nodes[index];
    switch (node.kind) {
      case FilterKind::all: {
        MemberSet remaining = candidates;
        for (std::uint32_t child : node.children) {
          if (remaining.none()) break;
          remaining = node_members(filter, child, remaining);
        }
        return remaining;
      }
      case FilterKind::any: {
        MemberSet result(candidates.member_count());
        MemberSet undecided = candidates;
        for (std::uint32_t child : node.children) {
          if (undecided.none()) break;
          const MemberSet taken = node_members(filter, child, undecided);
          result.unite(taken);
          undecided.subtract(taken);
        }
        return result;
      }
      case FilterKind::negation: {
        MemberSet result = candidates;
        result.subtract(node_members(filter, node.children[0], candidates));
        return result;
      }
      case FilterKind::in_group: {
        const CustomerGroup* other = store_.groups().find(node.text);
        assert(other != nullptr);   // save_group and the snapshot check every reference
        return other == nullptr ? MemberSet(candidates.member_count()) : group_members(*other, candidates);
      }
      case FilterKind::orders:
      case FilterKind::last_order:
        if (candidates.count() * 8 > candidates.member_count()) return order_members_by_scan(node, candidates);
        break;
      default:
        break;
    }
    // A condition on each member's own fields (or, for few members, their own orders).
    MemberSet result(candidates.member_count());
    if (node.kind == FilterKind::birthday_within_days) prepare_birthdays(node.number);
    const std::vector<std::uint64_t>& words = candidates.words();
    for (std::size_t w = 0; w < words.size(); ++w) {
      for (std::uint64_t word = words[w]; word != 0; word &= word - 1) {
        const auto member = static_cast<MemberIndex>(w * 64 + static_cast<std::size_t>(std::countr_zero(word)));
        if (leaf_holds(node, member)) result.insert(member);
      }
    }
    return result;
  }

  bool node_holds(const GroupFilter& filter, std::uint32_t index, MemberIndex member) {
    const FilterNode& node = filter.nodes[index];
    switch (node.kind) {
      case FilterKind::all:
        return std::all_of(node.children.begin(), node.children.end(), [&](std::uint32_t child) { return node_holds(filter, child, member); });
      case FilterKind::any:
        return std::any_of(node.children.begin(), node.children.end(), [&](std::uint32_t child) { return node_holds(filter, child, member); });
      case FilterKind::negation: return !node_holds(filter, node.children[0], member);
      case FilterKind::in_group: {
        const CustomerGroup* other = store_.groups().find(node.text);
        return other != nullptr && group_holds(*other, member);
      }
      default:
        if (node.kind == FilterKind::birthday_within_days) prepare_birthdays(node.number);
        return leaf_holds(node, member);
    }
  }

  // Whether an order counts by `at`: completed (not refunded in full) at or before it.
  using OrderFact = CustomerGroups::OrderFact;
  bool order_counts(const OrderFact& order) const { return order.counts && order.completed_at_utc <= at_; }
  // The period of an `orders` condition as [from, to], cut at `at`.
  std::pair<UtcSeconds, UtcSeconds> period(const FilterNode& node) const {
    if (node.last_days != 0) return {at_ - node.last_days * seconds_per_day + 1, at_};
    return {node.from_utc, std::min(at_, node.to_utc == INT64_MAX ? INT64_MAX : node.to_utc - 1)};
  }
  static bool facts_hold(const FilterNode& node, const OrderFacts& facts) {
    return static_cast<std::int64_t>(facts.count) >= node.count_min && static_cast<std::int64_t>(facts.count) <= node.count_max &&
           facts.spent_vnd >= node.spent_min_vnd && facts.spent_vnd <= node.spent_max_vnd;
  }

  // Many undecided members: one pass over all orders.
  MemberSet order_members_by_scan(const FilterNode& node, const MemberSet& candidates) {
    const std::size_t member_count = candidates.member_count();
    MemberSet result(member_count);
    const std::vector<OrderFact>& orders = store_.groups().order_facts();
    if (node.kind == FilterKind::last_order) {
      std::vector<UtcSeconds> last(member_count, INT64_MIN);
      for (const OrderFact& order : orders) {
        if (order_counts(order) && candidates.contains(order.member)) last[order.member] = std::max(last[order.member], order.completed_at_utc);
      }
      for (MemberIndex member = candidates.next(0); member != no_member; member = candidates.next(member + 1)) {
        if (last[member] != INT64_MIN && last[member] >= node.low && last[member] < node.high) result.insert(member);
      }
      return result;
    }
    const auto [from, to] = period(node);
    std::vector<OrderFacts> facts(member_count);
    for (const OrderFact& order : orders) {
      if (order.completed_at_utc < from || order.completed_at_utc > to || !order_counts(order) || !candidates.contains(order.member)) continue;
      OrderFacts& entry = facts[order.member];
      ++entry.count;
      entry.spent_vnd += order.spent_vnd;
    }
    for (MemberIndex member = candidates.next(0); member != no_member; member = candidates.next(member + 1)) {
      if (facts_hold(node, facts[member])) result.insert(member);
    }
    return result;
  }

  // For birthday_within_days: whether each day of the year (a leap year's, 29/02 included)
  // comes within `days` local days from the local date of `at`. 29/02 is kept on 28/02 in
  // other years, as the birthday perk does.
  void prepare_birthdays(std::int64_t days) {
    if (birthday_days_ == days) return;
    birthday_days_ = days;
    const CivilDate today = local_date(at_, zone_);
    const std::int64_t today_days = days_from_civil(today);
    for (std::int32_t month = 1; month <= 12; ++month) {
      for (std::int32_t day = 1; day <= 31; ++day) {
        bool within = false;
        if (is_valid_date(2000, month, day)) {
          for (std::int32_t year = today.year; year <= today.year + 1; ++year) {
            const std::int32_t kept_day = std::min(day, days_in_month(year, month));
            const std::int64_t ahead = days_from_civil({year, month, kept_day}) - today_days;
            if (ahead >= 0) {
              within = ahead <= days;
              break;
            }
          }
        }
        birthday_within_[static_cast<std::size_t>(month)][static_cast<std::size_t>(day)] = within;
      }
    }
  }

  bool leaf_holds(const FilterNode& node, MemberIndex member) {
    const Member& record = store_.members()[member];
    switch (node.kind) {
      case FilterKind::birthday_month: return birthdays_[member] / 32 == node.number;
      case FilterKind::birthday_within_days: {
        const std::uint16_t birthday = birthdays_[member];
        return birthday != 0 && birthday_within_[birthday / 32][birthday % 32];
      }
      case FilterKind::tier: {
        // The member's tier as their profile shows it: the program's measure and period,
        // retention and a manual tier.
        if (program_ == nullptr) return false;
        const int tier = store_.tier_under(member, program_->config, at_);
        return tier >= 0 && program_->config.tiers[static_cast<std::size_t>(tier)].id == node.text;
      }
      case FilterKind::tier_points: {
        const TierPoints tier_points = tier_points_in_period(record.tier_history, program_ ? &program_->config : nullptr, at_);
        return tier_points >= node.low && tier_points <= node.high;
      }
      case FilterKind::points: {
        const Points points = store_.ledger().balance(member, MemberAccount::points);
        return points >= node.low && points <= node.high;
      }
      case FilterKind::joined: return record.joined_at_utc >= node.low && record.joined_at_utc < node.high;
      case FilterKind::has_referrer: return (store_.referrer_at(member, at_) != no_member) == (node.number == 1);
      case FilterKind::opt_in:
        return node.number == 0 ? record.opt_ins.push : node.number == 1 ? record.opt_ins.sms : node.number == 2 ? record.opt_ins.email : record.opt_ins.zalo;
      case FilterKind::last_order: {
        UtcSeconds last = INT64_MIN;
        for (std::uint32_t order = store_.groups().first_order_of(member); order != UINT32_MAX; order = store_.groups().next_order_of_member(order)) {
          const OrderFact& fact = store_.groups().order_facts()[order];
          if (order_counts(fact)) last = std::max(last, fact.completed_at_utc);
        }
        return last != INT64_MIN && last >= node.low && last < node.high;
      }
      case FilterKind::orders: {
        const auto [from, to] = period(node);
        OrderFacts facts;
        for (std::uint32_t order = store_.groups().first_order_of(member); order != UINT32_MAX; order = store_.groups().next_order_of_member(order)) {
          const OrderFact& fact = store_.groups().order_facts()[order];
          if (fact.completed_at_utc < from || fact.completed_at_utc > to || !order_counts(fact)) continue;
          ++facts.count;
          facts.spent_vnd += fact.spent_vnd;
        }
        return facts_hold(node, facts);
      }
      case FilterKind::all:
      case FilterKind::any:
      case FilterKind::negation:
      case FilterKind::in_group:
        break;
    }
    assert(false && "a combining condition is not a leaf");
    return false;
  }

  const Store& store_;
  UtcSeconds at_;
  const ProgramVersion* program_ = nullptr;
  TimeZone zone_;
  std::int64_t birthday_days_ = -1;
  std::array<std::array<bool, 32>, 13> birthday_within_{};
  const std::vector<std::uint16_t>& birthdays_;   // month * 32 + day, by member (0: unknown)
};

}  // namespace

bool Store::member_in_group(MemberIndex member, std::string_view group_id, UtcSeconds at) const {
  const CustomerGroup* group = groups_.find(group_id);
  if (group == nullptr || member >= members_.size()) return false;
  GroupEvaluator evaluator(*this, at);
  return evaluator.is_eligible(member) && evaluator.group_holds(*group, member);
}

Result Store::evaluate_group(std::string_view group_id, UtcSeconds at, MemberSet& members) const {
  const CustomerGroup* group = groups_.find(group_id);
  if (group == nullptr) return Result::failure(ResultCode::group_not_found);
  GroupEvaluator evaluator(*this, at);
  members = evaluator.whole_group(*group);
  return Result::success();
}

void Store::sync_group_member(MemberIndex member) {
  const Birthday& birthday = members_[member].birthday;
  groups_.note_member_birthday(member, birthday.known() ? birthday.month : 0, birthday.known() ? birthday.day : 0);
}

void Store::sync_group_order(std::uint32_t order_index) {
  const Order& order = orders_[order_index];
  const bool completed = order.status == OrderStatus::completed || order.status == OrderStatus::refunded;
  groups_.note_order_state(order_index, completed ? order.completed_at_utc : INT64_MAX, order_paid_vnd(order) - order.refunded_vnd,
                           order.status == OrderStatus::completed);
}

// [SECTION] Writes ----------------------------------------------------------------------------
namespace {
bool is_control_free_text(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n'; });
}

// At most `bytes` of `text`, cut at a character boundary, for a report.
std::string shortened(std::string_view text, std::size_t bytes) {
  if (text.size() <= bytes) return std::string(text);
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "…";
}
}  // namespace

Result Store::save_group(const GroupDefinition& definition, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  Result invalid{ResultCode::invalid_field, {}};
  if (!is_valid_key(definition.group_id, group_id_bytes_max)) {
    invalid.errors.push_back({"group_id", "chỉ gồm ký tự ASCII in được, không có khoảng trắng, tối đa 64 byte",
                              "printable ASCII without spaces, at most 64 bytes"});
  }
  if (!has_visible_character(definition.name) || definition.name.size() > name_bytes_max || !is_valid_utf8(definition.name) ||
      !is_control_free_text(definition.name)) {
    invalid.errors.push_back({"name", "bắt buộc (có ít nhất một chữ nhìn thấy được), tối đa 200 byte UTF-8",
                              "required (at least one visible character), at most 200 bytes of UTF-8"});
  }
  if (definition.name_en.size() > name_bytes_max || !is_valid_utf8(definition.name_en) || !is_control_free_text(definition.name_en)) {
    invalid.errors.push_back({"name_en", "tối đa 200 byte UTF-8", "at most 200 bytes of UTF-8"});
  }
  if (definition.description.size() > text_bytes_max || !is_valid_utf8(definition.description)) {
    invalid.errors.push_back({"description", "tối đa 1000 byte UTF-8", "at most 1000 bytes of UTF-8"});
  }
  if ((definition.kind == GroupKind::dynamic) == definition.filter.empty()) {
    invalid.errors.push_back(definition.kind == GroupKind::dynamic
                                 ? FieldError{"filter", "bắt buộc với nhóm động", "is required for a dynamic group"}
                                 : FieldError{"filter", "chỉ nhóm động có bộ lọc", "only a dynamic group has a filter"});
  }
  const auto insert_at = std::lower_bound(groups_.groups_.begin(), groups_.groups_.end(), definition.group_id,
                                          [](const CustomerGroup& group, std::string_view id) { return group.group_id < id; });
  const auto position = static_cast<std::size_t>(insert_at - groups_.groups_.begin());
  const bool exists = insert_at != groups_.groups_.end() && insert_at->group_id == definition.group_id;
  if (exists && groups_.groups_[position].kind != definition.kind) {
    invalid.errors.push_back({"kind", "không đổi được loại của nhóm đã có", "an existing group's kind cannot change"});
  }
  if (!invalid.errors.empty()) return invalid;
  if (!exists && groups_.groups_.size() >= groups_max) return Result::failure(ResultCode::group_limit_reached);
  // The groups as they would be: every reference known, no cycle, not too deep.
  std::vector<CustomerGroups::Reference> references = groups_.references();
  const CustomerGroups::Reference saved{definition.group_id, &definition.filter};
  if (exists) {
    references[position] = saved;
  } else {
    references.insert(references.begin() + static_cast<std::ptrdiff_t>(position), saved);
  }
  for (const FilterNode& node : definition.filter.nodes) {
    if (node.kind == FilterKind::in_group && node.text != definition.group_id && groups_.find(node.text) == nullptr) {
      return Result::field("filter", "nhắc đến nhóm không có: " + node.text, "names a group that does not exist: " + node.text);
    }
  }
  bool cycle = false;
  if (const std::string problem = CustomerGroups::check_references(references, cycle); !problem.empty()) {
    if (cycle) return Result::failure(ResultCode::group_cycle);
    return Result::field("filter", "các nhóm lồng nhau quá " + std::to_string(group_reference_depth_max) + " cấp",
                         "groups nest more than " + std::to_string(group_reference_depth_max) + " deep");
  }
  if (exists) {
    const CustomerGroup& current = groups_.groups_[position];
    if (current.name == definition.name && current.name_en == definition.name_en && current.description == definition.description &&
        current.filter == definition.filter) {
      return Result::failure(ResultCode::already_applied);
    }
  }
  // After this point the command must succeed.
  if (!exists) {
    CustomerGroup group;
    group.group_id = definition.group_id;
    group.kind = definition.kind;
    group.created_at_utc = now;
    groups_.groups_.insert(groups_.groups_.begin() + static_cast<std::ptrdiff_t>(position), std::move(group));
  }
  CustomerGroup& group = groups_.groups_[position];
  group.name = definition.name;
  group.name_en = definition.name_en;
  group.description = definition.description;
  group.filter = definition.filter;
  group.updated_at_utc = now;
  settle(changes);
  return Result::success();
}

Result Store::delete_group(std::string_view group_id, UtcSeconds time, Changes& changes) {
  begin_write(time, changes);
  const std::size_t position = groups_.position(group_id);
  if (position == groups_.groups_.size()) return Result::failure(ResultCode::group_not_found);
  for (const CustomerGroup& other : groups_.groups_) {
    for (const FilterNode& node : other.filter.nodes) {
      if (node.kind == FilterKind::in_group && node.text == group_id) return Result::failure(ResultCode::group_in_use);
    }
  }
  // A voucher campaign's audience stays while the campaign may still be claimed.
  for (const Campaign& campaign : campaigns_.campaigns()) {
    if (campaign.config.target_group_id == group_id && campaign.status != CampaignStatus::ended) {
      return Result::failure(ResultCode::group_in_use);
    }
  }
  // A notification's audience is fixed when it starts sending: until then its group stays.
  for (const Notification& notification : notifications_.notifications()) {
    if (notification.config.audience_group_id == group_id &&
        (notification.status == NotificationStatus::draft || notification.status == NotificationStatus::scheduled)) {
      return Result::failure(ResultCode::group_in_use);
    }
  }
  // After this point the command must succeed.
  groups_.groups_.erase(groups_.groups_.begin() + static_cast<std::ptrdiff_t>(position));
  settle(changes);
  return Result::success();
}

Result Store::change_group_members(std::string_view group_id, const std::vector<std::string>& member_ids, bool add, UtcSeconds time,
                                   Changes& changes, GroupMembersChange& report) {
  begin_write(time, changes);
  report = {};
  const std::size_t position = groups_.position(group_id);
  if (position == groups_.groups_.size()) return Result::failure(ResultCode::group_not_found);
  if (groups_.groups_[position].kind != GroupKind::static_list) return Result::failure(ResultCode::group_not_static);
  Result invalid{ResultCode::invalid_field, {}};
  std::vector<MemberIndex> named;
  for (std::size_t i = 0; i < member_ids.size(); ++i) {
    const MemberIndex member = find_member(member_ids[i]);
    if (member == no_member) {
      if (invalid.errors.size() < import_problems_listed) {
        invalid.errors.push_back({FieldReader::index("member_ids", i), "không có thành viên này", "no such member"});
      }
    } else {
      named.push_back(member);
    }
  }
  if (!invalid.errors.empty()) return invalid;
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  std::vector<MemberIndex>& list = groups_.groups_[position].members;
  std::vector<MemberIndex> result;
  if (add) {
    std::set_union(list.begin(), list.end(), named.begin(), named.end(), std::back_inserter(result));
    report.changed = static_cast<std::uint32_t>(result.size() - list.size());
  } else {
    std::set_difference(list.begin(), list.end(), named.begin(), named.end(), std::back_inserter(result));
    report.changed = static_cast<std::uint32_t>(list.size() - result.size());
  }
  report.unchanged = static_cast<std::uint32_t>(named.size()) - report.changed;
  report.listed_members = list.size();
  if (report.changed == 0) return Result::failure(ResultCode::already_applied);
  // After this point the command must succeed.
  list = std::move(result);
  report.listed_members = list.size();
  groups_.groups_[position].updated_at_utc = clock_utc_;
  settle(changes);
  return Result::success();
}

Result Store::import_group_members(const GroupImportRequest& request, UtcSeconds time, Changes& changes, GroupImportReport& report) {
  begin_write(time, changes);
  report = {};
  const std::size_t position = groups_.position(request.group_id);
  if (position == groups_.groups_.size()) return Result::failure(ResultCode::group_not_found);
  if (groups_.groups_[position].kind != GroupKind::static_list) return Result::failure(ResultCode::group_not_static);

  CsvReader csv(request.csv);
  std::vector<std::string> cells;
  if (!csv.next(cells)) {
    if (csv.failed()) return Result::field("csv", "dấu ngoặc kép ở dòng 1 không được đóng", "a quote in row 1 is never closed");
    return Result::field("csv", "trống: cần một dòng tiêu đề và các dòng khách hàng", "is empty: a header row and rows of customers are needed");
  }
  // The identifying columns, each the first of its kind in the header.
  std::array<std::size_t, 4> column_of{SIZE_MAX, SIZE_MAX, SIZE_MAX, SIZE_MAX};
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const CsvColumn column = csv_column_from_header(trim_cell(cells[i]));
    if (column != CsvColumn::other && column_of[static_cast<std::size_t>(column)] == SIZE_MAX) column_of[static_cast<std::size_t>(column)] = i;
  }
  const std::uint32_t header_row = csv.row();
  if (column_of[1] == SIZE_MAX && column_of[2] == SIZE_MAX && column_of[3] == SIZE_MAX) {
    return Result::field("csv", "dòng tiêu đề (dòng " + std::to_string(header_row) + ") không có cột số điện thoại, mã thẻ hay member_id",
                         "the header (row " + std::to_string(header_row) + ") has no phone, card number or member_id column");
  }
  MemberSet seen(members_.size());
  std::vector<MemberIndex> matched;
  auto note_problem = [&](std::vector<ImportRowProblem>& list, std::string_view value, std::string vi, std::string en) {
    if (list.size() < import_problems_listed) list.push_back({csv.row(), shortened(value, 64), std::move(vi), std::move(en)});
  };
  while (csv.next(cells)) {
    const bool blank = std::all_of(cells.begin(), cells.end(), [](const std::string& cell) { return trim_cell(cell).empty(); });
    if (blank) {
      ++report.blank_rows;
      continue;
    }
    if (++report.rows > import_rows_max) {
      return Result::field("csv", "quá " + std::to_string(import_rows_max) + " dòng", "has more than " + std::to_string(import_rows_max) + " rows");
    }
    // The first identifying cell with a value decides: member_id, then card number, then phone.
    MemberIndex member = no_member;
    bool identified = false;
    for (std::size_t kind = 1; kind <= 3 && !identified; ++kind) {
      const std::size_t column = column_of[kind];
      if (column == SIZE_MAX || column >= cells.size()) continue;
      const std::string_view cell = trim_cell(cells[column]);
      if (cell.empty()) continue;
      identified = true;
      if (kind == static_cast<std::size_t>(CsvColumn::member_id)) {
        if (!is_valid_key(cell, member_id_bytes_max)) {
          ++report.invalid_count;
          note_problem(report.invalid, cell, "mã thành viên không hợp lệ", "not a valid member id");
        } else if ((member = find_member(cell)) == no_member) {
          ++report.unmatched_count;
          note_problem(report.unmatched, cell, "không có thành viên này", "no such member");
        }
      } else if (kind == static_cast<std::size_t>(CsvColumn::card_number)) {
        if (!is_valid_card_number(cell)) {
          ++report.invalid_count;
          note_problem(report.invalid, cell, "mã thẻ không hợp lệ (10 chữ số có số kiểm tra)", "not a valid card number (10 digits with a check digit)");
        } else if ((member = find_member_by_card(cell)) == no_member) {
          ++report.unmatched_count;
          note_problem(report.unmatched, cell, "không có thành viên có mã thẻ này", "no member has this card number");
        }
      } else {
        const PhoneResult phone = normalize_phone_vn(restore_phone_zero(cell));
        if (!phone.phone) {
          ++report.invalid_count;
          note_problem(report.invalid, cell, phone.error_vi, phone.error_en);
        } else if ((member = find_member_by_phone(*phone.phone)) == no_member) {
          ++report.unmatched_count;
          note_problem(report.unmatched, cell, "không có thành viên có số điện thoại này", "no member has this phone number");
        }
      }
    }
    if (!identified) {
      ++report.invalid_count;
      note_problem(report.invalid, "", "không có số điện thoại, mã thẻ hay member_id", "no phone, card number or member_id");
      continue;
    }
    if (member == no_member) continue;
    ++report.matched;
    if (seen.contains(member)) {
      ++report.duplicates;
    } else {
      seen.insert(member);
      matched.push_back(member);
    }
  }
  if (csv.failed()) {
    return Result::field("csv", "dấu ngoặc kép ở dòng " + std::to_string(csv.row()) + " không được đóng",
                         "a quote in row " + std::to_string(csv.row()) + " is never closed");
  }
  if (report.rows == 0) return Result::field("csv", "không có dòng khách hàng nào dưới dòng tiêu đề", "has no rows below the header");
  if (request.all_rows_required && (report.invalid_count > 0 || report.unmatched_count > 0)) {
    // Every problem row, by row number, so that the file can be corrected and sent again.
    std::vector<const ImportRowProblem*> problems;
    for (const ImportRowProblem& problem : report.invalid) problems.push_back(&problem);
    for (const ImportRowProblem& problem : report.unmatched) problems.push_back(&problem);
    std::sort(problems.begin(), problems.end(), [](const ImportRowProblem* a, const ImportRowProblem* b) { return a->row < b->row; });
    Result refused{ResultCode::invalid_field, {}};
    for (const ImportRowProblem* problem : problems) {
      if (refused.errors.size() == import_problems_listed) break;
      refused.errors.push_back({"csv[" + std::to_string(problem->row) + "]", problem->message_vi + ": " + problem->value,
                                problem->message_en + ": " + problem->value});
    }
    const std::uint32_t total = report.invalid_count + report.unmatched_count;
    if (total > refused.errors.size()) {
      refused.errors.push_back({"csv", "và " + std::to_string(total - refused.errors.size()) + " dòng lỗi khác",
                                "and " + std::to_string(total - refused.errors.size()) + " more rows with problems"});
    }
    return refused;
  }
  std::sort(matched.begin(), matched.end());
  std::vector<MemberIndex>& list = groups_.groups_[position].members;
  std::vector<MemberIndex> result;
  if (request.mode == ImportMode::add) {
    std::set_union(list.begin(), list.end(), matched.begin(), matched.end(), std::back_inserter(result));
    report.added = static_cast<std::uint32_t>(result.size() - list.size());
    report.already_members = static_cast<std::uint32_t>(matched.size()) - report.added;
  } else {
    result = matched;
    std::vector<MemberIndex> kept;
    std::set_intersection(list.begin(), list.end(), matched.begin(), matched.end(), std::back_inserter(kept));
    report.added = static_cast<std::uint32_t>(matched.size() - kept.size());
    report.removed = static_cast<std::uint32_t>(list.size() - kept.size());
    report.already_members = static_cast<std::uint32_t>(kept.size());
  }
  report.listed_members = list.size();
  if (result == list) return Result::failure(ResultCode::already_applied);
  // After this point the command must succeed.
  list = std::move(result);
  report.listed_members = list.size();
  groups_.groups_[position].updated_at_utc = clock_utc_;
  settle(changes);
  return Result::success();
}

}  // namespace loyalty
