#include "core/commands/command_runner.hpp"

#include <algorithm>

#include "core/commands/insight_commands.hpp"
#include "core/commands/group_commands.hpp"
#include "core/members/phone.hpp"
#include "core/points/balance_explanation.hpp"
#include "core/program/preview.hpp"
#include "core/program/rules_text.hpp"
#include "core/commands/campaign_commands.hpp"
#include "core/commands/notification_commands.hpp"
#include "core/commands/store_json.hpp"

namespace loyalty {

namespace {

constexpr std::size_t default_search_limit = 20;
constexpr std::size_t search_limit_max = 100;
constexpr std::size_t default_history_limit = 50;
constexpr std::size_t history_limit_max = 1000;

struct Parsed {
  std::vector<FieldError> errors;
  FieldReader reader{errors};
};

Json base_result(std::size_t line_number, std::string_view command, ResultCode code) {
  Json json{{"line", line_number}, {"command", command}, {"result", result_code_name(code)}, {"message", message_json(code)}};
  return json;
}

CommandOutput failure(std::size_t line_number, std::string_view command, ResultCode code,
                      const std::vector<FieldError>& errors = {}) {
  Json json = base_result(line_number, command, code);
  if (!errors.empty()) json["errors"] = errors_to_json(errors);
  return CommandOutput{json, false};
}

OrderAmounts read_amounts(FieldReader& reader, const Json& command, bool amount_required) {
  OrderAmounts amounts;
  amounts.amount_vnd = reader.integer(command, "amount_vnd", "", 0, amount_vnd_max, amount_required).value_or(0);
  amounts.shipping_vnd = reader.integer(command, "shipping_vnd", "", 0, amount_vnd_max, false).value_or(0);
  amounts.voucher_discount_vnd = reader.integer(command, "voucher_discount_vnd", "", 0, amount_vnd_max, false).value_or(0);
  amounts.paid_with_points_vnd = reader.integer(command, "paid_with_points_vnd", "", 0, amount_vnd_max, false).value_or(0);
  return amounts;
}

// "lines": an array of at most order_lines_max objects with the `known` keys; `read` reads each.
template <typename Read>
void read_line_objects(FieldReader& reader, const Json& command, std::initializer_list<std::string_view> known, Read&& read) {
  const auto list = command.find("lines");
  if (list == command.end() || list->is_null()) return;
  if (!list->is_array() || list->size() > order_lines_max) {
    reader.add("lines", "phải là một mảng tối đa " + std::to_string(order_lines_max) + " dòng",
               "must be an array of at most " + std::to_string(order_lines_max) + " lines");
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = FieldReader::index("lines", i);
    if (!reader.require_object((*list)[i], path)) continue;
    reader.reject_unknown_keys((*list)[i], path, known);
    read((*list)[i], path);
  }
}

// An order's lines: {"product_id", "category"?, "quantity"?, "amount_vnd"}; check_order_lines checks the rest.
std::vector<OrderLine> read_order_lines(FieldReader& reader, const Json& command) {
  std::vector<OrderLine> lines;
  read_line_objects(reader, command, {"product_id", "category", "quantity", "amount_vnd"}, [&](const Json& object, const std::string& path) {
    OrderLine line;
    line.product_id = reader.text(object, "product_id", path, 64, true).value_or("");
    line.category = reader.text(object, "category", path, 64, false).value_or("");
    line.quantity = reader.integer(object, "quantity", path, 1, 1'000'000, false).value_or(1);
    line.amount_vnd = reader.integer(object, "amount_vnd", path, 0, amount_vnd_max, true).value_or(0);
    lines.push_back(std::move(line));
  });
  return lines;
}

// A refund's lines: {"product_id", "quantity"}.
std::vector<RefundLine> read_refund_lines(FieldReader& reader, const Json& command) {
  std::vector<RefundLine> lines;
  read_line_objects(reader, command, {"product_id", "quantity"}, [&](const Json& object, const std::string& path) {
    RefundLine line;
    line.product_id = reader.text(object, "product_id", path, 64, true).value_or("");
    line.quantity = reader.integer(object, "quantity", path, 1, 1'000'000, true).value_or(0);
    lines.push_back(std::move(line));
  });
  return lines;
}

std::string text_or_empty(FieldReader& reader, const Json& command, std::string_view key, std::size_t max_bytes) {
  return reader.text(command, key, "", max_bytes, false, true).value_or("");
}

// {"day", "month", "year"?}; null reads as an unknown birthday.
Birthday read_birthday(FieldReader& reader, const Json& value) {
  Birthday birthday;
  if (value.is_null() || !reader.require_object(value, "birthday")) return birthday;
  reader.reject_unknown_keys(value, "birthday", {"day", "month", "year"});
  birthday.day = static_cast<std::int32_t>(reader.integer(value, "day", "birthday", 1, 31, true).value_or(0));
  birthday.month = static_cast<std::int32_t>(reader.integer(value, "month", "birthday", 1, 12, true).value_or(0));
  birthday.year = static_cast<std::int32_t>(reader.integer(value, "year", "birthday", 1900, 9999, false).value_or(0));
  return birthday;
}

// {"push", "sms", "email", "zalo"}: the channels given change, the others keep `current`.
ChannelOptIns read_opt_ins(FieldReader& reader, const Json& value, ChannelOptIns current) {
  if (!reader.require_object(value, "opt_ins")) return current;
  reader.reject_unknown_keys(value, "opt_ins", {"push", "sms", "email", "zalo"});
  current.push = reader.boolean(value, "push", "opt_ins", false).value_or(current.push);
  current.sms = reader.boolean(value, "sms", "opt_ins", false).value_or(current.sms);
  current.email = reader.boolean(value, "email", "opt_ins", false).value_or(current.email);
  current.zalo = reader.boolean(value, "zalo", "opt_ins", false).value_or(current.zalo);
  return current;
}

}  // namespace

namespace {
// Finds where a line stops being JSON without exceptions (the core is built without them
// in wasm): nlohmann's SAX parser reports the byte instead of throwing.
struct ParseErrorFinder : nlohmann::json_sax<Json> {
  std::size_t error_byte = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    error_byte = position;
    return false;
  }
};
}  // namespace

CommandOutput CommandRunner::run_line(std::string_view line, std::size_t line_number) {
  Json command = Json::parse(line.begin(), line.end(), nullptr, false);
  if (command.is_discarded()) {
    ParseErrorFinder finder;
    Json::sax_parse(line.begin(), line.end(), &finder);
    const std::string where = std::to_string(finder.error_byte);
    return failure(line_number, "", ResultCode::malformed_json,
                   {FieldError{"$", "JSON không hợp lệ ở byte " + where, "invalid JSON at byte " + where}});
  }
  return run(command, line_number);
}

CommandOutput CommandRunner::replay_line(std::string_view line, std::size_t line_number) {
  replaying_ = true;
  CommandOutput output = run_line(line, line_number);
  replaying_ = false;
  return output;
}

namespace {
bool is_write_command_name(std::string_view name) {
  static constexpr std::string_view writes[] = {
      "save_program",  "create_member", "update_member", "set_referrer",    "order",          "refund",
      "adjust_points", "review_tiers",  "process_due",   "redeem_points",   "hold_points",    "release_hold",
      "transfer_points", "release_pending", "cancel_pending", "grant_birthday_bonuses", "assign_tier"};
  return std::find(std::begin(writes), std::end(writes), name) != std::end(writes) || is_group_write_command(name) ||
         is_campaign_write_command(name) || is_notification_write_command(name);
}
}  // namespace

bool CommandRunner::is_write_command(std::string_view name) { return is_write_command_name(name); }

CommandOutput CommandRunner::run_read(const Json& command, std::size_t line_number) const {
  const auto name_field = command.is_object() ? command.find("command") : command.end();
  if (name_field != command.end() && name_field->is_string() && is_write_command_name(name_field->get<std::string>())) {
    return failure(line_number, name_field->get<std::string>(), ResultCode::invalid_field,
                   {FieldError{"command", "lệnh ghi không chạy được như lệnh đọc", "a write cannot run as a read"}});
  }
  // Reads change nothing (the clock model): running one through the shared path is safe
  // from many threads, because no read touches the runner's or the store's state.
  return const_cast<CommandRunner*>(this)->run_command(command, line_number);
}

CommandOutput CommandRunner::run(const Json& command, std::size_t line_number) {
  // Time passes only through writes (docs/commands.md, "the store's clock"): a write whose
  // time is later than the clock first moves the clock, processing what fell due. Reads,
  // unknown commands and invalid times move nothing.
  const auto name_field = command.is_object() ? command.find("command") : command.end();
  if (name_field == command.end() || !name_field->is_string()) return run_command(command, line_number);
  const std::string name = name_field->get<std::string>();
  if (name == "process_due" || !is_write_command_name(name)) return run_command(command, line_number);
  std::vector<FieldError> time_errors;
  FieldReader time_reader{time_errors};
  const std::optional<UtcSeconds> time = time_reader.time(command, "time", "", true);
  if (!time || *time <= store_.clock_utc()) return run_command(command, line_number);

  const Json due_command{{"command", "process_due"}, {"time", format_utc_time(*time)}};
  CommandOutput due = run_command(due_command, line_number);
  CommandOutput output = run_command(command, line_number);
  if (!replaying_ && (!due.result["transactions"].empty() || !due.result["events"].empty())) {
    output.result["due"] = {{"transactions", due.result["transactions"]}, {"events", due.result["events"]}};
  }
  // An accepted write carries its time: replaying it moves the clock the same way. A write
  // that is refused or already applied is not journaled, but the clock moved: journal that.
  if (!output.journal) output.journal_before = due_command.dump();
  return output;
}

CommandOutput CommandRunner::run_command(const Json& command, std::size_t line_number) {
  if (!command.is_object()) {
    return failure(line_number, "", ResultCode::invalid_field,
                   {FieldError{"$", "lệnh phải là một đối tượng JSON", "a command must be a JSON object"}});
  }
  const auto name_field = command.find("command");
  if (name_field == command.end() || !name_field->is_string()) {
    return failure(line_number, "", ResultCode::invalid_field,
                   {FieldError{"command", "bắt buộc: tên lệnh", "required: the command's name"}});
  }
  const std::string name = name_field->get<std::string>();
  Parsed parsed;
  FieldReader& reader = parsed.reader;
  const bool is_write = is_write_command_name(name);
  const std::optional<UtcSeconds> given_time = reader.time(command, "time", "", is_write);
  // A read without a time answers as of the store's clock.
  const UtcSeconds time = given_time.value_or(store_.clock_utc());

  // Customer groups: their own file (core/commands/group_commands.cpp).
  if (is_group_command(name)) return run_group_command(store_, changes_, command, name, time, reader, parsed.errors, line_number, replaying_);

  // ----- writes -------------------------------------------------------------------------
  auto finish_write = [&](const Result& result) -> CommandOutput {
    if (!result.ok()) return failure(line_number, name, result.code, result.errors);
    Json json = base_result(line_number, name, result.code);
    if (!replaying_) json.update(changes_to_json(store_, changes_));
    if (changes_.created_member != no_member) json["member_id"] = store_.members()[changes_.created_member].member_id;
    const bool changed = result.code == ResultCode::ok;
    return CommandOutput{json, changed};
  };

  if (is_campaign_command(name)) {
    return run_campaign_command(store_, changes_, command, name, time, parsed.errors, line_number, replaying_);
  }
  if (is_notification_command(name)) {
    return run_notification_command(store_, changes_, command, name, time, parsed.errors, line_number, replaying_);
  }
  if (name == "save_program") {
    reader.reject_unknown_keys(command, "", {"command", "time", "effective_from", "actor", "program"});
    const std::string actor = text_or_empty(reader, command, "actor", 64);
    const std::optional<UtcSeconds> effective_from = reader.time(command, "effective_from", "", false);
    const auto program = command.find("program");
    if (program == command.end()) reader.add("program", "bắt buộc", "is required");
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    ProgramConfigReading reading = read_program_config(*program, "");
    if (!reading.config) return failure(line_number, name, ResultCode::program_invalid, reading.errors);
    const Result result = store_.save_program(*reading.config, time, actor, changes_, effective_from);
    CommandOutput output = finish_write(result);
    if (result.code == ResultCode::ok) output.result["version"] = store_.program_versions().back().version;
    return output;
  }
  if (name == "create_member") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id", "phone", "name", "email", "birthday", "referrer_id", "opt_ins"});
    NewMember member;
    member.member_id = text_or_empty(reader, command, "member_id", 64);
    member.phone = reader.text(command, "phone", "", 40, true).value_or("");
    member.name = reader.text(command, "name", "", 200, true).value_or("");
    member.email = text_or_empty(reader, command, "email", 254);
    member.referrer_id = text_or_empty(reader, command, "referrer_id", 64);
    if (const auto birthday = command.find("birthday"); birthday != command.end()) member.birthday = read_birthday(reader, *birthday);
    if (const auto opt_ins = command.find("opt_ins"); opt_ins != command.end() && !opt_ins->is_null()) {
      member.opt_ins = read_opt_ins(reader, *opt_ins, member.opt_ins);
    }
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(store_.create_member(member, time, changes_));
  }
  if (name == "update_member") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id", "phone", "name", "email", "birthday", "opt_ins", "status"});
    MemberUpdate update;
    update.member_id = reader.text(command, "member_id", "", 64, true).value_or("");
    if (command.contains("phone")) update.phone = reader.text(command, "phone", "", 40, true).value_or("");
    if (command.contains("name")) update.name = reader.text(command, "name", "", 200, true).value_or("");
    if (command.contains("email")) update.email = reader.text(command, "email", "", 254, false, true).value_or("");
    if (const auto birthday = command.find("birthday"); birthday != command.end()) update.birthday = read_birthday(reader, *birthday);
    if (const auto opt_ins = command.find("opt_ins"); opt_ins != command.end()) {
      const MemberIndex known = store_.find_member(update.member_id);
      update.opt_ins = read_opt_ins(reader, *opt_ins, known != no_member ? store_.members()[known].opt_ins : ChannelOptIns{});
    }
    if (const auto status = reader.text(command, "status", "", 16, false)) {
      update.status = member_status_from_name(*status);
      if (!update.status) reader.add("status", "phải là active hoặc blocked", "must be active or blocked");
    }
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(store_.update_member(update, time, changes_));
  }
  if (name == "set_referrer") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id", "referrer_id"});
    const std::string member_id = reader.text(command, "member_id", "", 64, true).value_or("");
    const std::string referrer_id = reader.text(command, "referrer_id", "", 64, true).value_or("");
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(store_.set_referrer(member_id, referrer_id, time, changes_));
  }
  if (name == "order") {
    reader.reject_unknown_keys(command, "", {"command", "time", "order_id", "member_id", "status", "amount_vnd", "shipping_vnd",
                                             "voucher_discount_vnd", "paid_with_points_vnd", "points_hold_id", "actor", "voucher_code",
                                             "lines"});
    OrderEvent event;
    event.lines = read_order_lines(reader, command);
    event.voucher_code = text_or_empty(reader, command, "voucher_code", 64);
    event.points_hold_id = text_or_empty(reader, command, "points_hold_id", 128);
    event.order_id = reader.text(command, "order_id", "", 128, true).value_or("");
    event.member_id = reader.text(command, "member_id", "", 64, true).value_or("");
    event.actor = text_or_empty(reader, command, "actor", 64);
    if (const auto status_name = reader.text(command, "status", "", 32, true)) {
      if (const auto status = order_status_from_name(*status_name)) {
        event.status = *status;
      } else {
        reader.add("status", "phải là placed, completed, cancelled hoặc refunded", "must be placed, completed, cancelled or refunded");
      }
    }
    event.amounts = read_amounts(reader, command, true);
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    CommandOutput output = finish_write(store_.record_order(event, time, changes_));
    if (output.result["result"] == "ok" && !changes_.voucher_codes.empty() && !replaying_) {
      output.result["voucher"] = voucher_code_to_json(store_, changes_.voucher_codes.back());
    }
    return output;
  }
  if (name == "refund") {
    reader.reject_unknown_keys(command, "", {"command", "time", "order_id", "refund_id", "amount_vnd", "actor", "lines"});
    RefundEvent event;
    event.lines = read_refund_lines(reader, command);
    event.order_id = reader.text(command, "order_id", "", 128, true).value_or("");
    event.refund_id = reader.text(command, "refund_id", "", 128, true).value_or("");
    event.amount_vnd = reader.integer(command, "amount_vnd", "", 1, amount_vnd_max, true).value_or(0);
    event.actor = text_or_empty(reader, command, "actor", 64);
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(store_.refund_order(event, time, changes_));
  }
  if (name == "adjust_points") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id", "points", "reason", "actor", "idempotency_key"});
    PointsAdjustment adjustment;
    adjustment.member_id = reader.text(command, "member_id", "", 64, true).value_or("");
    adjustment.points = reader.integer(command, "points", "", -points_max, points_max, true).value_or(0);
    adjustment.reason = reader.text(command, "reason", "", 1000, true).value_or("");
    adjustment.actor = reader.text(command, "actor", "", 64, true).value_or("");
    adjustment.idempotency_key = reader.text(command, "idempotency_key", "", 128, true).value_or("");
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(store_.adjust_points(adjustment, time, changes_));
  }
  if (name == "assign_tier") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id", "tier_id", "ends_at", "reason", "actor"});
    TierAssignmentRequest request;
    request.member_id = reader.text(command, "member_id", "", 64, true).value_or("");
    // null or "": end the member's assignment now.
    if (const auto tier = command.find("tier_id"); tier == command.end()) {
      reader.add("tier_id", "bắt buộc (null để kết thúc hạng được gán)", "is required (null ends the assigned tier)");
    } else if (!tier->is_null()) {
      request.tier_id = reader.text(command, "tier_id", "", 64, false, true).value_or("");
    }
    if (!request.tier_id.empty()) request.ends_at_utc = reader.time(command, "ends_at", "", true).value_or(0);
    request.reason = reader.text(command, "reason", "", 1000, true).value_or("");
    request.actor = reader.text(command, "actor", "", 64, true).value_or("");
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(store_.assign_tier(request, time, changes_));
  }
  if (name == "grant_birthday_bonuses") {
    reader.reject_unknown_keys(command, "", {"command", "time"});
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(store_.grant_birthday_bonuses(time, changes_));
  }
  if (name == "review_tiers" || name == "process_due") {
    reader.reject_unknown_keys(command, "", {"command", "time"});
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    const UtcSeconds clock_before = store_.clock_utc();
    CommandOutput output = finish_write(name == "review_tiers" ? store_.review_tiers(time, changes_) : store_.process_due(time, changes_));
    // process_due is journaled when it moves the clock (reads answer as of the clock, even
    // when nothing fell due), and only then.
    if (name == "process_due") output.journal = store_.clock_utc() != clock_before;
    return output;
  }
  if (name == "redeem_points") {
    reader.reject_unknown_keys(command, "", {"command", "time", "redemption_id", "member_id", "points", "reason", "actor"});
    RedemptionRequest request;
    request.redemption_id = reader.text(command, "redemption_id", "", 128, true).value_or("");
    request.member_id = reader.text(command, "member_id", "", 64, true).value_or("");
    request.points = reader.integer(command, "points", "", 1, points_max, true).value_or(0);
    request.reason = reader.text(command, "reason", "", 1000, true).value_or("");
    request.actor = text_or_empty(reader, command, "actor", 64);
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(store_.redeem_points(request, time, changes_));
  }
  if (name == "hold_points") {
    reader.reject_unknown_keys(command, "", {"command", "time", "hold_id", "member_id", "points", "order_amount_vnd"});
    PointsHoldRequest request;
    request.hold_id = reader.text(command, "hold_id", "", 128, true).value_or("");
    request.member_id = reader.text(command, "member_id", "", 64, true).value_or("");
    request.points = reader.integer(command, "points", "", 1, points_max, true).value_or(0);
    request.order_amount_vnd = reader.integer(command, "order_amount_vnd", "", 1, amount_vnd_max, true).value_or(0);
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    CommandOutput output = finish_write(store_.hold_points(request, time, changes_));
    if (const std::uint32_t hold = store_.find_hold(request.hold_id); hold != UINT32_MAX && output.result["result"] != "invalid_field") {
      output.result["hold"] = {{"hold_id", request.hold_id}, {"state", hold_state_name(store_.holds()[hold].state)},
                               {"points", store_.holds()[hold].points}, {"value_vnd", store_.holds()[hold].value_vnd},
                               {"expires_at", format_utc_time(store_.holds()[hold].expires_at_utc)}};
    }
    return output;
  }
  if (name == "release_hold") {
    reader.reject_unknown_keys(command, "", {"command", "time", "hold_id", "actor"});
    const std::string hold_id = reader.text(command, "hold_id", "", 128, true).value_or("");
    const std::string actor = text_or_empty(reader, command, "actor", 64);
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(store_.release_hold(hold_id, time, actor, changes_));
  }
  if (name == "transfer_points") {
    reader.reject_unknown_keys(command, "", {"command", "time", "transfer_id", "from_member_id", "to_member_id", "points", "actor"});
    TransferRequest request;
    request.transfer_id = reader.text(command, "transfer_id", "", 128, true).value_or("");
    request.from_member_id = reader.text(command, "from_member_id", "", 64, true).value_or("");
    request.to_member_id = reader.text(command, "to_member_id", "", 64, true).value_or("");
    request.points = reader.integer(command, "points", "", 1, points_max, true).value_or(0);
    request.actor = text_or_empty(reader, command, "actor", 64);
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(store_.transfer_points(request, time, changes_));
  }
  if (name == "release_pending" || name == "cancel_pending") {
    reader.reject_unknown_keys(command, "", {"command", "time", "order_id", "reason", "actor"});
    const std::string order_id = reader.text(command, "order_id", "", 128, true).value_or("");
    const std::string reason = reader.text(command, "reason", "", 1000, true).value_or("");
    const std::string actor = reader.text(command, "actor", "", 64, true).value_or("");
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return finish_write(name == "release_pending" ? store_.release_pending(order_id, reason, actor, time, changes_)
                                                  : store_.cancel_pending(order_id, reason, actor, time, changes_));
  }

  // ----- reads --------------------------------------------------------------------------
  auto read_result = [&](Json data) {
    Json json = base_result(line_number, name, ResultCode::ok);
    json["data"] = std::move(data);
    return CommandOutput{json, false};
  };
  auto find_member = [&](std::string_view key) -> MemberIndex {
    const std::string member_id = reader.text(command, key, "", 64, true).value_or("");
    return reader.has_errors() ? no_member : store_.find_member(member_id);
  };

  if (name == "lookup_member") {
    // At the till: the card number or the phone (any accepted format) gives the member at once.
    reader.reject_unknown_keys(command, "", {"command", "time", "card_number", "phone"});
    const std::optional<std::string> card = reader.text(command, "card_number", "", 40, false);
    const std::optional<std::string> phone = reader.text(command, "phone", "", 40, false);
    if (!card && !phone) reader.add("card_number", "cần card_number hoặc phone", "give card_number or phone");
    MemberIndex member = no_member;
    if (phone) {
      const PhoneResult normalized = normalize_phone_vn(*phone);
      if (normalized.phone) {
        member = store_.find_member_by_phone(*normalized.phone);
      } else {
        reader.add("phone", normalized.error_vi, normalized.error_en);
      }
    }
    // Both given: they must name the same member (a card and the phone its owner says).
    if (card) {
      const MemberIndex by_card = store_.find_member_by_card(*card);
      member = phone && by_card != member ? no_member : by_card;
    }
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    if (member == no_member) return failure(line_number, name, ResultCode::member_not_found);
    return read_result(member_profile_to_json(store_, member, time));
  }
  if (name == "get_member") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id"});
    const MemberIndex member = find_member("member_id");
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    if (member == no_member) return failure(line_number, name, ResultCode::member_not_found);
    return read_result(member_profile_to_json(store_, member, time));
  }
  if (name == "explain_balance") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id"});
    const MemberIndex member = find_member("member_id");
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    if (member == no_member) return failure(line_number, name, ResultCode::member_not_found);
    return read_result(explain_balance_to_json(store_, member));
  }
  if (name == "search_members") {
    reader.reject_unknown_keys(command, "", {"command", "time", "query", "limit"});
    const std::string query = reader.text(command, "query", "", 200, true).value_or("");
    const auto limit = static_cast<std::size_t>(
        reader.integer(command, "limit", "", 1, search_limit_max, false).value_or(default_search_limit));
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    Json hits = Json::array();
    for (const SearchHit& hit : store_.search_members(query, limit)) {
      Json summary = member_summary_to_json(store_, hit.member, time);
      summary["match"] = search_match_name(hit.match);
      hits.push_back(summary);
    }
    return read_result(Json{{"query", query}, {"members", hits}});
  }
  if (name == "ledger_history") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id", "limit", "before_transaction"});
    const MemberIndex member = find_member("member_id");
    const auto limit = static_cast<std::size_t>(
        reader.integer(command, "limit", "", 1, history_limit_max, false).value_or(default_history_limit));
    const auto before = reader.integer(command, "before_transaction", "", 1, UINT32_MAX, false);
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    if (member == no_member) return failure(line_number, name, ResultCode::member_not_found);
    return read_result(ledger_history_to_json(store_, member, limit, before ? static_cast<std::uint32_t>(*before - 1) : UINT32_MAX));
  }
  if (name == "preview" || name == "rules_text" || name == "get_program") {
    if (name == "preview") {
      reader.reject_unknown_keys(command, "", {"command", "time", "member_id", "program", "amount_vnd", "shipping_vnd",
                                               "voucher_discount_vnd", "paid_with_points_vnd", "lines"});
    } else if (name == "rules_text") {
      reader.reject_unknown_keys(command, "", {"command", "time", "program"});
    } else {
      reader.reject_unknown_keys(command, "", {"command", "time"});
      if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    }
    // A draft program (not saved) may be previewed: that is how the console demos rules.
    std::optional<ProgramConfig> draft;
    if (const auto program = command.find("program"); program != command.end()) {
      ProgramConfigReading reading = read_program_config(*program, "");
      if (!reading.config) return failure(line_number, name, ResultCode::program_invalid, reading.errors);
      draft = std::move(reading.config);
    }
    const ProgramVersion* saved = store_.program_at(time);
    if (name == "get_program") {
      if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
      if (saved == nullptr) return failure(line_number, name, ResultCode::program_not_set);
      return read_result(Json{{"version", saved->version}, {"effective_from", format_utc_time(saved->effective_from_utc)},
                              {"versions", store_.program_versions().size()}, {"program", program_config_to_json(saved->config)}});
    }
    const ProgramConfig* config = draft ? &*draft : saved ? &saved->config : nullptr;
    if (name == "rules_text") {
      if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
      if (config == nullptr) return failure(line_number, name, ResultCode::program_not_set);
      return read_result(Json{{"vi", describe_program(*config, Language::vi)}, {"en", describe_program(*config, Language::en)}});
    }
    const OrderAmounts amounts = read_amounts(reader, command, true);
    const std::vector<OrderLine> lines = read_order_lines(reader, command);
    std::optional<MemberPreviewState> member_state;
    MemberIndex member = no_member;
    TierState tier_state;
    if (command.contains("member_id")) {
      member = find_member("member_id");
      if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
      if (member == no_member) return failure(line_number, name, ResultCode::member_not_found);
      const Member& record = store_.members()[member];
      member_state = MemberPreviewState{store_.window_tier_points(member, time), record.referrer != no_member};
      if (config != nullptr) {
        // The member's tier as the store places them under the program previewed (the saved
        // one or the draft): its measure and period, retention, a manual tier.
        member_state->tier_points = tier_points_in_period(record.tier_history, config, time);
        member_state->measure = tier_measure_in_period(record.tier_history, *config, time);
        tier_state = store_.tier_state(member);
        member_state->tier_index = store_.tier_with_rules(member, *config, config->tier_index_for(member_state->measure), time);
        member_state->tier_state = &tier_state;
        member_state->time_utc = time;
      }
      member_state->first_order = !store_.completed_an_order(member);
      member_state->tier_up_bonus_tiers = record.tier_up_bonus_tiers;
    }
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    // The same checks as a real order: a preview never shows what an order would refuse.
    if (Result checked = check_order_amounts(amounts); !checked.ok()) return failure(line_number, name, checked.code, checked.errors);
    if (Result checked = check_order_lines(lines, amounts); !checked.ok()) return failure(line_number, name, checked.code, checked.errors);
    if (config == nullptr) return failure(line_number, name, ResultCode::program_not_set);
    EarningContext context;
    context.lines = lines;
    if (!config->promotions.empty()) {
      const std::int32_t tier = member_state ? (member_state->tier_index != -2 ? member_state->tier_index : config->tier_index_for(member_state->tier_points)) : -1;
      context.promotion = promotion_for(*config, time, tier, [&](const std::string& group_id) {
        return member != no_member && store_.member_in_group(member, group_id, time);
      });
    }
    const OrderPreview preview = preview_order(*config, member_state, amounts, context);
    if (preview.earning.code != ResultCode::ok) return failure(line_number, name, preview.earning.code);
    return read_result(preview_to_json(*config, preview, lines));
  }
  if (name == "liability") {
    reader.reject_unknown_keys(command, "", {"command", "time"});
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    return read_result(liability_to_json(store_.liability(time)));
  }
  if (name == "expiring_points") {
    reader.reject_unknown_keys(command, "", {"command", "time", "within_days", "limit"});
    const auto within_days = reader.integer(command, "within_days", "", 1, 366, false).value_or(30);
    const auto limit = static_cast<std::size_t>(reader.integer(command, "limit", "", 1, 10000, false).value_or(1000));
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    Json members = Json::array();
    for (const ExpiringPoints& entry : store_.expiring_points(time, static_cast<std::int32_t>(within_days), limit)) {
      members.push_back({{"member_id", store_.members()[entry.member].member_id}, {"name", store_.members()[entry.member].name},
                         {"points", entry.points}, {"first_expiry", format_utc_time(entry.first_expiry_utc)}});
    }
    return read_result(Json{{"within_days", within_days}, {"members", members}});
  }
  if (name == "audit") {
    reader.reject_unknown_keys(command, "", {"command", "time"});
    if (reader.has_errors()) return failure(line_number, name, ResultCode::invalid_field, parsed.errors);
    const std::string problem = store_.check_invariants();
    const Ledger& ledger = store_.ledger();
    Json data{{"invariants_hold", problem.empty()},
              {"points_funded", ledger.points_funded()},
              {"pool", ledger.balance(SystemAccount::pool)},
              {"redeemed", ledger.balance(SystemAccount::redeemed)},
              {"expired", ledger.balance(SystemAccount::expired)},
              {"adjustments", ledger.balance(SystemAccount::adjustments)},
              {"members", store_.members().size()},
              {"orders", store_.orders().size()},
              {"transactions", ledger.transactions().size()}};
    if (!problem.empty()) data["problem"] = problem;
    return read_result(data);
  }
  if (std::optional<CommandOutput> insight = run_insight_command(store_, name, command, line_number)) return *insight;
  return failure(line_number, name, ResultCode::unknown_command,
                 {FieldError{"command", "không có lệnh \"" + name + "\"", "no command named \"" + name + "\""}});
}

}  // namespace loyalty
