// insights.hpp: reads that measure the program and try changes to it before they are saved.
//
// [SECTION] Shared
// [SECTION] Program impact
// [SECTION] Backtest
// [SECTION] Metrics
//
// Every function here is a read: it takes the store by const reference, keeps its scratch
// state on its own, and changes nothing (a test compares the store's snapshot bytes before
// and after). Nothing is journaled. Money and points are int64; sums that could pass int64
// are added in 128 bits and refused with amount_too_large rather than wrapped.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/notifications/notification_metrics.hpp"
#include "core/store.hpp"

namespace loyalty {

// [SECTION] Shared ------------------------------------------------------------------------------
// When each refund (store.refunds() index) was applied, read from the ledger: the time of the
// transactions it posted (reversal, tier reversal, points returned, pending points cancelled).
// A refund that moved no points posted nothing; it is dated at the latest refund dated before
// it (refunds are kept in the order they were applied), and never before its order completed.
// Only transactions posted from `from` on are read: refunds applied before it are dated
// before it, not exactly.
std::vector<UtcSeconds> refund_times(const Store& store, UtcSeconds from);
// The first transaction posted at or after `time` (transactions are in posting order).
std::uint32_t first_transaction_at(const Ledger& ledger, UtcSeconds time);

struct TierMove {
  MemberIndex member = no_member;
  std::int32_t tier_from = -1;           // -1: no tier
  std::int32_t tier_to = -1;
  std::int64_t measure_from = 0;         // what each program's tiers qualify by (tier points, VND or orders) in its period
  std::int64_t measure_to = 0;
};

// [SECTION] Program impact ----------------------------------------------------------------------
// What saving `candidate` would do to the members' tiers and to the store's liability, at
// `time`: each member's tier as the store computes it (Store::tier_with_rules over the
// member's tier history, retention and manual tier), under each program.
struct ProgramImpact {
  std::int64_t members = 0;
  std::vector<std::int64_t> members_by_tier_now;     // by the current program's tiers, "none" last
  std::vector<std::int64_t> members_by_tier_after;   // by the candidate's tiers, "none" last
  std::int64_t moved_up = 0;                          // a higher place in the ladder (none is below the first tier)
  std::int64_t moved_down = 0;
  std::vector<TierMove> sample;                       // the first movers, in member order
  Points outstanding_points = 0;
  Vnd point_value_vnd_now = 0;
  Vnd point_value_vnd_after = 0;
  Vnd liability_vnd_now = 0;
  Vnd liability_vnd_after = 0;
};
// `current` is the program in force at `time`.
ProgramImpact program_impact(const Store& store, const ProgramConfig& current, const ProgramConfig& candidate,
                             UtcSeconds time, std::size_t sample_limit);

// [SECTION] Backtest ----------------------------------------------------------------------------
struct BacktestFigures {
  Points buyer_points = 0;        // earned by the orders completed in [from, to)
  Points referrer_points = 0;
  Points bonus_points = 0;        // fixed bonuses (welcome, first order, referral, profile, tier-up) counting from [from, to)
  Points points_reversed = 0;     // taken back by refunds applied in [from, to), of any order (bonuses too)
  Points points_net = 0;          // buyer + referrer + bonus − reversed
  Vnd points_net_value_vnd = 0;   // at the figures' point value
  TierPoints tier_points = 0;     // earned by the orders completed in [from, to)
  std::vector<std::int64_t> members_by_tier;   // at `to` (its last second), "none" last; not yet members: none
  Points outstanding_points = 0;  // now; the candidate's: now + its net − the current net
  Vnd outstanding_value_vnd = 0;
  Vnd point_value_vnd = 0;
};
struct Backtest {
  std::int64_t orders = 0;          // completed in [from, to)
  std::int64_t refunds = 0;         // applied in [from, to)
  std::int64_t orders_replayed = 0; // every order completed before `to` (the tier points before the period count)
  BacktestFigures current;          // what the store gave
  BacktestFigures candidate;        // what the candidate would have given
  std::int64_t moved_up = 0;        // tier at `to`: candidate against current
  std::int64_t moved_down = 0;
  std::vector<TierMove> sample;
  ResultCode code = ResultCode::ok; // amount_too_large when a sum does not fit int64
};
// `current` is the program in force at `to` (its tiers and point value); the store's figures
// are read from its orders and its ledger, the candidate's from a replay of the same orders.
Backtest backtest_program(const Store& store, const ProgramConfig& current, const ProgramConfig& candidate, UtcSeconds from,
                          UtcSeconds to, std::size_t sample_limit);

// [SECTION] Metrics -----------------------------------------------------------------------------
enum class MetricsBucket : std::uint8_t { day, week, month };
std::string_view metrics_bucket_name(MetricsBucket bucket);
std::optional<MetricsBucket> metrics_bucket_from_name(std::string_view name);
inline constexpr std::size_t metrics_buckets_max = 400;

// One span of time's figures. Later work adds campaign claims and uses and notification
// deliveries and opens here (the JSON is an object per bucket, so fields can be added).
struct MetricsFigures {
  UtcSeconds start_utc = 0;
  UtcSeconds end_utc = 0;                // exclusive
  std::string label;                     // local: "2027-02-28", "2027-W09", "2027-02"; "total"
  std::int64_t members_total = 0;        // joined before the end
  std::int64_t members_new = 0;          // joined in [start, end)
  std::int64_t active_members_30d = 0;   // completed an order in the 30 days before the end
  std::int64_t active_members_90d = 0;
  std::int64_t orders = 0;               // completed in [start, end)
  std::int64_t buyers = 0;               // distinct members among them
  std::int64_t repeat_buyers = 0;        // buyers with a second order: another one in the span, or one before it
  std::optional<BasisPoints> repeat_purchase_rate_bp;   // repeat_buyers / buyers, rounded down; none without buyers
  Vnd revenue_vnd = 0;                   // paid for those orders (amount − voucher − points) − refunds applied in the span
  Vnd refunds_vnd = 0;
  Points points_issued = 0;              // from the pool to members: orders, birthday perk, staff giving points
  Points points_reversed = 0;            // back to the pool: refunds, pending points cancelled
  Points points_redeemed = 0;            // spent (vouchers, paying for orders) − returned with refunds
  Points points_expired = 0;
  Points points_outstanding = 0;         // members' balances at the end
  std::optional<BasisPoints> redemption_rate_bp;        // redeemed / issued, rounded down; none without issued
  Vnd point_value_vnd = 0;               // of the program in force at the end (0: none)
  Vnd points_issued_value_vnd = 0;       // the points above at that value
  Vnd points_redeemed_value_vnd = 0;
  Vnd points_expired_value_vnd = 0;
  Vnd points_outstanding_value_vnd = 0;
};
// ----- voucher campaigns in the period (campaign_metrics.cpp) -----
// One campaign's figures over [from, to): claims and print runs by when they were made,
// uses by when the code was used (a use a refund gave back no longer counts), and the
// orders attributed to the campaign: completed in the period with one of its codes.
struct CampaignFigures {
  std::uint32_t campaign = 0;            // store.campaigns().campaigns() index
  std::int64_t claims = 0;               // claims made in the period, cancelled ones too
  std::int64_t claims_cancelled = 0;     // of those, cancelled since
  Points claim_points = 0;               // paid for those claims and not given back by a cancel
  std::int64_t codes_bulk = 0;           // printed (issue_voucher_codes) in the period
  std::int64_t codes_imported = 0;       // partners' codes imported in the period
  std::int64_t uses = 0;                 // codes used in the period that stay used
  Vnd discount_vnd = 0;                  // the discounts those uses gave
  std::int64_t orders = 0;               // orders completed in the period with a code of the campaign
  Vnd orders_paid_vnd = 0;               // what members paid for them (amount − voucher − points − refunds)
};
// Every campaign of the store, in campaign order: a pass over the claims and the codes (and
// one order lookup per used code), nothing over all orders or members.
// nullopt: a sum does not fit int64 (amount_too_large).
std::optional<std::vector<CampaignFigures>> campaign_metrics(const Store& store, UtcSeconds from, UtcSeconds to);

struct Metrics {
  TimeZone zone;
  std::vector<MetricsFigures> series;
  MetricsFigures total;
  std::vector<std::int64_t> members_by_tier;   // at `to`, by the program in force then, "none" last
  std::vector<CampaignFigures> campaigns;      // voucher campaigns over the whole period
  ResultCode code = ResultCode::ok;            // too_many_buckets, amount_too_large
  std::vector<NotificationFigures> notifications;   // each notification, then each scenario (notification_metrics.hpp)
  std::vector<CampaignAttribution> campaign_attribution;
};
// The spans of [from, to) cut at the store's local days, ISO weeks (Monday) or months.
std::vector<MetricsFigures> metrics_buckets(UtcSeconds from, UtcSeconds to, MetricsBucket bucket, const TimeZone& zone,
                                            std::size_t limit);
Metrics store_metrics(const Store& store, UtcSeconds from, UtcSeconds to, MetricsBucket bucket,
                      std::int32_t attribution_days = attribution_days_default);

}  // namespace loyalty
