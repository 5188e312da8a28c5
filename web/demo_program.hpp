// demo_program.hpp: the program the console demos offline, and the adapter between the
// rule preview screen and the core.
//
// [SECTION] The demo program
// [SECTION] Language and formatting
// [SECTION] Reading what staff type
// [SECTION] The order preview form
//
// The rules live in core/ (preview_order, rules_text); this file only turns what staff
// type into the core's inputs, says which field is wrong and why, and formats numbers the
// way the core's texts do in each language. The view draws; it decides nothing.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/basics/money.hpp"
#include "core/program/preview.hpp"
#include "core/program/program_config.hpp"
#include "core/program/rules_text.hpp"
#include "i18n.hpp"

namespace loyalty::console {

// [SECTION] The demo program --------------------------------------------------------------
// The app holds one for the whole session; views only read it. Perks in an OrderPreview
// point into `config`, so it must outlive every preview made from it.
struct DemoProgram {
  ProgramConfig config;   // example_program_config(): the seed's numbers
};
DemoProgram make_demo_program();

// [SECTION] Language and formatting -------------------------------------------------------
loyalty::Language core_language(Language language);          // vi / en for rules_text
// As the core's rules text writes them: Vietnamese "1.000.000 ₫", English "1,000,000 VND".
std::string format_money(Vnd amount_vnd, Language language);
std::string format_number(std::int64_t value, Language language);    // "1.500" / "1,500"
std::string format_percent(BasisPoints value, Language language);    // "0,5 %" / "0.5%"
std::string_view rounding_label(Rounding rounding, Language language);  // "làm tròn xuống"

// [SECTION] Reading what staff type -----------------------------------------------------------
// Why a field cannot be used, in order of precedence.
enum class InputProblem : std::uint8_t {
  none,
  empty,                     // only the order amount must be filled in
  not_whole_number,          // letters, a decimal comma, a misplaced sign
  negative,
  too_large,                 // above the field's maximum (input_value_max)
  shipping_exceeds_amount,   // shipping is part of the amount, so it cannot be larger
  discount_exceeds_amount,
};
std::string_view input_problem_name(InputProblem problem);   // "too_large": test hooks

// Money amounts and tier points typed into the preview: at most 10^15, as the core accepts.
inline constexpr std::int64_t input_value_max = amount_vnd_max;

struct WholeNumberReading {
  std::int64_t value = 0;                      // meaningful when problem == none
  InputProblem problem = InputProblem::none;
};
// "1000000", "1.000.000" and "1 000 000" all read 1000000 (staff type amounts the way
// they are printed). Empty or blank text is `empty`; the caller decides if that means 0.
WholeNumberReading read_whole_number(std::string_view text, std::int64_t value_max);

// [SECTION] The order preview form -----------------------------------------------------------
struct PreviewForm {             // what is typed, as typed
  std::string_view amount_vnd;
  std::string_view shipping_vnd;            // empty: 0
  std::string_view voucher_discount_vnd;    // empty: 0
  std::string_view tier_points;             // empty: 0
  bool has_referrer = false;
};

struct PreviewFormResult {
  InputProblem amount_vnd = InputProblem::none;
  InputProblem shipping_vnd = InputProblem::none;
  InputProblem voucher_discount_vnd = InputProblem::none;
  InputProblem tier_points = InputProblem::none;
  OrderAmounts amounts;                       // the values read (0 where a field is wrong)
  TierPoints tier_points_now = 0;
  std::optional<int> tier_index_now;          // set when the tier points field is fine
  std::optional<OrderPreview> preview;        // set only when every field is fine
};
// Reads and checks every field, then asks the core for the preview.
PreviewFormResult preview_form(const ProgramConfig& config, const PreviewForm& form);

// The message for a problem in the current language ("{max}" filled in for too_large:
// money for the amounts, a plain number for tier points).
std::string input_problem_message(InputProblem problem, bool is_money, Language language);

}  // namespace loyalty::console
