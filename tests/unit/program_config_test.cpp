#include <doctest/doctest.h>

#include <algorithm>

#include "core/program/program_config.hpp"

using namespace loyalty;

namespace {
Json valid_program_json() {
  return Json::parse(R"({
    "program_name": "Cà phê Sáng",
    "time_zone": "Asia/Ho_Chi_Minh",
    "wallet": {"initial_pool_points": 1000000000, "point_value_vnd": 1000, "buyer_earn_rate_bp": 100,
               "referrer_earn_rate_bp": 50, "rounding": "down"},
    "tier_points": {"vnd_per_tier_point": 20000, "window_months": 12},
    "tiers": [
      {"id": "bac", "name": "Bạc", "tier_points_needed": 0},
      {"id": "vang", "name": "Vàng", "tier_points_needed": 500,
       "perks": [{"type": "earning_multiplier", "enabled": true, "multiplier_bp": 12000}]},
      {"id": "bach_kim", "name": "Bạch kim", "tier_points_needed": 2000,
       "perks": [{"type": "voucher_point_discount", "enabled": true, "discount_bp": 500},
                 {"type": "private_price_list", "enabled": false, "price_list_id": "vip"}]}
    ]})");
}
bool has_error(const ProgramConfigReading& reading, std::string_view path) {
  return std::any_of(reading.errors.begin(), reading.errors.end(), [&](const FieldError& error) { return error.path == path; });
}
}  // namespace

TEST_CASE("a valid program reads, and writes back to the same JSON") {
  const ProgramConfigReading reading = read_program_config(valid_program_json());
  REQUIRE(reading.errors.empty());
  REQUIRE(reading.config.has_value());
  const ProgramConfig& config = *reading.config;
  CHECK(config.program_name == "Cà phê Sáng");
  CHECK(config.wallet.point_value_vnd == 1000);
  CHECK(config.tiers.size() == 3);
  CHECK(config.tiers[1].perks[0].multiplier_bp == 12000);
  const ProgramConfigReading again = read_program_config(program_config_to_json(config));
  REQUIRE(again.config.has_value());
  CHECK(program_config_to_json(*again.config) == program_config_to_json(config));
}

TEST_CASE("validation returns every error at once, with JSON paths and both languages") {
  Json document = valid_program_json();
  document["wallet"]["point_value_vnd"] = 0;
  document["wallet"]["buyer_earn_rate_bp"] = 1.5;
  document["wallet"]["rounding"] = "nearest";
  document["tiers"][2]["tier_points_needed"] = -5;
  document["tiers"][1]["perks"][0]["type"] = "cashback";
  document["tier_point"] = 3;  // a typo
  const ProgramConfigReading reading = read_program_config(document);
  CHECK_FALSE(reading.config.has_value());
  CHECK(has_error(reading, "wallet.point_value_vnd"));
  CHECK(has_error(reading, "wallet.buyer_earn_rate_bp"));
  CHECK(has_error(reading, "wallet.rounding"));
  CHECK(has_error(reading, "tiers[2].tier_points_needed"));
  CHECK(has_error(reading, "tiers[1].perks[0].type"));
  CHECK(has_error(reading, "tier_point"));
  CHECK(reading.errors.size() == 6);
  for (const FieldError& error : reading.errors) {
    CHECK_FALSE(error.message_vi.empty());
    CHECK_FALSE(error.message_en.empty());
  }
  const auto negative = std::find_if(reading.errors.begin(), reading.errors.end(),
                                     [](const FieldError& error) { return error.path == "tiers[2].tier_points_needed"; });
  CHECK(negative->message_en == "must not be negative");
  CHECK(negative->message_vi == "không được âm");
}

TEST_CASE("tiers must have unique ids and strictly rising thresholds") {
  Json document = valid_program_json();
  document["tiers"][1]["id"] = "bac";
  document["tiers"][2]["tier_points_needed"] = 500;
  const ProgramConfigReading reading = read_program_config(document);
  CHECK(has_error(reading, "tiers[1].id"));
  CHECK(has_error(reading, "tiers[2].tier_points_needed"));
}

TEST_CASE("perks need their parameters, and count only when enabled") {
  Json document = valid_program_json();
  document["tiers"][2]["perks"][0].erase("discount_bp");
  CHECK(has_error(read_program_config(document), "tiers[2].perks[0].discount_bp"));

  const ProgramConfig config = *read_program_config(valid_program_json()).config;
  CHECK(config.enabled_perks(2).size() == 1);   // the price list perk is not ticked
  CHECK(config.enabled_perks(-1).empty());
  CHECK(config.earning_multiplier_bp(1) == 12000);
  CHECK(config.earning_multiplier_bp(0) == 10000);
}

TEST_CASE("the tier is the highest whose threshold is reached") {
  const ProgramConfig config = *read_program_config(valid_program_json()).config;
  CHECK(config.tier_index_for(0) == 0);
  CHECK(config.tier_index_for(499) == 0);
  CHECK(config.tier_index_for(500) == 1);
  CHECK(config.tier_index_for(1999) == 1);
  CHECK(config.tier_index_for(2000) == 2);
  CHECK(config.tier_index_for(1'000'000) == 2);
  ProgramConfig no_base = config;
  no_base.tiers.erase(no_base.tiers.begin());
  CHECK(no_base.tier_index_for(10) == -1);
}

TEST_CASE("a document that is not an object, or misses the wallet, is refused") {
  CHECK(has_error(read_program_config(Json::array()), "$"));
  Json document = valid_program_json();
  document.erase("wallet");
  CHECK(has_error(read_program_config(document), "wallet"));
  document = valid_program_json();
  document["wallet"]["point_value_vnd"] = 18446744073709551615ULL;
  CHECK(has_error(read_program_config(document), "wallet.point_value_vnd"));
  document = valid_program_json();
  document["time_zone"] = "Europe/Nowhere";
  CHECK(has_error(read_program_config(document), "time_zone"));
}

TEST_CASE("the example program is valid") {
  const ProgramConfigReading reading = read_program_config(program_config_to_json(example_program_config()));
  CHECK(reading.errors.empty());
}

TEST_CASE("a tier may have an English name, used by the English rules") {
  Json document = Json::parse(R"({"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100},
    "tiers":[{"id":"vang","name":"Vàng","name_en":"Gold","tier_points_needed":0}]})");
  const ProgramConfigReading reading = read_program_config(document);
  REQUIRE(reading.config.has_value());
  CHECK(reading.config->tiers[0].name_en == "Gold");
  CHECK(program_config_to_json(*reading.config)["tiers"][0]["name_en"] == "Gold");
}
