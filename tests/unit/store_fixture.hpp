// store_fixture.hpp: a store with the seed program and a few members, for the store tests.
#pragma once
#include <doctest/doctest.h>

#include <string>

#include "core/store.hpp"

namespace loyalty::testing {

inline UtcSeconds at(const char* iso_time) {
  const auto parsed = parse_utc_time(iso_time);
  REQUIRE(parsed.has_value());
  return *parsed;
}

inline ProgramConfig seed_program(std::int32_t window_months = 0) {
  ProgramConfig config;
  config.wallet.point_value_vnd = 1000;
  config.wallet.buyer_earn_rate_bp = 100;
  config.wallet.referrer_earn_rate_bp = 50;
  config.tier_points.vnd_per_tier_point = 20000;
  config.tier_points.window_months = window_months;
  Perk multiplier{PerkType::earning_multiplier, true};
  multiplier.multiplier_bp = 15000;
  config.tiers = {Tier{"bac", "Bạc", "Silver", "", 0, {}}, Tier{"vang", "Vàng", "Gold", "", 500, {}},
                  Tier{"bach_kim", "Bạch kim", "Platinum", "", 2000, {multiplier}}};
  return config;
}

struct StoreFixture {
  Store store;
  Changes changes;

  explicit StoreFixture(std::int32_t window_months = 0) {
    REQUIRE(store.save_program(seed_program(window_months), at("2026-01-01T00:00:00Z"), "owner", changes).code == ResultCode::ok);
  }
  MemberIndex add_member(const std::string& member_id, const std::string& phone, const std::string& name,
                         const std::string& referrer_id = "") {
    NewMember member;
    member.member_id = member_id;
    member.phone = phone;
    member.name = name;
    member.referrer_id = referrer_id;
    const Result result = store.create_member(member, at("2026-01-02T00:00:00Z"), changes);
    REQUIRE(result.code == ResultCode::ok);
    return changes.created_member;
  }
  Result order(const std::string& order_id, const std::string& member_id, Vnd amount_vnd, OrderStatus status,
               const char* time = "2026-02-01T10:00:00Z") {
    OrderEvent event;
    event.order_id = order_id;
    event.member_id = member_id;
    event.amounts.amount_vnd = amount_vnd;
    event.status = status;
    event.actor = "pos";
    return store.record_order(event, at(time), changes);
  }
  Result refund(const std::string& order_id, const std::string& refund_id, Vnd amount_vnd,
                const char* time = "2026-02-05T10:00:00Z") {
    return store.refund_order(RefundEvent{order_id, refund_id, amount_vnd, "staff"}, at(time), changes);
  }
  Points points(MemberIndex member) const { return store.ledger().balance(member, MemberAccount::points); }
  TierPoints tier_points(MemberIndex member) const { return store.ledger().balance(member, MemberAccount::tier_points); }
  void check_invariants() const { CHECK(store.check_invariants() == ""); }
};

}  // namespace loyalty::testing
