#include "server/hosting/store_host.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/snapshot/store_snapshot.hpp"

namespace loyalty::server::hosting {

namespace {
// A batch takes what is queued, up to this many commands: enough to amortise one fsync
// over many requests, few enough that the state lock is not held for long.
constexpr std::size_t batch_size_max = 512;

// The core's events of one command result (and of the due work before it), for the outbox.
void collect_events(const Json& result, std::vector<storage::OutboxRow>& rows) {
  auto add = [&](const Json& events) {
    if (!events.is_array()) return;
    for (const Json& event : events) {
      storage::OutboxRow row;
      row.event_type = event.value("kind", "");
      row.member_id = event.value("member_id", "");
      row.payload_json = event.dump();
      rows.push_back(std::move(row));
    }
  };
  if (const auto due = result.find("due"); due != result.end()) add(due->value("events", Json::array()));
  if (const auto events = result.find("events"); events != result.end()) add(*events);
}
}  // namespace

namespace {
// A snapshot after this many journal entries since the last (LOYALTY_SNAPSHOT_EVERY; 0: never).
std::int64_t snapshot_interval() {
  const char* text = std::getenv("LOYALTY_SNAPSHOT_EVERY");
  if (text == nullptr || *text == '\0') return 100000;
  return std::max<std::int64_t>(0, std::atoll(text));
}

// The size of a snapshot's chunks (LOYALTY_SNAPSHOT_CHUNK_BYTES, at least 4 KiB; tests make
// them small to have many).
std::size_t snapshot_chunk_size() {
  const char* text = std::getenv("LOYALTY_SNAPSHOT_CHUNK_BYTES");
  if (text == nullptr || *text == '\0') return storage::snapshot_chunk_bytes;
  return std::clamp<std::size_t>(std::strtoull(text, nullptr, 10), 4096, storage::snapshot_chunk_bytes);
}
}  // namespace

StoreHost::StoreHost(storage::StoreRecord record, storage::StoreStorage& storage, HostCounters& counters)
    : record_(std::move(record)), storage_(storage), counters_(counters), runner_(std::make_unique<CommandRunner>()),
      snapshot_every_(snapshot_interval()) {}

StoreHost::~StoreHost() { stop(); }

storage::StorageResult<storage::Done> StoreHost::rebuild() {
  // The newest snapshot, when there is a usable one, then the journal after it. A snapshot
  // that does not read (damaged, or of an older format) is ignored: the journal is the truth.
  using Clock = std::chrono::steady_clock;
  const auto milliseconds_since = [](Clock::time_point began) {
    return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - began).count());
  };
  std::unique_ptr<CommandRunner> runner;
  std::int64_t after_sequence = 0;
  std::string snapshot_report = "no snapshot";
  auto began = Clock::now();
  if (auto snapshot = storage_.latest_snapshot(record_.store_id); snapshot.ok() && snapshot.value()) {
    const long long fetched_ms = milliseconds_since(began);
    began = Clock::now();
    SnapshotReading reading = StoreSnapshot::read(snapshot.value()->data);
    snapshot_report = "snapshot after entry " + std::to_string(snapshot.value()->sequence) + " (" +
                      std::to_string(snapshot.value()->data.size()) + " bytes: read in " + std::to_string(fetched_ms) +
                      " ms, loaded and checked in " + std::to_string(milliseconds_since(began)) + " ms)";
    if (reading.store) {
      runner = std::make_unique<CommandRunner>(std::move(*reading.store));
      after_sequence = snapshot.value()->sequence;
    } else {
      std::fprintf(stderr, "loyalty-server: store %s: ignoring snapshot %lld (%s); replaying the whole journal\n",
                   record_.store_id.c_str(), static_cast<long long>(snapshot.value()->sequence), reading.error.c_str());
    }
  }
  if (!runner) runner = std::make_unique<CommandRunner>();
  began = Clock::now();
  std::size_t line = 0;
  std::string refused;
  const auto read = storage_.read_journal(record_.store_id, after_sequence, [&](std::int64_t sequence, const std::string& command) {
    const CommandOutput output = runner->replay_line(command, ++line);
    if (!output.journal && refused.empty()) {
      refused = "journal entry " + std::to_string(sequence) + " of store " + record_.store_id + " was refused on replay (" +
                output.result.value("result", "") + ")";
    }
  });
  if (!read.ok()) return storage::StorageResult<storage::Done>::failure(read.error_message());
  if (!refused.empty()) return storage::StorageResult<storage::Done>::failure(refused);
  runner->store().prepare_for_reads();
  // How a start spent its time, for operators sizing LOYALTY_SNAPSHOT_EVERY.
  std::fprintf(stderr, "loyalty-server: store %s rebuilt: %s, then %zu journal entries in %lld ms\n", record_.store_id.c_str(),
               snapshot_report.c_str(), line, milliseconds_since(began));
  runner_ = std::move(runner);
  next_sequence_ = read.value() + 1;
  snapshot_sequence_ = after_sequence;
  needs_rebuild_ = false;
  return storage::StorageResult<storage::Done>::success({});
}

namespace {
std::string hex_checksum(std::uint64_t checksum) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(checksum));
  return text;
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}
}  // namespace

bool StoreHost::save_snapshot_chunks(std::int64_t sequence, const std::function<std::size_t(char*, std::size_t)>& source,
                                     const std::function<bool()>& complete) {
  std::string chunk(snapshot_chunk_size(), '\0');
  std::int64_t chunk_count = 0;
  std::uint64_t total_bytes = 0, header_total_bytes = 0;
  char last_bytes[8] = {};   // the snapshot ends with its checksum, little-endian
  for (bool finished = false; !finished;) {
    std::size_t filled = 0;
    while (filled < chunk.size()) {
      const std::size_t got = source(chunk.data() + filled, chunk.size() - filled);
      if (got == 0) {
        finished = true;
        break;
      }
      filled += got;
    }
    if (filled == 0 && chunk_count > 0) break;
    if (chunk_count == 0 && filled >= 20) {
      for (int i = 0; i < 8; ++i) header_total_bytes |= static_cast<std::uint64_t>(static_cast<unsigned char>(chunk[12 + i])) << (8 * i);
    }
    total_bytes += filled;
    if (filled >= 8) {
      std::memcpy(last_bytes, chunk.data() + filled - 8, 8);
    } else {
      std::memmove(last_bytes, last_bytes + filled, 8 - filled);
      std::memcpy(last_bytes + 8 - filled, chunk.data(), filled);
    }
    const auto saved = storage_.save_snapshot_chunk(record_.store_id, sequence, chunk_count, std::string_view(chunk.data(), filled));
    if (!saved.ok()) {
      std::fprintf(stderr, "loyalty-server: store %s: saving a snapshot failed: %s\n", record_.store_id.c_str(), saved.error_message().c_str());
      return false;
    }
    ++chunk_count;
  }
  if (!complete() || total_bytes < 20 || total_bytes != header_total_bytes) {
    std::fprintf(stderr, "loyalty-server: store %s: the snapshot after entry %lld was not written whole; not kept\n",
                 record_.store_id.c_str(), static_cast<long long>(sequence));
    return false;
  }
  std::uint64_t checksum = 0;
  for (int i = 0; i < 8; ++i) checksum |= static_cast<std::uint64_t>(static_cast<unsigned char>(last_bytes[i])) << (8 * i);
  const auto finished = storage_.finish_snapshot(record_.store_id, {sequence, snapshot_format_version, hex_checksum(checksum), chunk_count});
  if (!finished.ok()) {
    std::fprintf(stderr, "loyalty-server: store %s: saving a snapshot failed: %s\n", record_.store_id.c_str(), finished.error_message().c_str());
    return false;
  }
  ++counters_.snapshots;
  return true;
}

void StoreHost::snapshot_if_due() {
  const std::int64_t last = next_sequence_.load() - 1;
  if (snapshot_every_ <= 0 || last - snapshot_sequence_ < snapshot_every_) return;
  if (snapshot_running_) return;   // one at a time: the next once this one is saved
  if (snapshot_saver_.joinable()) snapshot_saver_.join();
  snapshot_sequence_ = last;       // saved or not, the next try is after as many entries

  // Only this thread changes the state, and it is here: the fork sees a whole state.
  int pipe_fds[2] = {-1, -1};
  pid_t child = -1;
  const auto fork_began = std::chrono::steady_clock::now();
  if (::pipe(pipe_fds) == 0) {
    child = ::fork();
    if (child == 0) {
      // The child: one thread, a copy of this moment. It writes the bytes and exits
      // without running destructors or touching the database.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::close(pipe_fds[0]);
      const std::string bytes = StoreSnapshot::write(runner_->store());
      ::_exit(write_all(pipe_fds[1], bytes) ? 0 : 1);
    }
    ::close(pipe_fds[1]);
    if (child < 0) ::close(pipe_fds[0]);
  }
  if (child < 0) {
    // No fork (out of memory or processes): the snapshot is taken here; writes wait.
    std::string bytes;
    {
      std::shared_lock lock(state_mutex_);
      bytes = StoreSnapshot::write(runner_->store());
    }
    std::size_t offset = 0;
    save_snapshot_chunks(
        last,
        [&](char* into, std::size_t room) {
          const std::size_t count = std::min(room, bytes.size() - offset);
          std::memcpy(into, bytes.data() + offset, count);
          offset += count;
          return count;
        },
        [] { return true; });
    return;
  }
  // The writes' only wait: worth knowing on a large store.
  std::fprintf(stderr, "loyalty-server: store %s: snapshot after entry %lld, forked in %lld ms\n", record_.store_id.c_str(),
               static_cast<long long>(last),
               static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - fork_began).count()));
  snapshot_running_ = true;
  const int read_fd = pipe_fds[0];
  snapshot_saver_ = std::thread([this, read_fd, child, last] {
    save_snapshot_chunks(
        last,
        [&](char* into, std::size_t room) -> std::size_t {
          for (;;) {
            const ssize_t got = ::read(read_fd, into, room);
            if (got < 0 && errno == EINTR) continue;
            return got > 0 ? static_cast<std::size_t>(got) : 0;
          }
        },
        [&] {
          int status = 0;
          while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
          }
          return WIFEXITED(status) && WEXITSTATUS(status) == 0;
        });
    ::close(read_fd);
    // A child not yet reaped (a failed chunk returned early) is reaped here.
    ::kill(child, SIGKILL);
    while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
    }
    snapshot_running_ = false;
  });
}

storage::StorageResult<storage::Done> StoreHost::start() {
  {
    std::unique_lock lock(state_mutex_);
    auto rebuilt = rebuild();
    if (!rebuilt.ok()) return rebuilt;
  }
  // A long tail replayed now is not replayed again at the next start.
  snapshot_if_due();
  writer_ = std::thread([this] { writer_loop(); });
  return storage::StorageResult<storage::Done>::success({});
}

void StoreHost::stop() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  if (writer_.joinable()) writer_.join();
  // A snapshot being saved is finished: the next start begins from it.
  if (snapshot_saver_.joinable()) snapshot_saver_.join();
}

Json StoreHost::run_read(const Json& command) const {
  std::shared_lock lock(state_mutex_);
  return runner_->run_read(command, 1).result;
}

WriteOutcome StoreHost::write(WriteRequest request) {
  Pending pending{std::move(request), {}, std::nullopt, {}};
  pending.command_line = pending.request.command.dump();   // off the writer's thread
  std::future<WriteOutcome> done = pending.done.get_future();
  {
    std::lock_guard lock(queue_mutex_);
    if (stopping_) return WriteOutcome{false, {}, "the server is stopping"};
    queue_.push_back(&pending);
  }
  queue_changed_.notify_one();
  WriteOutcome outcome = done.get();
  // Built here, on the caller's thread, while the writer goes on with the next batch.
  if (outcome.durable && pending.output) outcome.answer = pending.request.answer(*pending.output);
  return outcome;
}

std::vector<WriteOutcome> StoreHost::write_many(std::vector<WriteRequest> requests) {
  std::vector<Pending> pendings;
  pendings.reserve(requests.size());   // no reallocation: the queue holds their addresses
  std::vector<std::future<WriteOutcome>> done;
  for (WriteRequest& request : requests) {
    pendings.push_back(Pending{std::move(request), {}, std::nullopt, {}});
    pendings.back().command_line = pendings.back().request.command.dump();
    done.push_back(pendings.back().done.get_future());
  }
  {
    std::lock_guard lock(queue_mutex_);
    if (stopping_) return std::vector<WriteOutcome>(pendings.size(), WriteOutcome{false, {}, "the server is stopping"});
    for (Pending& pending : pendings) queue_.push_back(&pending);
  }
  queue_changed_.notify_one();
  std::vector<WriteOutcome> outcomes;
  for (std::size_t i = 0; i < pendings.size(); ++i) {
    outcomes.push_back(done[i].get());
    if (outcomes.back().durable && pendings[i].output) outcomes.back().answer = pendings[i].request.answer(*pendings[i].output);
  }
  return outcomes;
}

void StoreHost::writer_loop() {
  for (;;) {
    std::deque<Pending*> batch;
    {
      std::unique_lock lock(queue_mutex_);
      queue_changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;   // stopping, and every queued write was answered
      while (!queue_.empty() && batch.size() < batch_size_max) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    commit_batch(batch);
    snapshot_if_due();
  }
}

void StoreHost::commit_batch(std::deque<Pending*>& batch) {
  std::vector<WriteOutcome> outcomes;
  outcomes.reserve(batch.size());
  {
    std::unique_lock lock(state_mutex_);
    if (needs_rebuild_) {
      if (auto rebuilt = rebuild(); !rebuilt.ok()) {
        for (Pending* pending : batch) pending->done.set_value(WriteOutcome{false, {}, rebuilt.error_message()});
        return;
      }
    }
    storage::CommitBatch commit;
    commit.first_sequence = next_sequence_;
    for (Pending* pending : batch) {
      const std::string audit_before = pending->request.audit_before ? pending->request.audit_before(*runner_) : std::string();
      CommandOutput output = runner_->run(pending->request.command, 1);
      if (!output.journal_before.empty()) commit.journal_lines.push_back(output.journal_before);
      if (output.journal) {
        commit.journal_lines.push_back(std::move(pending->command_line));
        collect_events(output.result, commit.outbox_rows);
      } else if (!output.journal_before.empty()) {
        // A refused write that moved the clock: what fell due still happened.
        if (const auto due = output.result.find("due"); due != output.result.end()) {
          collect_events(Json{{"events", due->value("events", Json::array())}}, commit.outbox_rows);
        }
      }
      if (output.journal && pending->request.audit) {
        if (std::optional<storage::AuditRow> row = pending->request.audit(output, audit_before)) {
          commit.audit_rows.push_back(std::move(*row));
        }
      }
      WriteOutcome outcome{true, {}, {}};
      if (pending->request.idempotency) {
        // The first answer is recorded with the command, in the same transaction.
        outcome.answer = pending->request.answer(output);
        storage::IdempotencyRecord record = *pending->request.idempotency;
        record.status = outcome.answer.status;
        record.response_json = outcome.answer.body;
        commit.idempotency_records.push_back(std::move(record));
      } else {
        pending->output = std::move(output);
      }
      outcomes.push_back(std::move(outcome));
    }
    if (!commit.journal_lines.empty() || !commit.idempotency_records.empty()) {
      const auto started = std::chrono::steady_clock::now();
      const auto committed = storage_.commit(record_.store_id, commit);
      counters_.commit_microseconds_total +=
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
      if (!committed.ok()) {
        // Memory ran ahead of the disk: rebuild from what is durable before the next write.
        ++counters_.commit_failures;
        needs_rebuild_ = true;
        if (auto rebuilt = rebuild(); rebuilt.ok()) needs_rebuild_ = false;
        for (WriteOutcome& outcome : outcomes) outcome = WriteOutcome{false, {}, committed.error_message()};
      } else {
        next_sequence_ += static_cast<std::int64_t>(commit.journal_lines.size());
        counters_.journal_lines += static_cast<std::int64_t>(commit.journal_lines.size());
      }
    }
    // Readers share the state from here: the lazy merges of reads happen now, alone.
    runner_->store().prepare_for_reads();
    ++counters_.batches;
    counters_.commands += static_cast<std::int64_t>(batch.size());
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->done.set_value(std::move(outcomes[i]));
}

}  // namespace loyalty::server::hosting
