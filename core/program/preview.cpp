#include "core/program/preview.hpp"

namespace loyalty {

OrderPreview preview_order(const ProgramConfig& config, const std::optional<MemberPreviewState>& member,
                           const OrderAmounts& amounts) {
  OrderPreview preview;
  preview.tier_points_before = member ? member->tier_points : 0;
  preview.tier_before = config.tier_index_for(preview.tier_points_before);
  preview.earning = compute_earning(config, amounts, preview.tier_before, member ? member->has_referrer : true);
  if (preview.earning.code != ResultCode::ok) return preview;
  preview.tier_points_after = preview.tier_points_before + preview.earning.tier_points;
  preview.tier_after = config.tier_index_for(preview.tier_points_after);
  if (preview.tier_after + 1 < static_cast<std::int32_t>(config.tiers.size())) {
    preview.next_tier_index = preview.tier_after + 1;
    preview.tier_points_to_next =
        config.tiers[static_cast<std::size_t>(preview.next_tier_index)].tier_points_needed - preview.tier_points_after;
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
