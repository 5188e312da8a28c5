// earning.hpp: what an order earns, as one pure function shared by order completion and
// the rule preview (so a preview can never disagree with what is posted).
//
// buyer points    = earn base × buyer rate × tier multiplier ÷ point value, rounded once
// referrer points = earn base × referrer rate ÷ point value, rounded once
// tier points     = earn base ÷ VND per tier point, always rounded down
// earn base       = amount − voucher discount − part paid with points − shipping (when excluded)
#pragma once
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
};

// Checks an order's amounts as every host must: none negative, none above 10^15 VND
// (amount_too_large), and shipping + voucher discount + points payment not above the
// amount. Each problem is a field error naming the field.
Result check_order_amounts(const OrderAmounts& amounts);
// The earn base: never negative (a discount larger than the order earns nothing).
Vnd earn_base_vnd(const ProgramConfig& config, const OrderAmounts& amounts);
EarningBreakdown compute_earning(const ProgramConfig& config, const OrderAmounts& amounts, int buyer_tier_index,
                                 bool has_referrer);

}  // namespace loyalty
