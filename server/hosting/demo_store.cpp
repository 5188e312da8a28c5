#include "server/hosting/demo_store.hpp"

#include <fstream>

#include "server/auth/password_hashing.hpp"
#include "server/auth/principal.hpp"
#include "server/auth/staff_accounts.hpp"
#include "server/auth/utc_time.hpp"
#include "server/hosting/store_registry.hpp"
#include "server/storage/database.hpp"
#include "server/storage/transaction.hpp"

namespace loyalty::server::hosting {


storage::StorageResult<bool> create_demo_store_if_empty(StoreRegistry& stores, storage::Database& database,
                                                        const std::filesystem::path& commands_path) {
  using Result = storage::StorageResult<bool>;
  auto existing = stores.storage().list_stores();
  if (!existing.ok()) return Result::failure(existing.error_message());
  if (!existing.value().empty()) return Result::success(false);
  std::ifstream commands(commands_path);
  if (!commands) return Result::failure("cannot read the demo store's commands: " + commands_path.string());

  auto created = stores.create({demo_store_id, "Cửa hàng demo", "Asia/Ho_Chi_Minh"});
  if (!created.ok()) return Result::failure(created.error_message());
  StoreHost& host = *created.value();
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(commands, line)) {
    ++line_number;
    if (line.empty()) continue;
    Json command = Json::parse(line, nullptr, false);
    if (command.is_discarded()) return Result::failure(commands_path.string() + " line " + std::to_string(line_number) + " is not JSON");
    WriteRequest request;
    request.command = std::move(command);
    request.answer = [](const CommandOutput& output) { return HttpAnswer{200, output.result.value("result", "")}; };
    const WriteOutcome outcome = host.write(std::move(request));
    if (!outcome.durable) return Result::failure(outcome.error);
    if (outcome.answer.body != "ok" && outcome.answer.body != "already_applied") {
      return Result::failure(commands_path.string() + " line " + std::to_string(line_number) + " was refused: " + outcome.answer.body);
    }
  }
  const std::string error = database.with_connection([&](sqlite3* connection) -> std::string {
    storage::Transaction transaction(connection);
    if (!transaction.ok()) return transaction.error_message();
    for (const DemoAccount& account : demo_accounts) {
      const std::optional<std::string> hash = auth::hash_password(account.password);
      if (!hash) return "hashing a demo password failed";
      auto inserted = auth::insert_staff(connection, account.email, account.name, *hash, auth::format_utc_time(auth::current_unix_time_s()));
      if (!inserted.ok()) return inserted.error_message();
      if (auto role = auth::set_role(connection, inserted.value(), demo_store_id, account.role); !role.ok()) return role.error_message();
    }
    return transaction.commit();
  });
  if (!error.empty()) return Result::failure("creating the demo accounts: " + error);
  return Result::success(true);
}

}  // namespace loyalty::server::hosting
