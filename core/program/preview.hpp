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

struct TierState;

struct MemberPreviewState {
  TierPoints tier_points = 0;   // tier points within the window at the order's time
  bool has_referrer = false;
  std::int64_t measure = -1;             // what tiers qualify by (-1: tier_points)
  std::int32_t tier_index = -2;          // the member's tier with retention or a manual tier (-2: by the measure)
  bool first_order = false;              // no completed order yet: the first-order and referral bonuses apply
  std::uint32_t tier_up_bonus_tiers = 0; // tiers whose tier-up bonus the member already had
  // The member's retention and manual tier (Store::tier_state), read at `time`: with it the
  // tiers before and after come from tier_with_rules and tier_index is not read.
  const TierState* tier_state = nullptr;
  UtcSeconds time_utc = 0;
};

// What keeps the member in the tier after the order.
enum class TierHeldBy : std::uint8_t {
  measure,         // the measure in its period reaches it
  retention,       // kept until its safe-until date
  manual,          // assigned by staff, until its end
  one_step_fall,   // the measure reaches lower, but a review moves down one tier at most
};
std::string_view tier_held_by_name(TierHeldBy held_by);

// Why the member's tier stays or changes, in data.
struct TierExplanation {
  std::int64_t measure_before = 0;          // what the program qualifies by (tier points, VND or orders), in its period
  std::int64_t measure_after = 0;
  std::int32_t qualified_tier_before = -1;  // the tier the measure alone reaches
  std::int32_t qualified_tier_after = -1;
  TierHeldBy held_by = TierHeldBy::measure;
  UtcSeconds safe_until_utc = 0;            // retention: the tier cannot fall before (0: not known)
  UtcSeconds manual_ends_at_utc = 0;
};

// A bonus the previewed order would give (core/bonuses): "first_order", "referral", "tier_up".
struct PreviewBonus {
  std::string kind;
  bool to_referrer = false;
  Points points = 0;
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
  std::vector<PreviewBonus> bonuses;
  TierExplanation tier_explanation;
};

// Without a member, the order is previewed for a new member with a referrer, so that the
// referrer's share shows too.
// `context` carries the order's lines and the promotion in force (promotion_for).
OrderPreview preview_order(const ProgramConfig& config, const std::optional<MemberPreviewState>& member,
                           const OrderAmounts& amounts, const EarningContext& context = {});

// The tier explanation in words, dates in the store's zone: "Giữ hạng Vàng đến 15/06/2027: ...".
std::string describe_tier_explanation(const ProgramConfig& config, const OrderPreview& preview, Language language);
std::string_view tier_period_name(const ProgramConfig& config);   // "lifetime", "window", "calendar_year"

}  // namespace loyalty
