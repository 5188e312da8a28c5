#include "demo_program.hpp"

#include <cassert>

#include "ui.hpp"

namespace loyalty::console {

// [SECTION] The demo program --------------------------------------------------------------
DemoProgram make_demo_program() {
  DemoProgram program{example_program_config()};
  assert(!program.config.tiers.empty());
  assert(program.config.wallet.point_value_vnd > 0 && program.config.tier_points.vnd_per_tier_point > 0);
  return program;
}

// [SECTION] Language and formatting -------------------------------------------------------
loyalty::Language core_language(Language language) {
  return language == Language::english ? loyalty::Language::en : loyalty::Language::vi;
}

std::string format_money(Vnd amount_vnd, Language language) {
  return language == Language::english ? format_grouped_en(amount_vnd) + " VND" : format_vnd(amount_vnd);
}

std::string format_number(std::int64_t value, Language language) {
  return language == Language::english ? format_grouped_en(value) : format_grouped(value);
}

std::string format_percent(BasisPoints value, Language language) {
  return language == Language::english ? format_basis_points_percent_en(value)
                                       : format_basis_points_percent(value);
}

std::string_view rounding_label(Rounding rounding, Language language) {
  return language == Language::english ? rounding_label_en(rounding) : rounding_label_vi(rounding);
}

// [SECTION] Reading what staff type -----------------------------------------------------------
std::string_view input_problem_name(InputProblem problem) {
  switch (problem) {
    case InputProblem::none: return "none";
    case InputProblem::empty: return "empty";
    case InputProblem::not_whole_number: return "not_whole_number";
    case InputProblem::negative: return "negative";
    case InputProblem::too_large: return "too_large";
    case InputProblem::shipping_exceeds_amount: return "shipping_exceeds_amount";
    case InputProblem::discount_exceeds_amount: return "discount_exceeds_amount";
  }
  assert(false && "unknown input problem");
  return "unknown";
}

namespace {

bool is_blank(char character) { return character == ' ' || character == '\t'; }
bool is_digit(char character) { return character >= '0' && character <= '9'; }

}  // namespace

WholeNumberReading read_whole_number(std::string_view text, std::int64_t value_max) {
  assert(value_max > 0 && value_max < 1'000'000'000'000'000'000);
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  if (text.empty()) return {0, InputProblem::empty};

  bool negative = false;
  if (text.front() == '-' || text.front() == '+') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  // Digits, optionally grouped by "." or " " in threes ("1.000.000"): a group of another
  // length ("1.5") is a decimal typed the English way, not a whole number of dong.
  std::string digits;
  std::size_t group_length = 0;
  bool grouped = false;
  for (const char character : text) {
    if (is_digit(character)) {
      digits.push_back(character);
      ++group_length;
      continue;
    }
    if (character != '.' && character != ' ') return {0, InputProblem::not_whole_number};
    const bool first_group_fits = grouped || (group_length >= 1 && group_length <= 3);
    if (!first_group_fits || (grouped && group_length != 3)) return {0, InputProblem::not_whole_number};
    grouped = true;
    group_length = 0;
  }
  if (digits.empty() || (grouped && group_length != 3)) return {0, InputProblem::not_whole_number};

  std::size_t first_significant = 0;
  while (first_significant + 1 < digits.size() && digits[first_significant] == '0') ++first_significant;
  // 18 digits always fit int64; more than that is above any maximum this accepts.
  if (digits.size() - first_significant > 18) {
    return {0, negative ? InputProblem::negative : InputProblem::too_large};
  }
  std::int64_t value = 0;
  for (std::size_t index = first_significant; index < digits.size(); ++index) {
    value = value * 10 + (digits[index] - '0');
  }
  assert(value >= 0);
  if (negative && value > 0) return {0, InputProblem::negative};
  if (value > value_max) return {0, InputProblem::too_large};
  return {value, InputProblem::none};
}

// [SECTION] The order preview form -----------------------------------------------------------
namespace {

// An optional field: empty means 0.
WholeNumberReading read_optional(std::string_view text, std::int64_t value_max) {
  WholeNumberReading reading = read_whole_number(text, value_max);
  if (reading.problem == InputProblem::empty) return {0, InputProblem::none};
  return reading;
}

}  // namespace

PreviewFormResult preview_form(const ProgramConfig& config, const PreviewForm& form) {
  PreviewFormResult result;
  const WholeNumberReading amount = read_whole_number(form.amount_vnd, input_value_max);
  const WholeNumberReading shipping = read_optional(form.shipping_vnd, input_value_max);
  const WholeNumberReading discount = read_optional(form.voucher_discount_vnd, input_value_max);
  const WholeNumberReading tier_points = read_optional(form.tier_points, input_value_max);
  result.amount_vnd = amount.problem;
  result.shipping_vnd = shipping.problem;
  result.voucher_discount_vnd = discount.problem;
  result.tier_points = tier_points.problem;
  result.amounts.amount_vnd = amount.value;
  result.amounts.shipping_vnd = shipping.value;
  result.amounts.voucher_discount_vnd = discount.value;
  result.tier_points_now = tier_points.value;

  // Comparisons with the amount only when both sides were read.
  if (amount.problem == InputProblem::none) {
    if (shipping.problem == InputProblem::none && shipping.value > amount.value) {
      result.shipping_vnd = InputProblem::shipping_exceeds_amount;
    }
    if (discount.problem == InputProblem::none && discount.value > amount.value) {
      result.voucher_discount_vnd = InputProblem::discount_exceeds_amount;
    }
  }
  // The core has the last word (shipping and discount together must not exceed the
  // amount either): what it refuses for an order, the preview refuses too.
  if (result.amount_vnd == InputProblem::none && result.shipping_vnd == InputProblem::none &&
      result.voucher_discount_vnd == InputProblem::none && !check_order_amounts(result.amounts).ok()) {
    result.voucher_discount_vnd = InputProblem::discount_exceeds_amount;
  }
  if (result.tier_points == InputProblem::none) {
    result.tier_index_now = config.tier_index_for(result.tier_points_now);
  }

  const bool all_fine = result.amount_vnd == InputProblem::none && result.shipping_vnd == InputProblem::none &&
                        result.voucher_discount_vnd == InputProblem::none &&
                        result.tier_points == InputProblem::none;
  if (!all_fine) return result;
  const MemberPreviewState member{result.tier_points_now, form.has_referrer};
  OrderPreview preview = preview_order(config, member, result.amounts);
  // Every input was checked against the core's limit above, so the core must accept it.
  assert(preview.earning.code == ResultCode::ok);
  if (preview.earning.code != ResultCode::ok) {
    result.amount_vnd = InputProblem::too_large;
    return result;
  }
  assert(preview.tier_points_after >= preview.tier_points_before);
  result.preview = std::move(preview);
  return result;
}

std::string input_problem_message(InputProblem problem, bool is_money, Language language) {
  switch (problem) {
    case InputProblem::none: return {};
    case InputProblem::empty: return std::string(text(TextKey::preview_error_empty_amount, language));
    case InputProblem::not_whole_number:
      return std::string(text(TextKey::preview_error_not_whole_number, language));
    case InputProblem::negative: return std::string(text(TextKey::preview_error_negative, language));
    case InputProblem::too_large:
      return fill_placeholder(text(TextKey::preview_error_too_large, language), "{max}",
                              is_money ? format_money(input_value_max, language)
                                       : format_number(input_value_max, language));
    case InputProblem::shipping_exceeds_amount:
      return std::string(text(TextKey::preview_error_shipping_exceeds_amount, language));
    case InputProblem::discount_exceeds_amount:
      return std::string(text(TextKey::preview_error_discount_exceeds_amount, language));
  }
  assert(false && "unknown input problem");
  return {};
}

}  // namespace loyalty::console
