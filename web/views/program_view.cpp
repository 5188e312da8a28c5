// program_view.cpp: "Ví điểm & hạng": the rule preview of the program in force, the
// program editor of store owners, and the program's versions.
//
// [SECTION] Fields bound to the draft
// [SECTION] Wallet, tier points, the life of a point
// [SECTION] Tiers and perks
// [SECTION] Before saving: the difference, the rules in words, the impact
// [SECTION] Versions
// [SECTION] The screen
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "core/basics/text_fold.hpp"
#include "core/program/preview.hpp"
#include "core/program/rules_text.hpp"
#include "platform/platform_files.hpp"
#include "views/program_views.hpp"
#include "views/views.hpp"
// After views.hpp, which brings imgui.h.
#include "imgui_stdlib.h"

namespace loyalty::console {
namespace {

std::string dump(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

// [SECTION] Fields bound to the draft --------------------------------------------------------------
// How a number is typed: as it is, or in percent / as a multiplier while the document holds
// basis points (1 % = 100 bp, x1,2 = 12000 bp).
// `choice` is not a number: a value among a choice field's, said by its button's words.
enum class NumberKind : std::uint8_t { whole, percent, multiplier, choice };

std::string basis_points_text(std::int64_t basis_points, std::int64_t per_unit) {
  const std::int64_t whole = basis_points / per_unit;
  std::int64_t fraction = std::llabs(basis_points % per_unit);
  std::string text = std::to_string(whole);
  if (fraction == 0) return text;
  std::string digits = std::to_string(fraction + per_unit).substr(1);   // leading zeros kept
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return text + "," + digits;
}

// "1", "0,5", "1.25" in units of `per_unit` basis points; nullopt when not such a number.
std::optional<std::int64_t> read_basis_points(std::string_view text, std::int64_t per_unit) {
  std::string whole, fraction;
  bool in_fraction = false;
  for (const char character : text) {
    if (character == ' ') continue;
    if (character == ',' || character == '.') {
      if (in_fraction) return std::nullopt;
      in_fraction = true;
      continue;
    }
    if (character < '0' || character > '9') return std::nullopt;
    (in_fraction ? fraction : whole) += character;
  }
  if (whole.empty() && fraction.empty()) return std::nullopt;
  const int scale_digits = per_unit == 100 ? 2 : 4;
  if (static_cast<int>(fraction.size()) > scale_digits || whole.size() > 9) return std::nullopt;
  while (static_cast<int>(fraction.size()) < scale_digits) fraction += '0';
  return std::stoll(whole.empty() ? "0" : whole) * per_unit + std::stoll(fraction);
}

std::string number_text(const Json& value, NumberKind kind) {
  if (value.is_string()) return value.get<std::string>();   // what was typed and is not a number
  if (!value.is_number_integer()) return {};
  const std::int64_t number = value.get<std::int64_t>();
  if (kind == NumberKind::percent) return basis_points_text(number, 100);
  if (kind == NumberKind::multiplier) return basis_points_text(number, 10000);
  return std::to_string(number);
}

// The core's problem for `path`, in the current language (first one only).
const FieldError* problem_at(const ProgramEditor& editor, std::string_view path) {
  for (const FieldError& problem : editor.problems) {
    if (problem.path == path) return &problem;
  }
  return nullptr;
}

std::string problem_text(const Ui& ui, const ProgramEditor& editor, std::string_view path) {
  if (const FieldError* problem = problem_at(editor, path)) {
    return ui.language() == Language::english ? problem->message_en : problem->message_vi;
  }
  // What the server said when it refused the last save, by the same path.
  if (editor.save_reply && !editor.save_reply->ok()) return field_problem(ui, *editor.save_reply, path);
  return {};
}

std::string field_id(std::string_view path) {
  std::string id = "program_field_";
  for (const char character : path) id += (character == '.' || character == '[' || character == ']') ? '_' : character;
  return id;
}

// A number field of `object[key]` (at `path` in the document).
bool number_field(Ui& ui, ProgramEditor& editor, Json& object, const char* key, const std::string& path, const Phrase& label,
                  NumberKind kind, float width, bool read_only) {
  auto found = editor.typed.find(path);
  if (found == editor.typed.end()) found = editor.typed.emplace(path, number_text(object.value(key, Json()), kind)).first;
  std::string& text = found->second;
  const std::string problem = problem_text(ui, editor, path);
  if (labelled_input(ui, field_id(path), label, text, width, problem.empty() ? nullptr : &problem, read_only)) {
    std::optional<std::int64_t> value;
    if (kind == NumberKind::whole) {
      const WholeNumberReading reading = read_whole_number(text, input_value_max);
      if (reading.problem == InputProblem::none) value = reading.value;
    } else {
      value = read_basis_points(text, kind == NumberKind::percent ? 100 : 10000);
    }
    // Not a number: the text goes into the draft as it is, so that the core says why.
    object[key] = value ? Json(*value) : Json(text);
    return true;
  }
  return false;
}

void text_field(Ui& ui, ProgramEditor& editor, Json& object, const char* key, const std::string& path, const Phrase& label,
                float width, bool read_only) {
  std::string text = json_text(object, key);
  const std::string problem = problem_text(ui, editor, path);
  if (labelled_input(ui, field_id(path), label, text, width, problem.empty() ? nullptr : &problem, read_only)) object[key] = text;
}

bool check_field(Ui& ui, Json& object, const char* key, const Phrase& label, std::string_view id_suffix, bool read_only) {
  bool value = object.value(key, false);
  const std::string id = std::string(label.id) + std::string(id_suffix);
  if (read_only) ImGui::BeginDisabled();
  // The label is part of the checkbox: a click on the words ticks it too.
  const bool changed = ImGui::Checkbox((std::string(say(ui, label)) + "###" + id).c_str(), &value);
  if (read_only) ImGui::EndDisabled();
  ui.record(id + "_box", say(ui, label), ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ui.check_glyphs(say(ui, label), ui.fonts().body);
  if (changed) object[key] = value;
  return changed;
}

// Choices as a row of buttons; the one chosen is filled.
// `fallback` is the choice the core takes when the key is absent. Returns the value clicked.
std::optional<std::string> choice_field(Ui& ui, Json& object, const char* key, const Phrase& label,
                                        std::initializer_list<std::pair<const char*, const Phrase*>> choices, bool read_only,
                                        const char* fallback = "") {
  say_label(ui, label, ui.fonts().small, palette::text_muted);
  std::string chosen = json_text(object, key);
  if (chosen.empty()) chosen = fallback;
  std::optional<std::string> clicked;
  bool first = true;
  for (const auto& [value, phrase] : choices) {
    if (!first) ImGui::SameLine();
    first = false;
    if (say_button(ui, *phrase, chosen == value, !read_only)) {
      object[key] = value;
      clicked = value;
    }
  }
  return clicked;
}

// Sections the core leaves out when unused (bonuses, earning, tier_retention): a field of
// one edits a copy, and the section enters the draft only once something is typed, so that
// looking at the editor changes nothing.
Json optional_section(const Json& draft, const char* section) {
  const auto found = draft.find(section);
  return found != draft.end() && found->is_object() ? *found : Json::object();
}

void section_number_field(Ui& ui, ProgramEditor& editor, const char* section, const char* key, const Phrase& label, float width,
                          bool read_only) {
  Json copy = optional_section(editor.draft, section);
  if (number_field(ui, editor, copy, key, std::string(section) + "." + key, label, NumberKind::whole, width, read_only)) {
    editor.draft[section] = std::move(copy);
  }
}

void section_check_field(Ui& ui, ProgramEditor& editor, const char* section, const char* key, const Phrase& label, bool read_only) {
  Json copy = optional_section(editor.draft, section);
  if (check_field(ui, copy, key, label, "", read_only)) editor.draft[section] = std::move(copy);
}

// The key of a tier's threshold, by what places members in tiers (docs/commands.md, tiers[i]).
const char* threshold_key_of(const Json& program) {
  const Json* tier_points = program.is_object() && program.contains("tier_points") ? &program["tier_points"] : nullptr;
  const std::string measure = tier_points != nullptr ? json_text(*tier_points, "qualify_by") : std::string();
  if (measure == "spend_vnd") return "spend_needed_vnd";
  if (measure == "order_count") return "orders_needed";
  return "tier_points_needed";
}

const Phrase& threshold_label_of(const Json& program) {
  const std::string key = threshold_key_of(program);
  if (key == "spend_needed_vnd") return phrases::tier_spend_needed_label;
  if (key == "orders_needed") return phrases::tier_orders_needed_label;
  return phrases::tier_needed_label;
}

// [SECTION] Wallet, tier points, the life of a point --------------------------------------------------
void draw_example(Ui& ui, ProgramEditor& editor) {
  // The inline example follows every keystroke: the core's own earning rule on the draft.
  if (!editor.config) return;
  const WholeNumberReading amount = read_whole_number(editor.example_amount_vnd, amount_vnd_max);
  if (amount.problem != InputProblem::none) return;
  OrderAmounts amounts;
  amounts.amount_vnd = amount.value;
  const OrderPreview preview = preview_order(*editor.config, std::nullopt, amounts);
  const std::string line = fill(say(ui, phrases::example_line), {{"{amount}", money_text(amount.value, ui)},
                                                                 {"{points}", points_text(preview.earning.buyer_points, ui)}});
  Panel box(ImGui::GetContentRegionAvail().x, 12, palette::brand_soft, palette::brand_soft);
  ui.label_text("program_example", line, ui.fonts().body, palette::brand_strong, true);
  box.end();
  ui.publish_state("program.example", line);
  ui.publish_state("program.example_points", std::to_string(preview.earning.buyer_points));
}

void draw_wallet(Ui& ui, ProgramEditor& editor, bool read_only) {
  Json& draft = editor.draft;
  Json& wallet = draft["wallet"];
  Json& tier_points = draft["tier_points"];
  Panel panel(ImGui::GetContentRegionAvail().x, 20);
  say_label(ui, phrases::wallet_heading, ui.fonts().large, palette::text);
  const float width = std::min(panel.inner_width(), 360.0f);
  text_field(ui, editor, draft, "program_name", "program_name", phrases::program_name_label, width, read_only);
  number_field(ui, editor, wallet, "point_value_vnd", "wallet.point_value_vnd", phrases::point_value_label, NumberKind::whole, width, read_only);
  number_field(ui, editor, wallet, "buyer_earn_rate_bp", "wallet.buyer_earn_rate_bp", phrases::buyer_rate_label, NumberKind::percent, width,
               read_only);
  number_field(ui, editor, wallet, "referrer_earn_rate_bp", "wallet.referrer_earn_rate_bp", phrases::referrer_rate_label,
               NumberKind::percent, width, read_only);
  choice_field(ui, wallet, "rounding", phrases::rounding_label,
               {{"down", &phrases::rounding_down}, {"half_up", &phrases::rounding_half_up}, {"up", &phrases::rounding_up}}, read_only);
  check_field(ui, wallet, "exclude_shipping", phrases::exclude_shipping_label, "", read_only);
  draw_example(ui, editor);
  number_field(ui, editor, tier_points, "vnd_per_tier_point", "tier_points.vnd_per_tier_point", phrases::tier_rate_label,
               NumberKind::whole, width, read_only);
  panel.end();
}

// What places a member in a tier, over which period, and how long a tier is kept.
void draw_qualification(Ui& ui, ProgramEditor& editor, bool read_only) {
  Json& draft = editor.draft;
  Json& tier_points = draft["tier_points"];
  Panel panel(ImGui::GetContentRegionAvail().x, 20);
  say_label(ui, phrases::qualification_heading, ui.fonts().large, palette::text);
  const float width = std::min(panel.inner_width(), 360.0f);
  const char* old_key = threshold_key_of(draft);
  if (choice_field(ui, tier_points, "qualify_by", phrases::qualify_by_label,
                   {{"tier_points", &phrases::qualify_tier_points}, {"spend_vnd", &phrases::qualify_spend},
                    {"order_count", &phrases::qualify_orders}},
                   read_only, "tier_points")) {
    if (json_text(tier_points, "qualify_by") == "tier_points") tier_points.erase("qualify_by");   // the core's own form
    // The thresholds keep their numbers under the key the new measure reads.
    const char* new_key = threshold_key_of(draft);
    if (std::string_view(old_key) != new_key && draft["tiers"].is_array()) {
      for (Json& tier : draft["tiers"]) {
        if (!tier.is_object() || !tier.contains(old_key)) continue;
        tier[new_key] = tier[old_key];
        tier.erase(old_key);
      }
      editor.typed.clear();
    }
  }
  const bool calendar_year = json_integer(tier_points, "calendar_year_start_month") != 0 ||
                             (tier_points.contains("calendar_year_start_month") && !tier_points["calendar_year_start_month"].is_number_integer());
  const bool window = !calendar_year && json_integer(tier_points, "window_months") != 0;
  const char* period = calendar_year ? "calendar_year" : window ? "window" : "lifetime";
  Json period_choice{{"period", period}};
  if (const std::optional<std::string> clicked =
          choice_field(ui, period_choice, "period", phrases::period_label,
                       {{"lifetime", &phrases::period_lifetime}, {"window", &phrases::period_window},
                        {"calendar_year", &phrases::period_calendar_year}},
                       read_only)) {
    tier_points["window_months"] = *clicked == "window" ? std::max<std::int64_t>(12, json_integer(tier_points, "window_months")) : 0;
    if (*clicked == "calendar_year") tier_points["calendar_year_start_month"] = 1;
    else tier_points.erase("calendar_year_start_month");
    editor.typed.erase("tier_points.window_months");
    editor.typed.erase("tier_points.calendar_year_start_month");
  }
  if (std::string_view(period) == "window") {
    number_field(ui, editor, tier_points, "window_months", "tier_points.window_months", phrases::window_label, NumberKind::whole,
                 width, read_only);
  }
  if (std::string_view(period) == "calendar_year") {
    number_field(ui, editor, tier_points, "calendar_year_start_month", "tier_points.calendar_year_start_month",
                 phrases::year_start_month_label, NumberKind::whole, width, read_only);
  }
  section_number_field(ui, editor, "tier_retention", "keep_months", phrases::keep_months_label, width, read_only);
  section_check_field(ui, editor, "tier_retention", "fall_at_most_one_tier", phrases::fall_one_tier_label, read_only);
  panel.end();
}

// The core's first problem at `path` or inside it ("earning.excluded_categories[2]").
std::string problem_within(const Ui& ui, const ProgramEditor& editor, const std::string& path) {
  for (const FieldError& problem : editor.problems) {
    if (problem.path == path || problem.path.rfind(path + "[", 0) == 0) {
      return ui.language() == Language::english ? problem.message_en : problem.message_vi;
    }
  }
  return problem_text(ui, editor, path);
}

// A list of ids typed as "thuoc-la, ruou": the array of its non-empty parts, trimmed.
Json list_from_text(std::string_view text) {
  Json list = Json::array();
  std::string part;
  auto flush = [&] {
    const std::size_t first = part.find_first_not_of(' ');
    if (first != std::string::npos) list.push_back(part.substr(first, part.find_last_not_of(' ') - first + 1));
    part.clear();
  };
  for (const char character : text) {
    if (character == ',') flush();
    else part += character;
  }
  flush();
  return list;
}

std::string text_from_list(const Json& list) {
  std::string text;
  if (!list.is_array()) return text;
  for (const Json& item : list) text += (text.empty() ? "" : ", ") + (item.is_string() ? item.get<std::string>() : dump(item));
  return text;
}

void list_field(Ui& ui, ProgramEditor& editor, Json& earning, const char* key, const Phrase& label, float width, bool read_only) {
  const std::string path = std::string("earning.") + key;
  auto found = editor.typed.find(path);
  if (found == editor.typed.end()) found = editor.typed.emplace(path, text_from_list(earning.value(key, Json()))).first;
  const std::string problem = problem_within(ui, editor, path);
  if (labelled_input(ui, field_id(path), label, found->second, width, problem.empty() ? nullptr : &problem, read_only)) {
    Json list = list_from_text(found->second);
    if (list.empty()) earning.erase(key);   // no list is the core's own form of none
    else earning[key] = std::move(list);
  }
}

// Excluded categories and products, and the categories that earn a multiple.
void draw_earning_lists(Ui& ui, ProgramEditor& editor, float available, bool read_only) {
  Json earning = optional_section(editor.draft, "earning");
  const Json before = earning;
  const float width = std::min(available, 520.0f);
  list_field(ui, editor, earning, "excluded_categories", phrases::excluded_categories_label, width, read_only);
  list_field(ui, editor, earning, "excluded_products", phrases::excluded_products_label, width, read_only);
  say_label(ui, phrases::category_multipliers_heading, ui.fonts().small, palette::text_muted);
  Json& multipliers = earning["category_multipliers"];
  if (!multipliers.is_array()) multipliers = Json::array();
  std::optional<std::size_t> remove;
  const float cell = std::min((available - 120) * 0.5f, 260.0f);
  for (std::size_t index = 0; index < multipliers.size(); ++index) {
    const std::string path = "earning.category_multipliers[" + std::to_string(index) + "]";
    text_field(ui, editor, multipliers[index], "category", path + ".category", phrases::category_multiplier_category, cell, read_only);
    ImGui::SameLine();
    number_field(ui, editor, multipliers[index], "multiplier_bp", path + ".multiplier_bp", phrases::category_multiplier_value,
                 NumberKind::multiplier, cell, read_only);
    if (!read_only) {
      ImGui::SameLine();
      if (say_button(ui, phrases::category_multiplier_remove, false, true, "_" + std::to_string(index))) remove = index;
    }
  }
  if (!read_only && say_button(ui, phrases::category_multiplier_add)) {
    multipliers.push_back(Json{{"category", ""}, {"multiplier_bp", 20000}});
  }
  if (remove) {
    multipliers.erase(multipliers.begin() + static_cast<std::ptrdiff_t>(*remove));
    // Paths of the rows after it moved: what was typed is read again from the draft.
    for (auto typed = editor.typed.begin(); typed != editor.typed.end();) {
      typed = typed->first.rfind("earning.category_multipliers[", 0) == 0 ? editor.typed.erase(typed) : std::next(typed);
    }
  }
  // None is left out, unless the document had it so (the core writes an empty list).
  if (multipliers.empty() && !before.contains("category_multipliers")) earning.erase("category_multipliers");
  if (earning != before) editor.draft["earning"] = std::move(earning);
}

// An optional text of a promotion: empty means every tier or every member, so the key goes.
void optional_text_field(Ui& ui, ProgramEditor& editor, Json& object, const char* key, const std::string& path, const Phrase& label,
                         float width, bool read_only) {
  const Json before = object.value(key, Json());
  text_field(ui, editor, object, key, path, label, width, read_only);
  if (object.value(key, Json()) != before && json_text(object, key).empty()) object.erase(key);
}

// Multipliers for a period, optionally for a tier or a group (docs/commands.md, promotions[i]).
void draw_promotions(Ui& ui, ProgramEditor& editor, bool read_only) {
  Json& draft = editor.draft;
  Json promotions = draft.contains("promotions") && draft["promotions"].is_array() ? draft["promotions"] : Json::array();
  const Json before = promotions;
  Panel panel(ImGui::GetContentRegionAvail().x, 20);
  say_label(ui, phrases::promotions_heading, ui.fonts().large, palette::text);
  const std::string problem = problem_text(ui, editor, "promotions");
  if (!problem.empty()) draw_problem(ui, "program_promotions_error", problem);
  const float width = std::min(panel.inner_width() * 0.5f - 12, 300.0f);
  std::optional<std::size_t> remove;
  for (std::size_t index = 0; index < promotions.size(); ++index) {
    Json& promotion = promotions[index];
    const std::string path = "promotions[" + std::to_string(index) + "]";
    const std::string suffix = "_" + std::to_string(index);
    Panel card(ImGui::GetContentRegionAvail().x, 16, palette::app_background, palette::border);
    text_field(ui, editor, promotion, "id", path + ".id", phrases::promotion_id_label, width, read_only);
    ImGui::SameLine();
    text_field(ui, editor, promotion, "name", path + ".name", phrases::promotion_name_label, width, read_only);
    text_field(ui, editor, promotion, "starts_at", path + ".starts_at", phrases::promotion_starts_label, width, read_only);
    ImGui::SameLine();
    text_field(ui, editor, promotion, "ends_at", path + ".ends_at", phrases::promotion_ends_label, width, read_only);
    number_field(ui, editor, promotion, "multiplier_bp", path + ".multiplier_bp", phrases::promotion_multiplier_label,
                 NumberKind::multiplier, width, read_only);
    optional_text_field(ui, editor, promotion, "tier_id", path + ".tier_id", phrases::promotion_tier_label, width, read_only);
    ImGui::SameLine();
    optional_text_field(ui, editor, promotion, "group_id", path + ".group_id", phrases::promotion_group_label, width, read_only);
    choice_field(ui, promotion, "combine", phrases::promotion_combine_label,
                 {{"multiply", &phrases::promotion_combine_multiply}, {"highest", &phrases::promotion_combine_highest}}, read_only,
                 "multiply");
    if (!read_only && say_button(ui, phrases::promotion_remove, false, true, suffix)) remove = index;
    card.end();
    ImGui::Dummy(ImVec2(0, 4));
  }
  if (!read_only && say_button(ui, phrases::promotion_add)) {
    promotions.push_back(Json{{"id", "khuyen-mai-" + std::to_string(promotions.size() + 1)}, {"name", ""},
                              {"starts_at", ""}, {"ends_at", ""}, {"multiplier_bp", 20000}, {"combine", "multiply"}});
  }
  if (remove) {
    promotions.erase(promotions.begin() + static_cast<std::ptrdiff_t>(*remove));
    editor.typed.clear();   // the paths of the promotions after it moved
  }
  if (promotions != before) {
    if (promotions.empty()) draft.erase("promotions");
    else draft["promotions"] = std::move(promotions);
  }
  panel.end();
}

void draw_bonuses_and_limits(Ui& ui, ProgramEditor& editor, bool read_only) {
  Panel panel(ImGui::GetContentRegionAvail().x, 20);
  say_label(ui, phrases::bonuses_heading, ui.fonts().large, palette::text);
  const float width = std::min(panel.inner_width(), 360.0f);
  section_number_field(ui, editor, "bonuses", "welcome_points", phrases::welcome_bonus_label, width, read_only);
  section_number_field(ui, editor, "bonuses", "first_order_points", phrases::first_order_bonus_label, width, read_only);
  section_number_field(ui, editor, "bonuses", "referral_referrer_points", phrases::referral_referrer_bonus_label, width, read_only);
  section_number_field(ui, editor, "bonuses", "referral_new_member_points", phrases::referral_new_member_bonus_label, width,
                       read_only);
  section_check_field(ui, editor, "bonuses", "referral_instead_of_percentage", phrases::referral_instead_label, read_only);
  section_number_field(ui, editor, "bonuses", "profile_completion_points", phrases::profile_bonus_label, width, read_only);
  ImGui::Dummy(ImVec2(0, 6));
  say_label(ui, phrases::limits_heading, ui.fonts().large, palette::text);
  section_number_field(ui, editor, "earning", "minimum_order_vnd", phrases::minimum_order_label, width, read_only);
  section_number_field(ui, editor, "earning", "maximum_points_per_order", phrases::maximum_points_label, width, read_only);
  draw_earning_lists(ui, editor, panel.inner_width(), read_only);
  panel.end();
}

void draw_life_of_a_point(Ui& ui, ProgramEditor& editor, bool read_only) {
  Json& draft = editor.draft;
  Panel panel(ImGui::GetContentRegionAvail().x, 20);
  say_label(ui, phrases::life_heading, ui.fonts().large, palette::text);
  const float width = std::min(panel.inner_width(), 360.0f);
  number_field(ui, editor, draft["pending"], "days", "pending.days", phrases::pending_days_label, NumberKind::whole, width, read_only);
  choice_field(ui, draft["expiry"], "rule", phrases::expiry_rule_label,
               {{"never", &phrases::expiry_never}, {"months_after", &phrases::expiry_months_after},
                {"end_of_month_after", &phrases::expiry_end_of_month}},
               read_only);
  number_field(ui, editor, draft["expiry"], "months", "expiry.months", phrases::expiry_months_label, NumberKind::whole, width, read_only);
  number_field(ui, editor, draft["expiry"], "inactivity_months", "expiry.inactivity_months", phrases::inactivity_label, NumberKind::whole,
               width, read_only);
  if (choice_field(ui, draft["expiry"], "from", phrases::expiry_from_label,
                   {{"completion", &phrases::expiry_from_completion}, {"available", &phrases::expiry_from_available}}, read_only,
                   "completion") == std::optional<std::string>("completion")) {
    draft["expiry"].erase("from");   // the default, as the core writes it
  }
  number_field(ui, editor, draft["pay_with_points"], "max_share_bp", "pay_with_points.max_share_bp", phrases::pay_share_label,
               NumberKind::percent, width, read_only);
  number_field(ui, editor, draft["pay_with_points"], "hold_timeout_s", "pay_with_points.hold_timeout_s", phrases::hold_timeout_label,
               NumberKind::whole, width, read_only);
  check_field(ui, draft["transfers"], "enabled", phrases::transfers_label, "", read_only);
  number_field(ui, editor, draft["transfers"], "daily_limit_points", "transfers.daily_limit_points", phrases::transfer_limit_label,
               NumberKind::whole, width, read_only);
  number_field(ui, editor, draft["transfers"], "minimum_balance_points", "transfers.minimum_balance_points",
               phrases::transfer_minimum_label, NumberKind::whole, width, read_only);
  panel.end();
}

// [SECTION] Tiers and perks ------------------------------------------------------------------------------
struct PerkField {
  const char* type;
  const Phrase* label;
  const char* key;            // the perk's parameter
  NumberKind kind;
  bool is_text = false;
};
constexpr PerkField perk_fields[] = {
    {"voucher_point_discount", &phrases::perk_voucher, "discount_bp", NumberKind::percent},
    {"earning_multiplier", &phrases::perk_multiplier, "multiplier_bp", NumberKind::multiplier},
    {"birthday_bonus", &phrases::perk_birthday, "birthday_bonus_points", NumberKind::whole},
    {"free_shipping", &phrases::perk_shipping, "free_shipping_min_order_vnd", NumberKind::whole},
    {"private_price_list", &phrases::perk_price_list, "price_list_id", NumberKind::whole, true},
};

// An id the core accepts, from the tier's name: "Bạch kim" -> "bach_kim".
std::string tier_id_from(std::string_view name) {
  std::string id;
  for (const char character : fold_for_search(name)) {
    if ((character >= 'a' && character <= 'z') || (character >= '0' && character <= '9')) {
      id += character;
    } else if (!id.empty() && id.back() != '_') {
      id += '_';
    }
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  return id;
}

void draw_tier_editor(Ui& ui, ProgramEditor& editor, std::size_t index, bool read_only, std::optional<std::size_t>& remove,
                      std::optional<std::pair<std::size_t, std::size_t>>& swap) {
  Json& tiers = editor.draft["tiers"];
  Json& tier = tiers[index];
  const std::string path = "tiers[" + std::to_string(index) + "]";
  const std::string suffix = "_" + std::to_string(index);
  Panel panel(ImGui::GetContentRegionAvail().x, 16, palette::app_background, palette::border);
  const float width = std::min(panel.inner_width(), 300.0f);
  const std::string id_before = json_text(tier, "id");
  const std::string name_before = json_text(tier, "name");
  text_field(ui, editor, tier, "name", path + ".name", phrases::tier_name_label, width, read_only);
  // A new tier's id follows its name until someone types one.
  if (json_text(tier, "name") != name_before && (id_before.empty() || id_before == tier_id_from(name_before))) {
    tier["id"] = tier_id_from(json_text(tier, "name"));
  }
  ImGui::SameLine();
  text_field(ui, editor, tier, "id", path + ".id", phrases::tier_id_label, width, read_only);
  const char* threshold = threshold_key_of(editor.draft);
  number_field(ui, editor, tier, threshold, path + "." + threshold, threshold_label_of(editor.draft), NumberKind::whole, width,
               read_only);
  ImGui::SameLine();
  text_field(ui, editor, tier, "description", path + ".description", phrases::tier_description_label, width, read_only);
  number_field(ui, editor, tier, "tier_up_bonus_points", path + ".tier_up_bonus_points", phrases::tier_up_bonus_label,
               NumberKind::whole, width, read_only);
  if (!tier.contains("perks") || !tier["perks"].is_array()) tier["perks"] = Json::array();
  Json& perks = tier["perks"];
  for (const PerkField& field : perk_fields) {
    Json* perk = nullptr;
    std::size_t perk_index = 0;
    for (std::size_t candidate = 0; candidate < perks.size(); ++candidate) {
      if (json_text(perks[candidate], "type") == field.type) {
        perk = &perks[candidate];
        perk_index = candidate;
        break;
      }
    }
    Json scratch{{"type", field.type}, {"enabled", false}};
    Json& shown = perk != nullptr ? *perk : scratch;
    const std::string perk_suffix = suffix + "_" + field.type;
    if (check_field(ui, shown, "enabled", *field.label, perk_suffix, read_only) && perk == nullptr) {
      // Ticked for the first time: a perk with a sensible starting value.
      if (field.is_text) {
        shown[field.key] = "bang-gia-" + tier_id_from(json_text(tier, "name"));
      } else {
        shown[field.key] = field.kind == NumberKind::percent ? 500 : field.kind == NumberKind::multiplier ? 12000 : 0;
      }
      perks.push_back(shown);
      perk = &perks.back();
      perk_index = perks.size() - 1;
      editor.typed.erase(path + ".perks[" + std::to_string(perk_index) + "]." + field.key);
    }
    if (perk != nullptr && perk->value("enabled", false)) {
      const std::string perk_path = path + ".perks[" + std::to_string(perk_index) + "]." + field.key;
      ImGui::Indent(28);
      if (field.is_text) {
        text_field(ui, editor, *perk, field.key, perk_path, *field.label, width, read_only);
      } else {
        number_field(ui, editor, *perk, field.key, perk_path, *field.label, field.kind, width, read_only);
      }
      ImGui::Unindent(28);
    }
  }
  if (!read_only) {
    if (index > 0 && say_button(ui, phrases::tier_up, false, true, suffix)) swap = std::make_pair(index - 1, index);
    ImGui::SameLine();
    if (index + 1 < tiers.size() && say_button(ui, phrases::tier_down, false, true, suffix)) swap = std::make_pair(index, index + 1);
    ImGui::SameLine();
    if (say_button(ui, phrases::tier_remove, false, true, suffix)) remove = index;
  }
  panel.end();
}

void draw_tiers(Ui& ui, ProgramEditor& editor, bool read_only) {
  Json& tiers = editor.draft["tiers"];
  if (!tiers.is_array()) tiers = Json::array();
  Panel panel(ImGui::GetContentRegionAvail().x, 20);
  say_label(ui, phrases::tiers_heading, ui.fonts().large, palette::text);
  const std::string problem = problem_text(ui, editor, "tiers");
  if (!problem.empty()) draw_problem(ui, "program_tiers_error", problem);
  std::optional<std::size_t> remove;
  std::optional<std::pair<std::size_t, std::size_t>> swap;
  for (std::size_t index = 0; index < tiers.size(); ++index) {
    draw_tier_editor(ui, editor, index, read_only, remove, swap);
    ImGui::Dummy(ImVec2(0, 4));
  }
  if (!read_only && say_button(ui, phrases::tier_add)) {
    const char* threshold = threshold_key_of(editor.draft);
    const std::int64_t above = tiers.empty() ? 0 : json_integer(tiers.back(), threshold) + 1;
    tiers.push_back(Json{{"id", ""}, {"name", ""}, {"description", ""}, {threshold, above}, {"perks", Json::array()}});
  }
  // Paths of the tiers move with them: what was typed is read again from the draft.
  if (remove) {
    tiers.erase(tiers.begin() + static_cast<std::ptrdiff_t>(*remove));
    editor.typed.clear();
  }
  if (swap) {
    std::swap(tiers[swap->first], tiers[swap->second]);
    editor.typed.clear();
  }
  panel.end();
}

// [SECTION] Before saving ---------------------------------------------------------------------------------
// The difference from the version in force, in the editor's own words: each changed field
// by its label with the old and new values as they are typed, tiers by their name (a tier
// is the same tier when its id is), perks ticked or unticked.
struct FieldLabel {
  const char* section;      // "" for the top level
  const char* key;
  const Phrase* label;
  NumberKind kind;
};
constexpr FieldLabel field_labels[] = {
    {"", "program_name", &phrases::program_name_label, NumberKind::whole},
    {"wallet", "point_value_vnd", &phrases::point_value_label, NumberKind::whole},
    {"wallet", "buyer_earn_rate_bp", &phrases::buyer_rate_label, NumberKind::percent},
    {"wallet", "referrer_earn_rate_bp", &phrases::referrer_rate_label, NumberKind::percent},
    {"wallet", "rounding", &phrases::rounding_label, NumberKind::whole},
    {"wallet", "exclude_shipping", &phrases::exclude_shipping_label, NumberKind::whole},
    {"tier_points", "vnd_per_tier_point", &phrases::tier_rate_label, NumberKind::whole},
    {"tier_points", "window_months", &phrases::window_label, NumberKind::whole},
    {"tier_points", "qualify_by", &phrases::qualify_by_label, NumberKind::choice},
    {"tier_points", "calendar_year_start_month", &phrases::year_start_month_label, NumberKind::whole},
    {"tier_retention", "keep_months", &phrases::keep_months_label, NumberKind::whole},
    {"tier_retention", "fall_at_most_one_tier", &phrases::fall_one_tier_label, NumberKind::whole},
    {"bonuses", "welcome_points", &phrases::welcome_bonus_label, NumberKind::whole},
    {"bonuses", "first_order_points", &phrases::first_order_bonus_label, NumberKind::whole},
    {"bonuses", "referral_referrer_points", &phrases::referral_referrer_bonus_label, NumberKind::whole},
    {"bonuses", "referral_new_member_points", &phrases::referral_new_member_bonus_label, NumberKind::whole},
    {"bonuses", "referral_instead_of_percentage", &phrases::referral_instead_label, NumberKind::whole},
    {"bonuses", "profile_completion_points", &phrases::profile_bonus_label, NumberKind::whole},
    {"earning", "minimum_order_vnd", &phrases::minimum_order_label, NumberKind::whole},
    {"earning", "maximum_points_per_order", &phrases::maximum_points_label, NumberKind::whole},
    {"expiry", "from", &phrases::expiry_from_label, NumberKind::choice},
    {"earning", "excluded_categories", &phrases::excluded_categories_label, NumberKind::whole},
    {"earning", "excluded_products", &phrases::excluded_products_label, NumberKind::whole},
    {"pending", "days", &phrases::pending_days_label, NumberKind::whole},
    {"expiry", "rule", &phrases::expiry_rule_label, NumberKind::whole},
    {"expiry", "months", &phrases::expiry_months_label, NumberKind::whole},
    {"expiry", "inactivity_months", &phrases::inactivity_label, NumberKind::whole},
    {"pay_with_points", "max_share_bp", &phrases::pay_share_label, NumberKind::percent},
    {"pay_with_points", "hold_timeout_s", &phrases::hold_timeout_label, NumberKind::whole},
    {"transfers", "enabled", &phrases::transfers_label, NumberKind::whole},
    {"transfers", "daily_limit_points", &phrases::transfer_limit_label, NumberKind::whole},
    {"transfers", "minimum_balance_points", &phrases::transfer_minimum_label, NumberKind::whole},
};

// The words of a choice's value, as its button says it.
constexpr std::pair<std::string_view, const Phrase*> choice_words[] = {
    {"tier_points", &phrases::qualify_tier_points}, {"spend_vnd", &phrases::qualify_spend},
    {"order_count", &phrases::qualify_orders},      {"completion", &phrases::expiry_from_completion},
    {"available", &phrases::expiry_from_available},
};

std::string value_words(const Ui& ui, const Json& value, NumberKind kind) {
  if (kind == NumberKind::choice) {
    for (const auto& [choice, phrase] : choice_words) {
      if (value.is_string() && value.get<std::string>() == choice) return std::string(say(ui, *phrase));
    }
  }
  if (value.is_null()) return "—";
  if (value.is_boolean()) return std::string(say(ui, value.get<bool>() ? phrases::yes_word : phrases::no_word));
  if (value.is_number_integer() && kind == NumberKind::whole) return points_text(value.get<std::int64_t>(), ui);
  if (value.is_number_integer() && kind == NumberKind::percent) return number_text(value, kind) + " %";
  if (value.is_number_integer() && kind == NumberKind::multiplier) return "x" + number_text(value, kind);
  if (value.is_array() && std::all_of(value.begin(), value.end(), [](const Json& item) { return item.is_string(); })) {
    return text_from_list(value);
  }
  return value.is_string() ? value.get<std::string>() : dump(value);
}

const Json& member_or_null(const Json& object, const char* key) {
  static const Json null_value;
  if (!object.is_object()) return null_value;
  const auto found = object.find(key);
  return found != object.end() ? *found : null_value;
}

const Json* tier_by_id(const Json& program, const std::string& id) {
  const Json& tiers = member_or_null(program, "tiers");
  if (!tiers.is_array()) return nullptr;
  for (const Json& tier : tiers) {
    if (json_text(tier, "id") == id) return &tier;
  }
  return nullptr;
}

const Json* perk_by_type(const Json& tier, const char* type) {
  const Json& perks = member_or_null(tier, "perks");
  if (!perks.is_array()) return nullptr;
  for (const Json& perk : perks) {
    if (json_text(perk, "type") == type) return &perk;
  }
  return nullptr;
}

std::vector<std::string> describe_changes(const Ui& ui, const Json& before, const Json& after) {
  std::vector<std::string> lines;
  auto changed = [&](const std::string& label, const std::string& old_value, const std::string& new_value) {
    if (old_value != new_value) lines.push_back(label + ": " + old_value + " → " + new_value);
  };
  for (const FieldLabel& field : field_labels) {
    const Json& old_section = *field.section ? member_or_null(before, field.section) : before;
    const Json& new_section = *field.section ? member_or_null(after, field.section) : after;
    changed(std::string(say(ui, *field.label)), value_words(ui, member_or_null(old_section, field.key), field.kind),
            value_words(ui, member_or_null(new_section, field.key), field.kind));
  }
  // Category multipliers as "huu-co x2, gao x1,5".
  auto multiplier_words = [&](const Json& program) {
    const Json& rows = member_or_null(member_or_null(program, "earning"), "category_multipliers");
    std::string words;
    if (rows.is_array()) {
      for (const Json& row : rows) {
        words += (words.empty() ? "" : ", ") + json_text(row, "category") + " " +
                 value_words(ui, member_or_null(row, "multiplier_bp"), NumberKind::multiplier);
      }
    }
    return words.empty() ? std::string("—") : words;
  };
  changed(std::string(say(ui, phrases::category_multipliers_heading)), multiplier_words(before), multiplier_words(after));
  if (member_or_null(before, "promotions") != member_or_null(after, "promotions")) {
    lines.push_back(std::string(say(ui, phrases::diff_promotions)));
  }
  const Json& new_tiers = member_or_null(after, "tiers");
  const Json& old_tiers = member_or_null(before, "tiers");
  std::vector<std::string> old_order, new_order;
  if (old_tiers.is_array()) {
    for (const Json& tier : old_tiers) {
      old_order.push_back(json_text(tier, "id"));
      if (tier_by_id(after, json_text(tier, "id")) == nullptr) {
        lines.push_back(fill(say(ui, phrases::diff_tier_removed), {{"{name}", json_text(tier, "name")}}));
      }
    }
  }
  if (new_tiers.is_array()) {
    for (const Json& tier : new_tiers) {
      const std::string id = json_text(tier, "id");
      const std::string name = json_text(tier, "name");
      const Json* old_tier = tier_by_id(before, id);
      if (old_tier != nullptr) new_order.push_back(id);
      if (old_tier == nullptr) {
        lines.push_back(fill(say(ui, phrases::diff_tier_added),
                             {{"{name}", name}, {"{points}", value_words(ui, member_or_null(tier, threshold_key_of(after)), NumberKind::whole)}}));
      } else {
        changed(name + " · " + std::string(say(ui, phrases::tier_name_label)), json_text(*old_tier, "name"), name);
        changed(name + " · " + std::string(say(ui, threshold_label_of(after))),
                value_words(ui, member_or_null(*old_tier, threshold_key_of(before)), NumberKind::whole),
                value_words(ui, member_or_null(tier, threshold_key_of(after)), NumberKind::whole));
        changed(name + " · " + std::string(say(ui, phrases::tier_up_bonus_label)),
                value_words(ui, member_or_null(*old_tier, "tier_up_bonus_points"), NumberKind::whole),
                value_words(ui, member_or_null(tier, "tier_up_bonus_points"), NumberKind::whole));
        changed(name + " · " + std::string(say(ui, phrases::tier_description_label)), json_text(*old_tier, "description"),
                json_text(tier, "description"));
      }
      for (const PerkField& field : perk_fields) {
        const Json* old_perk = old_tier != nullptr ? perk_by_type(*old_tier, field.type) : nullptr;
        const Json* new_perk = perk_by_type(tier, field.type);
        const bool was_on = old_perk != nullptr && old_perk->value("enabled", false);
        const bool is_on = new_perk != nullptr && new_perk->value("enabled", false);
        const std::string perk_label = std::string(say(ui, *field.label));
        if (is_on && !was_on) {
          lines.push_back(fill(say(ui, phrases::diff_perk_on),
                               {{"{tier}", name}, {"{perk}", perk_label + " " + value_words(ui, member_or_null(*new_perk, field.key), field.kind)}}));
        } else if (was_on && !is_on) {
          lines.push_back(fill(say(ui, phrases::diff_perk_off), {{"{tier}", name}, {"{perk}", perk_label}}));
        } else if (is_on) {
          changed(name + " · " + perk_label, value_words(ui, member_or_null(*old_perk, field.key), field.kind),
                  value_words(ui, member_or_null(*new_perk, field.key), field.kind));
        }
      }
    }
  }
  // Tiers kept in both, in another order (a reorder changes nothing else).
  std::vector<std::string> kept_old;
  for (const std::string& id : old_order) {
    if (std::find(new_order.begin(), new_order.end(), id) != new_order.end()) kept_old.push_back(id);
  }
  if (kept_old != new_order) lines.push_back(std::string(say(ui, phrases::diff_order)));
  return lines;
}

std::string tier_name_of(const Json& program, const std::string& tier_id, const Ui& ui) {
  if (tier_id == "none") return std::string(say(ui, phrases::no_tier));
  for (const Json& tier : program["tiers"]) {
    if (json_text(tier, "id") == tier_id) return json_text(tier, "name");
  }
  return tier_id;
}

void draw_review(Ui& ui, ProgramEditor& editor, Backend& backend, const Json& in_force_program) {
  Panel panel(ImGui::GetContentRegionAvail().x, 20, palette::info_soft, palette::info_border);
  say_label(ui, phrases::review_heading, ui.fonts().large, palette::info_text);
  say_label(ui, phrases::diff_heading, ui.fonts().body, palette::text);
  const std::vector<std::string> changes = describe_changes(ui, in_force_program, editor.draft);
  if (changes.empty()) say_label(ui, phrases::diff_none, ui.fonts().small, palette::text_muted);
  for (std::size_t index = 0; index < changes.size(); ++index) {
    ui.label_text("program_diff_" + std::to_string(index), "• " + changes[index], ui.fonts().small, palette::text, true);
  }
  ui.publish_state("program.changes", std::to_string(changes.size()));
  std::string joined;
  for (const std::string& change : changes) joined += change + "\n";
  ui.publish_state("program.diff", joined);
  if (editor.config) {
    ImGui::Dummy(ImVec2(0, 6));
    say_label(ui, phrases::rules_heading, ui.fonts().body, palette::text);
    const std::string rules = describe_program(*editor.config, core_language(ui.language()));
    ui.label_text("program_rules_text", rules, ui.fonts().small, palette::text, true);
    ui.publish_state("program.rules_text", rules);
    if (say_button(ui, phrases::copy_rules)) ImGui::SetClipboardText(rules.c_str());
    // Members per tier now and after, from the store.
    ImGui::Dummy(ImVec2(0, 6));
    say_label(ui, phrases::impact_heading, ui.fonts().body, palette::text);
    const std::string draft_text = dump(editor.draft);
    if (backend.permissions().read_insights && say_button(ui, phrases::impact_button, false, editor.impact_ticket == 0)) {
      editor.impact_draft = draft_text;
      editor.impact_ticket = backend.program_impact(editor.draft);
    }
    if (editor.impact_refusal) draw_problem(ui, "program_impact_error", say(ui, editor.impact_refusal->message));
    if (editor.impact.is_object() && editor.impact_draft == draft_text) {
      const Json& now = editor.impact["tiers_now"];
      const Json& after = editor.impact["tiers_after"];
      std::map<std::string, std::int64_t> after_counts;
      for (const Json& row : after) after_counts[json_text(row, "tier")] = json_integer(row, "members");
      std::map<std::string, std::int64_t> now_counts;
      for (const Json& row : now) now_counts[json_text(row, "tier")] = json_integer(row, "members");
      std::vector<std::string> order;
      for (const Json& row : now) order.push_back(json_text(row, "tier"));
      for (const Json& row : after) {
        if (std::find(order.begin(), order.end(), json_text(row, "tier")) == order.end()) order.push_back(json_text(row, "tier"));
      }
      for (const std::string& tier : order) {
        const std::string name = tier_name_of(now_counts.count(tier) ? in_force_program : editor.draft, tier, ui);
        ui.label_text("program_impact_" + tier,
                      name + ": " + points_text(now_counts[tier], ui) + " → " + points_text(after_counts[tier], ui),
                      ui.fonts().body, palette::text);
        ui.publish_state("impact." + tier, std::to_string(now_counts[tier]) + "->" + std::to_string(after_counts[tier]));
      }
      ui.label_text("program_impact_moved", fill(say(ui, phrases::impact_moved), {{"{up}", std::to_string(json_integer(editor.impact, "moved_up"))},
                                                                                   {"{down}", std::to_string(json_integer(editor.impact, "moved_down"))}}),
                    ui.fonts().small, palette::text_muted);
    }
  }
  panel.end();
}

// Pasted or opened from a file, a document replaces the draft only when the core reads it
// as a whole program; otherwise the draft stays as it was and the problems say why, by field.
void import_program(const Ui& ui, ProgramEditor& editor, std::string_view text, std::string_view file_name) {
  editor.import_problems.clear();
  const bool english = ui.language() == Language::english;
  const Json imported = Json::parse(text, nullptr, false);
  if (imported.is_discarded()) {
    editor.import_problems.push_back(std::string(say(ui, phrases::import_not_json)));
    return;
  }
  if (!imported.is_object()) {
    editor.import_problems.push_back(std::string(say(ui, phrases::import_not_program)));
    return;
  }
  const ProgramConfigReading reading = read_program_config(imported);
  for (const FieldError& problem : reading.errors) {
    editor.import_problems.push_back((problem.path.empty() ? std::string() : problem.path + ": ") +
                                     (english ? problem.message_en : problem.message_vi));
  }
  if (!reading.config) return;
  // In the core's own form, as the editor and the export write it (defaults filled in).
  editor.draft = program_config_to_json(*reading.config);
  editor.typed.clear();
  editor.save_reply.reset();
  editor.imported_from = std::string(file_name);
}

// "chuong-trinh-cua-hang-an-nhien-2026-12-01.json": the store (folded to ASCII) and the day.
std::string export_file_name(const Ui& ui, const ModeSummary& mode) {
  std::string store;
  for (const char character : fold_for_search(mode.connected ? mode.store_name : std::string("demo"))) {
    const bool keep = (character >= 'a' && character <= 'z') || (character >= '0' && character <= '9');
    if (keep) store += character;
    else if (!store.empty() && store.back() != '-') store += '-';
  }
  while (!store.empty() && store.back() == '-') store.pop_back();
  if (store.empty()) store = "cua-hang";
  const std::string day = format_local_date(ui.now(), TimeZone{});   // "01/12/2026"
  const std::string iso_day = day.size() == 10 ? day.substr(6, 4) + "-" + day.substr(3, 2) + "-" + day.substr(0, 2) : day;
  return "chuong-trinh-" + store + "-" + iso_day + ".json";
}

void draw_export_import(Ui& ui, ProgramEditor& editor, const ModeSummary& mode, bool read_only) {
  if (editor.file_choice != 0) {
    if (std::optional<platform::OpenedFile> file = platform::take_opened_file(editor.file_choice)) {
      editor.file_choice = 0;
      switch (file->outcome) {
        case platform::OpenedFile::Outcome::read: import_program(ui, editor, file->text, file->name); break;
        case platform::OpenedFile::Outcome::cancelled: break;
        case platform::OpenedFile::Outcome::too_large:
          editor.import_problems = {std::string(say(ui, phrases::import_too_large))};
          break;
        case platform::OpenedFile::Outcome::unreadable:
          editor.import_problems = {std::string(say(ui, phrases::import_unreadable))};
          break;
      }
    }
  }
  Panel panel(ImGui::GetContentRegionAvail().x, 20);
  say_label(ui, phrases::export_heading, ui.fonts().large, palette::text);
  const std::string exported = editor.draft.dump(2, ' ', false, Json::error_handler_t::replace);
  if (say_button(ui, phrases::export_download)) {
    platform::download_text_file(export_file_name(ui, mode), "application/json", exported + "\n");
  }
  ImGui::SameLine();
  if (say_button(ui, phrases::export_copy)) ImGui::SetClipboardText(exported.c_str());
  ui.publish_state("program.export", dump(editor.draft));
  ui.publish_state("program.export_file", export_file_name(ui, mode));
  if (!read_only) {
    ImGui::SameLine();
    if (say_button(ui, phrases::import_file, false, editor.file_choice == 0)) editor.file_choice = platform::start_file_choice(".json,application/json");
    if (!editor.imported_from.empty()) {
      ui.label_text("program_imported_from", fill(say(ui, phrases::imported_from), {{"{file}", editor.imported_from}}), ui.fonts().small,
                    palette::text_muted, true);
    }
    ImGui::SetNextItemWidth(panel.inner_width());
    ImGui::InputTextMultiline("##program_import", &editor.import_text, ImVec2(panel.inner_width(), 90));
    ui.record_input("program_import", editor.import_text);
    if (say_button(ui, phrases::import_button, false, !editor.import_text.empty())) {
      import_program(ui, editor, editor.import_text, {});
      if (editor.import_problems.empty()) editor.import_text.clear();
    }
    if (!editor.import_problems.empty()) {
      draw_problem(ui, "program_import_error", say(ui, phrases::import_invalid));
      for (std::size_t index = 0; index < editor.import_problems.size(); ++index) {
        ui.label_text("program_import_problem_" + std::to_string(index), editor.import_problems[index], ui.fonts().small,
                      palette::danger_text, true);
      }
    }
    ui.publish_state("program.import_problems", std::to_string(editor.import_problems.size()));
  }
  panel.end();
}

// [SECTION] Versions --------------------------------------------------------------------------------------
void draw_versions(Ui& ui, ProgramView& view) {
  if (!view.versions.is_array()) {
    say_label(ui, phrases::loading, ui.fonts().body, palette::text_muted);
    return;
  }
  Panel panel(ImGui::GetContentRegionAvail().x, 20);
  say_label(ui, phrases::versions_heading, ui.fonts().large, palette::text);
  ui.publish_state("program.versions", std::to_string(view.versions.size()));
  for (std::size_t index = view.versions.size(); index-- > 0;) {
    const Json& version = view.versions[index];
    const std::string suffix = "_" + std::to_string(json_integer(version, "version"));
    ui.label_text("program_version" + suffix,
                  fill(say(ui, phrases::version_line), {{"{version}", std::to_string(json_integer(version, "version"))},
                                                        {"{date}", format_date(json_text(version, "effective_from"))}}),
                  ui.fonts().body, palette::text);
    ImGui::SameLine();
    if (say_button(ui, phrases::version_open, false, true, suffix)) view.open_version = index;
  }
  panel.end();
  if (view.open_version && *view.open_version < view.versions.size()) {
    const Json& version = view.versions[*view.open_version];
    ImGui::Dummy(ImVec2(0, 8));
    Panel opened(ImGui::GetContentRegionAvail().x, 20, palette::app_background, palette::border);
    ui.label_text("program_version_open_heading",
                  fill(say(ui, phrases::version_read_only), {{"{version}", std::to_string(json_integer(version, "version"))}}),
                  ui.fonts().large, palette::text);
    const ProgramConfigReading reading = read_program_config(version["program"]);
    if (reading.config) {
      ui.label_text("program_version_rules", describe_program(*reading.config, core_language(ui.language())), ui.fonts().small,
                    palette::text, true);
    }
    std::string text = version["program"].dump(2, ' ', false, Json::error_handler_t::replace);
    ImGui::InputTextMultiline("##program_version_json", &text, ImVec2(opened.inner_width(), 200), ImGuiInputTextFlags_ReadOnly);
    opened.end();
  }
}

}  // namespace

// [SECTION] The screen -------------------------------------------------------------------------------------
bool ProgramView::has_unsaved_changes() const {
  return in_force.is_object() && editor.draft.is_object() && dump(editor.draft) != dump(in_force["program"]);
}

void ProgramView::discard_changes() {
  if (!in_force.is_object()) return;
  editor.draft = in_force["program"];
  editor.typed.clear();
  editor.save_reply.reset();
}

ViewRequest ProgramView::draw(Ui& ui, Backend* backend, const ModeSummary& mode, WalletTiersView& preview,
                              const DemoProgram& fallback) {
  ViewRequest request;
  if (backend != nullptr && backend->ready()) {
    if (data_generation != backend->data_generation() && program_ticket == 0) {
      data_generation = backend->data_generation();
      program_ticket = backend->get_program();
      versions_ticket = backend->program_versions();
    }
    if (program_ticket != 0) {
      if (std::optional<BackendReply> reply = backend->take(program_ticket)) {
        program_ticket = 0;
        if (reply->ok()) {
          const bool keep_draft = has_unsaved_changes() && !editor.reload_draft;
          editor.reload_draft = false;
          in_force = std::move(reply->data);
          const ProgramConfigReading reading = read_program_config(in_force["program"]);
          if (reading.config) program = DemoProgram{*reading.config};
          if (!keep_draft) discard_changes();
        }
      }
    }
    if (versions_ticket != 0) {
      if (std::optional<BackendReply> reply = backend->take(versions_ticket)) {
        versions_ticket = 0;
        if (reply->ok()) versions = reply->data["versions"];
      }
    }
    if (editor.save_ticket != 0) {
      if (std::optional<BackendReply> reply = backend->take(editor.save_ticket)) {
        editor.save_ticket = 0;
        editor.reload_draft = reply->ok();
        editor.save_reply = std::move(reply);
      }
    }
    if (editor.impact_ticket != 0) {
      if (std::optional<BackendReply> reply = backend->take(editor.impact_ticket)) {
        editor.impact_ticket = 0;
        if (reply->ok()) {
          editor.impact = std::move(reply->data);
          editor.impact_refusal.reset();
        } else {
          editor.impact_refusal = std::move(reply);
        }
      }
    }
  }

  // Tabs: the preview for everyone; the editor and versions once the store's program came.
  const bool editable = backend != nullptr && in_force.is_object();
  if (editable) {
    // On a wide screen the tabs sit at the right of the screen's heading line, so that the
    // preview below keeps its place; on a narrow one they take their own row.
    const ImGuiStyle& style = ImGui::GetStyle();
    float tabs_width = 0;
    for (const Phrase* phrase : {&phrases::program_tab_preview, &phrases::program_tab_edit, &phrases::program_tab_versions}) {
      tabs_width += ui.measure(ui.fonts().body, say(ui, *phrase)).x + style.FramePadding.x * 2 + style.ItemSpacing.x;
    }
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const float available = ImGui::GetContentRegionAvail().x;
    const bool beside_heading = available >= 900 && !has_unsaved_changes();
    if (beside_heading) ImGui::SetCursorScreenPos(ImVec2(start.x + available - tabs_width, start.y + 4));
    if (say_button(ui, phrases::program_tab_preview, tab == Tab::preview)) tab = Tab::preview;
    ImGui::SameLine();
    if (say_button(ui, phrases::program_tab_edit, tab == Tab::edit)) tab = Tab::edit;
    ImGui::SameLine();
    if (say_button(ui, phrases::program_tab_versions, tab == Tab::versions)) tab = Tab::versions;
    if (has_unsaved_changes()) {
      ImGui::SameLine();
      ui.draw_pill(ImGui::GetWindowDrawList(), ImVec2(ImGui::GetCursorScreenPos().x, ImGui::GetCursorScreenPos().y + 6),
                   palette::amber_soft, palette::amber_text, phrases::unsaved_badge.id, say(ui, phrases::unsaved_badge));
      ImGui::NewLine();
    }
    ui.publish_state("program.unsaved", has_unsaved_changes() ? "yes" : "no");
    ui.publish_state("program.version", std::to_string(json_integer(in_force, "version")));
    if (beside_heading) {
      ImGui::SetCursorScreenPos(start);
    } else {
      ImGui::Dummy(ImVec2(0, 6));
    }
  } else {
    tab = Tab::preview;
  }
  if (tab == Tab::preview) return preview.draw(ui, program ? *program : fallback, mode);
  if (tab == Tab::versions) {
    draw_versions(ui, *this);
    return request;
  }

  // The editor: the core checks the draft whenever it changed.
  const std::string draft_text = dump(editor.draft);
  if (draft_text != editor.checked_draft) {
    editor.checked_draft = draft_text;
    ProgramConfigReading reading = read_program_config(editor.draft);
    editor.problems = std::move(reading.errors);
    editor.config = std::move(reading.config);
  }
  const bool can_save = backend->permissions().write_program;
  const bool read_only = !can_save;
  draw_screen_heading(ui, TextKey::nav_wallet_tiers, TextKey::wallet_tiers_description);
  if (read_only) say_label(ui, phrases::save_not_allowed, ui.fonts().body, palette::text_muted, true);
  labelled_input(ui, "program_example_amount", phrases::column_value, editor.example_amount_vnd, 200);
  draw_wallet(ui, editor, read_only);
  ImGui::Dummy(ImVec2(0, 8));
  draw_qualification(ui, editor, read_only);
  ImGui::Dummy(ImVec2(0, 8));
  draw_tiers(ui, editor, read_only);
  ImGui::Dummy(ImVec2(0, 8));
  draw_bonuses_and_limits(ui, editor, read_only);
  ImGui::Dummy(ImVec2(0, 8));
  draw_promotions(ui, editor, read_only);
  ImGui::Dummy(ImVec2(0, 8));
  draw_life_of_a_point(ui, editor, read_only);
  ImGui::Dummy(ImVec2(0, 8));
  draw_review(ui, editor, *backend, in_force["program"]);
  ImGui::Dummy(ImVec2(0, 8));
  ui.publish_state("program.problems", std::to_string(editor.problems.size()));
  if (!editor.problems.empty()) {
    ui.label_text("program_invalid_summary",
                  fill(say(ui, phrases::invalid_summary), {{"{count}", std::to_string(editor.problems.size())}}), ui.fonts().body,
                  palette::danger_text);
    for (std::size_t index = 0; index < editor.problems.size(); ++index) {
      const FieldError& problem = editor.problems[index];
      ui.label_text("program_problem_" + std::to_string(index),
                    problem.path + ": " + (ui.language() == Language::english ? problem.message_en : problem.message_vi),
                    ui.fonts().small, palette::danger_text, true);
    }
  }
  if (editor.save_reply) {
    if (editor.save_reply->ok()) {
      ui.label_text("program_saved", fill(say(ui, phrases::saved_version), {{"{version}", std::to_string(json_integer(editor.save_reply->data, "version"))}}),
                    ui.fonts().body, palette::success_text);
    } else {
      draw_problem(ui, "program_save_error", say(ui, editor.save_reply->message));
    }
  }
  if (can_save) {
    const bool ready = editor.problems.empty() && has_unsaved_changes() && editor.save_ticket == 0;
    if (say_button(ui, phrases::save_button, true, ready)) {
      editor.save_reply.reset();
      editor.save_ticket = backend->save_program(editor.draft);
    }
    ImGui::SameLine();
    if (say_button(ui, phrases::discard_button, false, has_unsaved_changes())) discard_changes();
  }
  ImGui::Dummy(ImVec2(0, 8));
  draw_export_import(ui, editor, mode, read_only);
  return request;
}

}  // namespace loyalty::console
