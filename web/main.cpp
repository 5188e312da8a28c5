// main.cpp: the console's entry point: SDL2 window, WebGL2 context, Dear ImGui, main loop.
//
// Modelled on Dear ImGui's examples/example_emscripten_opengl3/main.cpp, with WebGL2
// (GLES 3.0) and high-DPI handling: ImGui works in CSS pixels (DisplaySize), the canvas's
// backing store is CSS size x devicePixelRatio (DisplayFramebufferScale), and the fonts
// are rasterised at device pixels and scaled back by 1/devicePixelRatio, so text is sharp.
//
// What a browser user expects from the loop, each in its own section below: text through
// the input method (platform's text agent) and events spread over frames, because ImGui
// 1.86 has no input queue; the system clipboard; drag to scroll on touch screens; Tab
// through every control (keyboard_focus.hpp); and no frame drawn while nothing changes.
#include <SDL.h>
#include <SDL_opengles2.h>
#include <emscripten.h>

#include <algorithm>
#include <cassert>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <string>

#include "app.hpp"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "imgui_internal.h"
#include "keyboard_focus.hpp"
#include "platform/platform.hpp"
#include "ui.hpp"

namespace {

using namespace loyalty::console;

// Frames drawn after anything happens: ImGui settles hover state and new layouts in the
// frames after an event.
constexpr int frames_after_wake = 3;
// A finger that moves this far (CSS pixels) scrolls rather than taps.
constexpr float touch_scroll_threshold = 10;
// The longest time one frame may account for (ImGui's key repeat and animations).
constexpr float max_frame_seconds = 0.05f;
// ImGui scrolls 5 lines of 16 px per wheel step.
constexpr float pixels_per_wheel_step = 80;

struct TouchScroll {
  bool finger_down = false;
  bool scrolling = false;
  float start_x = 0, start_y = 0;   // where the finger went down
  float last_x = 0, last_y = 0;
};

struct Console {
  SDL_Window* window = nullptr;
  SDL_GLContext gl_context = nullptr;
  App* app = nullptr;                 // created once ImGui exists
  Fonts fonts;
  float fonts_device_pixel_ratio = 0;  // the density the atlas was rasterised for
  int settled_frames_drawn = 0;       // frames drawn since the app knew its mode
  // Events not given to ImGui yet: spread over frames (see take_events_for_this_frame).
  std::deque<SDL_Event> waiting_events;
  int frames_to_draw = frames_after_wake;
  bool main_loop_paused = false;
  int tab_step = 0;                   // +1 Tab, -1 Shift+Tab, this frame
  TouchScroll touch;
  ImVec2 caret{0, 0};                 // where ImGui last put the text cursor (CSS pixels)
  std::string clipboard;              // what GetClipboardTextFn last returned
};

Console* running_console = nullptr;

// [SECTION] Waking --------------------------------------------------------------------------
void wake() {
  Console* console = running_console;
  if (console == nullptr) return;
  console->frames_to_draw = std::max(console->frames_to_draw, frames_after_wake);
  if (console->main_loop_paused) {
    console->main_loop_paused = false;
    emscripten_resume_main_loop();
  }
}

// SDL calls this from inside its DOM event handlers, for every event it queues.
// (Not for the sentinel SDL_PollEvent queues for itself on every call.)
int wake_on_sdl_event(void*, SDL_Event* event) {
  if (event->type == SDL_POLLSENTINEL) return 0;
  wake();
  return 0;
}

// Something must be drawn this frame: a key or button is held (ImGui repeats keys and
// follows drags by itself), events wait, or a wake asked for frames.
bool needs_frame(const Console& console) {
  if (console.frames_to_draw > 0 || !console.waiting_events.empty()) return true;
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsAnyMouseDown()) return true;
  for (const bool down : io.KeysDown) {
    if (down) return true;
  }
  return false;
}

// [SECTION] Events, spread over frames -------------------------------------------------------
// ImGui 1.86 reads each key as one state per frame and applies typed characters before
// Backspace, arrows and Enter. So this frame takes events only until one would be lost or
// reordered: a second change of the same key, or text after such an editing key (a letter
// key's own press is no editing key). The rest waits for the next frame.
// Input methods that send "Backspace, then the new letter" (Telex in Unikey) arrive whole.
SDL_Event key_event(Uint32 type, SDL_Scancode scancode, SDL_Keycode keycode) {
  SDL_Event event{};
  event.type = type;
  event.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
  event.key.keysym.scancode = scancode;
  event.key.keysym.sym = keycode;
  return event;
}

bool is_touch_mouse_event(const SDL_Event& event) {
  switch (event.type) {
    case SDL_MOUSEMOTION: return event.motion.which == SDL_TOUCH_MOUSEID;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: return event.button.which == SDL_TOUCH_MOUSEID;
    default: return false;
  }
}

// Drag to scroll: a finger that moves past the threshold scrolls the window under it (as
// a wheel would) and lets go of whatever it pressed, so that lifting it clicks nothing.
void follow_touch(Console& console, const SDL_Event& event) {
  TouchScroll& touch = console.touch;
  ImGuiIO& io = ImGui::GetIO();
  if (event.type == SDL_MOUSEBUTTONDOWN) {
    touch = TouchScroll{true, false, static_cast<float>(event.button.x), static_cast<float>(event.button.y),
                        static_cast<float>(event.button.x), static_cast<float>(event.button.y)};
    return;
  }
  if (event.type == SDL_MOUSEBUTTONUP) {
    touch.finger_down = false;
    touch.scrolling = false;
    return;
  }
  if (!touch.finger_down) return;
  const float x = static_cast<float>(event.motion.x);
  const float y = static_cast<float>(event.motion.y);
  if (!touch.scrolling && (std::fabs(y - touch.start_y) > touch_scroll_threshold ||
                           std::fabs(x - touch.start_x) > touch_scroll_threshold)) {
    touch.scrolling = true;
    ImGui::ClearActiveID();
  }
  if (touch.scrolling) {
    io.MouseWheel += (y - touch.last_y) / pixels_per_wheel_step;
    io.MouseWheelH += (x - touch.last_x) / pixels_per_wheel_step;
  }
  touch.last_x = x;
  touch.last_y = y;
}

void take_events_for_this_frame(Console& console) {
  SDL_Event polled;
  while (SDL_PollEvent(&polled)) console.waiting_events.push_back(polled);

  ImGuiIO& io = ImGui::GetIO();
  const Uint32 text_event = platform::text_event_type();
  bool key_changed[SDL_NUM_SCANCODES] = {};
  bool editing_key_changed = false;
  console.tab_step = 0;
  while (!console.waiting_events.empty()) {
    SDL_Event& event = console.waiting_events.front();
    if (event.type == SDL_KEYDOWN || event.type == SDL_KEYUP) {
      const SDL_Scancode scancode = event.key.keysym.scancode;
      if (scancode >= 0 && scancode < SDL_NUM_SCANCODES) {
        if (key_changed[scancode]) break;
        key_changed[scancode] = true;
      }
      const SDL_Keycode keycode = event.key.keysym.sym;
      const bool types_character = keycode >= SDLK_SPACE && keycode < SDLK_DELETE &&
                                   (SDL_GetModState() & (KMOD_CTRL | KMOD_GUI)) == 0;
      if (!types_character && scancode != SDL_SCANCODE_LSHIFT && scancode != SDL_SCANCODE_RSHIFT) {
        editing_key_changed = true;
      }
      // Tab is keyboard_focus's: ImGui never sees it.
      if (scancode == SDL_SCANCODE_TAB) {
        if (event.type == SDL_KEYDOWN) console.tab_step = (SDL_GetModState() & KMOD_SHIFT) != 0 ? -1 : 1;
        console.waiting_events.pop_front();
        continue;
      }
    } else if (event.type == text_event) {
      if (event.user.code == 1) {
        // A Backspace without a key: pressed in this frame, released in the next.
        const SDL_Event release = key_event(SDL_KEYUP, SDL_SCANCODE_BACKSPACE, SDLK_BACKSPACE);
        event = key_event(SDL_KEYDOWN, SDL_SCANCODE_BACKSPACE, SDLK_BACKSPACE);
        console.waiting_events.insert(console.waiting_events.begin() + 1, release);
        continue;
      }
      if (editing_key_changed) break;
      std::string* text = static_cast<std::string*>(event.user.data1);
      if (text != nullptr) io.AddInputCharactersUTF8(text->c_str());
      delete text;
      console.waiting_events.pop_front();
      continue;
    } else if (event.type == SDL_TEXTINPUT) {
      // Text comes from the text agent; SDL's comes from key presses, without input methods.
      console.waiting_events.pop_front();
      continue;
    }
    if (is_touch_mouse_event(event)) follow_touch(console, event);
    ImGui_ImplSDL2_ProcessEvent(&event);
    console.waiting_events.pop_front();
  }
}

// Enter uses the control with the keyboard focus, as Space does (ImGui 1.86 gives Enter
// to text inputs only). Not while a text input has the keyboard: there Enter is its own.
void enter_activates(ImGuiIO& io) {
  if (io.WantTextInput) return;
  if (io.KeysDown[SDL_SCANCODE_RETURN] || io.KeysDown[SDL_SCANCODE_KP_ENTER]) {
    io.NavInputs[ImGuiNavInput_Activate] = 1.0f;
  }
}

// [SECTION] Text agent and clipboard ------------------------------------------------------------
void on_caret_moved(int x, int y) {
  if (running_console != nullptr) running_console->caret = ImVec2(static_cast<float>(x), static_cast<float>(y));
}

const char* get_clipboard_text(void*) {
  running_console->clipboard = platform::clipboard_text();
  return running_console->clipboard.c_str();
}

void set_clipboard_text(void*, const char* text) { platform::set_clipboard_text(text != nullptr ? text : ""); }

// The text input being edited, if any (not a read-only one).
ImGuiInputTextState* edited_text_state() {
  ImGuiContext& g = *GImGui;
  if (g.ActiveId == 0) return nullptr;
  ImGuiInputTextState* state = ImGui::GetInputTextState(g.ActiveId);
  if (state == nullptr || (state->Flags & ImGuiInputTextFlags_ReadOnly) != 0) return nullptr;
  return state;
}

// The selection of the edited input, for the page's copy and cut events (never a password).
std::string selected_text(const ImGuiInputTextState* state) {
  if (state == nullptr || !state->HasSelection() || (state->Flags & ImGuiInputTextFlags_Password) != 0) return {};
  const int start = std::min(state->Stb.select_start, state->Stb.select_end);
  const int end = std::min(std::max(state->Stb.select_start, state->Stb.select_end), state->CurLenW);
  if (start >= end) return {};
  std::string utf8(static_cast<std::size_t>(end - start) * 4 + 1, '\0');
  const int length = ImTextStrToUtf8(utf8.data(), static_cast<int>(utf8.size()), state->TextW.Data + start,
                                     state->TextW.Data + end);
  utf8.resize(static_cast<std::size_t>(length));
  return utf8;
}

// What the input method is composing, drawn at the caret with an underline, over the field.
void draw_composition(const Fonts& fonts, ImVec2 caret) {
  const std::string composing = platform::composing_text();
  if (composing.empty()) return;
  ImFont* font = fonts.body;
  const float size = font->FontSize * ImGui::GetIO().FontGlobalScale;
  const ImVec2 text_size = font->CalcTextSizeA(size, FLT_MAX, 0, composing.c_str());
  const ImVec2 min(caret.x + 1, caret.y);
  const ImVec2 max(min.x + text_size.x, min.y + text_size.y);
  ImDrawList* draw_list = ImGui::GetForegroundDrawList();
  draw_list->AddRectFilled(min, ImVec2(max.x + 2, max.y), palette::surface);
  draw_list->AddText(font, size, min, palette::text, composing.c_str());
  draw_list->AddLine(ImVec2(min.x, max.y - 1), ImVec2(max.x, max.y - 1), palette::text, 1.0f);
}

// The density changed (first frame, browser zoom, window moved to another screen):
// rasterise the fonts again for it.
void update_fonts(Console& console, float device_pixel_ratio) {
  if (device_pixel_ratio == console.fonts_device_pixel_ratio) return;
  const bool had_texture = console.fonts_device_pixel_ratio > 0;
  console.fonts = build_fonts(ImGui::GetIO(), device_pixel_ratio);
  console.fonts_device_pixel_ratio = device_pixel_ratio;
  // On the first frame ImGui_ImplOpenGL3_NewFrame uploads the atlas itself.
  if (had_texture) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

// [SECTION] The loop ------------------------------------------------------------------------------
void main_loop(void* argument) {
  Console& console = *static_cast<Console*>(argument);
  assert(console.window != nullptr && console.app != nullptr);
  ImGuiIO& io = ImGui::GetIO();

  // Nothing happened: keep the last picture and stop until something does (wake()).
  if (!needs_frame(console)) {
    console.main_loop_paused = true;
    emscripten_pause_main_loop();
    return;
  }
  if (console.frames_to_draw > 0) --console.frames_to_draw;

  take_events_for_this_frame(console);

  // Follow the page: the canvas is sized by CSS; keep SDL's window at the CSS size so
  // that SDL reports mouse positions in CSS pixels, and the backing store at x dpr.
  platform::CanvasMetrics canvas = platform::sync_canvas_size();
  const int css_width = static_cast<int>(std::lround(canvas.css_width));
  const int css_height = static_cast<int>(std::lround(canvas.css_height));
  int window_width = 0;
  int window_height = 0;
  SDL_GetWindowSize(console.window, &window_width, &window_height);
  if (window_width != css_width || window_height != css_height) {
    SDL_SetWindowSize(console.window, css_width, css_height);
    canvas = platform::sync_canvas_size();  // SDL resized the backing store its own way
  }
  update_fonts(console, canvas.device_pixel_ratio);

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  io.DisplaySize = ImVec2(canvas.css_width, canvas.css_height);
  io.DisplayFramebufferScale =
      ImVec2(static_cast<float>(canvas.backing_width_px) / canvas.css_width,
             static_cast<float>(canvas.backing_height_px) / canvas.css_height);
  // After a pause the backend's clock says seconds went by: ImGui would count a key held
  // since this frame's press as held that long, and repeat it (Ctrl+V pasting ten times).
  io.DeltaTime = std::min(io.DeltaTime, max_frame_seconds);
  enter_activates(io);   // after the SDL backend's NewFrame, which clears io.NavInputs
  keyboard_focus::begin_frame(console.tab_step);
  ImGui::NewFrame();

  platform::FrameReport report;
  console.app->draw(console.fonts, platform::now_utc_seconds(), report);
  ImGuiInputTextState* edited = edited_text_state();
  if (edited != nullptr) draw_composition(console.fonts, console.caret);

  ImGui::Render();
  // After Render: the caret of this frame is known (ImeSetInputScreenPosFn).
  platform::update_text_agent(edited != nullptr, console.caret.x, console.caret.y,
                              console.fonts.body->FontSize * io.FontGlobalScale);
  platform::set_selected_text(selected_text(edited));
  ImVec2 ring_min, ring_max;
  if (keyboard_focus::focused_rect(ring_min, ring_max)) {
    report.state.push_back({"focus.rect", std::to_string(std::lround(ring_min.x)) + "," +
                                              std::to_string(std::lround(ring_min.y)) + "," +
                                              std::to_string(std::lround(ring_max.x - ring_min.x)) + "," +
                                              std::to_string(std::lround(ring_max.y - ring_min.y))});
  }
  SDL_GL_MakeCurrent(console.window, console.gl_context);
  glViewport(0, 0, canvas.backing_width_px, canvas.backing_height_px);
  const ImVec4 background = ImGui::ColorConvertU32ToFloat4(palette::app_background);
  glClearColor(background.x, background.y, background.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(console.window);
  platform::count_frame_drawn();

  platform::publish_frame_report(report);
  // Ready once the app knows whether a server answered (the offline demo, the sign-in
  // screen or a session), after two frames of that screen: ImGui settles the layout of
  // new items in the first. Until then the page's loading indicator stays up.
  if (console.settled_frames_drawn < 2 && console.app->settled() && ++console.settled_frames_drawn == 2) {
    platform::mark_ready();
  }
}

}  // namespace

int main(int, char**) {
  static Console console;

  // No SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT: SDL then takes keys from the whole window, the
  // canvas's and the text agent's while it has the focus (boot.js keeps the input method's
  // own keys from SDL). Emscripten 3.1.6 reads a "#window" hint as a CSS selector.
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    platform::report_startup_failure(SDL_GetError());
    return 1;
  }

  // WebGL2 = OpenGL ES 3.0.
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);

  const platform::CanvasMetrics canvas = platform::sync_canvas_size();
  const auto window_flags =
      static_cast<SDL_WindowFlags>(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  // SDL writes the title into document.title; the app retitles it in the chosen language.
  const std::string title(text(TextKey::product_name, Language::vietnamese));
  console.window = SDL_CreateWindow(title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                    static_cast<int>(canvas.css_width),
                                    static_cast<int>(canvas.css_height), window_flags);
  if (console.window == nullptr) {
    platform::report_startup_failure(SDL_GetError());
    return 1;
  }
  console.gl_context = SDL_GL_CreateContext(console.window);
  if (console.gl_context == nullptr) {
    platform::report_startup_failure("could not create a WebGL2 context");
    return 1;
  }
  SDL_GL_MakeCurrent(console.window, console.gl_context);
  SDL_GL_SetSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // nothing to save: the layout is fixed
  io.LogFilename = nullptr;
  apply_console_style(ImGui::GetStyle());
  ImGui_ImplSDL2_InitForOpenGL(console.window, console.gl_context);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;   // Space and Enter use the focused control
  io.ConfigInputTextCursorBlink = false;   // a blinking caret would draw frames while idle
  io.ConfigMacOSXBehaviors = platform::is_apple_platform();
  io.SetClipboardTextFn = set_clipboard_text;     // after the SDL backend set its own
  io.GetClipboardTextFn = get_clipboard_text;
  io.ClipboardUserData = nullptr;
  io.ImeSetInputScreenPosFn = on_caret_moved;
  keyboard_focus::install(*ImGui::GetCurrentContext());
  if (!platform::install_text_agent()) {
    platform::report_startup_failure("no SDL user event left for the text agent");
    return 1;
  }
  running_console = &console;
  platform::set_wake_handler(wake);
  SDL_AddEventWatch(wake_on_sdl_event, nullptr);

  static App app;
  console.app = &app;

  // Never returns: the browser calls main_loop once per animation frame.
  emscripten_set_main_loop_arg(main_loop, &console, 0, true);
  return 0;
}
