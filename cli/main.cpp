// loyalty: the core's commands as JSON lines, without a server.
//
//   loyalty apply [--state DIR]   < commands.jsonl > results.jsonl
//
// Each input line is one command (docs/commands.md); each output line is its result.
// With --state DIR the store persists between runs: DIR/journal.jsonl holds every
// accepted write, appended and flushed to disk before its result is printed, and the
// store is rebuilt from it at start. Without --state the store lives for the run.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "core/commands/command_runner.hpp"

#ifndef __EMSCRIPTEN__
#include <fcntl.h>
#include <unistd.h>
#endif

namespace {

void print_usage(std::FILE* stream) {
  std::fputs(
      "usage: loyalty apply [--state DIR]\n"
      "  Reads commands as JSON lines on standard input and writes one JSON result line per\n"
      "  command to standard output. Commands and results: docs/commands.md.\n"
      "  --state DIR   keep the store in DIR (DIR/journal.jsonl); created when missing\n",
      stream);
}

// Appends one line and forces it to disk: an acknowledged write is never lost.
class Journal {
 public:
  bool open(const std::filesystem::path& path, std::string& error) {
#ifndef __EMSCRIPTEN__
    descriptor_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (descriptor_ < 0) {
      error = std::strerror(errno);
      return false;
    }
#else
    file_ = std::fopen(path.c_str(), "ab");
    if (file_ == nullptr) {
      error = std::strerror(errno);
      return false;
    }
#endif
    return true;
  }
  bool append(const std::string& line) {
    const std::string record = line + "\n";
#ifndef __EMSCRIPTEN__
    std::size_t written = 0;
    while (written < record.size()) {
      const ssize_t count = ::write(descriptor_, record.data() + written, record.size() - written);
      if (count < 0 && errno == EINTR) continue;
      if (count <= 0) return false;
      written += static_cast<std::size_t>(count);
    }
    return ::fdatasync(descriptor_) == 0;
#else
    return std::fwrite(record.data(), 1, record.size(), file_) == record.size() && std::fflush(file_) == 0;
#endif
  }

 private:
#ifndef __EMSCRIPTEN__
  int descriptor_ = -1;
#else
  std::FILE* file_ = nullptr;
#endif
};

}  // namespace

int main(int argument_count, char** arguments) {
  std::ios::sync_with_stdio(false);
  if (argument_count < 2 || std::strcmp(arguments[1], "apply") != 0) {
    if (argument_count >= 2 && (std::strcmp(arguments[1], "--help") == 0 || std::strcmp(arguments[1], "help") == 0)) {
      print_usage(stdout);
      return 0;
    }
    print_usage(stderr);
    return 2;
  }
  std::string state_dir;
  for (int i = 2; i < argument_count; ++i) {
    if (std::strcmp(arguments[i], "--state") == 0) {
      if (i + 1 >= argument_count || arguments[i + 1][0] == '\0') {
        std::fprintf(stderr, "loyalty: --state needs a folder, e.g. --state data/store\n");
        print_usage(stderr);
        return 2;
      }
      state_dir = arguments[++i];
    } else {
      std::fprintf(stderr, "loyalty: unknown argument '%s'\n", arguments[i]);
      print_usage(stderr);
      return 2;
    }
  }

  loyalty::CommandRunner runner;
  Journal journal;
  if (!state_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(state_dir, error);
    if (error) {
      std::fprintf(stderr, "loyalty: cannot create --state folder '%s': %s\n", state_dir.c_str(), error.message().c_str());
      return 1;
    }
    const std::filesystem::path journal_path = std::filesystem::path(state_dir) / "journal.jsonl";
    // Rebuild the store: every journal line was accepted once, so it must be again.
    std::ifstream existing(journal_path);
    std::string line;
    std::size_t journal_line = 0;
    while (std::getline(existing, line)) {
      ++journal_line;
      if (line.empty()) continue;
      const loyalty::CommandOutput replayed = runner.run_line(line, journal_line);
      // A journal line was accepted once (or moved the clock), so it must be again.
      if (!replayed.journal) {
        const std::string result = replayed.result.value("result", "");
        const std::string why = result == "ok" || result == "already_applied"
                                    ? result + ", but it changed nothing: it was applied twice or out of order"
                                    : result;
        std::fprintf(stderr, "loyalty: %s line %zu was refused on replay (%s); the journal is damaged\n",
                     journal_path.c_str(), journal_line, why.c_str());
        return 1;
      }
    }
    std::string open_error;
    if (!journal.open(journal_path, open_error)) {
      std::fprintf(stderr, "loyalty: cannot open journal '%s': %s\n", journal_path.c_str(), open_error.c_str());
      return 1;
    }
  }

  std::string line;
  std::size_t line_number = 0;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines are allowed
    const loyalty::CommandOutput output = runner.run_line(line, line_number);
    if (!output.journal_before.empty() && !state_dir.empty() && !journal.append(output.journal_before)) {
      std::fprintf(stderr, "loyalty: writing the journal failed (%s); stopping before acknowledging line %zu\n",
                   std::strerror(errno), line_number);
      return 1;
    }
    if (output.journal && !state_dir.empty() && !journal.append(line)) {
      std::fprintf(stderr, "loyalty: writing the journal failed (%s); stopping before acknowledging line %zu\n",
                   std::strerror(errno), line_number);
      return 1;
    }
    std::cout << output.result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  std::cout.flush();
  return 0;
}
