#include "core/commands/campaign_commands.hpp"

#include <algorithm>

#include "core/campaigns/voucher_codes.hpp"
#include "core/commands/store_json.hpp"

namespace loyalty {

namespace {
constexpr std::string_view campaign_writes[] = {"save_campaign",       "set_campaign_status",  "claim_voucher", "issue_voucher_codes",
                                                "import_voucher_codes", "use_voucher",         "cancel_voucher_claim"};
constexpr std::string_view campaign_reads[] = {"check_voucher", "get_campaign", "list_campaigns", "member_vouchers"};

Json base_result(std::size_t line_number, std::string_view command, ResultCode code) {
  return Json{{"line", line_number}, {"command", command}, {"result", result_code_name(code)}, {"message", message_json(code)}};
}

CommandOutput failure(std::size_t line_number, std::string_view command, ResultCode code, const std::vector<FieldError>& errors = {}) {
  Json json = base_result(line_number, command, code);
  if (!errors.empty()) json["errors"] = errors_to_json(errors);
  return CommandOutput{json, false};
}
}  // namespace

bool is_campaign_write_command(std::string_view name) {
  return std::find(std::begin(campaign_writes), std::end(campaign_writes), name) != std::end(campaign_writes);
}
bool is_campaign_command(std::string_view name) {
  return is_campaign_write_command(name) ||
         std::find(std::begin(campaign_reads), std::end(campaign_reads), name) != std::end(campaign_reads);
}

Json voucher_code_to_json(const Store& store, std::uint32_t index) {
  const VoucherCode& code = store.campaigns().codes()[index];
  const Campaign& campaign = store.campaigns().campaigns()[code.campaign];
  const std::size_t prefix = code.source == CodeSource::imported ? 0 : campaign.config.code_prefix.size();
  Json json{{"code", code.source == CodeSource::imported ? code.code : format_voucher_code(code.code, prefix)}, {"campaign_id", campaign.config.campaign_id},
            {"state", code_state_name(code.state)}, {"source", code_source_name(code.source)}};
  if (code.owner != no_member) json["member_id"] = store.members()[code.owner].member_id;
  if (code.source == CodeSource::claimed) {
    const VoucherClaim& claim = store.campaigns().claims()[code.origin];
    json["claim_id"] = claim.claim_id;
    json["points"] = claim.points;
  } else {
    json["batch_id"] = store.campaigns().batches()[code.origin].batch_id;
  }
  json["issued_at"] = format_utc_time(code.issued_at_utc);
  json["valid_until"] = format_utc_time(campaign.config.ends_at_utc);
  if (code.state == CodeState::used) {
    json["order_id"] = code.order_id;
    json["discount_vnd"] = code.discount_vnd;
    json["used_at"] = format_utc_time(code.used_at_utc);
  }
  return json;
}

Json campaign_to_json(const Store& store, std::uint32_t index) {
  const Campaign& campaign = store.campaigns().campaigns()[index];
  Json json = campaign_config_to_json(campaign.config);
  json["status"] = campaign_status_name(campaign.status);
  json["codes_issued"] = campaign.codes_live;
  json["codes_used"] = campaign.codes_used;
  json["codes_left"] = campaign.config.total_quantity - campaign.codes_live;
  json["budget_committed_vnd"] = campaign.committed_vnd;
  return json;
}

CommandOutput run_campaign_command(Store& store, Changes& changes, const Json& command, const std::string& name, UtcSeconds time,
                                   std::vector<FieldError>& errors, std::size_t line_number, bool replaying) {
  FieldReader reader{errors};
  auto text = [&](std::string_view key, std::size_t max_bytes, bool required) {
    return reader.text(command, key, "", max_bytes, required).value_or("");
  };
  auto invalid = [&]() { return failure(line_number, name, ResultCode::invalid_field, errors); };
  // A write's result: the changes, then `extra` under `key` (on ok and already_applied).
  auto finish_write = [&](const Result& result, std::string_view key, auto extra) -> CommandOutput {
    if (!result.ok()) return failure(line_number, name, result.code, result.errors);
    Json json = base_result(line_number, name, result.code);
    if (!replaying) {
      json.update(changes_to_json(store, changes));
      json[std::string(key)] = extra();
    }
    return CommandOutput{json, result.code == ResultCode::ok};
  };
  auto changed_codes = [&]() {
    Json list = Json::array();
    for (std::uint32_t code : changes.voucher_codes) list.push_back(voucher_code_to_json(store, code));
    return list;
  };
  auto first_code = [&]() { return changes.voucher_codes.empty() ? Json(nullptr) : voucher_code_to_json(store, changes.voucher_codes.back()); };

  if (name == "save_campaign") {
    reader.reject_unknown_keys(command, "", {"command", "time", "campaign"});
    const auto document = command.find("campaign");
    if (document == command.end()) reader.add("campaign", "bắt buộc", "is required");
    if (reader.has_errors()) return invalid();
    CampaignConfigReading reading = read_campaign_config(*document, "campaign");
    if (!reading.config) return failure(line_number, name, ResultCode::invalid_field, reading.errors);
    const std::string campaign_id = reading.config->campaign_id;
    return finish_write(store.save_campaign(*reading.config, time, changes), "campaign",
                        [&] { return campaign_to_json(store, store.campaigns().find_campaign(campaign_id)); });
  }
  if (name == "set_campaign_status") {
    reader.reject_unknown_keys(command, "", {"command", "time", "campaign_id", "status"});
    const std::string campaign_id = text("campaign_id", 64, true);
    std::optional<CampaignStatus> status;
    if (const auto status_name = reader.text(command, "status", "", 16, true)) {
      status = campaign_status_from_name(*status_name);
      if (!status) reader.add("status", "phải là draft, hidden, visible, paused hoặc ended", "must be draft, hidden, visible, paused or ended");
    }
    if (reader.has_errors()) return invalid();
    return finish_write(store.set_campaign_status(campaign_id, *status, time, changes), "campaign",
                        [&] { return campaign_to_json(store, store.campaigns().find_campaign(campaign_id)); });
  }
  if (name == "claim_voucher") {
    reader.reject_unknown_keys(command, "", {"command", "time", "claim_id", "member_id", "campaign_id", "seed", "actor"});
    VoucherClaimRequest request;
    request.claim_id = text("claim_id", 128, true);
    request.member_id = text("member_id", 64, true);
    request.campaign_id = text("campaign_id", 64, true);
    request.seed = text("seed", 128, true);
    request.actor = reader.text(command, "actor", "", 64, false, true).value_or("");
    if (reader.has_errors()) return invalid();
    return finish_write(store.claim_voucher(request, time, changes), "voucher", first_code);
  }
  if (name == "issue_voucher_codes" || name == "import_voucher_codes") {
    const bool import = name == "import_voucher_codes";
    if (import) {
      reader.reject_unknown_keys(command, "", {"command", "time", "batch_id", "campaign_id", "codes", "actor"});
    } else {
      reader.reject_unknown_keys(command, "", {"command", "time", "batch_id", "campaign_id", "count", "seed", "actor"});
    }
    VoucherIssueRequest request;
    request.batch_id = text("batch_id", 128, true);
    request.campaign_id = text("campaign_id", 64, true);
    request.actor = reader.text(command, "actor", "", 64, false, true).value_or("");
    if (import) {
      const auto codes = command.find("codes");
      if (codes == command.end() || !codes->is_array()) {
        reader.add("codes", "bắt buộc: một mảng mã", "required: an array of codes");
      } else if (static_cast<std::int64_t>(codes->size()) > voucher_batch_codes_max) {
        reader.add("codes", "tối đa 1000 mã mỗi lệnh", "at most 1000 codes per command");
      } else {
        for (std::size_t i = 0; i < codes->size(); ++i) {
          if (!(*codes)[i].is_string()) {
            reader.add("codes[" + std::to_string(i) + "]", "phải là chuỗi ký tự", "must be a string");
          } else {
            request.codes.push_back((*codes)[i].get<std::string>());
          }
        }
      }
    } else {
      request.count = reader.integer(command, "count", "", 1, voucher_batch_codes_max, true).value_or(0);
      request.seed = text("seed", 128, true);
    }
    if (reader.has_errors()) return invalid();
    const Result result = import ? store.import_voucher_codes(request, time, changes) : store.issue_voucher_codes(request, time, changes);
    return finish_write(result, "codes", changed_codes);
  }
  if (name == "use_voucher" || name == "check_voucher") {
    const bool use = name == "use_voucher";
    if (use) {
      reader.reject_unknown_keys(command, "", {"command", "time", "code", "member_id", "order_id", "amount_vnd", "shipping_vnd"});
    } else {
      reader.reject_unknown_keys(command, "", {"command", "time", "code", "member_id", "amount_vnd", "shipping_vnd"});
    }
    VoucherUse request;
    request.code = text("code", 64, true);
    request.member_id = text("member_id", 64, true);
    if (use) request.order_id = text("order_id", 128, true);
    request.amount_vnd = reader.integer(command, "amount_vnd", "", 0, amount_vnd_max, true).value_or(0);
    request.shipping_vnd = reader.integer(command, "shipping_vnd", "", 0, amount_vnd_max, false).value_or(0);
    if (reader.has_errors()) return invalid();
    if (use) return finish_write(store.use_voucher(request, time, changes), "voucher", first_code);
    const VoucherCheck check = std::as_const(store).check_voucher(request, time);
    if (!check.result.ok()) return failure(line_number, name, check.result.code, check.result.errors);
    Json json = base_result(line_number, name, ResultCode::ok);
    json["data"] = {{"voucher", voucher_code_to_json(store, check.code)}, {"discount_vnd", check.discount_vnd},
                    {"amount_after_discount_vnd", request.amount_vnd - check.discount_vnd}};
    return CommandOutput{json, false};
  }
  if (name == "cancel_voucher_claim") {
    reader.reject_unknown_keys(command, "", {"command", "time", "claim_id", "reason", "actor"});
    const std::string claim_id = text("claim_id", 128, true);
    const std::string reason = text("reason", 1000, true);
    const std::string actor = text("actor", 64, true);
    if (reader.has_errors()) return invalid();
    return finish_write(store.cancel_voucher_claim(claim_id, reason, actor, time, changes), "voucher",
                        [&] { return voucher_code_to_json(store, store.campaigns().claims()[store.campaigns().find_claim(claim_id)].code); });
  }

  // ----- reads --------------------------------------------------------------------------
  const Store& read_store = store;
  auto read_result = [&](Json data) {
    Json json = base_result(line_number, name, ResultCode::ok);
    json["data"] = std::move(data);
    return CommandOutput{json, false};
  };
  if (name == "get_campaign") {
    reader.reject_unknown_keys(command, "", {"command", "time", "campaign_id"});
    const std::string campaign_id = text("campaign_id", 64, true);
    if (reader.has_errors()) return invalid();
    const std::uint32_t index = read_store.campaigns().find_campaign(campaign_id);
    if (index == UINT32_MAX) return failure(line_number, name, ResultCode::campaign_not_found);
    return read_result(campaign_to_json(read_store, index));
  }
  if (name == "list_campaigns") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id"});
    MemberIndex member = no_member;
    if (command.contains("member_id")) {
      const std::string member_id = text("member_id", 64, true);
      if (reader.has_errors()) return invalid();
      member = read_store.find_member(member_id);
      if (member == no_member) return failure(line_number, name, ResultCode::member_not_found);
    }
    if (reader.has_errors()) return invalid();
    Json list = Json::array();
    const auto& campaigns = read_store.campaigns().campaigns();
    for (std::uint32_t i = 0; i < campaigns.size(); ++i) {
      if (member == no_member) {
        list.push_back(campaign_to_json(read_store, i));
        continue;
      }
      // For a member: what is published and meant for them (hidden: only their group's).
      Points cost = 0;
      const ResultCode refusal = read_store.claim_refusal(member, i, time, cost);
      const CampaignStatus status = campaigns[i].status;
      if (status == CampaignStatus::draft || status == CampaignStatus::ended) continue;
      if (status == CampaignStatus::hidden && !read_store.campaign_for_member(member, i, time)) continue;
      Json entry = campaign_to_json(read_store, i);
      entry["member_point_cost"] = cost;
      entry["member_claims"] = read_store.campaigns().member_claims(i, member);
      entry["claimable"] = refusal == ResultCode::ok;
      entry["refusal"] = refusal == ResultCode::ok ? Json(nullptr)
                                                   : Json{{"result", result_code_name(refusal)}, {"message", message_json(refusal)}};
      list.push_back(std::move(entry));
    }
    Json data = Json::object();
    if (member != no_member) data["member_id"] = read_store.members()[member].member_id;
    data["campaigns"] = list;
    return read_result(data);
  }
  if (name == "member_vouchers") {
    reader.reject_unknown_keys(command, "", {"command", "time", "member_id"});
    const std::string member_id = text("member_id", 64, true);
    if (reader.has_errors()) return invalid();
    const MemberIndex member = read_store.find_member(member_id);
    if (member == no_member) return failure(line_number, name, ResultCode::member_not_found);
    Json list = Json::array();
    for (std::uint32_t code : read_store.campaigns().member_codes(member)) list.push_back(voucher_code_to_json(read_store, code));
    return read_result(Json{{"member_id", member_id}, {"vouchers", list}});
  }
  return failure(line_number, name, ResultCode::unknown_command);
}

}  // namespace loyalty
