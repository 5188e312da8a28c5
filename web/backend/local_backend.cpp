// local_backend.cpp: the offline demo's backend: the core in the page, on the demo store.
//
// At start the demo store's commands (assets/demo_store.jsonl, copied next to the page)
// are replayed into a CommandRunner, then the user's own changes from the browser's
// journal (platform_storage.hpp, IndexedDB); both load at once, and calls wait until both
// came. Every accepted write is appended to that journal before its reply is given, as the
// server journals before it answers (IndexedDB writes it a moment later, in order); a write that only moved
// the clock journals the process_due the core gives for it. Reset clears the journal and
// replays the demo again.
#include <cassert>
#include <deque>
#include <memory>
#include <string>

#include "backend/backend.hpp"
#include "backend/local_store.hpp"
#include "core/basics/time.hpp"
#include "core/commands/command_runner.hpp"
#include "core/program/program_config.hpp"
#include "platform/platform.hpp"
#include "platform/platform_storage.hpp"

namespace loyalty::console {
namespace {

constexpr std::string_view demo_store_file = "demo_store.jsonl";
constexpr std::string_view offline_actor = "demo@offline";

class LocalBackend final : public Backend, public LocalStore {
 public:
  explicit LocalBackend(UtcSeconds now) : permissions_(permissions_for_role("owner")), started_at_(now) {
    demo_request_ = platform::start_site_file_request(demo_store_file);
    platform::start_loading_offline_journal();   // both load at once; the store waits for both
  }

  void poll() override {
    if (demo_request_) {
      std::optional<platform::HttpResponse> response = platform::take_http_response(*demo_request_);
      if (!response) return;
      demo_request_.reset();
      // Without the file (an old copy of the site) the demo starts from an empty store.
      demo_journal_ = response->status == 200 ? std::move(response->body) : std::string();
      load_failed_ = response->status != 200;
    }
    if (!runner_) {
      std::optional<std::string> user_journal = platform::take_offline_journal();
      if (!user_journal) return;
      rebuild(*user_journal);
      platform::request_redraw_after_ms(0);   // the screens waiting for the store can draw it
    }
    while (!queued_.empty()) {
      Queued next = std::move(queued_.front());
      queued_.pop_front();
      run_call(next.ticket, next.call);
    }
  }

  BackendKind kind() const override { return BackendKind::in_page_demo; }
  const Permissions& permissions() const override { return permissions_; }
  std::string_view actor() const override { return offline_actor; }
  bool ready() const override { return runner_ != nullptr; }

  // LocalStore: the demo's own controls (the banner's "reset to the demo").
  void reset_to_demo() override {
    if (!runner_) return;   // still loading: the journal is not open yet
    platform::clear_offline_journal();
    rebuild({});
    data_changed();
  }
  std::size_t changes_kept() const override { return changes_kept_; }
  bool demo_missing() const override { return load_failed_; }
  const CommandRunner* runner() const override { return runner_.get(); }

 protected:
  Ticket start(Call call) override {
    const Ticket ticket = next_ticket();
    queued_.push_back({ticket, std::move(call)});   // answered at the next poll, as HTTP would be
    platform::request_redraw_after_ms(0);             // which needs a frame: nothing else wakes the loop
    return ticket;
  }

 private:
  struct Queued {
    Ticket ticket;
    Call call;
  };

  void rebuild(const std::string& user_journal) {
    runner_ = std::make_unique<CommandRunner>();
    changes_kept_ = 0;
    replay(demo_journal_, false);
    replay(user_journal, true);
  }

  void replay(std::string_view journal, bool counts_as_change) {
    std::size_t line_number = 0;
    while (!journal.empty()) {
      const std::size_t end = journal.find('\n');
      const std::string_view line = journal.substr(0, end);
      journal = end == std::string_view::npos ? std::string_view() : journal.substr(end + 1);
      ++line_number;
      if (line.empty()) continue;
      // A line the core refuses again (a journal from another version) is skipped, not fatal:
      // the demo is for trying things, and "reset to the demo" is one click away.
      const CommandOutput output = runner_->replay_line(line, line_number);
      // The clock's own lines (process_due) are time passing, not a change the user made:
      // counted as the live store counts them, a reload says the same number.
      if (counts_as_change && output.journal && json_text(output.result, "command") != "process_due") ++changes_kept_;
    }
  }

  // Writes are dated now (or at the store's clock, when the page's clock is behind it).
  std::string write_time() const {
    const UtcSeconds clock = runner_->clock_utc();
    const UtcSeconds now = platform::now_utc_seconds();
    return format_utc_time(now > clock ? now : clock);
  }

  void run_call(Ticket ticket, const Call& call) {
    assert(runner_ != nullptr);
    const std::string name = call.command.value("command", "");
    if (is_account_route(call.route)) {
      // Staff accounts, API keys and the audit log live on the store's server, not in the core.
      BackendReply reply;
      reply.outcome = ReplyOutcome::refused;
      reply.code = "needs_store_server";
      reply.message = Message{"Mục này cần kết nối với máy chủ của cửa hàng: bản demo ngoại tuyến không có tài khoản nhân viên, khóa API hay nhật ký.",
                              "This needs a connection to the store's server: the offline demo has no staff accounts, API keys or audit log."};
      answer(ticket, std::move(reply), false);
      return;
    }
    if (call.route == Route::program_versions) {
      Json versions = Json::array();
      for (const ProgramVersion& version : runner_->store().program_versions()) {
        versions.push_back({{"version", version.version}, {"effective_from", format_utc_time(version.effective_from_utc)},
                            {"program", program_config_to_json(version.config)}});
      }
      BackendReply reply;
      reply.outcome = ReplyOutcome::ok;
      reply.code = "ok";
      reply.data = Json{{"versions", std::move(versions)}};
      answer(ticket, std::move(reply), false);
      return;
    }
    if (!CommandRunner::is_write_command(name)) {
      const CommandOutput output = runner_->run_read(call.command, 1);
      answer(ticket, reply_from_core_result(output.result, false), false);
      return;
    }
    Json command = call.command;
    command["time"] = write_time();
    if (needs_actor(call.route)) command["actor"] = std::string(offline_actor);
    const CommandOutput output = runner_->run(command, 1);
    std::string lines;
    if (!output.journal_before.empty()) lines += output.journal_before + "\n";
    if (output.journal) {
      lines += command.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
      ++changes_kept_;
    }
    if (!lines.empty()) platform::append_offline_journal(lines);
    answer(ticket, reply_from_core_result(output.result, true), true);
  }

  static bool needs_actor(Route route) {
    switch (route) {
      case Route::adjust_points:
      case Route::release_pending:
      case Route::cancel_pending:
      case Route::save_program: return true;
      default: return false;
    }
  }

  Permissions permissions_;
  UtcSeconds started_at_;
  std::optional<platform::HttpRequestId> demo_request_;
  std::string demo_journal_;
  bool load_failed_ = false;
  std::unique_ptr<CommandRunner> runner_;
  std::deque<Queued> queued_;
  std::size_t changes_kept_ = 0;
};

}  // namespace

std::unique_ptr<Backend> make_local_backend(UtcSeconds now) { return std::make_unique<LocalBackend>(now); }

LocalStore* local_store_of(Backend& backend) {
  return backend.kind() == BackendKind::in_page_demo ? dynamic_cast<LocalStore*>(&backend) : nullptr;
}

}  // namespace loyalty::console
