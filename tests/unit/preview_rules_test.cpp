// The rule preview and the program in plain words.
#include <doctest/doctest.h>

#include "core/program/preview.hpp"
#include "core/program/rules_text.hpp"

using namespace loyalty;

namespace {
OrderAmounts amount(Vnd amount_vnd) {
  OrderAmounts amounts;
  amounts.amount_vnd = amount_vnd;
  return amounts;
}
}  // namespace

TEST_CASE("preview: a new customer's order, with the referrer's share, tiers and perks") {
  const ProgramConfig config = example_program_config();
  const OrderPreview preview = preview_order(config, std::nullopt, amount(10'000'000));
  CHECK(preview.earning.buyer_points == 100);
  CHECK(preview.earning.referrer_points == 50);   // previewed as if referred, to show the share
  CHECK(preview.earning.tier_points == 500);
  CHECK(preview.tier_before == 0);
  CHECK(preview.tier_after == 1);                 // Bạc -> Vàng
  CHECK(preview.next_tier_index == 2);
  CHECK(preview.tier_points_to_next == 1500);
  REQUIRE(preview.perks_unlocked.size() == 2);    // Vàng's multiplier and free shipping are new
  CHECK(preview.perks_unlocked[0]->type == PerkType::earning_multiplier);
}

TEST_CASE("preview: a member's tier decides the multiplier; nothing changes in the store") {
  const ProgramConfig config = example_program_config();
  const OrderPreview gold = preview_order(config, MemberPreviewState{600, false}, amount(1'000'000));
  CHECK(gold.earning.multiplier_bp == 12000);
  CHECK(gold.earning.buyer_points == 12);
  CHECK(gold.earning.referrer_points == 0);
  CHECK(gold.tier_points_before == 600);
  CHECK(gold.tier_points_after == 650);
  CHECK(gold.perks_unlocked.empty());
}

TEST_CASE("formulas show every factor, the exact value and the rounding") {
  ProgramConfig config = example_program_config();
  config.wallet.rounding = Rounding::half_up;
  const OrderPreview preview = preview_order(config, MemberPreviewState{2000, true}, amount(1'550'000));
  CHECK(describe_buyer_formula(preview.earning, Language::vi) ==
        "1.550.000 ₫ × 1 % × 1,5 ÷ 1.000 ₫/điểm = 23,25 → 23 điểm (làm tròn đến số gần nhất)");
  CHECK(describe_buyer_formula(preview.earning, Language::en) ==
        "1,550,000 VND × 1% × 1.5 ÷ 1,000 VND/point = 23.25 → 23 points (rounded to the nearest point)");
  CHECK(describe_tier_formula(preview.earning, Language::vi) ==
        "1.550.000 ₫ ÷ 20.000 ₫ = 77,5 → 77 điểm phân hạng (làm tròn xuống)");
}

TEST_CASE("the program in plain words, in Vietnamese and English, from the configuration") {
  const ProgramConfig config = example_program_config();
  const std::string vietnamese = describe_program(config, Language::vi);
  CHECK(vietnamese.find("Mỗi đơn hàng hoàn thành được tích 1 % giá trị đơn hàng thành điểm thưởng") != std::string::npos);
  CHECK(vietnamese.find("đơn hàng 1.000.000 ₫ được tích 10 điểm (làm tròn xuống)") != std::string::npos);
  CHECK(vietnamese.find("Người giới thiệu được tích 0,5 %") != std::string::npos);
  CHECK(vietnamese.find("tính trong 12 tháng gần nhất") != std::string::npos);
  CHECK(vietnamese.find("\n- Bạch kim: từ 2.000 điểm phân hạng. Ưu đãi: ") != std::string::npos);
  const std::string english = describe_program(config, Language::en);
  CHECK(english.find("an order of 1,000,000 VND earns 10 points (rounded down)") != std::string::npos);
  CHECK(english.find("\n- Platinum: from 2,000 tier points. Perks: ") != std::string::npos);
  // A perk that is not ticked is not promised.
  ProgramConfig unticked = config;
  for (Perk& perk : unticked.tiers[2].perks) perk.enabled = perk.type != PerkType::private_price_list;
  CHECK(describe_program(unticked, Language::vi).find("Bảng giá riêng") == std::string::npos);
  CHECK(describe_program(config, Language::vi).find("Bảng giá riêng") != std::string::npos);
}

TEST_CASE("each perk type is described in both languages") {
  Perk perk{PerkType::voucher_point_discount, true};
  perk.discount_bp = 500;
  CHECK(describe_perk(perk, Language::vi) == "Đổi voucher ít hơn 5 % điểm");
  CHECK(describe_perk(perk, Language::en) == "Vouchers cost 5% fewer points");
  perk = Perk{PerkType::free_shipping, true};
  perk.free_shipping_min_order_vnd = 300'000;
  CHECK(describe_perk(perk, Language::vi) == "Miễn phí vận chuyển cho đơn từ 300.000 ₫");
  perk = Perk{PerkType::custom, true};
  perk.text_vi = "Quà tặng tháng sinh nhật";
  CHECK(describe_perk(perk, Language::en) == "Quà tặng tháng sinh nhật");   // no English text: the Vietnamese
  perk.text_en = "A gift in your birthday month";
  CHECK(describe_perk(perk, Language::en) == "A gift in your birthday month");
  CHECK(tier_display_name(example_program_config().tiers[1], Language::en) == "Gold");
  CHECK(tier_display_name(example_program_config().tiers[1], Language::vi) == "Vàng");
}
