// platform.hpp: the only part of the console that talks to the browser.
//
// [SECTION] Canvas and pixel density
// [SECTION] Clock
// [SECTION] Settings storage
// [SECTION] Page integration (language, ready, failures)
// [SECTION] HTTP to the server that served the page
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
void mark_ready();                                             // window.consoleReady = true
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
