#include <doctest/doctest.h>

#include "core/program/earning.hpp"

using namespace loyalty;

namespace {
ProgramConfig seed_program() {
  ProgramConfig config;  // seed 001: 1 point = 1,000 VND, 1 %; 20,000 VND = 1 tier point
  config.wallet.point_value_vnd = 1000;
  config.wallet.buyer_earn_rate_bp = 100;
  config.wallet.referrer_earn_rate_bp = 50;
  config.tier_points.vnd_per_tier_point = 20000;
  return config;
}
OrderAmounts amount(Vnd amount_vnd) {
  OrderAmounts amounts;
  amounts.amount_vnd = amount_vnd;
  return amounts;
}
}  // namespace

TEST_CASE("seed example: 1,000,000 VND earns 10 points and 50 tier points") {
  const EarningBreakdown earning = compute_earning(seed_program(), amount(1'000'000), -1, false);
  CHECK(earning.code == ResultCode::ok);
  CHECK(earning.buyer_points == 10);
  CHECK(earning.tier_points == 50);
  CHECK(earning.referrer_points == 0);
}

TEST_CASE("the referrer earns their own rate of the buyer's order") {
  const EarningBreakdown earning = compute_earning(seed_program(), amount(1'000'000), -1, true);
  CHECK(earning.referrer_points == 5);
}

TEST_CASE("seed 004: with 1 point = 1 VND and 1 %, points equal 1 % of the amount") {
  ProgramConfig config = seed_program();
  config.wallet.point_value_vnd = 1;
  CHECK(compute_earning(config, amount(1'234'567), -1, false).buyer_points == 12'345);
}

TEST_CASE("rounding is applied once, as configured") {
  ProgramConfig config = seed_program();
  // 1,550,000 VND × 1 % ÷ 1,000 = 15.5 points
  config.wallet.rounding = Rounding::down;
  CHECK(compute_earning(config, amount(1'550'000), -1, false).buyer_points == 15);
  config.wallet.rounding = Rounding::half_up;
  CHECK(compute_earning(config, amount(1'550'000), -1, false).buyer_points == 16);
  config.wallet.rounding = Rounding::up;
  CHECK(compute_earning(config, amount(1'500'001), -1, false).buyer_points == 16);
  // Tier points always round down: 39,999 VND is one tier point.
  CHECK(compute_earning(config, amount(39'999), -1, false).tier_points == 1);
}

TEST_CASE("zero and small orders earn nothing, never negative") {
  CHECK(compute_earning(seed_program(), amount(0), -1, true).buyer_points == 0);
  CHECK(compute_earning(seed_program(), amount(999), -1, true).buyer_points == 0);
  CHECK(compute_earning(seed_program(), amount(999), -1, true).tier_points == 0);
}

TEST_CASE("the multiplier perk of the buyer's tier multiplies buyer points only") {
  ProgramConfig config = seed_program();
  Perk multiplier{PerkType::earning_multiplier, true};
  multiplier.multiplier_bp = 15000;
  config.tiers = {Tier{"bac", "Bạc", "", "", 0, {}}, Tier{"vang", "Vàng", "", "", 500, {multiplier}}};
  const EarningBreakdown gold = compute_earning(config, amount(1'000'000), 1, true);
  CHECK(gold.multiplier_bp == 15000);
  CHECK(gold.buyer_points == 15);
  CHECK(gold.referrer_points == 5);
  CHECK(gold.tier_points == 50);
  config.tiers[1].perks[0].enabled = false;
  CHECK(compute_earning(config, amount(1'000'000), 1, true).buyer_points == 10);
}

TEST_CASE("the earn base excludes shipping, voucher discounts and the part paid with points") {
  ProgramConfig config = seed_program();
  OrderAmounts amounts;
  amounts.amount_vnd = 1'300'000;
  amounts.shipping_vnd = 30'000;
  amounts.voucher_discount_vnd = 70'000;
  amounts.paid_with_points_vnd = 200'000;
  CHECK(earn_base_vnd(config, amounts) == 1'000'000);
  CHECK(compute_earning(config, amounts, -1, false).buyer_points == 10);
  config.wallet.exclude_shipping = false;
  CHECK(earn_base_vnd(config, amounts) == 1'030'000);
  amounts.voucher_discount_vnd = 5'000'000;
  CHECK(earn_base_vnd(config, amounts) == 0);
}

TEST_CASE("huge amounts: the largest accepted order computes exactly; beyond it is refused") {
  ProgramConfig config = seed_program();
  config.wallet.point_value_vnd = 1;
  config.wallet.buyer_earn_rate_bp = 10000;
  Perk multiplier{PerkType::earning_multiplier, true};
  multiplier.multiplier_bp = 100000;
  config.tiers = {Tier{"top", "Top", "", "", 0, {multiplier}}};
  const EarningBreakdown largest = compute_earning(config, amount(amount_vnd_max), 0, true);
  CHECK(largest.code == ResultCode::ok);
  CHECK(largest.buyer_points == amount_vnd_max * 10);
  CHECK(compute_earning(config, amount(amount_vnd_max + 1), 0, true).code == ResultCode::amount_too_large);
  CHECK(compute_earning(config, amount(-1), 0, true).code == ResultCode::amount_too_large);
}

TEST_CASE("order amounts are checked once, for orders and previews alike") {
  OrderAmounts amounts;
  amounts.amount_vnd = 100'000;
  amounts.shipping_vnd = 30'000;
  amounts.voucher_discount_vnd = 80'000;
  const Result too_much = check_order_amounts(amounts);
  CHECK(too_much.code == ResultCode::invalid_field);
  CHECK(too_much.errors.at(0).path == "amount_vnd");
  amounts.voucher_discount_vnd = -1;
  CHECK(check_order_amounts(amounts).errors.at(0).path == "voucher_discount_vnd");
  amounts.voucher_discount_vnd = 0;
  amounts.amount_vnd = amount_vnd_max + 1;
  CHECK(check_order_amounts(amounts).code == ResultCode::amount_too_large);
  amounts.amount_vnd = 100'000;
  CHECK(check_order_amounts(amounts).ok());
}
