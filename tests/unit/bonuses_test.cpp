// Bonuses: welcome, first order, referral (both sides), profile completion and tier-up;
// each once per member, each its own transaction kind and event, and each reversed when
// the order that triggered it is refunded in full within the pending period.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/program/preview.hpp"
#include "core/program/rules_text.hpp"
#include "core/snapshot/store_snapshot.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using loyalty::testing::at;
using loyalty::testing::StoreFixture;

namespace {
ProgramConfig bonus_program() {
  ProgramConfig config = loyalty::testing::seed_program();   // 1 %, referrer 0.5 %, 1 point = 1,000 VND
  config.pending.days = 14;
  config.bonuses.welcome_points = 100;
  config.bonuses.first_order_points = 50;
  config.bonuses.referral_referrer_points = 30;
  config.bonuses.referral_new_member_points = 20;
  config.bonuses.profile_completion_points = 40;
  config.tiers[1].tier_up_bonus_points = 200;   // Vàng, from 500 tier points
  return config;
}

struct BonusFixture : StoreFixture {
  BonusFixture() { REQUIRE(store.save_program(bonus_program(), at("2026-01-01T12:00:00Z"), "owner", changes).ok()); }
  Points pending(MemberIndex member) const { return store.ledger().balance(member, MemberAccount::pending); }
  std::size_t count_events(EventKind kind) const {
    return static_cast<std::size_t>(std::count_if(changes.events.begin(), changes.events.end(), [&](const Event& e) { return e.kind == kind; }));
  }
  bool posted(TransactionKind kind) const {
    return std::any_of(changes.transactions.begin(), changes.transactions.end(),
                       [&](std::uint32_t t) { return store.ledger().transactions()[t].kind == kind; });
  }
};
}  // namespace

TEST_CASE("bonuses: welcome on joining, profile completion once, first order and referral on the first completed order") {
  BonusFixture fixture;
  Store& store = fixture.store;
  Changes& changes = fixture.changes;
  const MemberIndex referrer = fixture.add_member("A", "0912000001", "Chị An");
  CHECK(fixture.count_events(EventKind::welcome_bonus) == 1);
  CHECK(fixture.posted(TransactionKind::welcome_bonus));
  CHECK(fixture.points(referrer) == 100);   // available at once: nothing to return
  const MemberIndex buyer = fixture.add_member("B", "0912000002", "Anh Bình", "A");
  CHECK(fixture.points(buyer) == 100);

  // Name and phone only: not complete. With email and birthday: 40 points, once.
  MemberUpdate update;
  update.member_id = "B";
  update.email = "binh@example.vn";
  REQUIRE(store.update_member(update, at("2026-01-05T00:00:00Z"), changes).ok());
  CHECK(fixture.points(buyer) == 100);
  update.birthday = Birthday{12, 6, 1990};
  REQUIRE(store.update_member(update, at("2026-01-06T00:00:00Z"), changes).ok());
  CHECK(fixture.count_events(EventKind::profile_completion_bonus) == 1);
  CHECK(fixture.posted(TransactionKind::profile_completion_bonus));
  CHECK(fixture.points(buyer) == 140);
  update.email = "binh2@example.vn";
  REQUIRE(store.update_member(update, at("2026-01-07T00:00:00Z"), changes).ok());
  CHECK(fixture.points(buyer) == 140);   // once per member

  // The first completed order: 10 points + first order 50 + referral 20 for B (pending),
  // 5 points + referral 30 for A (pending).
  REQUIRE(fixture.order("D1", "B", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  CHECK(fixture.count_events(EventKind::first_order_bonus) == 1);
  CHECK(fixture.count_events(EventKind::referral_bonus) == 2);
  CHECK(fixture.posted(TransactionKind::first_order_bonus));
  CHECK(fixture.posted(TransactionKind::referral_bonus));
  CHECK(fixture.pending(buyer) == 80);
  CHECK(fixture.pending(referrer) == 35);
  // The second order gives no bonus again.
  REQUIRE(fixture.order("D2", "B", 1'000'000, OrderStatus::completed, "2026-02-02T10:00:00Z").ok());
  CHECK(fixture.count_events(EventKind::first_order_bonus) == 0);
  CHECK(fixture.count_events(EventKind::referral_bonus) == 0);
  CHECK(fixture.pending(buyer) == 90);
  CHECK(fixture.pending(referrer) == 40);
  // After the pending period everything is available: 140 + 10 + 50 + 20 + 10 = 230; A 100 + 35 + 5.
  REQUIRE(store.process_due(at("2026-02-20T00:00:00Z"), changes).ok());
  CHECK(fixture.points(buyer) == 230);
  CHECK(fixture.points(referrer) == 140);
  fixture.check_invariants();
}

TEST_CASE("bonuses: an order refunded within the pending period takes its bonuses back; after it, they stay") {
  BonusFixture fixture;
  Store& store = fixture.store;
  Changes& changes = fixture.changes;
  const MemberIndex referrer = fixture.add_member("A", "0912000001", "Chị An");
  const MemberIndex buyer = fixture.add_member("B", "0912000002", "Anh Bình", "A");
  // 10,000,000 VND: 100 points, 500 tier points (Vàng: tier-up 200), first order 50, referral 20 / 30.
  REQUIRE(fixture.order("D1", "B", 10'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  CHECK(fixture.count_events(EventKind::tier_up_bonus) == 1);
  CHECK(fixture.posted(TransactionKind::tier_up_bonus));
  CHECK(fixture.pending(buyer) == 100 + 50 + 20 + 200);
  CHECK(fixture.pending(referrer) == 50 + 30);
  CHECK(store.members()[buyer].tier_index == 1);
  // Refunded in full on day 10: the order's points and its four bonuses go back.
  REQUIRE(fixture.order("D1", "B", 10'000'000, OrderStatus::refunded, "2026-02-11T10:00:00Z").ok());
  CHECK(fixture.count_events(EventKind::bonus_reversed) == 4);
  CHECK(fixture.posted(TransactionKind::bonus_reversal));
  CHECK(fixture.pending(buyer) == 0);
  CHECK(fixture.pending(referrer) == 0);
  CHECK(fixture.points(buyer) == 100);      // the welcome bonus stays
  CHECK(fixture.points(referrer) == 100);
  CHECK(store.members()[buyer].tier_index == 0);
  // Once per member: the next order is not a first order, and Vàng again gives no tier-up bonus.
  REQUIRE(fixture.order("D2", "B", 10'000'000, OrderStatus::completed, "2026-02-12T10:00:00Z").ok());
  CHECK(fixture.count_events(EventKind::first_order_bonus) == 0);
  CHECK(fixture.count_events(EventKind::tier_up_bonus) == 0);
  CHECK(store.members()[buyer].tier_index == 1);
  CHECK(fixture.pending(buyer) == 100);
  fixture.check_invariants();

  // Another member's order refunded after its pending period: the bonuses stay.
  const MemberIndex other = fixture.add_member("C", "0912000003", "Cô Chi");
  REQUIRE(fixture.order("D3", "C", 1'000'000, OrderStatus::completed, "2026-02-12T11:00:00Z").ok());
  REQUIRE(store.process_due(at("2026-02-27T00:00:00Z"), changes).ok());
  CHECK(fixture.points(other) == 100 + 10 + 50);
  REQUIRE(fixture.order("D3", "C", 1'000'000, OrderStatus::refunded, "2026-03-01T00:00:00Z").ok());
  CHECK(fixture.count_events(EventKind::bonus_reversed) == 0);
  CHECK(fixture.points(other) == 100 + 50);
  fixture.check_invariants();
}

TEST_CASE("bonuses: a partial refund keeps them; instead of the percentage, the referrer gets only the fixed points") {
  BonusFixture fixture;
  Store& store = fixture.store;
  Changes& changes = fixture.changes;
  ProgramConfig config = bonus_program();
  config.bonuses.referral_instead_of_percentage = true;
  REQUIRE(store.save_program(config, at("2026-01-01T13:00:00Z"), "owner", changes).ok());
  const MemberIndex referrer = fixture.add_member("A", "0912000001", "Chị An");
  const MemberIndex buyer = fixture.add_member("B", "0912000002", "Anh Bình", "A");
  REQUIRE(fixture.order("D1", "B", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  CHECK(fixture.pending(referrer) == 30);   // not 30 + 5
  REQUIRE(fixture.refund("D1", "R1", 500'000, "2026-02-03T10:00:00Z").ok());
  CHECK(fixture.pending(buyer) == 5 + 50 + 20);   // half of the 10 points back; the bonuses stay
  CHECK(fixture.pending(referrer) == 30);
  // The second order pays the percentage as usual.
  REQUIRE(fixture.order("D2", "B", 1'000'000, OrderStatus::completed, "2026-02-04T10:00:00Z").ok());
  CHECK(fixture.pending(referrer) == 35);
  fixture.check_invariants();
}

TEST_CASE("bonuses: a bonus spent before its order's refund is taken from the balance; the snapshot keeps every flag") {
  BonusFixture fixture;
  Store& store = fixture.store;
  Changes& changes = fixture.changes;
  const MemberIndex buyer = fixture.add_member("B", "0912000002", "Anh Bình");
  REQUIRE(fixture.order("D1", "B", 1'000'000, OrderStatus::completed, "2026-02-01T10:00:00Z").ok());
  // Staff end the pending period early, for the order's bonus too; the member spends
  // everything (welcome 100 + 10 + first order 50).
  REQUIRE(store.release_pending("D1", "khách quen", "staff", at("2026-02-02T10:00:00Z"), changes).ok());
  CHECK(fixture.points(buyer) == 160);
  REQUIRE(store.redeem_points(RedemptionRequest{"X1", "B", 160, "Voucher", "staff"}, at("2026-02-03T10:00:00Z"), changes).ok());
  const std::string snapshot = StoreSnapshot::write(store);
  SnapshotReading reading = StoreSnapshot::read(snapshot);
  REQUIRE(reading.store);
  CHECK(reading.store->members()[buyer].bonuses_given == store.members()[buyer].bonuses_given);
  CHECK(reading.store->bonuses().size() == store.bonuses().size());
  // Refunded within the pending period: the 10 points and the 50 of the bonus back from the balance (debt).
  for (Store* target : {&store, &*reading.store}) {
    Changes target_changes;
    OrderEvent refund;
    refund.order_id = "D1";
    refund.member_id = "B";
    refund.status = OrderStatus::refunded;
    refund.amounts.amount_vnd = 1'000'000;
    REQUIRE(target->record_order(refund, at("2026-02-05T10:00:00Z"), target_changes).ok());
    CHECK(target->ledger().balance(buyer, MemberAccount::points) == -60);
    CHECK(target->ledger().balance(buyer, MemberAccount::pending) == 0);
    CHECK(target->check_invariants() == "");
  }
  CHECK(StoreSnapshot::write(store) == StoreSnapshot::write(*reading.store));
}

TEST_CASE("the preview shows the bonuses an order would give, and the rules describe them in both languages") {
  ProgramConfig config = bonus_program();
  // A new member with a referrer: 10,000,000 VND reaches Vàng (500 tier points).
  OrderAmounts amounts;
  amounts.amount_vnd = 10'000'000;
  OrderPreview preview = preview_order(config, std::nullopt, amounts);
  REQUIRE(preview.bonuses.size() == 4);
  CHECK(preview.bonuses[0].kind == "first_order");
  CHECK(preview.bonuses[0].points == 50);
  CHECK(preview.bonuses[1].kind == "referral");
  CHECK(preview.bonuses[1].points == 20);
  CHECK(!preview.bonuses[1].to_referrer);
  CHECK(preview.bonuses[2].to_referrer);
  CHECK(preview.bonuses[2].points == 30);
  CHECK(preview.bonuses[3].kind == "tier_up");
  CHECK(preview.bonuses[3].points == 200);
  // A member who has ordered and already had Vàng's bonus: none.
  MemberPreviewState member;
  member.has_referrer = true;
  member.tier_up_bonus_tiers = 1u << 1;
  CHECK(preview_order(config, member, amounts).bonuses.empty());
  // Instead of the percentage: the preview's referrer points are 0 on the first order.
  config.bonuses.referral_instead_of_percentage = true;
  CHECK(preview_order(config, std::nullopt, amounts).earning.referrer_points == 0);

  const std::string vi = describe_program(config, Language::vi);
  const std::string en = describe_program(config, Language::en);
  CHECK(vi.find("Thành viên mới được tặng 100 điểm chào mừng.") != std::string::npos);
  CHECK(vi.find("người giới thiệu được 30 điểm và người được giới thiệu được 20 điểm (thay cho phần trăm của đơn đó).") != std::string::npos);
  CHECK(vi.find("Lần đầu lên hạng được thưởng 200 điểm") != std::string::npos);
  CHECK(en.find("New members get a welcome bonus of 100 points.") != std::string::npos);
  CHECK(en.find("Completing the profile (name, phone, email, birthday) gives 40 points.") != std::string::npos);
  CHECK(en.find("taken back if the order that gave it is refunded in full within the pending period") != std::string::npos);
  // The seed program without the new sections reads exactly as before: no new sentence.
  CHECK(describe_program_rules(loyalty::testing::seed_program(), Language::vi).empty());
  CHECK(describe_program_rules(loyalty::testing::seed_program(), Language::en).empty());
}

TEST_CASE("the rules text describes lines, promotions, tier measures, the calendar year and retention") {
  ProgramConfig config = loyalty::testing::seed_program();
  config.earning.excluded_categories = {"thuoc-la"};
  config.earning.category_multipliers = {CategoryMultiplier{"huu-co", 20000}};
  config.earning.minimum_order_vnd = 50'000;
  Promotion weekend;
  weekend.id = "cuoi-tuan";
  weekend.name = "Cuối tuần";
  weekend.starts_at_utc = loyalty::testing::at("2026-02-06T17:00:00Z");
  weekend.ends_at_utc = loyalty::testing::at("2026-02-08T17:00:00Z");
  weekend.tier_id = "vang";
  weekend.combine = PromotionCombine::highest;
  config.promotions = {weekend};
  config.tier_points.qualify_by = TierMeasure::spend_vnd;
  config.tier_points.calendar_year_start_month = 1;
  config.tier_retention = {6, true};
  const std::string vi = describe_program(config, Language::vi);
  const std::string en = describe_program(config, Language::en);
  CHECK(vi.find("Các ngành hàng sau không được tích điểm: thuoc-la.") != std::string::npos);
  CHECK(vi.find("Ngành hàng huu-co được tích điểm x2.") != std::string::npos);
  CHECK(vi.find("Khuyến mãi Cuối tuần (07/02/2026 00:00 – 09/02/2026 00:00) cho hạng Vàng: tích điểm x2, hoặc hệ số của hạng nếu cao hơn.") !=
        std::string::npos);
  CHECK(vi.find("Hạng thành viên được xét theo số tiền chi tiêu cho hàng hóa.") != std::string::npos);
  CHECK(vi.find("bắt đầu từ ngày 1 tháng 1 lúc 00:00") != std::string::npos);
  CHECK(vi.find("Hạng đã đạt được giữ ít nhất 6 tháng. Mỗi lần xét hạng, thành viên xuống tối đa một hạng.") != std::string::npos);
  CHECK(vi.find("- Vàng: từ 500 ₫ chi tiêu") != std::string::npos);
  CHECK(en.find("Promotion Cuối tuần (07/02/2026 00:00 – 09/02/2026 00:00) for Gold: points x2, or the tier's multiplier when higher.") !=
        std::string::npos);
  CHECK(en.find("Orders under 50,000 VND earn no reward points (tier points still count).") != std::string::npos);
  CHECK(en.find("A tier once reached is kept at least 6 months. At each review a member goes down at most one tier.") != std::string::npos);
}
