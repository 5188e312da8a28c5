#include "core/program/earning.hpp"

#include <array>
#include <cassert>
#include <string>
#include <utility>

#include "core/basics/json_fields.hpp"

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

Result check_order_lines(std::span<const OrderLine> lines, const OrderAmounts& amounts) {
  if (lines.empty()) return Result::success();
  Result invalid{ResultCode::invalid_field, {}};
  if (lines.size() > order_lines_max) {
    invalid.errors.push_back({"lines", "tối đa " + std::to_string(order_lines_max) + " dòng", "at most " + std::to_string(order_lines_max) + " lines"});
    return invalid;
  }
  __int128 total_vnd = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const OrderLine& line = lines[i];
    const std::string path = "lines[" + std::to_string(i) + "]";
    if (!is_valid_key(line.product_id, 64)) {
      invalid.errors.push_back({path + ".product_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng, tối đa 64 byte",
                                "required: printable ASCII without spaces, at most 64 bytes"});
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (lines[j].product_id == line.product_id) {
        invalid.errors.push_back({path + ".product_id", "trùng sản phẩm của dòng trước", "the same product as an earlier line"});
        break;
      }
    }
    if (!line.category.empty() && !is_valid_key(line.category, 64)) {
      invalid.errors.push_back({path + ".category", "ký tự ASCII in được, không khoảng trắng, tối đa 64 byte",
                                "printable ASCII without spaces, at most 64 bytes"});
    }
    if (line.quantity < 1 || line.quantity > 1'000'000) {
      invalid.errors.push_back({path + ".quantity", "phải từ 1 đến 1.000.000", "must be from 1 to 1,000,000"});
    }
    if (line.amount_vnd < 0 || line.amount_vnd > amount_vnd_max) {
      invalid.errors.push_back({path + ".amount_vnd", "phải từ 0 đến 10^15 ₫", "must be from 0 to 10^15 VND"});
    }
    total_vnd += line.amount_vnd;
  }
  if (invalid.errors.empty() && total_vnd > amounts.amount_vnd - amounts.shipping_vnd) {
    invalid.errors.push_back({"lines", "tổng tiền các dòng vượt quá amount_vnd trừ shipping_vnd",
                              "the lines' amounts add up to more than amount_vnd minus shipping_vnd"});
  }
  return invalid.errors.empty() ? Result::success() : invalid;
}

namespace {
// Splits `total` over parts in proportion to `weights`, each rounded down with the
// remainder carried forward: the parts add up to `total` exactly.
template <typename Weight, typename Store>
void split_proportionally(std::int64_t total, const std::vector<Weight>& weights, Store&& store) {
  __int128 weight_total = 0;
  for (const Weight& weight : weights) weight_total += weight;
  __int128 cumulative = 0;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    cumulative += weights[i];
    const std::int64_t upto = weight_total == 0 ? 0 : static_cast<std::int64_t>(static_cast<__int128>(total) * cumulative / weight_total);
    store(i, upto - given);
    given = upto;
  }
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  for (const std::string& known : ids) {
    if (known == id) return true;
  }
  return false;
}
}  // namespace

EarningBreakdown compute_earning(const ProgramConfig& config, const OrderAmounts& amounts, int buyer_tier_index,
                                 bool has_referrer, const EarningContext& context) {
  EarningBreakdown breakdown;
  breakdown.buyer_earn_rate_bp = config.wallet.buyer_earn_rate_bp;
  breakdown.referrer_earn_rate_bp = has_referrer ? config.wallet.referrer_earn_rate_bp : 0;
  breakdown.point_value_vnd = config.wallet.point_value_vnd;
  breakdown.vnd_per_tier_point = config.tier_points.vnd_per_tier_point;
  breakdown.rounding = config.wallet.rounding;
  breakdown.tier_multiplier_bp = config.earning_multiplier_bp(buyer_tier_index);
  breakdown.multiplier_bp = breakdown.tier_multiplier_bp;
  for (Vnd part : {amounts.amount_vnd, amounts.shipping_vnd, amounts.voucher_discount_vnd, amounts.paid_with_points_vnd}) {
    if (part < 0 || part > amount_vnd_max) {
      breakdown.code = ResultCode::amount_too_large;
      return breakdown;
    }
  }
  breakdown.earn_base_vnd = earn_base_vnd(config, amounts);
  assert(breakdown.point_value_vnd > 0 && breakdown.vnd_per_tier_point > 0);

  // The multiplier as a fraction, so that a promotion times a tier is never rounded early.
  __int128 multiplier_numerator = breakdown.tier_multiplier_bp;
  __int128 multiplier_denominator = 1;
  if (context.promotion != nullptr) {
    breakdown.promotion = context.promotion;
    if (context.promotion->combine == PromotionCombine::multiply) {
      multiplier_numerator *= context.promotion->multiplier_bp;
      multiplier_denominator = basis_points_per_whole;
    } else if (context.promotion->multiplier_bp > breakdown.tier_multiplier_bp) {
      multiplier_numerator = context.promotion->multiplier_bp;
    }
    breakdown.multiplier_bp = static_cast<BasisPoints>(multiplier_numerator / multiplier_denominator);
  }

  // The parts of the order that share the earn base: its lines, and shipping when it earns;
  // without lines, the order is one part at x1.
  std::vector<Vnd> part_amounts;
  std::vector<Vnd> part_bases;
  if (!context.lines.empty()) {
    Vnd listed_vnd = 0;
    for (const OrderLine& line : context.lines) {
      part_amounts.push_back(line.amount_vnd);
      listed_vnd += line.amount_vnd;
    }
    // Goods the lines do not list earn as one more part at x1 (check_order_lines keeps it >= 0).
    const Vnd unlisted_vnd = amounts.amount_vnd - amounts.shipping_vnd - listed_vnd;
    if (unlisted_vnd > 0) part_amounts.push_back(unlisted_vnd);
    if (!config.wallet.exclude_shipping && amounts.shipping_vnd > 0) part_amounts.push_back(amounts.shipping_vnd);
    part_bases.resize(part_amounts.size());
    split_proportionally(breakdown.earn_base_vnd, part_amounts, [&](std::size_t i, std::int64_t base) { part_bases[i] = base; });
    breakdown.lines.resize(context.lines.size());
  }
  // weights: base × category multiplier (buyer points); earning: the base of parts that earn.
  __int128 weighted_base = static_cast<__int128>(breakdown.earn_base_vnd) * basis_points_per_whole;
  Vnd earning_base = breakdown.earn_base_vnd;
  std::vector<__int128> buyer_weights;
  std::vector<Vnd> earning_bases;
  if (!context.lines.empty()) {
    weighted_base = 0;
    earning_base = 0;
    for (std::size_t i = 0; i < part_bases.size(); ++i) {
      BasisPoints multiplier_bp = basis_points_per_whole;
      bool excluded = false;
      if (i < context.lines.size()) {
        const OrderLine& line = context.lines[i];
        excluded = contains(config.earning.excluded_products, line.product_id) ||
                   (!line.category.empty() && contains(config.earning.excluded_categories, line.category));
        for (const CategoryMultiplier& entry : config.earning.category_multipliers) {
          if (!line.category.empty() && entry.category == line.category) multiplier_bp = entry.multiplier_bp;
        }
        LineEarning& earned = breakdown.lines[i];
        earned.earn_base_vnd = part_bases[i];
        earned.multiplier_bp = multiplier_bp;
        earned.excluded = excluded;
      }
      const Vnd base = excluded ? 0 : part_bases[i];
      buyer_weights.push_back(static_cast<__int128>(base) * multiplier_bp);
      earning_bases.push_back(base);
      weighted_base += static_cast<__int128>(base) * multiplier_bp;
      earning_base += base;
    }
  }

  // One rounding per figure, at the very end: weighted base × rate × multiplier is at most
  // 10^15 × 10^5 × 10^4 × 10^10 = 10^34, inside 128 bits.
  const __int128 buyer_numerator = weighted_base * breakdown.buyer_earn_rate_bp * multiplier_numerator;
  const __int128 buyer_denominator = static_cast<__int128>(basis_points_per_whole) * basis_points_per_whole *
                                     basis_points_per_whole * multiplier_denominator * breakdown.point_value_vnd;
  breakdown.buyer_points = divide_rounded(buyer_numerator, buyer_denominator, breakdown.rounding).value_or(0);
  breakdown.referrer_points =
      divide_rounded(static_cast<__int128>(earning_base) * breakdown.referrer_earn_rate_bp,
                     static_cast<__int128>(basis_points_per_whole) * breakdown.point_value_vnd, breakdown.rounding)
          .value_or(0);
  breakdown.tier_points = earning_base / breakdown.vnd_per_tier_point;
  if (breakdown.earn_base_vnd < config.earning.minimum_order_vnd) {
    breakdown.below_minimum = true;
    breakdown.buyer_points = 0;
    breakdown.referrer_points = 0;
  }
  if (config.earning.maximum_points_per_order > 0 && breakdown.buyer_points > config.earning.maximum_points_per_order) {
    breakdown.points_over_maximum = breakdown.buyer_points - config.earning.maximum_points_per_order;
    breakdown.buyer_points = config.earning.maximum_points_per_order;
  }
  if (!context.lines.empty()) {
    const std::size_t line_count = breakdown.lines.size();
    split_proportionally(breakdown.buyer_points, buyer_weights, [&](std::size_t i, std::int64_t points) {
      if (i < line_count) breakdown.lines[i].buyer_points = points;
    });
    split_proportionally(breakdown.referrer_points, earning_bases, [&](std::size_t i, std::int64_t points) {
      if (i < line_count) breakdown.lines[i].referrer_points = points;
    });
    split_proportionally(breakdown.tier_points, earning_bases, [&](std::size_t i, std::int64_t points) {
      if (i < line_count) breakdown.lines[i].tier_points = points;
    });
  }
  assert(breakdown.buyer_points >= 0 && breakdown.referrer_points >= 0 && breakdown.tier_points >= 0);
  return breakdown;
}

}  // namespace loyalty
