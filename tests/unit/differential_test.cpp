// differential_test.cpp: random command streams through the CommandRunner, JSON in and
// JSON out, checked against the independent auditor model (auditor_model.hpp) and against
// the store rebuilt from its own journal.
//
// [SECTION] Settings (environment variables)
// [SECTION] Writing commands
// [SECTION] The stream generator
// [SECTION] Comparing answers with the model
// [SECTION] Running a stream
// [SECTION] Test cases
//
// Each stream comes from a seed. It sends every write command of docs/commands.md (and
// reads with and without "time"), with times that mostly move forward and sometimes go
// back (late events). At random points the host "restarts": a fresh runner replays the
// journal lines collected so far (each must be accepted again), and a fixed set of reads
// must answer byte for byte what the live runner answers. The model predicts every
// result code and every balance on its own: a wrongly accepted or refused command, or a
// point put in the wrong place, fails the test with the seed, the step, the command
// line and both answers. Short streams are checked completely after every step, long
// ones at intervals.
//
// Reproduce a failure with LOYALTY_DIFFERENTIAL_SEED=<seed> (LOYALTY_DIFFERENTIAL_LONG=1
// for a long stream's seed); LOYALTY_DIFFERENTIAL_MINIMIZE=1 then also prints the
// shortest command sequence found that still disagrees. LOYALTY_DIFFERENTIAL_SCALE=0.5
// halves the work (the default runs 1,000,000 operations).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "auditor_model.hpp"
#include "core/basics/seeded_random.hpp"
#include "core/commands/command_runner.hpp"

namespace {

namespace model = loyalty::auditor;
using loyalty::Json;
using loyalty::UtcSeconds;
using Points = std::int64_t;
using Vnd = std::int64_t;

// [SECTION] Settings (environment variables) ---------------------------------------------------
// Under Node (the wasm build) the host's environment is not passed through: defaults apply.
std::int64_t environment_integer(const char* name, std::int64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  return std::strtoll(value, nullptr, 10);
}

double environment_scale() {
  const char* value = std::getenv("LOYALTY_DIFFERENTIAL_SCALE");
  if (value == nullptr || *value == '\0') return 1.0;
  const double scale = std::strtod(value, nullptr);
  return scale > 0 ? scale : 1.0;
}

// [SECTION] Writing commands -------------------------------------------------------------------
// A time as an ISO text: in UTC ("Z") or with the zone's offset ("+07:00"); both are accepted.
std::string format_time(UtcSeconds time_utc, std::int32_t offset_minutes) {
  const UtcSeconds local = time_utc + static_cast<UtcSeconds>(offset_minutes) * 60;
  const std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  const std::int64_t second_of_day = local - days * 86400;
  const loyalty::CivilDate date = loyalty::civil_from_days(days);
  char text[48];
  const int hour = static_cast<int>(second_of_day / 3600), minute = static_cast<int>(second_of_day / 60 % 60),
            second = static_cast<int>(second_of_day % 60);
  if (offset_minutes == 0) {
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year, date.month, date.day, hour, minute, second);
  } else {
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", date.year, date.month, date.day, hour, minute,
                  second, offset_minutes < 0 ? '-' : '+', std::abs(offset_minutes) / 60, std::abs(offset_minutes) % 60);
  }
  return text;
}

// [SECTION] The stream generator -----------------------------------------------------------------
bool avoided(const std::string& what);
struct Zone {
  const char* name;
  std::int32_t offset_minutes;
};
constexpr Zone zones[] = {{"Asia/Ho_Chi_Minh", 420}, {"UTC", 0}, {"Asia/Tokyo", 540}, {"Asia/Singapore", 480}};

// What stays the same for the whole stream. Tier ids and thresholds never change between
// versions, so that "the tier a member was last placed in" means the same whatever
// version names it; the rates, multipliers, rounding, pending period, expiry, inactivity,
// holds and transfers change from version to version.
struct Scenario {
  bool line_rules = false;   // the program excludes a category and doubles another (orders carry lines either way)
  bool bonuses = false;      // welcome, first-order and referral bonuses
  Zone zone = zones[0];
  std::int32_t window_months = 0;
  bool tier_points_when_available = false;
  bool small_pool = false;         // a pool that runs dry (pool_exhausted); no birthday perks then
  Points first_tier_needed = 0;    // above 0: new members have no tier
  // Core IV's tier rules: what tiers qualify by, a calendar year, retention, tier-up and
  // profile bonuses, promotions (one of them for a group of a birthday month), manual tiers.
  const char* qualify_by = "tier_points";
  std::int32_t calendar_year_start_month = 0;
  bool close_tiers = false;        // Bạch kim just above Vàng: one order may pass Vàng by
  std::optional<std::pair<std::int32_t, bool>> retention;   // keep_months, fall_at_most_one_tier
  bool tier_up_bonuses = false;
  bool profile_bonus = false;
  bool promotions = false;
  bool manual_tiers = false;
  std::int32_t group_birthday_month = 0;   // above 0: a group of members born that month, for a promotion
};

struct GeneratorState {
  std::int64_t next_member = 0, next_order = 0, next_refund = 0, next_key = 0, next_hold = 0, next_transfer = 0,
               next_redemption = 0;
  std::vector<Vnd> hold_checkout_vnd;   // by hold index: the checkout amount it was placed for
  std::vector<std::string> hold_ids;    // every hold id ever sent (some were refused)
};

class Generator {
 public:
  Generator(std::uint64_t seed, const model::AuditorModel& auditor) : auditor_(auditor) {
    random_.state = seed * 0x9E3779B97F4A7C15ULL + 12345;
    rules_random_.state = seed * 0xD1B54A32D192ED03ULL + 777;
    scenario_.zone = zones[random_.below(4)];
    const std::int32_t windows[] = {0, 0, 3, 12};
    scenario_.window_months = windows[random_.below(4)];
    scenario_.tier_points_when_available = random_.below(4) == 0 && !avoided("when_available");
    scenario_.small_pool = random_.below(10) == 0;
    scenario_.first_tier_needed = random_.below(5) == 0 ? 100 : 0;
    scenario_.line_rules = rules_random_.below(2) == 0 && !avoided("lines");
    scenario_.bonuses = rules_random_.below(2) == 0 && !scenario_.small_pool && !avoided("bonuses");
    start_utc_ = 1767225600 /* 2026-01-01T00:00:00Z */ + random_.below(400) * 86400 + random_.below(86400);
    // Core IV's tier rules draw from their own sequence too.
    tier_random_.state = seed * 0x94D049BB133111EBULL + 4242;
    if (!avoided("tier_rules")) {
      const std::int64_t measure = tier_random_.below(10);
      scenario_.qualify_by = measure < 6 ? "tier_points" : measure < 8 ? "spend_vnd" : "order_count";
      if (scenario_.window_months == 0 && tier_random_.below(3) == 0) scenario_.calendar_year_start_month = 1 + static_cast<std::int32_t>(tier_random_.below(12));
      scenario_.close_tiers = tier_random_.below(2) == 0;
      if (tier_random_.below(2) == 0) scenario_.retention = std::make_pair(static_cast<std::int32_t>(tier_random_.below(4)), tier_random_.below(2) == 0);
      scenario_.tier_up_bonuses = !scenario_.small_pool && tier_random_.below(2) == 0;
      scenario_.profile_bonus = !scenario_.small_pool && tier_random_.below(2) == 0;
      scenario_.promotions = tier_random_.below(2) == 0;
      scenario_.manual_tiers = tier_random_.below(2) == 0;
      if (scenario_.promotions && tier_random_.below(2) == 0) scenario_.group_birthday_month = 1 + static_cast<std::int32_t>(tier_random_.below(12));
    }
  }

  const Scenario& scenario() const { return scenario_; }

  Json program_json() {
    const Vnd point_values[] = {500, 1000, 1000, 2000};
    const char* roundings[] = {"down", "half_up", "up"};
    const char* rules[] = {"never", "months_after", "end_of_month_after"};
    const std::int32_t pending_days[] = {0, 0, 7, 14};
    Json perks_bac = Json::array(), perks_vang = Json::array(), perks_bach_kim = Json::array();
    if (!scenario_.small_pool) {
      perks_bac.push_back({{"type", "birthday_bonus"}, {"enabled", true}, {"birthday_bonus_points", 10 + random_.below(40)}});
      perks_vang.push_back({{"type", "birthday_bonus"}, {"enabled", random_.below(5) != 0}, {"birthday_bonus_points", 50 + random_.below(50)}});
      perks_bach_kim.push_back({{"type", "birthday_bonus"}, {"enabled", true}, {"birthday_bonus_points", 100 + random_.below(100)}});
    }
    perks_vang.push_back({{"type", "earning_multiplier"}, {"enabled", true}, {"multiplier_bp", 10000 + random_.below(6) * 1000}});
    perks_bach_kim.push_back({{"type", "earning_multiplier"}, {"enabled", random_.below(6) != 0}, {"multiplier_bp", 12000 + random_.below(9) * 1000}});
    perks_bach_kim.push_back({{"type", "earning_multiplier"}, {"enabled", true}, {"multiplier_bp", 11000}});
    perks_bach_kim.push_back({{"type", "free_shipping"}, {"enabled", true}, {"free_shipping_min_order_vnd", 300000}});
    const char* rule = avoided("expiry") ? "never" : rules[random_.below(3)];
    Json program{
        {"program_name", "Cửa hàng thử nghiệm"},
        {"time_zone", scenario_.zone.name},
        {"wallet",
         {{"initial_pool_points", scenario_.small_pool ? 4000 : 1000000000},
          {"point_value_vnd", point_values[random_.below(4)]},
          {"buyer_earn_rate_bp", 50 + random_.below(10) * 50},
          {"referrer_earn_rate_bp", random_.below(5) * 50},
          {"rounding", roundings[random_.below(3)]},
          {"exclude_shipping", true}}},
        {"tier_points", {{"vnd_per_tier_point", 20000}, {"window_months", scenario_.window_months}}},
        {"tiers", tiers_json(perks_bac, perks_vang, perks_bach_kim)},
        {"pending", {{"days", pending_days[random_.below(4)]}, {"tier_points", scenario_.tier_points_when_available ? "when_available" : "at_once"}}},
        {"expiry", {{"rule", rule}, {"months", 1 + random_.below(3)}, {"inactivity_months", random_.below(5) < 3 || avoided("inactivity") ? 0 : 2 + random_.below(3)}}},
        {"pay_with_points", {{"max_share_bp", 3000 + random_.below(6) * 1000}, {"hold_timeout_s", 60 + random_.below(4) * 600}}},
        {"transfers",
         {{"enabled", random_.below(5) != 0},
          {"daily_limit_points", random_.below(3) == 0 ? 0 : 50 + random_.below(6) * 50},
          {"minimum_balance_points", random_.below(3) == 0 ? 0 : random_.below(20)}}}};
    if (scenario_.line_rules) {
      program["earning"] = {{"excluded_categories", {"thuoc-la"}}, {"category_multipliers", {{{"category", "huu-co"}, {"multiplier_bp", 20000}}}}};
    }
    if (scenario_.bonuses) {
      program["bonuses"] = {{"welcome_points", rules_random_.below(3) * 10}, {"first_order_points", rules_random_.below(4) * 10},
                            {"referral_referrer_points", rules_random_.below(3) * 15},
                            {"referral_new_member_points", rules_random_.below(3) * 5}};
    }
    add_tier_rules(program);
    return program;
  }

  // Thresholds in what the tiers qualify by; the same in every version of the stream.
  Json tiers_json(const Json& perks_bac, const Json& perks_vang, const Json& perks_bach_kim) {
    const std::string measure = scenario_.qualify_by;
    const char* needed = measure == "spend_vnd" ? "spend_needed_vnd" : measure == "order_count" ? "orders_needed" : "tier_points_needed";
    std::int64_t thresholds[3] = {scenario_.first_tier_needed, 300, scenario_.close_tiers ? 400 : 1200};
    if (measure == "spend_vnd") {
      thresholds[0] = scenario_.first_tier_needed > 0 ? 500000 : 0;
      thresholds[1] = 2000000;
      thresholds[2] = scenario_.close_tiers ? 3000000 : 12000000;
    } else if (measure == "order_count") {
      thresholds[0] = scenario_.first_tier_needed > 0 ? 1 : 0;
      thresholds[1] = 2;
      thresholds[2] = scenario_.close_tiers ? 3 : 6;
    }
    Json tiers = Json::array({Json{{"id", "bac"}, {"name", "Bạc"}, {needed, thresholds[0]}, {"perks", perks_bac}},
                              Json{{"id", "vang"}, {"name", "Vàng"}, {needed, thresholds[1]}, {"perks", perks_vang}},
                              Json{{"id", "bach_kim"}, {"name", "Bạch kim"}, {needed, thresholds[2]}, {"perks", perks_bach_kim}}});
    if (scenario_.tier_up_bonuses) {
      for (Json& tier : tiers) {
        if (tier_random_.below(4) != 0) tier["tier_up_bonus_points"] = 5 + tier_random_.below(60);
      }
    }
    return tiers;
  }

  void add_tier_rules(Json& program) {
    if (std::string(scenario_.qualify_by) != "tier_points") program["tier_points"]["qualify_by"] = scenario_.qualify_by;
    if (scenario_.calendar_year_start_month != 0) program["tier_points"]["calendar_year_start_month"] = scenario_.calendar_year_start_month;
    if (scenario_.retention) {
      program["tier_retention"] = {{"keep_months", scenario_.retention->first}, {"fall_at_most_one_tier", scenario_.retention->second}};
    }
    if (scenario_.profile_bonus) {
      if (!program.contains("bonuses")) program["bonuses"] = Json::object();
      program["bonuses"]["profile_completion_points"] = 10 + tier_random_.below(40);
    }
    if (scenario_.promotions) {
      // Periods of days to weeks around the clock, for everyone, a tier or the group.
      Json promotions = Json::array();
      const std::int64_t count = 1 + tier_random_.below(3);
      for (std::int64_t i = 0; i < count; ++i) {
        const UtcSeconds starts = std::max(auditor_.clock_utc(), start_utc_) - tier_random_.below(10) * 86400 + tier_random_.below(30 * 86400);
        Json promotion{{"id", "km-" + std::to_string(i)}, {"name", "Khuyến mãi " + std::to_string(i)}, {"starts_at", format_time(starts, 0)},
                       {"ends_at", format_time(starts + 3600 + tier_random_.below(20 * 86400), 0)},
                       {"multiplier_bp", 10000 + tier_random_.below(11) * 2000}, {"combine", tier_random_.below(2) == 0 ? "multiply" : "highest"}};
        const std::int64_t whom = tier_random_.below(4);
        const char* tier_ids[] = {"bac", "vang", "bach_kim"};
        if (whom == 1) promotion["tier_id"] = tier_ids[tier_random_.below(3)];
        if (whom == 2 && group_saved_) promotion["group_id"] = "sinh-nhat-thang";
        promotions.push_back(promotion);
      }
      program["promotions"] = promotions;
    }
  }

  // Core IV's commands, now and then: the group, a manual tier, an email that completes a profile.
  std::optional<Json> tier_rules_command() {
    if (scenario_.group_birthday_month != 0 && !group_saved_ && auditor_.members().size() >= 3) {
      group_saved_ = true;
      return Json{{"command", "save_group"}, {"time", time_text(write_time(false))}, {"group_id", "sinh-nhat-thang"},
                  {"name", "Sinh nhật trong tháng"}, {"kind", "dynamic"}, {"filter", {{"birthday_month", scenario_.group_birthday_month}}}};
    }
    const std::int64_t pick = tier_random_.below(1000);
    if (scenario_.manual_tiers && pick < 15) return assign_tier();
    if (scenario_.profile_bonus && pick < 35) {
      const std::size_t member = random_member();
      return Json{{"command", "update_member"}, {"time", time_text(write_time())}, {"member_id", auditor_.members()[member].member_id},
                  {"email", "kh" + std::to_string(member) + "@example.vn"}};
    }
    return std::nullopt;
  }

  Json assign_tier() {
    const std::size_t member = random_member();
    const model::Member& record = auditor_.members()[member];
    const UtcSeconds time = write_time();
    Json command{{"command", "assign_tier"}, {"time", time_text(time)}, {"member_id", record.member_id}, {"reason", "Khách VIP"},
                 {"actor", "chu@demo.vn"}};
    const std::int64_t kind = tier_random_.below(20);
    if (kind < 3 && !record.manual_tier_id.empty()) {   // the same again: a retry
      command["tier_id"] = record.manual_tier_id;
      command["ends_at"] = format_time(record.manual_end_utc, 0);
      return command;
    }
    if (kind < 6) {   // ended early (refused when there is none in force)
      command["tier_id"] = nullptr;
      return command;
    }
    const char* tier_ids[] = {"bac", "vang", "bach_kim", "kim_cuong"};
    command["tier_id"] = tier_ids[kind == 6 ? 3 : tier_random_.below(3)];
    const UtcSeconds clock = std::max(auditor_.clock_utc(), time);
    command["ends_at"] = format_time(kind == 7 ? clock - tier_random_.below(86400) : clock + 3600 + tier_random_.below(60 * 86400), 0);
    return command;
  }

  // The first command of every stream: a program in force before anything else.
  Json first_command() {
    return Json{{"command", "save_program"}, {"time", time_text(start_utc_)}, {"actor", "chu-cua-hang"}, {"program", program_json()}};
  }

  Json next_command() {
    if (auditor_.members().size() >= 3) {
      if (std::optional<Json> command = tier_rules_command()) return *command;
    }
    const std::int64_t pick = random_.below(1000);
    const bool few_members = auditor_.members().size() < 3;
    if (few_members || pick < 50) return create_member();
    if (pick < 80) return update_member();
    if (pick < 100) return set_referrer();
    if (pick < 380) return order();
    if (pick < 470) return refund();
    if (pick < 520) return adjust_points();
    if (pick < 580) return redeem_points();
    if (pick < 660) return hold_points();
    if (pick < 690) return release_hold();
    if (pick < 750) return transfer_points();
    if (pick < 790) return pending_action();
    if (pick < 810) return grant_birthday_bonuses();
    if (pick < 820) return Json{{"command", "review_tiers"}, {"time", time_text(write_time())}};
    if (pick < 845) return Json{{"command", "process_due"}, {"time", time_text(write_time())}};
    if (pick < 855) return save_program();
    if (pick < 860) return forward_only_ ? read() : bare_date_write();
    return read();
  }

  // A read for the fixed set compared after a restart, or for the model's check.
  std::string member_id(std::size_t index) const { return auditor_.members()[index].member_id; }

 private:
  std::string time_text(UtcSeconds time_utc) {
    return format_time(time_utc, random_.below(2) == 0 ? 0 : scenario_.zone.offset_minutes);
  }

  // Mostly forward, by seconds to weeks; sometimes back (a late event).
  UtcSeconds write_time(bool may_be_late = true) {
    const UtcSeconds clock = auditor_.clock_utc();
    if (may_be_late && !forward_only_ && random_.below(100) < 12) return clock - 1 - random_.below(25 * 86400);
    const std::int64_t kind = random_.below(100);
    if (kind < 45) return clock + random_.below(600);
    if (kind < 75) return clock + random_.below(4 * 3600);
    if (kind < 97) return clock + random_.below(2 * 86400);
    return clock + random_.below(25 * 86400);
  }

  std::size_t random_member() { return static_cast<std::size_t>(random_.below(static_cast<std::int64_t>(auditor_.members().size()))); }
  std::string random_member_id() { return auditor_.members()[random_member()].member_id; }

  Json birthday_near(UtcSeconds around_utc) {
    if (random_.below(30) == 0) return Json{{"day", 29}, {"month", 2}, {"year", 1988}};
    const loyalty::CivilDate date = loyalty::local_date(around_utc + random_.below(90) * 86400, loyalty::TimeZone{scenario_.zone.name, scenario_.zone.offset_minutes});
    Json birthday{{"day", date.day}, {"month", date.month}};
    if (random_.below(2) == 0) birthday["year"] = 1990 - random_.below(30) + (date.month == 2 && date.day == 29 ? 2 : 0);
    if (date.month == 2 && date.day == 29) birthday["year"] = 1988;
    return birthday;
  }

  Json create_member() {
    const auto& members = auditor_.members();
    const std::int64_t kind = random_.below(100);
    const UtcSeconds time = write_time();
    if (!members.empty() && kind < 4) {   // a retry of an existing member's creation
      const model::Member& member = members[random_member()];
      return Json{{"command", "create_member"}, {"time", time_text(time)}, {"member_id", member.member_id}, {"phone", member.phone}, {"name", member.name}};
    }
    if (!members.empty() && kind < 7) {   // a taken member id, or a taken phone
      const model::Member& member = members[random_member()];
      if (random_.below(2) == 0) {
        return Json{{"command", "create_member"}, {"time", time_text(time)}, {"member_id", member.member_id}, {"phone", new_phone()}, {"name", "Người khác"}};
      }
      return Json{{"command", "create_member"}, {"time", time_text(time)}, {"member_id", "KH-" + std::to_string(state_.next_member++)},
                  {"phone", member.phone}, {"name", "Người khác"}};
    }
    if (members.size() >= member_cap_) {
      return Json{{"command", "create_member"}, {"time", time_text(time)}, {"member_id", "KH-404"}, {"phone", new_phone()},
                  {"name", "Vượt giới hạn"}, {"referrer_id", "KH-NOBODY"}};
    }
    const std::string id = "KH-" + std::to_string(state_.next_member++);
    Json command{{"command", "create_member"}, {"time", time_text(time)}, {"member_id", id}, {"phone", new_phone()},
                 {"name", "Thành viên " + id}};
    if (random_.below(10) < 7) command["birthday"] = birthday_near(auditor_.clock_utc());
    if (!members.empty() && random_.below(3) == 0) command["referrer_id"] = random_member_id();
    return command;
  }

  std::string new_phone() { return "09" + std::to_string(10000000 + random_.below(89999999)); }

  Json update_member() {
    const std::size_t member = random_member();
    Json command{{"command", "update_member"}, {"time", time_text(write_time())}, {"member_id", auditor_.members()[member].member_id}};
    const std::int64_t kind = random_.below(10);
    if (kind < 4) command["status"] = auditor_.members()[member].blocked || random_.below(3) != 0 || avoided("blocking") ? "active" : "blocked";
    else if (kind < 7) command["birthday"] = random_.below(5) == 0 ? Json(nullptr) : birthday_near(auditor_.clock_utc());
    else if (kind < 9) command["name"] = "Tên mới " + std::to_string(random_.below(1000));
    else command["phone"] = random_.below(3) == 0 ? auditor_.members()[random_member()].phone : new_phone();
    return command;
  }

  Json set_referrer() {
    return Json{{"command", "set_referrer"}, {"time", time_text(write_time())}, {"member_id", random_member_id()}, {"referrer_id", random_member_id()}};
  }

  // An active hold of this member, for its checkout.
  std::optional<std::size_t> active_hold_of(std::size_t member) {
    std::vector<std::size_t> found;
    const auto& holds = auditor_.holds();
    for (std::size_t i = 0; i < holds.size(); ++i) {
      if (holds[i].member == member && holds[i].state == model::HoldState::active) found.push_back(i);
    }
    if (found.empty()) return std::nullopt;
    return found[static_cast<std::size_t>(random_.below(static_cast<std::int64_t>(found.size())))];
  }

  Vnd checkout_of(const std::string& hold_id) const {
    for (std::size_t i = 0; i < state_.hold_ids.size(); ++i) {
      if (state_.hold_ids[i] == hold_id) return state_.hold_checkout_vnd[i];
    }
    return 0;
  }

  Json order() {
    const auto& orders = auditor_.orders();
    if (orders.empty() || random_.below(100) < 55) return new_order();
    const model::Order& known = orders[static_cast<std::size_t>(random_.below(static_cast<std::int64_t>(orders.size())))];
    const char* statuses[] = {"completed", "completed", "completed", "cancelled", "refunded", "placed"};
    std::string status = statuses[random_.below(6)];
    if (status == "refunded" && avoided("refunds")) status = "cancelled";
    Json command{{"command", "order"}, {"time", time_text(order_time(known.member))}, {"order_id", known.order_id},
                 {"member_id", auditor_.members()[known.member].member_id}, {"status", status}, {"amount_vnd", known.amount_vnd}};
    if (known.voucher_discount_vnd > 0) command["voucher_discount_vnd"] = known.voucher_discount_vnd;
    if (known.hold_id.empty() && known.paid_with_points_vnd > 0) command["paid_with_points_vnd"] = known.paid_with_points_vnd;
    // A hold named on `placed` is named again only sometimes (defect 10 when left out).
    if (!known.hold_id.empty() && random_.below(2) == 0) command["points_hold_id"] = known.hold_id;
    const std::int64_t odd = random_.below(100);
    if (odd < 3) command["amount_vnd"] = known.amount_vnd + 1000;
    else if (odd < 5) command["member_id"] = random_member_id();
    return command;
  }

  // A completion's own time: mostly the clock moving on, sometimes late (never before the
  // member joined, but for a few on purpose).
  UtcSeconds order_time(std::size_t member) {
    UtcSeconds time = write_time();
    const UtcSeconds joined = auditor_.members()[member].joined_utc;
    if (time < joined && random_.below(10) != 0) time = joined + random_.below(std::max<UtcSeconds>(1, auditor_.clock_utc() - joined + 1));
    return time;
  }

  Json new_order() {
    const std::size_t member = random_member();
    const std::string order_id = "DH-" + std::to_string(state_.next_order++);
    const std::int64_t kind = random_.below(100);
    const char* status = kind < 65 ? "completed" : kind < 93 ? "placed" : "cancelled";
    // The documents do not say whether a blocked card may place an order: never asked.
    if (auditor_.members()[member].blocked && std::string(status) == "placed") status = "completed";
    Vnd amount_vnd = (50 + random_.below(3000)) * 1000;
    Json command{{"command", "order"}, {"time", time_text(order_time(member))}, {"order_id", order_id},
                 {"member_id", auditor_.members()[member].member_id}, {"status", status}};
    if (std::string(status) != "cancelled" && random_.below(100) < 25) {
      const std::int64_t which = random_.below(100);
      std::optional<std::size_t> hold = active_hold_of(member);
      if (hold && which < 90) {
        const model::Hold& chosen = auditor_.holds()[*hold];
        command["points_hold_id"] = chosen.hold_id;
        amount_vnd = checkout_of(chosen.hold_id);
        // A smaller order than the checkout: the hold may pay more than the maximum share (defect 2).
        if (random_.below(8) == 0) amount_vnd = chosen.value_vnd + random_.below(std::max<Vnd>(1, amount_vnd - chosen.value_vnd));
        if (random_.below(2) == 0) command["paid_with_points_vnd"] = chosen.value_vnd;
      } else if (!state_.hold_ids.empty() && !auditor_.members()[member].blocked) {
        // Another member's hold, or one that does not exist. Not for a blocked card: the
        // documents do not say whether member_blocked comes before the hold's checks.
        command["points_hold_id"] = random_.below(3) == 0 ? std::string("GIU-KHONG-CO")
                                                          : state_.hold_ids[static_cast<std::size_t>(random_.below(static_cast<std::int64_t>(state_.hold_ids.size())))];
      }
    } else if (random_.below(10) == 0) {
      command["paid_with_points_vnd"] = random_.below(amount_vnd / 4000 + 1) * 1000;
    }
    command["amount_vnd"] = amount_vnd;
    if (random_.below(5) == 0) command["voucher_discount_vnd"] = random_.below(amount_vnd / 5000 + 1) * 1000;
    command["actor"] = "pos-quay-" + std::to_string(1 + random_.below(3));
    // Lines that list all the goods or part of them (docs: `order`, `lines`).
    if (rules_random_.below(100) < 35) {
      const char* categories[] = {"gao", "huu-co", "thuoc-la", ""};
      const std::int64_t count = 1 + rules_random_.below(3);
      Vnd left_vnd = rules_random_.below(4) == 0 ? amount_vnd - rules_random_.below(amount_vnd / 2 + 1) : amount_vnd;
      Json lines = Json::array();
      for (std::int64_t i = 0; i < count; ++i) {
        const Vnd line_vnd = i + 1 == count ? left_vnd : rules_random_.below(left_vnd + 1);
        left_vnd -= line_vnd;
        Json line{{"product_id", "SP-" + std::to_string(i)}, {"amount_vnd", line_vnd}, {"quantity", 1 + rules_random_.below(3)}};
        if (const char* category = categories[rules_random_.below(4)]; *category != 0) line["category"] = category;
        lines.push_back(line);
      }
      command["lines"] = lines;
    }
    return command;
  }

  Json refund() {
    if (avoided("refunds")) return redeem_points();
    const auto& orders = auditor_.orders();
    std::vector<std::size_t> completed;
    for (std::size_t i = 0; i < orders.size(); ++i) {
      if (orders[i].status == model::OrderStatus::completed || orders[i].status == model::OrderStatus::refunded) completed.push_back(i);
    }
    if (completed.empty() || random_.below(30) == 0) {
      return Json{{"command", "refund"}, {"time", time_text(write_time())}, {"order_id", orders.empty() || random_.below(2) == 0 ? "DH-KHONG-CO" : orders[0].order_id},
                  {"refund_id", "HT-" + std::to_string(state_.next_refund++)}, {"amount_vnd", 1000}};
    }
    const model::Order& order = orders[completed[static_cast<std::size_t>(random_.below(static_cast<std::int64_t>(completed.size())))]];
    UtcSeconds time = write_time();
    if (time < order.completed_utc && random_.below(10) != 0) time = order.completed_utc + random_.below(3600);
    Json command{{"command", "refund"}, {"time", time_text(time)}, {"order_id", order.order_id}, {"actor", "admin"}};
    const Vnd left_vnd = order.paid_vnd - order.refunded_vnd;
    if (!order.refunds.empty() && random_.below(8) == 0) {   // a retry, or the same id with another amount
      const model::Refund& earlier = order.refunds[static_cast<std::size_t>(random_.below(static_cast<std::int64_t>(order.refunds.size())))];
      command["refund_id"] = earlier.refund_id;
      command["amount_vnd"] = random_.below(3) == 0 ? earlier.amount_vnd + 1 : earlier.amount_vnd;
      if (earlier.refund_id == "full") command["refund_id"] = "full";
      return command;
    }
    command["refund_id"] = "HT-" + std::to_string(state_.next_refund++);
    const std::int64_t kind = random_.below(100);
    Vnd amount_vnd = 1 + random_.below(std::max<Vnd>(1, left_vnd));
    if (kind < 25) amount_vnd = std::max<Vnd>(1, left_vnd);
    else if (kind < 33) amount_vnd = left_vnd + 1 + random_.below(100000);
    command["amount_vnd"] = amount_vnd;
    // A refund naming a line (sometimes more than is left of it, refused).
    if (!order.lines.empty() && rules_random_.below(2) == 0) {
      const model::OrderLine& line = order.lines[static_cast<std::size_t>(rules_random_.below(static_cast<std::int64_t>(order.lines.size())))];
      const std::int64_t left = line.quantity - line.returned;
      const std::int64_t quantity = rules_random_.below(10) == 0 ? left + 1 : 1 + rules_random_.below(std::max<std::int64_t>(1, left));
      command["lines"] = Json::array({Json{{"product_id", line.product_id}, {"quantity", quantity}}});
    }
    return command;
  }

  Json adjust_points() {
    const std::size_t member = random_member();
    Json command{{"command", "adjust_points"}, {"time", time_text(write_time())}, {"member_id", auditor_.members()[member].member_id},
                 {"actor", "ho-tro.lan"}};
    if (state_.next_key > 0 && random_.below(10) == 0) {
      command["idempotency_key"] = "ADJ-" + std::to_string(random_.below(state_.next_key));
      command["points"] = 1 + random_.below(3);
      command["reason"] = "Bù điểm";
      return command;
    }
    command["idempotency_key"] = "ADJ-" + std::to_string(state_.next_key++);
    const Points available = auditor_.available_points(member);
    command["points"] = random_.below(10) < 6 ? 1 + random_.below(200) : -(1 + random_.below(std::max<Points>(1, available + 20)));
    command["reason"] = random_.below(2) == 0 ? "Bù điểm" : "Trừ điểm tặng nhầm";
    return command;
  }

  Json redeem_points() {
    const std::size_t member = random_member();
    const Points available = auditor_.available_points(member);
    Json command{{"command", "redeem_points"}, {"time", time_text(write_time())}, {"member_id", auditor_.members()[member].member_id},
                 {"reason", "Voucher"}, {"actor", "pos-quay-1"}};
    if (state_.next_redemption > 0 && random_.below(10) == 0) {
      command["redemption_id"] = "DD-" + std::to_string(random_.below(state_.next_redemption));
      command["points"] = 1 + random_.below(30);
      return command;
    }
    command["redemption_id"] = "DD-" + std::to_string(state_.next_redemption++);
    command["points"] = 1 + random_.below(std::max<Points>(1, available + 10));
    return command;
  }

  Json hold_points() {
    const std::size_t member = random_member();
    const Points available = auditor_.available_points(member);
    Json command{{"command", "hold_points"}, {"time", time_text(write_time())}, {"member_id", auditor_.members()[member].member_id}};
    if (!state_.hold_ids.empty() && random_.below(10) == 0) {
      const std::size_t earlier = static_cast<std::size_t>(random_.below(static_cast<std::int64_t>(state_.hold_ids.size())));
      const std::size_t hold = auditor_.find_hold(state_.hold_ids[earlier]);
      command["hold_id"] = state_.hold_ids[earlier];
      command["points"] = hold != model::none && random_.below(2) == 0 ? auditor_.holds()[hold].points : 1 + random_.below(50);
      command["order_amount_vnd"] = std::max<Vnd>(1, state_.hold_checkout_vnd[earlier]);
      return command;
    }
    const std::string hold_id = "GIU-" + std::to_string(state_.next_hold++);
    const Points points = 1 + random_.below(std::max<Points>(1, std::min<Points>(available + 5, 400)));
    const Vnd checkout_vnd = (100 + random_.below(3000)) * 1000;
    command["hold_id"] = hold_id;
    command["points"] = points;
    command["order_amount_vnd"] = checkout_vnd;
    state_.hold_ids.push_back(hold_id);
    state_.hold_checkout_vnd.push_back(checkout_vnd);
    return command;
  }

  Json release_hold() {
    std::string hold_id = "GIU-KHONG-CO";
    if (!state_.hold_ids.empty() && random_.below(20) != 0) {
      hold_id = state_.hold_ids[static_cast<std::size_t>(random_.below(static_cast<std::int64_t>(state_.hold_ids.size())))];
      // Prefer an active hold: the interesting case.
      for (std::size_t i = 0; i < auditor_.holds().size() && random_.below(2) == 0; ++i) {
        if (auditor_.holds()[i].state == model::HoldState::active) hold_id = auditor_.holds()[i].hold_id;
      }
    }
    return Json{{"command", "release_hold"}, {"time", time_text(write_time())}, {"hold_id", hold_id}, {"actor", "web"}};
  }

  Json transfer_points() {
    const std::size_t from = random_member();
    std::size_t to = random_member();
    // The documents do not say whether a blocked card may receive: never asked.
    for (int attempt = 0; attempt < 8 && (to == from || auditor_.members()[to].blocked); ++attempt) to = random_member();
    if (auditor_.members()[to].blocked) return update_member();
    Json command{{"command", "transfer_points"}, {"time", time_text(write_time())}, {"from_member_id", auditor_.members()[from].member_id},
                 {"to_member_id", auditor_.members()[to].member_id}, {"actor", "app"}};
    if (state_.next_transfer > 0 && random_.below(10) == 0) {
      command["transfer_id"] = "CD-" + std::to_string(random_.below(state_.next_transfer));
      command["points"] = 1 + random_.below(40);
      return command;
    }
    command["transfer_id"] = "CD-" + std::to_string(state_.next_transfer++);
    command["points"] = 1 + random_.below(std::max<Points>(1, std::min<Points>(auditor_.available_points(from), 150)));
    return command;
  }

  Json pending_action() {
    const auto& orders = auditor_.orders();
    std::string order_id = "DH-KHONG-CO";
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < orders.size(); ++i) {
      for (std::size_t lot : {orders[i].buyer_lot, orders[i].referrer_lot}) {
        if (lot != model::none && auditor_.lots()[lot].pending) pending.push_back(i);
      }
    }
    if (!pending.empty() && random_.below(10) < 7) order_id = orders[pending[static_cast<std::size_t>(random_.below(static_cast<std::int64_t>(pending.size())))]].order_id;
    else if (!orders.empty() && random_.below(10) != 0) order_id = orders[static_cast<std::size_t>(random_.below(static_cast<std::int64_t>(orders.size())))].order_id;
    return Json{{"command", random_.below(2) == 0 ? "release_pending" : "cancel_pending"}, {"time", time_text(write_time())},
                {"order_id", order_id}, {"reason", "Khách đã nhận hàng"}, {"actor", "ho-tro.lan"}};
  }

  // Usually on a member's birthday: the clock jumps to it when it is at most 40 days ahead.
  Json grant_birthday_bonuses() {
    UtcSeconds time = write_time();
    const model::Member& member = auditor_.members()[random_member()];
    if (member.birthday_day != 0 && random_.below(3) != 0) {
      const loyalty::TimeZone zone{scenario_.zone.name, scenario_.zone.offset_minutes};
      for (std::int64_t ahead = 0; ahead <= 40; ++ahead) {
        const UtcSeconds day_utc = auditor_.clock_utc() + ahead * 86400;
        const loyalty::CivilDate date = loyalty::local_date(day_utc, zone);
        const bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
        const bool matches = (date.month == member.birthday_month && date.day == member.birthday_day) ||
                             (member.birthday_month == 2 && member.birthday_day == 29 && !leap && date.month == 2 && date.day == 28);
        if (matches) {
          time = loyalty::local_midnight_utc(date, zone) + random_.below(86400);
          if (time < auditor_.clock_utc() && ahead > 0) time = auditor_.clock_utc();
          break;
        }
      }
    }
    return Json{{"command", "grant_birthday_bonuses"}, {"time", time_text(time)}};
  }

  Json save_program() {
    const auto& versions = auditor_.versions();
    UtcSeconds time = write_time(false);
    const std::int64_t kind = random_.below(10);
    if (forward_only_) {
    } else if (kind == 0 && !versions.empty()) {   // late, but not before the latest version took effect
      const UtcSeconds from = versions.back().effective_from_utc;
      time = from + random_.below(std::max<UtcSeconds>(1, auditor_.clock_utc() - from + 1));
    } else if (kind == 1 && !versions.empty()) {   // before the latest version: refused
      time = versions.back().given_time_utc - 1 - random_.below(86400);
    }
    return Json{{"command", "save_program"}, {"time", time_text(time)}, {"actor", "chu-cua-hang"}, {"program", program_json()}};
  }

  // A write dated with a bare date: refused, and it must move nothing (defect 11).
  Json bare_date_write() {
    const loyalty::CivilDate date = loyalty::civil_from_days((auditor_.clock_utc() + 40 * 86400) / 86400);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
    return Json{{"command", "process_due"}, {"time", text}};
  }

  Json read() {
    const std::int64_t kind = random_.below(10);
    Json command;
    if (kind < 4) command = Json{{"command", "get_member"}, {"member_id", random_member_id()}};
    else if (kind < 6) command = Json{{"command", "liability"}};
    else if (kind < 8) command = Json{{"command", "expiring_points"}, {"within_days", 1 + random_.below(120)}};
    else if (kind < 9) command = Json{{"command", "audit"}};
    else command = Json{{"command", "ledger_history"}, {"member_id", random_member_id()}, {"limit", 1 + random_.below(20)}};
    // With a time, before or after the clock: it must make nothing fall due.
    const UtcSeconds time = auditor_.clock_utc() - 120 * 86400 + random_.below(240 * 86400);
    if (random_.below(2) == 0 && !forward_only_) command["time"] = time_text(time);
    if (forward_only_ && environment_integer("LOYALTY_DIFFERENTIAL_CHECK_AT_CLOCK", 0) != 0) command["time"] = time_text(auditor_.clock_utc());
    return command;
  }

 public:
  std::size_t member_cap_ = 30;
  // Diagnostic (LOYALTY_DIFFERENTIAL_FORWARD_ONLY=1): no late events and no read with a
  // time, to tell the time model's disagreements from the others.
  bool forward_only_ = environment_integer("LOYALTY_DIFFERENTIAL_FORWARD_ONLY", 0) != 0;

 private:
  const model::AuditorModel& auditor_;
  loyalty::SeededRandom random_;
  // Draws for order lines and bonuses (Core IV) come from their own sequence, so that the
  // streams of the rules before them stay the streams they were.
  loyalty::SeededRandom rules_random_;
  loyalty::SeededRandom tier_random_;
  bool group_saved_ = false;
  Scenario scenario_;
  GeneratorState state_;
  UtcSeconds start_utc_ = 0;
};

// [SECTION] Comparing answers with the model ---------------------------------------------------
bool is_read(const std::string& name) {
  return name == "get_member" || name == "liability" || name == "expiring_points" || name == "audit" || name == "ledger_history";
}

std::string show(const Json& value) { return value.dump(); }

// Diagnostics while the core changes: LOYALTY_DIFFERENTIAL_IGNORE=statement,result:cancel_pending
// skips the named comparisons (to see what disagrees next); LOYALTY_DIFFERENTIAL_TRACE=1
// prints every line and its answer.
bool ignored(const std::string& what) {
  static const std::string list = [] {
    const char* value = std::getenv("LOYALTY_DIFFERENTIAL_IGNORE");
    return value == nullptr ? std::string() : "," + std::string(value) + ",";
  }();
  return !list.empty() && (list.find("," + what + ",") != std::string::npos || list == ",all,");
}
// Diagnostic: LOYALTY_DIFFERENTIAL_AVOID=inactivity,when_available,blocking,expiry,refunds,tier_rules
// keeps the generator away from features (to look past a known disagreement).
bool avoided(const std::string& what) {
  static const std::string list = [] {
    const char* value = std::getenv("LOYALTY_DIFFERENTIAL_AVOID");
    return value == nullptr ? std::string() : "," + std::string(value) + ",";
  }();
  return !list.empty() && list.find("," + what + ",") != std::string::npos;
}
bool tracing() {
  static const bool on = environment_integer("LOYALTY_DIFFERENTIAL_TRACE", 0) != 0;
  return on;
}

// Each check returns "" when the answers agree, else what differs.
std::string compare_balances(const model::Balances& expected, const Json& actual) {
  Json want{{"points", expected.points}, {"pending", expected.pending}, {"held", expected.held},
            {"tier_points_lifetime", expected.tier_points_lifetime}};
  if (expected.points_value_vnd) want["points_value_vnd"] = *expected.points_value_vnd;
  if (!actual.is_object()) return "balances missing";
  Json got = Json::object();
  for (const char* key : {"points", "pending", "held", "tier_points_lifetime", "points_value_vnd"}) {
    if (actual.contains(key)) got[key] = actual[key];
  }
  return got == want ? "" : "balances: model " + show(want) + ", runner " + show(got);
}

Json months_json(const std::vector<model::MonthPoints>& months) {
  Json list = Json::array();
  for (const model::MonthPoints& month : months) list.push_back({{"month", month.month}, {"points", month.points}});
  return list;
}

std::string compare_member(const model::AuditorModel& auditor, std::size_t member, UtcSeconds time, const Json& data) {
  const model::MemberView view = auditor.member_view(member, time);
  std::string problem = compare_balances(view.balances, data["balances"]);
  if (!problem.empty()) return problem;
  const Json& tier = data["tier"];
  const Json want_tier = view.tier_id ? Json(*view.tier_id) : Json(nullptr);
  const Json got_tier = tier["tier"].is_object() ? tier["tier"]["id"] : Json(nullptr);
  if (tier["tier_points"] != view.window_tier_points || got_tier != want_tier) {
    return "tier: model " + show(Json{{"tier_points", view.window_tier_points}, {"tier", want_tier}}) + ", runner " +
           show(Json{{"tier_points", tier["tier_points"]}, {"tier", got_tier}});
  }
  Json want_drops = Json::array();
  for (const model::TierDrop& drop : view.upcoming_drops) want_drops.push_back({{"at", format_time(drop.at_utc, 0)}, {"tier_points", drop.tier_points}});
  if (!ignored("upcoming_drops") && tier["upcoming_drops"] != want_drops) return "upcoming_drops: model " + show(want_drops) + ", runner " + show(tier["upcoming_drops"]);
  const model::Statement& s = view.statement;
  const Json want_statement{{"earned", s.earned},   {"received", s.received}, {"returned", s.returned}, {"spent", s.spent},
                            {"expired", s.expired}, {"reversed", s.reversed}, {"sent", s.sent},         {"debt", view.debt_points}};
  if (!ignored("statement") && data["statement"] != want_statement) return "statement: model " + show(want_statement) + ", runner " + show(data["statement"]);
  // Lot by lot: spendable points by the month their lots expire, and the pending lots.
  // With a debt the documents do not say how the months show it: compared without debt.
  if (view.debt_points == 0 && !ignored("points_by_expiry_month")) {
    const Json want_months = months_json(view.points_by_expiry_month);
    if (data["points_by_expiry_month"] != want_months) {
      return "points_by_expiry_month: model " + show(want_months) + ", runner " + show(data["points_by_expiry_month"]);
    }
  }
  Json want_pending = Json::array();
  for (const model::PendingLine& line : view.pending) {
    want_pending.push_back({{"points", line.points}, {"available_at", format_time(line.available_at_utc, 0)}, {"order_id", line.order_id}});
  }
  Json got_pending = data["pending"];
  if (got_pending.is_array()) {
    std::vector<Json> lines(got_pending.begin(), got_pending.end());
    std::sort(lines.begin(), lines.end(), [](const Json& a, const Json& b) {
      if (a["available_at"] != b["available_at"]) return a["available_at"].get<std::string>() < b["available_at"].get<std::string>();
      if (a["order_id"] != b["order_id"]) return a["order_id"].get<std::string>() < b["order_id"].get<std::string>();
      return a["points"].get<std::int64_t>() < b["points"].get<std::int64_t>();
    });
    got_pending = Json(lines);
  }
  if (!ignored("pending_lots") && got_pending != want_pending) return "pending lots: model " + show(want_pending) + ", runner " + show(data["pending"]);
  return "";
}

std::string compare_liability(const model::AuditorModel& auditor, UtcSeconds time, const Json& data) {
  const model::LiabilityView view = auditor.liability(time);
  const Json want{{"outstanding_points", view.outstanding}, {"available_points", view.available}, {"pending_points", view.pending},
                  {"held_points", view.held}, {"debt_points", view.debt}};
  Json got = Json::object();
  for (const auto& [key, value] : want.items()) got[key] = data[key];
  if (got != want) return "liability: model " + show(want) + ", runner " + show(got);
  // The breakdowns add up to what is outstanding (defect 13). Held points are in no lot
  // and a debt in no month: the core lists them as lines of their own ("held", "debt").
  for (const char* breakdown : {"by_expiry_month", "by_tier"}) {
    if (ignored("liability_sums")) break;
    Points sum = 0;
    for (const Json& line : data[breakdown]) sum += line["points"].get<Points>();
    if (sum != view.outstanding) return std::string("liability.") + breakdown + " adds up to " + std::to_string(sum) + ", not to " + std::to_string(view.outstanding);
  }
  // By tier, as each member stands at the read's time: names and sums, zero lines left out.
  Json want_tiers = Json::array();
  for (const model::TierPointsLine& line : view.by_tier) want_tiers.push_back({{"tier", line.tier}, {"points", line.points}});
  Json got_tiers = Json::array();
  for (const Json& line : data["by_tier"]) {
    if (line["points"] != 0) got_tiers.push_back({{"tier", line["tier"]}, {"points", line["points"]}});
  }
  if (!ignored("by_tier") && got_tiers != want_tiers) return "liability.by_tier: model " + show(want_tiers) + ", runner " + show(got_tiers);
  // By month, lot by lot (the "held" and "debt" lines aside).
  if (!ignored("by_expiry_month")) {
    Json got_months = Json::array();
    for (const Json& line : data["by_expiry_month"]) {
      if (line["month"] != "held" && line["month"] != "debt") got_months.push_back({{"month", line["month"]}, {"points", line["points"]}});
    }
    const Json want_months = months_json(view.by_expiry_month);
    if (got_months != want_months) return "liability.by_expiry_month: model " + show(want_months) + ", runner " + show(got_months);
  }
  return "";
}

std::string compare_expiring(const model::AuditorModel& auditor, UtcSeconds time, std::int32_t within_days, const Json& data) {
  Json want = Json::array();
  for (const model::ExpiringLine& line : auditor.expiring_points(time, within_days)) {
    want.push_back({{"member_id", line.member_id}, {"points", line.points}, {"first_expiry", format_time(line.first_expiry_utc, 0)}});
  }
  Json got = Json::array();
  for (const Json& line : data["members"]) got.push_back({{"member_id", line["member_id"]}, {"points", line["points"]}, {"first_expiry", line["first_expiry"]}});
  // Soonest first, then most points (docs); members tied on both may come in any order.
  std::vector<Json> lines(got.begin(), got.end());
  std::stable_sort(lines.begin(), lines.end(), [](const Json& a, const Json& b) {
    if (a["first_expiry"] != b["first_expiry"]) return a["first_expiry"].get<std::string>() < b["first_expiry"].get<std::string>();
    if (a["points"] != b["points"]) return a["points"].get<Points>() > b["points"].get<Points>();
    return a["member_id"].get<std::string>() < b["member_id"].get<std::string>();
  });
  if (Json(lines) == want && got != want) {
    // Only ties were reordered; a wrong order of untied lines still fails below.
    bool untied_order_kept = true;
    for (std::size_t i = 1; i < got.size(); ++i) {
      const Json& a = got[i - 1];
      const Json& b = got[i];
      const bool tied = a["first_expiry"] == b["first_expiry"] && a["points"] == b["points"];
      if (!tied && (a["first_expiry"].get<std::string>() > b["first_expiry"].get<std::string>() ||
                    (a["first_expiry"] == b["first_expiry"] && a["points"].get<Points>() < b["points"].get<Points>()))) {
        untied_order_kept = false;
      }
    }
    if (untied_order_kept) got = want;
  }
  return got == want || ignored("expiring_points") ? "" : "expiring_points: model " + show(want) + ", runner " + show(got);
}

std::string compare_audit(const model::AuditorModel& auditor, const Json& data) {
  if (data["invariants_hold"] != true) return "audit: invariants do not hold: " + show(data);
  const model::AuditView view = auditor.audit();
  const Json want{{"points_funded", view.points_funded}, {"pool", view.pool}, {"redeemed", view.redeemed}, {"expired", view.expired},
                  {"adjustments", view.adjustments}, {"members", view.members}, {"orders", view.orders}};
  Json got = Json::object();
  for (const auto& [key, value] : want.items()) got[key] = data[key];
  return got == want ? "" : "audit totals: model " + show(want) + ", runner " + show(got);
}

// [SECTION] Running a stream --------------------------------------------------------------------
struct Host {
  loyalty::CommandRunner runner;
  std::vector<std::string> journal;   // what the host would persist, in order
  std::size_t line_number = 0;

  // Runs one line; returns the result and keeps the journal as the CLI does.
  Json run(const std::string& line) {
    loyalty::CommandOutput output = runner.run_line(line, ++line_number);
    if (!output.journal_before.empty()) journal.push_back(output.journal_before);
    if (output.journal) journal.push_back(line);
    return std::move(output.result);
  }
};

struct StreamSettings {
  std::uint64_t seed = 0;
  int steps = 1000;
  int check_every = 1;          // the full check after every step, or every N steps
  int restarts = 2;             // restarts at random points
  std::size_t member_cap = 30;
};

struct Failure {
  int step = -1;
  std::string line;
  std::string problem;
};

// Checks a read's answer against the model (reads are pure: nothing is applied).
std::string check_read(const model::AuditorModel& auditor, const Json& command, const Json& answer) {
  const std::string name = command["command"];
  const std::optional<UtcSeconds> given = model::AuditorModel::read_time(command);
  const UtcSeconds time = given.value_or(auditor.clock_utc());
  if (answer["result"] != "ok") return "read refused: " + show(answer);
  const Json& data = answer["data"];
  if (name == "get_member") return compare_member(auditor, auditor.find_member(command["member_id"]), time, data);
  if (name == "liability") return compare_liability(auditor, time, data);
  if (name == "expiring_points") return compare_expiring(auditor, time, command.value("within_days", 30), data);
  if (name == "audit") return compare_audit(auditor, data);
  return "";
}

// The full check: every member's profile, the liability and the audit, as of the clock.
std::string check_everything(Host& host, const model::AuditorModel& auditor) {
  // Diagnostic: with LOYALTY_DIFFERENTIAL_CHECK_AT_CLOCK=1 the checks name the clock's time
  // (for a core whose reads without a time answer as of another moment).
  static const bool at_clock = environment_integer("LOYALTY_DIFFERENTIAL_CHECK_AT_CLOCK", 0) != 0;
  auto dated = [&](Json command) {
    if (at_clock) command["time"] = format_time(auditor.clock_utc(), 0);
    return command;
  };
  for (std::size_t member = 0; member < auditor.members().size(); ++member) {
    const Json command = dated(Json{{"command", "get_member"}, {"member_id", auditor.members()[member].member_id}});
    const Json answer = host.run(command.dump());
    const std::string problem = check_read(auditor, command, answer);
    if (!problem.empty()) return auditor.members()[member].member_id + ": " + problem;
  }
  for (const Json& command : {dated(Json{{"command", "liability"}}), dated(Json{{"command", "audit"}}),
                              dated(Json{{"command", "expiring_points"}, {"within_days", 60}})}) {
    const std::string problem = check_read(auditor, command, host.run(command.dump()));
    if (!problem.empty()) return problem;
  }
  return "";
}

std::string check_changed(Host& host, const model::AuditorModel& auditor, const std::vector<model::Balances>& before,
                          std::size_t any_member) {
  for (std::size_t member = 0; member < auditor.members().size(); ++member) {
    const bool changed = member >= before.size() || !(before[member] == auditor.balances(member));
    if (!changed && member != any_member % auditor.members().size()) continue;
    const Json command{{"command", "get_member"}, {"member_id", auditor.members()[member].member_id}};
    const std::string problem = check_read(auditor, command, host.run(command.dump()));
    if (!problem.empty()) return auditor.members()[member].member_id + ": " + problem;
  }
  for (const Json& command : {Json{{"command", "liability"}}, Json{{"command", "audit"}}}) {
    const std::string problem = check_read(auditor, command, host.run(command.dump()));
    if (!problem.empty()) return problem;
  }
  return "";
}

// The fixed set of reads compared, byte for byte, between the live store and its replay.
std::vector<std::string> fixed_reads(const model::AuditorModel& auditor) {
  std::vector<std::string> lines;
  const std::string later = format_time(auditor.clock_utc() + 45 * 86400, 0);
  const std::string earlier = format_time(auditor.clock_utc() - 45 * 86400, 0);
  for (const model::Member& member : auditor.members()) {
    lines.push_back(Json{{"command", "get_member"}, {"member_id", member.member_id}}.dump());
    lines.push_back(Json{{"command", "get_member"}, {"member_id", member.member_id}, {"time", later}}.dump());
    lines.push_back(Json{{"command", "ledger_history"}, {"member_id", member.member_id}, {"limit", 100}}.dump());
  }
  for (const std::string& time : {std::string(), later, earlier}) {
    for (Json command : {Json{{"command", "liability"}}, Json{{"command", "expiring_points"}, {"within_days", 90}}, Json{{"command", "audit"}}}) {
      if (!time.empty()) command["time"] = time;
      lines.push_back(command.dump());
    }
  }
  return lines;
}

// A restart: replay the journal into a fresh runner; every line must be accepted again and
// the fixed reads must answer exactly as the live store does. The replayed host goes on.
std::string restart(Host& live, const model::AuditorModel& auditor) {
  Host replayed;
  for (const std::string& line : live.journal) {
    loyalty::CommandOutput output = replayed.runner.run_line(line, ++replayed.line_number);
    if (!output.journal_before.empty()) return "replay: journal line " + line + " made more fall due: " + output.journal_before;
    if (output.result["result"] != "ok") return "replay refused journal line " + line + ": " + show(output.result);
    if (!output.journal) return "replay: journal line not journaled again: " + line;
  }
  replayed.journal = live.journal;
  for (const std::string& line : fixed_reads(auditor)) {
    const Json live_answer = live.runner.run_line(line, 1).result;
    const Json replayed_answer = replayed.runner.run_line(line, 1).result;
    if (live_answer.dump() != replayed_answer.dump()) {
      return "after a restart, " + line + " answers differently: live " + show(live_answer) + ", replayed " + show(replayed_answer);
    }
  }
  replayed.line_number = live.line_number;
  live = std::move(replayed);
  return "";
}

// Runs one line on both sides and compares: the result code, the balances the result
// lists, and for a read, its answer.
std::string step_once(Host& host, model::AuditorModel& auditor, const Json& command, const std::string& line) {
  const std::string name = command["command"];
  const Json answer = host.run(line);
  const std::string got = answer.value("result", "");
  if (is_read(name) && tracing()) std::printf("%s\n  runner %s\n", line.c_str(), answer.dump().c_str());
  if (is_read(name)) return check_read(auditor, command, answer);
  const model::Prediction prediction = auditor.apply(command);
  const bool agrees = prediction.any_refusal ? (got != "ok" && got != "already_applied") : got == prediction.result;
  if (tracing()) std::printf("%s\n  model %s, runner %s\n", line.c_str(), prediction.result.c_str(), answer.dump().c_str());
  if (!agrees && ignored("result:" + name)) return "";
  if (!agrees) return "result: model " + std::string(prediction.any_refusal ? "any refusal" : prediction.result) + ", runner " + show(answer);
  if (answer.contains("balances")) {
    for (const auto& [key, value] : answer["balances"].items()) {
      if (key == "pool") {
        if (value != auditor.pool_points()) return "pool: model " + std::to_string(auditor.pool_points()) + ", runner " + show(value);
        continue;
      }
      const std::size_t member = auditor.find_member(key);
      if (member == model::none) return "balances of an unknown member " + key;
      const std::string problem = compare_balances(auditor.balances(member), value);
      if (!problem.empty()) return key + ": " + problem;
    }
  }
  return "";
}

struct StreamReport {
  std::optional<Failure> failure;
  std::int64_t operations = 0;
  std::vector<std::string> lines;   // every stream line sent, for the minimizer
};

StreamReport run_stream(const StreamSettings& settings) {
  // "all" measures the speed of the machinery alone: nothing is compared.
  const bool compare_nothing = ignored("all");
  StreamReport report;
  model::AuditorModel auditor;
  Generator generator(settings.seed, auditor);
  generator.member_cap_ = settings.member_cap;
  Host host;
  loyalty::SeededRandom restart_random{settings.seed ^ 0x5151};
  std::vector<int> restart_steps;
  for (int i = 0; i < settings.restarts; ++i) restart_steps.push_back(static_cast<int>(restart_random.below(settings.steps)));

  auto fail = [&](int step, const std::string& line, const std::string& problem) {
    report.failure = Failure{step, line, problem};
    return report;
  };
  for (int step = 0; step < settings.steps; ++step) {
    const Json command = step == 0 ? generator.first_command() : generator.next_command();
    const std::string line = command.dump();
    report.lines.push_back(line);
    ++report.operations;
    std::vector<model::Balances> before;
    if (settings.check_every == 1) {
      for (std::size_t member = 0; member < auditor.members().size(); ++member) before.push_back(auditor.balances(member));
    }
    std::string problem = step_once(host, auditor, command, line);
    if (!problem.empty() && !compare_nothing) return fail(step, line, problem);
    if ((step + 1) % (settings.check_every == 1 ? 20 : settings.check_every) == 0 || step + 1 == settings.steps) {
      problem = check_everything(host, auditor);
      if (!problem.empty() && !compare_nothing) return fail(step, line, "full check: " + problem);
    } else if (settings.check_every == 1) {
      // After every other step: the profile of every member whose balances the model says
      // changed (and of one more, at random), the liability and the audit.
      problem = check_changed(host, auditor, before, static_cast<std::size_t>(restart_random.below(1 << 20)));
      if (!problem.empty() && !compare_nothing) return fail(step, line, "check: " + problem);
    }
    if (std::find(restart_steps.begin(), restart_steps.end(), step) != restart_steps.end()) {
      problem = restart(host, auditor);
      if (!problem.empty() && !compare_nothing) return fail(step, line, problem);
    }
  }
  return report;
}

// Replays fixed lines on a fresh runner and model, with the full check after each line.
std::optional<std::string> replay_disagrees(const std::vector<std::string>& lines) {
  model::AuditorModel auditor;
  Host host;
  for (const std::string& line : lines) {
    const Json command = Json::parse(line);
    std::string problem = step_once(host, auditor, command, line);
    if (problem.empty()) problem = check_everything(host, auditor);
    if (!problem.empty()) return line + "\n    -> " + problem;
  }
  if (std::string problem = restart(host, auditor); !problem.empty()) return "(restart at the end)\n    -> " + problem;
  return std::nullopt;
}

// What kind of disagreement a problem is: its words without the numbers and answers.
std::string signature(const std::string& problem) {
  const std::size_t arrow = problem.find("-> ");
  std::string words = problem.substr(arrow == std::string::npos ? 0 : arrow + 3);
  words = words.substr(0, words.find_first_of("{[0123456789"));
  return words;
}

// Shrinking: drop chunks of lines (halves, quarters, ... single lines), from the end,
// whenever what is left still disagrees in the same way. The first line (the program)
// always stays.
std::vector<std::string> minimize(std::vector<std::string> lines, const std::string& kind) {
  // First without any read, when the disagreement does not need one.
  std::vector<std::string> writes;
  for (const std::string& line : lines) {
    if (line.rfind("{\"command\":\"get_member\"", 0) != 0 && line.rfind("{\"command\":\"liability\"", 0) != 0 &&
        line.rfind("{\"command\":\"audit\"", 0) != 0 && line.rfind("{\"command\":\"expiring_points\"", 0) != 0 &&
        line.rfind("{\"command\":\"ledger_history\"", 0) != 0) {
      writes.push_back(line);
    }
  }
  if (const std::optional<std::string> problem = replay_disagrees(writes); problem && signature(*problem) == kind) lines = writes;
  for (std::size_t chunk = std::max<std::size_t>(1, lines.size() / 2);; chunk /= 2) {
    for (std::size_t end = lines.size(); end > 1;) {
      const std::size_t begin = end > chunk + 1 ? end - chunk : 1;
      std::vector<std::string> shorter = lines;
      shorter.erase(shorter.begin() + static_cast<std::ptrdiff_t>(begin), shorter.begin() + static_cast<std::ptrdiff_t>(end));
      const std::optional<std::string> problem = replay_disagrees(shorter);
      if (problem && signature(*problem) == kind) lines = std::move(shorter);
      end = begin;
    }
    if (chunk == 1) break;
  }
  return lines;
}

std::string describe_failure(const StreamSettings& settings, const StreamReport& report, bool long_stream) {
  const Failure& failure = *report.failure;
  std::string text = "differential: seed " + std::to_string(settings.seed) + (long_stream ? " (long stream)" : "") + ", step " +
                     std::to_string(failure.step) + "\n  command: " + failure.line + "\n  " + failure.problem +
                     "\n  reproduce: LOYALTY_DIFFERENTIAL_SEED=" + std::to_string(settings.seed) +
                     (long_stream ? " LOYALTY_DIFFERENTIAL_LONG=1" : "") + " loyalty_unit_tests -tc=\"*differential*\"";
  if (environment_integer("LOYALTY_DIFFERENTIAL_MINIMIZE", 0) != 0) {
    std::vector<std::string> prefix(report.lines.begin(), report.lines.begin() + failure.step + 1);
    if (const std::optional<std::string> problem = replay_disagrees(prefix)) {
      const std::vector<std::string> shortest = minimize(prefix, signature(*problem));
      text += "\n  shortest disagreeing sequence (" + std::to_string(shortest.size()) + " lines):";
      for (const std::string& line : shortest) text += "\n    " + line;
      if (const auto problem = replay_disagrees(shortest)) text += "\n  last line: " + *problem;
    } else {
      text += "\n  (the prefix alone, replayed with a full check after each line, does not disagree)";
    }
  }
  return text;
}

// [SECTION] Test cases ------------------------------------------------------------------------------
struct Budget {
  int short_seeds, short_steps, long_seeds, long_steps;
};

constexpr int short_stream_steps = 1000;
constexpr int long_stream_steps = 20000;

// 200 x 1,000 operations checked after every step and 40 x 20,000 checked every 250
// steps: 1,000,000 in all.
Budget default_budget() {
  const double scale = environment_scale();
  return Budget{std::max(1, static_cast<int>(200 * scale)), short_stream_steps, std::max(1, static_cast<int>(40 * scale)), long_stream_steps};
}

std::int64_t run_seeds(bool long_streams, std::uint64_t first_seed, int seeds, int steps, int& failures, int max_failures) {
  std::int64_t operations = 0;
  for (int i = 0; i < seeds; ++i) {
    StreamSettings settings;
    settings.seed = first_seed + static_cast<std::uint64_t>(i);
    settings.steps = steps;
    settings.check_every = long_streams ? 250 : 1;
    settings.restarts = static_cast<int>(environment_integer("LOYALTY_DIFFERENTIAL_RESTARTS", long_streams ? 1 : 1 + static_cast<int>(settings.seed % 3)));
    settings.member_cap = long_streams ? 40 : 25;
    const StreamReport report = run_stream(settings);
    operations += report.operations;
    if (report.failure) {
      ++failures;
      const std::string text = describe_failure(settings, report, long_streams);
      if (failures <= max_failures) FAIL_CHECK(text);
      if (failures >= max_failures) break;
    }
  }
  return operations;
}

}  // namespace

// Diagnostic: LOYALTY_DIFFERENTIAL_REPLAY_FILE=lines.jsonl replays fixed lines (a shortest
// sequence printed by the minimizer) with the full check after each one. Natively only.
TEST_CASE("differential replay of a file of command lines" * doctest::skip()) {
  const char* path = std::getenv("LOYALTY_DIFFERENTIAL_REPLAY_FILE");
  REQUIRE(path != nullptr);
  std::FILE* file = std::fopen(path, "rb");
  REQUIRE(file != nullptr);
  std::vector<std::string> lines;
  std::string line;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) {
    if (c != '\n') { line.push_back(static_cast<char>(c)); continue; }
    if (!line.empty()) lines.push_back(line);
    line.clear();
  }
  if (!line.empty()) lines.push_back(line);
  std::fclose(file);
  const std::optional<std::string> problem = replay_disagrees(lines);
  if (problem) FAIL_CHECK(*problem);
}

TEST_CASE("differential: random command streams agree with the auditor model and with their own replay") {
  const std::int64_t only_seed = environment_integer("LOYALTY_DIFFERENTIAL_SEED", -1);
  const int max_failures = static_cast<int>(environment_integer("LOYALTY_DIFFERENTIAL_MAX_FAILURES", 3));
  int failures = 0;
  std::int64_t operations = 0;
  const auto started = std::chrono::steady_clock::now();
  if (only_seed >= 0) {
    const bool long_stream = environment_integer("LOYALTY_DIFFERENTIAL_LONG", 0) != 0;
    operations += run_seeds(long_stream, static_cast<std::uint64_t>(only_seed), 1, long_stream ? long_stream_steps : short_stream_steps, failures, max_failures);
  } else {
    const Budget budget = default_budget();
    operations += run_seeds(false, 1, budget.short_seeds, budget.short_steps, failures, max_failures);
    if (failures < max_failures) operations += run_seeds(true, 1000001, budget.long_seeds, budget.long_steps, failures, max_failures);
    if (failures == 0) CHECK(operations >= static_cast<std::int64_t>(1000000 * std::min(1.0, environment_scale())));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  MESSAGE("differential: " << operations << " operations in " << seconds << " s, " << failures << " failing streams");
}

// The soak (make soak SECONDS=600): fresh seeds until the time is up; skipped by make test.
TEST_CASE("differential soak: fresh seeds until LOYALTY_SOAK_SECONDS have passed" * doctest::skip()) {
  const std::int64_t seconds = environment_integer("LOYALTY_SOAK_SECONDS", 60);
  const std::uint64_t first_seed = static_cast<std::uint64_t>(environment_integer("LOYALTY_SOAK_FIRST_SEED", 5000000));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::int64_t operations = 0;
  int failures = 0, streams = 0;
  for (std::uint64_t seed = first_seed; std::chrono::steady_clock::now() < deadline; ++seed, ++streams) {
    // Nine short, fully checked streams for one long one.
    const bool long_stream = seed % 10 == 9;
    operations += run_seeds(long_stream, seed, 1, long_stream ? long_stream_steps : short_stream_steps, failures, 1000000);
    if (failures > 0 && environment_integer("LOYALTY_SOAK_KEEP_GOING", 0) == 0) break;
  }
  std::printf("soak: %lld operations in %d streams from seed %llu, %d failing\n", static_cast<long long>(operations), streams,
              static_cast<unsigned long long>(first_seed), failures);
  CHECK(failures == 0);
}
