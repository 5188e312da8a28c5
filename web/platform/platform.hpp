// platform.hpp: the only part of the console that talks to the browser.
//
// [SECTION] Canvas and pixel density
// [SECTION] Clock
// [SECTION] Settings storage
// [SECTION] Page integration (language, ready, failures)
// [SECTION] HTTP to the server that served the page
// [SECTION] Text through the browser's input method (the text agent)
// [SECTION] System clipboard
// [SECTION] Address (the part after #) and per-tab storage
// [SECTION] Drawing only when something changed
// [SECTION] Test hooks
//
// CMake picks the implementation (platform_emscripten.cpp for the browser); views and the
// app never test for the platform. Sizes are CSS pixels unless the name says otherwise.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/basics/time.hpp"

namespace loyalty::console::platform {

// [SECTION] Canvas and pixel density ---------------------------------------------------
struct CanvasMetrics {
  float css_width = 0;            // the canvas's CSS size (what the layout gives it)
  float css_height = 0;
  float device_pixel_ratio = 1;   // window.devicePixelRatio
  int backing_width_px = 0;       // canvas.width after the sync: css_width * dpr, rounded
  int backing_height_px = 0;
};
// Reads the canvas's CSS size and devicePixelRatio and, when they changed, resizes the
// backing store to CSS size x devicePixelRatio so that drawing stays sharp.
CanvasMetrics sync_canvas_size();

// [SECTION] Clock ----------------------------------------------------------------------
UtcSeconds now_utc_seconds();   // from the browser's Date.now()

// [SECTION] Settings storage -----------------------------------------------------------
// Small per-browser settings (localStorage). Missing or unavailable storage: nullopt.
std::optional<std::string> load_setting(std::string_view key);
void save_setting(std::string_view key, std::string_view value);

// [SECTION] Page integration -----------------------------------------------------------
void set_document_language(std::string_view language_code);   // <html lang="...">
void set_document_title(std::string_view title);
void mark_ready();   // window.consoleReady = true, window.consoleReadyAtMs = performance.now()
// The console cannot run (no WebGL2 context, ...): the page shows its fallback message.
void report_startup_failure(std::string_view reason);

// [SECTION] HTTP to the server that served the page ------------------------------------
// Requests go to the page's own origin, with its cookies: the session cookie is HttpOnly,
// so the console never holds it. Asynchronous, as everything in a browser: start a
// request, then ask each frame whether its answer has come.
struct HttpRequest {
  std::string method = "GET";   // "GET", "POST", "PUT", "PATCH"
  std::string path;             // "/api/v1/auth/me": a path on the page's origin
  std::string json_body;        // sent as application/json when not empty
  std::string csrf_token;       // sent as X-CSRF-Token when not empty
};
struct HttpResponse {
  int status = 0;               // the HTTP status; 0 when no answer came (network, timeout)
  std::string body;             // the answer's text (JSON from the API)
};
using HttpRequestId = std::uint32_t;
inline constexpr std::uint32_t http_timeout_ms = 10'000;   // then status 0
HttpRequestId start_http_request(const HttpRequest& request);
// The answer once it has come (and then forgotten); nullopt while it is on its way.
std::optional<HttpResponse> take_http_response(HttpRequestId id);

// [SECTION] Text through the browser's input method (the text agent) ---------------------
// SDL2 reads text from key presses only, so input methods (Telex, VNI, pinyin) and phone
// keyboards type nothing through it. A hidden <textarea> (shell/boot.js, consoleAgent) has
// the keyboard focus while ImGui wants text; what the input method commits there comes back
// as an SDL user event of type text_event_type(), in order with SDL's key events:
//   event.user.code == 0: data1 is a heap std::string* with UTF-8 text (delete it);
//   event.user.code == 1: one Backspace the browser reported without a usable key press.
// Install once SDL is initialised; returns false when SDL has no user event left.
bool install_text_agent();
std::uint32_t text_event_type();
// Each frame: whether ImGui wants text, and where its caret is (CSS pixels, relative to the
// canvas), so that the input method's candidate window and phone keyboards appear there.
void update_text_agent(bool wants_text, float caret_x, float caret_y, float line_height);
// What the input method is composing and has not committed yet ("Nguyê"), empty if none.
std::string composing_text();
bool is_apple_platform();   // Cmd rather than Ctrl for shortcuts

// [SECTION] System clipboard ---------------------------------------------------------------
// ImGui's SetClipboardTextFn: writes the system clipboard (navigator.clipboard, and the next
// copy event as the fallback).
void set_clipboard_text(std::string_view text);
// ImGui's GetClipboardTextFn: the text of the last paste (Ctrl/Cmd+V fires the page's paste
// event before ImGui sees the key), else the last text copied here.
std::string clipboard_text();
// The text selected in the active input, mirrored each frame so that the page's copy and cut
// events can put it on the clipboard in the event itself (what Safari requires).
void set_selected_text(std::string_view text);

// [SECTION] Address (the part after #) and per-tab storage ----------------------------------
std::string location_hash();                             // "#/members/M0000123", or ""
// Changes the address: a new history entry (Back returns), or `replace` the current one.
void set_location_hash(std::string_view hash, bool replace);
// True once after the address changed outside the app (Back, Forward, a typed link).
bool take_location_changed();
// sessionStorage: survives a reload of this tab, not the tab's closing. nullopt if missing.
std::optional<std::string> load_session_value(std::string_view key);
void save_session_value(std::string_view key, std::string_view value);

// [SECTION] Drawing only when something changed ----------------------------------------------
// The main loop stops while nothing happens; these wake it: DOM events (through SDL's event
// watch), HTTP answers, address changes, text agent events, and the timers below.
using WakeHandler = void (*)();
void set_wake_handler(WakeHandler handler);   // called on each of those events
// Draw again in `delay_ms` even if nothing happens (a debounce, an animation's next step).
void request_redraw_after_ms(int delay_ms);
void count_frame_drawn();                     // window.consoleFramesDrawn, for the tests

// [SECTION] Test hooks -------------------------------------------------------------------
// What the last frame drew, published for the browser tests (window.consoleTextRects,
// window.consoleInputs, window.consoleState, window.consoleMissingGlyphs,
// window.consoleLanguage, window.consoleScreen).
struct TextRect {
  std::string id;       // i18n key name or another stable id
  std::string text;     // the UTF-8 text drawn
  float x = 0, y = 0, width = 0, height = 0;   // CSS pixels, relative to the canvas
};
// A text input: where to click to focus it, what it holds, whether it has the keyboard.
struct InputRect {
  std::string id;       // stable id, e.g. "preview_amount_vnd"
  std::string text;     // what the field holds, as typed
  float x = 0, y = 0, width = 0, height = 0;   // CSS pixels, the input's frame
  bool focused = false; // typing goes into this input
};
// A value a screen shows, by name, as plain text (numbers unformatted): tests read what the
// screen computed without parsing formatted text.
struct StateEntry {
  std::string key;      // "preview.buyer_points"
  std::string value;    // "10"
};
struct FrameReport {
  std::vector<TextRect> text_rects;
  std::vector<InputRect> inputs;
  std::vector<StateEntry> state;
  std::vector<std::uint32_t> missing_codepoints;   // drawn but absent from the font
  std::string language;                            // "vi" / "en"
  std::string screen;                              // "overview", "members", ...
};
// Publishes the report when it differs from the last one published.
void publish_frame_report(const FrameReport& report);

}  // namespace loyalty::console::platform
