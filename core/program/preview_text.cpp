// preview_text.cpp: the preview's tier explanation in words, Vietnamese and English.
#include "core/program/preview.hpp"

namespace loyalty {

std::string_view tier_held_by_name(TierHeldBy held_by) {
  switch (held_by) {
    case TierHeldBy::measure: return "measure";
    case TierHeldBy::retention: return "retention";
    case TierHeldBy::manual: return "manual";
    case TierHeldBy::one_step_fall: return "one_step_fall";
  }
  return "measure";
}

std::string_view tier_period_name(const ProgramConfig& config) {
  if (config.tier_points.calendar_year_start_month != 0) return "calendar_year";
  return config.tier_points.window_months > 0 ? "window" : "lifetime";
}

namespace {
std::string tier_name(const ProgramConfig& config, std::int32_t tier_index, Language language) {
  if (tier_index < 0 || tier_index >= static_cast<std::int32_t>(config.tiers.size())) {
    return language == Language::vi ? "chưa có hạng" : "no tier";
  }
  return tier_display_name(config.tiers[static_cast<std::size_t>(tier_index)], language);
}

// "5.200.000 ₫ chi tiêu trong 12 tháng gần nhất"
std::string measure_in_period(const ProgramConfig& config, std::int64_t value, Language language) {
  const bool vi = language == Language::vi;
  std::string text = describe_threshold(config, value, language);
  const std::string months = std::to_string(config.tier_points.window_months);
  const std::string start_month = std::to_string(config.tier_points.calendar_year_start_month);
  if (config.tier_points.calendar_year_start_month != 0) {
    return text + (vi ? " trong năm tính từ ngày 1 tháng " + start_month : " in the year from the 1st of month " + start_month);
  }
  if (config.tier_points.window_months > 0) return text + (vi ? " trong " + months + " tháng gần nhất" : " in the last " + months + " months");
  return text + (vi ? " từ khi tham gia" : " since joining");
}
}  // namespace

std::string describe_tier_explanation(const ProgramConfig& config, const OrderPreview& preview, Language language) {
  const bool vi = language == Language::vi;
  const TierExplanation& explanation = preview.tier_explanation;
  const std::string after = tier_name(config, preview.tier_after, language);
  const std::string measured = measure_in_period(config, explanation.measure_after, language);
  const std::string reaches = tier_name(config, explanation.qualified_tier_after, language);
  auto threshold = [&](std::int32_t tier_index) {
    return describe_threshold(config, config.tiers[static_cast<std::size_t>(tier_index)].tier_points_needed, language);
  };
  // "(hạng Vàng cần 500 điểm phân hạng)"; nothing for a tier that needs nothing.
  auto needs = [&](std::int32_t tier_index) -> std::string {
    const std::int64_t needed = config.tiers[static_cast<std::size_t>(tier_index)].tier_points_needed;
    if (needed <= 0) return "";
    const std::string name = tier_name(config, tier_index, language);
    return vi ? " (hạng " + name + " cần " + threshold(tier_index) + ")" : " (" + name + " needs " + threshold(tier_index) + ")";
  };
  switch (explanation.held_by) {
    case TierHeldBy::manual: {
      const std::string until = format_local_date(explanation.manual_ends_at_utc, config.time_zone);
      return vi ? "Hạng " + after + " do cửa hàng gán đến " + until + " (" + measured + " chỉ đạt: " + reaches + ")."
                : after + " is assigned by the store until " + until + " (" + measured + " only reaches: " + reaches + ").";
    }
    case TierHeldBy::retention: {
      const std::string short_of = " (" + measured + (vi ? ", hạng " + after + " cần " : "; " + after + " needs ") + threshold(preview.tier_after) + ")";
      if (explanation.safe_until_utc == 0) return vi ? "Giữ hạng " + after + short_of + "." : "Keeps " + after + short_of + ".";
      const std::string until = format_local_date(explanation.safe_until_utc, config.time_zone);
      return vi ? "Giữ hạng " + after + " đến " + until + short_of + "." : "Keeps " + after + " until " + until + short_of + ".";
    }
    case TierHeldBy::one_step_fall:
      return vi ? "Xuống hạng " + after + ": mỗi lần xét chỉ xuống một hạng (" + measured + " chỉ đạt: " + reaches + ")."
                : "Falls to " + after + " only: one tier down per review (" + measured + " only reaches: " + reaches + ").";
    case TierHeldBy::measure: break;
  }
  if (preview.tier_after < 0) {
    if (config.tiers.empty()) return vi ? "Chương trình chưa có hạng." : "The program has no tiers.";
    return vi ? "Chưa có hạng: " + measured + ", hạng " + tier_name(config, 0, language) + " cần " + threshold(0) + "."
              : "No tier yet: " + measured + "; " + tier_name(config, 0, language) + " needs " + threshold(0) + ".";
  }
  if (preview.tier_after > preview.tier_before) {
    return vi ? "Lên hạng " + after + " nhờ " + measured + needs(preview.tier_after) + "."
              : "Reaches " + after + " by " + measured + needs(preview.tier_after) + ".";
  }
  return vi ? "Ở hạng " + after + " nhờ " + measured + needs(preview.tier_after) + "."
            : "Stays in " + after + " by " + measured + needs(preview.tier_after) + ".";
}

}  // namespace loyalty
