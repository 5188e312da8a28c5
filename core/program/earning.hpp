// earning.hpp: what an order earns, as one pure function shared by order completion and
// the rule preview (so a preview can never disagree with what is posted).
//
// buyer points    = earn base × buyer rate × tier multiplier ÷ point value, rounded once
// referrer points = earn base × referrer rate ÷ point value, rounded once
// tier points     = earn base ÷ VND per tier point, always rounded down
// earn base       = amount − voucher discount − part paid with points − shipping (when excluded)
//
// An order with lines (product, category, quantity, amount) is valued by line: the earn
// base is shared among the lines (goods the lines do not list, and shipping when it earns,
// are parts of their own at x1) in proportion to their
// amounts, each share rounded down with the remainder carried forward so the shares add
// up to the earn base exactly. Lines of excluded products or categories earn nothing (no
// points, no tier points); a category multiplier scales its lines' buyer points. Then
//   buyer points    = Σ(line base × category multiplier) × buyer rate × multiplier ÷ point value
//   referrer points = Σ(line base of earning lines) × referrer rate ÷ point value
//   tier points     = Σ(line base of earning lines) ÷ VND per tier point
// each rounded once, as without lines, and each split back over the lines in proportion
// to what they weigh, so that a refund of some lines takes back exactly their part.
// The multiplier is the tier's, met by a promotion in force (multiplied or the higher of
// the two, program_config.hpp). An earn base below minimum_order_vnd earns no points
// (tier points still count); maximum_points_per_order caps the buyer's points.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "core/basics/money.hpp"
#include "core/program/program_config.hpp"
#include "core/basics/results.hpp"

namespace loyalty {

struct OrderAmounts {
  Vnd amount_vnd = 0;              // what the order totals, shipping included
  Vnd shipping_vnd = 0;            // part of amount_vnd that is shipping
  Vnd voucher_discount_vnd = 0;    // voucher discount on amount_vnd (earns nothing)
  Vnd paid_with_points_vnd = 0;    // part of the price paid with points
};

struct OrderLine {
  std::string product_id;          // unique within the order: a refund names its lines by it
  std::string category;            // may be empty
  std::int64_t quantity = 1;
  Vnd amount_vnd = 0;              // the line's total (price × quantity, after line discounts)
  friend bool operator==(const OrderLine&, const OrderLine&) = default;
};
inline constexpr std::size_t order_lines_max = 200;

// What one line earned.
struct LineEarning {
  Vnd earn_base_vnd = 0;              // its share of the order's earn base
  BasisPoints multiplier_bp = 10000;  // its category's multiplier (x1 when none)
  bool excluded = false;              // its product or category earns nothing
  Points buyer_points = 0;
  Points referrer_points = 0;
  TierPoints tier_points = 0;
};

// What the order's circumstances add: its lines, and the promotion in force for the buyer.
struct EarningContext {
  std::span<const OrderLine> lines;   // empty: the order earns as one amount
  const Promotion* promotion = nullptr;
};

struct EarningBreakdown {
  ResultCode code = ResultCode::ok;   // amount_too_large when an input is out of range
  Vnd earn_base_vnd = 0;
  BasisPoints buyer_earn_rate_bp = 0;
  BasisPoints multiplier_bp = 10000;  // from the buyer's tier perk (x1 = 10000)
  Points buyer_points = 0;
  BasisPoints referrer_earn_rate_bp = 0;
  Points referrer_points = 0;         // 0 when the buyer has no referrer
  TierPoints tier_points = 0;
  Vnd point_value_vnd = 0;
  Vnd vnd_per_tier_point = 0;
  Rounding rounding = Rounding::down;
  BasisPoints tier_multiplier_bp = 10000;   // the tier's part of multiplier_bp
  const Promotion* promotion = nullptr;     // the promotion that applied, if any
  bool below_minimum = false;               // the earn base was below minimum_order_vnd: no points
  Points points_over_maximum = 0;           // buyer points the maximum per order cut off
  std::vector<LineEarning> lines;           // one per order line, in order; empty without lines
};

// Checks an order's amounts as every host must: none negative, none above 10^15 VND
// (amount_too_large), and shipping + voucher discount + points payment not above the
// amount. Each problem is a field error naming the field.
Result check_order_amounts(const OrderAmounts& amounts);
// The earn base: never negative (a discount larger than the order earns nothing).
Vnd earn_base_vnd(const ProgramConfig& config, const OrderAmounts& amounts);
// Checks lines against the order's amounts: product ids valid and unique, quantities 1 to
// 10^6, amounts within range, and the amounts adding up to at most amount − shipping (goods
// not listed form one more part at x1).
Result check_order_lines(std::span<const OrderLine> lines, const OrderAmounts& amounts);
EarningBreakdown compute_earning(const ProgramConfig& config, const OrderAmounts& amounts, int buyer_tier_index,
                                 bool has_referrer, const EarningContext& context = {});
// The promotion in force at `time` for a buyer in `tier_index` (`in_group` tells whether
// the buyer is in a group): the highest multiplier among those that apply; nullptr: none.
template <typename InGroup>
const Promotion* promotion_for(const ProgramConfig& config, UtcSeconds time, int tier_index, InGroup&& in_group) {
  const Promotion* best = nullptr;
  for (const Promotion& promotion : config.promotions) {
    if (time < promotion.starts_at_utc || time >= promotion.ends_at_utc) continue;
    if (!promotion.tier_id.empty() && config.tier_index_by_id(promotion.tier_id) != tier_index) continue;
    if (!promotion.group_id.empty() && !in_group(promotion.group_id)) continue;
    if (best == nullptr || promotion.multiplier_bp > best->multiplier_bp) best = &promotion;
  }
  return best;
}

}  // namespace loyalty
