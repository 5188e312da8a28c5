#include "backend/backend.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>

namespace loyalty::console {
namespace {

// A card number is the store's 10 digits starting with 8 (docs/commands.md, create_member);
// anything else staff type at the till is read as a phone.
bool looks_like_card_number(std::string_view text) {
  return text.size() == 10 && text.front() == '8' &&
         std::all_of(text.begin(), text.end(), [](char character) { return std::isdigit(static_cast<unsigned char>(character)); });
}

}  // namespace

std::string json_text(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::int64_t json_integer(const Json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto found = object.find(key);
  return found != object.end() && found->is_number_integer() ? found->get<std::int64_t>() : 0;
}

const ApiError::Field* BackendReply::field(std::string_view name) const {
  for (const ApiError::Field& candidate : fields) {
    if (candidate.name == name) return &candidate;
  }
  return nullptr;
}

Permissions permissions_for_role(std::string_view role) {
  Permissions permissions;
  const bool owner = role == "owner";
  const bool support = role == "support";
  const bool marketing = role == "marketing";
  permissions.read_members = owner || support;
  permissions.write_members = owner || support;
  permissions.adjust_points = owner || support;
  permissions.read_liability = owner;
  permissions.write_program = owner || marketing;
  permissions.read_insights = owner || marketing;
  permissions.read_audit_log = owner;
  permissions.manage_staff = owner;
  permissions.manage_api_keys = owner;
  return permissions;
}

std::string new_idempotency_key(std::string_view prefix, UtcSeconds now, std::uint32_t sequence) {
  assert(!prefix.empty());
  return std::string(prefix) + "-" + std::to_string(now) + "-" + std::to_string(sequence);
}

std::optional<BackendReply> Backend::take(Ticket ticket) {
  assert(ticket != 0);
  const auto found = std::find_if(answered_.begin(), answered_.end(),
                                  [ticket](const Answered& answered) { return answered.ticket == ticket; });
  if (found == answered_.end()) {
    if (waiting(ticket)) return std::nullopt;
    // A ticket this backend never gave (one of the backend before a new sign-in): it will
    // never be answered, so the view hears "no answer" and may ask again.
    BackendReply lost;
    lost.code = "network";
    lost.message = Message{std::string(text(TextKey::sign_in_error_no_answer, Language::vietnamese)),
                           std::string(text(TextKey::sign_in_error_no_answer, Language::english))};
    return lost;
  }
  BackendReply reply = std::move(found->reply);
  answered_.erase(found);
  asked_.erase(std::remove(asked_.begin(), asked_.end(), ticket), asked_.end());
  return reply;
}

bool Backend::waiting(Ticket ticket) const {
  return ticket != 0 && std::find(asked_.begin(), asked_.end(), ticket) != asked_.end();
}

void Backend::answer(Ticket ticket, BackendReply reply, bool was_write) {
  assert(ticket != 0);
  if (was_write && reply.ok()) data_changed();
  if (reply.session_ended) session_ended_ = true;
  answered_.push_back({ticket, std::move(reply)});
  replies_came_ = true;
}

BackendReply Backend::reply_from_core_result(const Json& result, bool is_write) {
  BackendReply reply;
  const std::string code = json_text(result, "result");
  reply.code = code;
  if (result.contains("message")) {
    reply.message = Message{json_text(result["message"], "vi"), json_text(result["message"], "en")};
  }
  if (code == "ok" || code == "already_applied") {
    reply.outcome = ReplyOutcome::ok;
    if (is_write) {
      reply.data = result;
    } else if (result.contains("data")) {
      reply.data = result["data"];
    }
    return reply;
  }
  reply.outcome = ReplyOutcome::refused;
  if (result.contains("errors") && result["errors"].is_array()) {
    for (const Json& error : result["errors"]) {
      reply.fields.push_back({json_text(error, "field"), Message{json_text(error, "vi"), json_text(error, "en")}});
    }
  }
  return reply;
}

// [SECTION] The calls: each becomes the core's command ---------------------------------------
namespace {
Json command_named(const char* name) { return Json{{"command", name}}; }
}  // namespace

Ticket Backend::search_members(std::string_view query, int limit) {
  Json command = command_named("search_members");
  command["query"] = std::string(query);
  command["limit"] = std::clamp(limit, 1, 100);
  return start({Route::search_members, std::move(command)});
}

Ticket Backend::lookup_member(std::string_view card_or_phone) {
  Json command = command_named("lookup_member");
  std::string typed;
  for (const char character : card_or_phone) {
    if (character != ' ') typed += character;
  }
  if (looks_like_card_number(typed)) {
    command["card_number"] = typed;
  } else {
    command["phone"] = std::string(card_or_phone);
  }
  return start({Route::lookup_member, std::move(command)});
}

Ticket Backend::get_member(std::string_view member_id) {
  Json command = command_named("get_member");
  command["member_id"] = std::string(member_id);
  return start({Route::get_member, std::move(command)});
}

Ticket Backend::ledger_history(std::string_view member_id, int limit, std::uint32_t before_transaction) {
  Json command = command_named("ledger_history");
  command["member_id"] = std::string(member_id);
  command["limit"] = std::clamp(limit, 1, 1000);
  if (before_transaction > 0) command["before_transaction"] = before_transaction;
  return start({Route::ledger_history, std::move(command)});
}

Ticket Backend::explain_balance(std::string_view member_id) {
  Json command = command_named("explain_balance");
  command["member_id"] = std::string(member_id);
  return start({Route::explain_balance, std::move(command)});
}

Ticket Backend::update_member(std::string_view member_id, const Json& changes) {
  assert(changes.is_object());
  Json command = command_named("update_member");
  command["member_id"] = std::string(member_id);
  for (const auto& [key, value] : changes.items()) command[key] = value;
  return start({Route::update_member, std::move(command)});
}

Ticket Backend::set_member_blocked(std::string_view member_id, bool blocked) {
  Json command = command_named("update_member");
  command["member_id"] = std::string(member_id);
  command["status"] = blocked ? "blocked" : "active";
  return start({blocked ? Route::block_member : Route::unblock_member, std::move(command)});
}

Ticket Backend::adjust_points(std::string_view member_id, std::int64_t points, std::string_view reason,
                              std::string_view idempotency_key) {
  Json command = command_named("adjust_points");
  command["member_id"] = std::string(member_id);
  command["points"] = points;
  command["reason"] = std::string(reason);
  command["idempotency_key"] = std::string(idempotency_key);
  return start({Route::adjust_points, std::move(command)});
}

Ticket Backend::release_pending(std::string_view order_id, std::string_view reason) {
  Json command = command_named("release_pending");
  command["order_id"] = std::string(order_id);
  command["reason"] = std::string(reason);
  return start({Route::release_pending, std::move(command)});
}

Ticket Backend::cancel_pending(std::string_view order_id, std::string_view reason) {
  Json command = command_named("cancel_pending");
  command["order_id"] = std::string(order_id);
  command["reason"] = std::string(reason);
  return start({Route::cancel_pending, std::move(command)});
}

Ticket Backend::liability() { return start({Route::liability, command_named("liability")}); }
Ticket Backend::get_program() { return start({Route::get_program, command_named("get_program")}); }
Ticket Backend::program_versions() { return start({Route::program_versions, command_named("program_versions")}); }

Ticket Backend::save_program(const Json& program) {
  Json command = command_named("save_program");
  command["program"] = program;
  return start({Route::save_program, std::move(command)});
}

Ticket Backend::program_impact(const Json& program) {
  Json command = command_named("program_impact");
  command["program"] = program;
  command["sample_limit"] = 0;
  return start({Route::program_impact, std::move(command)});
}

// The store's accounts: the fields of the server's routes, with a command name for the log.
Ticket Backend::audit_log(std::string_view after_cursor) {
  Json command = command_named("audit_log");
  if (!after_cursor.empty()) command["after"] = std::string(after_cursor);
  return start({Route::audit_log, std::move(command)});
}

Ticket Backend::staff_accounts() { return start({Route::staff_accounts, command_named("staff_accounts")}); }

Ticket Backend::add_staff(std::string_view email, std::string_view name, std::string_view role,
                          std::string_view password) {
  Json command = command_named("add_staff");
  command["email"] = std::string(email);
  command["name"] = std::string(name);
  command["role"] = std::string(role);
  command["password"] = std::string(password);
  return start({Route::add_staff, std::move(command)});
}

Ticket Backend::change_staff_role(std::int64_t staff_id, std::string_view role) {
  Json command = command_named("change_staff_role");
  command["staff_id"] = staff_id;
  command["role"] = std::string(role);
  return start({Route::change_staff_role, std::move(command)});
}

Ticket Backend::remove_staff(std::int64_t staff_id) {
  Json command = command_named("remove_staff");
  command["staff_id"] = staff_id;
  return start({Route::remove_staff, std::move(command)});
}

Ticket Backend::api_keys() { return start({Route::api_keys, command_named("api_keys")}); }

Ticket Backend::create_api_key(std::string_view name, const std::vector<std::string>& scopes) {
  Json command = command_named("create_api_key");
  command["name"] = std::string(name);
  command["scopes"] = scopes;
  return start({Route::create_api_key, std::move(command)});
}

Ticket Backend::revoke_api_key(std::int64_t key_id) {
  Json command = command_named("revoke_api_key");
  command["key_id"] = key_id;
  return start({Route::revoke_api_key, std::move(command)});
}

}  // namespace loyalty::console
