// program_config.hpp: a store's loyalty program as one configuration document.
//
// [SECTION] Perks
// [SECTION] Tiers
// [SECTION] Earning by what was bought, promotions, bonuses
// [SECTION] Program
// [SECTION] JSON
//
// Read from and written to JSON. Reading validates everything and returns every error at
// once, each with its JSON path; an invalid document yields no configuration. Each save
// becomes a new version in the store (see store.hpp): orders are valued by the version in
// force when they completed, so changing a rate never rewrites past earnings.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/basics/json_fields.hpp"
#include "core/basics/money.hpp"
#include "core/basics/time.hpp"

namespace loyalty {

// [SECTION] Perks ---------------------------------------------------------------------
enum class PerkType : std::uint8_t {
  voucher_point_discount,  // vouchers cost discount_bp fewer points (500 = 5 % fewer)
  private_price_list,      // the member buys at price list price_list_id
  earning_multiplier,      // buyer points times multiplier_bp / 10000 (15000 = x1.5)
  birthday_bonus,          // birthday_bonus_points on the member's birthday
  free_shipping,           // free shipping on orders of at least free_shipping_min_order_vnd
  custom,                  // any other perk, described in text_vi / text_en
};
std::string_view perk_type_name(PerkType type);
std::optional<PerkType> perk_type_from_name(std::string_view name);

struct Perk {
  PerkType type = PerkType::custom;
  bool enabled = false;                       // a perk counts only when enabled
  BasisPoints discount_bp = 0;                // voucher_point_discount
  std::string price_list_id;                  // private_price_list
  BasisPoints multiplier_bp = 10000;          // earning_multiplier
  Points birthday_bonus_points = 0;           // birthday_bonus
  Vnd free_shipping_min_order_vnd = 0;        // free_shipping
  std::string text_vi;                        // custom (and an optional note for any perk)
  std::string text_en;
  friend bool operator==(const Perk&, const Perk&) = default;
};

// [SECTION] Tiers ---------------------------------------------------------------------
struct Tier {
  std::string id;                  // stable key, e.g. "gold"
  std::string name;                // shown to members, e.g. "Vàng"
  std::string name_en;             // the name in English, e.g. "Gold"; empty: `name` in both languages
  std::string description;
  TierPoints tier_points_needed = 0;   // the threshold, in the unit tiers qualify by (tier points, VND or orders)
  std::vector<Perk> perks;
  Points tier_up_bonus_points = 0;     // given once per member, the first time the member reaches the tier
  friend bool operator==(const Tier&, const Tier&) = default;
};

// [SECTION] Earning by what was bought, promotions, bonuses ----------------------------
struct CategoryMultiplier {
  std::string category;
  BasisPoints multiplier_bp = 10000;   // buyer points of the category's lines times this (20000 = x2)
  friend bool operator==(const CategoryMultiplier&, const CategoryMultiplier&) = default;
};

// Rules that read an order's lines (core/program/earning.hpp), and limits per order.
struct EarningRulesConfig {
  std::vector<std::string> excluded_products;     // lines of these products earn nothing
  std::vector<std::string> excluded_categories;   // lines of these categories earn nothing
  std::vector<CategoryMultiplier> category_multipliers;
  Vnd minimum_order_vnd = 0;            // an earn base below this earns no points (tier points still count)
  Points maximum_points_per_order = 0;  // the buyer's points of one order at most this; 0: no maximum
  bool empty() const {
    return excluded_products.empty() && excluded_categories.empty() && category_multipliers.empty() && minimum_order_vnd == 0 &&
           maximum_points_per_order == 0;
  }
  friend bool operator==(const EarningRulesConfig&, const EarningRulesConfig&) = default;
};

// How a promotion's multiplier meets the tier's: multiplied together (x2 promotion on a
// x1.5 tier: x3), or the higher of the two (x2).
enum class PromotionCombine : std::uint8_t { multiply, highest };
std::string_view promotion_combine_name(PromotionCombine combine);

// Double points for a period (a weekend, a holiday), for everyone or for one tier or one
// customer group. When several apply to an order, the one with the highest multiplier does.
struct Promotion {
  std::string id;
  std::string name;
  UtcSeconds starts_at_utc = 0;          // orders completed from then on
  UtcSeconds ends_at_utc = 0;            // up to, not including, then
  BasisPoints multiplier_bp = 20000;
  std::string tier_id;                   // empty: every tier
  std::string group_id;                  // empty: every member
  PromotionCombine combine = PromotionCombine::multiply;
  friend bool operator==(const Promotion&, const Promotion&) = default;
};

// Fixed points on moments of a member's life; each once per member (core/bonuses).
struct BonusConfig {
  Points welcome_points = 0;                  // on joining
  Points first_order_points = 0;              // on the member's first completed order
  Points referral_referrer_points = 0;        // to the referrer, on the new member's first completed order
  Points referral_new_member_points = 0;      // to the new member, on the same order
  bool referral_instead_of_percentage = false;   // that order pays the referrer the fixed points, not the percentage
  Points profile_completion_points = 0;       // once name, phone, email and birthday are all known
  bool empty() const {
    return welcome_points == 0 && first_order_points == 0 && referral_referrer_points == 0 && referral_new_member_points == 0 &&
           !referral_instead_of_percentage && profile_completion_points == 0;
  }
  friend bool operator==(const BonusConfig&, const BonusConfig&) = default;
};

// [SECTION] Program -------------------------------------------------------------------
struct WalletConfig {
  Points initial_pool_points = 1'000'000'000;  // the store's pool members' points come from
  Vnd point_value_vnd = 1000;                   // one point is worth this much when spent
  BasisPoints buyer_earn_rate_bp = 100;         // buyer earns this share of the order's value
  BasisPoints referrer_earn_rate_bp = 0;        // the buyer's referrer earns this share
  Rounding rounding = Rounding::down;           // how fractional points are rounded
  bool exclude_shipping = true;                 // shipping fees earn nothing
  friend bool operator==(const WalletConfig&, const WalletConfig&) = default;
};

// What places a member in a tier: tier points (the default), money spent on goods, or the
// number of completed orders; tiers' thresholds are in that unit.
enum class TierMeasure : std::uint8_t { tier_points, spend_vnd, order_count };
std::string_view tier_measure_name(TierMeasure measure);

struct TierPointsConfig {
  Vnd vnd_per_tier_point = 20000;   // 20,000 VND of an order = 1 tier point (always rounded down)
  std::int32_t window_months = 0;   // 0: lifetime; N: only the last N months count
  TierMeasure qualify_by = TierMeasure::tier_points;
  // 0: off; 1..12: only the current calendar year counts, a year starting on the 1st of this
  // month at 00:00 in the store's zone (window_months is then 0).
  std::int32_t calendar_year_start_month = 0;
  friend bool operator==(const TierPointsConfig&, const TierPointsConfig&) = default;
};

// A tier once reached is kept at least keep_months (its safe-until date); after that, a
// review may move the member down, by at most one tier when fall_at_most_one_tier.
struct TierRetentionConfig {
  std::int32_t keep_months = 0;          // 0: a member falls as soon as the measure is below the tier
  bool fall_at_most_one_tier = false;
  bool empty() const { return keep_months == 0 && !fall_at_most_one_tier; }
  friend bool operator==(const TierRetentionConfig&, const TierRetentionConfig&) = default;
};

// The life of a point: a pending period, expiry by lot, paying with points, transfers.
enum class ExpiryRule : std::uint8_t {
  never,                // points never expire (unless the inactivity rule applies)
  months_after,         // a lot expires `months` months after it was earned
  end_of_month_after,   // ... at the end of the month `months` months after it was earned
};
std::string_view expiry_rule_name(ExpiryRule rule);

struct PendingConfig {
  std::int32_t days = 0;                 // earned points wait this long (the return window); 0: at once
  bool tier_points_when_available = false;  // tier points count only once the points are available
  friend bool operator==(const PendingConfig&, const PendingConfig&) = default;
};

struct ExpiryConfig {
  ExpiryRule rule = ExpiryRule::never;
  std::int32_t months = 12;
  std::int32_t inactivity_months = 0;    // 0: off; N: every point expires after N months without an order
  bool from_available = false;           // a lot's months count from the end of its pending period, not from completion
  friend bool operator==(const ExpiryConfig&, const ExpiryConfig&) = default;
};

struct PayWithPointsConfig {
  BasisPoints max_share_bp = 5000;       // points may pay at most this share of an order
  std::int64_t hold_timeout_s = 900;     // a checkout's hold is released after this long
  friend bool operator==(const PayWithPointsConfig&, const PayWithPointsConfig&) = default;
};

struct TransferConfig {
  bool enabled = false;
  Points daily_limit_points = 0;         // per sender per local day; 0: no limit
  Points minimum_balance_points = 0;     // the sender keeps at least this much available
  friend bool operator==(const TransferConfig&, const TransferConfig&) = default;
};

struct ProgramConfig {
  std::string program_name = "Khách hàng thân thiết";
  TimeZone time_zone;               // Asia/Ho_Chi_Minh unless set
  WalletConfig wallet;
  TierPointsConfig tier_points;
  std::vector<Tier> tiers;          // ascending by tier_points_needed, strictly
  PendingConfig pending;
  ExpiryConfig expiry;
  PayWithPointsConfig pay_with_points;
  TransferConfig transfers;
  EarningRulesConfig earning;            // written to JSON only when set (so are the three below)
  std::vector<Promotion> promotions;
  BonusConfig bonuses;
  TierRetentionConfig tier_retention;

  // When a lot earned at `earned_at` (available at `available_at`) expires; INT64_MAX: never.
  UtcSeconds lot_expiry_utc(UtcSeconds earned_at, UtcSeconds available_at) const;
  UtcSeconds lot_expiry_utc(UtcSeconds earned_at) const { return lot_expiry_utc(earned_at, earned_at); }
  // The start of the tier qualification's period at `time`: INT64_MIN for lifetime; entries
  // dated after it count (at or after it for a calendar year, see counts_from_start).
  UtcSeconds qualification_start_utc(UtcSeconds time) const;
  bool counts_from_start() const { return tier_points.calendar_year_start_month != 0; }
  int tier_index_by_id(std::string_view tier_id) const;   // -1 when no tier has it

  // The highest tier whose threshold `tier_points` reaches; -1 when below every tier.
  int tier_index_for(TierPoints tier_points) const;
  // Enabled perks of a tier (index -1: none).
  std::vector<const Perk*> enabled_perks(int tier_index) const;
  // The earning multiplier a tier grants: the highest enabled one, 10000 (x1) otherwise.
  BasisPoints earning_multiplier_bp(int tier_index) const;
};

// [SECTION] JSON ------------------------------------------------------------------------
struct ProgramConfigReading {
  std::optional<ProgramConfig> config;   // set only when errors is empty
  std::vector<FieldError> errors;        // every problem found, with its JSON path
};
ProgramConfigReading read_program_config(const Json& document, std::string_view path = "");
Json program_config_to_json(const ProgramConfig& config);
// A sensible starting program (the seed's numbers: 1 point = 1,000 VND, 1 %, 20,000 VND
// per tier point; Bạc, Vàng, Bạch kim), used by the console's demo and the docs.
ProgramConfig example_program_config();

}  // namespace loyalty
