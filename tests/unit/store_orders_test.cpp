#include <doctest/doctest.h>

#include "core/store.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using namespace loyalty::testing;

TEST_CASE("a completed order earns the buyer's points and tier points, from the pool") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  const Points pool_before = fixture.store.ledger().balance(SystemAccount::pool);
  CHECK(fixture.order("A1", "an", 1'000'000, OrderStatus::completed).code == ResultCode::ok);
  CHECK(fixture.points(an) == 10);
  CHECK(fixture.tier_points(an) == 50);
  CHECK(fixture.store.ledger().balance(SystemAccount::pool) == pool_before - 10);
  CHECK(fixture.changes.transactions.size() == 2);  // points and tier points are separate units
  fixture.check_invariants();
}

TEST_CASE("points are earned at completion, not when placed; cancelled before completion earns nothing") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  CHECK(fixture.order("A1", "an", 1'000'000, OrderStatus::placed).code == ResultCode::ok);
  CHECK(fixture.points(an) == 0);
  CHECK(fixture.order("A1", "an", 1'000'000, OrderStatus::cancelled).code == ResultCode::ok);
  CHECK(fixture.points(an) == 0);
  CHECK(fixture.order("A1", "an", 1'000'000, OrderStatus::completed).code == ResultCode::order_already_cancelled);
  CHECK(fixture.points(an) == 0);
  CHECK(fixture.order("A2", "an", 500'000, OrderStatus::placed).code == ResultCode::ok);
  CHECK(fixture.order("A2", "an", 500'000, OrderStatus::completed).code == ResultCode::ok);
  CHECK(fixture.points(an) == 5);
  CHECK(fixture.order("A2", "an", 500'000, OrderStatus::cancelled).code == ResultCode::order_already_completed);
  fixture.check_invariants();
}

TEST_CASE("an order event is applied once however often it is sent") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  for (int attempt = 0; attempt < 5; ++attempt) {
    const Result result = fixture.order("A1", "an", 1'000'000, OrderStatus::completed);
    CHECK(result.code == (attempt == 0 ? ResultCode::ok : ResultCode::already_applied));
    CHECK(result.ok());
  }
  CHECK(fixture.points(an) == 10);
  CHECK(fixture.store.ledger().transactions().size() == 3);  // funding + points + tier points
  // The same order id with other details is a conflict, not a new order.
  fixture.add_member("binh", "0987654321", "Trần Thị Bình");
  CHECK(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed).code == ResultCode::order_member_mismatch);
  CHECK(fixture.order("A1", "an", 2'000'000, OrderStatus::completed).code == ResultCode::order_amount_mismatch);
  CHECK(fixture.points(an) == 10);
}

TEST_CASE("the referrer earns on the referred member's completed orders") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  const MemberIndex binh = fixture.add_member("binh", "0987654321", "Trần Thị Bình", "an");
  CHECK(fixture.order("B1", "binh", 1'000'000, OrderStatus::completed).code == ResultCode::ok);
  CHECK(fixture.points(binh) == 10);
  CHECK(fixture.points(an) == 5);
  CHECK(fixture.tier_points(an) == 0);  // tier points are the buyer's alone
  fixture.check_invariants();
}

TEST_CASE("a full refund takes back exactly what was earned, from buyer and referrer") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  const MemberIndex binh = fixture.add_member("binh", "0987654321", "Trần Thị Bình", "an");
  REQUIRE(fixture.order("B1", "binh", 1'000'000, OrderStatus::completed).ok());
  CHECK(fixture.order("B1", "binh", 1'000'000, OrderStatus::refunded).code == ResultCode::ok);
  CHECK(fixture.points(binh) == 0);
  CHECK(fixture.points(an) == 0);
  CHECK(fixture.tier_points(binh) == 0);
  CHECK(fixture.order("B1", "binh", 1'000'000, OrderStatus::refunded).code == ResultCode::already_applied);
  // A refund of a refund: nothing is left to refund.
  CHECK(fixture.refund("B1", "again", 1).code == ResultCode::order_already_refunded);
  CHECK(fixture.points(binh) == 0);
  fixture.check_invariants();
}

TEST_CASE("partial refunds take back in proportion, never more than was earned") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 1'000'000, OrderStatus::completed).ok());  // 10 points, 50 tier points
  CHECK(fixture.refund("A1", "r1", 250'000).code == ResultCode::ok);  // a quarter: 2.5 -> 2 points back, 12.5 -> 12 tier
  CHECK(fixture.points(an) == 8);
  CHECK(fixture.tier_points(an) == 38);
  CHECK(fixture.refund("A1", "r1", 250'000).code == ResultCode::already_applied);
  CHECK(fixture.refund("A1", "r1", 100'000).code == ResultCode::refund_conflict);
  CHECK(fixture.refund("A1", "r2", 250'000).code == ResultCode::ok);  // half refunded: 5 back in all
  CHECK(fixture.points(an) == 5);
  CHECK(fixture.tier_points(an) == 25);
  CHECK(fixture.refund("A1", "r3", 600'000).code == ResultCode::refund_exceeds_order);
  CHECK(fixture.refund("A1", "r3", 500'000).code == ResultCode::ok);   // the rest: everything back
  CHECK(fixture.points(an) == 0);
  CHECK(fixture.tier_points(an) == 0);
  const Order& order = fixture.store.orders()[fixture.store.find_order("A1")];
  CHECK(order.status == OrderStatus::refunded);
  CHECK(order.buyer_points_reversed == order.buyer_points_earned);
  fixture.check_invariants();
}

TEST_CASE("a refund before completion, or of an unknown order, is refused and changes nothing") {
  StoreFixture fixture;
  fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 1'000'000, OrderStatus::placed).ok());
  const std::size_t transactions = fixture.store.ledger().transactions().size();
  CHECK(fixture.refund("A1", "r1", 1000).code == ResultCode::order_not_completed);
  CHECK(fixture.refund("nope", "r1", 1000).code == ResultCode::order_not_found);
  CHECK(fixture.order("A9", "an", 1'000'000, OrderStatus::refunded).code == ResultCode::order_not_completed);
  CHECK(fixture.store.find_order("A9") == UINT32_MAX);
  CHECK(fixture.store.ledger().transactions().size() == transactions);
}

TEST_CASE("a reversal may leave a negative balance, recovered from later earnings") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 1'000'000, OrderStatus::completed).ok());
  PointsAdjustment spend{"an", -10, "Đổi quà tại quầy", "staff-1", "gift-1"};
  REQUIRE(fixture.store.adjust_points(spend, at("2026-02-02T00:00:00Z"), fixture.changes).ok());
  CHECK(fixture.points(an) == 0);
  REQUIRE(fixture.order("A1", "an", 1'000'000, OrderStatus::refunded).ok());
  CHECK(fixture.points(an) == -10);
  REQUIRE(fixture.order("A2", "an", 2'000'000, OrderStatus::completed).ok());
  CHECK(fixture.points(an) == 10);
  fixture.check_invariants();
}

TEST_CASE("buy then refund, over and over, creates no points") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  fixture.add_member("binh", "0987654321", "Trần Thị Bình", "an");
  const Points pool_before = fixture.store.ledger().balance(SystemAccount::pool);
  for (int round = 0; round < 50; ++round) {
    const std::string order_id = "L" + std::to_string(round);
    REQUIRE(fixture.order(order_id, "binh", 1'234'567 + round * 999, OrderStatus::completed).ok());
    REQUIRE(fixture.refund(order_id, "a", 333'333).ok());
    REQUIRE(fixture.refund(order_id, "b", 1).ok());
    REQUIRE(fixture.order(order_id, "binh", 1'234'567 + round * 999, OrderStatus::refunded).ok());
  }
  CHECK(fixture.points(an) == 0);
  CHECK(fixture.points(fixture.store.find_member("binh")) == 0);
  CHECK(fixture.store.ledger().balance(SystemAccount::pool) == pool_before);
  fixture.check_invariants();
}

TEST_CASE("an order is valued by the program version in force when it completed") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  ProgramConfig doubled = seed_program();
  doubled.wallet.buyer_earn_rate_bp = 200;
  REQUIRE(fixture.store.save_program(doubled, at("2026-03-01T00:00:00Z"), "owner", fixture.changes).ok());
  CHECK(fixture.store.program_versions().size() == 2);
  REQUIRE(fixture.order("A2", "an", 1'000'000, OrderStatus::completed, "2026-03-02T10:00:00Z").ok());
  CHECK(fixture.points(an) == 30);  // 10 at the old rate, 20 at the new one
  // An event reported late, with a time before the change, is valued by the old version.
  REQUIRE(fixture.order("A0", "an", 1'000'000, OrderStatus::completed, "2026-02-15T10:00:00Z").ok());
  CHECK(fixture.points(an) == 40);
  // Refunding the first order takes back what it earned then, not at today's rate.
  REQUIRE(fixture.order("A1", "an", 1'000'000, OrderStatus::refunded, "2026-03-05T10:00:00Z").ok());
  CHECK(fixture.points(an) == 30);
  CHECK(fixture.store.orders()[fixture.store.find_order("A1")].program_version == 1);
  // A new version cannot be dated before the latest.
  CHECK(fixture.store.save_program(doubled, at("2026-02-20T00:00:00Z"), "owner", fixture.changes).code ==
        ResultCode::program_time_before_latest);
}

TEST_CASE("the pool never goes below zero") {
  Store store;
  Changes changes;
  ProgramConfig small = seed_program();
  small.wallet.initial_pool_points = 15;
  REQUIRE(store.save_program(small, at("2026-01-01T00:00:00Z"), "owner", changes).ok());
  NewMember member;
  member.phone = "0912345678";
  member.name = "An";
  REQUIRE(store.create_member(member, at("2026-01-02T00:00:00Z"), changes).ok());
  const std::string member_id = store.members()[0].member_id;
  OrderEvent order;
  order.order_id = "A1";
  order.member_id = member_id;
  order.amounts.amount_vnd = 1'000'000;
  CHECK(store.record_order(order, at("2026-01-03T00:00:00Z"), changes).ok());
  order.order_id = "A2";
  CHECK(store.record_order(order, at("2026-01-03T00:00:00Z"), changes).code == ResultCode::pool_exhausted);
  CHECK(store.find_order("A2") == UINT32_MAX);  // refused: no trace
  CHECK(store.ledger().balance(SystemAccount::pool) == 5);
  // Topping up the pool through a new program version lets it through.
  small.wallet.initial_pool_points = 1000;
  REQUIRE(store.save_program(small, at("2026-01-04T00:00:00Z"), "owner", changes).ok());
  CHECK(store.record_order(order, at("2026-01-05T00:00:00Z"), changes).ok());
  // Shrinking it below what members already hold is refused with the field named.
  small.wallet.initial_pool_points = 10;
  const Result shrink = store.save_program(small, at("2026-01-06T00:00:00Z"), "owner", changes);
  CHECK(shrink.code == ResultCode::invalid_field);
  CHECK(shrink.errors.at(0).path == "wallet.initial_pool_points");
  CHECK(store.check_invariants() == "");
}

TEST_CASE("bad order input gets a clear error and changes nothing") {
  StoreFixture fixture;
  fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  const std::size_t orders = fixture.store.orders().size();
  CHECK(fixture.order("", "an", 1000, OrderStatus::completed).errors.at(0).path == "order_id");
  CHECK(fixture.order("A 1", "an", 1000, OrderStatus::completed).code == ResultCode::invalid_field);
  CHECK(fixture.order("A1", "an", -1, OrderStatus::completed).errors.at(0).path == "amount_vnd");
  CHECK(fixture.order("A1", "an", amount_vnd_max + 1, OrderStatus::completed).code == ResultCode::amount_too_large);
  CHECK(fixture.order("A1", "nobody", 1000, OrderStatus::completed).code == ResultCode::member_not_found);
  CHECK(fixture.store.orders().size() == orders);
}

TEST_CASE("manual adjustments need a reason and an idempotency key, and are ledger transactions") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  PointsAdjustment adjustment{"an", 25, "Bù điểm đơn hàng bị lỗi", "staff-1", "adj-1"};
  CHECK(fixture.store.adjust_points(adjustment, at("2026-02-01T00:00:00Z"), fixture.changes).code == ResultCode::ok);
  CHECK(fixture.points(an) == 25);
  CHECK(fixture.store.adjust_points(adjustment, at("2026-02-01T00:00:00Z"), fixture.changes).code == ResultCode::already_applied);
  CHECK(fixture.points(an) == 25);
  adjustment.points = 30;
  CHECK(fixture.store.adjust_points(adjustment, at("2026-02-01T00:00:00Z"), fixture.changes).code ==
        ResultCode::idempotency_key_conflict);
  PointsAdjustment take{"an", -5, "Trừ điểm tặng nhầm", "staff-1", "adj-2"};
  CHECK(fixture.store.adjust_points(take, at("2026-02-01T00:00:00Z"), fixture.changes).ok());
  CHECK(fixture.points(an) == 20);
  CHECK(fixture.store.ledger().balance(SystemAccount::adjustments) == 5);
  PointsAdjustment no_reason{"an", 5, " ", "staff-1", "adj-3"};
  const Result refused = fixture.store.adjust_points(no_reason, at("2026-02-01T00:00:00Z"), fixture.changes);
  CHECK(refused.code == ResultCode::invalid_field);
  CHECK(refused.errors.at(0).path == "reason");
  CHECK(fixture.points(an) == 20);
  fixture.check_invariants();
}
