// The bonuses an order gives, beyond the first ones: a tier-up bonus for every tier reached
// on the way up (a tier passed through in one order too), and the order's bonuses following
// its points when staff release or cancel them (release_pending, cancel_pending).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/commands/command_runner.hpp"
#include "core/program/preview.hpp"
#include "core/snapshot/store_snapshot.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using loyalty::testing::at;
using loyalty::testing::StoreFixture;

namespace {
// The seed program (1 %, referrer 0.5 %, 1 point = 1,000 VND; Vàng from 500 tier points,
// Bạch kim from 2,000 at x1.5), 14 pending days, a window of 3 months.
ProgramConfig tier_up_program() {
  ProgramConfig config = loyalty::testing::seed_program(3);
  config.pending.days = 14;
  config.tiers[1].tier_up_bonus_points = 200;   // Vàng
  config.tiers[2].tier_up_bonus_points = 300;   // Bạch kim
  return config;
}

struct TierUpFixture : StoreFixture {
  TierUpFixture() { REQUIRE(store.save_program(tier_up_program(), at("2026-01-01T12:00:00Z"), "owner", changes).ok()); }
  Points pending(MemberIndex member) const { return store.ledger().balance(member, MemberAccount::pending); }
  // The points of each tier-up bonus posted by the last command, in the order posted.
  std::vector<Points> tier_up_transactions() const {
    std::vector<Points> found;
    for (std::uint32_t t : changes.transactions) {
      const Transaction& transaction = store.ledger().transactions()[t];
      if (transaction.kind == TransactionKind::tier_up_bonus) found.push_back(-store.ledger().postings()[transaction.first_posting].amount);   // pool to member
    }
    return found;
  }
  std::vector<Points> tier_up_events() const {
    std::vector<Points> found;
    for (const Event& event : changes.events) {
      if (event.kind == EventKind::tier_up_bonus) found.push_back(event.points);
    }
    return found;
  }
};
}  // namespace

TEST_CASE("tier-up bonus: a jump past Vàng straight to Bạch kim gives both tiers' bonuses, in tier order, once") {
  TierUpFixture fixture;
  Store& store = fixture.store;
  Changes& changes = fixture.changes;
  const MemberIndex jumper = fixture.add_member("B", "0912000002", "Anh Bình");
  const MemberIndex climber = fixture.add_member("C", "0912000003", "Cô Chi");

  // 50,000,000 VND: 2,500 tier points, from Bạc to Bạch kim in one order. Earned at Bạc's x1:
  // 500 points; Vàng's 200 and Bạch kim's 300, each its own transaction and event, Vàng first.
  REQUIRE(fixture.order("B1", "B", 50'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  CHECK(store.members()[jumper].tier_index == 2);
  CHECK(fixture.tier_up_transactions() == std::vector<Points>{200, 300});
  CHECK(fixture.tier_up_events() == std::vector<Points>{200, 300});
  CHECK(fixture.pending(jumper) == 500 + 200 + 300);
  REQUIRE(store.bonuses().size() == 2);
  CHECK(store.bonuses()[0].tier_index == 1);
  CHECK(store.bonuses()[1].tier_index == 2);

  // C reaches Vàng first (10,000,000 VND: 500 tier points, 100 points and Vàng's 200).
  REQUIRE(fixture.order("C1", "C", 10'000'000, OrderStatus::completed, "2026-02-01T11:00:00Z").ok());
  CHECK(store.members()[climber].tier_index == 1);
  CHECK(fixture.tier_up_events() == std::vector<Points>{200});

  // Three months on, both orders' tier points have left the window: both fall to Bạc.
  REQUIRE(store.review_tiers(at("2026-05-15T00:00:00Z"), changes).ok());
  CHECK(store.members()[jumper].tier_index == 0);
  CHECK(store.members()[climber].tier_index == 0);
  CHECK(fixture.points(jumper) == 1000);   // everything became available after 14 days
  CHECK(fixture.points(climber) == 300);

  // Climbing again pays no bonus twice: B back to Bạch kim gets nothing more; C jumps past
  // Vàng (whose bonus C had) to Bạch kim and gets only Bạch kim's 300.
  REQUIRE(fixture.order("B2", "B", 50'000'000, OrderStatus::completed, "2026-05-20T10:00:00Z").ok());
  CHECK(store.members()[jumper].tier_index == 2);
  CHECK(fixture.tier_up_events().empty());
  CHECK(fixture.pending(jumper) == 500);
  REQUIRE(fixture.order("C2", "C", 50'000'000, OrderStatus::completed, "2026-05-20T11:00:00Z").ok());
  CHECK(store.members()[climber].tier_index == 2);
  CHECK(fixture.tier_up_transactions() == std::vector<Points>{300});
  CHECK(fixture.pending(climber) == 500 + 300);
  CHECK(store.members()[jumper].tier_up_bonus_tiers == 0b110u);
  fixture.check_invariants();

  // The snapshot keeps which tiers gave their bonus.
  SnapshotReading reading = StoreSnapshot::read(StoreSnapshot::write(store));
  REQUIRE(reading.store);
  CHECK(StoreSnapshot::write(*reading.store) == StoreSnapshot::write(store));
}

TEST_CASE("tier-up bonus: a jump refunded in full within the pending period takes both bonuses back") {
  TierUpFixture fixture;
  Store& store = fixture.store;
  const MemberIndex jumper = fixture.add_member("B", "0912000002", "Anh Bình");
  REQUIRE(fixture.order("B1", "B", 50'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  REQUIRE(fixture.order("B1", "B", 50'000'000, OrderStatus::refunded, "2026-02-03T10:00:00Z").ok());
  CHECK(std::count_if(fixture.changes.events.begin(), fixture.changes.events.end(),
                      [](const Event& e) { return e.kind == EventKind::bonus_reversed; }) == 2);
  CHECK(fixture.pending(jumper) == 0);
  CHECK(store.members()[jumper].tier_index == 0);
  // Once per member: reaching the tiers again gives no bonus.
  REQUIRE(fixture.order("B2", "B", 50'000'000, OrderStatus::completed, "2026-02-04T10:00:00Z").ok());
  CHECK(fixture.tier_up_events().empty());
  CHECK(fixture.pending(jumper) == 500);
  fixture.check_invariants();
}

TEST_CASE("the preview lists the tier-up bonus of every tier an order would reach") {
  const ProgramConfig config = tier_up_program();
  OrderAmounts amounts;
  amounts.amount_vnd = 50'000'000;
  MemberPreviewState member;
  member.tier_index = 0;
  member.tier_points = 0;
  OrderPreview preview = preview_order(config, member, amounts);
  REQUIRE(preview.bonuses.size() == 2);
  CHECK(preview.bonuses[0].kind == "tier_up");
  CHECK(preview.bonuses[0].points == 200);
  CHECK(preview.bonuses[1].points == 300);
  member.tier_up_bonus_tiers = 1u << 1;   // had Vàng's
  preview = preview_order(config, member, amounts);
  REQUIRE(preview.bonuses.size() == 1);
  CHECK(preview.bonuses[0].points == 300);
}

namespace {
// Welcome 100 (available at once), first order 50, referral 30 to the referrer and 20 to the
// new member, Vàng's tier-up 200; 14 pending days.
ProgramConfig pending_bonus_program() {
  ProgramConfig config = loyalty::testing::seed_program();
  config.pending.days = 14;
  config.bonuses.welcome_points = 100;
  config.bonuses.first_order_points = 50;
  config.bonuses.referral_referrer_points = 30;
  config.bonuses.referral_new_member_points = 20;
  config.tiers[1].tier_up_bonus_points = 200;
  return config;
}

struct PendingBonusFixture : StoreFixture {
  MemberIndex referrer = 0, buyer = 0;
  PendingBonusFixture() {
    REQUIRE(store.save_program(pending_bonus_program(), at("2026-01-01T12:00:00Z"), "owner", changes).ok());
    referrer = add_member("A", "0912000001", "Chị An");
    buyer = add_member("B", "0912000002", "Anh Bình", "A");
    // 10,000,000 VND: B 100 points, A 50; B's first order 50, referral 20 and Vàng's 200; A's referral 30.
    REQUIRE(order("D1", "B", 10'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
    REQUIRE(pending(buyer) == 100 + 50 + 20 + 200);
    REQUIRE(pending(referrer) == 50 + 30);
  }
  Points pending(MemberIndex member) const { return store.ledger().balance(member, MemberAccount::pending); }
  std::size_t posted(TransactionKind kind) const {
    return static_cast<std::size_t>(std::count_if(changes.transactions.begin(), changes.transactions.end(),
                                                  [&](std::uint32_t t) { return store.ledger().transactions()[t].kind == kind; }));
  }
};
}  // namespace

TEST_CASE("release_pending releases the bonuses the order gave with its points; a retry changes nothing") {
  PendingBonusFixture fixture;
  Store& store = fixture.store;
  Changes& changes = fixture.changes;
  REQUIRE(store.release_pending("D1", "khách quen", "staff", at("2026-02-02T10:00:00Z"), changes).ok());
  // Six lots: B's 100, A's 50, first order 50, referral 30 (A) and 20 (B), tier-up 200.
  CHECK(fixture.posted(TransactionKind::pending_release) == 6);
  CHECK(fixture.pending(fixture.buyer) == 0);
  CHECK(fixture.pending(fixture.referrer) == 0);
  CHECK(fixture.points(fixture.buyer) == 100 + 370);
  CHECK(fixture.points(fixture.referrer) == 100 + 80);
  CHECK(store.points_actions().back().points == 450);
  const Ledger& ledger = store.ledger();
  REQUIRE(!changes.transactions.empty());
  for (std::uint32_t t : changes.transactions) CHECK(store.staff_action_for(t) == &store.points_actions().back());
  const std::size_t transactions = ledger.transactions().size();
  CHECK(store.release_pending("D1", "khách quen", "staff", at("2026-02-02T10:05:00Z"), changes).code == ResultCode::already_applied);
  CHECK(ledger.transactions().size() == transactions);
  // A refund in full within the period still takes the bonuses back, now from the balance.
  REQUIRE(fixture.order("D1", "B", 10'000'000, OrderStatus::refunded, "2026-02-10T10:00:00Z").ok());
  CHECK(fixture.points(fixture.buyer) == 100);
  CHECK(fixture.points(fixture.referrer) == 100);
  // The end of the pending period releases nothing a second time.
  REQUIRE(store.process_due(at("2026-02-20T00:00:00Z"), changes).ok());
  CHECK(changes.transactions.empty());
  CHECK(fixture.points(fixture.buyer) == 100);
  CHECK(fixture.points(fixture.referrer) == 100);
  fixture.check_invariants();
}

TEST_CASE("cancel_pending cancels the bonuses the order gave with its points; a later order does not give them again") {
  PendingBonusFixture fixture;
  Store& store = fixture.store;
  Changes& changes = fixture.changes;
  REQUIRE(store.cancel_pending("D1", "đơn thử", "staff", at("2026-02-02T10:00:00Z"), changes).ok());
  CHECK(fixture.posted(TransactionKind::pending_cancel) == 6);
  CHECK(std::count_if(changes.events.begin(), changes.events.end(), [](const Event& e) { return e.kind == EventKind::pending_cancelled; }) == 6);
  CHECK(fixture.pending(fixture.buyer) == 0);
  CHECK(fixture.pending(fixture.referrer) == 0);
  CHECK(fixture.points(fixture.buyer) == 100);   // the welcome bonus stays
  CHECK(fixture.points(fixture.referrer) == 100);
  CHECK(store.points_actions().back().points == 450);
  CHECK(store.members()[fixture.buyer].points_reversed == 370);
  CHECK(store.members()[fixture.referrer].points_reversed == 80);
  const std::size_t transactions = store.ledger().transactions().size();
  CHECK(store.cancel_pending("D1", "đơn thử", "staff", at("2026-02-02T10:05:00Z"), changes).code == ResultCode::already_applied);
  CHECK(store.release_pending("D1", "nhầm", "staff", at("2026-02-02T10:06:00Z"), changes).code == ResultCode::nothing_pending);
  CHECK(store.ledger().transactions().size() == transactions);
  // A refund in full afterwards takes nothing more: the bonuses were already cancelled.
  REQUIRE(fixture.order("D1", "B", 10'000'000, OrderStatus::refunded, "2026-02-03T10:00:00Z").ok());
  CHECK(std::none_of(changes.events.begin(), changes.events.end(), [](const Event& e) { return e.kind == EventKind::bonus_reversed; }));
  CHECK(fixture.points(fixture.buyer) == 100);
  // As with a refund, each bonus is once per member: D2 is not a first order, Vàng's was given.
  REQUIRE(fixture.order("D2", "B", 10'000'000, OrderStatus::completed, "2026-02-04T10:00:00Z").ok());
  CHECK(fixture.pending(fixture.buyer) == 100);
  CHECK(fixture.pending(fixture.referrer) == 50);
  fixture.check_invariants();
}

TEST_CASE("an order whose only pending points are its bonuses can be released and cancelled") {
  StoreFixture fixture;
  Store& store = fixture.store;
  Changes& changes = fixture.changes;
  ProgramConfig config = pending_bonus_program();
  config.earning.minimum_order_vnd = 200'000;   // 100,000 VND earns no points, the first-order bonus still comes
  REQUIRE(store.save_program(config, at("2026-01-01T12:00:00Z"), "owner", changes).ok());
  const MemberIndex buyer = fixture.add_member("B", "0912000002", "Anh Bình");
  const MemberIndex other = fixture.add_member("C", "0912000003", "Cô Chi");
  REQUIRE(fixture.order("D1", "B", 100'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  REQUIRE(fixture.order("D2", "C", 100'000, OrderStatus::completed, "2026-02-01T11:00:00Z").ok());
  CHECK(store.ledger().balance(buyer, MemberAccount::pending) == 50);
  REQUIRE(store.release_pending("D1", "khách quen", "staff", at("2026-02-02T10:00:00Z"), changes).ok());
  CHECK(fixture.points(buyer) == 150);
  REQUIRE(store.cancel_pending("D2", "đơn thử", "staff", at("2026-02-02T10:00:00Z"), changes).ok());
  CHECK(fixture.points(other) == 100);
  CHECK(store.ledger().balance(other, MemberAccount::pending) == 0);
  fixture.check_invariants();
}

namespace {
const char* const pending_bonus_lines[] = {
    R"({"command":"save_program","time":"2026-01-01T00:00:00Z","actor":"owner","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100,"referrer_earn_rate_bp":50},"tier_points":{"vnd_per_tier_point":20000},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0},{"id":"vang","name":"Vàng","tier_points_needed":500,"tier_up_bonus_points":200}],"pending":{"days":14},"bonuses":{"first_order_points":50,"referral_referrer_points":30,"referral_new_member_points":20}}})",
    R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"A","phone":"0912000001","name":"Chị An"})",
    R"({"command":"create_member","time":"2026-01-02T00:01:00Z","member_id":"B","phone":"0912000002","name":"Anh Bình","referrer_id":"A"})",
    R"({"command":"create_member","time":"2026-01-02T00:02:00Z","member_id":"C","phone":"0912000003","name":"Cô Chi","referrer_id":"A"})",
    R"({"command":"order","time":"2026-02-01T10:00:00Z","order_id":"D1","member_id":"B","status":"completed","amount_vnd":10000000})",
    R"({"command":"order","time":"2026-02-01T11:00:00Z","order_id":"D2","member_id":"C","status":"completed","amount_vnd":10000000})",
    R"({"command":"release_pending","time":"2026-02-02T10:00:00Z","order_id":"D1","reason":"Khách quen","actor":"staff"})",
    R"({"command":"release_pending","time":"2026-02-02T10:01:00Z","order_id":"D1","reason":"Khách quen","actor":"staff"})",
    R"({"command":"cancel_pending","time":"2026-02-02T11:00:00Z","order_id":"D2","reason":"Đơn thử","actor":"staff"})",
    R"({"command":"cancel_pending","time":"2026-02-02T11:01:00Z","order_id":"D2","reason":"Đơn thử","actor":"staff"})",
    R"({"command":"process_due","time":"2026-03-01T00:00:00Z"})",
};
}  // namespace

TEST_CASE("release_pending and cancel_pending with bonuses, through JSON: retries are already applied, the replay answers the same") {
  CommandRunner live;
  std::vector<std::string> journal;
  std::vector<std::string> results;
  std::size_t line_number = 0;
  for (const char* line : pending_bonus_lines) {
    CommandOutput output = live.run_line(line, ++line_number);
    if (!output.journal_before.empty()) journal.push_back(output.journal_before);
    if (output.journal) journal.push_back(line);
    results.push_back(output.result["result"].get<std::string>());
  }
  CHECK(results == std::vector<std::string>{"ok", "ok", "ok", "ok", "ok", "ok", "ok", "already_applied", "ok", "already_applied", "ok"});
  const Json released = live.run_line(R"({"command":"get_member","member_id":"B"})", 1).result;
  // B: 100 + first order 50 + referral 20 + Vàng's 200, all available; C's were cancelled.
  CHECK(released["data"]["balances"]["points"] == 370);
  const Json cancelled = live.run_line(R"({"command":"get_member","member_id":"C"})", 1).result;
  CHECK(cancelled["data"]["balances"]["points"] == 0);
  CHECK(cancelled["data"]["balances"]["pending"] == 0);
  // A: 50 + 30 from D1 released; D2's 50 + 30 cancelled.
  const Json referrer = live.run_line(R"({"command":"get_member","member_id":"A"})", 1).result;
  CHECK(referrer["data"]["balances"]["points"] == 80);

  CommandRunner replayed;
  line_number = 0;
  for (const std::string& line : journal) REQUIRE(replayed.run_line(line, ++line_number).result["result"] == "ok");
  CHECK(StoreSnapshot::write(replayed.store()) == StoreSnapshot::write(live.store()));
  for (const char* member : {"A", "B", "C"}) {
    const std::string read = std::string(R"({"command":"get_member","member_id":")") + member + "\"}";
    CHECK(replayed.run_line(read, 1).result.dump() == live.run_line(read, 1).result.dump());
  }
  CHECK(replayed.store().check_invariants() == "");
}
