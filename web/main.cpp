// main.cpp: the console's entry point: SDL2 window, WebGL2 context, Dear ImGui, main loop.
//
// Modelled on Dear ImGui's examples/example_emscripten_opengl3/main.cpp, with WebGL2
// (GLES 3.0) and high-DPI handling: ImGui works in CSS pixels (DisplaySize), the canvas's
// backing store is CSS size x devicePixelRatio (DisplayFramebufferScale), and the fonts
// are rasterised at device pixels and scaled back by 1/devicePixelRatio, so text is sharp.
#include <SDL.h>
#include <SDL_opengles2.h>
#include <emscripten.h>

#include <cassert>
#include <cmath>
#include <string>

#include "app.hpp"
#include "imgui.h"
#include "imgui_impl_opengl3.h"
#include "imgui_impl_sdl.h"
#include "platform/platform.hpp"
#include "ui.hpp"

namespace {

using namespace loyalty::console;

struct Console {
  SDL_Window* window = nullptr;
  SDL_GLContext gl_context = nullptr;
  App* app = nullptr;                 // created once ImGui exists
  Fonts fonts;
  float fonts_device_pixel_ratio = 0;  // the density the atlas was rasterised for
  int settled_frames_drawn = 0;       // frames drawn since the app knew its mode
};

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

void main_loop(void* argument) {
  Console& console = *static_cast<Console*>(argument);
  assert(console.window != nullptr && console.app != nullptr);
  ImGuiIO& io = ImGui::GetIO();

  SDL_Event event;
  while (SDL_PollEvent(&event)) ImGui_ImplSDL2_ProcessEvent(&event);

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
  ImGui::NewFrame();

  platform::FrameReport report;
  console.app->draw(console.fonts, platform::now_utc_seconds(), report);

  ImGui::Render();
  SDL_GL_MakeCurrent(console.window, console.gl_context);
  glViewport(0, 0, canvas.backing_width_px, canvas.backing_height_px);
  const ImVec4 background = ImGui::ColorConvertU32ToFloat4(palette::app_background);
  glClearColor(background.x, background.y, background.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  SDL_GL_SwapWindow(console.window);

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

  // Keyboard events only when the canvas has focus, so the rest of the page keeps its keys.
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
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

  static App app;
  console.app = &app;

  // Never returns: the browser calls main_loop once per animation frame.
  emscripten_set_main_loop_arg(main_loop, &console, 0, true);
  return 0;
}
