// platform_files_emscripten.cpp: the browser implementation of platform_files.hpp.
#include "platform/platform_files.hpp"

#include <emscripten/emscripten.h>

#include <cassert>
#include <string>

namespace loyalty::console::platform {
namespace {

// clang-format off
EM_JS(void, js_download_text_file, (const char* file_name, const char* mime_type, const char* text), {
  const blob = new Blob([UTF8ToString(text)], { type: UTF8ToString(mime_type) });
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = UTF8ToString(file_name);
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // The download has taken the Blob's content by the next task; the URL can go then.
  setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
});

// One hidden <input type=file id=console-file-input>, reused; the answer of choice `id`
// waits in Module.consoleFiles until taken. Outcomes: 0 read, 1 cancelled, 2 too large,
// 3 unreadable (as OpenedFile::Outcome).
EM_JS(int, js_file_choice_start, (const char* accept, int size_max_bytes), {
  if (!Module.consoleFiles) Module.consoleFiles = { next: 1, waiting: 0, answers: new Map(), input: null };
  const files = Module.consoleFiles;
  const id = files.next++;
  const answer = function (choice, outcome, name, text) {
    if (files.answers.has(choice)) return;
    files.answers.set(choice, { outcome: outcome, name: name, text: text });
    if (Module._console_wake) Module._console_wake();   // the file may change the screen
  };
  if (!files.input) {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'console-file-input';
    input.style.display = 'none';
    input.addEventListener('change', function () {
      const choice = files.waiting;
      const file = input.files && input.files.length > 0 ? input.files[0] : null;
      input.value = String();   // choosing the same file again fires change again
      if (!file) return answer(choice, 1, String(), String());
      if (file.size > files.sizeMax) return answer(choice, 2, file.name, String());
      file.text().then(function (text) { answer(choice, 0, file.name, text); },
                       function () { answer(choice, 3, file.name, String()); });
    });
    input.addEventListener('cancel', function () { answer(files.waiting, 1, String(), String()); });
    document.body.appendChild(input);
    files.input = input;
  }
  // A choice still open is over: only the newest one gets the file.
  if (files.waiting) answer(files.waiting, 1, String(), String());
  files.waiting = id;
  files.sizeMax = size_max_bytes;
  files.input.accept = UTF8ToString(accept);
  files.input.click();
  return id;
});

// -1 while the user is choosing.
EM_JS(int, js_file_choice_outcome, (int id), {
  const answer = Module.consoleFiles ? Module.consoleFiles.answers.get(id) : undefined;
  return answer ? answer.outcome : -1;
});

// `which`: 0 the name, 1 the text.
EM_JS(int, js_file_choice_length, (int id, int which), {
  const answer = Module.consoleFiles ? Module.consoleFiles.answers.get(id) : undefined;
  return answer ? lengthBytesUTF8(which === 0 ? answer.name : answer.text) : 0;
});

EM_JS(void, js_file_choice_read, (int id, int which, char* buffer, int buffer_size), {
  const answer = Module.consoleFiles ? Module.consoleFiles.answers.get(id) : undefined;
  stringToUTF8(answer ? (which === 0 ? answer.name : answer.text) : String(), buffer, buffer_size);
});

EM_JS(void, js_file_choice_forget, (int id), {
  if (Module.consoleFiles) Module.consoleFiles.answers.delete(id);
});
// clang-format on

std::string read_answer_text(int id, int which) {
  const int length = js_file_choice_length(id, which);
  std::string text(static_cast<std::size_t>(length) + 1, '\0');
  js_file_choice_read(id, which, text.data(), length + 1);
  text.resize(static_cast<std::size_t>(length));
  return text;
}

}  // namespace

void download_text_file(std::string_view file_name, std::string_view mime_type, std::string_view text) {
  assert(!file_name.empty() && !mime_type.empty());
  const std::string name(file_name);
  const std::string type(mime_type);
  const std::string content(text);
  js_download_text_file(name.c_str(), type.c_str(), content.c_str());
}

FileChoiceId start_file_choice(std::string_view accept) {
  const std::string accept_text(accept);
  const int id = js_file_choice_start(accept_text.c_str(), static_cast<int>(opened_file_size_max_bytes));
  assert(id > 0);
  return static_cast<FileChoiceId>(id);
}

std::optional<OpenedFile> take_opened_file(FileChoiceId id) {
  assert(id > 0);
  const int outcome = js_file_choice_outcome(static_cast<int>(id));
  if (outcome < 0) return std::nullopt;
  OpenedFile file;
  file.outcome = static_cast<OpenedFile::Outcome>(outcome);
  file.name = read_answer_text(static_cast<int>(id), 0);
  if (file.outcome == OpenedFile::Outcome::read) file.text = read_answer_text(static_cast<int>(id), 1);
  js_file_choice_forget(static_cast<int>(id));
  return file;
}

}  // namespace loyalty::console::platform
