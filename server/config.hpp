// config.hpp: the server's settings, from command-line flags with environment variables as
// fallbacks (a flag wins over its variable, which wins over the default).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

namespace loyalty::server {

struct Config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string database_path = "data/loyalty.db";
  std::string web_root = "build/web";
  // A file of core commands (JSON lines) that builds the demo store on the first start of
  // an empty database, with demo staff accounts (README, "Demo"); empty: no demo.
  std::string demo_store_path;
};

// What parsing decided: run with a config, print help, or stop with an error.
struct ConfigOutcome {
  enum class Kind { run, show_help, invalid };
  Kind kind = Kind::run;
  Config config;
  std::string error_message;  // names the flag or variable at fault, when `invalid`
};

// `arguments` excludes the program name. `read_environment` returns a variable's value,
// or nullopt when unset (injected so that parsing stays testable without a real process).
ConfigOutcome parse_config(
    std::span<const std::string> arguments,
    const std::function<std::optional<std::string>(const std::string&)>& read_environment);

std::string usage_text();

}  // namespace loyalty::server
