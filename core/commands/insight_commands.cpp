// insight_commands.cpp: program_impact, backtest_program and metrics as JSON.
#include "core/commands/insight_commands.hpp"

#include "core/commands/store_json.hpp"
#include "core/insights/insights.hpp"

namespace loyalty {

namespace {

constexpr std::int64_t default_sample_limit = 10;
constexpr std::int64_t sample_limit_max = 100;

Json base(std::size_t line_number, std::string_view command, ResultCode code) {
  return Json{{"line", line_number}, {"command", command}, {"result", result_code_name(code)}, {"message", message_json(code)}};
}

CommandOutput refuse(std::size_t line_number, std::string_view command, ResultCode code, const std::vector<FieldError>& errors = {}) {
  Json json = base(line_number, command, code);
  if (!errors.empty()) json["errors"] = errors_to_json(errors);
  return CommandOutput{json, false};
}

CommandOutput answer(std::size_t line_number, std::string_view command, Json data) {
  Json json = base(line_number, command, ResultCode::ok);
  json["data"] = std::move(data);
  return CommandOutput{json, false};
}

std::string tier_key(const ProgramConfig& config, std::int32_t tier_index) {
  return tier_index >= 0 ? config.tiers[static_cast<std::size_t>(tier_index)].id : "none";
}

Json tiers_json(const ProgramConfig* config, const std::vector<std::int64_t>& counts) {
  Json list = Json::array();
  for (std::size_t slot = 0; slot < counts.size(); ++slot) {
    const bool is_tier = config != nullptr && slot < config->tiers.size();
    list.push_back({{"tier", is_tier ? config->tiers[slot].id : "none"}, {"members", counts[slot]}});
  }
  return list;
}

Json rate_json(const std::optional<BasisPoints>& rate) { return rate ? Json(*rate) : Json(nullptr); }

Json figures_json(const MetricsFigures& figures) {
  return Json{{"label", figures.label},
              {"start", format_utc_time(figures.start_utc)},
              {"end", format_utc_time(figures.end_utc)},
              {"members_total", figures.members_total},
              {"members_new", figures.members_new},
              {"active_members_30d", figures.active_members_30d},
              {"active_members_90d", figures.active_members_90d},
              {"orders", figures.orders},
              {"buyers", figures.buyers},
              {"repeat_buyers", figures.repeat_buyers},
              {"repeat_purchase_rate_bp", rate_json(figures.repeat_purchase_rate_bp)},
              {"revenue_vnd", figures.revenue_vnd},
              {"refunds_vnd", figures.refunds_vnd},
              {"points_issued", figures.points_issued},
              {"points_reversed", figures.points_reversed},
              {"points_redeemed", figures.points_redeemed},
              {"points_expired", figures.points_expired},
              {"points_outstanding", figures.points_outstanding},
              {"redemption_rate_bp", rate_json(figures.redemption_rate_bp)},
              {"point_value_vnd", figures.point_value_vnd},
              {"points_issued_value_vnd", figures.points_issued_value_vnd},
              {"points_redeemed_value_vnd", figures.points_redeemed_value_vnd},
              {"points_expired_value_vnd", figures.points_expired_value_vnd},
              {"points_outstanding_value_vnd", figures.points_outstanding_value_vnd}};
}

Json backtest_figures_json(const ProgramConfig& config, const BacktestFigures& figures) {
  return Json{{"buyer_points", figures.buyer_points},
              {"referrer_points", figures.referrer_points},
              {"bonus_points", figures.bonus_points},
              {"points_reversed", figures.points_reversed},
              {"points_net", figures.points_net},
              {"point_value_vnd", figures.point_value_vnd},
              {"points_net_value_vnd", figures.points_net_value_vnd},
              {"tier_points", figures.tier_points},
              {"qualify_by", tier_measure_name(config.tier_points.qualify_by)},
              {"tiers", tiers_json(&config, figures.members_by_tier)},
              {"outstanding_points", figures.outstanding_points},
              {"outstanding_value_vnd", figures.outstanding_value_vnd}};
}

// The candidate program, read exactly as save_program reads it.
std::optional<ProgramConfig> read_candidate(const Json& command, FieldReader& reader, std::vector<FieldError>& program_errors) {
  const auto program = command.find("program");
  if (program == command.end()) {
    reader.add("program", "bắt buộc: chương trình cần thử", "required: the program to try");
    return std::nullopt;
  }
  ProgramConfigReading reading = read_program_config(*program, "");
  program_errors = std::move(reading.errors);
  return std::move(reading.config);
}

}  // namespace

bool is_insight_command(std::string_view name) {
  return name == "program_impact" || name == "backtest_program" || name == "metrics";
}

std::optional<CommandOutput> run_insight_command(const Store& store, std::string_view name, const Json& command,
                                                 std::size_t line_number) {
  if (!is_insight_command(name)) return std::nullopt;
  std::vector<FieldError> errors;
  FieldReader reader{errors};
  const UtcSeconds time = reader.time(command, "time", "", false).value_or(store.clock_utc());

  if (name == "program_impact") {
    reader.reject_unknown_keys(command, "", {"command", "time", "program", "sample_limit"});
    const std::size_t sample_limit = static_cast<std::size_t>(
        reader.integer(command, "sample_limit", "", 0, sample_limit_max, false).value_or(default_sample_limit));
    std::vector<FieldError> program_errors;
    const std::optional<ProgramConfig> candidate = read_candidate(command, reader, program_errors);
    if (reader.has_errors()) return refuse(line_number, name, ResultCode::invalid_field, errors);
    if (!candidate) return refuse(line_number, name, ResultCode::program_invalid, program_errors);
    const ProgramVersion* current = store.program_at(time);
    if (current == nullptr) return refuse(line_number, name, ResultCode::program_not_set);
    const ProgramImpact impact = program_impact(store, current->config, *candidate, time, sample_limit);
    Json sample = Json::array();
    for (const TierMove& move : impact.sample) {
      const Member& member = store.members()[move.member];
      sample.push_back({{"member_id", member.member_id}, {"name", member.name},
                        {"tier_now", tier_key(current->config, move.tier_from)}, {"tier_after", tier_key(*candidate, move.tier_to)},
                        {"measure_now", move.measure_from}, {"measure_after", move.measure_to}});
    }
    return answer(line_number, name,
                  Json{{"time", format_utc_time(time)},
                       {"members", impact.members},
                       {"qualify_by_now", tier_measure_name(current->config.tier_points.qualify_by)},
                       {"qualify_by_after", tier_measure_name(candidate->tier_points.qualify_by)},
                       {"tiers_now", tiers_json(&current->config, impact.members_by_tier_now)},
                       {"tiers_after", tiers_json(&*candidate, impact.members_by_tier_after)},
                       {"moved_up", impact.moved_up},
                       {"moved_down", impact.moved_down},
                       {"sample", sample},
                       {"liability", {{"outstanding_points", impact.outstanding_points},
                                      {"point_value_vnd_now", impact.point_value_vnd_now},
                                      {"point_value_vnd_after", impact.point_value_vnd_after},
                                      {"value_vnd_now", impact.liability_vnd_now},
                                      {"value_vnd_after", impact.liability_vnd_after},
                                      {"change_vnd", impact.liability_vnd_after - impact.liability_vnd_now}}}});
  }

  // Both take a period [from, to): `to` defaults to `time`.
  const std::optional<UtcSeconds> from = reader.time(command, "from", "", true);
  const UtcSeconds to = reader.time(command, "to", "", false).value_or(time);
  if (from && *from >= to) {
    if (command.contains("to")) {
      reader.add("to", "phải sau from", "must be after from");
    } else {
      reader.add("from", "phải trước thời điểm xem (time, mặc định là đồng hồ của cửa hàng)",
                 "must be before the time of the read (time, by default the store's clock)");
    }
  }

  if (name == "backtest_program") {
    reader.reject_unknown_keys(command, "", {"command", "time", "program", "from", "to", "sample_limit"});
    const std::size_t sample_limit = static_cast<std::size_t>(
        reader.integer(command, "sample_limit", "", 0, sample_limit_max, false).value_or(default_sample_limit));
    std::vector<FieldError> program_errors;
    const std::optional<ProgramConfig> candidate = read_candidate(command, reader, program_errors);
    if (reader.has_errors()) return refuse(line_number, name, ResultCode::invalid_field, errors);
    if (!candidate) return refuse(line_number, name, ResultCode::program_invalid, program_errors);
    const ProgramVersion* current = store.program_at(to - 1);
    if (current == nullptr) return refuse(line_number, name, ResultCode::program_not_set);
    const Backtest backtest = backtest_program(store, current->config, *candidate, *from, to, sample_limit);
    if (backtest.code != ResultCode::ok) return refuse(line_number, name, backtest.code);
    Json sample = Json::array();
    for (const TierMove& move : backtest.sample) {
      const Member& member = store.members()[move.member];
      sample.push_back({{"member_id", member.member_id}, {"name", member.name},
                        {"tier_current", tier_key(current->config, move.tier_from)},
                        {"tier_candidate", tier_key(*candidate, move.tier_to)},
                        {"measure_current", move.measure_from}, {"measure_candidate", move.measure_to}});
    }
    const BacktestFigures& now = backtest.current;
    const BacktestFigures& after = backtest.candidate;
    return answer(line_number, name,
                  Json{{"from", format_utc_time(*from)},
                       {"to", format_utc_time(to)},
                       {"orders", backtest.orders},
                       {"refunds", backtest.refunds},
                       {"orders_replayed", backtest.orders_replayed},
                       {"current", backtest_figures_json(current->config, now)},
                       {"candidate", backtest_figures_json(*candidate, after)},
                       {"difference", {{"points_net", after.points_net - now.points_net},
                                       {"points_net_value_vnd", after.points_net_value_vnd - now.points_net_value_vnd},
                                       {"outstanding_value_vnd", after.outstanding_value_vnd - now.outstanding_value_vnd}}},
                       {"moved_up", backtest.moved_up},
                       {"moved_down", backtest.moved_down},
                       {"sample", sample}});
  }

  // metrics
  reader.reject_unknown_keys(command, "", {"command", "time", "from", "to", "bucket", "attribution_days"});
  const auto attribution_days = static_cast<std::int32_t>(
      reader.integer(command, "attribution_days", "", 1, attribution_days_max, false).value_or(attribution_days_default));
  const std::string bucket_name = reader.text(command, "bucket", "", 16, false).value_or("day");
  const std::optional<MetricsBucket> bucket = metrics_bucket_from_name(bucket_name);
  if (!bucket) reader.add("bucket", "phải là day, week hoặc month", "must be day, week or month");
  if (reader.has_errors()) return refuse(line_number, name, ResultCode::invalid_field, errors);
  const Metrics metrics = store_metrics(store, *from, to, *bucket, attribution_days);
  if (metrics.code != ResultCode::ok) return refuse(line_number, name, metrics.code);
  const ProgramVersion* program = store.program_at(to - 1);
  Json total = figures_json(metrics.total);
  total["members_by_tier"] = tiers_json(program ? &program->config : nullptr, metrics.members_by_tier);
  Json series = Json::array();
  for (const MetricsFigures& figures : metrics.series) series.push_back(figures_json(figures));
  // Voucher campaigns over the whole period, apart from the series.
  Json campaigns = Json::array();
  for (const CampaignFigures& figures : metrics.campaigns) {
    campaigns.push_back({{"campaign_id", store.campaigns().campaigns()[figures.campaign].config.campaign_id},
                         {"claims", figures.claims}, {"claims_cancelled", figures.claims_cancelled}, {"claim_points", figures.claim_points},
                         {"codes_bulk", figures.codes_bulk}, {"codes_imported", figures.codes_imported}, {"uses", figures.uses},
                         {"discount_vnd", figures.discount_vnd}, {"orders", figures.orders}, {"orders_paid_vnd", figures.orders_paid_vnd}});
  }
  Json notifications = Json::array();
  for (const NotificationFigures& figures : metrics.notifications) {
    Json entry{{figures.scenario ? "scenario_id" : "notification_id", figures.id}};
    entry["campaign_id"] = figures.campaign_id.empty() ? Json(nullptr) : Json(figures.campaign_id);
    entry.update(Json{{"deliveries", figures.deliveries}, {"sent", figures.sent}, {"failed", figures.failed}, {"skipped", figures.skipped},
                      {"opened", figures.opened}, {"clicked", figures.clicked}, {"opened_in_period", figures.opened_in_period},
                      {"attributed_orders", figures.attributed_orders}, {"attributed_revenue_vnd", figures.attributed_revenue_vnd}});
    notifications.push_back(std::move(entry));
  }
  Json attribution = Json::array();
  for (const CampaignAttribution& campaign : metrics.campaign_attribution) {
    attribution.push_back({{"campaign_id", campaign.campaign_id}, {"orders", campaign.orders}, {"revenue_vnd", campaign.revenue_vnd}});
  }
  return answer(line_number, name,
                Json{{"from", format_utc_time(*from)}, {"to", format_utc_time(to)}, {"bucket", metrics_bucket_name(*bucket)},
                     {"time_zone", metrics.zone.name}, {"total", total}, {"series", series}, {"campaigns", campaigns},
                     {"attribution_days", attribution_days}, {"notifications", notifications}, {"campaign_attribution", attribution}});
}

}  // namespace loyalty
