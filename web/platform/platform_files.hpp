// platform_files.hpp: files the user saves from the console or opens into it (the program
// as JSON). Part of platform/: the only code that talks to the browser.
//
// Saving is a download (a Blob behind an <a download>): the browser puts it where its
// downloads go. Opening is the browser's file chooser (a hidden <input type=file>), and,
// as everything in a browser, asynchronous: start the choice, then ask each frame whether
// the file's text has come. The console is woken when it has.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loyalty::console::platform {

// Offers `text` (UTF-8) as a file named `file_name` ("chuong-trinh-demo-2026-12-01.json").
void download_text_file(std::string_view file_name, std::string_view mime_type, std::string_view text);

// Files larger than this are not read (a program document is a few KiB).
inline constexpr std::uint32_t opened_file_size_max_bytes = 1'048'576;

using FileChoiceId = std::uint32_t;
// Opens the file chooser for `accept` (".json,application/json"). Call it while handling a
// click: browsers open the chooser only for a user's gesture.
FileChoiceId start_file_choice(std::string_view accept);
struct OpenedFile {
  enum class Outcome : std::uint8_t { read, cancelled, too_large, unreadable };
  Outcome outcome = Outcome::cancelled;
  std::string name;   // the file's name, without its folder
  std::string text;   // its content as UTF-8 text, when read
};
// The file once chosen and read (then forgotten); nullopt while the user is choosing.
std::optional<OpenedFile> take_opened_file(FileChoiceId id);

}  // namespace loyalty::console::platform
