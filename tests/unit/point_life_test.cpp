// The life of a point, on a simulated clock: pending period, expiry by lot, paying with
// points, transfers, and the store's liability.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/store.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using namespace loyalty::testing;

namespace {

struct LifeFixture {
  Store store;
  Changes changes;
  ProgramConfig config = seed_program();

  explicit LifeFixture(void (*adjust)(ProgramConfig&) = nullptr) {
    config.wallet.referrer_earn_rate_bp = 50;
    if (adjust) adjust(config);
    REQUIRE(store.save_program(config, at("2026-01-01T00:00:00Z"), "owner", changes).ok());
    add("an", "0912345678", "Nguyễn Văn An");
    add("binh", "0987654321", "Trần Thị Bình", "an");
  }
  MemberIndex add(const std::string& member_id, const std::string& phone, const std::string& name, const std::string& referrer = "") {
    NewMember member;
    member.member_id = member_id;
    member.phone = phone;
    member.name = name;
    member.referrer_id = referrer;
    REQUIRE(store.create_member(member, at("2026-01-02T00:00:00Z"), changes).ok());
    return changes.created_member;
  }
  MemberIndex id(const char* member_id) const { return store.find_member(member_id); }
  // Every command runs after what fell due by its time, as the command runner does.
  Result run_due(const char* time) { return store.process_due(at(time), changes); }
  Result order(const std::string& order_id, const std::string& member_id, Vnd amount_vnd, OrderStatus status, const char* time,
               const std::string& hold_id = "") {
    run_due(time);
    OrderEvent event;
    event.order_id = order_id;
    event.member_id = member_id;
    event.amounts.amount_vnd = amount_vnd;
    event.status = status;
    event.points_hold_id = hold_id;
    return store.record_order(event, at(time), changes);
  }
  Result refund(const std::string& order_id, const std::string& refund_id, Vnd amount_vnd, const char* time) {
    run_due(time);
    return store.refund_order(RefundEvent{order_id, refund_id, amount_vnd, "staff"}, at(time), changes);
  }
  Result redeem(const std::string& redemption_id, const std::string& member_id, Points points, const char* time) {
    run_due(time);
    return store.redeem_points(RedemptionRequest{redemption_id, member_id, points, "Voucher 50.000 ₫", "staff"}, at(time), changes);
  }
  Result adjust(const std::string& key, const std::string& member_id, Points points, const char* time) {
    run_due(time);
    return store.adjust_points(PointsAdjustment{member_id, points, "Quà tặng", "staff", key}, at(time), changes);
  }
  Points points(const char* member_id) const { return store.ledger().balance(id(member_id), MemberAccount::points); }
  Points pending(const char* member_id) const { return store.ledger().balance(id(member_id), MemberAccount::pending); }
  Points held(const char* member_id) const { return store.ledger().balance(id(member_id), MemberAccount::held); }
  TierPoints tier_points(const char* member_id) const { return store.ledger().balance(id(member_id), MemberAccount::tier_points); }
  void check() const { CHECK(store.check_invariants() == ""); }
};

void seven_day_pending(ProgramConfig& config) { config.pending.days = 7; }
void seven_day_pending_tier_when_available(ProgramConfig& config) {
  config.pending.days = 7;
  config.pending.tier_points_when_available = true;
}
void twelve_month_expiry(ProgramConfig& config) {
  config.expiry.rule = ExpiryRule::months_after;
  config.expiry.months = 12;
}
void end_of_month_expiry(ProgramConfig& config) {
  config.expiry.rule = ExpiryRule::end_of_month_after;
  config.expiry.months = 3;
}
void six_month_inactivity(ProgramConfig& config) { config.expiry.inactivity_months = 6; }
void transfers_on(ProgramConfig& config) {
  config.pending.days = 7;
  config.transfers.enabled = true;
  config.transfers.daily_limit_points = 30;
  config.transfers.minimum_balance_points = 5;
}

}  // namespace

TEST_CASE("pending: earned points wait for the return window, then become available by themselves") {
  LifeFixture fixture(seven_day_pending);
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  CHECK(fixture.pending("binh") == 10);
  CHECK(fixture.points("binh") == 0);
  CHECK(fixture.pending("an") == 5);  // the referrer's share waits too
  CHECK(fixture.tier_points("binh") == 50);  // tier points count at once by default
  // Pending points cannot be spent.
  CHECK(fixture.redeem("R1", "binh", 5, "2026-02-05T00:00:00Z").code == ResultCode::insufficient_points);
  // A second before the end of the period nothing has moved; at the end it has.
  REQUIRE(fixture.run_due("2026-02-08T09:59:59Z").ok());
  CHECK(fixture.pending("binh") == 10);
  REQUIRE(fixture.run_due("2026-02-08T10:00:00Z").ok());
  CHECK(fixture.pending("binh") == 0);
  CHECK(fixture.points("binh") == 10);
  CHECK(fixture.points("an") == 5);
  const bool available_event = std::any_of(fixture.changes.events.begin(), fixture.changes.events.end(),
                                           [](const Event& event) { return event.kind == EventKind::points_available; });
  CHECK(available_event);
  // The release is posted at the moment it fell due, and running again finds nothing.
  const Transaction& release = fixture.store.ledger().transactions()[fixture.changes.transactions.front()];
  CHECK(release.kind == TransactionKind::pending_release);
  CHECK(release.time_utc == at("2026-02-08T10:00:00Z"));
  REQUIRE(fixture.run_due("2026-02-08T10:00:00Z").ok());
  CHECK(fixture.changes.transactions.empty());
  CHECK(fixture.redeem("R1", "binh", 5, "2026-02-09T00:00:00Z").ok());
  fixture.check();
}

TEST_CASE("pending: a refund inside the window cancels the pending points cleanly") {
  LifeFixture fixture(seven_day_pending);
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  const Points pool_before = fixture.store.ledger().balance(SystemAccount::pool);
  REQUIRE(fixture.refund("A1", "r1", 400'000, "2026-02-03T10:00:00Z").ok());
  CHECK(fixture.pending("binh") == 6);   // 4 of 10 cancelled
  CHECK(fixture.pending("an") == 3);     // 2 of 5
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::refunded, "2026-02-04T10:00:00Z").ok());
  CHECK(fixture.pending("binh") == 0);
  CHECK(fixture.points("binh") == 0);    // never negative
  CHECK(fixture.store.members()[fixture.id("binh")].debt_points == 0);
  CHECK(fixture.tier_points("binh") == 0);
  CHECK(fixture.store.ledger().balance(SystemAccount::pool) == pool_before + 15);
  // Nothing is released later: the lot is empty.
  REQUIRE(fixture.run_due("2026-02-09T00:00:00Z").ok());
  CHECK(fixture.points("binh") == 0);
  fixture.check();
}

TEST_CASE("pending: after the window, a refund is a reversal that may leave a negative balance") {
  LifeFixture fixture(seven_day_pending);
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  REQUIRE(fixture.redeem("R1", "binh", 10, "2026-02-10T00:00:00Z").ok());
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::refunded, "2026-02-11T00:00:00Z").ok());
  CHECK(fixture.points("binh") == -10);
  CHECK(fixture.store.members()[fixture.id("binh")].debt_points == 10);
  // Later points pay the debt first, when they become available.
  REQUIRE(fixture.order("A2", "binh", 3'000'000, OrderStatus::completed, "2026-02-12T00:00:00Z").ok());
  CHECK(fixture.points("binh") == -10);
  CHECK(fixture.pending("binh") == 30);
  REQUIRE(fixture.run_due("2026-02-19T00:00:00Z").ok());
  CHECK(fixture.points("binh") == 20);
  CHECK(fixture.store.members()[fixture.id("binh")].debt_points == 0);
  fixture.check();
}

TEST_CASE("pending: tier points may wait for the points, and a refund inside the window never counts them") {
  LifeFixture fixture(seven_day_pending_tier_when_available);
  REQUIRE(fixture.order("A1", "binh", 10'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  CHECK(fixture.tier_points("binh") == 0);
  CHECK(fixture.store.members()[fixture.id("binh")].tier_index == 0);
  REQUIRE(fixture.run_due("2026-02-08T10:00:00Z").ok());
  CHECK(fixture.tier_points("binh") == 500);
  CHECK(fixture.store.members()[fixture.id("binh")].tier_index == 1);  // Vàng, with the cause recorded
  const bool upgraded = std::any_of(fixture.changes.events.begin(), fixture.changes.events.end(), [](const Event& event) {
    return event.kind == EventKind::tier_changed && event.cause == TierChangeCause::points_available;
  });
  CHECK(upgraded);
  REQUIRE(fixture.order("A2", "binh", 10'000'000, OrderStatus::completed, "2026-03-01T10:00:00Z").ok());
  REQUIRE(fixture.order("A2", "binh", 10'000'000, OrderStatus::refunded, "2026-03-02T10:00:00Z").ok());
  REQUIRE(fixture.run_due("2026-03-09T00:00:00Z").ok());
  CHECK(fixture.tier_points("binh") == 500);
  fixture.check();
}

TEST_CASE("pending: staff release or cancel pending points by hand, with a reason") {
  LifeFixture fixture(seven_day_pending);
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  REQUIRE(fixture.order("A2", "binh", 2'000'000, OrderStatus::completed, "2026-02-01T11:00:00Z").ok());
  const UtcSeconds time = at("2026-02-02T00:00:00Z");
  CHECK(fixture.store.release_pending("A1", " ", "staff", time, fixture.changes).code == ResultCode::invalid_field);
  REQUIRE(fixture.store.release_pending("A1", "Khách nhận hàng, không đổi trả", "staff-1", time, fixture.changes).ok());
  CHECK(fixture.points("binh") == 10);
  CHECK(fixture.pending("binh") == 20);
  CHECK(fixture.store.release_pending("A1", "again", "staff-1", time, fixture.changes).code == ResultCode::already_applied);
  CHECK(fixture.store.cancel_pending("A1", "too late", "staff-1", time, fixture.changes).code == ResultCode::nothing_pending);
  REQUIRE(fixture.store.cancel_pending("A2", "Đơn hàng gian lận", "staff-1", time, fixture.changes).ok());
  CHECK(fixture.pending("binh") == 0);
  CHECK(fixture.points("binh") == 10);
  CHECK(fixture.pending("an") == 0);  // A1's referrer share was released with it; A2's cancelled
  CHECK(fixture.points("an") == 5);
  // A refund after a cancel takes nothing more.
  REQUIRE(fixture.order("A2", "binh", 2'000'000, OrderStatus::refunded, "2026-02-03T00:00:00Z").ok());
  CHECK(fixture.points("binh") == 10);
  fixture.check();
}

TEST_CASE("expiry: each lot expires on its own date; a spend takes the soonest first and records its lots") {
  LifeFixture fixture(twelve_month_expiry);
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());  // 10, expires 2027-02-01
  REQUIRE(fixture.order("A2", "binh", 2'000'000, OrderStatus::completed, "2026-05-01T10:00:00Z").ok());  // 20, expires 2027-05-01
  // 15 points straddle both lots: 10 from the February lot, 5 from May's.
  REQUIRE(fixture.redeem("R1", "binh", 15, "2026-06-01T00:00:00Z").ok());
  const std::uint32_t spend = fixture.changes.transactions.front();
  std::vector<std::pair<std::uint32_t, Points>> consumed;
  for (const LotPortion& portion : fixture.store.lot_portions()) {
    if (portion.transaction == spend) consumed.emplace_back(portion.lot, portion.points);
  }
  REQUIRE(consumed.size() == 2);
  CHECK(fixture.store.lots()[consumed[0].first].order == fixture.store.find_order("A1"));
  CHECK(consumed[0].second == 10);
  CHECK(consumed[1].second == 5);
  // Binh's February lot is empty, so February 2027 expires only an's referrer share of A1
  // (5); in May binh's 15 and an's 10 of A2 expire on time.
  REQUIRE(fixture.run_due("2027-02-02T00:00:00Z").ok());
  CHECK(fixture.points("binh") == 15);
  CHECK(fixture.points("an") == 10);
  CHECK(fixture.store.ledger().balance(SystemAccount::expired) == 5);
  REQUIRE(fixture.run_due("2027-05-01T10:00:00Z").ok());
  CHECK(fixture.points("binh") == 0);
  CHECK(fixture.points("an") == 0);
  CHECK(fixture.store.members()[fixture.id("binh")].points_expired == 15);
  CHECK(fixture.store.members()[fixture.id("an")].points_expired == 15);
  CHECK(fixture.store.ledger().balance(SystemAccount::expired) == 30);
  // An expiry run is idempotent: running it again at the same time expires nothing twice.
  REQUIRE(fixture.run_due("2027-05-01T10:00:00Z").ok());
  CHECK(fixture.store.ledger().balance(SystemAccount::expired) == 30);
  fixture.check();
}

TEST_CASE("expiry: a spend takes the soonest-expiring lot first even when it is the newest") {
  // Lots created in expiry order cannot tell "soonest expiry first" from "oldest first".
  // Here the older lot expires later: version 1 gives 24 months, version 2 only 3, and a
  // lot keeps the expiry of the version it was earned under.
  LifeFixture fixture([](ProgramConfig& config) {
    config.expiry.rule = ExpiryRule::months_after;
    config.expiry.months = 24;
  });
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());  // 10, expires 2028-02-01
  ProgramConfig short_expiry = fixture.config;
  short_expiry.expiry.months = 3;
  REQUIRE(fixture.store.save_program(short_expiry, at("2026-04-01T00:00:00Z"), "owner", fixture.changes).ok());
  REQUIRE(fixture.order("A2", "binh", 2'000'000, OrderStatus::completed, "2026-05-01T10:00:00Z").ok());  // 20, expires 2026-08-01
  const std::uint32_t older_lot = fixture.store.orders()[fixture.store.find_order("A1")].buyer_lot;
  const std::uint32_t newer_lot = fixture.store.orders()[fixture.store.find_order("A2")].buyer_lot;
  REQUIRE(fixture.store.lots()[older_lot].expires_at_utc == at("2028-02-01T10:00:00Z"));
  REQUIRE(fixture.store.lots()[newer_lot].expires_at_utc == at("2026-08-01T10:00:00Z"));
  // 15 points: all from A2's lot, which expires first; oldest-first would take A1's 10.
  REQUIRE(fixture.redeem("R1", "binh", 15, "2026-06-01T00:00:00Z").ok());
  const std::uint32_t spend = fixture.changes.transactions.front();
  std::vector<std::pair<std::uint32_t, Points>> consumed;
  for (const LotPortion& portion : fixture.store.lot_portions()) {
    if (portion.transaction == spend) consumed.emplace_back(portion.lot, portion.points);
  }
  REQUIRE(consumed.size() == 1);
  CHECK(consumed[0].first == newer_lot);
  CHECK(consumed[0].second == 15);
  CHECK(fixture.store.lots()[older_lot].points_remaining == 10);
  CHECK(fixture.store.lots()[newer_lot].points_remaining == 5);
  // On 01/08 the 5 left of A2 expire; A1's 10 stay until 2028.
  REQUIRE(fixture.run_due("2026-08-01T10:00:00Z").ok());
  CHECK(fixture.points("binh") == 10);
  CHECK(fixture.store.members()[fixture.id("binh")].points_expired == 5);
  fixture.check();
}

TEST_CASE("expiry: N months rounded to the end of that month, in the store's time zone") {
  LifeFixture fixture(end_of_month_expiry);
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed, "2026-02-10T10:00:00Z").ok());
  const PointLot& lot = fixture.store.lots()[fixture.store.orders()[fixture.store.find_order("A1")].buyer_lot];
  CHECK(lot.expires_at_utc == at("2026-05-31T16:59:59Z"));  // 31/05/2026 23:59:59 in Vietnam
  REQUIRE(fixture.run_due("2026-05-31T16:59:58Z").ok());
  CHECK(fixture.points("binh") == 10);
  REQUIRE(fixture.run_due("2026-05-31T17:00:00Z").ok());
  CHECK(fixture.points("binh") == 0);
  fixture.check();
}

TEST_CASE("expiry: after N months without an order, all points expire") {
  LifeFixture fixture(six_month_inactivity);
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  REQUIRE(fixture.order("A2", "binh", 1'000'000, OrderStatus::completed, "2026-06-01T10:00:00Z").ok());
  REQUIRE(fixture.run_due("2026-08-02T00:00:00Z").ok());   // six months after A1, but A2 came since
  CHECK(fixture.points("binh") == 20);
  REQUIRE(fixture.run_due("2026-12-01T10:00:00Z").ok());   // six months after A2
  CHECK(fixture.points("binh") == 0);
  CHECK(fixture.store.members()[fixture.id("binh")].points_expired == 20);
  fixture.check();
}

TEST_CASE("paying with points: a hold, captured by the order, which earns on what was paid in money") {
  LifeFixture fixture;
  REQUIRE(fixture.adjust("gift", "binh", 300, "2026-02-01T00:00:00Z").ok());
  const UtcSeconds time = at("2026-02-02T10:00:00Z");
  // At most 50 % of the order may be paid with points: 300 points = 300,000 VND of a 500,000 VND order is too much.
  CHECK(fixture.store.hold_points(PointsHoldRequest{"H1", "binh", 300, 500'000}, time, fixture.changes).code ==
        ResultCode::points_share_exceeded);
  CHECK(fixture.store.hold_points(PointsHoldRequest{"H1", "binh", 400, 1'000'000}, time, fixture.changes).code ==
        ResultCode::insufficient_points);
  REQUIRE(fixture.store.hold_points(PointsHoldRequest{"H1", "binh", 200, 1'000'000}, time, fixture.changes).ok());
  CHECK(fixture.points("binh") == 100);
  CHECK(fixture.held("binh") == 200);
  CHECK(fixture.store.hold_points(PointsHoldRequest{"H1", "binh", 200, 1'000'000}, time, fixture.changes).code ==
        ResultCode::already_applied);
  // The order pays 200,000 VND with points and 800,000 in money; it earns on the 800,000.
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed, "2026-02-02T10:05:00Z", "H1").ok());
  CHECK(fixture.held("binh") == 0);
  CHECK(fixture.points("binh") == 108);
  CHECK(fixture.store.ledger().balance(SystemAccount::redeemed) == 200);
  CHECK(fixture.store.holds()[fixture.store.find_hold("H1")].state == HoldState::captured);
  CHECK(fixture.store.release_hold("H1", time, "staff", fixture.changes).code == ResultCode::hold_already_captured);
  // A refund of half the money paid takes back half the points earned and returns half the points paid.
  REQUIRE(fixture.refund("A1", "r1", 400'000, "2026-02-03T00:00:00Z").ok());
  CHECK(fixture.points("binh") == 108 - 4 + 100);
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::refunded, "2026-02-04T00:00:00Z").ok());
  CHECK(fixture.points("binh") == 300);   // the gift is whole again
  CHECK(fixture.store.ledger().balance(SystemAccount::redeemed) == 0);
  fixture.check();
}

TEST_CASE("paying with points: a hold is released when the checkout is abandoned, cancelled, or times out") {
  LifeFixture fixture;
  REQUIRE(fixture.adjust("gift", "binh", 300, "2026-02-01T00:00:00Z").ok());
  REQUIRE(fixture.store.hold_points(PointsHoldRequest{"H1", "binh", 100, 1'000'000}, at("2026-02-02T10:00:00Z"), fixture.changes).ok());
  REQUIRE(fixture.store.release_hold("H1", at("2026-02-02T10:01:00Z"), "pos", fixture.changes).ok());
  CHECK(fixture.points("binh") == 300);
  CHECK(fixture.store.release_hold("H1", at("2026-02-02T10:01:00Z"), "pos", fixture.changes).code == ResultCode::already_applied);

  REQUIRE(fixture.store.hold_points(PointsHoldRequest{"H2", "binh", 100, 1'000'000}, at("2026-02-02T11:00:00Z"), fixture.changes).ok());
  REQUIRE(fixture.order("A2", "binh", 1'000'000, OrderStatus::cancelled, "2026-02-02T11:02:00Z", "H2").ok());
  CHECK(fixture.points("binh") == 300);
  CHECK(fixture.store.holds()[fixture.store.find_hold("H2")].state == HoldState::released);

  // A lost checkout: the hold times out after 15 minutes by itself.
  REQUIRE(fixture.store.hold_points(PointsHoldRequest{"H3", "binh", 100, 1'000'000}, at("2026-02-02T12:00:00Z"), fixture.changes).ok());
  CHECK(fixture.points("binh") == 200);
  REQUIRE(fixture.run_due("2026-02-02T12:14:59Z").ok());
  CHECK(fixture.held("binh") == 100);
  REQUIRE(fixture.run_due("2026-02-02T12:15:00Z").ok());
  CHECK(fixture.held("binh") == 0);
  CHECK(fixture.points("binh") == 300);
  CHECK(fixture.store.holds()[fixture.store.find_hold("H3")].state == HoldState::timed_out);
  // A timed-out hold cannot pay for an order.
  CHECK(fixture.order("A3", "binh", 1'000'000, OrderStatus::completed, "2026-02-02T12:16:00Z", "H3").code == ResultCode::hold_not_active);
  CHECK(fixture.store.find_order("A3") == UINT32_MAX);
  fixture.check();
}

TEST_CASE("transfers: available points only, with a daily limit and a minimum balance; expiry travels with them") {
  LifeFixture fixture(transfers_on);
  REQUIRE(fixture.adjust("gift", "an", 40, "2026-02-01T00:00:00Z").ok());
  REQUIRE(fixture.order("A1", "an", 5'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());  // 50 pending
  // The limit is per local day of Vietnam (UTC+07:00), whose midnight is 17:00 UTC: the
  // times below cross UTC's midnight inside one local day, and local midnight inside one
  // UTC day, so a limit counted by UTC day fails both ways.
  const UtcSeconds first_time = at("2026-02-01T17:30:00Z");   // 02/02 00:30 in Vietnam, 01/02 in UTC
  // 40 available: 36 + the minimum of 5 is more than that, even with 50 pending.
  CHECK(fixture.store.transfer_points(TransferRequest{"T1", "an", "binh", 36, "an"}, first_time, fixture.changes).code ==
        ResultCode::insufficient_points);
  REQUIRE(fixture.store.transfer_points(TransferRequest{"T1", "an", "binh", 20, "an"}, first_time, fixture.changes).ok());
  CHECK(fixture.points("an") == 20);
  CHECK(fixture.points("binh") == 20);
  CHECK(fixture.store.transfer_points(TransferRequest{"T1", "an", "binh", 20, "an"}, first_time, fixture.changes).code ==
        ResultCode::already_applied);
  // The daily limit is 30: 20 today already, though UTC's day has changed since.
  const UtcSeconds time = at("2026-02-02T00:00:00Z");         // 02/02 07:00 in Vietnam
  CHECK(fixture.store.transfer_points(TransferRequest{"T2", "an", "binh", 11, "an"}, time, fixture.changes).code ==
        ResultCode::transfer_limit_reached);
  REQUIRE(fixture.store.transfer_points(TransferRequest{"T2", "an", "binh", 10, "an"}, time, fixture.changes).ok());
  // The last second of 02/02 in Vietnam: still the same local day.
  CHECK(fixture.store.transfer_points(TransferRequest{"T3", "an", "binh", 1, "an"}, at("2026-02-02T16:59:59Z"), fixture.changes).code ==
        ResultCode::transfer_limit_reached);
  // 03/02 00:00 in Vietnam, still 02/02 in UTC: a new local day, a new limit.
  const UtcSeconds next_day = at("2026-02-02T17:00:00Z");
  REQUIRE(fixture.store.transfer_points(TransferRequest{"T3", "an", "binh", 5, "an"}, next_day, fixture.changes).ok());
  CHECK(fixture.store.transferred_today(fixture.id("an"), next_day) == 5);
  CHECK(fixture.store.transfer_points(TransferRequest{"T4", "an", "an", 1, "an"}, next_day, fixture.changes).code == ResultCode::invalid_field);
  // Both sides appear in both ledgers' history.
  CHECK(fixture.store.members()[fixture.id("an")].points_sent == 35);
  CHECK(fixture.store.members()[fixture.id("binh")].points_received == 35);
  fixture.check();
}

TEST_CASE("transfers: disabled unless the program allows them") {
  LifeFixture fixture;
  REQUIRE(fixture.adjust("gift", "an", 40, "2026-02-01T00:00:00Z").ok());
  CHECK(fixture.store.transfer_points(TransferRequest{"T1", "an", "binh", 10, "an"}, at("2026-02-02T00:00:00Z"), fixture.changes).code ==
        ResultCode::transfers_disabled);
}

TEST_CASE("earning on the amount actually paid: after a voucher discount and points, shipping excluded") {
  LifeFixture fixture;
  REQUIRE(fixture.adjust("gift", "binh", 500, "2026-02-01T00:00:00Z").ok());
  REQUIRE(fixture.store.hold_points(PointsHoldRequest{"H1", "binh", 200, 1'330'000}, at("2026-02-02T10:00:00Z"), fixture.changes).ok());
  fixture.run_due("2026-02-02T10:01:00Z");
  OrderEvent event;
  event.order_id = "A1";
  event.member_id = "binh";
  event.amounts.amount_vnd = 1'330'000;        // 1,300,000 of goods + 30,000 shipping
  event.amounts.shipping_vnd = 30'000;
  event.amounts.voucher_discount_vnd = 100'000;
  event.points_hold_id = "H1";                 // 200,000 VND paid with points
  REQUIRE(fixture.store.record_order(event, at("2026-02-02T10:01:00Z"), fixture.changes).ok());
  // 1,330,000 - 30,000 - 100,000 - 200,000 = 1,000,000 VND earns 10 points and 50 tier points.
  CHECK(fixture.points("binh") == 300 + 10);
  CHECK(fixture.tier_points("binh") == 50);
  fixture.check();
}

TEST_CASE("buy then refund, over and over, with a pending period, creates no points") {
  LifeFixture fixture(seven_day_pending);
  const Points pool_before = fixture.store.ledger().balance(SystemAccount::pool);
  char time[32];
  for (int round = 0; round < 40; ++round) {
    std::snprintf(time, sizeof time, "2026-03-%02dT10:00:00Z", 1 + round % 28);
    const std::string order_id = "L" + std::to_string(round);
    REQUIRE(fixture.order(order_id, "binh", 1'234'567 + round * 999, OrderStatus::completed, time).ok());
    // Half the orders are refunded inside the window, half after it.
    if (round % 2 == 0) std::snprintf(time, sizeof time, "2026-04-%02dT10:00:00Z", 1 + round % 28);
    REQUIRE(fixture.refund(order_id, "a", 333'333, time).ok());
    REQUIRE(fixture.order(order_id, "binh", 1'234'567 + round * 999, OrderStatus::refunded, time).ok());
  }
  fixture.run_due("2026-06-01T00:00:00Z");
  CHECK(fixture.points("binh") + fixture.pending("binh") == 0);
  CHECK(fixture.points("an") + fixture.pending("an") == 0);
  CHECK(fixture.store.ledger().balance(SystemAccount::pool) == pool_before);
  fixture.check();
}

TEST_CASE("liability: outstanding points and their value, by expiry month and by tier") {
  LifeFixture fixture(twelve_month_expiry);
  REQUIRE(fixture.order("A1", "binh", 10'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());  // 100 + 50 to an
  REQUIRE(fixture.order("A2", "an", 2'000'000, OrderStatus::completed, "2026-03-15T10:00:00Z").ok());     // 20
  const Liability liability = fixture.store.liability(at("2026-04-01T00:00:00Z"));
  CHECK(liability.outstanding_points == 170);
  CHECK(liability.outstanding_value_vnd == 170'000);
  REQUIRE(liability.by_expiry_month.size() == 2);
  CHECK(liability.by_expiry_month[0].key == "2027-02");
  CHECK(liability.by_expiry_month[0].points == 150);
  CHECK(liability.by_expiry_month[1].key == "2027-03");
  CHECK(liability.by_expiry_month[1].value_vnd == 20'000);
  REQUIRE(liability.by_tier.size() == 2);
  CHECK(liability.by_tier[0].key == "bac");
  CHECK(liability.by_tier[0].points == 70);
  CHECK(liability.by_tier[1].key == "vang");
  CHECK(liability.by_tier[1].points == 100);
  // Members to warn: points expiring within 30 days of 15/01/2027.
  const std::vector<ExpiringPoints> soon = fixture.store.expiring_points(at("2027-01-15T00:00:00Z"), 30, 10);
  REQUIRE(soon.size() == 2);
  CHECK(soon[0].member == fixture.id("binh"));   // 100 points: before an's 50 expiring the same moment
  CHECK(soon[0].points == 100);
  CHECK(soon[1].points == 50);
  const std::vector<ExpiringPoints> later = fixture.store.expiring_points(at("2027-01-15T00:00:00Z"), 60, 10);
  REQUIRE(later.size() == 2);
  CHECK(later[1].points == 70);                  // an's March lot is within 60 days too
}

TEST_CASE("birthday perk: points on the member's birthday in the store's zone, once a year") {
  Store store;
  Changes changes;
  ProgramConfig config = seed_program();
  Perk birthday{PerkType::birthday_bonus, true};
  birthday.birthday_bonus_points = 50;
  config.tiers[0].perks.push_back(birthday);
  REQUIRE(store.save_program(config, at("2026-01-01T00:00:00Z"), "owner", changes).ok());
  NewMember member;
  member.member_id = "an";
  member.phone = "0912345678";
  member.name = "Nguyễn Văn An";
  member.birthday = Birthday{15, 6, 1990};
  REQUIRE(store.create_member(member, at("2026-01-02T00:00:00Z"), changes).ok());
  member = NewMember{};
  member.member_id = "leap";
  member.phone = "0912345679";
  member.name = "Lê Thị Nhuận";
  member.birthday = Birthday{29, 2, 0};
  REQUIRE(store.create_member(member, at("2026-01-02T00:00:00Z"), changes).ok());
  const MemberIndex an = store.find_member("an");
  // 14/06 17:00 UTC is already 15/06 in Vietnam.
  REQUIRE(store.grant_birthday_bonuses(at("2026-06-14T16:00:00Z"), changes).ok());
  CHECK(store.ledger().balance(an, MemberAccount::points) == 0);
  REQUIRE(store.grant_birthday_bonuses(at("2026-06-14T17:00:00Z"), changes).ok());
  CHECK(store.ledger().balance(an, MemberAccount::points) == 50);
  REQUIRE(store.grant_birthday_bonuses(at("2026-06-15T10:00:00Z"), changes).ok());
  CHECK(store.ledger().balance(an, MemberAccount::points) == 50);   // once a year
  // 29/02 is celebrated on 28/02 in a year without it, from local midnight (27/02 17:00 UTC).
  REQUIRE(store.grant_birthday_bonuses(at("2027-02-27T16:59:59Z"), changes).ok());
  CHECK(store.ledger().balance(store.find_member("leap"), MemberAccount::points) == 0);
  REQUIRE(store.grant_birthday_bonuses(at("2027-02-27T17:00:00Z"), changes).ok());
  CHECK(store.ledger().balance(store.find_member("leap"), MemberAccount::points) == 50);
  REQUIRE(store.grant_birthday_bonuses(at("2027-06-15T03:00:00Z"), changes).ok());
  CHECK(store.ledger().balance(an, MemberAccount::points) == 100);  // and again the next year
  CHECK(store.check_invariants() == "");
}

TEST_CASE("pending: a refund after staff cancelled the pending points takes nothing more") {
  LifeFixture fixture(seven_day_pending);
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  REQUIRE(fixture.store.cancel_pending("A1", "Nghi gian lận", "staff", at("2026-02-02T00:00:00Z"), fixture.changes).ok());
  REQUIRE(fixture.refund("A1", "r1", 500'000, "2026-02-03T00:00:00Z").ok());
  REQUIRE(fixture.order("A1", "binh", 1'000'000, OrderStatus::refunded, "2026-02-04T00:00:00Z").ok());
  CHECK(fixture.points("binh") + fixture.pending("binh") == 0);
  CHECK(fixture.tier_points("binh") == 0);
  fixture.check();
}
