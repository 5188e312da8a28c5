// keyboard_focus.hpp: Tab and Shift+Tab through every control, Enter and Space to use it,
// and a visible ring around the control that has the keyboard.
//
// Dear ImGui 1.86 tabs only between text inputs, and its keyboard navigation moves by
// arrows. Here every item with an id that ImGui is given (buttons, invisible buttons,
// checkboxes, inputs; not windows) is a tab stop, in the order it is drawn, which is the
// reading order of the screens. Items are collected through ImGui's item hook
// (IMGUI_ENABLE_TEST_ENGINE's ImGuiTestEngineHook_ItemAdd, defined in keyboard_focus.cpp):
// no view needs to do anything for its controls to be reachable.
#pragma once
#include "imgui.h"

namespace loyalty::console::keyboard_focus {

// Once, after ImGui::CreateContext(): turns the item hook on.
void install(ImGuiContext& context);
// Before ImGui::NewFrame(): `step` is +1 for Tab, -1 for Shift+Tab, 0 for none. The target
// is chosen among last frame's controls and takes the focus while it is drawn this frame
// (a text input starts editing).
void begin_frame(int step);
// Where the ring is (screen pixels); false when no control shows keyboard focus.
bool focused_rect(ImVec2& min, ImVec2& max);

}  // namespace loyalty::console::keyboard_focus
