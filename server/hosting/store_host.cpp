#include "server/hosting/store_host.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

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
}  // namespace

StoreHost::StoreHost(storage::StoreRecord record, storage::StoreStorage& storage, HostCounters& counters)
    : record_(std::move(record)), storage_(storage), counters_(counters), runner_(std::make_unique<CommandRunner>()),
      snapshot_every_(snapshot_interval()) {}

StoreHost::~StoreHost() { stop(); }

storage::StorageResult<storage::Done> StoreHost::rebuild() {
  // The newest snapshot, when there is a usable one, then the journal after it. A snapshot
  // that does not read (damaged, or of an older format) is ignored: the journal is the truth.
  std::unique_ptr<CommandRunner> runner;
  std::int64_t after_sequence = 0;
  if (auto snapshot = storage_.latest_snapshot(record_.store_id); snapshot.ok() && snapshot.value()) {
    SnapshotReading reading = StoreSnapshot::read(snapshot.value()->data);
    if (reading.store) {
      runner = std::make_unique<CommandRunner>(std::move(*reading.store));
      after_sequence = snapshot.value()->sequence;
    } else {
      std::fprintf(stderr, "loyalty-server: store %s: ignoring snapshot %lld (%s); replaying the whole journal\n",
                   record_.store_id.c_str(), static_cast<long long>(snapshot.value()->sequence), reading.error.c_str());
    }
  }
  if (!runner) runner = std::make_unique<CommandRunner>();
  std::size_t line = 0;
  std::string refused;
  const auto read = storage_.read_journal(record_.store_id, after_sequence, [&](std::int64_t sequence, const std::string& command) {
    const CommandOutput output = runner->run_line(command, ++line);
    if (!output.journal && refused.empty()) {
      refused = "journal entry " + std::to_string(sequence) + " of store " + record_.store_id + " was refused on replay (" +
                output.result.value("result", "") + ")";
    }
  });
  if (!read.ok()) return storage::StorageResult<storage::Done>::failure(read.error_message());
  if (!refused.empty()) return storage::StorageResult<storage::Done>::failure(refused);
  runner->store().prepare_for_reads();
  runner_ = std::move(runner);
  next_sequence_ = read.value() + 1;
  snapshot_sequence_ = after_sequence;
  needs_rebuild_ = false;
  return storage::StorageResult<storage::Done>::success({});
}

void StoreHost::snapshot_if_due() {
  const std::int64_t last = next_sequence_.load() - 1;
  if (snapshot_every_ <= 0 || last - snapshot_sequence_ < snapshot_every_) return;
  // Only this thread changes the state: a shared lock lets reads go on meanwhile.
  std::string bytes;
  {
    std::shared_lock lock(state_mutex_);
    bytes = StoreSnapshot::write(runner_->store());
  }
  char checksum[17];
  std::snprintf(checksum, sizeof checksum, "%016llx", static_cast<unsigned long long>(snapshot_checksum(bytes)));
  const auto saved = storage_.save_snapshot(record_.store_id, {last, snapshot_format_version, checksum, std::move(bytes)});
  if (saved.ok()) {
    snapshot_sequence_ = last;
    ++counters_.snapshots;
  } else {
    std::fprintf(stderr, "loyalty-server: store %s: saving a snapshot failed: %s\n", record_.store_id.c_str(), saved.error_message().c_str());
    snapshot_sequence_ = last;   // try again after as many entries, not at every batch
  }
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
}

Json StoreHost::run_read(const Json& command) const {
  std::shared_lock lock(state_mutex_);
  return runner_->run_read(command, 1).result;
}

WriteOutcome StoreHost::write(WriteRequest request) {
  Pending pending{std::move(request), {}};
  std::future<WriteOutcome> done = pending.done.get_future();
  {
    std::lock_guard lock(queue_mutex_);
    if (stopping_) return WriteOutcome{false, {}, "the server is stopping"};
    queue_.push_back(&pending);
  }
  queue_changed_.notify_one();
  return done.get();
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
      const CommandOutput output = runner_->run(pending->request.command, 1);
      if (!output.journal_before.empty()) commit.journal_lines.push_back(output.journal_before);
      if (output.journal) {
        commit.journal_lines.push_back(pending->request.command.dump());
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
      WriteOutcome outcome{true, pending->request.answer(output), {}};
      if (pending->request.idempotency) {
        storage::IdempotencyRecord record = *pending->request.idempotency;
        record.status = outcome.answer.status;
        record.response_json = outcome.answer.body;
        commit.idempotency_records.push_back(std::move(record));
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
