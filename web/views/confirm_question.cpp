// confirm_question.cpp: the question the owner's screens ask before a change that cannot be
// undone (taking a staff member's access, revoking an API key).
#include <string>

#include "views/owner_text.hpp"
#include "views/owner_views.hpp"

namespace loyalty::console {

bool draw_confirm_question(Ui& ui, std::string_view question_id, const std::string& question, const Phrase& yes,
                           bool enabled, std::int64_t& asked_id) {
  ImGui::Dummy(ImVec2(0, 6));
  ui.label_text(question_id, question, ui.fonts().body, palette::amber_text, true);
  const bool confirmed = say_button(ui, yes, true, enabled, "_confirm");
  ImGui::SameLine();
  if (confirmed || say_button(ui, phrases::cancel)) asked_id = 0;
  return confirmed;
}

}  // namespace loyalty::console
