// campaigns.cpp: the campaign document, its rules, and the records of codes and claims.
#include "core/campaigns/campaigns.hpp"

#include <algorithm>
#include <array>
#include <cassert>

#include "core/campaigns/voucher_codes.hpp"

namespace loyalty {

namespace {
constexpr std::array<std::string_view, 5> status_names = {"draft", "hidden", "visible", "paused", "ended"};
constexpr std::array<std::string_view, 4> reward_names = {"fixed_amount", "percentage", "free_shipping", "gift"};
constexpr std::int64_t quantity_max = 10'000'000;
constexpr std::int64_t limit_per_member_max = 1000;
constexpr std::size_t campaign_id_bytes_max = 64;
constexpr std::size_t group_id_bytes_max = 64;
}  // namespace

std::string_view campaign_status_name(CampaignStatus status) { return status_names.at(static_cast<std::size_t>(status)); }
std::optional<CampaignStatus> campaign_status_from_name(std::string_view name) {
  for (std::size_t i = 0; i < status_names.size(); ++i) {
    if (status_names[i] == name) return static_cast<CampaignStatus>(i);
  }
  return std::nullopt;
}
std::string_view reward_kind_name(RewardKind kind) { return reward_names.at(static_cast<std::size_t>(kind)); }
std::string_view code_source_name(CodeSource source) {
  static constexpr std::array<std::string_view, 3> names = {"claimed", "bulk", "imported"};
  return names.at(static_cast<std::size_t>(source));
}
std::string_view code_state_name(CodeState state) {
  static constexpr std::array<std::string_view, 3> names = {"unused", "used", "void"};
  return names.at(static_cast<std::size_t>(state));
}

bool campaign_status_change_allowed(CampaignStatus from, CampaignStatus to) {
  if (from == to || from == CampaignStatus::ended || to == CampaignStatus::draft) return false;
  if (from == CampaignStatus::draft) return to != CampaignStatus::paused;   // nothing to pause yet
  return true;
}

Vnd campaign_max_discount_vnd(const CampaignConfig& config) {
  switch (config.reward.kind) {
    case RewardKind::fixed_amount: return config.reward.amount_vnd;
    case RewardKind::percentage:
    case RewardKind::free_shipping: return config.reward.max_discount_vnd;
    case RewardKind::gift: return 0;
  }
  return 0;
}

Vnd campaign_discount_vnd(const CampaignConfig& config, Vnd goods_vnd, Vnd shipping_vnd) {
  assert(goods_vnd >= 0 && shipping_vnd >= 0);
  const CampaignReward& reward = config.reward;
  switch (reward.kind) {
    case RewardKind::fixed_amount: return std::min(reward.amount_vnd, goods_vnd);
    case RewardKind::percentage: {
      // Rounded down to whole VND, then capped by the maximum and by the goods.
      const Vnd percent = percent_of(goods_vnd, reward.percent_bp, Rounding::down).value_or(goods_vnd);
      return std::min({percent, reward.max_discount_vnd, goods_vnd});
    }
    case RewardKind::free_shipping: return std::min(shipping_vnd, reward.max_discount_vnd);
    case RewardKind::gift: return 0;
  }
  return 0;
}

Points campaign_point_cost(Points point_cost, BasisPoints discount_bp) {
  assert(point_cost >= 0 && discount_bp >= 0 && discount_bp <= basis_points_per_whole);
  const Points discount = multiply_divide(point_cost, discount_bp, basis_points_per_whole, Rounding::down).value_or(0);
  return point_cost - discount;
}

// ---------------------------------------------------------------------------------------------
// The document

static void read_reward(FieldReader& reader, const Json& object, const std::string& path, CampaignReward& reward) {
  if (!reader.require_object(object, path)) return;
  reader.reject_unknown_keys(object, path, {"kind", "amount_vnd", "percent_bp", "max_discount_vnd", "gift_vi", "gift_en"});
  const auto kind_name = reader.text(object, "kind", path, 32, true);
  if (!kind_name) return;
  const auto kind = std::find(reward_names.begin(), reward_names.end(), *kind_name);
  if (kind == reward_names.end()) {
    reader.add(FieldReader::join(path, "kind"), "phải là fixed_amount, percentage, free_shipping hoặc gift",
               "must be fixed_amount, percentage, free_shipping or gift");
    return;
  }
  reward.kind = static_cast<RewardKind>(kind - reward_names.begin());
  const bool fixed = reward.kind == RewardKind::fixed_amount, percentage = reward.kind == RewardKind::percentage;
  const bool shipping = reward.kind == RewardKind::free_shipping, gift = reward.kind == RewardKind::gift;
  // A parameter of another kind is refused: it would be silently ignored otherwise.
  auto only_for = [&](std::string_view key, bool allowed, std::string_view kinds) {
    if (!allowed && object.contains(key)) {
      reader.add(FieldReader::join(path, key), "chỉ dùng cho " + std::string(kinds), "only for " + std::string(kinds));
      return false;
    }
    return allowed;
  };
  if (only_for("amount_vnd", fixed, "fixed_amount")) {
    reward.amount_vnd = reader.integer(object, "amount_vnd", path, 1, amount_vnd_max, true).value_or(0);
  }
  if (only_for("percent_bp", percentage, "percentage")) {
    reward.percent_bp = reader.integer(object, "percent_bp", path, 1, basis_points_per_whole, true).value_or(0);
  }
  if (only_for("max_discount_vnd", percentage || shipping, "percentage, free_shipping")) {
    reward.max_discount_vnd = reader.integer(object, "max_discount_vnd", path, 1, amount_vnd_max, true).value_or(0);
  }
  if (only_for("gift_vi", gift, "gift")) reward.gift_vi = reader.text(object, "gift_vi", path, 1000, true).value_or("");
  if (only_for("gift_en", gift, "gift")) reward.gift_en = reader.text(object, "gift_en", path, 1000, false).value_or("");
}

CampaignConfigReading read_campaign_config(const Json& document, std::string_view path) {
  CampaignConfigReading reading;
  FieldReader reader(reading.errors);
  if (!reader.require_object(document, path)) return reading;
  reader.reject_unknown_keys(document, path, {"campaign_id", "name", "name_en", "description", "starts_at", "ends_at", "reward",
                                              "min_order_vnd", "point_cost", "total_quantity", "limit_per_member",
                                              "target_group_id", "budget_vnd", "code_prefix"});
  CampaignConfig config;
  if (auto id = reader.text(document, "campaign_id", path, campaign_id_bytes_max, true)) {
    if (!is_valid_key(*id, campaign_id_bytes_max)) {
      reader.add(FieldReader::join(path, "campaign_id"), "chỉ gồm ký tự ASCII in được, không khoảng trắng",
                 "printable ASCII without spaces only");
    }
    config.campaign_id = *id;
  }
  config.name = reader.text(document, "name", path, 200, true).value_or("");
  config.name_en = reader.text(document, "name_en", path, 200, false).value_or("");
  config.description = reader.text(document, "description", path, 2000, false, true).value_or("");
  const auto starts = reader.time(document, "starts_at", path, true);
  const auto ends = reader.time(document, "ends_at", path, true);
  if (starts && ends && *ends <= *starts) {
    reader.add(FieldReader::join(path, "ends_at"), "phải sau starts_at", "must be after starts_at");
  }
  config.starts_at_utc = starts.value_or(0);
  config.ends_at_utc = ends.value_or(0);
  const std::string reward_path = FieldReader::join(path, "reward");
  if (const auto reward = document.find("reward"); reward == document.end() || reward->is_null()) {
    reader.add(reward_path, "bắt buộc", "is required");
  } else {
    read_reward(reader, *reward, reward_path, config.reward);
  }
  config.min_order_vnd = reader.integer(document, "min_order_vnd", path, 0, amount_vnd_max, false).value_or(0);
  config.point_cost = reader.integer(document, "point_cost", path, 0, points_max, false).value_or(0);
  config.total_quantity = reader.integer(document, "total_quantity", path, 1, quantity_max, true).value_or(0);
  config.limit_per_member = reader.integer(document, "limit_per_member", path, 1, limit_per_member_max, false).value_or(1);
  if (auto group = reader.text(document, "target_group_id", path, group_id_bytes_max, false)) {
    if (!is_valid_key(*group, group_id_bytes_max)) {
      reader.add(FieldReader::join(path, "target_group_id"), "chỉ gồm ký tự ASCII in được, không khoảng trắng",
                 "printable ASCII without spaces only");
    }
    config.target_group_id = *group;
  }
  if (auto budget = reader.integer(document, "budget_vnd", path, 1, amount_vnd_max, false)) {
    config.budget_vnd = *budget;
    const Vnd largest = campaign_max_discount_vnd(config);
    if (config.reward.kind == RewardKind::gift) {
      reader.add(FieldReader::join(path, "budget_vnd"), "quà tặng không có giá trị giảm giá để tính ngân sách",
                 "a gift has no discount to count against a budget");
    } else if (largest > *budget) {
      reader.add(FieldReader::join(path, "budget_vnd"), "nhỏ hơn mức giảm tối đa của một mã", "is smaller than one code's largest discount");
    }
  }
  if (auto prefix = reader.text(document, "code_prefix", path, voucher_prefix_chars_max, false)) {
    if (!std::all_of(prefix->begin(), prefix->end(), is_voucher_alphabet)) {
      reader.add(FieldReader::join(path, "code_prefix"), "chỉ gồm 23456789 và chữ in hoa trừ I, L, O",
                 "only 23456789 and upper-case letters other than I, L and O");
    }
    config.code_prefix = *prefix;
  }
  if (reading.errors.empty()) reading.config = std::move(config);
  return reading;
}

Json campaign_config_to_json(const CampaignConfig& config) {
  Json reward{{"kind", reward_kind_name(config.reward.kind)}};
  switch (config.reward.kind) {
    case RewardKind::fixed_amount: reward["amount_vnd"] = config.reward.amount_vnd; break;
    case RewardKind::percentage:
      reward["percent_bp"] = config.reward.percent_bp;
      reward["max_discount_vnd"] = config.reward.max_discount_vnd;
      break;
    case RewardKind::free_shipping: reward["max_discount_vnd"] = config.reward.max_discount_vnd; break;
    case RewardKind::gift:
      reward["gift_vi"] = config.reward.gift_vi;
      if (!config.reward.gift_en.empty()) reward["gift_en"] = config.reward.gift_en;
      break;
  }
  Json json{{"campaign_id", config.campaign_id}, {"name", config.name}};
  if (!config.name_en.empty()) json["name_en"] = config.name_en;
  json["description"] = config.description;
  json["starts_at"] = format_utc_time(config.starts_at_utc);
  json["ends_at"] = format_utc_time(config.ends_at_utc);
  json["reward"] = reward;
  json["min_order_vnd"] = config.min_order_vnd;
  json["point_cost"] = config.point_cost;
  json["total_quantity"] = config.total_quantity;
  json["limit_per_member"] = config.limit_per_member;
  if (!config.target_group_id.empty()) json["target_group_id"] = config.target_group_id;
  if (config.budget_vnd > 0) json["budget_vnd"] = config.budget_vnd;
  if (!config.code_prefix.empty()) json["code_prefix"] = config.code_prefix;
  return json;
}

// ---------------------------------------------------------------------------------------------
// Records

namespace {
template <typename Map>
std::uint32_t find_in(const Map& map, std::string_view key) {
  const auto found = map.find(std::string(key));
  return found == map.end() ? UINT32_MAX : found->second;
}
}  // namespace

std::uint32_t Campaigns::find_campaign(std::string_view campaign_id) const { return find_in(campaign_by_id_, campaign_id); }
std::uint32_t Campaigns::find_code(std::string_view canonical) const { return find_in(code_by_text_, canonical); }
std::uint32_t Campaigns::find_claim(std::string_view claim_id) const { return find_in(claim_by_id_, claim_id); }
std::uint32_t Campaigns::find_batch(std::string_view batch_id) const { return find_in(batch_by_id_, batch_id); }
std::uint32_t Campaigns::code_of_order(std::string_view order_id) const { return find_in(code_by_order_, order_id); }

std::int64_t Campaigns::member_claims(std::uint32_t campaign, MemberIndex member) const {
  std::int64_t count = 0;
  for (const VoucherClaim& claim : claims_) {
    if (claim.campaign == campaign && claim.member == member && claim.state == ClaimState::active) ++count;
  }
  return count;
}

std::vector<std::uint32_t> Campaigns::member_codes(MemberIndex member) const {
  std::vector<std::uint32_t> found;
  for (std::uint32_t i = 0; i < codes_.size(); ++i) {
    if (codes_[i].owner == member) found.push_back(i);
  }
  return found;
}

Vnd Campaigns::committed_by(const VoucherCode& code) const {
  switch (code.state) {
    case CodeState::unused: return campaign_max_discount_vnd(campaigns_[code.campaign].config);
    case CodeState::used: return code.discount_vnd;
    case CodeState::voided: return 0;
  }
  return 0;
}

ResultCode Campaigns::check_status_and_window(const Campaign& campaign, UtcSeconds time) const {
  switch (campaign.status) {
    case CampaignStatus::draft: return ResultCode::campaign_not_published;
    case CampaignStatus::paused: return ResultCode::campaign_paused;
    case CampaignStatus::ended: return ResultCode::campaign_ended;
    case CampaignStatus::hidden:
    case CampaignStatus::visible: break;
  }
  if (time < campaign.config.starts_at_utc) return ResultCode::campaign_not_started;
  if (time >= campaign.config.ends_at_utc) return ResultCode::campaign_expired;
  return ResultCode::ok;
}

ResultCode Campaigns::check_room(const Campaign& campaign, std::int64_t count) const {
  if (campaign.codes_live + count > campaign.config.total_quantity) return ResultCode::campaign_sold_out;
  if (campaign.config.budget_vnd > 0) {
    const __int128 needed = static_cast<__int128>(campaign_max_discount_vnd(campaign.config)) * count;
    if (campaign.committed_vnd + needed > campaign.config.budget_vnd) return ResultCode::campaign_budget_exhausted;
  }
  return ResultCode::ok;
}

ResultCode Campaigns::check_use(std::uint32_t code_index, MemberIndex member, Vnd goods_vnd, UtcSeconds time) const {
  const VoucherCode& code = codes_[code_index];
  if (code.owner != no_member && code.owner != member) return ResultCode::voucher_code_not_for_member;
  if (code.state == CodeState::voided) return ResultCode::voucher_code_void;
  if (code.state == CodeState::used) return ResultCode::voucher_code_used;
  const Campaign& campaign = campaigns_[code.campaign];
  if (const ResultCode window = check_status_and_window(campaign, time); window != ResultCode::ok) return window;
  if (goods_vnd < campaign.config.min_order_vnd) return ResultCode::order_below_minimum;
  return ResultCode::ok;
}

std::uint32_t Campaigns::add_code(VoucherCode code) {
  assert(find_code(code.code) == UINT32_MAX && code.state == CodeState::unused);
  const auto index = static_cast<std::uint32_t>(codes_.size());
  Campaign& campaign = campaigns_[code.campaign];
  campaign.codes_live += 1;
  campaign.committed_vnd += campaign_max_discount_vnd(campaign.config);
  code_by_text_.emplace(code.code, index);
  codes_.push_back(std::move(code));
  assert(campaign.codes_live <= campaign.config.total_quantity);
  assert(campaign.config.budget_vnd == 0 || campaign.committed_vnd <= campaign.config.budget_vnd);
  return index;
}

void Campaigns::use_code(std::uint32_t code_index, std::string_view order_id, Vnd discount_vnd, UtcSeconds time) {
  VoucherCode& code = codes_[code_index];
  Campaign& campaign = campaigns_[code.campaign];
  assert(code.state == CodeState::unused && discount_vnd <= campaign_max_discount_vnd(campaign.config) &&
         code_of_order(order_id) == UINT32_MAX);
  campaign.committed_vnd -= campaign_max_discount_vnd(campaign.config) - discount_vnd;
  campaign.codes_used += 1;
  code.state = CodeState::used;
  code.order_id = std::string(order_id);
  code.discount_vnd = discount_vnd;
  code.used_at_utc = time;
  code_by_order_.emplace(code.order_id, code_index);
}

void Campaigns::restore_code(std::uint32_t code_index) {
  VoucherCode& code = codes_[code_index];
  Campaign& campaign = campaigns_[code.campaign];
  assert(code.state == CodeState::used);
  campaign.committed_vnd += campaign_max_discount_vnd(campaign.config) - code.discount_vnd;
  campaign.codes_used -= 1;
  code_by_order_.erase(code.order_id);
  code.state = CodeState::unused;
  code.order_id.clear();
  code.discount_vnd = 0;
  code.used_at_utc = 0;
  assert(campaign.config.budget_vnd == 0 || campaign.committed_vnd <= campaign.config.budget_vnd);
}

void Campaigns::void_code(std::uint32_t code_index) {
  VoucherCode& code = codes_[code_index];
  Campaign& campaign = campaigns_[code.campaign];
  assert(code.state == CodeState::unused);
  campaign.committed_vnd -= campaign_max_discount_vnd(campaign.config);
  campaign.codes_live -= 1;
  code.state = CodeState::voided;
  assert(campaign.codes_live >= 0 && campaign.committed_vnd >= 0);
}

void Campaigns::refresh_next_end() {
  next_end_utc_ = INT64_MAX;
  for (const Campaign& campaign : campaigns_) {
    if (campaign.status != CampaignStatus::ended) next_end_utc_ = std::min(next_end_utc_, campaign.config.ends_at_utc);
  }
}

void Campaigns::end_due(UtcSeconds time) {
  for (Campaign& campaign : campaigns_) {
    if (campaign.status != CampaignStatus::ended && campaign.config.ends_at_utc <= time) campaign.status = CampaignStatus::ended;
  }
  refresh_next_end();
  assert(next_end_utc_ > time);
}

void Campaigns::recount() {
  for (Campaign& campaign : campaigns_) campaign.codes_live = campaign.codes_used = campaign.committed_vnd = 0;
  for (const VoucherCode& code : codes_) {
    Campaign& campaign = campaigns_[code.campaign];
    if (code.state != CodeState::voided) campaign.codes_live += 1;
    if (code.state == CodeState::used) campaign.codes_used += 1;
    campaign.committed_vnd += committed_by(code);
  }
  refresh_next_end();
}

std::string Campaigns::rebuild_lookups() {
  campaign_by_id_.clear();
  code_by_text_.clear();
  claim_by_id_.clear();
  batch_by_id_.clear();
  code_by_order_.clear();
  for (std::uint32_t i = 0; i < campaigns_.size(); ++i) {
    if (!campaign_by_id_.emplace(campaigns_[i].config.campaign_id, i).second) return "snapshot: campaign " + campaigns_[i].config.campaign_id + " is held twice";
  }
  for (std::uint32_t i = 0; i < codes_.size(); ++i) {
    if (!code_by_text_.emplace(codes_[i].code, i).second) return "snapshot: voucher code " + codes_[i].code + " is held twice";
    if (codes_[i].state == CodeState::used && !code_by_order_.emplace(codes_[i].order_id, i).second) {
      return "snapshot: order " + codes_[i].order_id + " used two voucher codes";
    }
  }
  for (std::uint32_t i = 0; i < claims_.size(); ++i) {
    if (!claim_by_id_.emplace(claims_[i].claim_id, i).second) return "snapshot: voucher claim " + claims_[i].claim_id + " is held twice";
  }
  for (std::uint32_t i = 0; i < batches_.size(); ++i) {
    if (!batch_by_id_.emplace(batches_[i].batch_id, i).second) return "snapshot: voucher batch " + batches_[i].batch_id + " is held twice";
  }
  recount();
  return {};
}

std::string Campaigns::check_invariants(std::size_t members) const {
  std::vector<std::int64_t> live(campaigns_.size(), 0), used(campaigns_.size(), 0);
  std::vector<__int128> committed(campaigns_.size(), 0);
  for (const VoucherCode& code : codes_) {
    if (code.campaign >= campaigns_.size()) return "voucher code " + code.code + " has no campaign";
    if (code.owner != no_member && code.owner >= members) return "voucher code " + code.code + " has no owner";
    if (code.state != CodeState::voided) live[code.campaign] += 1;
    if (code.state == CodeState::used) used[code.campaign] += 1;
    committed[code.campaign] += committed_by(code);
    if (code.discount_vnd < 0 || code.discount_vnd > campaign_max_discount_vnd(campaigns_[code.campaign].config)) {
      return "voucher code " + code.code + " gave more than its campaign's largest discount";
    }
  }
  for (std::size_t i = 0; i < campaigns_.size(); ++i) {
    const Campaign& campaign = campaigns_[i];
    const std::string& id = campaign.config.campaign_id;
    if (live[i] != campaign.codes_live || used[i] != campaign.codes_used || committed[i] != campaign.committed_vnd) {
      return "the counters of campaign " + id + " disagree with its codes";
    }
    if (campaign.codes_live > campaign.config.total_quantity) return "campaign " + id + " has more codes than its quantity";
    if (campaign.config.budget_vnd > 0 && campaign.committed_vnd > campaign.config.budget_vnd) return "campaign " + id + " exceeds its budget";
  }
  for (const VoucherClaim& claim : claims_) {
    if (claim.code >= codes_.size() || claim.campaign >= campaigns_.size() || claim.member >= members) {
      return "voucher claim " + claim.claim_id + " is out of range";
    }
    const VoucherCode& code = codes_[claim.code];
    if (code.owner != claim.member || code.campaign != claim.campaign || code.source != CodeSource::claimed) {
      return "voucher claim " + claim.claim_id + " does not match its code";
    }
    if ((claim.state == ClaimState::cancelled) != (code.state == CodeState::voided)) {
      return "voucher claim " + claim.claim_id + " and its code disagree on whether it is void";
    }
  }
  for (std::size_t i = 0; i < campaigns_.size(); ++i) {
    // The per-member limit, counted in one pass per campaign over the claims.
    std::unordered_map<MemberIndex, std::int64_t> per_member;
    for (const VoucherClaim& claim : claims_) {
      if (claim.campaign == i && claim.state == ClaimState::active && ++per_member[claim.member] > campaigns_[i].config.limit_per_member) {
        return "campaign " + campaigns_[i].config.campaign_id + " has a member beyond its limit";
      }
    }
  }
  return {};
}

std::size_t Campaigns::memory_bytes() const {
  return campaigns_.capacity() * sizeof(Campaign) + codes_.capacity() * sizeof(VoucherCode) +
         claims_.capacity() * sizeof(VoucherClaim) + batches_.capacity() * sizeof(VoucherBatch) +
         (code_by_text_.size() + claim_by_id_.size() + code_by_order_.size()) * 64;
}

}  // namespace loyalty
