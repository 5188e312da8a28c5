// loyalty-server: the console's static files and the loyalty API over one SQLite database.
// This file reads the configuration and starts and stops the parts; it holds no logic.
#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/admin_commands.hpp"
#include "server/auth/authenticator.hpp"
#include "server/config.hpp"
#include "server/hosting/demo_store.hpp"
#include "server/hosting/due_scheduler.hpp"
#include "server/hosting/store_registry.hpp"
#include "server/storage/store_storage.hpp"
#include "server/http/routes.hpp"
#include "server/shutdown_signals.hpp"
#include "server/storage/database.hpp"
#include "server/webhooks/webhook_dispatcher.hpp"

namespace {

constexpr int exit_code_runtime_failure = 1;
constexpr int exit_code_usage = 2;
// Each worker serves one keep-alive connection at a time (httplib 0.11), so the pool size
// bounds how many browsers and clients can hold a connection at once.
constexpr std::size_t worker_thread_count = 64;
// Idle keep-alive connections hold a worker, and stop() waits for them: a short idle
// timeout keeps Ctrl+C prompt. Busy clients keep their connection regardless.
constexpr time_t keep_alive_timeout_s = 1;
constexpr std::size_t keep_alive_requests_max = 10000;

std::optional<std::string> read_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// httplib's default sets SO_REUSEPORT, which lets a second server bind a port that is
// already in use and silently share its connections. SO_REUSEADDR alone still allows a
// quick restart while old connections sit in TIME_WAIT, and makes a busy port an error.
void set_listening_socket_options(socket_t socket) {
  int enabled = 1;
  setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &enabled, sizeof enabled);
}

}  // namespace

int main(int argument_count, char** argument_values) {
  using namespace loyalty::server;
  block_shutdown_signals();      // before any thread exists, so all inherit the mask
  signal(SIGPIPE, SIG_IGN);      // a client closing early must not kill the server

  const std::vector<std::string> arguments(argument_values + 1, argument_values + argument_count);
  if (const std::optional<int> exit_code = run_admin_command(arguments)) return *exit_code;
  const ConfigOutcome outcome = parse_config(arguments, read_environment);
  if (outcome.kind == ConfigOutcome::Kind::show_help) {
    std::fputs(usage_text().c_str(), stdout);
    return 0;
  }
  if (outcome.kind == ConfigOutcome::Kind::invalid) {
    std::fprintf(stderr, "loyalty-server: %s\n", outcome.error_message.c_str());
    return exit_code_usage;
  }
  const Config& config = outcome.config;
  const auto started_at = std::chrono::steady_clock::now();

  httplib::Server server;
  server.set_tcp_nodelay(true);  // without it, small responses wait on Nagle's algorithm
  server.new_task_queue = [] { return new httplib::ThreadPool(worker_thread_count); };
  server.set_keep_alive_timeout(keep_alive_timeout_s);
  // httplib closes a connection after 5 requests by default: a busy till would reconnect
  // every fifth request. Idle connections still end after keep_alive_timeout_s.
  server.set_keep_alive_max_count(keep_alive_requests_max);
  server.set_socket_options(set_listening_socket_options);

  // The port first: a busy port should fail before the database is created or migrated.
  errno = 0;
  if (!server.bind_to_port(config.host, config.port)) {
    const int bind_error = errno;
    if (bind_error == EADDRINUSE) {
      std::fprintf(stderr,
                   "loyalty-server: cannot listen on %s:%u: the port is already in use (is "
                   "another server running?). Choose another with --port or PORT.\n",
                   config.host.c_str(), static_cast<unsigned>(config.port));
    } else {
      std::fprintf(stderr, "loyalty-server: cannot listen on %s:%u: %s. Check --host and --port.\n",
                   config.host.c_str(), static_cast<unsigned>(config.port),
                   bind_error != 0 ? std::strerror(bind_error)
                                   : "the address is not one of this machine's");
    }
    return exit_code_runtime_failure;
  }

  auto opened = storage::Database::open(config.database_path);
  if (!opened.ok()) {
    std::fprintf(stderr, "loyalty-server: %s\n", opened.error_message().c_str());
    return exit_code_runtime_failure;
  }
  std::unique_ptr<storage::Database> database = std::move(opened.value());

  std::error_code web_root_error;
  if (!std::filesystem::is_regular_file(std::filesystem::path(config.web_root) / "index.html",
                                        web_root_error)) {
    std::fprintf(stderr,
                 "loyalty-server: warning: %s/index.html is missing; the API works but the "
                 "console will not load (build it with `make build`, or set --web-root)\n",
                 config.web_root.c_str());
  }

  // Every store is rebuilt from its journal before the first request is served.
  std::unique_ptr<storage::StoreStorage> store_storage = storage::make_sqlite_store_storage(*database);
  auto stores = std::make_unique<hosting::StoreRegistry>(*store_storage);
  if (auto started = stores->start_all(); !started.ok()) {
    std::fprintf(stderr, "loyalty-server: cannot rebuild the stores: %s\n", started.error_message().c_str());
    return exit_code_runtime_failure;
  }
  if (!config.demo_store_path.empty()) {
    auto demo = hosting::create_demo_store_if_empty(*stores, *database, config.demo_store_path);
    if (!demo.ok()) {
      std::fprintf(stderr, "loyalty-server: cannot create the demo store: %s\n", demo.error_message().c_str());
      return exit_code_runtime_failure;
    }
    if (demo.value()) std::printf("Created the demo store %s (demo accounts: README, \"Demo\")\n", hosting::demo_store_id);
  }
  const auto now_utc = [] {
    return static_cast<std::int64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  };
  auth::Authenticator authenticator(*database);
  hosting::DueScheduler scheduler(*stores, now_utc);
  scheduler.start();
  // Sends the outbox to the stores' webhook endpoints (README, "Webhooks").
  webhooks::WebhookDispatcher webhook_dispatcher(*database);
  webhook_dispatcher.start();
  // Bodies beyond this are refused (413) before httplib reads them into memory.
  server.set_payload_max_length(64 * 1024);

  loyalty::server::http::register_routes(
      server, {.database = *database, .web_root = config.web_root, .started_at = started_at, .stores = *stores,
               .authenticator = authenticator, .now_utc = now_utc,
               .demo_store_enabled = !config.demo_store_path.empty()});

  std::atomic<bool> listening_finished{false};
  {
    ShutdownSignalWatcher shutdown_watcher([&](int signal_number) {
      // stop() does nothing until the listen loop has begun; a signal that arrives in
      // between would otherwise be lost, so wait for the loop (or its end).
      while (!server.is_running() && !listening_finished) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      server.stop();
    });

    std::printf("Loyalty server listening on http://%s:%u/ (database: %s)\n",
                url_host(config.host).c_str(), static_cast<unsigned>(config.port),
                config.database_path.c_str());
    std::fflush(stdout);
    server.listen_after_bind();  // returns after stop(), once the workers have finished
    listening_finished = true;
  }
  scheduler.stop();
  webhook_dispatcher.stop();  // cuts off requests in flight; they are sent again after a restart
  stores->stop_all();   // every queued write is committed and answered first
  stores.reset();
  store_storage.reset();
  database.reset();  // closes SQLite, which checkpoints the WAL into the database file
  std::printf("Loyalty server stopped\n");
  return 0;
}
