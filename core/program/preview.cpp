#include "core/program/preview.hpp"

#include <algorithm>

#include "core/store.hpp"

namespace loyalty {

OrderPreview preview_order(const ProgramConfig& config, const std::optional<MemberPreviewState>& member,
                           const OrderAmounts& amounts, const EarningContext& context) {
  OrderPreview preview;
  preview.tier_points_before = member ? member->tier_points : 0;
  // Tiers qualify by tier points unless the program says spend or orders.
  const std::int64_t measure_before = member && member->measure >= 0 ? member->measure : preview.tier_points_before;
  const TierState* state = member ? member->tier_state : nullptr;
  const UtcSeconds time = member ? member->time_utc : 0;
  TierExplanation& explanation = preview.tier_explanation;
  explanation.measure_before = measure_before;
  explanation.qualified_tier_before = config.tier_index_for(measure_before);
  // The store's own tier rules (retention, a manual tier), not a copy of them.
  preview.tier_before = state != nullptr                           ? tier_with_rules(*state, config, explanation.qualified_tier_before, time)
                        : member && member->tier_index != -2 ? member->tier_index
                                                             : explanation.qualified_tier_before;
  const bool has_referrer = member ? member->has_referrer : true;
  preview.earning = compute_earning(config, amounts, preview.tier_before, has_referrer, context);
  if (preview.earning.code != ResultCode::ok) return preview;
  // Without a member the order is a new member's first.
  const BonusConfig& bonuses = config.bonuses;
  if (!member || member->first_order) {
    if (bonuses.first_order_points > 0) preview.bonuses.push_back({"first_order", false, bonuses.first_order_points});
    if (has_referrer && (bonuses.referral_referrer_points > 0 || bonuses.referral_new_member_points > 0)) {
      if (bonuses.referral_new_member_points > 0) preview.bonuses.push_back({"referral", false, bonuses.referral_new_member_points});
      if (bonuses.referral_referrer_points > 0) preview.bonuses.push_back({"referral", true, bonuses.referral_referrer_points});
      if (bonuses.referral_instead_of_percentage) {
        preview.earning.referrer_points = 0;
        for (LineEarning& line : preview.earning.lines) line.referrer_points = 0;
      }
    }
  }
  preview.tier_points_after = preview.tier_points_before + preview.earning.tier_points;
  std::int64_t measure_after = preview.tier_points_after;
  if (config.tier_points.qualify_by == TierMeasure::spend_vnd) measure_after = measure_before + preview.earning.earn_base_vnd;
  if (config.tier_points.qualify_by == TierMeasure::order_count) measure_after = measure_before + 1;
  explanation.measure_after = measure_after;
  explanation.qualified_tier_after = config.tier_index_for(measure_after);
  const std::int32_t after_by_rules =
      state != nullptr ? tier_with_rules(*state, config, explanation.qualified_tier_after, time) : explanation.qualified_tier_after;
  preview.tier_after = std::max(preview.tier_before, after_by_rules);
  if (preview.tier_after > explanation.qualified_tier_after) {
    // Held above what the measure reaches: by the same conditions tier_with_rules reads.
    explanation.held_by = TierHeldBy::retention;
    if (state != nullptr && !state->manual_tier_id.empty() && time < state->manual_tier_ends_at_utc &&
        preview.tier_after == config.tier_index_by_id(state->manual_tier_id)) {
      explanation.held_by = TierHeldBy::manual;
      explanation.manual_ends_at_utc = state->manual_tier_ends_at_utc;
    } else if (state != nullptr) {
      const UtcSeconds safe_until = add_months(state->tier_since_utc, config.tier_retention.keep_months, config.time_zone);
      if (config.tier_retention.keep_months > 0 && time < safe_until) {
        explanation.safe_until_utc = safe_until;
      } else if (config.tier_retention.fall_at_most_one_tier) {
        explanation.held_by = TierHeldBy::one_step_fall;
      }
    }
  }
  if (preview.tier_after + 1 < static_cast<std::int32_t>(config.tiers.size())) {
    preview.next_tier_index = preview.tier_after + 1;
    preview.tier_points_to_next =
        config.tiers[static_cast<std::size_t>(preview.next_tier_index)].tier_points_needed - measure_after;
  }
  // Every tier reached on the way up gives its tier-up bonus once, lowest first.
  for (std::int32_t reached = std::max<std::int32_t>(preview.tier_before + 1, 0); reached <= preview.tier_after && reached < 32; ++reached) {
    const Points tier_up = config.tiers[static_cast<std::size_t>(reached)].tier_up_bonus_points;
    const bool had = member && (member->tier_up_bonus_tiers & (1u << static_cast<unsigned>(reached))) != 0;
    if (tier_up > 0 && !had) preview.bonuses.push_back({"tier_up", false, tier_up});
  }
  // The birthday bonus is the member's on their birthday, not something an order gets.
  const std::vector<const Perk*> held = config.enabled_perks(preview.tier_before);
  for (const Perk* perk : held) {
    if (perk->type != PerkType::birthday_bonus) preview.perks_applying.push_back(perk);
  }
  if (preview.tier_after > preview.tier_before) {
    for (const Perk* perk : config.enabled_perks(preview.tier_after)) {
      bool already = false;
      for (const Perk* kept : held) already = already || *kept == *perk;
      if (!already) preview.perks_unlocked.push_back(perk);
    }
  }
  return preview;
}

}  // namespace loyalty
