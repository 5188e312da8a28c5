#include "core/program/earning.hpp"

#include <array>
#include <cassert>
#include <utility>

namespace loyalty {

Result check_order_amounts(const OrderAmounts& amounts) {
  Result invalid{ResultCode::invalid_field, {}};
  const std::array<std::pair<const char*, Vnd>, 4> parts = {{{"amount_vnd", amounts.amount_vnd},
                                                             {"shipping_vnd", amounts.shipping_vnd},
                                                             {"voucher_discount_vnd", amounts.voucher_discount_vnd},
                                                             {"paid_with_points_vnd", amounts.paid_with_points_vnd}}};
  for (const auto& [name, value] : parts) {
    if (value < 0) invalid.errors.push_back({name, "không được âm", "must not be negative"});
    if (value > amount_vnd_max) {
      invalid.errors.push_back({name, "vượt quá 10^15 ₫", "exceeds 10^15 VND"});
      invalid.code = ResultCode::amount_too_large;
    }
  }
  if (invalid.errors.empty() &&
      amounts.shipping_vnd + amounts.voucher_discount_vnd + amounts.paid_with_points_vnd > amounts.amount_vnd) {
    invalid.errors.push_back({"amount_vnd", "nhỏ hơn tổng phí vận chuyển, giảm giá và phần trả bằng điểm",
                              "is less than shipping, discount and points payment together"});
  }
  return invalid.errors.empty() ? Result::success() : invalid;
}

Vnd earn_base_vnd(const ProgramConfig& config, const OrderAmounts& amounts) {
  Vnd base = amounts.amount_vnd - amounts.voucher_discount_vnd - amounts.paid_with_points_vnd;
  if (config.wallet.exclude_shipping) base -= amounts.shipping_vnd;
  return base < 0 ? 0 : base;
}

EarningBreakdown compute_earning(const ProgramConfig& config, const OrderAmounts& amounts, int buyer_tier_index,
                                 bool has_referrer) {
  EarningBreakdown breakdown;
  breakdown.buyer_earn_rate_bp = config.wallet.buyer_earn_rate_bp;
  breakdown.referrer_earn_rate_bp = has_referrer ? config.wallet.referrer_earn_rate_bp : 0;
  breakdown.point_value_vnd = config.wallet.point_value_vnd;
  breakdown.vnd_per_tier_point = config.tier_points.vnd_per_tier_point;
  breakdown.rounding = config.wallet.rounding;
  breakdown.multiplier_bp = config.earning_multiplier_bp(buyer_tier_index);
  for (Vnd part : {amounts.amount_vnd, amounts.shipping_vnd, amounts.voucher_discount_vnd, amounts.paid_with_points_vnd}) {
    if (part < 0 || part > amount_vnd_max) {
      breakdown.code = ResultCode::amount_too_large;
      return breakdown;
    }
  }
  breakdown.earn_base_vnd = earn_base_vnd(config, amounts);
  assert(breakdown.point_value_vnd > 0 && breakdown.vnd_per_tier_point > 0);

  // One rounding per figure, at the very end: base × rate × multiplier is at most
  // 10^15 × 10^4 × 10^5 = 10^24, far inside 128 bits.
  const __int128 buyer_numerator =
      static_cast<__int128>(breakdown.earn_base_vnd) * breakdown.buyer_earn_rate_bp * breakdown.multiplier_bp;
  const __int128 buyer_denominator =
      static_cast<__int128>(basis_points_per_whole) * basis_points_per_whole * breakdown.point_value_vnd;
  breakdown.buyer_points = divide_rounded(buyer_numerator, buyer_denominator, breakdown.rounding).value_or(0);
  breakdown.referrer_points =
      divide_rounded(static_cast<__int128>(breakdown.earn_base_vnd) * breakdown.referrer_earn_rate_bp,
                     static_cast<__int128>(basis_points_per_whole) * breakdown.point_value_vnd, breakdown.rounding)
          .value_or(0);
  breakdown.tier_points = breakdown.earn_base_vnd / breakdown.vnd_per_tier_point;
  assert(breakdown.buyer_points >= 0 && breakdown.referrer_points >= 0 && breakdown.tier_points >= 0);
  return breakdown;
}

}  // namespace loyalty
