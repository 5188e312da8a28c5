// preview.hpp: "what does a customer get for this order?" without changing anything.
//
// A pure function of the configuration, optionally a member's state, and a hypothetical
// order. It calls the same earning rule order completion uses, so what the console
// previews and what the server posts cannot disagree.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/program/earning.hpp"
#include "core/program/program_config.hpp"
#include "core/program/rules_text.hpp"

namespace loyalty {

struct MemberPreviewState {
  TierPoints tier_points = 0;   // tier points within the window at the order's time
  bool has_referrer = false;
};

struct OrderPreview {
  EarningBreakdown earning;
  std::int32_t tier_before = -1;
  std::int32_t tier_after = -1;
  TierPoints tier_points_before = 0;
  TierPoints tier_points_after = 0;
  std::int32_t next_tier_index = -1;          // after the order; -1 at the top
  TierPoints tier_points_to_next = 0;
  std::vector<const Perk*> perks_applying;    // enabled perks of the tier the order is made in that act on an order (not the birthday bonus)
  std::vector<const Perk*> perks_unlocked;    // enabled perks of a higher tier the order reaches
};

// Without a member, the order is previewed for a new member with a referrer, so that the
// referrer's share shows too.
OrderPreview preview_order(const ProgramConfig& config, const std::optional<MemberPreviewState>& member,
                           const OrderAmounts& amounts);

}  // namespace loyalty
