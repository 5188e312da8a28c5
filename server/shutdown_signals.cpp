#include "server/shutdown_signals.hpp"

#include <pthread.h>
#include <signal.h>

namespace loyalty::server {
namespace {

sigset_t shutdown_signal_set() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void block_shutdown_signals() {
  const sigset_t signals = shutdown_signal_set();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

ShutdownSignalWatcher::ShutdownSignalWatcher(std::function<void(int signal_number)> on_signal)
    : thread_([this, on_signal = std::move(on_signal)] {
        const sigset_t signals = shutdown_signal_set();
        int signal_number = 0;
        while (sigwait(&signals, &signal_number) != 0) {
        }
        signal_received_ = true;
        if (!closing_) on_signal(signal_number);
      }) {}

ShutdownSignalWatcher::~ShutdownSignalWatcher() {
  // The destructor's own SIGTERM, aimed at the watcher thread only, wakes its sigwait.
  closing_ = true;
  if (!signal_received_) pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
}

}  // namespace loyalty::server
