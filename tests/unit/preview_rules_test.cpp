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
  // Bạc's only perk is the birthday bonus: the member's on their birthday, not this order's.
  CHECK(preview.perks_applying.empty());
}

TEST_CASE("preview: the perks for an order leave out the birthday bonus, and it is not 'unlocked' again") {
  const ProgramConfig config = example_program_config();
  const OrderPreview gold = preview_order(config, MemberPreviewState{600, false}, amount(50'000'000));
  REQUIRE(gold.tier_after == 2);                   // Vàng -> Bạch kim
  REQUIRE(gold.perks_applying.size() == 2);        // Vàng: the multiplier and free shipping
  CHECK(gold.perks_applying[0]->type == PerkType::earning_multiplier);
  CHECK(gold.perks_applying[1]->type == PerkType::free_shipping);
  for (const Perk* perk : gold.perks_unlocked) CHECK(perk->type != PerkType::birthday_bonus);
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

TEST_CASE("a formula's exact value is never cut short") {
  const ProgramConfig config = example_program_config();
  // 1.234.567 ₫ × 1 % ÷ 1.000 ₫ = 12,34567 exactly (not "12,34").
  const OrderPreview odd = preview_order(config, MemberPreviewState{0, false}, amount(1'234'567));
  CHECK(describe_buyer_formula(odd.earning, Language::vi) ==
        "1.234.567 ₫ × 1 % ÷ 1.000 ₫/điểm = 12,34567 → 12 điểm (làm tròn xuống)");
  CHECK(describe_buyer_formula(odd.earning, Language::en) ==
        "1,234,567 VND × 1% ÷ 1,000 VND/point = 12.34567 → 12 points (rounded down)");
  // 999 ₫ earns nothing, and the formula says why: 0,00999 (not "= 0 → 0").
  const OrderPreview tiny = preview_order(config, MemberPreviewState{0, false}, amount(999));
  CHECK(describe_buyer_formula(tiny.earning, Language::vi) ==
        "999 ₫ × 1 % ÷ 1.000 ₫/điểm = 0,00999 → 0 điểm (làm tròn xuống)");
  CHECK(describe_tier_formula(tiny.earning, Language::vi) ==
        "999 ₫ ÷ 20.000 ₫ = 0,04995 → 0 điểm phân hạng (làm tròn xuống)");
  // A fraction that never ends: six decimals, marked as approximate.
  EarningBreakdown thirds = tiny.earning;
  thirds.earn_base_vnd = 10'000;
  thirds.vnd_per_tier_point = 30'000;
  thirds.tier_points = 0;
  CHECK(describe_tier_formula(thirds, Language::vi) ==
        "10.000 ₫ ÷ 30.000 ₫ = ≈ 0,333333 → 0 điểm phân hạng (làm tròn xuống)");
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
  // A price list's id is the shop's own key: customers never read it.
  perk = Perk{PerkType::private_price_list, true};
  perk.price_list_id = "bang-gia-bach-kim";
  CHECK(describe_perk(perk, Language::vi) == "Bảng giá riêng cho thành viên hạng này");
  CHECK(describe_perk(perk, Language::en) == "A private price list for this tier's members");
  perk.text_vi = "giảm 10 % mọi mặt hàng";
  CHECK(describe_perk(perk, Language::vi) == "Bảng giá riêng: giảm 10 % mọi mặt hàng");
  CHECK(describe_perk(perk, Language::en) == "A private price list for this tier's members");
  perk = Perk{PerkType::custom, true};
  perk.text_vi = "Quà tặng tháng sinh nhật";
  CHECK(describe_perk(perk, Language::en) == "Quà tặng tháng sinh nhật");   // no English text: the Vietnamese
  perk.text_en = "A gift in your birthday month";
  CHECK(describe_perk(perk, Language::en) == "A gift in your birthday month");
  CHECK(tier_display_name(example_program_config().tiers[1], Language::en) == "Gold");
  CHECK(tier_display_name(example_program_config().tiers[1], Language::vi) == "Vàng");
}
