// api_keys_view.cpp: the owner's API keys, for the tills and partners: the list (name,
// prefix, scopes, active or revoked), a new key with the scopes it needs (its secret shown
// once, with a copy button), and revoking one (asked first: whatever uses it stops at once).
#include <string>
#include <utility>
#include <vector>

#include "views/owner_text.hpp"
#include "views/owner_views.hpp"
#include "views/views.hpp"
// After views.hpp, which brings imgui.h.
#include "imgui_stdlib.h"

namespace loyalty::console {
namespace {

std::string scopes_text(const Json& key) {
  std::string text;
  if (!key.contains("scopes") || !key["scopes"].is_array()) return text;
  for (const Json& scope : key["scopes"]) {
    if (!scope.is_string()) continue;
    if (!text.empty()) text += ", ";
    text += scope.get<std::string>();
  }
  return text;
}

bool draw_scope(Ui& ui, const Phrase& label, bool& value) {
  const std::string id = std::string(say(ui, label)) + "###" + std::string(label.id);
  const bool changed = ImGui::Checkbox(id.c_str(), &value);
  ui.record(label.id, say(ui, label), ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ui.check_glyphs(say(ui, label), ui.fonts().body);
  return changed;
}

}  // namespace

void ApiKeysView::draw(Ui& ui, Backend& backend) {
  draw_screen_heading(ui, screen_title(Screen::api_keys), screen_description(Screen::api_keys));
  if (!backend.permissions().manage_api_keys) {
    say_label(ui, phrases::owner_not_allowed, ui.fonts().body, palette::text_muted, true);
    return;
  }
  if (list_ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(list_ticket)) {
      list_ticket = 0;
      if (reply->ok() && reply->data.contains("api_keys")) {
        keys = reply->data["api_keys"];
        refusal.reset();
      } else if (!reply->ok()) {
        refusal = std::move(reply);
      }
    }
  }
  if (create_ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(create_ticket)) {
      create_ticket = 0;
      if (reply->ok()) {
        secret = json_text(reply->data, "key");
        copied = false;
        name.clear();
      }
      create_reply = std::move(reply);
    }
  }
  if (revoke_ticket != 0) {
    if (std::optional<BackendReply> reply = backend.take(revoke_ticket)) {
      revoke_ticket = 0;
      revoke_reply = std::move(reply);
    }
  }
  if (data_generation != backend.data_generation() && list_ticket == 0) {
    data_generation = backend.data_generation();
    list_ticket = backend.api_keys();
  }
  if (refusal) {
    draw_problem(ui, "keys_refusal", say(ui, refusal->message));
    return;
  }

  // The new key's secret, until the owner says it is kept: the server never shows it again.
  if (!secret.empty()) {
    Panel panel(std::min(ImGui::GetContentRegionAvail().x, 640.0f), 16, palette::amber_soft, palette::amber_text);
    say_label(ui, phrases::keys_secret_heading, ui.fonts().body, palette::amber_text, true);
    ui.label_text("keys_secret", secret, ui.fonts().body, palette::text, true);
    ui.publish_state("keys.secret_shown", "1");
    if (say_button(ui, phrases::keys_copy, true)) {
      ImGui::SetClipboardText(secret.c_str());
      copied = true;
    }
    ImGui::SameLine();
    if (say_button(ui, phrases::keys_secret_done)) secret.clear();
    if (copied) say_label(ui, phrases::keys_copied, ui.fonts().small, palette::success_text);
    panel.end();
    ImGui::Dummy(ImVec2(0, 8));
  } else {
    ui.publish_state("keys.secret_shown", "0");
  }

  ui.publish_state("keys.count", std::to_string(keys.size()));
  if (keys.empty() && list_ticket != 0) {
    say_label(ui, phrases::loading, ui.fonts().body, palette::text_muted);
  } else if (keys.empty()) {
    say_label(ui, phrases::keys_none, ui.fonts().body, palette::text_muted);
  } else {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("##api_keys", 5, flags)) {
      ImGui::TableSetupColumn(say(ui, phrases::keys_column_name).data(), ImGuiTableColumnFlags_WidthStretch, 1.6f);
      ImGui::TableSetupColumn(say(ui, phrases::keys_column_prefix).data(), ImGuiTableColumnFlags_WidthStretch, 1.2f);
      ImGui::TableSetupColumn(say(ui, phrases::keys_column_scopes).data(), ImGuiTableColumnFlags_WidthStretch, 1.6f);
      ImGui::TableSetupColumn(say(ui, phrases::keys_column_state).data(), ImGuiTableColumnFlags_WidthStretch, 1.4f);
      ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.0f);
      ImGui::TableHeadersRow();
      for (const Json& key : keys) {
        const std::int64_t key_id = json_integer(key, "id");
        const std::string key_name = json_text(key, "name");
        const std::string prefix = "key_" + key_name;
        const bool revoked = key.contains("revoked_at") && key["revoked_at"].is_string();
        ImGui::PushID(static_cast<int>(key_id));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ui.label_text(prefix + "_name", key_name, ui.fonts().body, palette::text, true);
        ImGui::TableNextColumn();
        ui.label_text(prefix + "_prefix", json_text(key, "key_prefix"), ui.fonts().small, palette::text_muted);
        ImGui::TableNextColumn();
        ui.label_text(prefix + "_scopes", scopes_text(key), ui.fonts().small, palette::text, true);
        ImGui::TableNextColumn();
        const std::string state = revoked ? fill(say(ui, phrases::keys_revoked), {{"{date}", format_date(json_text(key, "revoked_at"))}})
                                          : std::string(say(ui, phrases::keys_active));
        ui.label_text(prefix + "_state", state, ui.fonts().small, revoked ? palette::text_muted : palette::success_text, true);
        ImGui::TableNextColumn();
        if (!revoked && say_button(ui, phrases::keys_revoke, false, revoke_ticket == 0, "_" + key_name)) {
          revoking_key_id = key_id;
        }
        ImGui::PopID();
        if (revoking_key_id == key_id && revoked) revoking_key_id = 0;
      }
      ImGui::EndTable();
    }
  }
  for (const Json& key : keys) {
    if (revoking_key_id == 0 || json_integer(key, "id") != revoking_key_id) continue;
    const std::int64_t key_id = revoking_key_id;
    const std::string question = fill(say(ui, phrases::keys_revoke_question), {{"{name}", json_text(key, "name")}});
    if (draw_confirm_question(ui, phrases::keys_revoke_question.id, question, phrases::keys_revoke, revoke_ticket == 0,
                              revoking_key_id)) {
      revoke_reply.reset();
      revoke_ticket = backend.revoke_api_key(key_id);
    }
    break;
  }
  if (revoke_reply && !revoke_reply->ok()) draw_problem(ui, "keys_revoke_error", say(ui, revoke_reply->message));

  // A new key.
  ImGui::Dummy(ImVec2(0, 12));
  say_label(ui, phrases::keys_create_heading, ui.fonts().large, palette::text);
  const float width = std::min(ImGui::GetContentRegionAvail().x, 420.0f);
  const std::string name_problem = create_reply && !create_reply->ok() ? field_problem(ui, *create_reply, "name") : std::string();
  labelled_input(ui, "keys_name", phrases::keys_name_label, name, width, name_problem.empty() ? nullptr : &name_problem);
  draw_scope(ui, phrases::keys_scope_orders, scope_orders);
  draw_scope(ui, phrases::keys_scope_holds, scope_holds);
  draw_scope(ui, phrases::keys_scope_lookups, scope_lookups);
  draw_scope(ui, phrases::keys_scope_vouchers, scope_vouchers);
  std::vector<std::string> scopes;
  for (const auto& [scope, wanted] : {std::pair{"orders", scope_orders}, std::pair{"holds", scope_holds},
                                      std::pair{"lookups", scope_lookups}, std::pair{"vouchers", scope_vouchers}}) {
    if (wanted) scopes.emplace_back(scope);
  }
  ImGui::Dummy(ImVec2(0, 4));
  if (say_button(ui, phrases::keys_create_button, true, !trimmed(name).empty() && !scopes.empty() && create_ticket == 0)) {
    create_reply.reset();
    create_ticket = backend.create_api_key(trimmed(name), scopes);
  }
  if (create_reply && !create_reply->ok() && name_problem.empty()) {
    draw_problem(ui, "keys_create_error", say(ui, create_reply->message));
  }
}

}  // namespace loyalty::console
