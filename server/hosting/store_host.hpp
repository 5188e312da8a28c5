// store_host.hpp: one store's core, in memory, with one writer and durable group commits.
//
// The store's state is a CommandRunner rebuilt at start from its snapshot and journal.
// Writes queue for the store's writer thread, which applies them in order and commits
// every command of a batch (journal lines, idempotency records, outbox rows) in one
// transaction and one fsync; each caller is answered only after its batch is on disk.
// Readers take a shared lock and never see a write that is not durable: the writer holds
// the state exclusively from applying a batch until its commit. If a commit fails, the
// store is rebuilt from disk before it takes another write: memory never runs ahead of
// what is durable. Stores do not wait for each other, except inside SQLite's one writer.
// Every LOYALTY_SNAPSHOT_EVERY journal entries (default 100,000) the writer takes a
// snapshot of the state (core/snapshot), so that a start loads it and replays the tail.
// It is taken in the background, as Redis does: the writer forks, the child (a copy-on-write
// image of that moment) writes the bytes into a pipe, and a saver thread stores them in
// chunks while the writer goes on. Writes wait only for the fork.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>

#include "core/commands/command_runner.hpp"
#include "server/storage/store_storage.hpp"

namespace loyalty::server::hosting {

struct HttpAnswer {
  int status = 200;
  std::string body;            // JSON text
};

struct WriteRequest {
  Json command;                // with its "time"
  // Builds the HTTP answer from what the core said. Called by the writer, so that the
  // answer is recorded with its idempotency key in the same transaction as the command.
  std::function<HttpAnswer(const CommandOutput&)> answer;
  std::optional<storage::IdempotencyRecord> idempotency;   // key, principal, hash; status and body filled in
  // The audit log entry of a manual operation, when the command was accepted; written in
  // the same transaction as the command.
  // `before` is what audit_before saw just before the command was applied (in the writer,
  // so nothing else came between).
  std::function<std::optional<storage::AuditRow>(const CommandOutput&, const std::string& before)> audit;
  std::function<std::string(const CommandRunner&)> audit_before;
};

struct WriteOutcome {
  bool durable = false;        // false: storage failed, nothing was acknowledged (answer 503)
  HttpAnswer answer;
  std::string error;
};

// Figures the host reports to /metrics.
struct HostCounters {
  std::atomic<std::int64_t> batches{0};
  std::atomic<std::int64_t> commands{0};
  std::atomic<std::int64_t> journal_lines{0};
  std::atomic<std::int64_t> commit_failures{0};
  std::atomic<std::int64_t> commit_microseconds_total{0};
  std::atomic<std::int64_t> due_runs{0};
  std::atomic<std::int64_t> deliveries_handed_over{0};   // notification deliveries put in the outbox
  std::atomic<std::int64_t> snapshots{0};
};

class StoreHost {
 public:
  StoreHost(storage::StoreRecord record, storage::StoreStorage& storage, HostCounters& counters);
  ~StoreHost();
  StoreHost(const StoreHost&) = delete;
  StoreHost& operator=(const StoreHost&) = delete;

  // Rebuilds the state from storage (snapshot, then the journal's tail) and starts the writer.
  storage::StorageResult<storage::Done> start();
  // Applies the command after every write queued before it; returns once it is durable.
  WriteOutcome write(WriteRequest request);
  // Several writes queued at once, so that they share commits; their outcomes in order.
  std::vector<WriteOutcome> write_many(std::vector<WriteRequest> requests);
  // Runs `read(const CommandRunner&)`-style work on the state under a shared lock.
  template <class Read>
  auto read(Read&& read) const {
    std::shared_lock lock(state_mutex_);
    return std::forward<Read>(read)(*runner_);
  }
  // Runs a read command (a JSON object) and gives the core's result.
  Json run_read(const Json& command) const;

  const storage::StoreRecord& record() const { return record_; }
  std::int64_t journal_length() const { return next_sequence_.load() - 1; }
  void stop();   // finishes the queued writes, then stops the writer

 private:
  struct Pending {
    WriteRequest request;
    std::promise<WriteOutcome> done;
    // The core's output, when the answer is built by the caller after the commit (no
    // idempotency record needs it inside the transaction): the writer does less.
    std::optional<CommandOutput> output;
    std::string command_line;   // the command as its journal line, written by the caller
  };
  storage::StorageResult<storage::Done> rebuild();   // state_mutex_ held exclusively
  void writer_loop();
  void commit_batch(std::deque<Pending*>& batch);
  void snapshot_if_due();   // on the writer thread, between batches
  // Reads the snapshot's bytes from `source` (a pipe, or the bytes themselves) in chunks,
  // saves each, and finishes the snapshot when `complete()` says the bytes are whole.
  bool save_snapshot_chunks(std::int64_t sequence, const std::function<std::size_t(char*, std::size_t)>& source,
                            const std::function<bool()>& complete);

  storage::StoreRecord record_;
  storage::StoreStorage& storage_;
  HostCounters& counters_;
  mutable std::shared_mutex state_mutex_;
  std::unique_ptr<CommandRunner> runner_;
  std::atomic<std::int64_t> next_sequence_{1};
  bool needs_rebuild_ = false;
  std::int64_t snapshot_every_ = 0;
  std::int64_t snapshot_sequence_ = 0;   // the journal entry the newest snapshot includes
  std::thread snapshot_saver_;           // the background save, when one runs
  std::atomic<bool> snapshot_running_{false};

  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace loyalty::server::hosting
