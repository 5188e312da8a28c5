// groups.hpp: customer groups (nhóm khách hàng): static lists and dynamic filters.
//
// [SECTION] Filters
// [SECTION] Groups
// [SECTION] Member sets
// [SECTION] Requests and reports
// [SECTION] State
//
// A static group is a list of members (added by id or imported from a spreadsheet); a
// dynamic group is a filter over members' fields and behaviour (birthday, tier, points,
// orders, opt-ins, other groups) combined with all/any/not, evaluated at a given time.
// Voucher campaigns target a group and notifications use one as their audience, through
// Store::member_in_group and Store::evaluate_group. Blocked members belong to no group
// while blocked (a static list keeps them, and they are back when unblocked); a dynamic
// group holds only members who had joined by the evaluation time.
//
// The state here is the groups and their lists, plus one index derived from the orders
// (each member's orders, newest first), kept by the store and rebuilt from the orders on
// a snapshot's load.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/basics/json_fields.hpp"
#include "core/basics/money.hpp"
#include "core/basics/time.hpp"
#include "core/ledger/ledger.hpp"

namespace loyalty {

// [SECTION] Filters ---------------------------------------------------------------------
enum class FilterKind : std::uint8_t {
  all,                   // every child holds (AND)
  any,                   // some child holds (OR)
  negation,              // the child does not hold (NOT)
  birthday_month,        // number: 1..12
  birthday_within_days,  // number: the birthday falls within the next N local days (0: today)
  tier,                  // text: the member's tier (as the profile shows it) in the program in force at the evaluation time
  tier_points,           // [low, high]: tier points in the program's period (window or calendar year) at the evaluation time
  points,                // [low, high]: the points balance (spendable)
  joined,                // [low, high): joined at or after low, before high
  last_order,            // [low, high): the last completed order by the evaluation time
  orders,                // count and spent of completed orders in a period
  has_referrer,          // number: 1 yes, 0 no (at the evaluation time)
  opt_in,                // number: 0 push, 1 sms, 2 email
  in_group,              // text: another group's id
};

struct FilterNode {
  FilterKind kind = FilterKind::all;
  std::vector<std::uint32_t> children;     // all, any, negation: indexes into GroupFilter::nodes
  std::int64_t number = 0;
  std::string text;
  std::int64_t low = INT64_MIN;            // ranges; times
  std::int64_t high = INT64_MAX;
  // orders: the period, either the last `last_days` days up to the evaluation time, or
  // [from, to); both cut at the evaluation time. Bounds inclusive.
  std::int32_t last_days = 0;              // 0: not relative
  UtcSeconds from_utc = INT64_MIN;
  UtcSeconds to_utc = INT64_MAX;
  std::int64_t count_min = 0, count_max = INT64_MAX;
  Vnd spent_min_vnd = INT64_MIN, spent_max_vnd = INT64_MAX;
  friend bool operator==(const FilterNode&, const FilterNode&) = default;
};

// A tree stored flat: nodes[0] is the root; children come after their parent.
struct GroupFilter {
  std::vector<FilterNode> nodes;
  bool empty() const { return nodes.empty(); }
  friend bool operator==(const GroupFilter&, const GroupFilter&) = default;
};

inline constexpr std::size_t filter_depth_max = 8;         // nested all/any/not levels
inline constexpr std::size_t filter_nodes_max = 100;
inline constexpr std::size_t filter_children_max = 50;
inline constexpr std::size_t group_reference_depth_max = 8; // groups within groups within...

struct GroupFilterReading {
  std::optional<GroupFilter> filter;
  std::vector<FieldError> errors;           // paths under `path`: "filter.all[1].tier"
};
// Reads a filter document ({"all": [...]}, {"birthday_month": 6}, ...), every problem at once.
GroupFilterReading read_group_filter(const Json& json, std::string_view path);
Json group_filter_to_json(const GroupFilter& filter);   // the canonical form read_group_filter reads back
std::string_view opt_in_channel_name(std::int64_t channel);

// [SECTION] Groups ----------------------------------------------------------------------
enum class GroupKind : std::uint8_t { static_list, dynamic };
std::string_view group_kind_name(GroupKind kind);          // "static", "dynamic"
std::optional<GroupKind> group_kind_from_name(std::string_view name);

struct CustomerGroup {
  std::string group_id;
  std::string name;                         // Vietnamese, shown to staff
  std::string name_en;                      // optional
  std::string description;
  GroupKind kind = GroupKind::static_list;
  GroupFilter filter;                       // dynamic
  std::vector<MemberIndex> members;         // static: sorted, unique
  UtcSeconds created_at_utc = 0;
  UtcSeconds updated_at_utc = 0;
};

inline constexpr std::size_t groups_max = 1000;
inline constexpr std::size_t group_id_bytes_max = 64;

// [SECTION] Member sets -----------------------------------------------------------------
// A set of members as a bitset over member indexes: what a whole group's evaluation gives.
class MemberSet {
 public:
  MemberSet() = default;
  explicit MemberSet(std::size_t member_count, bool full = false);
  std::size_t member_count() const { return member_count_; }
  bool contains(MemberIndex member) const { return member < member_count_ && (words_[member >> 6] >> (member & 63)) & 1; }
  void insert(MemberIndex member) { words_[member >> 6] |= std::uint64_t{1} << (member & 63); }
  void erase(MemberIndex member) { words_[member >> 6] &= ~(std::uint64_t{1} << (member & 63)); }
  std::size_t count() const;
  bool none() const;
  // The first member at or after `from` in the set; no_member when none.
  MemberIndex next(MemberIndex from) const;
  void intersect(const MemberSet& other);
  void unite(const MemberSet& other);
  void subtract(const MemberSet& other);
  std::vector<std::uint64_t>& words() { return words_; }
  const std::vector<std::uint64_t>& words() const { return words_; }

 private:
  std::vector<std::uint64_t> words_;
  std::size_t member_count_ = 0;
};

// [SECTION] Requests and reports --------------------------------------------------------
struct GroupDefinition {
  std::string group_id;
  std::string name;
  std::string name_en;
  std::string description;
  GroupKind kind = GroupKind::static_list;
  GroupFilter filter;                       // dynamic only
};

enum class ImportMode : std::uint8_t { add, replace };

struct GroupImportRequest {
  std::string group_id;
  std::string csv;                          // UTF-8 text with a header row
  ImportMode mode = ImportMode::add;
  bool all_rows_required = false;           // any unmatched or invalid row refuses the whole import
};

struct ImportRowProblem {
  std::uint32_t row = 0;                    // the row number as a spreadsheet shows it (header: 1)
  std::string value;                        // the cell that identified the member
  std::string message_vi;                   // invalid rows only
  std::string message_en;
};

struct GroupImportReport {
  std::uint32_t rows = 0;                   // data rows, blank rows apart
  std::uint32_t blank_rows = 0;
  std::uint32_t matched = 0;                // rows that found a member
  std::uint32_t duplicates = 0;             // of the matched rows, those naming a member found above
  std::uint32_t added = 0;                  // members new to the list
  std::uint32_t removed = 0;                // replace: members no longer listed
  std::uint32_t already_members = 0;        // add: matched members that were listed already
  std::uint32_t unmatched_count = 0;
  std::uint32_t invalid_count = 0;
  std::vector<ImportRowProblem> unmatched;  // the first import_problems_listed
  std::vector<ImportRowProblem> invalid;
  std::size_t listed_members = 0;           // the list's size after the import
};
inline constexpr std::size_t import_problems_listed = 100;
inline constexpr std::size_t import_rows_max = 1'000'000;

struct GroupMembersChange {
  std::uint32_t changed = 0;                // added or removed
  std::uint32_t unchanged = 0;              // already (not) listed
  std::size_t listed_members = 0;
};

// [SECTION] State -----------------------------------------------------------------------
class CustomerGroups {
 public:
  const std::vector<CustomerGroup>& groups() const { return groups_; }   // sorted by id
  const CustomerGroup* find(std::string_view group_id) const;
  std::size_t position(std::string_view group_id) const;                 // groups_.size() when absent
  // Checks that every in_group names a group, that no group contains itself and that
  // groups nest at most group_reference_depth_max deep. Empty when all hold; otherwise
  // the problem and, in `cycle`, whether it is a cycle.
  struct Reference {
    std::string_view group_id;
    const GroupFilter* filter;
  };
  static std::string check_references(const std::vector<Reference>& groups, bool& cycle);   // sorted by id
  std::vector<Reference> references() const;

  // What each order counts for in a filter, in order index order, and each member's
  // orders newest first: derived from the store's orders (kept by the store as orders are
  // created, completed and refunded; rebuilt from the orders on a snapshot's load), so
  // that a filter over a million members reads 24 bytes an order, not the whole order.
  struct OrderFact {
    UtcSeconds completed_at_utc = INT64_MAX;   // INT64_MAX: not completed
    Vnd spent_vnd = 0;                         // paid in money, less refunds
    MemberIndex member = no_member;
    bool counts = false;                       // completed and not refunded in full
  };
  // Each member's birthday as month * 32 + day (0: unknown), for the same reason.
  void note_member_birthday(MemberIndex member, std::int32_t month, std::int32_t day);
  const std::vector<std::uint16_t>& birthdays() const { return birthday_by_member_; }
  void note_order(std::uint32_t order_index, MemberIndex member);
  void note_order_state(std::uint32_t order_index, UtcSeconds completed_at_utc, Vnd spent_vnd, bool counts);
  const std::vector<OrderFact>& order_facts() const { return order_facts_; }
  std::uint32_t first_order_of(MemberIndex member) const {
    return member < first_order_by_member_.size() ? first_order_by_member_[member] : UINT32_MAX;
  }
  std::uint32_t next_order_of_member(std::uint32_t order_index) const { return next_order_of_member_[order_index]; }
  std::size_t memory_bytes() const;

 private:
  friend class Store;
  friend class StoreSnapshot;
  std::vector<CustomerGroup> groups_;
  std::vector<std::uint32_t> first_order_by_member_;
  std::vector<std::uint32_t> next_order_of_member_;
  std::vector<OrderFact> order_facts_;
  std::vector<std::uint16_t> birthday_by_member_;
};

}  // namespace loyalty
