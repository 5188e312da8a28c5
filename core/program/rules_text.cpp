#include "core/program/rules_text.hpp"

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
  std::string text = money(earning.earn_base_vnd, language) + " × " + percent(earning.buyer_earn_rate_bp, language);
  if (earning.multiplier_bp != basis_points_per_whole) text += " × " + exact_value(earning.multiplier_bp, basis_points_per_whole, language);
  text += " ÷ " + money(earning.point_value_vnd, language) + (vi ? "/điểm = " : "/point = ");
  const __int128 numerator = static_cast<__int128>(earning.earn_base_vnd) * earning.buyer_earn_rate_bp * earning.multiplier_bp;
  const __int128 denominator = static_cast<__int128>(basis_points_per_whole) * basis_points_per_whole * earning.point_value_vnd;
  text += exact_value(numerator, denominator, language) + " → " + number(earning.buyer_points, language) +
          (vi ? " điểm (" : " points (") + rounding_label(earning.rounding, language) + ")";
  return text;
}

std::string describe_referrer_formula(const EarningBreakdown& earning, Language language) {
  const bool vi = language == Language::vi;
  const __int128 numerator = static_cast<__int128>(earning.earn_base_vnd) * earning.referrer_earn_rate_bp;
  const __int128 denominator = static_cast<__int128>(basis_points_per_whole) * earning.point_value_vnd;
  return money(earning.earn_base_vnd, language) + " × " + percent(earning.referrer_earn_rate_bp, language) + " ÷ " +
         money(earning.point_value_vnd, language) + (vi ? "/điểm = " : "/point = ") + exact_value(numerator, denominator, language) +
         " → " + number(earning.referrer_points, language) + (vi ? " điểm (" : " points (") +
         rounding_label(earning.rounding, language) + ")";
}

std::string describe_tier_formula(const EarningBreakdown& earning, Language language) {
  const bool vi = language == Language::vi;
  return money(earning.earn_base_vnd, language) + " ÷ " + money(earning.vnd_per_tier_point, language) + " = " +
         exact_value(earning.earn_base_vnd, earning.vnd_per_tier_point, language) + " → " + number(earning.tier_points, language) +
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
  for (const Tier& tier : config.tiers) {
    text += "\n- " + tier_display_name(tier, language) + (vi ? ": từ " : ": from ") + number(tier.tier_points_needed, language) +
            (vi ? " điểm phân hạng" : " tier points");
    std::string perks;
    for (const Perk& perk : tier.perks) {
      if (!perk.enabled) continue;
      perks += (perks.empty() ? "" : "; ") + describe_perk(perk, language);
    }
    if (!perks.empty()) text += (vi ? ". Ưu đãi: " : ". Perks: ") + perks;
    text += ".";
  }
  return text;
}

}  // namespace loyalty
