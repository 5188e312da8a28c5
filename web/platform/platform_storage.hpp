// platform_storage.hpp: what the offline demo keeps in the browser, and the demo store's
// file next to the page. Part of platform/: the only code that talks to the browser.
//
// The user's changes to the demo store are a journal of the core's commands (JSON lines),
// replayed over the demo store at start, so a reload finds everything as it was. They live
// in IndexedDB (database "loyalty-console", store "offline_journal", one record per
// append): its quota is the disk's, where localStorage stops at a few MiB of UTF-16 and
// blocks the page while it writes. IndexedDB answers later, so the journal is loaded
// before the demo store is used: start the load, then take it each frame until it came
// (the console is woken when it has). A journal that an earlier console kept in
// localStorage is moved into IndexedDB by the first load, once. Without IndexedDB (some
// private modes) the journal stays in localStorage, as before.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "platform/platform.hpp"

namespace loyalty::console::platform {

void start_loading_offline_journal();
// The journal's lines once loaded ("" when none, or no storage); nullopt while loading.
std::optional<std::string> take_offline_journal();
// Appends lines (each ending in '\n') after every earlier append, in order; false when
// nothing can keep them (no storage at all). Call after the journal was taken.
bool append_offline_journal(std::string_view lines);
void clear_offline_journal();                        // "reset to the demo"

// While on, closing or reloading the tab asks the browser's "leave this page?" first
// (a changed form that is not saved). Cheap to call every frame.
void set_leave_warning(bool on);

// Fetches a file of the site by a path relative to the page ("demo_store.jsonl"); the
// answer is taken with take_http_response, like any request.
HttpRequestId start_site_file_request(std::string_view relative_path);

}  // namespace loyalty::console::platform
