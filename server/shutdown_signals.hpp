// shutdown_signals.hpp: turns SIGINT and SIGTERM into a call on an ordinary thread.
//
// httplib's stop() and SQLite's close are not async-signal-safe, so no work happens in a
// signal handler: the signals are blocked in every thread and one watcher thread waits for
// them with sigwait, then runs the callback like any other code.
#pragma once
#include <atomic>
#include <functional>
#include <thread>

namespace loyalty::server {

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts later. Call
// at the top of main, before any thread (httplib's pool included) exists.
void block_shutdown_signals();

class ShutdownSignalWatcher {
 public:
  // Calls `on_signal(signal_number)` on the watcher thread when the first signal arrives.
  explicit ShutdownSignalWatcher(std::function<void(int signal_number)> on_signal);
  // Ends the watcher thread, without calling `on_signal` if no signal came.
  ~ShutdownSignalWatcher();
  ShutdownSignalWatcher(const ShutdownSignalWatcher&) = delete;
  ShutdownSignalWatcher& operator=(const ShutdownSignalWatcher&) = delete;

 private:
  std::atomic<bool> closing_{false};
  std::atomic<bool> signal_received_{false};
  std::thread thread_;
};

}  // namespace loyalty::server
