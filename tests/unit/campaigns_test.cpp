// Voucher campaigns (core/campaigns): the document, the codes, claims through the ledger,
// codes on orders, every refusal in its order of precedence, the boundaries, and a
// randomised run checked against a model of our own, replayed and restored from snapshots.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/basics/seeded_random.hpp"
#include "core/campaigns/voucher_codes.hpp"
#include "core/commands/command_runner.hpp"
#include "core/snapshot/store_snapshot.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using loyalty::testing::at;

namespace {

constexpr const char* seed_text = "4f1c9a0e7b3d2c56a8e1";

// Bạc from 0 tier points; Bạch kim from 100 with vouchers 5 % cheaper in points.
ProgramConfig campaign_program() {
  ProgramConfig config;
  Perk voucher{PerkType::voucher_point_discount, true};
  voucher.discount_bp = 500;
  config.tiers = {Tier{"bac", "Bạc", "Silver", "", 0, {}}, Tier{"bach_kim", "Bạch kim", "Platinum", "", 100, {voucher}}};
  return config;
}

CampaignConfig fixed_campaign(const std::string& id = "tet") {
  CampaignConfig config;
  config.campaign_id = id;
  config.name = "Tết 2026";
  config.starts_at_utc = at("2026-02-01T00:00:00Z");
  config.ends_at_utc = at("2026-03-01T00:00:00Z");
  config.reward.kind = RewardKind::fixed_amount;
  config.reward.amount_vnd = 50000;
  config.min_order_vnd = 200000;
  config.point_cost = 100;
  config.total_quantity = 10;
  config.limit_per_member = 1;
  return config;
}

struct CampaignFixture {
  Store store;
  Changes changes;
  CampaignFixture() {
    REQUIRE(store.save_program(campaign_program(), at("2026-01-01T00:00:00Z"), "owner", changes).code == ResultCode::ok);
    for (const auto& [id, phone] : {std::pair{"an", "0912345678"}, std::pair{"binh", "0987654321"}, std::pair{"cuong", "0977000111"}}) {
      NewMember member;
      member.member_id = id;
      member.phone = phone;
      member.name = std::string("Khách ") + id;
      REQUIRE(store.create_member(member, at("2026-01-02T00:00:00Z"), changes).code == ResultCode::ok);
    }
  }
  MemberIndex member(const char* id) const { return store.find_member(id); }
  Points points(const char* id) const { return store.ledger().balance(member(id), MemberAccount::points); }
  // 2,000,000 VND: 100 tier points (Bạch kim) and 20 points.
  void make_platinum(const char* id, const char* order_id = "P0") {
    OrderEvent order{order_id, id, OrderStatus::completed, {2000000, 0, 0, 0}, "", "pos", ""};
    REQUIRE(store.record_order(order, at("2026-01-03T00:00:00Z"), changes).code == ResultCode::ok);
  }
  void give(const char* id, Points points_given, const std::string& key) {
    REQUIRE(store.adjust_points(PointsAdjustment{id, points_given, "Quà", "staff", key}, at("2026-01-04T00:00:00Z"), changes).code ==
            ResultCode::ok);
  }
  // Sets the balance of a member to exactly `target` (never below what it is).
  void top_up(const char* id, Points target) {
    const Points missing = target - points(id);
    REQUIRE(missing >= 0);
    if (missing > 0) give(id, missing, std::string("top-up-") + id + std::to_string(target));
  }
  Result save(const CampaignConfig& config, const char* time = "2026-01-10T00:00:00Z") {
    return store.save_campaign(config, at(time), changes);
  }
  Result status(const std::string& id, CampaignStatus to, const char* time = "2026-01-10T00:00:00Z") {
    return store.set_campaign_status(id, to, at(time), changes);
  }
  Result publish(const CampaignConfig& config) {
    REQUIRE(save(config).code == ResultCode::ok);
    return status(config.campaign_id, CampaignStatus::visible);
  }
  Result claim(const std::string& claim_id, const char* member_id, const std::string& campaign = "tet",
               const char* time = "2026-02-10T00:00:00Z") {
    return store.claim_voucher(VoucherClaimRequest{claim_id, member_id, campaign, seed_text, "app"}, at(time), changes);
  }
  std::string last_code() const {
    REQUIRE(!changes.voucher_codes.empty());
    return store.campaigns().codes()[changes.voucher_codes.back()].code;
  }
  Result order_with(const std::string& order_id, const char* member_id, const std::string& code, Vnd amount_vnd,
                    OrderStatus status = OrderStatus::completed, const char* time = "2026-02-12T00:00:00Z", Vnd shipping_vnd = 0,
                    Vnd discount_vnd = 0) {
    OrderEvent order{order_id, member_id, status, {amount_vnd, shipping_vnd, discount_vnd, 0}, "", "pos", code};
    return store.record_order(order, at(time), changes);
  }
  void check_invariants() const { CHECK(store.check_invariants() == ""); }
};

}  // namespace

// [SECTION] Codes ---------------------------------------------------------------------------------
TEST_CASE("campaigns: codes use an alphabet without look-alikes, carry a check character and read back however typed") {
  for (char c : std::string("01OIL")) CHECK_FALSE(is_voucher_alphabet(c));
  CHECK(voucher_alphabet.size() == 31);
  // Luhn mod 31 by hand: payload "22" (values 0, 0) -> sum 0 -> check '2'; "3" (value 1,
  // doubled 2) -> check value 31 - 2 = 29 -> 'Y'.
  CHECK(voucher_check_char("22") == '2');
  CHECK(voucher_check_char("3") == 'Y');
  CHECK(voucher_check_valid("3Y"));
  const std::string code = draw_voucher_code(voucher_seed_bits(seed_text), "tet", 0, "TET");
  REQUIRE(code.size() == 3 + 10 + 1);
  CHECK(code.substr(0, 3) == "TET");
  CHECK(voucher_check_valid(code));
  // Every single changed character is caught, and every swap of two different neighbours.
  for (std::size_t i = 0; i < code.size(); ++i) {
    for (char c : voucher_alphabet) {
      if (c == code[i]) continue;
      std::string typo = code;
      typo[i] = c;
      CHECK_FALSE(voucher_check_valid(typo));
    }
  }
  int swaps = 0, caught = 0;
  for (std::size_t i = 0; i + 1 < code.size(); ++i) {
    if (code[i] == code[i + 1]) continue;
    std::string swapped = code;
    std::swap(swapped[i], swapped[i + 1]);
    ++swaps;
    caught += voucher_check_valid(swapped) ? 0 : 1;
  }
  CHECK(caught == swaps);
  // Case, spaces and dashes do not matter; shown in groups of four after the prefix.
  const std::string shown = format_voucher_code(code, 3);
  CHECK(shown.size() == 3 + 1 + 4 + 1 + 4 + 1 + 3);
  CHECK(shown[3] == '-');
  std::string typed = shown;
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(normalize_voucher_code(" " + typed + " ") == code);
  CHECK(normalize_voucher_code("tet 7kq2-m9xa") == std::string("TET7KQ2M9XA"));
  CHECK_FALSE(normalize_voucher_code("TET_1").has_value());
  CHECK_FALSE(normalize_voucher_code(" - ").has_value());
  // Deterministic from the seed; another seed or draw gives another code.
  CHECK(draw_voucher_code(voucher_seed_bits(seed_text), "tet", 0, "TET") == code);
  CHECK(draw_voucher_code(voucher_seed_bits(seed_text), "tet", 1, "TET") != code);
  CHECK(draw_voucher_code(voucher_seed_bits("another-seed-0000"), "tet", 0, "TET") != code);
}

// [SECTION] Arithmetic ---------------------------------------------------------------------------
TEST_CASE("campaigns: the tier perk's cost rounds the discount down, the percentage rounds down to whole VND") {
  CHECK(campaign_point_cost(100, 500) == 95);
  CHECK(campaign_point_cost(30, 500) == 29);      // 28.5 -> 29: the perk never gives more than 5 %
  CHECK(campaign_point_cost(19, 500) == 19);      // 5 % of 19 is 0.95 -> 0
  CHECK(campaign_point_cost(20, 500) == 19);
  CHECK(campaign_point_cost(0, 500) == 0);
  CHECK(campaign_point_cost(points_max, 500) == 950'000'000'000);
  CHECK(campaign_point_cost(points_max, 10000) == 0);

  CampaignConfig percent = fixed_campaign();
  percent.reward = CampaignReward{RewardKind::percentage, 0, 1000, 50000, "", ""};
  CHECK(campaign_discount_vnd(percent, 333339, 0) == 33333);    // 33,333.9 -> 33,333
  CHECK(campaign_discount_vnd(percent, 1000000, 30000) == 50000);   // 100,000 capped by the maximum
  CHECK(campaign_max_discount_vnd(percent) == 50000);
  CampaignConfig fixed = fixed_campaign();
  CHECK(campaign_discount_vnd(fixed, 30000, 0) == 30000);        // never more than the goods
  CHECK(campaign_discount_vnd(fixed, 300000, 0) == 50000);
  CampaignConfig shipping = fixed_campaign();
  shipping.reward = CampaignReward{RewardKind::free_shipping, 0, 0, 25000, "", ""};
  CHECK(campaign_discount_vnd(shipping, 300000, 20000) == 20000);
  CHECK(campaign_discount_vnd(shipping, 300000, 40000) == 25000);
  CampaignConfig gift = fixed_campaign();
  gift.reward = CampaignReward{RewardKind::gift, 0, 0, 0, "Bình giữ nhiệt", ""};
  CHECK(campaign_discount_vnd(gift, 300000, 20000) == 0);
  // The int64 limits: 100 % of 10^15 with a maximum of 10^15 is exact.
  CampaignConfig whole = fixed_campaign();
  whole.reward = CampaignReward{RewardKind::percentage, 0, 10000, amount_vnd_max, "", ""};
  CHECK(campaign_discount_vnd(whole, amount_vnd_max, 0) == amount_vnd_max);
  CHECK(campaign_discount_vnd(whole, amount_vnd_max - 1, 1) == amount_vnd_max - 1);
}

// [SECTION] The document -------------------------------------------------------------------------
TEST_CASE("campaigns: the document is validated like the program, every error with its path") {
  const Json good = Json::parse(R"({"campaign_id":"tet","name":"Tết","name_en":"Lunar New Year","description":"",
    "starts_at":"2026-02-01T00:00:00+07:00","ends_at":"2026-03-01T00:00:00+07:00",
    "reward":{"kind":"percentage","percent_bp":1000,"max_discount_vnd":50000},"min_order_vnd":200000,"point_cost":100,
    "total_quantity":500,"limit_per_member":2,"target_group_id":"sinh-nhat-thang-6","budget_vnd":5000000,"code_prefix":"TET"})");
  const CampaignConfigReading reading = read_campaign_config(good);
  REQUIRE(reading.config.has_value());
  CHECK(reading.config->starts_at_utc == at("2026-01-31T17:00:00Z"));
  CHECK(reading.config->reward.percent_bp == 1000);
  CHECK(read_campaign_config(campaign_config_to_json(*reading.config)).config == reading.config);

  const Json bad = Json::parse(R"({"campaign_id":"t e t","starts_at":"2026-03-01T00:00:00Z","ends_at":"2026-02-01T00:00:00Z",
    "reward":{"kind":"percentage","percent_bp":1000,"amount_vnd":5},"total_quantity":0,"budget_vnd":10,"code_prefix":"T0","colour":"red"})");
  std::set<std::string> paths;
  for (const FieldError& error : read_campaign_config(bad).errors) paths.insert(error.path);
  CHECK(paths == std::set<std::string>{"campaign.colour", "campaign.campaign_id", "campaign.name", "campaign.ends_at",
                                       "campaign.reward.amount_vnd", "campaign.reward.max_discount_vnd", "campaign.total_quantity",
                                       "campaign.code_prefix"});
  const Json gift = Json::parse(R"({"campaign_id":"qua","name":"Quà","starts_at":"2026-02-01T00:00:00Z","ends_at":"2026-02-02T00:00:00Z",
    "reward":{"kind":"gift"},"total_quantity":5,"budget_vnd":1000})");
  paths.clear();
  for (const FieldError& error : read_campaign_config(gift).errors) paths.insert(error.path);
  CHECK(paths == std::set<std::string>{"campaign.reward.gift_vi", "campaign.budget_vnd"});
}

TEST_CASE("campaigns: status transitions: draft publishes, the others move freely, ended is final") {
  using S = CampaignStatus;
  const S all[] = {S::draft, S::hidden, S::visible, S::paused, S::ended};
  const bool allowed[5][5] = {
      // to: draft hidden visible paused ended
      {false, true, true, false, true},     // from draft
      {false, false, true, true, true},     // from hidden
      {false, true, false, true, true},     // from visible
      {false, true, true, false, true},     // from paused
      {false, false, false, false, false},  // from ended
  };
  for (int from = 0; from < 5; ++from) {
    for (int to = 0; to < 5; ++to) CHECK_MESSAGE(campaign_status_change_allowed(all[from], all[to]) == allowed[from][to], from, "->", to);
  }
  CampaignFixture f;
  REQUIRE(f.save(fixed_campaign()).code == ResultCode::ok);
  CHECK(f.status("tet", S::paused).code == ResultCode::campaign_status_not_allowed);
  CHECK(f.status("nope", S::visible).code == ResultCode::campaign_not_found);
  CHECK(f.status("tet", S::visible).code == ResultCode::ok);
  CHECK(f.status("tet", S::visible).code == ResultCode::already_applied);
  CHECK(f.status("tet", S::ended).code == ResultCode::ok);
  CHECK(f.status("tet", S::visible).code == ResultCode::campaign_status_not_allowed);
  CHECK(f.save(fixed_campaign()).code == ResultCode::already_applied);
  CampaignConfig renamed = fixed_campaign();
  renamed.name = "Tết (sửa)";
  CHECK(f.save(renamed).code == ResultCode::campaign_ended);
}

TEST_CASE("campaigns: once a code exists, its price, discount and prefix stay; quantity and budget never drop below use") {
  CampaignFixture f;
  f.top_up("an", 200);
  CampaignConfig config = fixed_campaign();
  config.budget_vnd = 500000;
  REQUIRE(f.publish(config).code == ResultCode::ok);
  f.top_up("binh", 200);
  REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
  REQUIRE(f.claim("c2", "binh").code == ResultCode::ok);
  CampaignConfig changed = config;
  changed.reward.amount_vnd = 60000;
  changed.point_cost = 90;
  changed.total_quantity = 1;   // below the two codes issued
  changed.budget_vnd = 90000;   // below the 100,000 committed
  const Result refused = f.save(changed, "2026-02-11T00:00:00Z");
  CHECK(refused.code == ResultCode::invalid_field);
  std::set<std::string> paths;
  for (const FieldError& error : refused.errors) paths.insert(error.path);
  CHECK(paths == std::set<std::string>{"campaign.reward", "campaign.point_cost", "campaign.total_quantity", "campaign.budget_vnd"});
  CampaignConfig grown = config;
  grown.total_quantity = 20;
  grown.limit_per_member = 2;
  grown.description = "Thêm mã";
  CHECK(f.save(grown, "2026-02-11T00:00:00Z").code == ResultCode::ok);
  CHECK(f.store.campaigns().campaigns()[0].status == CampaignStatus::visible);   // saving keeps the status
  f.check_invariants();
}

TEST_CASE("campaigns: a config built by hand is held to the document's rules") {
  CampaignFixture f;
  CampaignConfig config = fixed_campaign();
  config.budget_vnd = 40000;   // below one code's 50,000
  const Result refused = f.save(config);
  CHECK(refused.code == ResultCode::invalid_field);
  CHECK(refused.errors.at(0).path == "campaign.budget_vnd");
  config = fixed_campaign();
  config.code_prefix = "HE-1";
  CHECK(f.save(config).errors.at(0).path == "campaign.code_prefix");
  CHECK(f.store.campaigns().campaigns().empty());
}

TEST_CASE("campaigns: list_campaigns shows a member what is meant for them, with the cost after the perk and why not") {
  CommandRunner runner;
  std::size_t line = 0;
  auto run = [&](const std::string& command) { return runner.run_line(command, ++line).result; };
  REQUIRE(run(R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0},{"id":"bach_kim","name":"Bạch kim","tier_points_needed":100,"perks":[{"type":"voucher_point_discount","enabled":true,"discount_bp":500}]}]}})")["result"] == "ok");
  REQUIRE(run(R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"an","phone":"0912345678","name":"An"})")["result"] == "ok");
  REQUIRE(run(R"({"command":"order","time":"2026-01-03T00:00:00Z","order_id":"P0","member_id":"an","status":"completed","amount_vnd":2000000})")["result"] == "ok");
  const std::string window = R"("starts_at":"2026-02-01T00:00:00Z","ends_at":"2026-03-01T00:00:00Z","reward":{"kind":"fixed_amount","amount_vnd":10000},"total_quantity":5,"point_cost":100)";
  for (const char* id : {"an-hien", "nhom", "an-kin", "nhap"}) {
    if (std::string(id) == "nhom") REQUIRE(run(R"({"command":"save_group","time":"2026-01-04T00:00:00Z","group_id":"vip","name":"VIP","kind":"static"})")["result"] == "ok");
    REQUIRE(run(std::string(R"({"command":"save_campaign","time":"2026-01-04T00:00:00Z","campaign":{"campaign_id":")") + id +
                R"(","name":"V",)" + window + (std::string(id) == "nhom" ? R"(,"target_group_id":"vip")" : "") + "}}")["result"] == "ok");
  }
  REQUIRE(run(R"({"command":"set_campaign_status","time":"2026-01-04T00:00:00Z","campaign_id":"an-hien","status":"visible"})")["result"] == "ok");
  REQUIRE(run(R"({"command":"set_campaign_status","time":"2026-01-04T00:00:00Z","campaign_id":"nhom","status":"visible"})")["result"] == "ok");
  REQUIRE(run(R"({"command":"set_campaign_status","time":"2026-01-04T00:00:00Z","campaign_id":"an-kin","status":"hidden"})")["result"] == "ok");
  const Json listed = run(R"({"command":"list_campaigns","member_id":"an"})");
  REQUIRE(listed["data"]["campaigns"].size() == 2);   // not the hidden one (no group of an's), not the draft
  const Json& open = listed["data"]["campaigns"][0];
  CHECK(open["campaign_id"] == "an-hien");
  CHECK(open["member_point_cost"] == 95);
  CHECK(open["claimable"] == false);
  CHECK(open["refusal"]["result"] == "campaign_not_started");
  CHECK(listed["data"]["campaigns"][1]["refusal"]["result"] == "campaign_not_started");   // the window comes before the group
  const Json later = run(R"({"command":"list_campaigns","member_id":"an","time":"2026-02-02T00:00:00Z"})");
  CHECK(later["data"]["campaigns"][0]["claimable"] == false);   // an has 20 points
  CHECK(later["data"]["campaigns"][0]["refusal"]["result"] == "insufficient_points");
  CHECK(later["data"]["campaigns"][1]["refusal"]["result"] == "campaign_not_for_member");
  CHECK(run(R"({"command":"list_campaigns"})")["data"]["campaigns"].size() == 4);   // staff see every campaign
}

// [SECTION] Claims ---------------------------------------------------------------------------------
TEST_CASE("campaigns: a Bạch kim member claims for 95 points through the ledger, lot-aware, idempotent by claim id") {
  CampaignFixture f;
  f.make_platinum("an");       // 20 points from the order
  f.top_up("an", 95);          // exactly enough
  REQUIRE(f.publish(fixed_campaign()).code == ResultCode::ok);
  REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
  CHECK(f.points("an") == 0);
  REQUIRE(f.changes.transactions.size() == 1);
  const Transaction& transaction = f.store.ledger().transactions()[f.changes.transactions[0]];
  CHECK(transaction.kind == TransactionKind::voucher_claimed);
  std::vector<std::int64_t> amounts;
  for (const Posting& posting : f.store.ledger().postings_of(transaction)) amounts.push_back(posting.amount);
  CHECK(amounts == std::vector<std::int64_t>{-95, 95});
  CHECK(f.store.ledger().balance(SystemAccount::redeemed) == 95);
  CHECK(f.store.members()[f.member("an")].points_spent == 95);
  const std::string code = f.last_code();
  CHECK(voucher_check_valid(code));
  CHECK(f.store.campaigns().codes()[0].owner == f.member("an"));
  REQUIRE(f.changes.events.size() == 1);
  CHECK(f.changes.events[0].kind == EventKind::voucher_claimed);
  CHECK(f.changes.events[0].points == 95);
  // A retry: the same code, nothing posted; the id for another member: a conflict.
  CHECK(f.claim("c1", "an", "tet", "2026-02-10T00:01:00Z").code == ResultCode::already_applied);
  CHECK(f.changes.transactions.empty());
  CHECK(f.last_code() == code);
  CHECK(f.claim("c1", "binh").code == ResultCode::idempotency_key_conflict);
  CHECK(f.store.campaigns().codes().size() == 1);
  f.check_invariants();
}

TEST_CASE("campaigns: points one short are refused; a Bạc member pays the full cost") {
  CampaignFixture f;
  f.make_platinum("an");
  f.top_up("an", 94);
  f.top_up("binh", 99);
  CampaignConfig config = fixed_campaign();
  config.limit_per_member = 5;
  REQUIRE(f.publish(config).code == ResultCode::ok);
  CHECK(f.claim("c1", "an").code == ResultCode::insufficient_points);
  CHECK(f.claim("c2", "binh").code == ResultCode::insufficient_points);
  f.top_up("binh", 100);
  CHECK(f.claim("c2", "binh").code == ResultCode::ok);
  CHECK(f.points("binh") == 0);
  CHECK(f.points("an") == 94);
  CHECK(f.store.campaigns().claims().size() == 1);
}

TEST_CASE("campaigns: a free campaign posts nothing; the claim window is from the start second to before the end second") {
  CampaignFixture f;
  CampaignConfig config = fixed_campaign();
  config.point_cost = 0;
  config.limit_per_member = 10;
  REQUIRE(f.publish(config).code == ResultCode::ok);
  CHECK(f.claim("early", "an", "tet", "2026-01-31T23:59:59Z").code == ResultCode::campaign_not_started);
  CHECK(f.claim("first", "an", "tet", "2026-02-01T00:00:00Z").code == ResultCode::ok);
  CHECK(f.changes.transactions.empty());
  CHECK(f.claim("last", "an", "tet", "2026-02-28T23:59:59Z").code == ResultCode::ok);
  // At ends_at the campaign ends by itself (the clock reached it): ended, not just expired.
  CHECK(f.claim("late", "an", "tet", "2026-03-01T00:00:00Z").code == ResultCode::campaign_ended);
  CHECK(f.store.campaigns().campaigns()[0].status == CampaignStatus::ended);
  CHECK(f.store.campaigns().claims().size() == 2);
}

TEST_CASE("campaigns: quantity, the member's limit and the budget, each exactly reached") {
  SUBCASE("quantity") {
    CampaignFixture f;
    CampaignConfig config = fixed_campaign();
    config.point_cost = 0;
    config.total_quantity = 2;
    REQUIRE(f.publish(config).code == ResultCode::ok);
    CHECK(f.claim("c1", "an").code == ResultCode::ok);
    CHECK(f.claim("c2", "binh").code == ResultCode::ok);
    CHECK(f.claim("c3", "cuong").code == ResultCode::campaign_sold_out);
    CHECK(f.store.campaigns().campaigns()[0].codes_live == 2);
  }
  SUBCASE("limit per member") {
    CampaignFixture f;
    CampaignConfig config = fixed_campaign();
    config.point_cost = 0;
    config.limit_per_member = 2;
    REQUIRE(f.publish(config).code == ResultCode::ok);
    CHECK(f.claim("c1", "an").code == ResultCode::ok);
    CHECK(f.claim("c2", "an").code == ResultCode::ok);
    CHECK(f.claim("c3", "an").code == ResultCode::claim_limit_reached);
    CHECK(f.claim("c4", "binh").code == ResultCode::ok);
  }
  SUBCASE("budget: each unused code commits its largest discount") {
    CampaignFixture f;
    CampaignConfig config = fixed_campaign();
    config.point_cost = 0;
    config.limit_per_member = 5;
    config.budget_vnd = 100000;   // two codes of 50,000
    REQUIRE(f.publish(config).code == ResultCode::ok);
    CHECK(f.claim("c1", "an").code == ResultCode::ok);
    CHECK(f.claim("c2", "an").code == ResultCode::ok);
    CHECK(f.store.campaigns().campaigns()[0].committed_vnd == 100000);
    CHECK(f.claim("c3", "binh").code == ResultCode::campaign_budget_exhausted);
  }
  SUBCASE("precedence: sold out before the limit before the budget before the points") {
    CampaignFixture f;
    CampaignConfig config = fixed_campaign();
    config.total_quantity = 1;
    config.budget_vnd = 50000;
    config.point_cost = 0;
    REQUIRE(f.publish(config).code == ResultCode::ok);
    REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
    CHECK(f.claim("c2", "an").code == ResultCode::campaign_sold_out);   // also at its limit and the budget
    CampaignConfig more = config;
    more.total_quantity = 5;
    REQUIRE(f.save(more, "2026-02-10T00:00:00Z").code == ResultCode::ok);
    CHECK(f.claim("c2", "an").code == ResultCode::claim_limit_reached);   // also the budget
    CHECK(f.claim("c3", "binh").code == ResultCode::campaign_budget_exhausted);
  }
}

TEST_CASE("campaigns: claim refusals in their order of precedence") {
  CampaignFixture f;
  REQUIRE(f.save(fixed_campaign()).code == ResultCode::ok);
  CHECK(f.claim("c1", "nobody").code == ResultCode::member_not_found);
  CHECK(f.claim("c1", "an", "nope").code == ResultCode::campaign_not_found);
  CHECK(f.store.claim_voucher(VoucherClaimRequest{"c1", "an", "tet", "short", ""}, at("2026-02-10T00:00:00Z"), f.changes).code ==
        ResultCode::invalid_field);
  CHECK(f.store.claim_voucher(VoucherClaimRequest{"c 1", "an", "tet", seed_text, ""}, at("2026-02-10T00:00:00Z"), f.changes)
            .errors.at(0).path == "claim_id");
  // Blocked comes before the campaign's own state.
  REQUIRE(f.store.update_member(MemberUpdate{"cuong", {}, {}, {}, {}, {}, MemberStatus::blocked}, at("2026-01-05T00:00:00Z"), f.changes)
              .code == ResultCode::ok);
  CHECK(f.claim("c1", "cuong").code == ResultCode::member_blocked);
  CHECK(f.claim("c1", "an").code == ResultCode::campaign_not_published);
  REQUIRE(f.status("tet", CampaignStatus::visible, "2026-02-10T00:00:00Z").code == ResultCode::ok);
  REQUIRE(f.status("tet", CampaignStatus::paused, "2026-02-10T00:00:00Z").code == ResultCode::ok);
  CHECK(f.claim("c1", "an").code == ResultCode::campaign_paused);
  // A hidden campaign without a group is for nobody; one with a group for its members only.
  REQUIRE(f.status("tet", CampaignStatus::hidden, "2026-02-10T00:00:00Z").code == ResultCode::ok);
  CHECK(f.claim("c1", "an").code == ResultCode::campaign_not_for_member);
  REQUIRE(f.status("tet", CampaignStatus::ended, "2026-02-10T00:00:00Z").code == ResultCode::ok);
  CHECK(f.claim("c1", "an").code == ResultCode::campaign_ended);
  CHECK(f.store.campaigns().codes().empty());
  CHECK(f.store.ledger().balance(SystemAccount::redeemed) == 0);
}

TEST_CASE("campaigns: a campaign for a target group: only the group's members claim it, visible or hidden; the group must exist and stays while the campaign runs") {
  CampaignFixture f;
  f.top_up("an", 500);
  f.top_up("binh", 500);
  CampaignConfig unknown = fixed_campaign("nhom-x");
  unknown.target_group_id = "khach-quen";
  const Result refused = f.save(unknown);
  REQUIRE(refused.code == ResultCode::invalid_field);
  CHECK(refused.errors.at(0).path == "campaign.target_group_id");
  // A static group with an only.
  GroupDefinition group;
  group.group_id = "khach-quen";
  group.name = "Khách quen";
  REQUIRE(f.store.save_group(group, at("2026-01-03T00:00:00Z"), f.changes).code == ResultCode::ok);
  GroupMembersChange report;
  REQUIRE(f.store.change_group_members("khach-quen", {"an"}, true, at("2026-01-03T00:00:00Z"), f.changes, report).code == ResultCode::ok);
  for (CampaignStatus status : {CampaignStatus::visible, CampaignStatus::hidden}) {
    CampaignConfig config = fixed_campaign(status == CampaignStatus::visible ? "nhom-a" : "nhom-b");
    config.target_group_id = "khach-quen";
    REQUIRE(f.save(config).code == ResultCode::ok);
    REQUIRE(f.status(config.campaign_id, status).code == ResultCode::ok);
    CHECK(f.claim("c-binh-" + config.campaign_id, "binh", config.campaign_id).code == ResultCode::campaign_not_for_member);
    CHECK(f.claim("c-an-" + config.campaign_id, "an", config.campaign_id).code == ResultCode::ok);
  }
  CHECK(f.points("binh") == 500);
  CHECK(f.points("an") == 500 - 2 * 100);
  // The campaigns' audience cannot be deleted under them.
  CHECK(f.store.delete_group("khach-quen", at("2026-02-11T00:00:00Z"), f.changes).code == ResultCode::group_in_use);
  // Taken out of the group, an can no longer claim (a third campaign of the group's).
  CampaignConfig third = fixed_campaign("nhom-c");
  third.target_group_id = "khach-quen";
  REQUIRE(f.save(third).code == ResultCode::ok);
  REQUIRE(f.status("nhom-c", CampaignStatus::visible).code == ResultCode::ok);
  REQUIRE(f.store.change_group_members("khach-quen", {"an"}, false, at("2026-02-11T00:00:00Z"), f.changes, report).code == ResultCode::ok);
  CHECK(f.claim("c-an-c", "an", "nhom-c", "2026-02-12T00:00:00Z").code == ResultCode::campaign_not_for_member);
  CHECK(f.points("an") == 500 - 2 * 100);
}

TEST_CASE("campaigns: staff cancel a claim: the points come back through the ledger to their lots, the code is void") {
  CampaignFixture f;
  f.make_platinum("an");
  f.top_up("an", 95);
  REQUIRE(f.publish(fixed_campaign()).code == ResultCode::ok);
  REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
  const std::string code = f.last_code();
  CHECK(f.store.cancel_voucher_claim("c1", " ", "staff", at("2026-02-11T00:00:00Z"), f.changes).code == ResultCode::invalid_field);
  CHECK(f.store.cancel_voucher_claim("c9", "Khách đổi ý", "staff", at("2026-02-11T00:00:00Z"), f.changes).code ==
        ResultCode::voucher_claim_not_found);
  REQUIRE(f.store.cancel_voucher_claim("c1", "Khách đổi ý", "staff", at("2026-02-11T00:00:00Z"), f.changes).code == ResultCode::ok);
  CHECK(f.points("an") == 95);
  CHECK(f.store.ledger().balance(SystemAccount::redeemed) == 0);
  REQUIRE(f.changes.transactions.size() == 1);
  CHECK(f.store.ledger().transactions()[f.changes.transactions[0]].kind == TransactionKind::voucher_claim_cancelled);
  CHECK(f.store.members()[f.member("an")].points_returned == 95);
  CHECK(f.store.cancel_voucher_claim("c1", "Khách đổi ý", "staff", at("2026-02-11T00:00:00Z"), f.changes).code ==
        ResultCode::already_applied);
  CHECK(f.order_with("V1", "an", code, 500000).code == ResultCode::voucher_code_void);
  // The quantity and the member's limit are free again.
  CHECK(f.store.campaigns().campaigns()[0].codes_live == 0);
  CHECK(f.claim("c2", "an", "tet", "2026-02-11T00:00:00Z").code == ResultCode::ok);
  f.check_invariants();
}

// [SECTION] Codes on orders ----------------------------------------------------------------------------
TEST_CASE("campaigns: an order with a voucher code: the core computes the discount and the order earns on what was paid") {
  CampaignFixture f;
  f.top_up("an", 100);
  CampaignConfig config = fixed_campaign();
  config.reward = CampaignReward{RewardKind::percentage, 0, 1000, 50000, "", ""};
  REQUIRE(f.publish(config).code == ResultCode::ok);
  REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
  const std::string code = f.last_code();
  const std::string typed = "  " + format_voucher_code(code, 0) + " ";
  // The checkout asks first: nothing changes.
  const VoucherCheck check = f.store.check_voucher(VoucherUse{typed, "an", "", 1030000, 30000}, at("2026-02-12T00:00:00Z"));
  CHECK(check.result.code == ResultCode::ok);
  CHECK(check.discount_vnd == 50000);   // 10 % of 1,000,000 goods is 100,000, capped at 50,000
  CHECK(f.store.campaigns().codes()[0].state == CodeState::unused);
  // A given discount that disagrees is refused; then the order, the earn base without it.
  CHECK(f.order_with("V1", "an", typed, 1030000, OrderStatus::completed, "2026-02-12T00:00:00Z", 30000, 40000).code ==
        ResultCode::voucher_discount_mismatch);
  REQUIRE(f.order_with("V1", "an", typed, 1030000, OrderStatus::completed, "2026-02-12T00:00:00Z", 30000).code == ResultCode::ok);
  const Order& order = f.store.orders()[f.store.find_order("V1")];
  CHECK(order.amounts.voucher_discount_vnd == 50000);
  CHECK(order.buyer_points_earned == 9);   // (1,030,000 - 50,000 - 30,000 shipping) x 1 % / 1,000 = 9.5 -> 9
  const VoucherCode& used = f.store.campaigns().codes()[0];
  CHECK(used.state == CodeState::used);
  CHECK(used.order_id == "V1");
  CHECK(used.discount_vnd == 50000);
  CHECK(f.store.campaigns().campaigns()[0].committed_vnd == 50000);
  CHECK(f.order_with("V2", "an", code, 1030000).code == ResultCode::voucher_code_used);
  // A later event of the same order may repeat the code; another code is refused.
  CHECK(f.order_with("V1", "an", code, 1030000, OrderStatus::completed, "2026-02-12T00:00:00Z", 30000).code == ResultCode::already_applied);
  f.check_invariants();
}

TEST_CASE("campaigns: refusals of a code on an order, in their order of precedence") {
  CampaignFixture f;
  f.top_up("an", 100);
  CampaignConfig config = fixed_campaign();
  config.point_cost = 0;
  config.limit_per_member = 3;
  REQUIRE(f.publish(config).code == ResultCode::ok);
  REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
  const std::string code = f.last_code();
  std::string mistyped = code;
  mistyped.back() = mistyped.back() == '2' ? '3' : '2';
  auto check = [&](const std::string& typed, const char* member, Vnd amount_vnd, const char* time = "2026-02-12T00:00:00Z") {
    return f.store.check_voucher(VoucherUse{typed, member, "", amount_vnd, 0}, at(time)).result.code;
  };
  CHECK(f.store.check_voucher(VoucherUse{"TET_1", "an", "", 500000, 0}, at("2026-02-12T00:00:00Z")).result.errors.at(0).path ==
        "voucher_code");
  CHECK(check(code, "nobody", 500000) == ResultCode::member_not_found);
  CHECK(check(mistyped, "an", 500000) == ResultCode::voucher_code_mistyped);
  CHECK(check("ABCD", "an", 500000) == ResultCode::voucher_code_not_found);
  CHECK(check(draw_voucher_code(7, "x", 0, ""), "an", 500000) == ResultCode::voucher_code_not_found);   // valid shape, unknown
  CHECK(check(code, "binh", 500000) == ResultCode::voucher_code_not_for_member);
  CHECK(check(code, "an", 199999) == ResultCode::order_below_minimum);
  CHECK(check(code, "an", 200000) == ResultCode::ok);
  CHECK(check(code, "an", 200000, "2026-01-31T23:59:59Z") == ResultCode::campaign_not_started);
  CHECK(check(code, "an", 200000, "2026-03-01T00:00:00Z") == ResultCode::campaign_expired);
  CHECK(check(code, "an", 200000, "2026-02-28T23:59:59Z") == ResultCode::ok);
  REQUIRE(f.status("tet", CampaignStatus::paused, "2026-02-12T00:00:00Z").code == ResultCode::ok);
  CHECK(check(code, "an", 200000) == ResultCode::campaign_paused);
  CHECK(check(code, "binh", 200000) == ResultCode::voucher_code_not_for_member);   // before the campaign's state
  REQUIRE(f.status("tet", CampaignStatus::visible, "2026-02-12T00:00:00Z").code == ResultCode::ok);
  REQUIRE(f.store.update_member(MemberUpdate{"an", {}, {}, {}, {}, {}, MemberStatus::blocked}, at("2026-02-12T00:00:00Z"), f.changes)
              .code == ResultCode::ok);
  CHECK(check(code, "an", 200000) == ResultCode::member_blocked);
  CHECK(f.order_with("V1", "an", mistyped, 500000).code == ResultCode::voucher_code_mistyped);
  CHECK(f.store.find_order("V1") == UINT32_MAX);   // a refused order leaves no trace
}

TEST_CASE("campaigns: use_voucher at the checkout is idempotent by order id; the order then takes its discount") {
  CampaignFixture f;
  CampaignConfig config = fixed_campaign();
  config.point_cost = 0;
  config.limit_per_member = 3;
  REQUIRE(f.publish(config).code == ResultCode::ok);
  REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
  const std::string first = f.last_code();
  REQUIRE(f.claim("c2", "an").code == ResultCode::ok);
  const std::string second = f.last_code();
  const VoucherUse use{first, "an", "V1", 300000, 0};
  REQUIRE(f.store.use_voucher(use, at("2026-02-12T00:00:00Z"), f.changes).code == ResultCode::ok);
  CHECK(f.store.use_voucher(use, at("2026-02-12T00:00:00Z"), f.changes).code == ResultCode::already_applied);
  CHECK(f.store.use_voucher(VoucherUse{second, "an", "V1", 300000, 0}, at("2026-02-12T00:00:00Z"), f.changes).code ==
        ResultCode::idempotency_key_conflict);
  CHECK(f.order_with("V1", "an", second, 300000).errors.at(0).path == "voucher_code");
  REQUIRE(f.order_with("V1", "an", first, 300000).code == ResultCode::ok);
  CHECK(f.store.orders()[f.store.find_order("V1")].amounts.voucher_discount_vnd == 50000);
  CHECK(f.store.use_voucher(VoucherUse{second, "an", "V1", 300000, 0}, at("2026-02-12T00:00:00Z"), f.changes).code ==
        ResultCode::idempotency_key_conflict);
  f.check_invariants();
}

TEST_CASE("campaigns: a full refund or a cancel gives the code back while the campaign runs, within its budget") {
  SUBCASE("full refund gives it back; a partial one does not") {
    CampaignFixture f;
    CampaignConfig config = fixed_campaign();
    config.point_cost = 0;
    REQUIRE(f.publish(config).code == ResultCode::ok);
    REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
    const std::string code = f.last_code();
    REQUIRE(f.order_with("V1", "an", code, 500000).code == ResultCode::ok);
    REQUIRE(f.store.refund_order(RefundEvent{"V1", "r1", 100000, "staff"}, at("2026-02-13T00:00:00Z"), f.changes).code == ResultCode::ok);
    CHECK(f.store.campaigns().codes()[0].state == CodeState::used);
    REQUIRE(f.store.refund_order(RefundEvent{"V1", "r2", 350000, "staff"}, at("2026-02-13T00:00:00Z"), f.changes).code == ResultCode::ok);
    CHECK(f.store.campaigns().codes()[0].state == CodeState::unused);
    CHECK(std::any_of(f.changes.events.begin(), f.changes.events.end(), [](const Event& e) { return e.kind == EventKind::voucher_returned; }));
    CHECK(f.order_with("V2", "an", code, 500000).code == ResultCode::ok);
    f.check_invariants();
  }
  SUBCASE("a placed order cancelled gives it back") {
    CampaignFixture f;
    CampaignConfig config = fixed_campaign();
    config.point_cost = 0;
    REQUIRE(f.publish(config).code == ResultCode::ok);
    REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
    const std::string code = f.last_code();
    REQUIRE(f.order_with("V1", "an", code, 500000, OrderStatus::placed).code == ResultCode::ok);
    CHECK(f.store.campaigns().codes()[0].state == CodeState::used);
    OrderEvent cancel{"V1", "an", OrderStatus::cancelled, {500000, 0, 0, 0}, "", "pos", ""};
    REQUIRE(f.store.record_order(cancel, at("2026-02-13T00:00:00Z"), f.changes).code == ResultCode::ok);
    CHECK(f.store.campaigns().codes()[0].state == CodeState::unused);
  }
  SUBCASE("not after the campaign ended") {
    CampaignFixture f;
    CampaignConfig config = fixed_campaign();
    config.point_cost = 0;
    REQUIRE(f.publish(config).code == ResultCode::ok);
    REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
    REQUIRE(f.order_with("V1", "an", f.last_code(), 500000).code == ResultCode::ok);
    REQUIRE(f.status("tet", CampaignStatus::ended, "2026-02-13T00:00:00Z").code == ResultCode::ok);
    REQUIRE(f.store.refund_order(RefundEvent{"V1", "r1", 450000, "staff"}, at("2026-02-13T00:00:00Z"), f.changes).code == ResultCode::ok);
    CHECK(f.store.campaigns().codes()[0].state == CodeState::used);
  }
  SUBCASE("not when its largest discount no longer fits the budget") {
    // Budget 120,000, codes of at most 50,000: A and B commit 100,000. A used for 10,000
    // frees 40,000 (60,000 committed), which lets C in (110,000). Giving A back would need
    // 40,000 more: 150,000 > 120,000, so A stays used.
    CampaignFixture f;
    CampaignConfig config = fixed_campaign();
    config.reward = CampaignReward{RewardKind::percentage, 0, 1000, 50000, "", ""};
    config.point_cost = 0;
    config.min_order_vnd = 0;
    config.limit_per_member = 5;
    config.budget_vnd = 120000;
    REQUIRE(f.publish(config).code == ResultCode::ok);
    REQUIRE(f.claim("a", "an").code == ResultCode::ok);
    const std::string code_a = f.last_code();
    REQUIRE(f.claim("b", "an").code == ResultCode::ok);
    CHECK(f.claim("x", "an").code == ResultCode::campaign_budget_exhausted);
    REQUIRE(f.order_with("V1", "an", code_a, 100000).code == ResultCode::ok);
    CHECK(f.store.campaigns().campaigns()[0].committed_vnd == 60000);
    REQUIRE(f.claim("c", "an").code == ResultCode::ok);
    CHECK(f.store.campaigns().campaigns()[0].committed_vnd == 110000);
    REQUIRE(f.store.refund_order(RefundEvent{"V1", "r1", 90000, "staff"}, at("2026-02-13T00:00:00Z"), f.changes).code == ResultCode::ok);
    CHECK(f.store.campaigns().codes()[0].state == CodeState::used);
    CHECK(f.store.campaigns().campaigns()[0].committed_vnd == 110000);
    f.check_invariants();
  }
}

// [SECTION] Print runs and partner codes ------------------------------------------------------------
TEST_CASE("campaigns: a campaign ends by itself at ends_at: due work the host is told of, ended for claims, uses and reads, as a replay") {
  CampaignFixture f;
  CampaignConfig config = fixed_campaign();   // 1 February to before 1 March
  config.point_cost = 0;
  config.limit_per_member = 5;
  REQUIRE(f.publish(config).code == ResultCode::ok);
  // The host's timer: nothing else is scheduled, so the next due moment is the end.
  CHECK(f.store.next_due_utc() == at("2026-03-01T00:00:00Z"));
  REQUIRE(f.claim("c1", "an").code == ResultCode::ok);
  const std::string code = f.last_code();
  // Lengthening a running campaign moves the moment; a new end at or before the clock is refused.
  config.ends_at_utc = at("2026-03-02T00:00:00Z");
  REQUIRE(f.save(config, "2026-02-11T00:00:00Z").code == ResultCode::ok);
  CHECK(f.store.next_due_utc() == at("2026-03-02T00:00:00Z"));
  CampaignConfig past = config;
  past.ends_at_utc = at("2026-02-11T00:00:00Z");
  const Result refused = f.save(past, "2026-02-11T00:00:00Z");
  REQUIRE(refused.code == ResultCode::invalid_field);
  CHECK(refused.errors.at(0).path == "campaign.ends_at");
  CampaignConfig late = fixed_campaign("cu");
  late.ends_at_utc = at("2026-02-11T00:00:00Z");
  CHECK(f.save(late, "2026-02-11T00:00:00Z").code == ResultCode::invalid_field);
  CHECK(f.store.campaigns().find_campaign("cu") == UINT32_MAX);

  auto status_read = [](const CommandRunner& runner) {
    return runner.run_read(Json{{"command", "get_campaign"}, {"campaign_id", "tet"}}, 1).result["data"]["status"];
  };
  // One second before: still visible, and reads (pure) say so whatever time they ask about.
  REQUIRE(f.store.process_due(at("2026-03-01T23:59:59Z"), f.changes).code == ResultCode::ok);
  CHECK(f.store.campaigns().campaigns()[0].status == CampaignStatus::visible);
  // The moment itself: ended; nothing more is due.
  REQUIRE(f.store.process_due(at("2026-03-02T00:00:00Z"), f.changes).code == ResultCode::ok);
  CHECK(f.store.campaigns().campaigns()[0].status == CampaignStatus::ended);
  CHECK(f.store.next_due_utc() == INT64_MAX);
  SnapshotReading copy = StoreSnapshot::read(StoreSnapshot::write(f.store));   // a runner over a copy of the store
  REQUIRE(copy.store.has_value());
  const CommandRunner after(std::move(*copy.store));
  CHECK(status_read(after) == "ended");
  // Not listed to members any more; claims and uses are refused as ended, a late order
  // dated before the end too (it is applied at the clock, which passed the end).
  const Json listed = after.run_read(Json{{"command", "list_campaigns"}, {"member_id", "an"}}, 1).result;
  CHECK(listed["data"]["campaigns"].empty());
  CHECK(f.claim("c2", "an", "tet", "2026-03-02T00:00:01Z").code == ResultCode::campaign_ended);
  CHECK(f.order_with("L1", "an", code, 500000, OrderStatus::completed, "2026-02-20T00:00:00Z").code == ResultCode::campaign_ended);
  CHECK(f.status("tet", CampaignStatus::visible, "2026-03-03T00:00:00Z").code == ResultCode::campaign_status_not_allowed);
  CHECK(f.status("tet", CampaignStatus::ended, "2026-03-03T00:00:00Z").code == ResultCode::already_applied);
  config.name = "Tết 2026, gia hạn";
  config.ends_at_utc = at("2026-04-01T00:00:00Z");
  CHECK(f.save(config, "2026-03-03T00:00:00Z").code == ResultCode::campaign_ended);
  f.check_invariants();
  // A write far later ends it the same way: a store that jumps over the end.
  CampaignFixture jump;
  REQUIRE(jump.publish(fixed_campaign()).code == ResultCode::ok);
  REQUIRE(jump.store.process_due(at("2026-05-01T00:00:00Z"), jump.changes).code == ResultCode::ok);
  CHECK(jump.store.campaigns().campaigns()[0].status == CampaignStatus::ended);
  // A snapshot keeps the status and restores the next due moment.
  CampaignFixture running;
  REQUIRE(running.publish(fixed_campaign()).code == ResultCode::ok);
  std::string bytes = StoreSnapshot::write(running.store);
  SnapshotReading reading = StoreSnapshot::read(bytes);
  REQUIRE(reading.store.has_value());
  CHECK(reading.store->next_due_utc() == at("2026-03-01T00:00:00Z"));
  // A snapshot written before campaigns ended by themselves may hold one past its end at
  // its clock (here: the clock set after the end, the checksum made again): read, it is
  // ended, as a replay of its journal would have ended it.
  REQUIRE(bytes.substr(20, 4) == "CLCK");
  const UtcSeconds later = at("2026-03-05T00:00:00Z");
  for (int i = 0; i < 8; ++i) bytes[24 + i] = static_cast<char>((static_cast<std::uint64_t>(later) >> (8 * i)) & 0xFF);
  const std::uint64_t hash = snapshot_checksum(std::string_view(bytes).substr(0, bytes.size() - 8));
  for (int i = 0; i < 8; ++i) bytes[bytes.size() - 8 + i] = static_cast<char>((hash >> (8 * i)) & 0xFF);
  SnapshotReading old = StoreSnapshot::read(bytes);
  REQUIRE_MESSAGE(old.store.has_value(), old.error);
  CHECK(old.store->clock_utc() == later);
  CHECK(old.store->campaigns().campaigns()[0].status == CampaignStatus::ended);
  CHECK(old.store->next_due_utc() == INT64_MAX);
}

TEST_CASE("campaigns: a print run of bearer codes, idempotent by batch id, within quantity; any member may use one") {
  CampaignFixture f;
  CampaignConfig config = fixed_campaign();
  config.code_prefix = "QUAY";
  config.total_quantity = 5;
  REQUIRE(f.save(config).code == ResultCode::ok);   // a draft may be printed ahead
  VoucherIssueRequest run{"in-1", "tet", 3, seed_text, {}, "owner"};
  REQUIRE(f.store.issue_voucher_codes(run, at("2026-01-20T00:00:00Z"), f.changes).code == ResultCode::ok);
  const std::vector<std::uint32_t> printed = f.changes.voucher_codes;
  REQUIRE(printed.size() == 3);
  std::set<std::string> texts;
  for (std::uint32_t index : printed) {
    const VoucherCode& code = f.store.campaigns().codes()[index];
    CHECK(code.owner == no_member);
    CHECK(code.code.substr(0, 4) == "QUAY");
    CHECK(voucher_check_valid(code.code));
    texts.insert(code.code);
  }
  CHECK(texts.size() == 3);
  CHECK(f.store.issue_voucher_codes(run, at("2026-01-20T00:00:00Z"), f.changes).code == ResultCode::already_applied);
  CHECK(f.changes.voucher_codes == printed);
  VoucherIssueRequest other = run;
  other.count = 2;
  CHECK(f.store.issue_voucher_codes(other, at("2026-01-20T00:00:00Z"), f.changes).code == ResultCode::idempotency_key_conflict);
  other.batch_id = "in-2";
  other.count = 3;
  CHECK(f.store.issue_voucher_codes(other, at("2026-01-20T00:00:00Z"), f.changes).code == ResultCode::campaign_sold_out);
  other.count = 1001;
  CHECK(f.store.issue_voucher_codes(other, at("2026-01-20T00:00:00Z"), f.changes).errors.at(0).path == "count");
  const std::string bearer = f.store.campaigns().codes()[printed[1]].code;
  CHECK(f.order_with("B1", "binh", bearer, 500000).code == ResultCode::campaign_not_published);
  REQUIRE(f.status("tet", CampaignStatus::visible).code == ResultCode::ok);
  CHECK(f.order_with("B1", "binh", bearer, 500000).code == ResultCode::ok);
  CHECK(f.order_with("B2", "cuong", bearer, 500000).code == ResultCode::voucher_code_used);
  f.check_invariants();
}

TEST_CASE("campaigns: partner codes are imported normalised; duplicates are refused with their path") {
  CampaignFixture f;
  REQUIRE(f.publish(fixed_campaign()).code == ResultCode::ok);
  auto import = [&](const std::string& batch, std::vector<std::string> codes) {
    return f.store.import_voucher_codes(VoucherIssueRequest{batch, "tet", 0, "", std::move(codes), "owner"}, at("2026-02-02T00:00:00Z"),
                                        f.changes);
  };
  const Result duplicates = import("p1", {"grab-0001", "GRAB 0001", "ab", "GR@B"});
  CHECK(duplicates.code == ResultCode::invalid_field);
  std::vector<std::string> paths;
  for (const FieldError& error : duplicates.errors) paths.push_back(error.path);
  CHECK(paths == std::vector<std::string>{"codes[1]", "codes[2]", "codes[3]"});
  REQUIRE(import("p1", {"grab-0001", "GRAB-0002"}).code == ResultCode::ok);
  CHECK(f.store.campaigns().codes()[0].code == "GRAB0001");
  CHECK(import("p1", {"grab-0001", "GRAB-0002"}).code == ResultCode::already_applied);
  CHECK(import("p1", {"grab-0001"}).code == ResultCode::idempotency_key_conflict);
  CHECK(import("p2", {"GRAB0002"}).errors.at(0).path == "codes[0]");
  CHECK(import("p3", {}).errors.at(0).path == "codes");
  CHECK(f.order_with("G1", "cuong", "grab 0002", 300000).code == ResultCode::ok);
  CHECK(f.store.campaigns().codes()[1].state == CodeState::used);
  f.check_invariants();
}

// [SECTION] A randomised run against a model --------------------------------------------------------
namespace {

struct ModelCampaign {
  std::string id;
  RewardKind kind;
  Vnd amount_vnd, max_vnd;
  BasisPoints percent_bp;
  Vnd min_order_vnd;
  Points point_cost;
  std::int64_t quantity, limit;
  Vnd budget_vnd;
  UtcSeconds starts, ends;
  CampaignStatus status = CampaignStatus::visible;
  Vnd max_discount() const { return kind == RewardKind::fixed_amount ? amount_vnd : max_vnd; }
  Vnd discount(Vnd goods, Vnd shipping) const {
    if (kind == RewardKind::fixed_amount) return std::min(amount_vnd, goods);
    if (kind == RewardKind::free_shipping) return std::min(shipping, max_vnd);
    return std::min({goods * percent_bp / 10000, max_vnd, goods});
  }
};
struct ModelCode {
  std::size_t campaign;
  std::string owner;   // empty: bearer
  CodeState state = CodeState::unused;
  Vnd discount = 0;
  std::string claim_id;
  Points points = 0;
};
struct ModelOrder {
  std::string member;
  std::string code;
  OrderStatus status;
};

struct Model {
  std::vector<ModelCampaign> campaigns;
  std::map<std::string, ModelCode> codes;           // canonical text -> code
  std::map<std::string, std::string> claims;        // claim id -> code
  std::map<std::string, ModelOrder> orders;
  std::map<std::string, std::vector<std::string>> batches;
  Points redeemed = 0;

  std::int64_t live(std::size_t c) const {
    std::int64_t n = 0;
    for (const auto& [text, code] : codes) n += code.campaign == c && code.state != CodeState::voided;
    return n;
  }
  Vnd committed(std::size_t c) const {
    Vnd sum = 0;
    for (const auto& [text, code] : codes) {
      if (code.campaign != c) continue;
      sum += code.state == CodeState::unused ? campaigns[c].max_discount() : code.state == CodeState::used ? code.discount : 0;
    }
    return sum;
  }
  std::int64_t member_claims(std::size_t c, const std::string& member) const {
    std::int64_t n = 0;
    for (const auto& [text, code] : codes) n += code.campaign == c && code.owner == member && code.state != CodeState::voided;
    return n;
  }
  std::string window(std::size_t c, UtcSeconds time) const {
    const ModelCampaign& campaign = campaigns[c];
    if (campaign.status == CampaignStatus::draft) return "campaign_not_published";
    if (campaign.status == CampaignStatus::paused) return "campaign_paused";
    if (campaign.status == CampaignStatus::ended) return "campaign_ended";
    if (time < campaign.starts) return "campaign_not_started";
    if (time >= campaign.ends) return "campaign_expired";
    return "ok";
  }
  // The store's clock reached a campaign's end: it is ended from then on.
  void end_campaigns(UtcSeconds now) {
    for (ModelCampaign& campaign : campaigns) {
      if (now >= campaign.ends) campaign.status = CampaignStatus::ended;
    }
  }
  bool gives_back(const ModelCode& code, UtcSeconds now) const {
    const ModelCampaign& campaign = campaigns[code.campaign];
    if (campaign.status == CampaignStatus::ended || now >= campaign.ends) return false;
    return campaign.budget_vnd == 0 || committed(code.campaign) + campaign.max_discount() - code.discount <= campaign.budget_vnd;
  }
};

std::string canonical_of(const Json& voucher) { return *normalize_voucher_code(voucher["code"].get<std::string>()); }

struct RandomRun {
  CommandRunner runner;
  std::vector<std::string> journal;
  std::vector<std::string> lines;
  std::map<std::string, int> tally;   // "command result" and event kinds: what the run reached
  Json apply(const std::string& line) {
    lines.push_back(line);
    CommandOutput output = runner.run_line(line, lines.size());
    tally[output.result["command"].get<std::string>() + " " + output.result["result"].get<std::string>()] += 1;
    for (const Json& event : output.result.value("events", Json::array())) tally[event["kind"].get<std::string>()] += 1;
    if (!output.journal_before.empty()) journal.push_back(output.journal_before);
    if (output.journal) journal.push_back(line);
    return output.result;
  }
};

std::vector<std::string> campaign_reads(CommandRunner& runner) {
  std::vector<std::string> lines = {R"({"command":"list_campaigns"})", R"({"command":"audit"})", R"({"command":"liability"})"};
  for (const Campaign& campaign : runner.store().campaigns().campaigns()) {
    lines.push_back(R"({"command":"get_campaign","campaign_id":")" + campaign.config.campaign_id + "\"}");
  }
  for (const Member& member : runner.store().members()) {
    lines.push_back(R"({"command":"member_vouchers","member_id":")" + member.member_id + "\"}");
    lines.push_back(R"({"command":"list_campaigns","member_id":")" + member.member_id + "\"}");
    lines.push_back(R"({"command":"ledger_history","member_id":")" + member.member_id + R"(","limit":1000})");
  }
  std::vector<std::string> answers;
  for (const std::string& line : lines) answers.push_back(runner.run_line(line, 0).result.dump());
  answers.push_back("clock " + std::to_string(runner.clock_utc()));
  return answers;
}

void random_campaign_run(std::uint64_t seed, int steps) {
  CAPTURE(seed);
  SeededRandom random{seed};
  RandomRun run;
  Model model;
  const UtcSeconds t0 = at("2026-02-01T00:00:00Z");
  UtcSeconds time = t0 - 86400;
  UtcSeconds clock = 0;
  auto stamp = [&](UtcSeconds t) {
    clock = std::max(clock, t);
    return "\"" + format_utc_time(t) + "\"";
  };
  REQUIRE(run.apply(std::string(R"({"command":"save_program","time":)") + stamp(time) +
                    R"(,"program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0},{"id":"bach_kim","name":"Bạch kim","tier_points_needed":100,"perks":[{"type":"voucher_point_discount","enabled":true,"discount_bp":500}]}]}})")["result"] == "ok");
  const std::vector<std::string> members = {"m0", "m1", "m2", "m3", "m4"};
  for (std::size_t i = 0; i < members.size(); ++i) {
    REQUIRE(run.apply(R"({"command":"create_member","time":)" + stamp(time) + R"(,"member_id":")" + members[i] + R"(","phone":"091234567)" +
                      std::to_string(i) + R"(","name":"Khách )" + std::to_string(i) + "\"}")["result"] == "ok");
    REQUIRE(run.apply(R"({"command":"adjust_points","time":)" + stamp(time) + R"(,"member_id":")" + members[i] + R"(","points":)" +
                      std::to_string(100 + random.below(300)) + R"(,"reason":"Quà","actor":"staff","idempotency_key":"gift-)" + members[i] + "\"}")["result"] == "ok");
  }
  model.campaigns = {
      {"giam50", RewardKind::fixed_amount, 50000, 0, 0, 200000, 100, 12, 2, 400000, t0, t0 + 40 * 86400},
      {"phantram", RewardKind::percentage, 0, 80000, 1000, 0, 30, 20, 3, 0, t0 + 86400, t0 + 30 * 86400},
      {"freeship", RewardKind::free_shipping, 0, 30000, 0, 0, 0, 15, 1, 300000, t0, t0 + 20 * 86400},
  };
  const char* documents[] = {
      R"({"campaign_id":"giam50","name":"Giảm 50.000 ₫","starts_at":"2026-02-01T00:00:00Z","ends_at":"2026-03-13T00:00:00Z","reward":{"kind":"fixed_amount","amount_vnd":50000},"min_order_vnd":200000,"point_cost":100,"total_quantity":12,"limit_per_member":2,"budget_vnd":400000})",
      R"({"campaign_id":"phantram","name":"Giảm 10 %","starts_at":"2026-02-02T00:00:00Z","ends_at":"2026-03-03T00:00:00Z","reward":{"kind":"percentage","percent_bp":1000,"max_discount_vnd":80000},"point_cost":30,"total_quantity":20,"limit_per_member":3,"code_prefix":"PT"})",
      R"({"campaign_id":"freeship","name":"Miễn phí giao hàng","starts_at":"2026-02-01T00:00:00Z","ends_at":"2026-02-21T00:00:00Z","reward":{"kind":"free_shipping","max_discount_vnd":30000},"total_quantity":15,"budget_vnd":300000})",
  };
  for (std::size_t c = 0; c < 3; ++c) {
    REQUIRE(run.apply(R"({"command":"save_campaign","time":)" + stamp(time) + R"(,"campaign":)" + documents[c] + "}")["result"] == "ok");
    REQUIRE(run.apply(R"({"command":"set_campaign_status","time":)" + stamp(time) + R"(,"campaign_id":")" + model.campaigns[c].id +
                      R"(","status":"visible"})")["result"] == "ok");
  }
  const Store& store = run.runner.store();
  std::vector<std::string> snapshots;   // every 50 steps, with the number of lines run before it
  std::vector<std::size_t> snapshot_lines;
  int counter = 0;
  for (int step = 0; step < steps; ++step) {
    if (step % 50 == 0) {
      snapshots.push_back(StoreSnapshot::write(store));
      snapshot_lines.push_back(run.lines.size());
      REQUIRE(store.check_invariants() == "");   // the points balance, every account against the ledger
    }
    time += random.below(6 * 3600);
    UtcSeconds when = time;
    if (random.below(10) == 0) when = std::max(t0 - 86400, when - random.below(3 * 86400));   // a late event
    const UtcSeconds now = std::max(clock, when);
    model.end_campaigns(now);
    const std::string at_text = stamp(when);
    const std::string id = std::to_string(++counter);
    const std::string member = members[static_cast<std::size_t>(random.below(5))];
    const auto c = static_cast<std::size_t>(random.below(3));
    const ModelCampaign& campaign = model.campaigns[c];
    const std::int64_t roll = random.below(100);
    CAPTURE(step);
    if (roll < 30) {
      // A claim (sometimes a retry of an earlier one).
      std::string claim_id = "c" + id;
      if (!model.claims.empty() && random.below(8) == 0) claim_id = std::next(model.claims.begin(), random.below(static_cast<std::int64_t>(model.claims.size())))->first;
      const MemberIndex index = store.find_member(member);
      const bool platinum = store.tier_status(index, now).tier_index == 1;
      const Points cost = platinum ? campaign.point_cost - campaign.point_cost * 500 / 10000 : campaign.point_cost;
      std::string expected;
      if (model.claims.count(claim_id)) {
        const ModelCode& code = model.codes.at(model.claims[claim_id]);
        expected = code.owner == member && model.campaigns[code.campaign].id == campaign.id ? "already_applied" : "idempotency_key_conflict";
      } else if ((expected = model.window(c, now)) != "ok") {
      } else if (campaign.status == CampaignStatus::hidden) {
        expected = "campaign_not_for_member";   // hidden without a target group: for nobody
      } else if (model.live(c) >= campaign.quantity) {
        expected = "campaign_sold_out";
      } else if (model.member_claims(c, member) >= campaign.limit) {
        expected = "claim_limit_reached";
      } else if (campaign.budget_vnd > 0 && model.committed(c) + campaign.max_discount() > campaign.budget_vnd) {
        expected = "campaign_budget_exhausted";
      } else if (cost > store.available_points(index)) {
        expected = "insufficient_points";
      }
      const Json result = run.apply(R"({"command":"claim_voucher","time":)" + at_text + R"(,"claim_id":")" + claim_id + R"(","member_id":")" +
                                    member + R"(","campaign_id":")" + campaign.id + R"(","seed":"seed-)" + std::to_string(seed) + "-" + id + "-abcdefgh\"}");
      if (expected.empty()) expected = "ok";
      REQUIRE_MESSAGE(result["result"] == expected, result.dump());
      if (expected == "ok") {
        const std::string text = canonical_of(result["voucher"]);
        REQUIRE(model.codes.count(text) == 0);   // never issued twice
        model.codes[text] = ModelCode{c, member, CodeState::unused, 0, claim_id, cost};
        model.claims[claim_id] = text;
        model.redeemed += cost;
      }
    } else if (roll < 55 && !model.codes.empty()) {
      // An order with a code (usually its owner's), placed or completed.
      auto picked = std::next(model.codes.begin(), random.below(static_cast<std::int64_t>(model.codes.size())));
      const std::string text = picked->first;
      ModelCode& code = picked->second;
      const std::string buyer = !code.owner.empty() && random.below(5) != 0 ? code.owner : member;
      const Vnd amounts[] = {150000, 250000, 800000, 3000000};
      const Vnd amount = amounts[random.below(4)];
      const Vnd shipping = random.below(2) == 0 ? 20000 : 40000;
      const bool placed = random.below(3) == 0;
      const ModelCampaign& of = model.campaigns[code.campaign];
      std::string expected = "ok";
      if (!code.owner.empty() && code.owner != buyer) expected = "voucher_code_not_for_member";
      else if (code.state == CodeState::voided) expected = "voucher_code_void";
      else if (code.state == CodeState::used) expected = "voucher_code_used";
      else if ((expected = model.window(code.campaign, when)) != "ok") {}
      else if (amount - shipping < of.min_order_vnd) expected = "order_below_minimum";
      std::string typed = format_voucher_code(text, 0);
      if (random.below(2) == 0) for (char& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const std::string order_id = "o" + id;
      const Json result = run.apply(R"({"command":"order","time":)" + at_text + R"(,"order_id":")" + order_id + R"(","member_id":")" + buyer +
                                    R"(","status":")" + (placed ? "placed" : "completed") + R"(","amount_vnd":)" + std::to_string(amount) +
                                    R"(,"shipping_vnd":)" + std::to_string(shipping) + R"(,"voucher_code":")" + typed + "\"}");
      REQUIRE_MESSAGE(result["result"] == expected, result.dump());
      if (expected == "ok") {
        const Vnd discount = of.discount(amount - shipping, shipping);
        REQUIRE(result["voucher"]["discount_vnd"] == discount);
        REQUIRE(store.orders()[store.find_order(order_id)].amounts.voucher_discount_vnd == discount);
        code.state = CodeState::used;
        code.discount = discount;
        model.orders[order_id] = ModelOrder{buyer, text, placed ? OrderStatus::placed : OrderStatus::completed};
      }
    } else if (roll < 68 && !model.orders.empty()) {
      // The order ends: refunded in full when completed, cancelled when placed.
      auto picked = std::next(model.orders.begin(), random.below(static_cast<std::int64_t>(model.orders.size())));
      ModelOrder& order = picked->second;
      const Order& stored = store.orders()[store.find_order(picked->first)];
      const bool completed = order.status == OrderStatus::completed;
      const bool ended = order.status == OrderStatus::refunded || order.status == OrderStatus::cancelled;
      const UtcSeconds order_time = completed ? stored.completed_at_utc : stored.placed_at_utc;
      const UtcSeconds event_time = std::max(when, order_time);   // a refund may not predate its order
      model.end_campaigns(std::max(clock, event_time));
      const Json result = run.apply(R"({"command":"order","time":)" + stamp(event_time) + R"(,"order_id":")" + picked->first +
                                    R"(","member_id":")" + order.member + R"(","status":")" + (completed || ended ? "refunded" : "cancelled") +
                                    R"(","amount_vnd":)" + std::to_string(stored.amounts.amount_vnd) + "}");
      if (ended) {
        REQUIRE_MESSAGE((result["result"] == "already_applied" || result["result"] == "order_not_completed"), result.dump());
      } else {
        REQUIRE_MESSAGE(result["result"] == "ok", result.dump());
        ModelCode& code = model.codes.at(order.code);
        const bool back = model.gives_back(code, std::max(clock, event_time));
        bool event_back = false;
        for (const Json& event : result["events"]) event_back = event_back || event["kind"] == "voucher_returned";
        REQUIRE(event_back == back);
        if (back) {
          code.state = CodeState::unused;
          code.discount = 0;
        }
        order.status = completed ? OrderStatus::refunded : OrderStatus::cancelled;
      }
    } else if (roll < 75 && !model.claims.empty()) {
      auto picked = std::next(model.claims.begin(), random.below(static_cast<std::int64_t>(model.claims.size())));
      ModelCode& code = model.codes.at(picked->second);
      const std::string expected = code.state == CodeState::voided ? "already_applied" : code.state == CodeState::used ? "voucher_code_used" : "ok";
      const Json result = run.apply(R"({"command":"cancel_voucher_claim","time":)" + at_text + R"(,"claim_id":")" + picked->first +
                                    R"(","reason":"Khách đổi ý","actor":"support"})");
      REQUIRE_MESSAGE(result["result"] == expected, result.dump());
      if (expected == "ok") {
        code.state = CodeState::voided;
        model.redeemed -= code.points;
      }
    } else if (roll < 82) {
      // A print run of bearer codes.
      const std::int64_t count = 1 + random.below(3);
      std::string expected = campaign.status == CampaignStatus::ended ? "campaign_ended" : "ok";
      if (expected == "ok" && model.live(c) + count > campaign.quantity) expected = "campaign_sold_out";
      if (expected == "ok" && campaign.budget_vnd > 0 && model.committed(c) + count * campaign.max_discount() > campaign.budget_vnd) {
        expected = "campaign_budget_exhausted";
      }
      const Json result = run.apply(R"({"command":"issue_voucher_codes","time":)" + at_text + R"(,"batch_id":"b)" + id + R"(","campaign_id":")" +
                                    campaign.id + R"(","count":)" + std::to_string(count) + R"(,"seed":"print-)" + std::to_string(seed) + "-" + id + "-abcdefgh\"}");
      REQUIRE_MESSAGE(result["result"] == expected, result.dump());
      if (expected == "ok") {
        REQUIRE(result["codes"].size() == static_cast<std::size_t>(count));
        for (const Json& printed : result["codes"]) {
          const std::string text = canonical_of(printed);
          REQUIRE(model.codes.count(text) == 0);
          model.codes[text] = ModelCode{c, "", CodeState::unused, 0, "", 0};
        }
      }
    } else if (roll < 86) {
      // A status change; ended is rare and final.
      CampaignStatus to = static_cast<CampaignStatus>(1 + random.below(3));
      if (random.below(40) == 0) to = CampaignStatus::ended;
      ModelCampaign& target = model.campaigns[c];
      const std::string expected = target.status == to ? "already_applied"
                                   : campaign_status_change_allowed(target.status, to) ? "ok" : "campaign_status_not_allowed";
      const Json result = run.apply(R"({"command":"set_campaign_status","time":)" + at_text + R"(,"campaign_id":")" + target.id +
                                    R"(","status":")" + std::string(campaign_status_name(to)) + "\"}");
      REQUIRE_MESSAGE(result["result"] == expected, result.dump());
      if (expected == "ok") target.status = to;
    } else if (roll < 92) {
      // Points to spend: an order without a voucher earns some, an adjustment gives some.
      const Json result = run.apply(R"({"command":"order","time":)" + at_text + R"(,"order_id":"e)" + id + R"(","member_id":")" + member +
                                    R"(","status":"completed","amount_vnd":)" + std::to_string(500000 + random.below(4) * 500000) + "}");
      REQUIRE(result["result"] == "ok");
    } else if (roll < 96) {
      run.apply(R"({"command":"process_due","time":)" + stamp(time + random.below(86400)) + "}");
      model.end_campaigns(clock);
    } else {
      // A read at the checkout: what the model says an order would get.
      run.apply(R"({"command":"list_campaigns","member_id":")" + member + "\"}");
    }
    // After every command: the model's counts and the store's agree, within every limit.
    for (std::size_t k = 0; k < model.campaigns.size(); ++k) {
      const Campaign& stored = store.campaigns().campaigns()[k];
      REQUIRE(stored.codes_live == model.live(k));
      REQUIRE(stored.committed_vnd == model.committed(k));
      REQUIRE(stored.codes_live <= stored.config.total_quantity);
      if (stored.config.budget_vnd > 0) REQUIRE(stored.committed_vnd <= stored.config.budget_vnd);
      for (const std::string& who : members) REQUIRE(model.member_claims(k, who) <= stored.config.limit_per_member);
    }
    REQUIRE(store.ledger().balance(SystemAccount::redeemed) == model.redeemed);
    REQUIRE(store.campaigns().codes().size() == model.codes.size());
  }
  REQUIRE(store.check_invariants() == "");
  // The run reaches the rules it is meant to check.
  for (const char* reached : {"claim_voucher ok", "claim_voucher claim_limit_reached", "order ok", "voucher_used", "voucher_returned",
                              "cancel_voucher_claim ok", "issue_voucher_codes ok"}) {
    CHECK_MESSAGE(run.tally[reached] > 0, reached);
  }
  std::string reached_text;
  for (const auto& [what, count] : run.tally) reached_text += what + " " + std::to_string(count) + "; ";
  MESSAGE(reached_text);
  for (const auto& [text, code] : model.codes) {
    const std::uint32_t index = store.campaigns().find_code(text);
    REQUIRE(index != UINT32_MAX);
    CHECK(store.campaigns().codes()[index].state == code.state);
  }
  // Replay of the journal, and every snapshot with the rest of the lines, answer alike.
  const std::vector<std::string> expected = campaign_reads(run.runner);
  CommandRunner replayed;
  for (std::size_t j = 0; j < run.journal.size(); ++j) REQUIRE_MESSAGE(replayed.replay_line(run.journal[j], j + 1).journal, run.journal[j]);
  CHECK(campaign_reads(replayed) == expected);
  // Byte for byte: the same codes, claims and batches, and nothing a refused command left.
  CHECK(StoreSnapshot::write(replayed.store()) == StoreSnapshot::write(store));
  for (std::size_t s = 0; s < snapshots.size(); ++s) {
    SnapshotReading reading = StoreSnapshot::read(snapshots[s]);
    REQUIRE_MESSAGE(reading.store.has_value(), reading.error);
    CommandRunner restored(std::move(*reading.store));
    for (std::size_t k = snapshot_lines[s]; k < run.lines.size(); ++k) restored.run_line(run.lines[k], k + 1);
    REQUIRE(campaign_reads(restored) == expected);
  }
}

}  // namespace

TEST_CASE("campaigns: randomised claims, uses, refunds, cancels, print runs and late events match the model (seed 1)") {
  random_campaign_run(1, 400);
}

TEST_CASE("campaigns: randomised, seeds 2 to 5") {
  for (std::uint64_t seed = 2; seed <= 5; ++seed) random_campaign_run(seed, 300);
}
