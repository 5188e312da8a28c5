// group_commands.cpp: customer groups' commands and results as JSON.
#include "core/commands/group_commands.hpp"

#include <algorithm>

#include "core/commands/store_json.hpp"
#include "core/store_limits.hpp"

namespace loyalty {

namespace {

constexpr std::string_view group_writes[] = {"save_group", "delete_group", "add_group_members", "remove_group_members",
                                             "import_group_members"};
constexpr std::string_view group_reads[] = {"get_group", "list_groups", "group_members", "member_groups"};
constexpr std::size_t member_ids_max = 10'000;
constexpr std::size_t csv_bytes_max = 64u << 20;   // 64 MiB: a million rows of phone numbers and names
constexpr std::int64_t group_page_max = 1000;

Json base_result(std::size_t line_number, std::string_view command, ResultCode code) {
  return Json{{"line", line_number}, {"command", command}, {"result", result_code_name(code)}, {"message", message_json(code)}};
}

CommandOutput failure(std::size_t line_number, std::string_view command, ResultCode code, const std::vector<FieldError>& errors = {}) {
  Json json = base_result(line_number, command, code);
  if (!errors.empty()) json["errors"] = errors_to_json(errors);
  return CommandOutput{json, false};
}

Json problems_to_json(const std::vector<ImportRowProblem>& problems, bool with_reason) {
  Json list = Json::array();
  for (const ImportRowProblem& problem : problems) {
    Json entry{{"row", problem.row}, {"value", problem.value}};
    if (with_reason) {
      entry["vi"] = problem.message_vi;
      entry["en"] = problem.message_en;
    }
    list.push_back(std::move(entry));
  }
  return list;
}

Json import_to_json(const GroupImportReport& report) {
  return Json{{"rows", report.rows},
              {"matched", report.matched},
              {"unmatched", report.unmatched_count},
              {"invalid", report.invalid_count},
              {"duplicates", report.duplicates},
              {"blank_rows", report.blank_rows},
              {"added", report.added},
              {"removed", report.removed},
              {"already_members", report.already_members},
              {"listed_members", report.listed_members},
              {"unmatched_rows", problems_to_json(report.unmatched, false)},
              {"invalid_rows", problems_to_json(report.invalid, true)}};
}

}  // namespace

bool is_group_write_command(std::string_view name) {
  return std::find(std::begin(group_writes), std::end(group_writes), name) != std::end(group_writes);
}

bool is_group_command(std::string_view name) {
  return is_group_write_command(name) || std::find(std::begin(group_reads), std::end(group_reads), name) != std::end(group_reads);
}

Json group_summary_to_json(const CustomerGroup& group) {
  Json json{{"group_id", group.group_id}, {"name", group.name}};
  if (!group.name_en.empty()) json["name_en"] = group.name_en;
  json["kind"] = group_kind_name(group.kind);
  if (group.kind == GroupKind::static_list) json["listed_members"] = group.members.size();
  return json;
}

Json group_to_json(const CustomerGroup& group) {
  Json json = group_summary_to_json(group);
  json["description"] = group.description;
  if (group.kind == GroupKind::dynamic) json["filter"] = group_filter_to_json(group.filter);
  json["created_at"] = format_utc_time(group.created_at_utc);
  json["updated_at"] = format_utc_time(group.updated_at_utc);
  return json;
}

CommandOutput run_group_command(Store& store, Changes& changes, const Json& command, const std::string& name, UtcSeconds time,
                                FieldReader& reader, const std::vector<FieldError>& errors, std::size_t line_number, bool replaying) {
  auto refuse_fields = [&]() { return failure(line_number, name, ResultCode::invalid_field, errors); };
  auto finish_write = [&](const Result& result) -> CommandOutput {
    if (!result.ok()) return failure(line_number, name, result.code, result.errors);
    Json json = base_result(line_number, name, result.code);
    if (!replaying) json.update(changes_to_json(store, changes));
    return CommandOutput{json, result.code == ResultCode::ok};
  };
  auto group_id_field = [&](std::string_view key) { return reader.text(command, key, "", group_id_bytes_max, true).value_or(""); };

  // ----- writes -------------------------------------------------------------------------
  if (name == "save_group") {
    reader.reject_unknown_keys(command, "", {"command", "time", "group_id", "name", "name_en", "description", "kind", "filter"});
    GroupDefinition definition;
    definition.group_id = group_id_field("group_id");
    definition.name = reader.text(command, "name", "", name_bytes_max, true).value_or("");
    definition.name_en = reader.text(command, "name_en", "", name_bytes_max, false, true).value_or("");
    definition.description = reader.text(command, "description", "", text_bytes_max, false, true).value_or("");
    const std::optional<std::string> kind = reader.text(command, "kind", "", 16, true);
    if (kind) {
      if (const std::optional<GroupKind> parsed = group_kind_from_name(*kind)) {
        definition.kind = *parsed;
      } else {
        reader.add("kind", "phải là static hoặc dynamic", "must be static or dynamic");
      }
    }
    if (const auto filter = command.find("filter"); filter != command.end() && !filter->is_null()) {
      GroupFilterReading reading = read_group_filter(*filter, "filter");
      for (FieldError& error : reading.errors) reader.add(std::move(error.path), std::move(error.message_vi), std::move(error.message_en));
      if (reading.filter) definition.filter = std::move(*reading.filter);
    }
    if (reader.has_errors()) return refuse_fields();
    CommandOutput output = finish_write(store.save_group(definition, time, changes));
    if (const CustomerGroup* group = store.groups().find(definition.group_id); group != nullptr && output.result["result"] != "invalid_field" &&
                                                                                 output.result["result"] != "group_cycle") {
      output.result["group"] = group_to_json(*group);
    }
    return output;
  }
  if (name == "delete_group") {
    reader.reject_unknown_keys(command, "", {"command", "time", "group_id"});
    const std::string group_id = group_id_field("group_id");
    if (reader.has_errors()) return refuse_fields();
    return finish_write(store.delete_group(group_id, time, changes));
  }
  if (name == "add_group_members" || name == "remove_group_members") {
    reader.reject_unknown_keys(command, "", {"command", "time", "group_id", "member_ids"});
    const std::string group_id = group_id_field("group_id");
    std::vector<std::string> member_ids;
    const auto ids = command.find("member_ids");
    if (ids == command.end() || ids->is_null()) {
      reader.add("member_ids", "bắt buộc", "is required");
    } else if (!ids->is_array() || ids->empty() || ids->size() > member_ids_max) {
      reader.add("member_ids", "phải là mảng từ 1 đến 10000 mã thành viên", "must be an array of 1 to 10000 member ids");
    } else {
      for (std::size_t i = 0; i < ids->size(); ++i) {
        const Json& id = (*ids)[i];
        if (!id.is_string() || !is_valid_key(id.get<std::string>(), member_id_bytes_max)) {
          reader.add(FieldReader::index("member_ids", i), "mã thành viên không hợp lệ", "not a valid member id");
        } else {
          member_ids.push_back(id.get<std::string>());
        }
      }
    }
    if (reader.has_errors()) return refuse_fields();
    const bool add = name == "add_group_members";
    GroupMembersChange report;
    CommandOutput output = finish_write(store.change_group_members(group_id, member_ids, add, time, changes, report));
    if (output.result["result"] == "ok" || output.result["result"] == "already_applied") {
      output.result["change"] = Json{{"group_id", group_id},
                                     {add ? "added" : "removed", report.changed},
                                     {add ? "already_members" : "not_members", report.unchanged},
                                     {"listed_members", report.listed_members}};
    }
    return output;
  }
  if (name == "import_group_members") {
    reader.reject_unknown_keys(command, "", {"command", "time", "group_id", "csv", "mode", "all_rows_required"});
    GroupImportRequest request;
    request.group_id = group_id_field("group_id");
    request.csv = reader.text(command, "csv", "", csv_bytes_max, true, true).value_or("");
    if (const std::optional<std::string> mode = reader.text(command, "mode", "", 16, false)) {
      if (*mode == "add" || *mode == "replace") {
        request.mode = *mode == "add" ? ImportMode::add : ImportMode::replace;
      } else {
        reader.add("mode", "phải là add hoặc replace", "must be add or replace");
      }
    }
    request.all_rows_required = reader.boolean(command, "all_rows_required", "", false).value_or(false);
    if (reader.has_errors()) return refuse_fields();
    GroupImportReport report;
    CommandOutput output = finish_write(store.import_group_members(request, time, changes, report));
    if (output.result["result"] == "ok" || output.result["result"] == "already_applied") output.result["import"] = import_to_json(report);
    return output;
  }

  // ----- reads --------------------------------------------------------------------------
  const Store& reads = store;
  auto read_result = [&](Json data) {
    Json json = base_result(line_number, name, ResultCode::ok);
    json["data"] = std::move(data);
    return CommandOutput{json, false};
  };
  if (name == "list_groups") {
    reader.reject_unknown_keys(command, "", {"command", "time"});
    if (reader.has_errors()) return refuse_fields();
    Json groups = Json::array();
    for (const CustomerGroup& group : reads.groups().groups()) groups.push_back(group_summary_to_json(group));
    return read_result(Json{{"groups", groups}});
  }
  if (name == "get_group") {
    reader.reject_unknown_keys(command, "", {"command", "time", "group_id"});
    const std::string group_id = group_id_field("group_id");
    if (reader.has_errors()) return refuse_fields();
    const CustomerGroup* group = reads.groups().find(group_id);
    if (group == nullptr) return failure(line_number, name, ResultCode::group_not_found);
    return read_result(group_to_json(*group));
  }
  if (name == "group_members") {
    reader.reject_unknown_keys(command, "", {"command", "time", "group_id", "limit", "after"});
    const std::string group_id = group_id_field("group_id");
    const auto limit = static_cast<std::size_t>(reader.integer(command, "limit", "", 0, group_page_max, false).value_or(20));
    const std::optional<std::string> after = reader.text(command, "after", "", member_id_bytes_max, false);
    MemberIndex start = 0;
    if (after) {
      const MemberIndex member = reads.find_member(*after);
      if (member == no_member) {
        reader.add("after", "không có thành viên này", "no such member");
      } else {
        start = member + 1;
      }
    }
    if (reader.has_errors()) return refuse_fields();
    MemberSet members;
    if (const Result result = reads.evaluate_group(group_id, time, members); !result.ok()) return failure(line_number, name, result.code);
    Json page = Json::array();
    MemberIndex member = members.next(start);
    for (; member != no_member && page.size() < limit; member = members.next(member + 1)) {
      page.push_back(member_summary_to_json(reads, member, time));
    }
    const bool more = member != no_member && limit > 0;
    return read_result(Json{{"group_id", group_id},
                            {"time", format_utc_time(time)},
                            {"count", members.count()},
                            {"members", page},
                            {"next_after", more ? Json(page.back()["member_id"]) : Json(nullptr)}});
  }
  if (name == "member_groups") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id"});
    const std::string member_id = reader.text(command, "member_id", "", member_id_bytes_max, true).value_or("");
    if (reader.has_errors()) return refuse_fields();
    const MemberIndex member = reads.find_member(member_id);
    if (member == no_member) return failure(line_number, name, ResultCode::member_not_found);
    Json groups = Json::array();
    for (const CustomerGroup& group : reads.groups().groups()) {
      if (reads.member_in_group(member, group.group_id, time)) groups.push_back(Json{{"group_id", group.group_id}, {"name", group.name}});
    }
    return read_result(Json{{"member_id", member_id}, {"time", format_utc_time(time)}, {"groups", groups}});
  }
  return failure(line_number, name, ResultCode::unknown_command);
}

}  // namespace loyalty
