#include "keyboard_focus.hpp"

#include <algorithm>
#include <cassert>
#include <vector>

#include "imgui_internal.h"
#include "ui.hpp"

namespace loyalty::console::keyboard_focus {
namespace {

struct FocusState {
  std::vector<ImGuiID> stops_drawing;   // this frame's controls, in drawing order
  std::vector<ImGuiID> stops_drawn;     // last frame's
  ImGuiID target = 0;                   // takes the focus when it is drawn
  bool ring_visible = false;
  ImVec2 ring_min, ring_max;
};
FocusState state;

// An EndChild() registers the child window as an item of its parent: not a control.
bool is_child_window_item(const ImGuiWindow& window, ImGuiID id) {
  for (const ImGuiWindow* child : window.DC.ChildWindows) {
    if (child->ChildId == id) return true;
  }
  return false;
}

}  // namespace

void install(ImGuiContext& context) { context.TestEngineHookItems = true; }

void begin_frame(int step) {
  ImGuiContext& g = *GImGui;
  state.stops_drawn.swap(state.stops_drawing);
  state.stops_drawing.clear();
  state.ring_visible = false;
  if (step == 0 || state.stops_drawn.empty()) return;
  // From the text input being edited, else from the control showing the ring.
  const ImGuiID current = g.ActiveId != 0 ? g.ActiveId : (g.NavDisableHighlight ? 0 : g.NavId);
  const auto found = std::find(state.stops_drawn.begin(), state.stops_drawn.end(), current);
  const auto count = static_cast<std::ptrdiff_t>(state.stops_drawn.size());
  std::ptrdiff_t index = 0;
  if (found == state.stops_drawn.end()) {
    index = step > 0 ? 0 : count - 1;
  } else {
    index = ((found - state.stops_drawn.begin()) + step + count) % count;
  }
  state.target = state.stops_drawn[static_cast<std::size_t>(index)];
}

bool focused_rect(ImVec2& min, ImVec2& max) {
  if (!state.ring_visible) return false;
  min = state.ring_min;
  max = state.ring_max;
  return true;
}

}  // namespace loyalty::console::keyboard_focus

// [SECTION] ImGui's item hooks (IMGUI_ENABLE_TEST_ENGINE) ---------------------------------------
// Called by ItemAdd() for every item with an id, before clipping, with the item's window
// current.
void ImGuiTestEngineHook_ItemAdd(ImGuiContext* context, const ImRect& bb, ImGuiID id) {
  using loyalty::console::keyboard_focus::state;
  ImGuiContext& g = *context;
  ImGuiWindow* window = g.CurrentWindow;
  if (window == nullptr || id == 0) return;
  // Not ImGui's implicit "Debug" window, nor a title bar (the console's windows have none).
  if (window->IsFallbackWindow || id == window->MoveId) return;
  // Nor a scrollbar: the wheel, the keys and the focus itself scroll.
  if (id == ImGui::GetWindowScrollbarID(window, ImGuiAxis_X) || id == ImGui::GetWindowScrollbarID(window, ImGuiAxis_Y)) return;
  if ((g.CurrentItemFlags & (ImGuiItemFlags_Disabled | ImGuiItemFlags_NoNav | ImGuiItemFlags_NoTabStop)) != 0) return;
  if ((window->Flags & ImGuiWindowFlags_NoNavInputs) != 0) return;
  if (loyalty::console::keyboard_focus::is_child_window_item(*window, id)) return;
  state.stops_drawing.push_back(id);

  if (id == state.target) {
    state.target = 0;
    if (g.ActiveId != 0 && g.ActiveId != id) ImGui::ClearActiveID();   // leave the field being edited
    ImGui::SetFocusID(id, window);
    g.NavDisableHighlight = false;
    g.NavDisableMouseHover = true;
    g.NavActivateInputId = id;     // a text input starts editing; other controls ignore it
    ImGui::ScrollToBringRectIntoView(window, bb);
  }
  // The ring: over everything, inside the item's window.
  if (id == g.NavId && !g.NavDisableHighlight && g.NavWindow == window) {
    const ImVec2 min(bb.Min.x - 3, bb.Min.y - 3);
    const ImVec2 max(bb.Max.x + 3, bb.Max.y + 3);
    ImDrawList* draw_list = ImGui::GetForegroundDrawList();
    draw_list->PushClipRect(window->ClipRect.Min, window->ClipRect.Max, true);
    draw_list->AddRect(min, max, loyalty::console::palette::brand, ImGui::GetStyle().FrameRounding + 3, 0, 2.5f);
    draw_list->PopClipRect();
    state.ring_visible = true;
    state.ring_min = min;
    state.ring_max = max;
  }
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID, const char*, ImGuiItemStatusFlags) {}
void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}
const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
