// rules_text.hpp: the program in plain words, generated from its configuration, so that
// customers can read the rules they are under (a classic failure of loyalty programs is
// rules that members do not understand).
#pragma once
#include <string>

#include "core/program/earning.hpp"
#include "core/program/program_config.hpp"

namespace loyalty {

enum class Language : std::uint8_t { vi, en };

std::string describe_perk(const Perk& perk, Language language);          // "Tích điểm x1,5"
const std::string& tier_display_name(const Tier& tier, Language language);  // "Vàng", or "Gold" in English when set
std::string describe_multiplier(BasisPoints multiplier_bp, Language language);  // "x1,5" / "x1.5"
// The whole program: earning, referral, tier points, each tier with its perks.
std::string describe_program(const ProgramConfig& config, Language language);
// The newer rules in sentences (lines, promotions, bonuses, tier qualification, retention);
// empty for a program without them, so that its text is as it always was.
std::string describe_program_rules(const ProgramConfig& config, Language language);
std::string describe_threshold(const ProgramConfig& config, std::int64_t threshold, Language language);   // "500 điểm phân hạng"
// "1.000.000 ₫ × 1 % ÷ 1.000 ₫/điểm = 10 điểm (làm tròn xuống)"
std::string describe_buyer_formula(const EarningBreakdown& earning, Language language);
std::string describe_referrer_formula(const EarningBreakdown& earning, Language language);
std::string describe_tier_formula(const EarningBreakdown& earning, Language language);

}  // namespace loyalty
