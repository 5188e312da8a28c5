// platform_storage.hpp: what the offline demo keeps in the browser, and the demo store's
// file next to the page. Part of platform/: the only code that talks to the browser.
//
// The user's changes to the demo store are a journal of the core's commands (JSON lines),
// replayed over the demo store at start, so a reload finds everything as it was. They live
// in localStorage: a journal of a few thousand corrections is far below its quota, and its
// reads are synchronous, so the store is whole before the first frame that needs it.
#pragma once
#include <string>
#include <string_view>

#include "platform/platform.hpp"

namespace loyalty::console::platform {

std::string load_offline_journal();                  // "" when none (or no storage)
// Appends lines (each ending in '\n'); false when the browser refused (quota, private mode).
bool append_offline_journal(std::string_view lines);
void clear_offline_journal();                        // "reset to the demo"

// While on, closing or reloading the tab asks the browser's "leave this page?" first
// (a changed form that is not saved). Cheap to call every frame.
void set_leave_warning(bool on);

// Fetches a file of the site by a path relative to the page ("demo_store.jsonl"); the
// answer is taken with take_http_response, like any request.
HttpRequestId start_site_file_request(std::string_view relative_path);

}  // namespace loyalty::console::platform
