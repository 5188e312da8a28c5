// Earning by what was bought: order lines, exclusions, category multipliers, the minimum
// and maximum per order, promotions for a period, refunds that name lines, and the
// expiry-from setting. Every number is computed by hand in the comments.
#include <doctest/doctest.h>

#include "core/program/earning.hpp"
#include "core/program/program_config.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using loyalty::testing::at;
using loyalty::testing::StoreFixture;

namespace {
ProgramConfig grocery_program() {
  ProgramConfig config = loyalty::testing::seed_program();   // 1 % buyer, 0.5 % referrer, 1 point = 1,000 VND
  config.earning.excluded_categories = {"tobacco"};
  config.earning.category_multipliers = {CategoryMultiplier{"organic", 20000}};
  return config;
}
OrderAmounts amount(Vnd amount_vnd) {
  OrderAmounts amounts;
  amounts.amount_vnd = amount_vnd;
  return amounts;
}
// rice 2 × 300,000; organic tea 300,000 (x2); cigarettes 100,000 (excluded).
std::vector<OrderLine> basket() {
  return {OrderLine{"rice", "grocery", 2, 600'000}, OrderLine{"tea", "organic", 1, 300'000}, OrderLine{"cigarettes", "tobacco", 1, 100'000}};
}
}  // namespace

TEST_CASE("order lines: excluded categories earn nothing, a category multiplier doubles its lines") {
  const std::vector<OrderLine> lines = basket();
  EarningContext context;
  context.lines = lines;
  const EarningBreakdown earning = compute_earning(grocery_program(), amount(1'000'000), -1, true, context);
  REQUIRE(earning.code == ResultCode::ok);
  REQUIRE(earning.lines.size() == 3);
  // buyer: rice 600,000 × 1 % ÷ 1,000 = 6; tea 300,000 × 2 × 1 % ÷ 1,000 = 6; cigarettes 0.
  CHECK(earning.buyer_points == 12);
  CHECK(earning.lines[0].buyer_points == 6);
  CHECK(earning.lines[1].buyer_points == 6);
  CHECK(earning.lines[2].buyer_points == 0);
  CHECK(earning.lines[2].excluded);
  CHECK(earning.lines[1].multiplier_bp == 20000);
  // referrer: (600,000 + 300,000) × 0.5 % ÷ 1,000 = 4.5 -> 4; split 600:300 -> floor(2.67) = 2, then 2.
  CHECK(earning.referrer_points == 4);
  CHECK(earning.lines[0].referrer_points == 2);
  CHECK(earning.lines[1].referrer_points == 2);
  // tier points: 900,000 ÷ 20,000 = 45; rice 30, tea 15, cigarettes 0.
  CHECK(earning.tier_points == 45);
  CHECK(earning.lines[0].tier_points == 30);
  CHECK(earning.lines[1].tier_points == 15);
  CHECK(earning.lines[2].tier_points == 0);
}

TEST_CASE("order lines: the earn base is shared by amount, with discounts and earning shipping, adding up exactly") {
  ProgramConfig config = grocery_program();
  config.wallet.point_value_vnd = 1;          // 1 point = 1 VND, so shares are visible
  config.wallet.exclude_shipping = false;     // shipping earns, as a part of its own
  config.earning.category_multipliers.clear();
  config.earning.excluded_categories = {"b"};
  OrderAmounts amounts = amount(330'000);
  amounts.shipping_vnd = 30'000;
  amounts.voucher_discount_vnd = 33'000;
  const std::vector<OrderLine> lines = {OrderLine{"x", "a", 1, 100'000}, OrderLine{"y", "b", 1, 200'000}};
  REQUIRE(check_order_lines(lines, amounts).ok());
  EarningContext context;
  context.lines = lines;
  const EarningBreakdown earning = compute_earning(config, amounts, -1, false, context);
  // earn base 330,000 - 33,000 = 297,000 over 100,000 : 200,000 : 30,000 (of 330,000):
  // x floor(297,000 × 100/330) = 90,000; y 270,000 - 90,000 = 180,000; shipping 27,000.
  CHECK(earning.earn_base_vnd == 297'000);
  CHECK(earning.lines[0].earn_base_vnd == 90'000);
  CHECK(earning.lines[1].earn_base_vnd == 180'000);
  // y is excluded: 90,000 + 27,000 = 117,000 earns; × 1 % = 1,170 points; tier 117,000 ÷ 20,000 = 5.
  CHECK(earning.buyer_points == 1'170);
  CHECK(earning.lines[0].buyer_points == 900);   // 1,170 × 90/117
  CHECK(earning.lines[1].buyer_points == 0);
  CHECK(earning.tier_points == 5);
  CHECK(earning.lines[0].tier_points == 3);      // floor(5 × 90/117) = floor(3.85)
}

TEST_CASE("order lines: at most the amount without shipping, with valid unique products; goods not listed earn at x1") {
  OrderAmounts amounts = amount(1'000'000);
  amounts.shipping_vnd = 30'000;
  std::vector<OrderLine> lines = {OrderLine{"a", "", 1, 500'000}, OrderLine{"b", "", 1, 500'000}};
  Result result = check_order_lines(lines, amounts);
  REQUIRE(!result.ok());
  CHECK(result.errors[0].path == "lines");
  lines[1] = OrderLine{"a", "", 1, 470'000};
  result = check_order_lines(lines, amounts);
  REQUIRE(!result.ok());
  CHECK(result.errors[0].path == "lines[1].product_id");
  lines[1] = OrderLine{"b", "", 0, 470'000};
  result = check_order_lines(lines, amounts);
  REQUIRE(!result.ok());
  CHECK(result.errors[0].path == "lines[1].quantity");
  lines[1] = OrderLine{"b", "", 1, 470'000};
  CHECK(check_order_lines(lines, amounts).ok());
  // 300,000 VND of tobacco listed, 700,000 VND not listed: the rest earns 7 points at x1.
  ProgramConfig config = grocery_program();
  const std::vector<OrderLine> partial = {OrderLine{"cigarettes", "tobacco", 1, 300'000}};
  REQUIRE(check_order_lines(partial, amount(1'000'000)).ok());
  EarningContext context;
  context.lines = partial;
  const EarningBreakdown earning = compute_earning(config, amount(1'000'000), -1, false, context);
  CHECK(earning.buyer_points == 7);
  CHECK(earning.lines[0].buyer_points == 0);
  CHECK(earning.tier_points == 35);
}

TEST_CASE("minimum order value to earn, and the maximum points per order") {
  ProgramConfig config = loyalty::testing::seed_program();
  config.earning.minimum_order_vnd = 200'000;
  config.earning.maximum_points_per_order = 5;
  // 150,000 VND is below the minimum: no points, but 7 tier points (150,000 ÷ 20,000 = 7.5).
  EarningBreakdown small = compute_earning(config, amount(150'000), -1, true);
  CHECK(small.below_minimum);
  CHECK(small.buyer_points == 0);
  CHECK(small.referrer_points == 0);
  CHECK(small.tier_points == 7);
  // 200,000 VND is at the minimum: 2 points.
  CHECK(compute_earning(config, amount(200'000), -1, false).buyer_points == 2);
  // 1,000,000 VND would earn 10: the maximum keeps 5 and says 5 were cut off.
  EarningBreakdown large = compute_earning(config, amount(1'000'000), -1, false);
  CHECK(large.buyer_points == 5);
  CHECK(large.points_over_maximum == 5);
  CHECK(large.tier_points == 50);
}

TEST_CASE("promotions: multiplied with the tier's multiplier or the higher of the two, only in their period") {
  ProgramConfig config = loyalty::testing::seed_program();   // Bạch kim (index 2) earns x1.5
  Promotion weekend;
  weekend.id = "cuoi-tuan";
  weekend.starts_at_utc = at("2026-02-06T17:00:00Z");   // Saturday 00:00 in Hà Nội
  weekend.ends_at_utc = at("2026-02-08T17:00:00Z");     // Monday 00:00
  weekend.multiplier_bp = 20000;
  config.promotions = {weekend};
  auto never_in_group = [](const std::string&) { return false; };
  const Promotion* in_force = promotion_for(config, at("2026-02-07T03:00:00Z"), 2, never_in_group);
  REQUIRE(in_force != nullptr);
  CHECK(promotion_for(config, at("2026-02-06T16:59:59Z"), 2, never_in_group) == nullptr);
  CHECK(promotion_for(config, at("2026-02-08T17:00:00Z"), 2, never_in_group) == nullptr);   // the end is not included
  EarningContext context;
  context.promotion = in_force;
  // 1,000,000 VND × 1 % ÷ 1,000 = 10; × 1.5 × 2 = 30.
  EarningBreakdown earning = compute_earning(config, amount(1'000'000), 2, false, context);
  CHECK(earning.buyer_points == 30);
  CHECK(earning.multiplier_bp == 30000);
  CHECK(earning.promotion == in_force);
  // The higher of x1.5 and x2: 20.
  config.promotions[0].combine = PromotionCombine::highest;
  context.promotion = &config.promotions[0];
  CHECK(compute_earning(config, amount(1'000'000), 2, false, context).buyer_points == 20);
  // A promotion never raises the referrer's or the tier points: 5 and 50.
  earning = compute_earning(config, amount(1'000'000), 2, true, context);
  CHECK(earning.referrer_points == 5);
  CHECK(earning.tier_points == 50);
  // For one tier or one group only.
  config.promotions[0].tier_id = "vang";
  CHECK(promotion_for(config, at("2026-02-07T03:00:00Z"), 2, never_in_group) == nullptr);
  CHECK(promotion_for(config, at("2026-02-07T03:00:00Z"), 1, never_in_group) != nullptr);
  config.promotions[0].tier_id.clear();
  config.promotions[0].group_id = "vip";
  CHECK(promotion_for(config, at("2026-02-07T03:00:00Z"), 0, never_in_group) == nullptr);
  CHECK(promotion_for(config, at("2026-02-07T03:00:00Z"), 0, [](const std::string& id) { return id == "vip"; }) != nullptr);
}

TEST_CASE("a refund naming lines takes back exactly what those lines earned, and the full refund the rest") {
  StoreFixture fixture;
  Changes& changes = fixture.changes;
  REQUIRE(fixture.store.save_program(grocery_program(), at("2026-01-01T12:00:00Z"), "owner", changes).ok());
  const MemberIndex referrer = fixture.add_member("A", "0912000001", "Người giới thiệu");
  const MemberIndex buyer = fixture.add_member("B", "0912000002", "Người mua", "A");
  OrderEvent event;
  event.order_id = "D1";
  event.member_id = "B";
  event.status = OrderStatus::completed;
  event.amounts.amount_vnd = 1'000'000;
  event.lines = basket();
  REQUIRE(fixture.store.record_order(event, at("2026-02-01T10:00:00Z"), changes).ok());
  CHECK(fixture.points(buyer) == 12);
  CHECK(fixture.points(referrer) == 4);
  CHECK(fixture.tier_points(buyer) == 45);
  // The tea comes back (300,000 VND): its 6 points, 2 referrer points and 15 tier points.
  RefundEvent tea{"D1", "R1", 300'000, "staff", {RefundLine{"tea", 1}}};
  REQUIRE(fixture.store.refund_order(tea, at("2026-02-03T10:00:00Z"), changes).ok());
  CHECK(fixture.points(buyer) == 6);
  CHECK(fixture.points(referrer) == 2);
  CHECK(fixture.tier_points(buyer) == 30);
  // One of the two bags of rice: half of 6 = 3 points, half of 2 = 1, half of 30 = 15.
  RefundEvent rice{"D1", "R2", 300'000, "staff", {RefundLine{"rice", 1}}};
  REQUIRE(fixture.store.refund_order(rice, at("2026-02-04T10:00:00Z"), changes).ok());
  CHECK(fixture.points(buyer) == 3);
  CHECK(fixture.points(referrer) == 1);
  CHECK(fixture.tier_points(buyer) == 15);
  // More rice than is left, a product not on the order, a line named twice: refused, nothing changes.
  CHECK(fixture.store.refund_order(RefundEvent{"D1", "R3", 100'000, "staff", {RefundLine{"rice", 2}}}, at("2026-02-04T11:00:00Z"), changes)
            .errors[0].path == "lines[0].quantity");
  CHECK(fixture.store.refund_order(RefundEvent{"D1", "R3", 100'000, "staff", {RefundLine{"milk", 1}}}, at("2026-02-04T11:00:00Z"), changes)
            .errors[0].path == "lines[0].product_id");
  CHECK(fixture.store.refund_order(RefundEvent{"D1", "R3", 100'000, "staff", {RefundLine{"rice", 1}, RefundLine{"rice", 1}}},
                                   at("2026-02-04T11:00:00Z"), changes)
            .errors[0].path == "lines[1].product_id");
  CHECK(fixture.points(buyer) == 3);
  // The cigarettes earned nothing: returning them takes nothing.
  REQUIRE(fixture.store.refund_order(RefundEvent{"D1", "R4", 100'000, "staff", {RefundLine{"cigarettes", 1}}}, at("2026-02-05T10:00:00Z"), changes)
              .ok());
  CHECK(fixture.points(buyer) == 3);
  // The rest by order status: everything left (3, 1 and 15).
  CHECK(fixture.order("D1", "B", 1'000'000, OrderStatus::refunded, "2026-02-06T10:00:00Z").ok());
  CHECK(fixture.points(buyer) == 0);
  CHECK(fixture.points(referrer) == 0);
  CHECK(fixture.tier_points(buyer) == 0);
  fixture.check_invariants();
}

TEST_CASE("order lines: a later event repeats the lines or omits them, never changes them") {
  StoreFixture fixture;
  Changes& changes = fixture.changes;
  REQUIRE(fixture.store.save_program(grocery_program(), at("2026-01-01T12:00:00Z"), "owner", changes).ok());
  const MemberIndex buyer = fixture.add_member("B", "0912000002", "Người mua");
  OrderEvent event;
  event.order_id = "D1";
  event.member_id = "B";
  event.status = OrderStatus::placed;
  event.amounts.amount_vnd = 1'000'000;
  event.lines = basket();
  REQUIRE(fixture.store.record_order(event, at("2026-02-01T10:00:00Z"), changes).ok());
  event.status = OrderStatus::completed;
  event.lines[0].amount_vnd = 500'000;
  event.lines[2].amount_vnd = 200'000;
  CHECK(fixture.store.record_order(event, at("2026-02-01T11:00:00Z"), changes).errors[0].path == "lines");
  event.lines.clear();   // omitted: the recorded lines value the order
  REQUIRE(fixture.store.record_order(event, at("2026-02-01T11:00:00Z"), changes).ok());
  CHECK(fixture.points(buyer) == 12);
  CHECK(fixture.tier_points(buyer) == 45);
  fixture.check_invariants();
}

TEST_CASE("a promotion in the store: a weekend doubles the points of orders completed in it") {
  StoreFixture fixture;
  Changes& changes = fixture.changes;
  ProgramConfig config = loyalty::testing::seed_program();
  Promotion weekend;
  weekend.id = "cuoi-tuan";
  weekend.starts_at_utc = at("2026-02-06T17:00:00Z");
  weekend.ends_at_utc = at("2026-02-08T17:00:00Z");
  weekend.multiplier_bp = 20000;
  config.promotions = {weekend};
  REQUIRE(fixture.store.save_program(config, at("2026-01-01T12:00:00Z"), "owner", changes).ok());
  const MemberIndex buyer = fixture.add_member("B", "0912000002", "Người mua");
  CHECK(fixture.order("D1", "B", 1'000'000, OrderStatus::completed, "2026-02-06T16:59:59Z").ok());   // Friday 23:59:59: 10
  CHECK(fixture.points(buyer) == 10);
  CHECK(fixture.order("D2", "B", 1'000'000, OrderStatus::completed, "2026-02-07T10:00:00Z").ok());   // Saturday: 20
  CHECK(fixture.points(buyer) == 30);
  CHECK(fixture.tier_points(buyer) == 100);   // tier points are not doubled
  fixture.check_invariants();
}

TEST_CASE("expiry counted from completion or from the end of the pending period") {
  for (const bool from_available : {false, true}) {
    StoreFixture fixture;
    Changes& changes = fixture.changes;
    ProgramConfig config = loyalty::testing::seed_program();
    config.pending.days = 14;
    config.expiry.rule = ExpiryRule::months_after;
    config.expiry.months = 12;
    config.expiry.from_available = from_available;
    REQUIRE(fixture.store.save_program(config, at("2026-01-01T12:00:00Z"), "owner", changes).ok());
    const MemberIndex buyer = fixture.add_member("B", "0912000002", "Người mua");
    REQUIRE(fixture.order("D1", "B", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
    const PointLot& lot = fixture.store.lots()[fixture.store.orders()[0].buyer_lot];
    CHECK(lot.available_at_utc == at("2026-02-15T10:00:00Z"));
    CHECK(lot.expires_at_utc == at(from_available ? "2027-02-15T10:00:00Z" : "2027-02-01T10:00:00Z"));
    CHECK(lot.member == buyer);
  }
}

TEST_CASE("program config: the new sections are validated with their paths and round-trip through JSON") {
  Json document = program_config_to_json(loyalty::testing::seed_program());
  // A program without the new sections writes none of them.
  CHECK(!document.contains("earning"));
  CHECK(!document.contains("promotions"));
  CHECK(!document.contains("bonuses"));
  CHECK(!document.contains("tier_retention"));
  CHECK(!document["expiry"].contains("from"));
  document["earning"] = {{"excluded_categories", {"tobacco"}}, {"category_multipliers", {{{"category", "organic"}, {"multiplier_bp", 200000}}}}};
  document["promotions"] = {{{"id", "tet"}, {"starts_at", "2027-02-01T00:00:00+07:00"}, {"ends_at", "2027-01-01T00:00:00+07:00"},
                             {"multiplier_bp", 20000}, {"tier_id", "kim cuong"}, {"combine", "add"}}};
  document["tier_points"]["calendar_year_start_month"] = 1;
  document["tier_points"]["window_months"] = 12;
  ProgramConfigReading reading = read_program_config(document);
  REQUIRE(!reading.config);
  std::vector<std::string> paths;
  for (const FieldError& error : reading.errors) paths.push_back(error.path);
  CHECK(std::find(paths.begin(), paths.end(), "earning.category_multipliers[0].multiplier_bp") != paths.end());
  CHECK(std::find(paths.begin(), paths.end(), "promotions[0].ends_at") != paths.end());
  CHECK(std::find(paths.begin(), paths.end(), "promotions[0].tier_id") != paths.end());
  CHECK(std::find(paths.begin(), paths.end(), "promotions[0].combine") != paths.end());
  CHECK(std::find(paths.begin(), paths.end(), "tier_points.calendar_year_start_month") != paths.end());

  ProgramConfig config = grocery_program();
  config.earning.minimum_order_vnd = 50'000;
  config.earning.maximum_points_per_order = 1'000;
  Promotion tet;
  tet.id = "tet";
  tet.name = "Tết";
  tet.starts_at_utc = at("2027-01-31T17:00:00Z");
  tet.ends_at_utc = at("2027-02-07T17:00:00Z");
  tet.tier_id = "vang";
  tet.combine = PromotionCombine::highest;
  config.promotions = {tet};
  config.bonuses.welcome_points = 100;
  config.bonuses.referral_instead_of_percentage = true;
  config.tier_retention = {3, true};
  config.tier_points.qualify_by = TierMeasure::spend_vnd;
  config.tier_points.calendar_year_start_month = 4;
  config.tiers[1].tier_up_bonus_points = 200;
  config.expiry.from_available = true;
  const Json written = program_config_to_json(config);
  CHECK(written["tiers"][1].contains("spend_needed_vnd"));
  const ProgramConfigReading again = read_program_config(written);
  REQUIRE(again.config);
  CHECK(program_config_to_json(*again.config) == written);
  CHECK(again.config->earning == config.earning);
  CHECK(again.config->promotions == config.promotions);
  CHECK(again.config->bonuses == config.bonuses);
  CHECK(again.config->tier_retention == config.tier_retention);
  CHECK(again.config->tier_points == config.tier_points);
}
