// Seed 001's worked example end to end (../shared/domain.md, "Vouchers and customer
// groups"): a group of customers born in June, a hidden voucher campaign for it, a push
// notification scheduled for 1 June that opens the campaign's page (sent once, opened), a member
// at Bạch kim who claims a 100-point voucher for 95 points, uses the code on an order (the
// discount comes off, the order earns on what was paid), the order is refunded and the code
// comes back while the campaign runs; after the campaign's end it no longer does. Every
// number below is computed by hand in the comment above its check.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "core/insights/insights.hpp"
#include "core/snapshot/store_snapshot.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using loyalty::testing::at;

namespace {

// Seed 001: 1 point = 1,000 VND, buyers earn 1 %, 20,000 VND = 1 tier point; Bạc, Vàng
// from 500 and Bạch kim from 2,000 tier points, whose perks are 5 % fewer points for every
// voucher and a private price list (ticked and saved).
ProgramConfig seed_001_program() {
  ProgramConfig config;
  config.wallet.point_value_vnd = 1000;
  config.wallet.buyer_earn_rate_bp = 100;
  config.tier_points.vnd_per_tier_point = 20000;
  Perk fewer_points{PerkType::voucher_point_discount, true};
  fewer_points.discount_bp = 500;
  Perk price_list{PerkType::private_price_list, true};
  price_list.price_list_id = "bang-gia-bach-kim";
  config.tiers = {Tier{"bac", "Bạc", "Silver", "", 0, {}}, Tier{"vang", "Vàng", "Gold", "", 500, {}},
                  Tier{"bach_kim", "Bạch kim", "Platinum", "", 2000, {fewer_points, price_list}}};
  return config;
}

struct Story {
  Store store;
  Changes changes;
  Points points(const char* member_id) const { return store.ledger().balance(store.find_member(member_id), MemberAccount::points); }
  TierPoints tier_points(const char* member_id) const {
    return store.ledger().balance(store.find_member(member_id), MemberAccount::tier_points);
  }
  void member(const char* member_id, const char* phone, const char* name, std::int32_t day, std::int32_t month) {
    NewMember member;
    member.member_id = member_id;
    member.phone = phone;
    member.name = name;
    member.birthday = Birthday{day, month, 1990};
    REQUIRE(store.create_member(member, at("2026-04-01T09:00:00+07:00"), changes).ok());
  }
  Result order(const char* order_id, const char* member_id, Vnd amount_vnd, const char* time, const std::string& code = "",
               OrderStatus status = OrderStatus::completed) {
    OrderEvent event{order_id, member_id, status, {amount_vnd, 0, 0, 0}, "", "pos-quay-1", code};
    return store.record_order(event, at(time), changes);
  }
  Result claim(const char* claim_id, const char* member_id, const char* time) {
    return store.claim_voucher(VoucherClaimRequest{claim_id, member_id, "VC-SN-T6", "b7e2c91f04a35d68e0c1", "app"}, at(time), changes);
  }
  const Campaign& campaign() const { return store.campaigns().campaigns()[store.campaigns().find_campaign("VC-SN-T6")]; }
};

}  // namespace

TEST_CASE("seed 001: a June birthday group, a hidden campaign, a Bạch kim claim for 95 points, the code on an order, a refund gives it back") {
  Story s;
  REQUIRE(s.store.save_program(seed_001_program(), at("2026-01-01T00:00:00+07:00"), "chu-cua-hang", s.changes).ok());

  // The customers: Lan and Minh are born in June, Hoa in November.
  s.member("KH-LAN", "0912345678", "Nguyễn Thị Lan", 10, 6);
  s.member("KH-MINH", "0987654321", "Trần Văn Minh", 22, 6);
  s.member("KH-HOA", "0977000111", "Lê Thị Hoa", 3, 11);
  // Lan: 40,000,000 VND × 1 % ÷ 1,000 = 400 points; 40,000,000 ÷ 20,000 = 2,000 tier points: Bạch kim.
  REQUIRE(s.order("DH-0001", "KH-LAN", 40'000'000, "2026-04-10T10:00:00+07:00").ok());
  // Minh: 2,000,000 VND: 20 points, 100 tier points (Bạc). Hoa: 10,000,000: 100 points, 500 tier points (Vàng).
  REQUIRE(s.order("DH-0002", "KH-MINH", 2'000'000, "2026-04-11T10:00:00+07:00").ok());
  REQUIRE(s.order("DH-0003", "KH-HOA", 10'000'000, "2026-04-12T10:00:00+07:00").ok());
  CHECK(s.points("KH-LAN") == 400);
  CHECK(s.tier_points("KH-LAN") == 2000);
  CHECK(s.store.tier_status(s.store.find_member("KH-LAN"), s.store.clock_utc()).tier_index == 2);
  CHECK(s.points("KH-MINH") == 20);
  CHECK(s.points("KH-HOA") == 100);

  // Module Khách hàng: the group of customers born in June, by a filter (a dynamic group).
  GroupFilterReading filter = read_group_filter(Json{{"birthday_month", 6}}, "filter");
  REQUIRE(filter.filter.has_value());
  REQUIRE(s.store.save_group(GroupDefinition{"sinh-nhat-thang-6", "Sinh nhật tháng 6", "Born in June", "", GroupKind::dynamic, *filter.filter},
                             at("2026-05-15T09:00:00+07:00"), s.changes)
              .ok());
  MemberSet june;
  REQUIRE(s.store.evaluate_group("sinh-nhat-thang-6", at("2026-05-15T09:00:00+07:00"), june).ok());
  CHECK(june.count() == 2);
  CHECK(s.store.member_in_group(s.store.find_member("KH-LAN"), "sinh-nhat-thang-6", s.store.clock_utc()));
  CHECK(s.store.member_in_group(s.store.find_member("KH-MINH"), "sinh-nhat-thang-6", s.store.clock_utc()));
  CHECK_FALSE(s.store.member_in_group(s.store.find_member("KH-HOA"), "sinh-nhat-thang-6", s.store.clock_utc()));

  // Khuyến mại > Chương trình voucher: 100,000 VND off an order from 500,000 VND, for 100
  // points, through June (local time), left hidden (Ẩn) for the June group only.
  CampaignConfig config;
  config.campaign_id = "VC-SN-T6";
  config.name = "Quà sinh nhật tháng 6";
  config.name_en = "June birthday gift";
  config.starts_at_utc = at("2026-06-01T00:00:00+07:00");
  config.ends_at_utc = at("2026-07-01T00:00:00+07:00");
  config.reward.kind = RewardKind::fixed_amount;
  config.reward.amount_vnd = 100'000;
  config.min_order_vnd = 500'000;
  config.point_cost = 100;
  config.total_quantity = 50;
  config.limit_per_member = 1;
  config.target_group_id = "sinh-nhat-thang-6";
  config.budget_vnd = 5'000'000;
  config.code_prefix = "SN";
  REQUIRE(s.store.save_campaign(config, at("2026-05-20T09:00:00+07:00"), s.changes).ok());
  REQUIRE(s.store.set_campaign_status("VC-SN-T6", CampaignStatus::hidden, at("2026-05-20T09:05:00+07:00"), s.changes).ok());

  // Before June: not started.
  CHECK(s.claim("NM-SOM", "KH-LAN", "2026-05-25T09:00:00+07:00").code == ResultCode::campaign_not_started);

  // Module Thông báo: a push notification to the June group, sent on 01/06/2026 at 09:00
  // local time, whose target is the campaign's page. Saved and scheduled in May, it
  // reaches nobody before its time.
  NotificationConfig notification;
  notification.notification_id = "qua-thang-6";
  notification.message.title = "{name} ơi, quà sinh nhật tháng 6";
  notification.message.body = "Bạn có {points} điểm. Nhận voucher {campaign}!";
  notification.target = MessageTarget{TargetKind::campaign, "VC-SN-T6", ""};
  notification.audience_group_id = "sinh-nhat-thang-6";
  notification.send_at_utc = at("2026-06-01T09:00:00+07:00");
  REQUIRE(s.store.save_notification(notification, at("2026-05-25T09:10:00+07:00"), s.changes).ok());
  REQUIRE(s.store.schedule_notification("qua-thang-6", at("2026-05-25T09:11:00+07:00"), s.changes).ok());
  DueDeliveries due;
  REQUIRE(s.store.due_deliveries(s.store.clock_utc(), "", 100, due).ok());
  CHECK(due.count == 0);
  // At 09:00 the audience is fixed: Lan and Minh (born in June), not Hoa (November).
  REQUIRE(s.store.process_due(at("2026-06-01T09:00:00+07:00"), s.changes).ok());
  REQUIRE(s.store.due_deliveries(at("2026-06-01T09:00:00+07:00"), "", 100, due).ok());
  REQUIRE(due.count == 2);
  REQUIRE(due.page.size() == 2);
  std::vector<std::string> due_ids;
  for (const DueDelivery& delivery : due.page) due_ids.push_back(s.store.delivery_id(delivery.ref));
  std::sort(due_ids.begin(), due_ids.end());
  CHECK(due_ids == std::vector<std::string>{"n/qua-thang-6/KH-LAN", "n/qua-thang-6/KH-MINH"});
  // Lan's message as the store stands: her 400 points.
  DeliveryRef lan_delivery;
  REQUIRE(s.store.find_delivery("n/qua-thang-6/KH-LAN", lan_delivery).ok());
  const MessageText lan_message = s.store.render_delivery(lan_delivery);
  CHECK(lan_message.title == "Nguyễn Thị Lan ơi, quà sinh nhật tháng 6");
  CHECK(lan_message.body.find("Bạn có 400 điểm.") == 0);
  // The host sends both; a second "sent" (a host that crashed and asked again) changes nothing.
  for (const std::string& delivery_id : due_ids) {
    REQUIRE(s.store.mark_delivery(DeliveryMark{delivery_id, DeliveryMarkKind::sent, 0, ""}, at("2026-06-01T09:00:05+07:00"), s.changes).ok());
  }
  CHECK(s.store.mark_delivery(DeliveryMark{"n/qua-thang-6/KH-LAN", DeliveryMarkKind::sent, 0, ""}, at("2026-06-01T09:00:06+07:00"), s.changes).code ==
        ResultCode::already_applied);
  REQUIRE(s.store.due_deliveries(s.store.clock_utc(), "", 100, due).ok());
  CHECK(due.count == 0);
  // Lan opens it at 09:30; the voucher page it opens is where she claims, below.
  REQUIRE(s.store.mark_delivery(DeliveryMark{"n/qua-thang-6/KH-LAN", DeliveryMarkKind::opened, 0, ""}, at("2026-06-01T09:30:00+07:00"), s.changes).ok());

  // Hoa is not in the group: the hidden campaign is not for her; her 100 points stay.
  CHECK(s.claim("NM-HOA", "KH-HOA", "2026-06-01T10:00:00+07:00").code == ResultCode::campaign_not_for_member);
  CHECK(s.points("KH-HOA") == 100);
  // Minh is in the group, at Bạc: the full 100 points, and he has 20.
  CHECK(s.claim("NM-MINH", "KH-MINH", "2026-06-01T10:05:00+07:00").code == ResultCode::insufficient_points);
  CHECK(s.points("KH-MINH") == 20);

  // Lan claims (nhận mã): 100 − ⌊100 × 500 ÷ 10,000⌋ = 100 − 5 = 95 points; 400 − 95 = 305.
  REQUIRE(s.claim("NM-LAN", "KH-LAN", "2026-06-01T10:10:00+07:00").ok());
  REQUIRE(s.changes.transactions.size() == 1);
  const Transaction& claimed = s.store.ledger().transactions()[s.changes.transactions[0]];
  CHECK(claimed.kind == TransactionKind::voucher_claimed);
  CHECK(s.points("KH-LAN") == 305);
  CHECK(s.store.ledger().balance(SystemAccount::redeemed) == 95);
  const std::uint32_t code_index = s.changes.voucher_codes.back();
  const std::string code = s.store.campaigns().codes()[code_index].code;
  CHECK(code.substr(0, 2) == "SN");
  CHECK(code.size() == 2 + 10 + 1);
  // One code of 50; it commits its 100,000 VND to the 5,000,000 budget.
  CHECK(s.campaign().codes_live == 1);
  CHECK(s.campaign().committed_vnd == 100'000);
  CHECK(s.claim("NM-LAN-2", "KH-LAN", "2026-06-01T10:11:00+07:00").code == ResultCode::claim_limit_reached);

  // The checkout: 1,230,000 VND with the code, typed in lower case with spaces.
  std::string typed;   // "sn2a bcde ..."
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i > 0 && i % 4 == 0) typed += ' ';
    typed += static_cast<char>(std::tolower(static_cast<unsigned char>(code[i])));
  }
  const VoucherCheck check = s.store.check_voucher(VoucherUse{typed, "KH-LAN", "", 1'230'000, 0}, at("2026-06-05T18:00:00+07:00"));
  REQUIRE(check.result.ok());
  CHECK(check.discount_vnd == 100'000);
  // The order: 1,230,000 − 100,000 = 1,130,000 VND paid; 1,130,000 × 1 % ÷ 1,000 = 11.3,
  // rounded down: 11 points (305 + 11 = 316); 1,130,000 ÷ 20,000 = 56.5: 56 tier points.
  REQUIRE(s.order("DH-T6-01", "KH-LAN", 1'230'000, "2026-06-05T18:00:00+07:00", typed).ok());
  const Order& first = s.store.orders()[s.store.find_order("DH-T6-01")];
  CHECK(first.amounts.voucher_discount_vnd == 100'000);
  CHECK(first.buyer_points_earned == 11);
  CHECK(first.tier_points_earned == 56);
  CHECK(s.points("KH-LAN") == 316);
  CHECK(s.tier_points("KH-LAN") == 2056);
  CHECK(s.store.campaigns().codes()[code_index].state == CodeState::used);
  CHECK(s.campaign().codes_used == 1);
  CHECK(s.campaign().committed_vnd == 100'000);   // the discount it gave: its whole 100,000
  // Used: not on a second order.
  CHECK(s.order("DH-T6-02", "KH-LAN", 900'000, "2026-06-06T10:00:00+07:00", code).code == ResultCode::voucher_code_used);

  // The order is refunded: its 11 points and 56 tier points go back, and the code is hers
  // again, since the campaign runs (hidden, before 1 July).
  REQUIRE(s.order("DH-T6-01", "KH-LAN", 1'230'000, "2026-06-08T10:00:00+07:00", "", OrderStatus::refunded).ok());
  CHECK(s.points("KH-LAN") == 305);
  CHECK(s.tier_points("KH-LAN") == 2000);
  CHECK(s.store.campaigns().codes()[code_index].state == CodeState::unused);
  CHECK(s.campaign().codes_used == 0);
  CHECK(s.campaign().committed_vnd == 100'000);
  bool returned = false;
  for (const Event& event : s.changes.events) returned = returned || event.kind == EventKind::voucher_returned;
  CHECK(returned);

  // She uses it again on 800,000 VND: 700,000 paid, 7 points (305 + 7 = 312), 35 tier points.
  REQUIRE(s.order("DH-T6-03", "KH-LAN", 800'000, "2026-06-20T11:00:00+07:00", code).ok());
  CHECK(s.points("KH-LAN") == 312);
  CHECK(s.tier_points("KH-LAN") == 2035);

  // June's metrics: one claim (95 points), one use that stands (DH-T6-03: the refund gave
  // DH-T6-01's back), 100,000 VND of discount, one attributed order paid 700,000 VND.
  const Metrics june_metrics = store_metrics(s.store, at("2026-06-01T00:00:00+07:00"), at("2026-07-01T00:00:00+07:00"), MetricsBucket::month);
  REQUIRE(june_metrics.code == ResultCode::ok);
  REQUIRE(june_metrics.campaigns.size() == 1);
  const CampaignFigures& figures = june_metrics.campaigns[0];
  CHECK(figures.claims == 1);
  CHECK(figures.claims_cancelled == 0);
  CHECK(figures.claim_points == 95);
  CHECK(figures.uses == 1);
  CHECK(figures.discount_vnd == 100'000);
  CHECK(figures.orders == 1);
  CHECK(figures.orders_paid_vnd == 700'000);

  // 1 July 00:00 (+07:00): the campaign ends by itself. A refund after it takes the points
  // back (312 − 7 = 305) but the code stays used: the campaign no longer runs.
  REQUIRE(s.store.process_due(at("2026-07-01T00:00:00+07:00"), s.changes).ok());
  CHECK(s.campaign().status == CampaignStatus::ended);
  REQUIRE(s.order("DH-T6-03", "KH-LAN", 800'000, "2026-07-02T10:00:00+07:00", "", OrderStatus::refunded).ok());
  CHECK(s.points("KH-LAN") == 305);
  CHECK(s.store.campaigns().codes()[code_index].state == CodeState::used);
  CHECK(s.claim("NM-MINH-2", "KH-MINH", "2026-07-02T10:05:00+07:00").code == ResultCode::campaign_ended);

  // The points balance: 400 + 20 + 100 earned, 95 redeemed, 11 and 7 earned and taken back.
  CHECK(s.points("KH-LAN") + s.points("KH-MINH") + s.points("KH-HOA") + s.store.ledger().balance(SystemAccount::redeemed) == 400 + 20 + 100);
  CHECK(s.store.check_invariants() == "");
  // A snapshot of the story reads back as the same store.
  const std::string bytes = StoreSnapshot::write(s.store);
  SnapshotReading reading = StoreSnapshot::read(bytes);
  REQUIRE(reading.store.has_value());
  CHECK(StoreSnapshot::write(*reading.store) == bytes);
}
