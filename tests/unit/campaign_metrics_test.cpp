// The voucher campaigns' part of the store's metrics (core/insights/campaign_metrics.cpp):
// claims and print runs by when they were made, uses that stand by when the code was used,
// and the orders completed in the period with a code, each figure computed by hand.
#include <doctest/doctest.h>

#include "core/commands/command_runner.hpp"
#include "core/insights/insights.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using loyalty::testing::at;

namespace {

struct MetricsStory : loyalty::testing::StoreFixture {
  MetricsStory() {
    add_member("an", "0912345678", "An");
    add_member("binh", "0987654321", "Bình");
    // 2,000,000 VND each: 20 points to pay for claims of 10.
    REQUIRE(order("E-AN", "an", 2'000'000, OrderStatus::completed, "2026-01-05T00:00:00Z").ok());
    REQUIRE(order("E-BINH", "binh", 2'000'000, OrderStatus::completed, "2026-01-05T00:00:00Z").ok());
    CampaignConfig config;
    config.campaign_id = "giam";
    config.name = "Giảm 50.000 ₫";
    config.starts_at_utc = at("2026-01-15T00:00:00Z");
    config.ends_at_utc = at("2026-04-01T00:00:00Z");
    config.reward.amount_vnd = 50'000;
    config.min_order_vnd = 200'000;
    config.point_cost = 10;
    config.total_quantity = 20;
    config.limit_per_member = 2;
    REQUIRE(store.save_campaign(config, at("2026-01-10T00:00:00Z"), changes).ok());
    REQUIRE(store.set_campaign_status("giam", CampaignStatus::visible, at("2026-01-10T00:00:00Z"), changes).ok());
    config.campaign_id = "khac";
    REQUIRE(store.save_campaign(config, at("2026-01-10T00:00:00Z"), changes).ok());
  }
  std::string claim(const char* claim_id, const char* member_id, const char* time) {
    REQUIRE(store.claim_voucher(VoucherClaimRequest{claim_id, member_id, "giam", "0123456789abcdef0123", "app"}, at(time), changes).ok());
    return store.campaigns().codes()[changes.voucher_codes.back()].code;
  }
  void import(const char* batch_id, std::vector<std::string> codes, const char* time) {
    VoucherIssueRequest request{batch_id, "giam", 0, "", std::move(codes), "staff"};
    REQUIRE(store.import_voucher_codes(request, at(time), changes).ok());
  }
  void order_with(const char* order_id, const char* member_id, const std::string& code, Vnd amount_vnd, OrderStatus status,
                  const char* time) {
    OrderEvent event{order_id, member_id, status, {amount_vnd, 0, 0, 0}, "", "pos", code};
    REQUIRE(store.record_order(event, at(time), changes).ok());
  }
};

}  // namespace

TEST_CASE("campaign metrics: claims, cancels, print runs, imports, uses a refund gave back, attributed orders and what they paid") {
  MetricsStory s;
  // January: a claim, a partner's code, and the claimed code used on a 500,000 VND order.
  const std::string january_code = s.claim("C0", "an", "2026-01-20T00:00:00Z");
  s.import("I0", {"PARTNER01"}, "2026-01-25T00:00:00Z");
  s.order_with("O0", "an", january_code, 500'000, OrderStatus::completed, "2026-01-26T00:00:00Z");
  // February: two claims, one cancelled; a print run of 3; two partner codes.
  const std::string february_code = s.claim("C1", "binh", "2026-02-02T00:00:00Z");
  s.claim("C2", "an", "2026-02-03T00:00:00Z");
  REQUIRE(s.store.cancel_voucher_claim("C2", "Nhận nhầm", "staff", at("2026-02-04T00:00:00Z"), s.changes).ok());
  REQUIRE(s.store.issue_voucher_codes(VoucherIssueRequest{"B1", "giam", 3, "fedcba9876543210fedc", {}, "staff"}, at("2026-02-05T00:00:00Z"), s.changes).ok());
  s.import("I1", {"PARTNER02", "PARTNER03"}, "2026-02-06T00:00:00Z");
  // O1: 600,000 − 50,000 = 550,000 paid, then 100,000 refunded: 450,000.
  s.order_with("O1", "binh", february_code, 600'000, OrderStatus::completed, "2026-02-10T00:00:00Z");
  REQUIRE(s.refund("O1", "r1", 100'000, "2026-02-11T00:00:00Z").ok());
  // O2: refunded in full while the campaign runs: the code comes back, so no use stands.
  s.order_with("O2", "an", "PARTNER02", 300'000, OrderStatus::completed, "2026-02-12T00:00:00Z");
  s.order_with("O2", "an", "", 300'000, OrderStatus::refunded, "2026-02-13T00:00:00Z");
  // O3: placed with a code, not completed: a use (the code is taken) but no order yet.
  s.order_with("O3", "an", "PARTNER03", 400'000, OrderStatus::placed, "2026-02-14T00:00:00Z");

  const Metrics february = store_metrics(s.store, at("2026-02-01T00:00:00Z"), at("2026-03-01T00:00:00Z"), MetricsBucket::week);
  REQUIRE(february.code == ResultCode::ok);
  REQUIRE(february.campaigns.size() == 2);
  const CampaignFigures& giam = february.campaigns[0];
  CHECK(giam.claims == 2);
  CHECK(giam.claims_cancelled == 1);
  CHECK(giam.claim_points == 10);          // C1's; C2's came back
  CHECK(giam.codes_bulk == 3);
  CHECK(giam.codes_imported == 2);
  CHECK(giam.uses == 2);                   // O1's and O3's codes; O2's was given back
  CHECK(giam.discount_vnd == 100'000);
  CHECK(giam.orders == 1);                 // O1 (O3 is not completed)
  CHECK(giam.orders_paid_vnd == 450'000);
  const CampaignFigures& idle = february.campaigns[1];
  CHECK(idle.campaign == 1);
  CHECK((idle.claims == 0 && idle.uses == 0 && idle.orders == 0 && idle.codes_bulk == 0 && idle.discount_vnd == 0));

  // January: C0, PARTNER01, O0 (500,000 − 50,000 = 450,000 paid).
  const Metrics january = store_metrics(s.store, at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z"), MetricsBucket::month);
  const CampaignFigures& before = january.campaigns[0];
  CHECK(before.claims == 1);
  CHECK(before.claim_points == 10);
  CHECK(before.codes_imported == 1);
  CHECK(before.codes_bulk == 0);
  CHECK(before.uses == 1);
  CHECK(before.discount_vnd == 50'000);
  CHECK(before.orders == 1);
  CHECK(before.orders_paid_vnd == 450'000);

  // The JSON of the metrics read: a "campaigns" block beside the series.
  s.check_invariants();
  const CommandRunner runner(std::move(s.store));
  const Json result = runner.run_read(Json{{"command", "metrics"}, {"from", "2026-02-01T00:00:00Z"}, {"to", "2026-03-01T00:00:00Z"}}, 1).result;
  REQUIRE(result["result"] == "ok");
  const Json& block = result["data"]["campaigns"];
  REQUIRE(block.size() == 2);
  CHECK(block[0] == Json{{"campaign_id", "giam"}, {"claims", 2}, {"claims_cancelled", 1}, {"claim_points", 10}, {"codes_bulk", 3},
                         {"codes_imported", 2}, {"uses", 2}, {"discount_vnd", 100000}, {"orders", 1}, {"orders_paid_vnd", 450000}});
  CHECK(block[1]["campaign_id"] == "khac");
}
