// platform_emscripten.cpp: the browser implementation of platform.hpp.
//
// Every call into JavaScript of the console is in this file (EM_JS bodies below). The page
// (shell/boot.js) defines window.consoleBoot, which shows the loading indicator and the
// fallback message; this file only calls it.
#include "platform/platform.hpp"

#include <SDL.h>
#include <emscripten/emscripten.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <string>

namespace loyalty::console::platform {
namespace {

// clang-format off
EM_JS(void, js_sync_canvas_size, (float* out_css, int* out_backing), {
  const canvas = Module['canvas'] || document.getElementById('canvas');
  const rect = canvas.getBoundingClientRect();
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(rect.width * ratio));
  const height = Math.max(1, Math.round(rect.height * ratio));
  // Assigning clears the drawing buffer, so only when the size really changed.
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  HEAPF32[(out_css >> 2) + 0] = rect.width;
  HEAPF32[(out_css >> 2) + 1] = rect.height;
  HEAPF32[(out_css >> 2) + 2] = ratio;
  HEAP32[(out_backing >> 2) + 0] = canvas.width;
  HEAP32[(out_backing >> 2) + 1] = canvas.height;
});

EM_JS(double, js_now_milliseconds, (), {
  return Date.now();
});

// -1: no value (or no storage: private mode, blocked cookies).
EM_JS(int, js_setting_length, (const char* key), {
  try {
    const value = window.localStorage.getItem(UTF8ToString(key));
    return value === null ? -1 : lengthBytesUTF8(value);
  } catch (error) {
    return -1;
  }
});

EM_JS(void, js_setting_read, (const char* key, char* buffer, int buffer_size), {
  let value = String();
  try { value = window.localStorage.getItem(UTF8ToString(key)) || String(); } catch (error) {}
  stringToUTF8(value, buffer, buffer_size);
});

EM_JS(void, js_setting_write, (const char* key, const char* value), {
  try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (error) {}
});

EM_JS(void, js_set_document_language, (const char* code), {
  document.documentElement.lang = UTF8ToString(code);
});

EM_JS(void, js_set_document_title, (const char* title), {
  document.title = UTF8ToString(title);
});

EM_JS(void, js_mark_ready, (), {
  window.consoleReady = true;
  window.consoleReadyAtMs = performance.now();   // since navigation started (make bench)
  if (window.consoleBoot && window.consoleBoot.ready) window.consoleBoot.ready();
});

EM_JS(void, js_report_startup_failure, (const char* reason), {
  const text = UTF8ToString(reason);
  if (window.consoleBoot && window.consoleBoot.fail) window.consoleBoot.fail('webgl', text);
});

// HTTP: fetch() with the page's cookies; answers wait in Module.consoleHttp until taken.
// (No empty string literals here: the C preprocessor reads two quotes as a character.)
EM_JS(int, js_http_start, (const char* method, const char* path, const char* body,
                           const char* csrf_token, int timeout_ms), {
  if (!Module.consoleHttp) Module.consoleHttp = { next: 1, answers: new Map() };
  const http = Module.consoleHttp;
  const id = http.next++;
  const bodyText = UTF8ToString(body);
  const csrfText = UTF8ToString(csrf_token);
  const headers = { 'Accept': 'application/json' };
  if (bodyText.length > 0) headers['Content-Type'] = 'application/json';
  if (csrfText.length > 0) headers['X-CSRF-Token'] = csrfText;
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = controller ? setTimeout(function () { controller.abort(); }, timeout_ms) : 0;
  const options = { method: UTF8ToString(method), headers: headers, credentials: 'same-origin',
                    cache: 'no-store', redirect: 'error' };
  if (bodyText.length > 0) options.body = bodyText;
  if (controller) options.signal = controller.signal;
  let request;
  try {
    request = fetch(UTF8ToString(path), options).then(function (response) {
      return response.text().then(function (text) { return { status: response.status, text: text }; });
    });
  } catch (error) {
    request = Promise.reject(error);
  }
  request.catch(function () { return { status: 0, text: String() }; }).then(function (answer) {
    clearTimeout(timer);
    http.answers.set(id, answer);
    if (Module._console_wake) Module._console_wake();   // the answer may change the screen
  });
  return id;
});

// -1 while the answer is on its way.
EM_JS(int, js_http_status, (int id), {
  const answer = Module.consoleHttp ? Module.consoleHttp.answers.get(id) : undefined;
  return answer ? answer.status : -1;
});

EM_JS(int, js_http_body_length, (int id), {
  const answer = Module.consoleHttp ? Module.consoleHttp.answers.get(id) : undefined;
  return answer ? lengthBytesUTF8(answer.text) : 0;
});

EM_JS(void, js_http_take_body, (int id, char* buffer, int buffer_size), {
  const answer = Module.consoleHttp ? Module.consoleHttp.answers.get(id) : undefined;
  stringToUTF8(answer ? answer.text : String(), buffer, buffer_size);
  if (Module.consoleHttp) Module.consoleHttp.answers.delete(id);
});

// The text agent, the clipboard, the address and waking: window.consolePlatform (boot.js).
EM_JS(void, js_update_text_agent, (int wanted, float x, float y, float line_height), {
  if (window.consolePlatform) window.consolePlatform.updateAgent(wanted !== 0, x, y, line_height);
});

EM_JS(int, js_is_apple_platform, (), {
  return window.consolePlatform && window.consolePlatform.isApple() ? 1 : 0;
});

EM_JS(void, js_write_clipboard, (const char* text), {
  if (window.consolePlatform) window.consolePlatform.writeClipboard(UTF8ToString(text));
});

// Strings from JavaScript: the length first (UTF-8 bytes), then the bytes. `which`: 0 the
// clipboard, 1 the composition, 2 the address.
EM_JS(int, js_platform_text_length, (int which), {
  const platform = window.consolePlatform;
  if (!platform) return 0;
  const text = which === 0 ? platform.readClipboard() : which === 1 ? platform.composition() : platform.hash();
  return lengthBytesUTF8(text || String());
});

EM_JS(void, js_platform_text_read, (int which, char* buffer, int buffer_size), {
  const platform = window.consolePlatform;
  const text = !platform ? String() : which === 0 ? platform.readClipboard() : which === 1 ? platform.composition() : platform.hash();
  stringToUTF8(text || String(), buffer, buffer_size);
});

EM_JS(void, js_set_selected_text, (const char* text), {
  if (window.consolePlatform) window.consolePlatform.setSelection(UTF8ToString(text));
});

EM_JS(void, js_set_location_hash, (const char* hash, int replace), {
  if (window.consolePlatform) window.consolePlatform.setHash(UTF8ToString(hash), replace !== 0);
});

EM_JS(int, js_take_location_changed, (), {
  return window.consolePlatform && window.consolePlatform.takeHashChanged() ? 1 : 0;
});

EM_JS(int, js_session_value_length, (const char* key), {
  try {
    const value = window.sessionStorage.getItem(UTF8ToString(key));
    return value === null ? -1 : lengthBytesUTF8(value);
  } catch (error) {
    return -1;
  }
});

EM_JS(void, js_session_value_read, (const char* key, char* buffer, int buffer_size), {
  let value = String();
  try { value = window.sessionStorage.getItem(UTF8ToString(key)) || String(); } catch (error) {}
  stringToUTF8(value, buffer, buffer_size);
});

EM_JS(void, js_session_value_write, (const char* key, const char* value), {
  try { window.sessionStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (error) {}
});

EM_JS(void, js_wake_after, (int delay_ms), {
  if (window.consolePlatform) window.consolePlatform.wakeAfter(delay_ms);
});

EM_JS(void, js_frame_drawn, (), {
  if (window.consolePlatform) window.consolePlatform.frameDrawn();
});

EM_JS(void, js_publish_report, (const char* json), {
  const report = JSON.parse(UTF8ToString(json));
  window.consoleTextRects = report.textRects;
  window.consoleInputs = report.inputs;
  window.consoleState = report.state;
  window.consoleMissingGlyphs = report.missingCodepoints.length;
  window.consoleMissingCodepoints = report.missingCodepoints;
  window.consoleLanguage = report.language;
  window.consoleScreen = report.screen;
});
// clang-format on

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char character : text) {
    switch (character) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default:
        if (static_cast<unsigned char>(character) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(character));
          out += escaped;
        } else {
          out += character;  // UTF-8 passes through: JSON is UTF-8
        }
    }
  }
  out += '"';
}

void append_json_number(std::string& out, float value) {
  char number[32];
  std::snprintf(number, sizeof number, "%.1f", static_cast<double>(value));
  out += number;
}

// "text":...,"x":...,"y":...,"width":...,"height":... (no braces)
template <typename Rect>
void append_json_rect_fields(std::string& out, const Rect& rect) {
  out += "\"text\":";
  append_json_string(out, rect.text);
  out += ",\"x\":";
  append_json_number(out, rect.x);
  out += ",\"y\":";
  append_json_number(out, rect.y);
  out += ",\"width\":";
  append_json_number(out, rect.width);
  out += ",\"height\":";
  append_json_number(out, rect.height);
}

std::string report_to_json(const FrameReport& report) {
  std::string json = "{\"textRects\":{";
  bool first = true;
  for (const TextRect& rect : report.text_rects) {
    if (!first) json += ',';
    first = false;
    append_json_string(json, rect.id);
    json += ":{";
    append_json_rect_fields(json, rect);
    json += '}';
  }
  json += "},\"inputs\":{";
  first = true;
  for (const InputRect& input : report.inputs) {
    if (!first) json += ',';
    first = false;
    append_json_string(json, input.id);
    json += ":{";
    append_json_rect_fields(json, input);
    json += input.focused ? ",\"focused\":true}" : ",\"focused\":false}";
  }
  json += "},\"state\":{";
  first = true;
  for (const StateEntry& entry : report.state) {
    if (!first) json += ',';
    first = false;
    append_json_string(json, entry.key);
    json += ':';
    append_json_string(json, entry.value);
  }
  json += "},\"missingCodepoints\":[";
  for (std::size_t index = 0; index < report.missing_codepoints.size(); ++index) {
    if (index > 0) json += ',';
    json += std::to_string(report.missing_codepoints[index]);
  }
  json += "],\"language\":";
  append_json_string(json, report.language);
  json += ",\"screen\":";
  append_json_string(json, report.screen);
  json += '}';
  return json;
}

std::string read_platform_text(int which) {
  const int length = js_platform_text_length(which);
  std::string text(static_cast<std::size_t>(length) + 1, '\0');
  js_platform_text_read(which, text.data(), length + 1);
  text.resize(static_cast<std::size_t>(length));
  return text;
}

std::uint32_t registered_text_event_type = static_cast<std::uint32_t>(-1);
WakeHandler wake_handler = nullptr;

void push_agent_event(std::int32_t code, std::string* text) {
  if (registered_text_event_type == static_cast<std::uint32_t>(-1)) {
    delete text;
    return;
  }
  SDL_Event event{};
  event.type = registered_text_event_type;
  event.user.code = code;
  event.user.data1 = text;
  if (SDL_PushEvent(&event) != 1) delete text;   // the queue is full or the event filtered
}

}  // namespace

// Called by boot.js (consolePlatform): committed text, a Backspace without a key, a wake.
extern "C" {
EMSCRIPTEN_KEEPALIVE void console_agent_text(const char* text) {
  if (text == nullptr || *text == '\0') return;
  push_agent_event(0, new std::string(text));
}
EMSCRIPTEN_KEEPALIVE void console_agent_backspace() { push_agent_event(1, nullptr); }
EMSCRIPTEN_KEEPALIVE void console_wake() {
  if (wake_handler != nullptr) wake_handler();
}
}

CanvasMetrics sync_canvas_size() {
  float css[3] = {0, 0, 1};
  int backing[2] = {0, 0};
  js_sync_canvas_size(css, backing);
  CanvasMetrics metrics;
  metrics.css_width = std::max(1.0f, css[0]);
  metrics.css_height = std::max(1.0f, css[1]);
  metrics.device_pixel_ratio = css[2] > 0 ? css[2] : 1.0f;
  metrics.backing_width_px = backing[0];
  metrics.backing_height_px = backing[1];
  assert(metrics.backing_width_px > 0 && metrics.backing_height_px > 0);
  return metrics;
}

UtcSeconds now_utc_seconds() {
  return static_cast<UtcSeconds>(std::floor(js_now_milliseconds() / 1000.0));
}

std::optional<std::string> load_setting(std::string_view key) {
  const std::string key_text(key);
  const int length = js_setting_length(key_text.c_str());
  if (length < 0) return std::nullopt;
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  js_setting_read(key_text.c_str(), value.data(), length + 1);
  value.resize(static_cast<std::size_t>(length));
  return value;
}

void save_setting(std::string_view key, std::string_view value) {
  const std::string key_text(key);
  const std::string value_text(value);
  js_setting_write(key_text.c_str(), value_text.c_str());
}

void set_document_language(std::string_view language_code) {
  const std::string code(language_code);
  js_set_document_language(code.c_str());
}

void set_document_title(std::string_view title) {
  const std::string title_text(title);
  js_set_document_title(title_text.c_str());
}

void mark_ready() { js_mark_ready(); }

void report_startup_failure(std::string_view reason) {
  const std::string reason_text(reason);
  std::fprintf(stderr, "console: %s\n", reason_text.c_str());
  js_report_startup_failure(reason_text.c_str());
}

HttpRequestId start_http_request(const HttpRequest& request) {
  assert(!request.path.empty() && request.path.front() == '/' && "same-origin paths only");
  assert(request.method == "GET" || request.method == "POST" || request.method == "PUT" || request.method == "PATCH" || request.method == "DELETE");
  const int id = js_http_start(request.method.c_str(), request.path.c_str(), request.json_body.c_str(),
                               request.csrf_token.c_str(), static_cast<int>(http_timeout_ms));
  assert(id > 0);
  return static_cast<HttpRequestId>(id);
}

std::optional<HttpResponse> take_http_response(HttpRequestId id) {
  assert(id > 0);
  const int status = js_http_status(static_cast<int>(id));
  if (status < 0) return std::nullopt;
  const int length = js_http_body_length(static_cast<int>(id));
  HttpResponse response;
  response.status = status;
  response.body.assign(static_cast<std::size_t>(length) + 1, '\0');
  js_http_take_body(static_cast<int>(id), response.body.data(), length + 1);
  response.body.resize(static_cast<std::size_t>(length));
  return response;
}

bool install_text_agent() {
  if (registered_text_event_type != static_cast<std::uint32_t>(-1)) return true;
  const Uint32 type = SDL_RegisterEvents(1);
  if (type == static_cast<Uint32>(-1)) return false;
  registered_text_event_type = type;
  return true;
}

std::uint32_t text_event_type() { return registered_text_event_type; }

void update_text_agent(bool wants_text, float caret_x, float caret_y, float line_height) {
  js_update_text_agent(wants_text ? 1 : 0, caret_x, caret_y, line_height);
}

std::string composing_text() { return read_platform_text(1); }

bool is_apple_platform() { return js_is_apple_platform() != 0; }

void set_clipboard_text(std::string_view text) {
  const std::string copy(text);
  js_write_clipboard(copy.c_str());
}

std::string clipboard_text() { return read_platform_text(0); }

void set_selected_text(std::string_view text) {
  static std::string last_selected;
  if (text == last_selected) return;
  last_selected = std::string(text);
  js_set_selected_text(last_selected.c_str());
}

std::string location_hash() { return read_platform_text(2); }

void set_location_hash(std::string_view hash, bool replace) {
  const std::string hash_text(hash);
  js_set_location_hash(hash_text.c_str(), replace ? 1 : 0);
}

bool take_location_changed() { return js_take_location_changed() != 0; }

std::optional<std::string> load_session_value(std::string_view key) {
  const std::string key_text(key);
  const int length = js_session_value_length(key_text.c_str());
  if (length < 0) return std::nullopt;
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  js_session_value_read(key_text.c_str(), value.data(), length + 1);
  value.resize(static_cast<std::size_t>(length));
  return value;
}

void save_session_value(std::string_view key, std::string_view value) {
  const std::string key_text(key);
  const std::string value_text(value);
  js_session_value_write(key_text.c_str(), value_text.c_str());
}

void set_wake_handler(WakeHandler handler) { wake_handler = handler; }

void request_redraw_after_ms(int delay_ms) { js_wake_after(std::max(0, delay_ms)); }

void count_frame_drawn() { js_frame_drawn(); }

void publish_frame_report(const FrameReport& report) {
  static std::string last_published;
  std::string json = report_to_json(report);
  if (json == last_published) return;  // most frames draw the same thing
  js_publish_report(json.c_str());
  last_published = std::move(json);
}

}  // namespace loyalty::console::platform
