// store_campaigns.cpp: the Store's side of voucher campaigns: what needs members, points
// and orders (the tier perk, the target group, the ledger debit of a claim, the order a
// code is used on). The campaigns' own records and rules are in campaigns.cpp.
//
// Refusals of a claim, in order of precedence (docs/commands.md, "claim_voucher"):
//   invalid_field, member_not_found, campaign_not_found, already_applied /
//   idempotency_key_conflict, member_blocked, campaign_not_published, campaign_paused,
//   campaign_ended, campaign_not_started, campaign_expired, campaign_not_for_member,
//   campaign_sold_out, claim_limit_reached, campaign_budget_exhausted, insufficient_points.
// Of a code on an order (check_voucher, use_voucher, order with voucher_code):
//   invalid_field, member_not_found, voucher_code_mistyped / voucher_code_not_found,
//   already_applied / idempotency_key_conflict (use_voucher), member_blocked,
//   voucher_code_not_for_member, voucher_code_void, voucher_code_used,
//   campaign_not_published, campaign_paused, campaign_ended, campaign_not_started,
//   campaign_expired, order_below_minimum, voucher_discount_mismatch (order).
#include "core/store.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <unordered_set>

#include "core/campaigns/voucher_codes.hpp"
#include "core/store_limits.hpp"

namespace loyalty {

namespace {
constexpr std::size_t seed_bytes_min = 16;
constexpr std::size_t seed_bytes_max = 128;
constexpr int draws_max = 1000;   // a code space of 31^10: a thousand collisions in a row is a broken seed

void check_seed(std::string_view seed, std::vector<FieldError>& errors) {
  if (seed.size() < seed_bytes_min || !is_valid_key(seed, seed_bytes_max)) {
    errors.push_back({"seed", "bắt buộc: 16 đến 128 ký tự ASCII in được, ngẫu nhiên do máy chủ tạo",
                      "required: 16 to 128 printable ASCII characters, drawn at random by the host"});
  }
}

// Looks up a code as typed: found, mistyped (the check character says so) or unknown.
Result find_typed_code(const Campaigns& campaigns, std::string_view typed, std::string_view field, std::uint32_t& index) {
  const std::optional<std::string> canonical = normalize_voucher_code(typed);
  if (!canonical || canonical->size() > partner_code_chars_max) {
    return Result::field(std::string(field), "chỉ gồm chữ, số, khoảng trắng và dấu gạch ngang, tối đa 32 ký tự",
                         "letters, digits, spaces and dashes only, at most 32 characters");
  }
  index = campaigns.find_code(*canonical);
  if (index != UINT32_MAX) return Result::success();
  // The shape of the store's own codes (prefix + 10 + check) with a wrong check: a typo.
  const std::size_t own_min = voucher_random_chars + 1, own_max = own_min + voucher_prefix_chars_max;
  if (canonical->size() >= own_min && canonical->size() <= own_max && !voucher_check_valid(*canonical)) {
    return Result::failure(ResultCode::voucher_code_mistyped);
  }
  return Result::failure(ResultCode::voucher_code_not_found);
}
}  // namespace

// A campaign's target group: membership at the moment of the claim (core/groups).
bool Store::campaign_group_allows(MemberIndex member, const std::string& group_id, UtcSeconds time) const {
  return member_in_group(member, group_id, time);
}

// ---------------------------------------------------------------------------------------------
// Campaigns

Result Store::save_campaign(const CampaignConfig& config, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  // The rules of the document, whoever built the config: what is saved always reads back
  // (a snapshot stores the document and reads it with the same rules).
  if (CampaignConfigReading again = read_campaign_config(campaign_config_to_json(config)); !again.config || !(*again.config == config)) {
    Result invalid{ResultCode::invalid_field, std::move(again.errors)};
    if (invalid.errors.empty()) invalid.errors.push_back({"campaign", "không đọc lại được như đã lưu", "does not read back as saved"});
    return invalid;
  }
  // A campaign for a group that does not exist would be claimable by nobody.
  if (!config.target_group_id.empty() && groups_.position(config.target_group_id) == groups_.groups_.size()) {
    return Result{ResultCode::invalid_field,
                  {{"campaign.target_group_id", "không có nhóm khách hàng này", "no such customer group"}}};
  }
  // A campaign ends by itself at ends_at (begin_write): one saved to end at or before the
  // clock would be ended at once.
  const Result past_end = Result::field("campaign.ends_at", "phải sau đồng hồ của cửa hàng (" + format_utc_time(now) + ")",
                                        "must be after the store's clock (" + format_utc_time(now) + ")");
  const std::uint32_t known = campaigns_.find_campaign(config.campaign_id);
  if (known == no_index) {
    if (config.ends_at_utc <= now) return past_end;
    // After this point the command must succeed.
    const auto index = static_cast<std::uint32_t>(campaigns_.campaigns_.size());
    campaigns_.campaigns_.push_back(Campaign{config, CampaignStatus::draft, now});
    campaigns_.campaign_by_id_.emplace(config.campaign_id, index);
    campaigns_.refresh_next_end();
    settle(changes);
    return Result::success();
  }
  Campaign& campaign = campaigns_.campaigns_[known];
  if (campaign.config == config) return Result::failure(ResultCode::already_applied);
  if (campaign.status == CampaignStatus::ended) return Result::failure(ResultCode::campaign_ended);
  if (config.ends_at_utc <= now) return past_end;
  // Once a code exists, what it was issued under stays: its price, its discount, its look.
  const bool has_codes = std::any_of(campaigns_.codes_.begin(), campaigns_.codes_.end(),
                                     [&](const VoucherCode& code) { return code.campaign == known; });
  Result invalid{ResultCode::invalid_field, {}};
  const CampaignConfig& old = campaign.config;
  if (has_codes) {
    const std::string fixed_vi = "không đổi được khi chương trình đã có mã", fixed_en = "cannot change once the campaign has codes";
    if (!(config.reward == old.reward)) invalid.errors.push_back({"campaign.reward", fixed_vi, fixed_en});
    if (config.point_cost != old.point_cost) invalid.errors.push_back({"campaign.point_cost", fixed_vi, fixed_en});
    if (config.code_prefix != old.code_prefix) invalid.errors.push_back({"campaign.code_prefix", fixed_vi, fixed_en});
    if (config.limit_per_member < old.limit_per_member) {
      invalid.errors.push_back({"campaign.limit_per_member", "chỉ tăng được khi chương trình đã có mã", "can only grow once the campaign has codes"});
    }
  }
  if (config.total_quantity < campaign.codes_live) {
    invalid.errors.push_back({"campaign.total_quantity", "nhỏ hơn số mã đã phát (" + std::to_string(campaign.codes_live) + ")",
                              "is less than the codes issued (" + std::to_string(campaign.codes_live) + ")"});
  }
  if (config.budget_vnd > 0 && config.budget_vnd < campaign.committed_vnd) {
    invalid.errors.push_back({"campaign.budget_vnd", "nhỏ hơn số tiền đã cam kết (" + format_vnd(campaign.committed_vnd) + ")",
                              "is less than the VND already committed (" + format_grouped_en(campaign.committed_vnd) + ")"});
  }
  if (!invalid.errors.empty()) return invalid;
  // After this point the command must succeed.
  campaign.config = config;
  campaign.saved_at_utc = now;
  campaigns_.refresh_next_end();
  settle(changes);
  return Result::success();
}

Result Store::set_campaign_status(std::string_view campaign_id, CampaignStatus status, UtcSeconds time, Changes& changes) {
  begin_write(time, changes);
  const std::uint32_t index = campaigns_.find_campaign(campaign_id);
  if (index == no_index) return Result::failure(ResultCode::campaign_not_found);
  Campaign& campaign = campaigns_.campaigns_[index];
  if (campaign.status == status) return Result::failure(ResultCode::already_applied);
  if (!campaign_status_change_allowed(campaign.status, status)) return Result::failure(ResultCode::campaign_status_not_allowed);
  campaign.status = status;
  campaigns_.refresh_next_end();
  settle(changes);
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Claims

// A hidden campaign is for its target group only (without one, for nobody); a visible one
// with a group too.
bool Store::campaign_for_member(MemberIndex member, std::uint32_t campaign_index, UtcSeconds time) const {
  const Campaign& campaign = campaigns_.campaigns_[campaign_index];
  if (campaign.status != CampaignStatus::hidden && campaign.config.target_group_id.empty()) return true;
  return !campaign.config.target_group_id.empty() && campaign_group_allows(member, campaign.config.target_group_id, time);
}

ResultCode Store::claim_refusal(MemberIndex member, std::uint32_t campaign_index, UtcSeconds time, Points& cost) const {
  const Campaign& campaign = campaigns_.campaigns_[campaign_index];
  const CampaignConfig& config = campaign.config;
  // The cost after the tier perk in force at `time` (the highest enabled one, should a
  // tier list two), computed first so that a read can show it whatever the refusal.
  BasisPoints discount_bp = 0;
  if (const ProgramVersion* program = program_at(time)) {
    for (const Perk* perk : program->config.enabled_perks(tier_status(member, time).tier_index)) {
      if (perk->type == PerkType::voucher_point_discount) discount_bp = std::max(discount_bp, perk->discount_bp);
    }
  }
  cost = campaign_point_cost(config.point_cost, discount_bp);
  if (members_[member].status == MemberStatus::blocked) return ResultCode::member_blocked;
  if (const ResultCode window = campaigns_.check_status_and_window(campaign, time); window != ResultCode::ok) return window;
  if (!campaign_for_member(member, campaign_index, time)) return ResultCode::campaign_not_for_member;
  if (campaign.codes_live >= config.total_quantity) return ResultCode::campaign_sold_out;
  if (campaigns_.member_claims(campaign_index, member) >= config.limit_per_member) return ResultCode::claim_limit_reached;
  if (campaigns_.check_room(campaign, 1) != ResultCode::ok) return ResultCode::campaign_budget_exhausted;
  if (cost > available_points(member)) return ResultCode::insufficient_points;
  return ResultCode::ok;
}

Result Store::claim_voucher(const VoucherClaimRequest& request, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  Result invalid{ResultCode::invalid_field, {}};
  if (!is_valid_key(request.claim_id, key_bytes_max)) {
    invalid.errors.push_back({"claim_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng", "required: printable ASCII without spaces"});
  }
  check_seed(request.seed, invalid.errors);
  if (!invalid.errors.empty()) return invalid;
  const MemberIndex member = find_member(request.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  const std::uint32_t campaign_index = campaigns_.find_campaign(request.campaign_id);
  if (campaign_index == no_index) return Result::failure(ResultCode::campaign_not_found);
  // A retry answers as the first did, whatever happened since.
  if (const std::uint32_t known = campaigns_.find_claim(request.claim_id); known != no_index) {
    const VoucherClaim& claim = campaigns_.claims_[known];
    if (claim.member != member || claim.campaign != campaign_index) return Result::failure(ResultCode::idempotency_key_conflict);
    changes.voucher_codes.push_back(claim.code);
    return Result::failure(ResultCode::already_applied);
  }
  Points cost = 0;
  if (const ResultCode refusal = claim_refusal(member, campaign_index, now, cost); refusal != ResultCode::ok) {
    return Result::failure(refusal);
  }
  // After this point the command must succeed.
  const CampaignConfig& config = campaigns_.campaigns_[campaign_index].config;
  const auto claim_index = static_cast<std::uint32_t>(campaigns_.claims_.size());
  std::uint32_t transaction = no_index;
  if (cost > 0) {
    const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(member, MemberAccount::points), -cost},
                                                    PostingRequest{account_of(SystemAccount::redeemed), cost}};
    transaction = ledger_.post(TransactionKind::voucher_claimed, now, now, claim_index, intern_actor(request.actor), postings);
    const Points uncovered = consume_lots(member, cost, now, transaction);
    assert(uncovered == 0);
    members_[member].points_spent += cost;
    changes.transactions.push_back(transaction);
    touch(member, changes);
  }
  const std::uint64_t seed_bits = voucher_seed_bits(request.seed);
  const std::string draw_key = config.campaign_id + '\x1f' + request.claim_id;
  std::string code_text;
  for (int draw = 0;; ++draw) {
    assert(draw < draws_max);
    code_text = draw_voucher_code(seed_bits, draw_key, static_cast<std::uint64_t>(draw), config.code_prefix);
    if (campaigns_.find_code(code_text) == no_index) break;
  }
  VoucherCode code;
  code.code = std::move(code_text);
  code.campaign = campaign_index;
  code.owner = member;
  code.source = CodeSource::claimed;
  code.origin = claim_index;
  code.issued_at_utc = now;
  const std::uint32_t code_index = campaigns_.add_code(std::move(code));
  campaigns_.claims_.push_back(VoucherClaim{request.claim_id, campaign_index, member, code_index, cost, ClaimState::active, now, transaction, ""});
  campaigns_.claim_by_id_.emplace(request.claim_id, claim_index);
  changes.voucher_codes.push_back(code_index);
  Event event{EventKind::voucher_claimed, now, member, no_index, cost};
  event.voucher_code = code_index;
  changes.events.push_back(event);
  settle(changes);
  return Result::success();
}

Result Store::cancel_voucher_claim(std::string_view claim_id, std::string_view reason, std::string_view actor, UtcSeconds time,
                                   Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  if (reason.find_first_not_of(" \t") == std::string_view::npos || reason.size() > reason_bytes_max) {
    return Result::field("reason", "bắt buộc: vì sao hủy", "required: why it is cancelled");
  }
  const std::uint32_t claim_index = campaigns_.find_claim(claim_id);
  if (claim_index == no_index) return Result::failure(ResultCode::voucher_claim_not_found);
  VoucherClaim& claim = campaigns_.claims_[claim_index];
  if (claim.state == ClaimState::cancelled) return Result::failure(ResultCode::already_applied);
  if (campaigns_.codes_[claim.code].state == CodeState::used) return Result::failure(ResultCode::voucher_code_used);
  // After this point the command must succeed.
  campaigns_.void_code(claim.code);
  claim.state = ClaimState::cancelled;
  claim.cancel_reason = std::string(reason);
  if (claim.points > 0) {
    const std::array<PostingRequest, 2> postings = {PostingRequest{account_of(SystemAccount::redeemed), -claim.points},
                                                    PostingRequest{account_of(claim.member, MemberAccount::points), claim.points}};
    changes.transactions.push_back(
        ledger_.post(TransactionKind::voucher_claim_cancelled, now, now, claim_index, intern_actor(actor), postings));
    members_[claim.member].points_returned += claim.points;
    touch(claim.member, changes);
    // Back to the lots they came from, with their own expiry (expired meanwhile: at once).
    restore_portions(claim.transaction, 0, claim.points, now, changes);
  }
  changes.voucher_codes.push_back(claim.code);
  Event event{EventKind::voucher_claim_cancelled, now, claim.member, no_index, claim.points};
  event.voucher_code = claim.code;
  changes.events.push_back(event);
  settle(changes);
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Print runs and partner codes

Result Store::issue_voucher_codes(const VoucherIssueRequest& request, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  Result invalid{ResultCode::invalid_field, {}};
  if (!is_valid_key(request.batch_id, key_bytes_max)) {
    invalid.errors.push_back({"batch_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng", "required: printable ASCII without spaces"});
  }
  if (request.count < 1 || request.count > voucher_batch_codes_max) {
    invalid.errors.push_back({"count", "phải từ 1 đến 1000", "must be from 1 to 1000"});
  }
  check_seed(request.seed, invalid.errors);
  if (!invalid.errors.empty()) return invalid;
  const std::uint32_t campaign_index = campaigns_.find_campaign(request.campaign_id);
  if (campaign_index == no_index) return Result::failure(ResultCode::campaign_not_found);
  if (const std::uint32_t known = campaigns_.find_batch(request.batch_id); known != no_index) {
    const VoucherBatch& batch = campaigns_.batches_[known];
    if (batch.campaign != campaign_index || batch.source != CodeSource::bulk || batch.count != request.count) {
      return Result::failure(ResultCode::idempotency_key_conflict);
    }
    for (std::uint32_t i = 0; i < batch.count; ++i) changes.voucher_codes.push_back(batch.first_code + i);
    return Result::failure(ResultCode::already_applied);
  }
  const Campaign& campaign = campaigns_.campaigns_[campaign_index];
  if (campaign.status == CampaignStatus::ended) return Result::failure(ResultCode::campaign_ended);
  if (const ResultCode room = campaigns_.check_room(campaign, request.count); room != ResultCode::ok) return Result::failure(room);
  // After this point the command must succeed.
  const auto batch_index = static_cast<std::uint32_t>(campaigns_.batches_.size());
  const auto first_code = static_cast<std::uint32_t>(campaigns_.codes_.size());
  const std::uint64_t seed_bits = voucher_seed_bits(request.seed);
  const std::string draw_key = campaign.config.campaign_id + '\x1f' + request.batch_id;
  const std::string prefix = campaign.config.code_prefix;
  std::uint64_t draw = 0;
  for (std::int64_t issued = 0; issued < request.count; ++issued) {
    std::string code_text;
    for (int attempt = 0;; ++attempt, ++draw) {
      assert(attempt < draws_max);
      code_text = draw_voucher_code(seed_bits, draw_key, draw, prefix);
      if (campaigns_.find_code(code_text) == no_index) break;
    }
    ++draw;
    VoucherCode code;
    code.code = std::move(code_text);
    code.campaign = campaign_index;
    code.source = CodeSource::bulk;
    code.origin = batch_index;
    code.issued_at_utc = now;
    changes.voucher_codes.push_back(campaigns_.add_code(std::move(code)));
  }
  campaigns_.batches_.push_back(
      VoucherBatch{request.batch_id, campaign_index, CodeSource::bulk, first_code, static_cast<std::uint32_t>(request.count), now});
  campaigns_.batch_by_id_.emplace(request.batch_id, batch_index);
  settle(changes);
  return Result::success();
}

Result Store::import_voucher_codes(const VoucherIssueRequest& request, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  Result invalid{ResultCode::invalid_field, {}};
  if (!is_valid_key(request.batch_id, key_bytes_max)) {
    invalid.errors.push_back({"batch_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng", "required: printable ASCII without spaces"});
  }
  if (request.codes.empty() || static_cast<std::int64_t>(request.codes.size()) > voucher_batch_codes_max) {
    invalid.errors.push_back({"codes", "phải có từ 1 đến 1000 mã", "must hold 1 to 1000 codes"});
  }
  const std::uint32_t known_batch = campaigns_.find_batch(request.batch_id);
  std::vector<std::string> canonical;
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < request.codes.size() && i < static_cast<std::size_t>(voucher_batch_codes_max); ++i) {
    const std::string path = "codes[" + std::to_string(i) + "]";
    const std::optional<std::string> code = normalize_voucher_code(request.codes[i]);
    if (!code || code->size() < partner_code_chars_min || code->size() > partner_code_chars_max) {
      invalid.errors.push_back({path, "4 đến 32 chữ cái không dấu hoặc chữ số (khoảng trắng, dấu gạch ngang bỏ qua)",
                                "4 to 32 ASCII letters or digits (spaces and dashes ignored)"});
      continue;
    }
    if (!seen.insert(*code).second) {
      invalid.errors.push_back({path, "trùng với một mã trước đó trong danh sách", "repeats an earlier code of the list"});
    } else if (known_batch == no_index && campaigns_.find_code(*code) != no_index) {
      invalid.errors.push_back({path, "đã có trong cửa hàng", "is already in the store"});
    }
    canonical.push_back(*code);
  }
  if (!invalid.errors.empty()) return invalid;
  const std::uint32_t campaign_index = campaigns_.find_campaign(request.campaign_id);
  if (campaign_index == no_index) return Result::failure(ResultCode::campaign_not_found);
  if (known_batch != no_index) {
    const VoucherBatch& batch = campaigns_.batches_[known_batch];
    bool same = batch.campaign == campaign_index && batch.source == CodeSource::imported && batch.count == canonical.size();
    for (std::uint32_t i = 0; same && i < batch.count; ++i) same = campaigns_.codes_[batch.first_code + i].code == canonical[i];
    if (!same) return Result::failure(ResultCode::idempotency_key_conflict);
    for (std::uint32_t i = 0; i < batch.count; ++i) changes.voucher_codes.push_back(batch.first_code + i);
    return Result::failure(ResultCode::already_applied);
  }
  const Campaign& campaign = campaigns_.campaigns_[campaign_index];
  if (campaign.status == CampaignStatus::ended) return Result::failure(ResultCode::campaign_ended);
  const auto count = static_cast<std::int64_t>(canonical.size());
  if (const ResultCode room = campaigns_.check_room(campaign, count); room != ResultCode::ok) return Result::failure(room);
  // After this point the command must succeed.
  const auto batch_index = static_cast<std::uint32_t>(campaigns_.batches_.size());
  const auto first_code = static_cast<std::uint32_t>(campaigns_.codes_.size());
  for (std::string& text : canonical) {
    VoucherCode code;
    code.code = std::move(text);
    code.campaign = campaign_index;
    code.source = CodeSource::imported;
    code.origin = batch_index;
    code.issued_at_utc = now;
    changes.voucher_codes.push_back(campaigns_.add_code(std::move(code)));
  }
  campaigns_.batches_.push_back(
      VoucherBatch{request.batch_id, campaign_index, CodeSource::imported, first_code, static_cast<std::uint32_t>(count), now});
  campaigns_.batch_by_id_.emplace(request.batch_id, batch_index);
  settle(changes);
  return Result::success();
}

// ---------------------------------------------------------------------------------------------
// Codes on orders

VoucherCheck Store::plan_voucher(const VoucherUse& use, MemberIndex member, UtcSeconds time) const {
  VoucherCheck check;
  if (Result found = find_typed_code(campaigns_, use.code, "voucher_code", check.code); !found.ok()) {
    check.result = found;
    return check;
  }
  if (members_[member].status == MemberStatus::blocked) {
    check.result = Result::failure(ResultCode::member_blocked);
    return check;
  }
  const Vnd goods_vnd = use.amount_vnd - use.shipping_vnd;
  if (const ResultCode refusal = campaigns_.check_use(check.code, member, goods_vnd, time); refusal != ResultCode::ok) {
    check.result = Result::failure(refusal);
    return check;
  }
  const CampaignConfig& config = campaigns_.campaigns_[campaigns_.codes_[check.code].campaign].config;
  check.discount_vnd = campaign_discount_vnd(config, goods_vnd, use.shipping_vnd);
  return check;
}

static Result check_use_fields(const VoucherUse& use, bool need_order_id) {
  Result invalid{ResultCode::invalid_field, {}};
  if (need_order_id && !is_valid_key(use.order_id, order_id_bytes_max)) {
    invalid.errors.push_back({"order_id", "bắt buộc: ký tự ASCII in được, không khoảng trắng, tối đa 128 byte",
                              "required: printable ASCII without spaces, at most 128 bytes"});
  }
  if (use.amount_vnd < 0 || use.amount_vnd > amount_vnd_max) invalid.errors.push_back({"amount_vnd", "phải từ 0 đến 10^15", "must be from 0 to 10^15"});
  if (use.shipping_vnd < 0 || use.shipping_vnd > use.amount_vnd) {
    invalid.errors.push_back({"shipping_vnd", "phải từ 0 đến amount_vnd", "must be from 0 to amount_vnd"});
  }
  return invalid;
}

VoucherCheck Store::check_voucher(const VoucherUse& use, UtcSeconds time) const {
  VoucherCheck check;
  if (Result fields = check_use_fields(use, false); !fields.errors.empty()) {
    check.result = fields;
    return check;
  }
  const MemberIndex member = find_member(use.member_id);
  if (member == no_member) {
    check.result = Result::failure(ResultCode::member_not_found);
    return check;
  }
  return plan_voucher(use, member, time);
}

Result Store::use_voucher(const VoucherUse& use, UtcSeconds time, Changes& changes) {
  const UtcSeconds now = begin_write(time, changes);
  if (Result fields = check_use_fields(use, true); !fields.errors.empty()) return fields;
  const MemberIndex member = find_member(use.member_id);
  if (member == no_member) return Result::failure(ResultCode::member_not_found);
  std::uint32_t typed = no_index;
  if (Result found = find_typed_code(campaigns_, use.code, "code", typed); !found.ok()) return found;
  // Idempotent by order: the same order and code again changes nothing.
  if (const std::uint32_t known = campaigns_.code_of_order(use.order_id); known != no_index) {
    if (known != typed) return Result::failure(ResultCode::idempotency_key_conflict);
    changes.voucher_codes.push_back(known);
    return Result::failure(ResultCode::already_applied);
  }
  if (find_order(use.order_id) != no_index) {
    return Result::field("order_id", "đơn hàng đã được ghi nhận: gửi voucher_code cùng sự kiện đầu tiên của đơn hàng",
                         "the order is already recorded: send voucher_code with the order's first event");
  }
  const VoucherCheck check = plan_voucher(use, member, time);
  if (!check.result.ok()) return check.result;
  // After this point the command must succeed.
  campaigns_.use_code(check.code, use.order_id, check.discount_vnd, now);
  changes.voucher_codes.push_back(check.code);
  Event event{EventKind::voucher_used, now, member, no_index, 0};
  event.voucher_code = check.code;
  changes.events.push_back(event);
  settle(changes);
  return Result::success();
}

// The order command with a voucher_code: the core computes voucher_discount_vnd (or
// refuses a given one that differs), so the order earns on what was paid; the code is
// used once the order is accepted. The code comes with the order's first event; a later
// event of the same order may name it again (or not at all), never another.
Result Store::record_order(const OrderEvent& event, UtcSeconds time, Changes& changes) {
  if (event.voucher_code.empty() || event.status == OrderStatus::cancelled || event.status == OrderStatus::refunded ||
      !is_valid_key(event.order_id, order_id_bytes_max) || !check_order_amounts(event.amounts).ok() ||
      find_member(event.member_id) == no_member) {
    // Without a voucher, or refused before a voucher matters: the order's own checks answer.
    return record_order_event(event, time, changes);
  }
  auto refuse = [&](Result result) {
    begin_write(time, changes);   // a refused write still moves the clock
    return result;
  };
  const MemberIndex member = find_member(event.member_id);
  const VoucherUse use{event.voucher_code, event.member_id, event.order_id, event.amounts.amount_vnd, event.amounts.shipping_vnd};
  std::uint32_t typed = no_index;
  if (Result found = find_typed_code(campaigns_, use.code, "voucher_code", typed); !found.ok()) return refuse(found);
  const std::uint32_t used_by_order = campaigns_.code_of_order(event.order_id);
  const bool order_known = find_order(event.order_id) != no_index;
  if (used_by_order != typed && (order_known || used_by_order != no_index)) {
    return refuse(Result::field("voucher_code", "khác mã voucher đã ghi nhận cho đơn hàng", "differs from the voucher recorded for the order"));
  }
  OrderEvent priced = event;
  if (used_by_order == no_index) {
    const VoucherCheck check = plan_voucher(use, member, time);
    if (!check.result.ok()) return refuse(check.result);
    if (event.amounts.voucher_discount_vnd != 0 && event.amounts.voucher_discount_vnd != check.discount_vnd) {
      return refuse(Result::failure(ResultCode::voucher_discount_mismatch));
    }
    priced.amounts.voucher_discount_vnd = check.discount_vnd;
  } else if (!order_known) {
    // Used by use_voucher at the checkout, before the order was reported.
    const Vnd discount_vnd = campaigns_.codes_[used_by_order].discount_vnd;
    if (event.amounts.voucher_discount_vnd != 0 && event.amounts.voucher_discount_vnd != discount_vnd) {
      return refuse(Result::failure(ResultCode::voucher_discount_mismatch));
    }
    priced.amounts.voucher_discount_vnd = discount_vnd;
  }
  Result result = record_order_event(priced, time, changes);
  if (result.code != ResultCode::ok) return result;
  // After this point the command must succeed.
  const std::uint32_t order_index = changes.order;
  const Order& order = orders_[order_index];
  if (used_by_order == no_index && order.status != OrderStatus::cancelled) {
    campaigns_.use_code(typed, event.order_id, priced.amounts.voucher_discount_vnd, clock_utc_);
    Event used{EventKind::voucher_used, clock_utc_, member, order_index, 0};
    used.voucher_code = typed;
    changes.events.push_back(used);
  }
  changes.voucher_codes.push_back(typed);
  return result;
}

void Store::campaign_order_ended(std::uint32_t order_index, UtcSeconds now, Changes& changes) {
  const std::uint32_t code_index = campaigns_.code_of_order(orders_[order_index].order_id);
  if (code_index == no_index) return;
  const VoucherCode& code = campaigns_.codes_[code_index];
  const Campaign& campaign = campaigns_.campaigns_[code.campaign];
  // Given back while the campaign runs (paused counts: it may resume), and only when its
  // largest discount fits the budget again (other codes may have taken what it freed).
  const Vnd recommit = campaign_max_discount_vnd(campaign.config) - code.discount_vnd;
  const bool runs = campaign.status != CampaignStatus::ended && now < campaign.config.ends_at_utc;
  const bool fits = campaign.config.budget_vnd == 0 || campaign.committed_vnd + recommit <= campaign.config.budget_vnd;
  if (!runs || !fits) return;
  campaigns_.restore_code(code_index);
  changes.voucher_codes.push_back(code_index);
  Event event{EventKind::voucher_returned, now, orders_[order_index].member, order_index, 0};
  event.voucher_code = code_index;
  changes.events.push_back(event);
}

}  // namespace loyalty
