// sign_in_view.cpp: the sign-in screen of connected mode.
//
// A card with the email and the password (masked), the server's message when it refused,
// and under it, when the server runs the demo store, its accounts: a row per account,
// which fills the form when clicked. The view checks only that both fields are filled;
// everything else is the server's to say, in its own words (its error body is in both
// languages).
#include <algorithm>
#include <string>

#include "views/views.hpp"
// After views.hpp, which brings imgui.h: this header does not include it.
#include "imgui_stdlib.h"

namespace loyalty::console {
namespace {

constexpr float card_max_width = 440;
constexpr ImU32 input_border = palette::rgb(0xCB, 0xD5, 0xE1);

// One '*' per character, as the field draws it: the test hooks never see the password.
std::string masked(std::string_view text) {
  std::string mask;
  for (const char byte : text) {
    if ((static_cast<unsigned char>(byte) & 0xC0) != 0x80) mask += '*';   // a UTF-8 lead byte
  }
  return mask;
}

// A labelled text field across the card; returns true when Enter was pressed in it.
bool draw_field(Ui& ui, TextKey label, std::string_view id, std::string& text, bool password,
                const std::string* problem, float width) {
  ui.label(label, ui.fonts().body, palette::text);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 4);
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.0f);
  ImGui::PushStyleColor(ImGuiCol_Border,
                        ImGui::ColorConvertU32ToFloat4(problem != nullptr ? palette::danger : input_border));
  ImGui::SetNextItemWidth(width);
  ImGuiInputTextFlags flags = ImGuiInputTextFlags_EnterReturnsTrue;
  if (password) flags |= ImGuiInputTextFlags_Password;
  const bool entered = ImGui::InputText(("##" + std::string(id)).c_str(), &text, flags);
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
  draw_focus_ring(problem != nullptr);
  ui.record_input(id, password ? masked(text) : text);
  if (!password) ui.check_glyphs(text, ui.fonts().body);
  if (problem != nullptr) {
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 6);
    ui.label_text(std::string(id) + "_error", *problem, ui.fonts().small, palette::danger_text, true);
  }
  ImGui::Dummy(ImVec2(0, 2));
  return entered;
}

// The field's problem: the console's own check first, then what the server named.
std::optional<std::string> field_problem(const std::optional<TextKey>& local, const std::optional<ApiError>& error,
                                         std::string_view field, Language language) {
  if (local) return std::string(text(*local, language));
  if (error) {
    if (const ApiError::Field* named = error->field(field)) return std::string(named->message.in(language));
  }
  return std::nullopt;
}

}  // namespace

ViewRequest SignInView::draw(Ui& ui, const SignInScreenData& data) {
  ViewRequest request;
  // A field filled since the last attempt no longer needs its "enter ..." message.
  if (!trimmed(email).empty()) email_problem.reset();
  if (!password.empty()) password_problem.reset();
  const float available = ImGui::GetContentRegionAvail().x;
  const float width = std::min(available, card_max_width);
  const float left = ImGui::GetCursorScreenPos().x + std::max(0.0f, (available - width) * 0.5f);
  ImGui::SetCursorScreenPos(ImVec2(left, ImGui::GetCursorScreenPos().y + 16));

  Panel card(width, 28);
  ui.label(TextKey::sign_in_heading, ui.fonts().heading, palette::text);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() - 4);
  ui.label_wrapped(TextKey::sign_in_subtitle, ui.fonts().body, palette::text_muted);
  ImGui::Dummy(ImVec2(0, 6));

  const std::optional<std::string> email_error = field_problem(email_problem, data.error, "email", ui.language());
  const std::optional<std::string> password_error =
      field_problem(password_problem, data.error, "password", ui.language());
  bool submit = draw_field(ui, TextKey::sign_in_email_label, "sign_in_email", email, false,
                           email_error ? &*email_error : nullptr, card.inner_width());
  submit |= draw_field(ui, TextKey::sign_in_password_label, "sign_in_password", password, true,
                       password_error ? &*password_error : nullptr, card.inner_width());

  // What the server said about the attempt as a whole ("Email hoặc mật khẩu không đúng.").
  if (data.error && !data.busy) {
    ImGui::Dummy(ImVec2(0, 2));
    Panel box(card.inner_width(), 12, palette::danger_soft, palette::danger_soft);
    ui.label_text("sign_in_error", data.error->message.in(ui.language()), ui.fonts().body, palette::danger_text, true);
    box.end();
    ui.publish_state("sign_in.error_code", data.error->code);
    ImGui::Dummy(ImVec2(0, 2));
  }

  // The button, full width; while the server is asked it says so and takes no clicks.
  const std::string_view button_label = ui.tr(data.busy ? TextKey::signing_in : TextKey::sign_in_button);
  ImGui::PushFont(ui.fonts().body);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(palette::on_brand));
  if (data.busy) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.7f);
  const std::string button_id = std::string(button_label) + "###sign_in";
  const bool clicked = ImGui::Button(button_id.c_str(), ImVec2(card.inner_width(), ImGui::GetFrameHeight() + 6));
  if (data.busy) ImGui::PopStyleVar();
  if (ImGui::IsItemHovered() && !data.busy) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  ImGui::PopStyleColor();
  ui.record("sign_in_button", button_label, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  ui.check_glyphs(button_label, ui.fonts().body);
  ImGui::PopFont();
  card.end();

  if ((clicked || submit) && !data.busy) {
    const std::string email_text = trimmed(email);
    email_problem = email_text.empty() ? std::optional(TextKey::sign_in_error_empty_email) : std::nullopt;
    password_problem = password.empty() ? std::optional(TextKey::sign_in_error_empty_password) : std::nullopt;
    if (!email_problem && !password_problem) request.sign_in = SignInRequest{email_text, password};
  }
  ui.publish_state("sign_in.busy", data.busy ? "true" : "false");

  // The demo's accounts, when the server runs the demo store: a demo is meant to be tried.
  if (data.demo_store) {
    ImGui::Dummy(ImVec2(0, 8));
    ImGui::SetCursorScreenPos(ImVec2(left, ImGui::GetCursorScreenPos().y));
    Panel note(width, 20, palette::info_soft, palette::info_border);
    ui.label_text(key_name(TextKey::demo_note_heading),
                  fill_placeholder(ui.tr(TextKey::demo_note_heading), "{store}", data.demo_store->store_name),
                  ui.fonts().body, palette::info_text, true);
    ui.label_wrapped(TextKey::demo_note_body, ui.fonts().small, palette::info_text);
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    for (std::size_t index = 0; index < data.demo_store->accounts.size(); ++index) {
      const DemoAccount& account = data.demo_store->accounts[index];
      const ImVec2 row_min(note.inner_left(), ImGui::GetCursorScreenPos().y);
      const std::string row_text = std::string(role_label(account.role, ui.language())) + " · " + account.email +
                                   " · " + account.password;
      const float row_height = ui.measure(ui.fonts().body, row_text).y + 12;
      const ImVec2 row_max(note.inner_right(), row_min.y + row_height);
      ImGui::PushID(static_cast<int>(index));
      if (ImGui::InvisibleButton("##demo_account", ImVec2(row_max.x - row_min.x, row_height))) {
        email = account.email;
        password = account.password;
        email_problem.reset();
        password_problem.reset();
      }
      ImGui::PopID();
      if (ImGui::IsItemHovered()) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        note.fill_behind(row_min, row_max, palette::surface, 6);
      }
      draw_list->PushClipRect(row_min, row_max, true);
      ui.draw_text(draw_list, ui.fonts().body, ImVec2(row_min.x + 8, row_min.y + 6), palette::info_text,
                   "demo_account_" + std::to_string(index), row_text);
      draw_list->PopClipRect();
    }
    note.end();
  }
  ImGui::Dummy(ImVec2(0, 16));
  return request;
}

}  // namespace loyalty::console
