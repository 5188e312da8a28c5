// staff_accounts_view.cpp: the owner's staff accounts: who works in the store and as what,
// adding an account with a role and a first password, changing a role, taking access away.
//
// The server refuses what would leave the store without an owner, and an email that already
// has an account (the operator adds an account to a second store); its words are shown.
#include <array>
#include <string>

#include "views/owner_text.hpp"
#include "views/owner_views.hpp"
#include "views/views.hpp"
// After views.hpp, which brings imgui.h.
#include "imgui_stdlib.h"

namespace loyalty::console {
namespace {

constexpr std::array<std::string_view, 3> roles{"owner", "marketing", "support"};

// A role picker: one combo, labelled with the roles' names for people.
bool draw_role_combo(Ui& ui, std::string_view id, int& role_index, float width) {
  bool changed = false;
  ImGui::SetNextItemWidth(width);
  const std::string label = "##" + std::string(id);
  const std::string_view current = role_label(roles[static_cast<std::size_t>(role_index)], ui.language());
  if (ImGui::BeginCombo(label.c_str(), std::string(current).c_str())) {
    for (int index = 0; index < static_cast<int>(roles.size()); ++index) {
      const std::string_view name = role_label(roles[static_cast<std::size_t>(index)], ui.language());
      const std::string item = std::string(name) + "###" + std::string(id) + "_" + std::string(roles[static_cast<std::size_t>(index)]);
      if (ImGui::Selectable(item.c_str(), index == role_index)) {
        changed = index != role_index;
        role_index = index;
      }
      ui.record(std::string(id) + "_" + std::string(roles[static_cast<std::size_t>(index)]), name, ImGui::GetItemRectMin(),
                ImGui::GetItemRectMax());
    }
    ImGui::EndCombo();
  }
  ui.record(id, current, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ui.check_glyphs(current, ui.fonts().body);
  return changed;
}

int role_index_of(std::string_view role) {
  for (int index = 0; index < static_cast<int>(roles.size()); ++index) {
    if (roles[static_cast<std::size_t>(index)] == role) return index;
  }
  return 2;
}

}  // namespace

void StaffAccountsView::draw(Ui& ui, Backend& backend, std::string_view signed_in_email) {
  draw_screen_heading(ui, screen_title(Screen::staff_accounts), screen_description(Screen::staff_accounts));
  if (!backend.permissions().manage_staff) {
    say_label(ui, phrases::owner_not_allowed, ui.fonts().body, palette::text_muted, true);
    return;
  }
  for (Ticket* ticket : {&list_ticket, &add_ticket, &change_ticket}) {
    if (*ticket == 0) continue;
    std::optional<BackendReply> reply = backend.take(*ticket);
    if (!reply) continue;
    *ticket = 0;
    if (ticket == &list_ticket) {
      if (reply->ok() && reply->data.contains("staff")) {
        staff = reply->data["staff"];
        refusal.reset();
      } else if (!reply->ok()) {
        refusal = std::move(reply);
      }
    } else if (ticket == &add_ticket) {
      if (reply->ok()) {
        added_email = json_text(reply->data.value("staff", Json::object()), "email");
        email.clear();
        name.clear();
        password.clear();
      }
      add_reply = std::move(reply);
    } else {
      change_reply = std::move(reply);
    }
  }
  if (data_generation != backend.data_generation() && list_ticket == 0) {
    data_generation = backend.data_generation();
    list_ticket = backend.staff_accounts();
  }
  if (refusal) {
    draw_problem(ui, "staff_refusal", say(ui, refusal->message));
    return;
  }
  if (staff.empty() && list_ticket != 0) {
    say_label(ui, phrases::loading, ui.fonts().body, palette::text_muted);
    return;
  }

  // Who works here.
  ui.publish_state("staff.count", std::to_string(staff.size()));
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
  if (ImGui::BeginTable("##staff", 4, flags)) {
    ImGui::TableSetupColumn(say(ui, phrases::staff_column_name).data(), ImGuiTableColumnFlags_WidthStretch, 1.6f);
    ImGui::TableSetupColumn(say(ui, phrases::staff_column_email).data(), ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn(say(ui, phrases::staff_column_role).data(), ImGuiTableColumnFlags_WidthStretch, 1.6f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableHeadersRow();
    for (const Json& member : staff) {
      const std::string member_email = json_text(member, "email");
      const std::int64_t staff_id = json_integer(member, "id");
      const std::string prefix = "staff_" + member_email;
      ImGui::PushID(static_cast<int>(staff_id));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ui.label_text(prefix + "_name", json_text(member, "name"), ui.fonts().body, palette::text, true);
      ImGui::TableNextColumn();
      const bool is_me = member_email == signed_in_email;
      ui.label_text(prefix + "_email", is_me ? member_email + " " + std::string(say(ui, phrases::staff_you)) : member_email,
                    ui.fonts().body, palette::text, true);
      ImGui::TableNextColumn();
      int role_index = role_index_of(json_text(member, "role"));
      if (draw_role_combo(ui, prefix + "_role", role_index, -1) && change_ticket == 0) {
        change_reply.reset();
        change_ticket = backend.change_staff_role(staff_id, roles[static_cast<std::size_t>(role_index)]);
      }
      ImGui::TableNextColumn();
      if (!is_me && say_button(ui, phrases::staff_remove, false, change_ticket == 0, "_" + member_email)) {
        removing_staff_id = staff_id;
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (change_reply && !change_reply->ok()) draw_problem(ui, "staff_change_error", say(ui, change_reply->message));
  // "Disable?" asks first: the account keeps its other stores.
  for (const Json& member : staff) {
    if (removing_staff_id == 0 || json_integer(member, "id") != removing_staff_id) continue;
    const std::int64_t staff_id = removing_staff_id;
    const std::string question = fill(say(ui, phrases::staff_remove_question), {{"{email}", json_text(member, "email")}});
    if (draw_confirm_question(ui, phrases::staff_remove_question.id, question, phrases::staff_remove_yes, change_ticket == 0,
                              removing_staff_id)) {
      change_reply.reset();
      change_ticket = backend.remove_staff(staff_id);
    }
    break;
  }

  // A new account.
  ImGui::Dummy(ImVec2(0, 12));
  say_label(ui, phrases::staff_add_heading, ui.fonts().large, palette::text);
  const float width = std::min(ImGui::GetContentRegionAvail().x, 420.0f);
  const auto problem = [&](std::string_view field) {
    return add_reply && !add_reply->ok() ? field_problem(ui, *add_reply, field) : std::string();
  };
  const std::string email_problem = problem("email"), name_problem = problem("name"), password_problem = problem("password");
  labelled_input(ui, "staff_email", phrases::staff_email_label, email, width, email_problem.empty() ? nullptr : &email_problem);
  labelled_input(ui, "staff_name", phrases::staff_name_label, name, width, name_problem.empty() ? nullptr : &name_problem);
  labelled_input(ui, "staff_password", phrases::staff_password_label, password, width,
                 password_problem.empty() ? nullptr : &password_problem);
  say_label(ui, phrases::staff_role_label, ui.fonts().small, palette::text_muted);
  draw_role_combo(ui, "staff_new_role", role_index, width);
  ImGui::Dummy(ImVec2(0, 4));
  const bool filled = !trimmed(email).empty() && !trimmed(name).empty() && !password.empty();
  if (say_button(ui, phrases::staff_add_button, true, filled && add_ticket == 0)) {
    add_reply.reset();
    added_email.clear();
    add_ticket = backend.add_staff(trimmed(email), trimmed(name), roles[static_cast<std::size_t>(role_index)], password);
  }
  if (add_reply && add_reply->ok()) {
    ui.label_text(phrases::staff_added.id, fill(say(ui, phrases::staff_added), {{"{email}", added_email}}), ui.fonts().body,
                  palette::success_text, true);
  } else if (add_reply && add_reply->fields.empty()) {
    draw_problem(ui, "staff_add_error", say(ui, add_reply->message));
  }
}

}  // namespace loyalty::console
