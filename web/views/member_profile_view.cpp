// member_profile_view.cpp: one member as support staff see them.
//
// [SECTION] Reading the core's answers
// [SECTION] Balances and tier
// [SECTION] "Why this balance?"
// [SECTION] History
// [SECTION] Details, block, corrections
// [SECTION] The profile
//
// Balances (spendable, pending, held), the tier with a bar to the next one and when tier
// points leave the window, points by expiry month, pending points by order (release or
// cancel), the points history page by page, the balance explained lot by lot, and the
// corrections: each with a reason and a confirmation. The role decides what is offered.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "views/member_views.hpp"
#include "views/views.hpp"
// After views.hpp, which brings imgui.h.
#include "imgui_stdlib.h"

namespace loyalty::console {
namespace {

constexpr int history_page = 20;

std::string_view in_language(const Ui& ui, const Json& bilingual) {
  if (!bilingual.is_object()) return {};
  const char* key = ui.language() == Language::english ? "en" : "vi";
  const auto found = bilingual.find(key);
  return found != bilingual.end() && found->is_string() ? std::string_view(found->get_ref<const std::string&>())
                                                        : std::string_view();
}
std::string signed_points(std::int64_t points, const Ui& ui) {
  return (points > 0 ? "+" : points < 0 ? "-" : "") + points_text(points < 0 ? -points : points, ui);
}

// [SECTION] Balances and tier ------------------------------------------------------------------
void draw_balance_card(Ui& ui, const Phrase& label, std::string_view id, std::int64_t points, std::string_view note,
                       float width) {
  Panel card(width, 16);
  say_label(ui, label, ui.fonts().small, palette::text_muted);
  ui.label_text(id, points_text(points, ui), ui.fonts().large, palette::text);
  if (!note.empty()) ui.label_text(std::string(id) + "_note", note, ui.fonts().small, palette::text_faint);
  card.end(92);
}

void draw_balances(Ui& ui, const Json& profile) {
  const Json& balances = profile["balances"];
  const float width = ImGui::GetContentRegionAvail().x;
  const int columns = width >= 560 ? 3 : 1;
  const float card_width = (width - 12.0f * static_cast<float>(columns - 1)) / static_cast<float>(columns);
  const std::string worth = fill(say(ui, phrases::worth), {{"{amount}", money_text(json_integer(balances, "points_value_vnd"), ui)}});
  draw_balance_card(ui, phrases::spendable, "profile_points", json_integer(balances, "points"), worth, card_width);
  if (columns > 1) ImGui::SameLine(0, 12);
  draw_balance_card(ui, phrases::pending, "profile_pending", json_integer(balances, "pending"), {}, card_width);
  if (columns > 1) ImGui::SameLine(0, 12);
  draw_balance_card(ui, phrases::held, "profile_held", json_integer(balances, "held"), {}, card_width);
  ui.publish_state("profile.points", std::to_string(json_integer(balances, "points")));
  ui.publish_state("profile.pending", std::to_string(json_integer(balances, "pending")));
}

void draw_tier(Ui& ui, const Json& profile) {
  const Json& tier = profile["tier"];
  Panel panel(ImGui::GetContentRegionAvail().x, 18);
  say_label(ui, phrases::tier_heading, ui.fonts().small, palette::text_muted);
  const std::string tier_name = tier.contains("tier") && tier["tier"].is_object() ? json_text(tier["tier"], "name")
                                                                                  : std::string(say(ui, phrases::no_tier));
  ui.label_text("profile_tier_name", tier_name, ui.fonts().large, palette::text);
  ui.publish_state("profile.tier", tier_name);
  const std::int64_t points = json_integer(tier, "tier_points");
  const std::int64_t missing = json_integer(tier, "tier_points_to_next");
  const bool has_next = tier.contains("next_tier") && tier["next_tier"].is_object();
  // The bar shows how far the member has come towards the next tier's threshold.
  const float fraction = has_next && points + missing > 0 ? static_cast<float>(points) / static_cast<float>(points + missing) : 1.0f;
  const ImVec2 bar_min = ImGui::GetCursorScreenPos();
  const ImVec2 bar_max(bar_min.x + panel.inner_width(), bar_min.y + 10);
  ImDrawList* draw_list = ImGui::GetWindowDrawList();
  draw_list->AddRectFilled(bar_min, bar_max, palette::border, 5);
  draw_list->AddRectFilled(bar_min, ImVec2(bar_min.x + (bar_max.x - bar_min.x) * std::clamp(fraction, 0.0f, 1.0f), bar_max.y),
                           palette::brand, 5);
  ImGui::Dummy(ImVec2(panel.inner_width(), 14));
  const std::string progress =
      has_next ? fill(say(ui, phrases::tier_progress),
                      {{"{points}", points_text(points, ui)}, {"{missing}", points_text(missing, ui)}, {"{tier}", json_text(tier["next_tier"], "name")}})
               : fill(say(ui, phrases::tier_top), {{"{points}", points_text(points, ui)}});
  ui.label_text("profile_tier_progress", progress, ui.fonts().body, palette::text_muted, true);
  if (tier.contains("upcoming_drops") && tier["upcoming_drops"].is_array()) {
    int index = 0;
    for (const Json& drop : tier["upcoming_drops"]) {
      ui.label_text("profile_tier_drop_" + std::to_string(index++),
                    fill(say(ui, phrases::tier_drop), {{"{points}", points_text(json_integer(drop, "tier_points"), ui)},
                                                       {"{date}", format_date(json_text(drop, "at"))}}),
                    ui.fonts().small, palette::text_faint, true);
    }
  }
  panel.end();
}

void draw_expiry_months(Ui& ui, const Json& profile) {
  const Json& months = profile["points_by_expiry_month"];
  if (!months.is_array() || months.empty()) return;
  Panel panel(ImGui::GetContentRegionAvail().x, 18);
  say_label(ui, phrases::expiry_heading, ui.fonts().small, palette::text_muted);
  int index = 0;
  for (const Json& month : months) {
    const std::string name = json_text(month, "month");
    std::string label = name == "never" ? std::string(say(ui, phrases::never_expires))
                                        : (name.size() == 7 ? name.substr(5, 2) + "/" + name.substr(0, 4) : name);
    ui.label_text("profile_expiry_" + std::to_string(index++), label + ": " + points_text(json_integer(month, "points"), ui),
                  ui.fonts().body, palette::text);
  }
  panel.end();
}

// [SECTION] "Why this balance?" ---------------------------------------------------------------------
std::string_view used_by(const Ui& ui, std::string_view kind) {
  const bool english = ui.language() == Language::english;
  if (kind == "points_redeemed") return english ? "redeemed" : "đổi điểm";
  if (kind == "hold_placed") return english ? "held for a checkout" : "giữ để thanh toán";
  if (kind == "points_transfer") return english ? "transferred" : "chuyển điểm";
  if (kind == "points_expired") return english ? "expired" : "hết hạn";
  if (kind == "manual_adjustment") return english ? "adjustment" : "điều chỉnh";
  if (kind == "voucher_claimed") return english ? "voucher" : "đổi voucher";
  if (kind == "order_reversal") return english ? "taken back by a refund" : "trừ lại do hoàn tiền";
  return kind;
}

std::string lot_source(const Ui& ui, const Json& source) {
  const std::string kind = json_text(source, "kind");
  if (kind == "order") return fill(say(ui, phrases::explain_from_order), {{"{order}", json_text(source, "order_id")}});
  if (kind == "referral") {
    return fill(say(ui, phrases::explain_from_referral), {{"{order}", json_text(source, "order_id")}, {"{buyer}", json_text(source, "buyer_id")}});
  }
  if (kind == "adjustment") {
    return fill(say(ui, phrases::explain_from_adjustment), {{"{reason}", std::string(in_language(ui, source["reason"]))}});
  }
  if (kind == "birthday_bonus") return std::string(say(ui, phrases::explain_from_birthday));
  if (kind == "transfer") return std::string(say(ui, phrases::explain_from_transfer));
  return std::string(say(ui, phrases::explain_from_other));
}

void draw_explanation(Ui& ui, const Json& explanation) {
  Panel panel(ImGui::GetContentRegionAvail().x, 18, palette::info_soft, palette::info_border);
  say_label(ui, phrases::explain_heading, ui.fonts().large, palette::info_text);
  const Json& lots = explanation["lots"];
  ui.label_text("explain_total",
                fill(say(ui, phrases::explain_total), {{"{points}", points_text(json_integer(explanation, "lots_points"), ui)},
                                                       {"{pending}", points_text(json_integer(explanation, "lots_pending"), ui)},
                                                       {"{lots}", std::to_string(lots.size())}}),
                ui.fonts().body, palette::info_text, true);
  ui.publish_state("explain.lots", std::to_string(lots.size()));
  ui.publish_state("explain.lots_points", std::to_string(json_integer(explanation, "lots_points")));
  if (json_integer(explanation, "debt") > 0) {
    ui.label_text("explain_debt", fill(say(ui, phrases::explain_debt), {{"{points}", points_text(json_integer(explanation, "debt"), ui)}}),
                  ui.fonts().body, palette::danger_text, true);
  }
  int index = 0;
  for (const Json& lot : lots) {
    const std::string prefix = "explain_lot_" + std::to_string(index++);
    ImGui::Dummy(ImVec2(0, 4));
    ui.label_text(prefix + "_source", lot_source(ui, lot["source"]), ui.fonts().body, palette::text, true);
    ui.label_text(prefix, fill(say(ui, phrases::explain_lot_line), {{"{earned}", points_text(json_integer(lot, "points_earned"), ui)},
                                                                     {"{date}", format_date(json_text(lot, "earned_at"))},
                                                                     {"{remaining}", points_text(json_integer(lot, "points_remaining"), ui)}}),
                  ui.fonts().small, palette::text_muted, true);
    int used_index = 0;
    for (const Json& used : lot["used"]) {
      ui.label_text(prefix + "_used_" + std::to_string(used_index++),
                    fill(say(ui, phrases::explain_used), {{"{points}", points_text(json_integer(used, "points"), ui)},
                                                          {"{date}", format_date(json_text(used, "time"))},
                                                          {"{kind}", std::string(used_by(ui, json_text(used, "kind")))}}),
                    ui.fonts().small, palette::text_muted, true);
    }
    if (json_integer(lot, "points_taken_back") > 0) {
      ui.label_text(prefix + "_taken_back", fill(say(ui, phrases::explain_taken_back), {{"{points}", points_text(json_integer(lot, "points_taken_back"), ui)}}),
                    ui.fonts().small, palette::text_muted, true);
    }
    if (json_integer(lot, "points_given_back") > 0) {
      ui.label_text(prefix + "_given_back", fill(say(ui, phrases::explain_given_back), {{"{points}", points_text(json_integer(lot, "points_given_back"), ui)}}),
                    ui.fonts().small, palette::text_muted, true);
    }
    const std::string when = lot.value("pending", false)
                                 ? fill(say(ui, phrases::explain_pending_until), {{"{date}", format_date(json_text(lot, "available_at"))}})
                             : lot["expires_at"].is_string()
                                 ? fill(say(ui, phrases::explain_expires), {{"{date}", format_date(json_text(lot, "expires_at"))}})
                                 : std::string(say(ui, phrases::explain_no_expiry));
    ui.label_text(prefix + "_expiry", when, ui.fonts().small, palette::info_text, true);
  }
  panel.end();
}

// [SECTION] History ------------------------------------------------------------------------------------
// The member's own change in a transaction: spendable and pending points.
std::pair<std::int64_t, std::int64_t> member_change(const Json& transaction, const std::string& member_id) {
  std::int64_t points = 0;
  std::int64_t pending = 0;
  const std::string points_account = "member:" + member_id + ":points";
  const std::string pending_account = "member:" + member_id + ":pending";
  for (const Json& posting : transaction["postings"]) {
    const std::string account = json_text(posting, "account");
    if (account == points_account) points += json_integer(posting, "amount");
    if (account == pending_account) pending += json_integer(posting, "amount");
  }
  return {points, pending};
}

void draw_history(Ui& ui, MemberProfileView& view, Backend& backend) {
  Panel panel(ImGui::GetContentRegionAvail().x, 18);
  say_label(ui, phrases::history_heading, ui.fonts().small, palette::text_muted);
  int index = 0;
  for (const Json& transaction : view.history) {
    const auto [points, pending] = member_change(transaction, view.shown_member_id);
    std::string change;
    if (points != 0) change = signed_points(points, ui) + " " + std::string(say(ui, phrases::column_points));
    if (pending != 0) {
      if (!change.empty()) change += ", ";
      change += signed_points(pending, ui) + " " + std::string(say(ui, phrases::pending));
    }
    const std::string id = "history_" + std::to_string(index++);
    const std::string line = format_date(json_text(transaction, "time")) + " · " + std::string(in_language(ui, transaction["reason"])) +
                             (change.empty() ? std::string() : " · " + change);
    ui.label_text(id, line, ui.fonts().body, palette::text, true);
    ui.label_text(id + "_actor", fill(say(ui, phrases::history_by), {{"{actor}", json_text(transaction, "actor")}}),
                  ui.fonts().small, palette::text_faint);
  }
  if (!view.history.empty()) ui.publish_state("profile.history_first", std::string(in_language(ui, view.history.front()["reason"])));
  ui.publish_state("profile.history_lines", std::to_string(view.history.size()));
  if (view.history_more && view.history_ticket == 0 && say_button(ui, phrases::history_more)) {
    const std::int64_t last_id = json_integer(view.history.back(), "id");
    view.history_ticket = backend.ledger_history(view.shown_member_id, history_page, static_cast<std::uint32_t>(last_id));
  }
  panel.end();
}

// [SECTION] Details, block, corrections ---------------------------------------------------------
// Blocking and unblocking answer beside their button; corrections in their own panel.
bool is_card_action(PendingConfirmation::Action action) {
  return action == PendingConfirmation::Action::block || action == PendingConfirmation::Action::unblock;
}

// A member's birthday as staff type it: "14/02/1990", or "14/02" without the year; "" for none.
std::string birthday_text(const Json& member) {
  const auto found = member.find("birthday");   // end() for a member of another shape too
  if (found == member.end() || !found->is_object()) return {};
  const Json& birthday = *found;
  char text[16];
  const std::int64_t year = json_integer(birthday, "year");
  if (year > 0) {
    std::snprintf(text, sizeof text, "%02d/%02d/%04d", static_cast<int>(json_integer(birthday, "day")),
                  static_cast<int>(json_integer(birthday, "month")), static_cast<int>(year));
  } else {
    std::snprintf(text, sizeof text, "%02d/%02d", static_cast<int>(json_integer(birthday, "day")),
                  static_cast<int>(json_integer(birthday, "month")));
  }
  return text;
}

// What update_member is given for the typed birthday: {"day","month","year"?}, null to clear
// it; nullopt when the text is not a date in that form. The core checks the date itself.
std::optional<Json> birthday_from_text(std::string_view typed) {
  const std::string text = trimmed(typed);
  if (text.empty()) return Json(nullptr);
  std::vector<int> parts;
  std::string digits;
  for (const char character : text + "/") {
    if (character >= '0' && character <= '9') {
      if (digits.size() >= 4) return std::nullopt;
      digits += character;
    } else if (character == '/' || character == '-' || character == '.') {
      if (digits.empty()) return std::nullopt;
      parts.push_back(std::stoi(digits));
      digits.clear();
    } else {
      return std::nullopt;
    }
  }
  if (parts.size() != 2 && parts.size() != 3) return std::nullopt;
  Json birthday{{"day", parts[0]}, {"month", parts[1]}};
  if (parts.size() == 3) birthday["year"] = parts[2];
  return birthday;
}

void draw_details(Ui& ui, MemberProfileView& view, Backend& backend) {
  const Json& member = view.profile["member"];
  const bool can_edit = backend.permissions().write_members;
  Panel panel(ImGui::GetContentRegionAvail().x, 18);
  say_label(ui, phrases::details_heading, ui.fonts().small, palette::text_muted);
  const float width = std::min(panel.inner_width(), 420.0f);
  const std::string name_problem = view.details_reply ? field_problem(ui, *view.details_reply, "name") : std::string();
  std::string phone_problem = view.details_reply ? field_problem(ui, *view.details_reply, "phone") : std::string();
  // The core names no field for a phone of another member: it is the phone's problem all the same.
  if (view.details_reply && view.details_reply->code == "phone_taken") phone_problem = std::string(say(ui, view.details_reply->message));
  const std::string email_problem = view.details_reply ? field_problem(ui, *view.details_reply, "email") : std::string();
  const std::optional<Json> birthday = birthday_from_text(view.birthday);
  std::string birthday_problem = view.details_reply ? field_problem(ui, *view.details_reply, "birthday") : std::string();
  if (!birthday) birthday_problem = std::string(say(ui, phrases::birthday_unreadable));
  labelled_input(ui, "profile_name", phrases::name_label, view.name, width, name_problem.empty() ? nullptr : &name_problem, !can_edit);
  labelled_input(ui, "profile_phone", phrases::phone_label, view.phone, width, phone_problem.empty() ? nullptr : &phone_problem, !can_edit);
  labelled_input(ui, "profile_email", phrases::email_label, view.email, width, email_problem.empty() ? nullptr : &email_problem, !can_edit);
  labelled_input(ui, "profile_birthday", phrases::birthday_label, view.birthday, 180,
                 birthday_problem.empty() ? nullptr : &birthday_problem, !can_edit);
  ui.label_text("profile_card", std::string(say(ui, phrases::card_label)) + ": " + json_text(member, "card_number"),
                ui.fonts().body, palette::text);
  ui.label_text("profile_joined", std::string(say(ui, phrases::joined_label)) + ": " + format_date(json_text(member, "joined_at")),
                ui.fonts().small, palette::text_muted);
  ui.publish_state("profile.phone", json_text(member, "phone"));
  ui.publish_state("profile.email", json_text(member, "email"));
  ui.publish_state("profile.birthday", birthday_text(member));
  if (can_edit) {
    Json changes = Json::object();
    if (view.name != json_text(member, "name")) changes["name"] = view.name;
    if (view.phone != json_text(member, "phone")) changes["phone"] = view.phone;
    if (view.email != json_text(member, "email")) changes["email"] = view.email;
    if (birthday && trimmed(view.birthday) != birthday_text(member)) changes["birthday"] = *birthday;
    if (say_button(ui, phrases::save_details, true, !changes.empty() && birthday && view.details_ticket == 0)) {
      view.details_reply.reset();
      view.details_ticket = backend.update_member(view.shown_member_id, changes);
    }
    if (view.details_reply && !view.details_reply->ok() && view.details_reply->fields.empty() &&
        view.details_reply->code != "phone_taken") {
      draw_problem(ui, "profile_details_error", say(ui, view.details_reply->message));
    }
    if (view.details_reply && view.details_reply->ok() && changes.empty()) {
      ImGui::SameLine();
      ui.label_text("profile_details_saved", say(ui, phrases::done), ui.fonts().body, palette::success_text);
    }
    const bool blocked = json_text(member, "status") == "blocked";
    ImGui::SameLine();
    if (say_button(ui, blocked ? phrases::unblock_button : phrases::block_button, false, view.action_ticket == 0)) {
      PendingConfirmation confirmation;
      confirmation.action = blocked ? PendingConfirmation::Action::unblock : PendingConfirmation::Action::block;
      confirmation.summary = fill(say(ui, blocked ? phrases::confirm_unblock : phrases::confirm_block), {{"{name}", json_text(member, "name")}});
      view.confirmation = std::move(confirmation);
    }
    if (view.action_reply && is_card_action(view.action_kind)) {
      if (view.action_reply->ok()) {
        ImGui::SameLine();
        ui.label_text("profile_card_done", say(ui, phrases::done), ui.fonts().body, palette::success_text);
      } else {
        draw_problem(ui, "profile_card_error", say(ui, view.action_reply->message));
      }
    }
  }
  panel.end();
}

void draw_pending_orders(Ui& ui, MemberProfileView& view, Backend& backend) {
  const Json& pending = view.profile["pending"];
  if (!pending.is_array() || pending.empty()) return;
  Panel panel(ImGui::GetContentRegionAvail().x, 18);
  say_label(ui, phrases::pending_heading, ui.fonts().small, palette::text_muted);
  int index = 0;
  for (const Json& lot : pending) {
    const std::string order_id = json_text(lot, "order_id");
    const std::string suffix = "_" + std::to_string(index);
    ui.label_text("profile_pending_line" + suffix,
                  fill(say(ui, phrases::pending_line), {{"{points}", points_text(json_integer(lot, "points"), ui)},
                                                        {"{order}", order_id},
                                                        {"{date}", format_date(json_text(lot, "available_at"))}}),
                  ui.fonts().body, palette::text, true);
    if (backend.permissions().adjust_points && !order_id.empty()) {
      const bool has_reason = !trimmed(view.reason).empty();
      auto confirm = [&](PendingConfirmation::Action action, const Phrase& pattern) {
        if (!has_reason) {
          view.reason_problem = std::string(say(ui, phrases::reason_required));
          return;
        }
        PendingConfirmation confirmation;
        confirmation.action = action;
        confirmation.order_id = order_id;
        confirmation.reason = trimmed(view.reason);
        confirmation.summary = fill(say(ui, pattern), {{"{order}", order_id}, {"{reason}", confirmation.reason}});
        view.confirmation = std::move(confirmation);
      };
      if (say_button(ui, phrases::release_button, false, view.action_ticket == 0, suffix)) {
        confirm(PendingConfirmation::Action::release, phrases::confirm_release);
      }
      ImGui::SameLine();
      if (say_button(ui, phrases::cancel_button, false, view.action_ticket == 0, suffix)) {
        confirm(PendingConfirmation::Action::cancel, phrases::confirm_cancel);
      }
    }
    ++index;
  }
  panel.end();
}

void draw_corrections(Ui& ui, MemberProfileView& view) {
  Panel panel(ImGui::GetContentRegionAvail().x, 18);
  say_label(ui, phrases::adjust_heading, ui.fonts().small, palette::text_muted);
  const float width = std::min(panel.inner_width(), 420.0f);
  labelled_input(ui, "profile_adjust_points", phrases::adjust_points_label, view.adjust_points_text, 180,
                 view.points_problem.empty() ? nullptr : &view.points_problem);
  labelled_input(ui, "profile_reason", phrases::reason_label, view.reason, width,
                 view.reason_problem.empty() ? nullptr : &view.reason_problem);
  if (!trimmed(view.reason).empty()) view.reason_problem.clear();
  if (say_button(ui, phrases::adjust_button, true, view.action_ticket == 0)) {
    const std::string typed = trimmed(view.adjust_points_text);
    char* end = nullptr;
    const long long points = typed.empty() ? 0 : std::strtoll(typed.c_str(), &end, 10);
    const bool readable = !typed.empty() && end != nullptr && *end == '\0' && points != 0;
    view.points_problem = readable ? std::string() : std::string(say(ui, phrases::points_required));
    view.reason_problem = trimmed(view.reason).empty() ? std::string(say(ui, phrases::reason_required)) : std::string();
    if (view.points_problem.empty() && view.reason_problem.empty()) {
      PendingConfirmation confirmation;
      confirmation.action = PendingConfirmation::Action::adjust;
      confirmation.points = points;
      confirmation.reason = trimmed(view.reason);
      confirmation.summary = fill(say(ui, phrases::confirm_adjust), {{"{points}", signed_points(points, ui)},
                                                                     {"{name}", json_text(view.profile["member"], "name")},
                                                                     {"{reason}", confirmation.reason}});
      view.confirmation = std::move(confirmation);
    }
  }
  if (view.action_reply && !is_card_action(view.action_kind)) {
    if (view.action_reply->ok()) {
      say_label(ui, phrases::done, ui.fonts().body, palette::success_text);
    } else {
      draw_problem(ui, "profile_action_error", say(ui, view.action_reply->message));
      for (const ApiError::Field& field : view.action_reply->fields) {
        draw_problem(ui, "profile_action_error_" + field.name, field.name + ": " + std::string(say(ui, field.message)));
      }
    }
  }
  panel.end();
}

// The confirmation, in place of the actions: nothing changes before Confirm.
void draw_confirmation(Ui& ui, MemberProfileView& view, Backend& backend) {
  assert(view.confirmation);
  Panel panel(ImGui::GetContentRegionAvail().x, 18, palette::amber_soft, palette::amber_soft);
  say_label(ui, phrases::confirm_heading, ui.fonts().large, palette::amber_text);
  ui.label_text("confirm_summary", view.confirmation->summary, ui.fonts().body, palette::text, true);
  if (say_button(ui, phrases::confirm_yes, true)) {
    const PendingConfirmation& confirmation = *view.confirmation;
    view.action_kind = confirmation.action;
    switch (confirmation.action) {
      case PendingConfirmation::Action::adjust:
        if (view.idempotency_key.empty()) view.idempotency_key = new_idempotency_key("ADJ", ui.now(), ++view.key_sequence);
        view.action_ticket = backend.adjust_points(view.shown_member_id, confirmation.points, confirmation.reason, view.idempotency_key);
        break;
      case PendingConfirmation::Action::release:
        view.action_ticket = backend.release_pending(confirmation.order_id, confirmation.reason);
        break;
      case PendingConfirmation::Action::cancel:
        view.action_ticket = backend.cancel_pending(confirmation.order_id, confirmation.reason);
        break;
      case PendingConfirmation::Action::block:
      case PendingConfirmation::Action::unblock:
        view.action_ticket = backend.set_member_blocked(view.shown_member_id, confirmation.action == PendingConfirmation::Action::block);
        break;
    }
    view.action_reply.reset();
    view.confirmation.reset();
  }
  ImGui::SameLine();
  if (view.confirmation && say_button(ui, phrases::confirm_no)) view.confirmation.reset();
  panel.end();
}

}  // namespace

// [SECTION] The profile -------------------------------------------------------------------------------
void MemberProfileView::forget() { *this = MemberProfileView(); }

void MemberProfileView::draw(Ui& ui, Backend& backend, const std::string& member_id) {
  if (member_id != shown_member_id) {
    forget();
    shown_member_id = member_id;
  }
  // Ask (again) when the member is new or a write changed the store.
  if (data_generation != backend.data_generation() && profile_ticket == 0 && history_ticket == 0) {
    data_generation = backend.data_generation();
    profile_ticket = backend.get_member(member_id);
    history.clear();
    history_more = false;
    history_ticket = backend.ledger_history(member_id, history_page, 0);
    if (explain_open) explain_ticket = backend.explain_balance(member_id);
  }
  if (profile_ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(profile_ticket)) {
      profile_ticket = 0;
      if (reply->ok()) {
        const bool first = profile.is_null();
        profile = std::move(reply->data);
        profile_refusal.reset();
        if (first || !details_reply || details_reply->ok()) {
          name = json_text(profile["member"], "name");
          phone = json_text(profile["member"], "phone");
          email = json_text(profile["member"], "email");
          birthday = birthday_text(profile["member"]);
        }
      } else {
        profile_refusal = std::move(reply);
      }
    }
  }
  if (history_ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(history_ticket)) {
      history_ticket = 0;
      if (reply->ok()) {
        for (const Json& transaction : reply->data["transactions"]) history.push_back(transaction);
        history_more = reply->data.value("more", false);
      }
    }
  }
  if (explain_ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(explain_ticket)) {
      explain_ticket = 0;
      if (reply->ok()) {
        explanation = std::move(reply->data);
        explain_refusal.reset();
      } else {
        explain_refusal = std::move(reply);
      }
    }
  }
  if (details_ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(details_ticket)) {
      details_ticket = 0;
      details_reply = std::move(reply);
    }
  }
  if (action_ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(action_ticket)) {
      action_ticket = 0;
      if (reply->ok()) {
        // The correction is done: the next one gets a new key and a fresh form.
        idempotency_key.clear();
        adjust_points_text.clear();
        reason.clear();
      }
      action_reply = std::move(reply);
    }
  }

  if (profile_refusal) {
    draw_problem(ui, "profile_error", say(ui, profile_refusal->message));
    return;
  }
  if (profile.is_null()) {
    say_label(ui, phrases::loading, ui.fonts().body, palette::text_muted);
    return;
  }
  const Json& member = profile["member"];
  ui.label_text("profile_member_name", json_text(member, "name"), ui.fonts().heading, palette::text);
  ui.publish_state("profile.member_id", json_text(member, "member_id"));
  ui.publish_state("profile.name", json_text(member, "name"));
  ui.publish_state("profile.status", json_text(member, "status"));
  if (json_text(member, "status") == "blocked") {
    ui.draw_pill(ImGui::GetWindowDrawList(), ImGui::GetCursorScreenPos(), palette::danger_soft, palette::danger_text,
                 phrases::blocked_badge.id, say(ui, phrases::blocked_badge));
    ImGui::Dummy(ImVec2(0, 24));
  }
  ui.label_text("profile_member_line", json_text(member, "member_id") + " · " + json_text(member, "phone"), ui.fonts().body,
                palette::text_muted);
  ImGui::Dummy(ImVec2(0, 6));
  draw_balances(ui, profile);
  ImGui::Dummy(ImVec2(0, 6));
  if (say_button(ui, phrases::explain_button, false, explain_ticket == 0)) {
    explain_open = !explain_open;
    if (explain_open) explain_ticket = backend.explain_balance(member_id);
  }
  if (explain_open) {
    if (explain_refusal) {
      draw_problem(ui, "explain_error", say(ui, explain_refusal->message));
    } else if (explanation.is_object()) {
      draw_explanation(ui, explanation);
    }
  }
  ImGui::Dummy(ImVec2(0, 6));
  // The confirmation is drawn where its action was asked: corrections here, the card's
  // block and unblock under the details.
  if (confirmation && !is_card_action(confirmation->action)) {
    draw_confirmation(ui, *this, backend);
    ImGui::Dummy(ImVec2(0, 6));
  }
  draw_tier(ui, profile);
  ImGui::Dummy(ImVec2(0, 6));
  draw_expiry_months(ui, profile);
  ImGui::Dummy(ImVec2(0, 6));
  if (backend.permissions().adjust_points) {
    draw_corrections(ui, *this);
    ImGui::Dummy(ImVec2(0, 6));
  }
  draw_pending_orders(ui, *this, backend);
  ImGui::Dummy(ImVec2(0, 6));
  draw_details(ui, *this, backend);
  ImGui::Dummy(ImVec2(0, 6));
  if (confirmation && is_card_action(confirmation->action)) {
    draw_confirmation(ui, *this, backend);
    ImGui::Dummy(ImVec2(0, 6));
  }
  draw_history(ui, *this, backend);
}

// [SECTION] The accountant's view ---------------------------------------------------------------------
void LiabilityView::draw(Ui& ui, Backend& backend) {
  if (data_generation != backend.data_generation() && ticket == 0) {
    data_generation = backend.data_generation();
    ticket = backend.liability();
  }
  if (ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(ticket)) {
      ticket = 0;
      if (reply->ok()) {
        liability = std::move(reply->data);
        refusal.reset();
      } else {
        refusal = std::move(reply);
      }
    }
  }
  if (refusal) {
    draw_problem(ui, "liability_error", say(ui, refusal->message));
    return;
  }
  if (!liability.is_object()) {
    say_label(ui, phrases::loading, ui.fonts().body, palette::text_muted);
    return;
  }
  Panel panel(ImGui::GetContentRegionAvail().x, 20);
  say_label(ui, phrases::liability_heading, ui.fonts().small, palette::text_muted);
  ui.label_text("liability_total", fill(say(ui, phrases::liability_total),
                                        {{"{points}", points_text(json_integer(liability, "outstanding_points"), ui)},
                                         {"{amount}", money_text(json_integer(liability, "outstanding_value_vnd"), ui)}}),
                ui.fonts().large, palette::text, true);
  ui.publish_state("liability.value_vnd", std::to_string(json_integer(liability, "outstanding_value_vnd")));
  auto table = [&](const char* id, const Phrase& heading, const Phrase& first_column, const char* list, const char* key) {
    ImGui::Dummy(ImVec2(0, 6));
    say_label(ui, heading, ui.fonts().body, palette::text);
    if (!ImGui::BeginTable(id, 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) return;
    ImGui::TableSetupColumn(say(ui, first_column).data());
    ImGui::TableSetupColumn(say(ui, phrases::column_points).data());
    ImGui::TableSetupColumn(say(ui, phrases::column_value).data());
    ImGui::TableHeadersRow();
    int index = 0;
    for (const Json& row : liability[list]) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      std::string label = json_text(row, key);
      if (label == "never") label = std::string(say(ui, phrases::never_expires));
      else if (std::string_view(key) == "month" && label.size() == 7) label = label.substr(5, 2) + "/" + label.substr(0, 4);
      ImGui::TextUnformatted(label.c_str());
      ImGui::TableNextColumn();
      const std::string points = points_text(json_integer(row, "points"), ui);
      ImGui::TextUnformatted(points.c_str());
      ImGui::TableNextColumn();
      ui.label_text(std::string(id + 2) + "_" + std::to_string(index++), money_text(json_integer(row, "value_vnd"), ui), ui.fonts().body,
                    palette::text);
    }
    ImGui::EndTable();
  };
  table("##liability_month", phrases::liability_by_month, phrases::column_month, "by_expiry_month", "month");
  table("##liability_tier", phrases::liability_by_tier, phrases::column_tier, "by_tier", "tier");
  panel.end();
}

}  // namespace loyalty::console
