// platform_emscripten.cpp: the browser implementation of platform.hpp.
//
// Every call into JavaScript of the console is in this file (EM_JS bodies below). The page
// (shell/boot.js) defines window.consoleBoot, which shows the loading indicator and the
// fallback message; this file only calls it.
#include "platform/platform.hpp"

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

}  // namespace

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
  assert(request.method == "GET" || request.method == "POST" || request.method == "PUT" || request.method == "PATCH");
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

void publish_frame_report(const FrameReport& report) {
  static std::string last_published;
  std::string json = report_to_json(report);
  if (json == last_published) return;  // most frames draw the same thing
  js_publish_report(json.c_str());
  last_published = std::move(json);
}

}  // namespace loyalty::console::platform
