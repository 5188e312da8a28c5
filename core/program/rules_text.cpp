#include "core/program/rules_text.hpp"

#include <algorithm>

namespace loyalty {

namespace {
std::string money(Vnd amount_vnd, Language language) {
  return language == Language::vi ? format_vnd(amount_vnd) : format_grouped_en(amount_vnd) + " VND";
}
std::string number(std::int64_t value, Language language) {
  return language == Language::vi ? format_grouped(value) : format_grouped_en(value);
}
std::string percent(BasisPoints value, Language language) {
  return language == Language::vi ? format_basis_points_percent(value) : format_basis_points_percent_en(value);
}
// A fraction as a decimal, the value before rounding: exact when it ends within six
// decimals (12,34567; 0,00999), else six decimals after "≈" (≈ 0,333333). Never cut short:
// a formula that says "= 12,34 → 12" for 12,34567 would not add up.
std::string exact_value(__int128 numerator, __int128 denominator, Language language) {
  constexpr int max_decimals = 6;
  const __int128 whole = numerator / denominator;
  __int128 remainder = numerator % denominator;
  std::string decimals;
  for (int digit = 0; digit < max_decimals && remainder != 0; ++digit) {
    remainder *= 10;
    decimals.push_back(static_cast<char>('0' + static_cast<int>(remainder / denominator)));
    remainder %= denominator;
  }
  while (!decimals.empty() && decimals.back() == '0') decimals.pop_back();
  std::string text = remainder != 0 ? "≈ " : "";
  text += number(static_cast<std::int64_t>(whole), language);
  if (!decimals.empty()) {
    text.push_back(language == Language::vi ? ',' : '.');
    text += decimals;
  }
  return text;
}
std::string rounding_label(Rounding rounding, Language language) {
  return std::string(language == Language::vi ? rounding_label_vi(rounding) : rounding_label_en(rounding));
}
// With lines, what earns: the bases of the lines not excluded, and shipping's share when it earns.
Vnd earning_base_of(const EarningBreakdown& earning) {
  if (earning.lines.empty()) return earning.earn_base_vnd;
  Vnd base = earning.earn_base_vnd;
  for (const LineEarning& line : earning.lines) {
    if (line.excluded) base -= line.earn_base_vnd;
  }
  return base;
}
// "; dưới mức tối thiểu 200.000 ₫: 0 điểm" / "; at most 5 points per order"
std::string limits_note(const EarningBreakdown& earning, Language language) {
  const bool vi = language == Language::vi;
  std::string text;
  if (earning.below_minimum) text += vi ? "; đơn dưới mức tối thiểu nên không được tích điểm" : "; below the minimum order, so no points";
  if (earning.points_over_maximum > 0) {
    text += vi ? "; tối đa " + number(earning.buyer_points, language) + " điểm mỗi đơn"
               : "; at most " + number(earning.buyer_points, language) + " points per order";
  }
  return text;
}
std::string local_day(UtcSeconds time, const TimeZone& zone) { return format_local_date_time(time, zone); }
}  // namespace

std::string describe_multiplier(BasisPoints multiplier_bp, Language language) {
  return "x" + exact_value(multiplier_bp, basis_points_per_whole, language);
}

const std::string& tier_display_name(const Tier& tier, Language language) {
  return language == Language::en && !tier.name_en.empty() ? tier.name_en : tier.name;
}

std::string describe_perk(const Perk& perk, Language language) {
  const bool vi = language == Language::vi;
  switch (perk.type) {
    case PerkType::voucher_point_discount:
      return vi ? "Đổi voucher ít hơn " + percent(perk.discount_bp, language) + " điểm"
                : "Vouchers cost " + percent(perk.discount_bp, language) + " fewer points";
    case PerkType::private_price_list:
      // The list's id is the shop's internal key; customers read what it is, when the shop
      // wrote it in the perk's note, or only that it exists.
      if (vi && !perk.text_vi.empty()) return "Bảng giá riêng: " + perk.text_vi;
      if (!vi && !perk.text_en.empty()) return "Private price list: " + perk.text_en;
      return vi ? "Bảng giá riêng cho thành viên hạng này" : "A private price list for this tier's members";
    case PerkType::earning_multiplier:
      return vi ? "Tích điểm " + describe_multiplier(perk.multiplier_bp, language)
                : "Earn points " + describe_multiplier(perk.multiplier_bp, language);
    case PerkType::birthday_bonus:
      return vi ? "Tặng " + number(perk.birthday_bonus_points, language) + " điểm vào ngày sinh nhật"
                : number(perk.birthday_bonus_points, language) + " bonus points on your birthday";
    case PerkType::free_shipping:
      if (perk.free_shipping_min_order_vnd == 0) return vi ? "Miễn phí vận chuyển" : "Free shipping";
      return vi ? "Miễn phí vận chuyển cho đơn từ " + money(perk.free_shipping_min_order_vnd, language)
                : "Free shipping on orders from " + money(perk.free_shipping_min_order_vnd, language);
    case PerkType::custom:
      return vi || perk.text_en.empty() ? perk.text_vi : perk.text_en;
  }
  return {};
}

std::string describe_buyer_formula(const EarningBreakdown& earning, Language language) {
  const bool vi = language == Language::vi;
  // Without lines, the base; with lines, each earning line's base times its category's multiplier.
  std::string base_text = money(earning.earn_base_vnd, language);
  __int128 weighted = static_cast<__int128>(earning.earn_base_vnd) * basis_points_per_whole;
  if (!earning.lines.empty()) {
    base_text.clear();
    weighted = 0;
    Vnd rest = earning.earn_base_vnd;
    for (const LineEarning& line : earning.lines) {
      rest -= line.earn_base_vnd;
      if (line.excluded) continue;
      weighted += static_cast<__int128>(line.earn_base_vnd) * line.multiplier_bp;
      base_text += (base_text.empty() ? "" : " + ") + money(line.earn_base_vnd, language);
      if (line.multiplier_bp != basis_points_per_whole) base_text += " × " + describe_multiplier(line.multiplier_bp, language);
    }
    if (rest > 0) {
      weighted += static_cast<__int128>(rest) * basis_points_per_whole;
      base_text += (base_text.empty() ? "" : " + ") + money(rest, language);
    }
    if (base_text.empty()) base_text = money(0, language);
    base_text = "(" + base_text + ")";
  }
  std::string text = base_text + " × " + percent(earning.buyer_earn_rate_bp, language);
  if (earning.multiplier_bp != basis_points_per_whole) text += " × " + exact_value(earning.multiplier_bp, basis_points_per_whole, language);
  text += " ÷ " + money(earning.point_value_vnd, language) + (vi ? "/điểm = " : "/point = ");
  const __int128 numerator = weighted * earning.buyer_earn_rate_bp * earning.multiplier_bp;
  const __int128 denominator =
      static_cast<__int128>(basis_points_per_whole) * basis_points_per_whole * basis_points_per_whole * earning.point_value_vnd;
  text += exact_value(numerator, denominator, language) + " → " + number(earning.buyer_points, language) +
          (vi ? " điểm (" : " points (") + rounding_label(earning.rounding, language) + limits_note(earning, language) + ")";
  return text;
}

std::string describe_referrer_formula(const EarningBreakdown& earning, Language language) {
  const bool vi = language == Language::vi;
  const Vnd base = earning_base_of(earning);
  const __int128 numerator = static_cast<__int128>(base) * earning.referrer_earn_rate_bp;
  const __int128 denominator = static_cast<__int128>(basis_points_per_whole) * earning.point_value_vnd;
  return money(base, language) + " × " + percent(earning.referrer_earn_rate_bp, language) + " ÷ " +
         money(earning.point_value_vnd, language) + (vi ? "/điểm = " : "/point = ") + exact_value(numerator, denominator, language) +
         " → " + number(earning.referrer_points, language) + (vi ? " điểm (" : " points (") +
         rounding_label(earning.rounding, language) + ")";
}

std::string describe_tier_formula(const EarningBreakdown& earning, Language language) {
  const bool vi = language == Language::vi;
  const Vnd base = earning_base_of(earning);
  return money(base, language) + " ÷ " + money(earning.vnd_per_tier_point, language) + " = " +
         exact_value(base, earning.vnd_per_tier_point, language) + " → " + number(earning.tier_points, language) +
         (vi ? " điểm phân hạng (làm tròn xuống)" : " tier points (rounded down)");
}

std::string describe_program(const ProgramConfig& config, Language language) {
  const bool vi = language == Language::vi;
  const WalletConfig& wallet = config.wallet;
  // A worked example with round numbers makes the percentage concrete.
  OrderAmounts example;
  example.amount_vnd = 1'000'000;
  const EarningBreakdown earning = compute_earning(config, example, -1, true);
  std::string text;
  if (vi) {
    text += "Mỗi đơn hàng hoàn thành được tích " + percent(wallet.buyer_earn_rate_bp, language) +
            " giá trị đơn hàng thành điểm thưởng, với 1 điểm = " + money(wallet.point_value_vnd, language) +
            ": đơn hàng " + money(example.amount_vnd, language) + " được tích " + number(earning.buyer_points, language) +
            " điểm (" + rounding_label(wallet.rounding, language) + ").";
    text += wallet.exclude_shipping ? " Phí vận chuyển, phần giảm giá bằng voucher và phần trả bằng điểm không được tích điểm."
                                    : " Phần giảm giá bằng voucher và phần trả bằng điểm không được tích điểm.";
    text += " Điểm được cộng khi đơn hàng hoàn thành; đơn bị hủy không được tích điểm, đơn hoàn tiền bị trừ lại đúng số điểm đã tích"
            " (theo tỉ lệ nếu hoàn một phần).";
    if (wallet.referrer_earn_rate_bp > 0) {
      text += " Người giới thiệu được tích " + percent(wallet.referrer_earn_rate_bp, language) +
              " giá trị mỗi đơn hàng hoàn thành của người mình giới thiệu.";
    }
    text += " Điểm thưởng dùng để đổi voucher, quà tặng hoặc giảm giá cho đơn sau, không quy đổi thành tiền mặt.";
    text += " Cứ " + money(config.tier_points.vnd_per_tier_point, language) + " giá trị đơn hàng được 1 điểm phân hạng";
    text += config.tier_points.window_months == 0 ? ", cộng dồn từ khi tham gia."
                                                  : ", tính trong " + std::to_string(config.tier_points.window_months) + " tháng gần nhất.";
  } else {
    text += "Every completed order earns " + percent(wallet.buyer_earn_rate_bp, language) +
            " of its value in reward points, with 1 point = " + money(wallet.point_value_vnd, language) + ": an order of " +
            money(example.amount_vnd, language) + " earns " + number(earning.buyer_points, language) + " points (" +
            rounding_label(wallet.rounding, language) + ").";
    text += wallet.exclude_shipping ? " Shipping, voucher discounts and the part paid with points earn nothing."
                                    : " Voucher discounts and the part paid with points earn nothing.";
    text += " Points are credited when the order completes; a cancelled order earns nothing, and a refund takes back exactly the"
            " points earned (in proportion for a partial refund).";
    if (wallet.referrer_earn_rate_bp > 0) {
      text += " A referrer earns " + percent(wallet.referrer_earn_rate_bp, language) +
              " of the value of every completed order of the members they referred.";
    }
    text += " Reward points are spent on vouchers, gifts or discounts on later orders; they cannot be exchanged for cash.";
    text += " Every " + money(config.tier_points.vnd_per_tier_point, language) + " of an order gives 1 tier point";
    text += config.tier_points.window_months == 0 ? ", counted since joining."
                                                  : ", counted over the last " + std::to_string(config.tier_points.window_months) + " months.";
  }
  text += describe_program_rules(config, language);
  for (const Tier& tier : config.tiers) {
    text += "\n- " + tier_display_name(tier, language) + (vi ? ": từ " : ": from ") + describe_threshold(config, tier.tier_points_needed, language);
    std::string perks;
    for (const Perk& perk : tier.perks) {
      if (!perk.enabled) continue;
      perks += (perks.empty() ? "" : "; ") + describe_perk(perk, language);
    }
    if (!perks.empty()) text += (vi ? ". Ưu đãi: " : ". Perks: ") + perks;
    if (tier.tier_up_bonus_points > 0) {
      text += vi ? ". Lần đầu lên hạng được thưởng " + number(tier.tier_up_bonus_points, language) + " điểm"
                 : ". Reaching it the first time gives " + number(tier.tier_up_bonus_points, language) + " bonus points";
    }
    text += ".";
  }
  return text;
}

std::string describe_threshold(const ProgramConfig& config, std::int64_t threshold, Language language) {
  const bool vi = language == Language::vi;
  switch (config.tier_points.qualify_by) {
    case TierMeasure::tier_points: return number(threshold, language) + (vi ? " điểm phân hạng" : " tier points");
    case TierMeasure::spend_vnd: return money(threshold, language) + (vi ? " chi tiêu" : " spent");
    case TierMeasure::order_count: return number(threshold, language) + (vi ? " đơn hàng hoàn thành" : " completed orders");
  }
  return number(threshold, language);
}

std::string describe_program_rules(const ProgramConfig& config, Language language) {
  const bool vi = language == Language::vi;
  std::string text;
  auto list = [](const std::vector<std::string>& ids) {
    std::string joined;
    for (const std::string& id : ids) joined += (joined.empty() ? "" : ", ") + id;
    return joined;
  };
  const EarningRulesConfig& earning = config.earning;
  if (!earning.excluded_products.empty()) {
    text += vi ? " Các sản phẩm sau không được tích điểm: " + list(earning.excluded_products) + "."
               : " These products earn nothing: " + list(earning.excluded_products) + ".";
  }
  if (!earning.excluded_categories.empty()) {
    text += vi ? " Các ngành hàng sau không được tích điểm: " + list(earning.excluded_categories) + "."
               : " These categories earn nothing: " + list(earning.excluded_categories) + ".";
  }
  for (const CategoryMultiplier& entry : earning.category_multipliers) {
    text += vi ? " Ngành hàng " + entry.category + " được tích điểm " + describe_multiplier(entry.multiplier_bp, language) + "."
               : " The category " + entry.category + " earns points " + describe_multiplier(entry.multiplier_bp, language) + ".";
  }
  if (earning.minimum_order_vnd > 0) {
    text += vi ? " Đơn hàng dưới " + money(earning.minimum_order_vnd, language) + " không được tích điểm thưởng (vẫn được điểm phân hạng)."
               : " Orders under " + money(earning.minimum_order_vnd, language) + " earn no reward points (tier points still count).";
  }
  if (earning.maximum_points_per_order > 0) {
    text += vi ? " Mỗi đơn hàng được tích tối đa " + number(earning.maximum_points_per_order, language) + " điểm."
               : " One order earns at most " + number(earning.maximum_points_per_order, language) + " points.";
  }
  for (const Promotion& promotion : config.promotions) {
    const std::string name = promotion.name.empty() ? promotion.id : promotion.name;
    const std::string period = local_day(promotion.starts_at_utc, config.time_zone) + " – " + local_day(promotion.ends_at_utc, config.time_zone);
    const int tier_index = promotion.tier_id.empty() ? -1 : config.tier_index_by_id(promotion.tier_id);
    std::string who;
    if (tier_index >= 0) who += (vi ? " cho hạng " : " for ") + tier_display_name(config.tiers[static_cast<std::size_t>(tier_index)], language);
    if (!promotion.group_id.empty()) who += (vi ? " cho nhóm " : " for the group ") + promotion.group_id;
    if (vi) {
      text += " Khuyến mãi " + name + " (" + period + ")" + who + ": tích điểm " + describe_multiplier(promotion.multiplier_bp, language) +
              (promotion.combine == PromotionCombine::multiply ? ", nhân thêm với hệ số của hạng." : ", hoặc hệ số của hạng nếu cao hơn.");
    } else {
      text += " Promotion " + name + " (" + period + ")" + who + ": points " + describe_multiplier(promotion.multiplier_bp, language) +
              (promotion.combine == PromotionCombine::multiply ? ", on top of the tier's multiplier." : ", or the tier's multiplier when higher.");
    }
  }
  const BonusConfig& bonuses = config.bonuses;
  if (bonuses.welcome_points > 0) {
    text += vi ? " Thành viên mới được tặng " + number(bonuses.welcome_points, language) + " điểm chào mừng."
               : " New members get a welcome bonus of " + number(bonuses.welcome_points, language) + " points.";
  }
  if (bonuses.first_order_points > 0) {
    text += vi ? " Đơn hàng hoàn thành đầu tiên được thưởng thêm " + number(bonuses.first_order_points, language) + " điểm."
               : " The first completed order gives " + number(bonuses.first_order_points, language) + " bonus points.";
  }
  if (bonuses.referral_referrer_points > 0 || bonuses.referral_new_member_points > 0) {
    text += vi ? " Khi người được giới thiệu hoàn thành đơn đầu tiên, người giới thiệu được " + number(bonuses.referral_referrer_points, language) +
                     " điểm và người được giới thiệu được " + number(bonuses.referral_new_member_points, language) + " điểm" +
                     (bonuses.referral_instead_of_percentage ? " (thay cho phần trăm của đơn đó)." : ".")
               : " When a referred member completes their first order, the referrer gets " + number(bonuses.referral_referrer_points, language) +
                     " points and the new member " + number(bonuses.referral_new_member_points, language) + " points" +
                     (bonuses.referral_instead_of_percentage ? " (instead of that order's percentage)." : ".");
  }
  if (bonuses.profile_completion_points > 0) {
    text += vi ? " Hoàn thiện hồ sơ (tên, số điện thoại, email, ngày sinh) được thưởng " + number(bonuses.profile_completion_points, language) + " điểm."
               : " Completing the profile (name, phone, email, birthday) gives " + number(bonuses.profile_completion_points, language) + " points.";
  }
  if (!bonuses.empty() || std::any_of(config.tiers.begin(), config.tiers.end(), [](const Tier& tier) { return tier.tier_up_bonus_points > 0; })) {
    text += vi ? " Mỗi khoản thưởng chỉ được một lần cho mỗi thành viên, và bị thu hồi nếu đơn hàng mang lại nó được hoàn tiền toàn bộ trong thời gian chờ."
               : " Each bonus is given once per member, and taken back if the order that gave it is refunded in full within the pending period.";
  }
  if (config.tier_points.qualify_by != TierMeasure::tier_points) {
    text += config.tier_points.qualify_by == TierMeasure::spend_vnd
                ? (vi ? " Hạng thành viên được xét theo số tiền chi tiêu cho hàng hóa." : " Tiers are reached by money spent on goods.")
                : (vi ? " Hạng thành viên được xét theo số đơn hàng hoàn thành." : " Tiers are reached by the number of completed orders.");
  }
  if (config.tier_points.calendar_year_start_month != 0) {
    const std::string month = std::to_string(config.tier_points.calendar_year_start_month);
    text += vi ? " Hạng được xét trong năm, bắt đầu từ ngày 1 tháng " + month + " lúc 00:00; đầu năm mới mọi thành viên tính lại từ đầu."
               : " Tiers count within the year starting on the 1st of month " + month + " at 00:00; at the new year everyone starts again.";
  }
  const TierRetentionConfig& retention = config.tier_retention;
  if (retention.keep_months > 0) {
    text += vi ? " Hạng đã đạt được giữ ít nhất " + std::to_string(retention.keep_months) + " tháng."
               : " A tier once reached is kept at least " + std::to_string(retention.keep_months) + " months.";
  }
  if (retention.fall_at_most_one_tier) {
    text += vi ? " Mỗi lần xét hạng, thành viên xuống tối đa một hạng." : " At each review a member goes down at most one tier.";
  }
  if (config.expiry.from_available && config.expiry.rule != ExpiryRule::never) {
    text += vi ? " Thời hạn của điểm tính từ khi hết thời gian chờ." : " Points' expiry counts from the end of the pending period.";
  }
  return text;
}

}  // namespace loyalty
