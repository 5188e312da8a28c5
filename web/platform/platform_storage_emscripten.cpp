// platform_storage_emscripten.cpp: the browser implementation of platform_storage.hpp.
#include "platform/platform_storage.hpp"

#include <emscripten/emscripten.h>

#include <cassert>
#include <string>

namespace loyalty::console::platform {
namespace {

constexpr const char* offline_journal_key = "loyalty.console.offline_journal";

// clang-format off
EM_JS(int, js_storage_length, (const char* key), {
  try {
    const value = window.localStorage.getItem(UTF8ToString(key));
    return value === null ? 0 : lengthBytesUTF8(value);
  } catch (error) {
    return 0;
  }
});

EM_JS(void, js_storage_read, (const char* key, char* buffer, int buffer_size), {
  let value = String();
  try { value = window.localStorage.getItem(UTF8ToString(key)) || String(); } catch (error) {}
  stringToUTF8(value, buffer, buffer_size);
});

EM_JS(int, js_storage_append, (const char* key, const char* lines), {
  try {
    const name = UTF8ToString(key);
    const before = window.localStorage.getItem(name) || String();
    window.localStorage.setItem(name, before + UTF8ToString(lines));
    return 1;
  } catch (error) {
    return 0;
  }
});

EM_JS(void, js_storage_remove, (const char* key), {
  try { window.localStorage.removeItem(UTF8ToString(key)); } catch (error) {}
});

// The same answer store as platform_emscripten.cpp's requests (Module.consoleHttp), so
// take_http_response reads it.
EM_JS(int, js_site_file_start, (const char* relative_path, int timeout_ms), {
  if (!Module.consoleHttp) Module.consoleHttp = { next: 1, answers: new Map() };
  const http = Module.consoleHttp;
  const id = http.next++;
  const url = new URL(UTF8ToString(relative_path), document.baseURI).href;
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = controller ? setTimeout(function () { controller.abort(); }, timeout_ms) : 0;
  const options = { credentials: 'same-origin' };
  if (controller) options.signal = controller.signal;
  fetch(url, options).then(function (response) {
    return response.text().then(function (text) { return { status: response.status, text: text }; });
  }).catch(function () { return { status: 0, text: String() }; }).then(function (answer) {
    clearTimeout(timer);
    http.answers.set(id, answer);
  });
  return id;
});
EM_JS(void, js_set_leave_warning, (int on), {
  if (!Module.consoleLeaveWarning) {
    Module.consoleLeaveWarning = { on: false };
    window.addEventListener('beforeunload', function (event) {
      if (!Module.consoleLeaveWarning.on) return;
      event.preventDefault();
      event.returnValue = String();   // older browsers need a value to show their question
    });
  }
  Module.consoleLeaveWarning.on = on !== 0;
});
// clang-format on

}  // namespace

std::string load_offline_journal() {
  const int length = js_storage_length(offline_journal_key);
  if (length <= 0) return {};
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  js_storage_read(offline_journal_key, value.data(), length + 1);
  value.resize(static_cast<std::size_t>(length));
  return value;
}

bool append_offline_journal(std::string_view lines) {
  const std::string text(lines);
  return js_storage_append(offline_journal_key, text.c_str()) == 1;
}

void clear_offline_journal() { js_storage_remove(offline_journal_key); }

void set_leave_warning(bool on) {
  static int last = -1;   // the page is told only when it changes
  if (last == static_cast<int>(on)) return;
  last = static_cast<int>(on);
  js_set_leave_warning(on ? 1 : 0);
}

HttpRequestId start_site_file_request(std::string_view relative_path) {
  assert(!relative_path.empty() && relative_path.front() != '/');
  const std::string path(relative_path);
  const int id = js_site_file_start(path.c_str(), static_cast<int>(http_timeout_ms));
  assert(id > 0);
  return static_cast<HttpRequestId>(id);
}

}  // namespace loyalty::console::platform
