// group_filter.cpp: the filter document of a dynamic group (read and written as JSON),
// member sets, and the checks that tie groups together (no group contains itself).
#include <algorithm>
#include <array>
#include <bit>
#include <cassert>

#include "core/groups/groups.hpp"

namespace loyalty {

// ---------------------------------------------------------------------------------------------
// Names

std::string_view group_kind_name(GroupKind kind) { return kind == GroupKind::static_list ? "static" : "dynamic"; }

std::optional<GroupKind> group_kind_from_name(std::string_view name) {
  if (name == "static") return GroupKind::static_list;
  if (name == "dynamic") return GroupKind::dynamic;
  return std::nullopt;
}

namespace {
constexpr std::array<std::string_view, 4> channel_names = {"push", "sms", "email", "zalo"};
}  // namespace

std::string_view opt_in_channel_name(std::int64_t channel) { return channel_names.at(static_cast<std::size_t>(channel)); }

// ---------------------------------------------------------------------------------------------
// Reading a filter

namespace {

constexpr std::int64_t tier_points_limit = 1'000'000'000'000'000'000;
constexpr std::int32_t last_days_max = 3660;   // ten years

class FilterParser {
 public:
  explicit FilterParser(std::vector<FieldError>& errors) : errors_(errors), reader_(errors) {}

  // Appends the node at `json` (and its children after it); returns its index.
  std::uint32_t node(const Json& json, const std::string& path, std::size_t depth) {
    const auto index = static_cast<std::uint32_t>(filter.nodes.size());
    filter.nodes.emplace_back();
    if (filter.nodes.size() > filter_nodes_max) {
      if (!too_many_reported_) reader_.add(path, "bộ lọc có quá " + std::to_string(filter_nodes_max) + " điều kiện",
                                           "a filter has at most " + std::to_string(filter_nodes_max) + " conditions");
      too_many_reported_ = true;
      return index;
    }
    if (!json.is_object() || json.size() != 1) {
      reader_.add(path.empty() ? "$" : path, "mỗi điều kiện là một đối tượng có đúng một khóa, ví dụ {\"birthday_month\": 6}",
                  "each condition is an object with exactly one key, e.g. {\"birthday_month\": 6}");
      return index;
    }
    const std::string key = json.begin().key();
    const Json& value = json.begin().value();
    const std::string where = FieldReader::join(path, key);
    FilterNode node;
    if (key == "all" || key == "any") {
      node.kind = key == "all" ? FilterKind::all : FilterKind::any;
      if (depth >= filter_depth_max) {
        reader_.add(where, "lồng quá " + std::to_string(filter_depth_max) + " cấp", "nested more than " + std::to_string(filter_depth_max) + " levels");
      } else if (!value.is_array() || value.empty() || value.size() > filter_children_max) {
        reader_.add(where, "phải là mảng từ 1 đến " + std::to_string(filter_children_max) + " điều kiện",
                    "must be an array of 1 to " + std::to_string(filter_children_max) + " conditions");
      } else {
        std::vector<std::uint32_t> children;
        for (std::size_t i = 0; i < value.size(); ++i) children.push_back(this->node(value[i], FieldReader::index(where, i), depth + 1));
        node.children = std::move(children);
      }
    } else if (key == "not") {
      node.kind = FilterKind::negation;
      if (depth >= filter_depth_max) {
        reader_.add(where, "lồng quá " + std::to_string(filter_depth_max) + " cấp", "nested more than " + std::to_string(filter_depth_max) + " levels");
      } else {
        node.children = {this->node(value, where, depth + 1)};
      }
    } else if (key == "birthday_month") {
      node.kind = FilterKind::birthday_month;
      node.number = reader_.integer(json, key, path, 1, 12, true).value_or(0);
    } else if (key == "birthday_within_days") {
      node.kind = FilterKind::birthday_within_days;
      node.number = reader_.integer(json, key, path, 0, 366, true).value_or(0);
    } else if (key == "tier") {
      node.kind = FilterKind::tier;
      node.text = reader_.text(json, key, path, 64, true).value_or("");
      if (!node.text.empty() && !is_valid_key(node.text, 64)) reader_.add(where, "mã hạng không hợp lệ", "not a valid tier id");
    } else if (key == "tier_points" || key == "points") {
      node.kind = key == "points" ? FilterKind::points : FilterKind::tier_points;
      const std::int64_t limit = key == "points" ? points_max : tier_points_limit;
      if (reader_.require_object(value, where)) {
        reader_.reject_unknown_keys(value, where, {"min", "max"});
        node.low = reader_.integer(value, "min", where, key == "points" ? -limit : 0, limit, false).value_or(INT64_MIN);
        node.high = reader_.integer(value, "max", where, key == "points" ? -limit : 0, limit, false).value_or(INT64_MAX);
        check_bounds(value, where, "min", "max", node.low, node.high, false);
      }
    } else if (key == "joined" || key == "last_order") {
      node.kind = key == "joined" ? FilterKind::joined : FilterKind::last_order;
      if (reader_.require_object(value, where)) {
        reader_.reject_unknown_keys(value, where, {"after", "before"});
        node.low = reader_.time(value, "after", where, false).value_or(INT64_MIN);
        node.high = reader_.time(value, "before", where, false).value_or(INT64_MAX);
        check_bounds(value, where, "after", "before", node.low, node.high, true);
      }
    } else if (key == "orders") {
      node.kind = FilterKind::orders;
      if (reader_.require_object(value, where)) {
        reader_.reject_unknown_keys(value, where, {"last_days", "from", "to", "count_min", "count_max", "spent_min_vnd", "spent_max_vnd"});
        node.last_days = static_cast<std::int32_t>(reader_.integer(value, "last_days", where, 1, last_days_max, false).value_or(0));
        node.from_utc = reader_.time(value, "from", where, false).value_or(INT64_MIN);
        node.to_utc = reader_.time(value, "to", where, false).value_or(INT64_MAX);
        if (node.last_days != 0 && (value.contains("from") || value.contains("to"))) {
          reader_.add(FieldReader::join(where, "last_days"), "không dùng cùng from/to", "cannot be given with from or to");
        }
        check_bounds(value, where, "from", "to", node.from_utc, node.to_utc, true);
        node.count_min = reader_.integer(value, "count_min", where, 0, 1'000'000'000, false).value_or(0);
        node.count_max = reader_.integer(value, "count_max", where, 0, 1'000'000'000, false).value_or(INT64_MAX);
        check_bounds(value, where, "count_min", "count_max", node.count_min, node.count_max, false);
        node.spent_min_vnd = reader_.integer(value, "spent_min_vnd", where, 0, amount_vnd_max, false).value_or(INT64_MIN);
        node.spent_max_vnd = reader_.integer(value, "spent_max_vnd", where, 0, amount_vnd_max, false).value_or(INT64_MAX);
        check_bounds(value, where, "spent_min_vnd", "spent_max_vnd", node.spent_min_vnd, node.spent_max_vnd, false);
        if (!value.contains("count_min") && !value.contains("count_max") && !value.contains("spent_min_vnd") &&
            !value.contains("spent_max_vnd")) {
          reader_.add(where, "cần ít nhất một trong count_min, count_max, spent_min_vnd, spent_max_vnd",
                      "needs at least one of count_min, count_max, spent_min_vnd, spent_max_vnd");
        }
      }
    } else if (key == "has_referrer") {
      node.kind = FilterKind::has_referrer;
      node.number = reader_.boolean(json, key, path, true).value_or(false) ? 1 : 0;
    } else if (key == "opt_in") {
      node.kind = FilterKind::opt_in;
      const std::string channel = reader_.text(json, key, path, 16, true).value_or("");
      const auto found = std::find(channel_names.begin(), channel_names.end(), channel);
      if (found == channel_names.end()) {
        if (value.is_string()) reader_.add(where, "phải là push, sms, email hoặc zalo", "must be push, sms, email or zalo");
      } else {
        node.number = found - channel_names.begin();
      }
    } else if (key == "in_group") {
      node.kind = FilterKind::in_group;
      node.text = reader_.text(json, key, path, group_id_bytes_max, true).value_or("");
      if (!node.text.empty() && !is_valid_key(node.text, group_id_bytes_max)) reader_.add(where, "mã nhóm không hợp lệ", "not a valid group id");
    } else {
      reader_.add(where, "không có điều kiện này", "no such condition");
    }
    filter.nodes[index] = std::move(node);
    return index;
  }

  GroupFilter filter;

 private:
  // Both bounds given: the lower may not pass the upper (for times, `after` must be
  // before `before`); at least one must be given.
  void check_bounds(const Json& value, const std::string& where, const char* low_key, const char* high_key, std::int64_t low,
                    std::int64_t high, bool strict) {
    if (value.contains(low_key) && value.contains(high_key) && (strict ? low >= high : low > high)) {
      reader_.add(FieldReader::join(where, high_key), strict ? std::string("phải sau ") + low_key : std::string("không được nhỏ hơn ") + low_key,
                  strict ? std::string("must be after ") + low_key : std::string("must not be less than ") + low_key);
    }
    const bool ranges_only = std::string_view(low_key) == "min" || std::string_view(low_key) == "after";
    if (ranges_only && !value.contains(low_key) && !value.contains(high_key)) {
      reader_.add(where, std::string("cần ") + low_key + " hoặc " + high_key, std::string("needs ") + low_key + " or " + high_key);
    }
  }

  std::vector<FieldError>& errors_;
  FieldReader reader_;
  bool too_many_reported_ = false;
};

}  // namespace

GroupFilterReading read_group_filter(const Json& json, std::string_view path) {
  GroupFilterReading reading;
  FilterParser parser(reading.errors);
  parser.node(json, std::string(path), 0);
  if (reading.errors.empty()) reading.filter = std::move(parser.filter);
  return reading;
}

namespace {
Json node_to_json(const GroupFilter& filter, std::uint32_t index) {
  const FilterNode& node = filter.nodes[index];
  auto range = [&](const char* low_key, const char* high_key, bool times) {
    Json json = Json::object();
    if (node.low != INT64_MIN) json[low_key] = times ? Json(format_utc_time(node.low)) : Json(node.low);
    if (node.high != INT64_MAX) json[high_key] = times ? Json(format_utc_time(node.high)) : Json(node.high);
    return json;
  };
  switch (node.kind) {
    case FilterKind::all:
    case FilterKind::any: {
      Json children = Json::array();
      for (std::uint32_t child : node.children) children.push_back(node_to_json(filter, child));
      return Json{{node.kind == FilterKind::all ? "all" : "any", children}};
    }
    case FilterKind::negation: return Json{{"not", node_to_json(filter, node.children[0])}};
    case FilterKind::birthday_month: return Json{{"birthday_month", node.number}};
    case FilterKind::birthday_within_days: return Json{{"birthday_within_days", node.number}};
    case FilterKind::tier: return Json{{"tier", node.text}};
    case FilterKind::tier_points: return Json{{"tier_points", range("min", "max", false)}};
    case FilterKind::points: return Json{{"points", range("min", "max", false)}};
    case FilterKind::joined: return Json{{"joined", range("after", "before", true)}};
    case FilterKind::last_order: return Json{{"last_order", range("after", "before", true)}};
    case FilterKind::orders: {
      Json json = Json::object();
      if (node.last_days != 0) json["last_days"] = node.last_days;
      if (node.from_utc != INT64_MIN) json["from"] = format_utc_time(node.from_utc);
      if (node.to_utc != INT64_MAX) json["to"] = format_utc_time(node.to_utc);
      if (node.count_min != 0) json["count_min"] = node.count_min;
      if (node.count_max != INT64_MAX) json["count_max"] = node.count_max;
      if (node.spent_min_vnd != INT64_MIN) json["spent_min_vnd"] = node.spent_min_vnd;
      if (node.spent_max_vnd != INT64_MAX) json["spent_max_vnd"] = node.spent_max_vnd;
      return Json{{"orders", json}};
    }
    case FilterKind::has_referrer: return Json{{"has_referrer", node.number == 1}};
    case FilterKind::opt_in: return Json{{"opt_in", opt_in_channel_name(node.number)}};
    case FilterKind::in_group: return Json{{"in_group", node.text}};
  }
  return nullptr;
}
}  // namespace

Json group_filter_to_json(const GroupFilter& filter) {
  assert(!filter.nodes.empty());
  return node_to_json(filter, 0);
}

// ---------------------------------------------------------------------------------------------
// Member sets

MemberSet::MemberSet(std::size_t member_count, bool full) : words_((member_count + 63) / 64, full ? ~std::uint64_t{0} : 0), member_count_(member_count) {
  if (full && member_count % 64 != 0) words_.back() = (std::uint64_t{1} << (member_count % 64)) - 1;
}

std::size_t MemberSet::count() const {
  std::size_t total = 0;
  for (std::uint64_t word : words_) total += static_cast<std::size_t>(std::popcount(word));
  return total;
}

bool MemberSet::none() const {
  return std::all_of(words_.begin(), words_.end(), [](std::uint64_t word) { return word == 0; });
}

MemberIndex MemberSet::next(MemberIndex from) const {
  if (from >= member_count_) return no_member;
  std::size_t word_index = from >> 6;
  std::uint64_t word = words_[word_index] & (~std::uint64_t{0} << (from & 63));
  while (word == 0) {
    if (++word_index == words_.size()) return no_member;
    word = words_[word_index];
  }
  return static_cast<MemberIndex>(word_index * 64 + static_cast<std::size_t>(std::countr_zero(word)));
}

void MemberSet::intersect(const MemberSet& other) {
  assert(other.words_.size() == words_.size());
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= other.words_[i];
}
void MemberSet::unite(const MemberSet& other) {
  assert(other.words_.size() == words_.size());
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= other.words_[i];
}
void MemberSet::subtract(const MemberSet& other) {
  assert(other.words_.size() == words_.size());
  for (std::size_t i = 0; i < words_.size(); ++i) words_[i] &= ~other.words_[i];
}

// ---------------------------------------------------------------------------------------------
// The groups' state

std::size_t CustomerGroups::position(std::string_view group_id) const {
  const auto found = std::lower_bound(groups_.begin(), groups_.end(), group_id,
                                      [](const CustomerGroup& group, std::string_view id) { return group.group_id < id; });
  return found != groups_.end() && found->group_id == group_id ? static_cast<std::size_t>(found - groups_.begin()) : groups_.size();
}

const CustomerGroup* CustomerGroups::find(std::string_view group_id) const {
  const std::size_t index = position(group_id);
  return index == groups_.size() ? nullptr : &groups_[index];
}

std::vector<CustomerGroups::Reference> CustomerGroups::references() const {
  std::vector<Reference> references;
  references.reserve(groups_.size() + 1);
  for (const CustomerGroup& group : groups_) references.push_back({group.group_id, &group.filter});
  return references;
}

std::string CustomerGroups::check_references(const std::vector<Reference>& groups, bool& cycle) {
  cycle = false;
  auto index_of = [&](std::string_view id) -> std::size_t {
    const auto found = std::lower_bound(groups.begin(), groups.end(), id,
                                        [](const Reference& group, std::string_view key) { return group.group_id < key; });
    return found != groups.end() && found->group_id == id ? static_cast<std::size_t>(found - groups.begin()) : groups.size();
  };
  // The groups each group names, then a depth-first walk: 0 unvisited, 1 on the path, 2 done.
  std::vector<std::vector<std::size_t>> edges(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const FilterNode& node : groups[g].filter->nodes) {
      if (node.kind != FilterKind::in_group) continue;
      const std::size_t target = index_of(node.text);
      if (target == groups.size()) return "group " + std::string(groups[g].group_id) + " names the unknown group " + node.text;
      edges[g].push_back(target);
    }
  }
  std::vector<std::uint8_t> state(groups.size(), 0);
  std::vector<std::size_t> height(groups.size(), 0);   // the longest chain of groups below
  std::vector<std::pair<std::size_t, std::size_t>> stack;
  for (std::size_t start = 0; start < groups.size(); ++start) {
    if (state[start] != 0) continue;
    stack.push_back({start, 0});
    state[start] = 1;
    while (!stack.empty()) {
      auto& [group, next_edge] = stack.back();
      if (next_edge < edges[group].size()) {
        const std::size_t target = edges[group][next_edge++];
        if (state[target] == 1) {
          cycle = true;
          return "group " + std::string(groups[target].group_id) + " would contain itself";
        }
        if (state[target] == 0) {
          state[target] = 1;
          stack.push_back({target, 0});
        }
        continue;
      }
      for (std::size_t target : edges[group]) height[group] = std::max(height[group], height[target] + 1);
      if (height[group] > group_reference_depth_max) {
        return "group " + std::string(groups[group].group_id) + " nests groups more than " + std::to_string(group_reference_depth_max) + " deep";
      }
      state[group] = 2;
      stack.pop_back();
    }
  }
  return {};
}

void CustomerGroups::note_order(std::uint32_t order_index, MemberIndex member) {
  assert(order_index == next_order_of_member_.size());
  if (member >= first_order_by_member_.size()) first_order_by_member_.resize(member + 1, UINT32_MAX);
  next_order_of_member_.push_back(first_order_by_member_[member]);
  first_order_by_member_[member] = order_index;
  order_facts_.push_back(OrderFact{INT64_MAX, 0, member, false});
}

void CustomerGroups::note_member_birthday(MemberIndex member, std::int32_t month, std::int32_t day) {
  assert(month >= 0 && month <= 12 && day >= 0 && day <= 31);
  if (member >= birthday_by_member_.size()) birthday_by_member_.resize(member + 1, 0);
  birthday_by_member_[member] = static_cast<std::uint16_t>(month * 32 + day);
}

void CustomerGroups::note_order_state(std::uint32_t order_index, UtcSeconds completed_at_utc, Vnd spent_vnd, bool counts) {
  OrderFact& fact = order_facts_[order_index];
  fact.completed_at_utc = completed_at_utc;
  fact.spent_vnd = spent_vnd;
  fact.counts = counts;
}

std::size_t CustomerGroups::memory_bytes() const {
  std::size_t bytes = groups_.capacity() * sizeof(CustomerGroup);
  for (const CustomerGroup& group : groups_) {
    bytes += group.members.capacity() * sizeof(MemberIndex) + group.filter.nodes.capacity() * sizeof(FilterNode);
  }
  return bytes + (first_order_by_member_.capacity() + next_order_of_member_.capacity()) * sizeof(std::uint32_t) +
         order_facts_.capacity() * sizeof(OrderFact) + birthday_by_member_.capacity() * sizeof(std::uint16_t);
}

}  // namespace loyalty
