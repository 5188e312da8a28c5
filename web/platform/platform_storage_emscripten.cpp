// platform_storage_emscripten.cpp: the browser implementation of platform_storage.hpp.
#include "platform/platform_storage.hpp"

#include <emscripten/emscripten.h>

#include <cassert>
#include <string>

namespace loyalty::console::platform {
namespace {

// The localStorage key of the journal before IndexedDB (and without it).
constexpr const char* offline_journal_key = "loyalty.console.offline_journal";

// clang-format off
// Module.consoleJournal: { db: the open IndexedDB database or null (then localStorage),
// text: the journal once loaded (null before) }. Records are appended in one object store
// with increasing keys; readwrite transactions on one store run in the order they were
// made, so the lines stay in the order the core accepted them.
EM_JS(void, js_journal_start_load, (const char* legacy_key), {
  const legacyKey = UTF8ToString(legacy_key);
  const journal = Module.consoleJournal = { db: null, text: null };
  const legacyText = function () {
    try { return window.localStorage.getItem(legacyKey); } catch (error) { return null; }
  };
  const finish = function (text) {
    journal.text = text || String();
    if (Module._console_wake) Module._console_wake();   // the demo store can be built now
  };
  const withoutDatabase = function () {
    journal.db = null;
    finish(legacyText());
  };
  let opening;
  try {
    opening = window.indexedDB.open('loyalty-console', 1);
  } catch (error) {
    return withoutDatabase();
  }
  opening.onupgradeneeded = function () {
    opening.result.createObjectStore('offline_journal', { autoIncrement: true });
  };
  opening.onerror = withoutDatabase;
  opening.onblocked = withoutDatabase;
  opening.onsuccess = function () {
    const db = opening.result;
    const legacy = legacyText();
    let transaction;
    try {
      transaction = db.transaction('offline_journal', 'readwrite');
    } catch (error) {
      return withoutDatabase();
    }
    const records = transaction.objectStore('offline_journal');
    // The localStorage journal of an earlier console becomes the newest record, in the
    // same transaction as the read: moved whole or not at all.
    if (legacy) records.add(legacy);
    const everything = records.getAll();
    transaction.oncomplete = function () {
      if (legacy !== null) {
        try { window.localStorage.removeItem(legacyKey); } catch (error) {}
      }
      journal.db = db;
      finish(everything.result.join(String()));
    };
    transaction.onabort = withoutDatabase;
  };
});

EM_JS(int, js_journal_loaded, (), {
  return Module.consoleJournal && Module.consoleJournal.text !== null ? 1 : 0;
});

EM_JS(int, js_journal_length, (), {
  return Module.consoleJournal && Module.consoleJournal.text ? lengthBytesUTF8(Module.consoleJournal.text) : 0;
});

// Hands the loaded text over once: the journal is not kept twice in the page.
EM_JS(void, js_journal_take, (char* buffer, int buffer_size), {
  const journal = Module.consoleJournal;
  stringToUTF8(journal && journal.text ? journal.text : String(), buffer, buffer_size);
  if (journal) journal.text = String();
});

EM_JS(int, js_journal_append, (const char* legacy_key, const char* lines), {
  const text = UTF8ToString(lines);
  const journal = Module.consoleJournal;
  if (journal && journal.db) {
    try {
      const transaction = journal.db.transaction('offline_journal', 'readwrite');
      transaction.objectStore('offline_journal').add(text);
      if (transaction.commit) transaction.commit();   // written now, not when the task ends
      return 1;
    } catch (error) {
      return 0;
    }
  }
  try {
    const name = UTF8ToString(legacy_key);
    const before = window.localStorage.getItem(name) || String();
    window.localStorage.setItem(name, before + text);
    return 1;
  } catch (error) {
    return 0;
  }
});

EM_JS(void, js_journal_clear, (const char* legacy_key), {
  const journal = Module.consoleJournal;
  if (journal && journal.db) {
    try {
      const transaction = journal.db.transaction('offline_journal', 'readwrite');
      transaction.objectStore('offline_journal').clear();
      if (transaction.commit) transaction.commit();
    } catch (error) {}
  }
  try { window.localStorage.removeItem(UTF8ToString(legacy_key)); } catch (error) {}
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

void start_loading_offline_journal() { js_journal_start_load(offline_journal_key); }

std::optional<std::string> take_offline_journal() {
  if (js_journal_loaded() == 0) return std::nullopt;
  const int length = js_journal_length();
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  js_journal_take(value.data(), length + 1);
  value.resize(static_cast<std::size_t>(length));
  return value;
}

bool append_offline_journal(std::string_view lines) {
  const std::string text(lines);
  return js_journal_append(offline_journal_key, text.c_str()) == 1;
}

void clear_offline_journal() { js_journal_clear(offline_journal_key); }

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
