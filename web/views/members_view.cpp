// members_view.cpp: the members screen of support staff: search as you type, the till
// lookup, the results table, and the profile of the member opened; the owner's liability.
//
// Search asks the core's search_members (names with or without diacritics, phones in any
// format or their last digits, card numbers) as staff type: one question at a time, and
// the newest text is asked as soon as the previous answer came.
#include <algorithm>
#include <string>

#include "views/member_views.hpp"
#include "views/views.hpp"
// After views.hpp, which brings imgui.h.
#include "imgui_stdlib.h"

namespace loyalty::console {
namespace {

constexpr int search_limit = 100;   // the core's maximum per search



void draw_tabs(Ui& ui, MembersView& view, const Permissions& permissions) {
  if (!permissions.read_liability) {
    view.liability_tab = false;
    return;
  }
  if (say_button(ui, phrases::members_tab_search, !view.liability_tab)) view.liability_tab = false;
  ImGui::SameLine();
  if (say_button(ui, phrases::members_tab_liability, view.liability_tab)) view.liability_tab = true;
  ImGui::Dummy(ImVec2(0, 4));
}

}  // namespace

void MembersView::open_member(std::string member_id) {
  if (member_id != open_member_id) profile.forget();
  open_member_id = std::move(member_id);
  liability_tab = false;
}

ViewRequest MembersView::draw(Ui& ui, Backend* backend) {
  ViewRequest request;
  draw_screen_heading(ui, screen_title(Screen::members), screen_description(Screen::members));
  if (backend == nullptr || !backend->ready()) {
    say_label(ui, phrases::loading, ui.fonts().body, palette::text_muted);
    return request;
  }
  const Permissions& permissions = backend->permissions();
  if (!permissions.read_members) {
    say_label(ui, phrases::not_allowed, ui.fonts().body, palette::text_muted, true);
    return request;
  }
  draw_tabs(ui, *this, permissions);
  if (liability_tab) {
    liability.draw(ui, *backend);
    return request;
  }
  ui.publish_state("members.open_member_id", open_member_id);

  // Answers that came.
  if (search_ticket != 0) {
    if (std::optional<BackendReply> reply = backend->take(search_ticket)) {
      search_ticket = 0;
      if (reply->ok()) {
        rows = member_rows_from(reply->data);
        search_refusal.reset();
      } else {
        rows.clear();
        search_refusal = std::move(reply);
      }
    }
  }
  if (lookup_ticket != 0) {
    if (std::optional<BackendReply> reply = backend->take(lookup_ticket)) {
      lookup_ticket = 0;
      if (reply->ok() && reply->data.contains("member")) {
        open_member(json_text(reply->data["member"], "member_id"));
        lookup_refusal.reset();
      } else {
        lookup_refusal = std::move(reply);
      }
    }
  }

  if (!open_member_id.empty()) {
    if (say_button(ui, phrases::back_to_results)) {
      open_member_id.clear();
      profile.forget();
      return request;
    }
    ImGui::Dummy(ImVec2(0, 4));
    profile.draw(ui, *backend, open_member_id);
    return request;
  }

  const float width = ImGui::GetContentRegionAvail().x;
  // The till: a card or a phone opens the member at once.
  const float till_width = std::min(width, 360.0f);
  labelled_input(ui, "members_till", phrases::till_label, till_text, till_width - 70);
  ImGui::SameLine();
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + ImGui::GetTextLineHeightWithSpacing());
  if (say_button(ui, phrases::till_button, true, !trimmed(till_text).empty()) && lookup_ticket == 0) {
    lookup_ticket = backend->lookup_member(trimmed(till_text));
  }
  if (lookup_refusal) draw_problem(ui, "members_till_error", say(ui, lookup_refusal->message));
  ImGui::Dummy(ImVec2(0, 6));

  // Search as you type.
  labelled_input(ui, "members_search", phrases::search_label, query, width);
  say_label(ui, phrases::search_hint, ui.fonts().small, palette::text_faint, true);
  const std::string wanted = trimmed(query);
  const bool stale = wanted != asked_query || search_generation != backend->data_generation();
  if (stale && search_ticket == 0) {
    asked_query = wanted;
    search_generation = backend->data_generation();
    if (wanted.empty()) {
      rows.clear();
      search_refusal.reset();
    } else {
      search_ticket = backend->search_members(wanted, search_limit);
    }
  }
  ImGui::Dummy(ImVec2(0, 4));
  if (search_refusal) {
    // A query of one or two letters is not an error worth red ink: the core wants more.
    draw_problem(ui, "members_search_error", say(ui, search_refusal->message));
  } else if (!asked_query.empty()) {
    const Phrase& status = search_ticket != 0 && rows.empty() ? phrases::searching
                           : rows.empty()                     ? phrases::results_none
                                                              : phrases::results_count;
    std::string status_text(say(ui, status));
    if (&status == &phrases::results_count) status_text = fill(status_text, {{"{count}", std::to_string(rows.size())}});
    ui.label_text(status.id, status_text, ui.fonts().small, palette::text_muted);
  }
  ui.publish_state("members.results", std::to_string(rows.size()));
  if (!rows.empty()) {
    ui.publish_state("members.first_result", rows.front().name);
    const float table_height = std::max(240.0f, ImGui::GetContentRegionAvail().y - 8);
    if (const std::optional<std::size_t> clicked = draw_member_table(ui, rows, table_height)) {
      open_member(rows[*clicked].member_id);
    }
  }
  return request;
}

}  // namespace loyalty::console
