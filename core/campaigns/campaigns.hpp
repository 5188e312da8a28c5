// campaigns.hpp: voucher campaigns (chương trình voucher), their codes and claims.
//
// [SECTION] Campaign
// [SECTION] Codes, claims, batches
// [SECTION] Campaigns
//
// The Store composes one Campaigns: it owns the records and the rules that need no other
// domain (the configuration, the status transitions, quantity, per-member limit, budget,
// code lookup, the discount on an order). What touches members and points (the tier perk,
// the ledger debit of a claim, the order it is used on) is in store_campaigns.cpp.
//
// Budget (ngân sách): the VND of discounts a campaign may give. Every code that is not
// void commits VND to it: an unused code its largest discount (the fixed amount, or the
// maximum of a percentage or free shipping), a used code the discount it actually gave,
// a void code nothing. A command that would make the committed total exceed the budget is
// refused, and a code given back by a refund is given back only when its largest discount
// fits again: the budget is never exceeded, whatever happens in between.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/basics/json_fields.hpp"
#include "core/basics/money.hpp"
#include "core/basics/results.hpp"
#include "core/basics/time.hpp"
#include "core/ledger/ledger.hpp"

namespace loyalty {

// [SECTION] Campaign ---------------------------------------------------------------------
// draft: being prepared, nobody can claim; hidden (Ẩn): not listed, claimable only by its
// target group; visible: listed and claimable (by its target group only, when it has one);
// paused: nothing can be claimed or used until it is resumed; ended: final. A campaign
// ends by itself when the store's clock reaches its ends_at (Store::begin_write: time
// passing is due work, so a replay ends it at the same moment).
enum class CampaignStatus : std::uint8_t { draft, hidden, visible, paused, ended };
std::string_view campaign_status_name(CampaignStatus status);
std::optional<CampaignStatus> campaign_status_from_name(std::string_view name);
// draft -> hidden, visible, ended; hidden, visible, paused -> one another and ended; ended: none.
bool campaign_status_change_allowed(CampaignStatus from, CampaignStatus to);

enum class RewardKind : std::uint8_t { fixed_amount, percentage, free_shipping, gift };
std::string_view reward_kind_name(RewardKind kind);

struct CampaignReward {
  RewardKind kind = RewardKind::fixed_amount;
  Vnd amount_vnd = 0;             // fixed_amount: the discount
  BasisPoints percent_bp = 0;     // percentage: of the goods (amount - shipping), rounded down to whole VND
  Vnd max_discount_vnd = 0;       // percentage and free_shipping: the largest discount
  std::string gift_vi;            // gift: what the member receives
  std::string gift_en;
  friend bool operator==(const CampaignReward&, const CampaignReward&) = default;
};

struct CampaignConfig {
  std::string campaign_id;
  std::string name;                // Vietnamese
  std::string name_en;             // optional
  std::string description;
  UtcSeconds starts_at_utc = 0;    // claims and uses from this second on...
  UtcSeconds ends_at_utc = 0;      // ...until before this one
  CampaignReward reward;
  Vnd min_order_vnd = 0;           // the goods (amount - shipping) must reach it
  Points point_cost = 0;           // 0: free to claim
  std::int64_t total_quantity = 0; // codes that are not void, claimed or printed
  std::int64_t limit_per_member = 1;   // claims per member that are not cancelled
  std::string target_group_id;     // empty: everyone
  Vnd budget_vnd = 0;              // 0: no budget
  std::string code_prefix;         // from the code alphabet, at most 8
  friend bool operator==(const CampaignConfig&, const CampaignConfig&) = default;
};

struct CampaignConfigReading {
  std::optional<CampaignConfig> config;   // set only when errors is empty
  std::vector<FieldError> errors;
};
CampaignConfigReading read_campaign_config(const Json& document, std::string_view path = "campaign");
Json campaign_config_to_json(const CampaignConfig& config);
// The most a code of the campaign can take off an order: what an unused code commits.
Vnd campaign_max_discount_vnd(const CampaignConfig& config);
// The discount on an order of `goods_vnd` (amount - shipping) with `shipping_vnd`.
Vnd campaign_discount_vnd(const CampaignConfig& config, Vnd goods_vnd, Vnd shipping_vnd);
// A claim's cost after a tier's voucher_point_discount: the discount rounded down, so
// the cost is rounded up (100 points at 500 bp: 95; 30 at 500 bp: 28.5 -> 29).
Points campaign_point_cost(Points point_cost, BasisPoints discount_bp);

struct Campaign {
  CampaignConfig config;
  CampaignStatus status = CampaignStatus::draft;
  UtcSeconds saved_at_utc = 0;
  // Derived from the codes (recomputed on load, checked by check_invariants).
  std::int64_t codes_live = 0;     // not void
  std::int64_t codes_used = 0;
  Vnd committed_vnd = 0;
};

// [SECTION] Codes, claims, batches ----------------------------------------------------------
enum class CodeSource : std::uint8_t { claimed, bulk, imported };
enum class CodeState : std::uint8_t { unused, used, voided };
std::string_view code_source_name(CodeSource source);
std::string_view code_state_name(CodeState state);

struct VoucherCode {
  std::string code;                       // canonical: upper case, no separators
  std::uint32_t campaign = 0;
  MemberIndex owner = no_member;          // no_member: a bearer code (printed or imported)
  CodeSource source = CodeSource::claimed;
  CodeState state = CodeState::unused;
  std::uint32_t origin = 0;               // the claim (claimed) or the batch (bulk, imported)
  UtcSeconds issued_at_utc = 0;
  std::string order_id;                   // used: the order it was used on
  Vnd discount_vnd = 0;                   // used: the discount it gave
  UtcSeconds used_at_utc = 0;
};

enum class ClaimState : std::uint8_t { active, cancelled };
struct VoucherClaim {
  std::string claim_id;
  std::uint32_t campaign = 0;
  MemberIndex member = no_member;
  std::uint32_t code = 0;
  Points points = 0;                      // paid, after the tier perk
  ClaimState state = ClaimState::active;
  UtcSeconds claimed_at_utc = 0;
  std::uint32_t transaction = UINT32_MAX; // voucher_claimed (none when free)
  std::string cancel_reason;
};

struct VoucherBatch {
  std::string batch_id;
  std::uint32_t campaign = 0;
  CodeSource source = CodeSource::bulk;
  std::uint32_t first_code = 0;           // codes first_code .. first_code + count - 1
  std::uint32_t count = 0;
  UtcSeconds time_utc = 0;
};

inline constexpr std::int64_t voucher_batch_codes_max = 1000;   // codes per issue or import command

// [SECTION] Campaigns -----------------------------------------------------------------------
class Campaigns {
 public:
  const std::vector<Campaign>& campaigns() const { return campaigns_; }
  const std::vector<VoucherCode>& codes() const { return codes_; }
  const std::vector<VoucherClaim>& claims() const { return claims_; }
  const std::vector<VoucherBatch>& batches() const { return batches_; }
  std::uint32_t find_campaign(std::string_view campaign_id) const;   // UINT32_MAX when unknown
  std::uint32_t find_code(std::string_view canonical) const;
  std::uint32_t find_claim(std::string_view claim_id) const;
  std::uint32_t find_batch(std::string_view batch_id) const;
  std::uint32_t code_of_order(std::string_view order_id) const;      // the code used on it
  // Claims of a member in a campaign that are not cancelled.
  std::int64_t member_claims(std::uint32_t campaign, MemberIndex member) const;
  std::vector<std::uint32_t> member_codes(MemberIndex member) const;  // in issue order
  // What a code commits to its campaign's budget (see the top of this file).
  Vnd committed_by(const VoucherCode& code) const;
  // The refusal of a code on an order (ok when it can be used): everything but the member.
  // `time` is the order's time (the campaign's window); status is as it stands.
  ResultCode check_use(std::uint32_t code, MemberIndex member, Vnd goods_vnd, UtcSeconds time) const;
  // Status, window, quantity and budget for `count` new codes at `time` (not the member).
  ResultCode check_status_and_window(const Campaign& campaign, UtcSeconds time) const;
  ResultCode check_room(const Campaign& campaign, std::int64_t count) const;
  // The earliest ends_at of a campaign not ended (INT64_MAX: none): when one ends by itself.
  UtcSeconds next_end_utc() const { return next_end_utc_; }
  std::string check_invariants(std::size_t members) const;   // empty when all hold
  std::size_t memory_bytes() const;

 private:
  friend class Store;
  friend class StoreSnapshot;
  std::uint32_t add_code(VoucherCode code);                  // counts it in its campaign
  void use_code(std::uint32_t code, std::string_view order_id, Vnd discount_vnd, UtcSeconds time);
  void restore_code(std::uint32_t code);                     // used -> unused
  void void_code(std::uint32_t code);                        // unused -> voided
  void recount();                                            // the derived counters, from the codes
  void refresh_next_end();                                   // next_end_utc_, after a save, a status change or an end
  void end_due(UtcSeconds time);                             // campaigns not ended whose ends_at <= time: ended
  std::string rebuild_lookups();                             // after a snapshot is read

  std::vector<Campaign> campaigns_;
  std::vector<VoucherCode> codes_;
  std::vector<VoucherClaim> claims_;
  std::vector<VoucherBatch> batches_;
  std::unordered_map<std::string, std::uint32_t> campaign_by_id_;
  std::unordered_map<std::string, std::uint32_t> code_by_text_;
  std::unordered_map<std::string, std::uint32_t> claim_by_id_;
  std::unordered_map<std::string, std::uint32_t> batch_by_id_;
  std::unordered_map<std::string, std::uint32_t> code_by_order_;
  UtcSeconds next_end_utc_ = INT64_MAX;                      // derived: see next_end_utc()
};

}  // namespace loyalty
