// campaign_metrics.cpp: the voucher campaigns' part of the store's metrics (insights.hpp,
// CampaignFigures): claims, print runs, uses, discounts and the orders codes were used on.
#include <cassert>

#include "core/insights/insights.hpp"

namespace loyalty {

std::optional<std::vector<CampaignFigures>> campaign_metrics(const Store& store, UtcSeconds from, UtcSeconds to) {
  const Campaigns& campaigns = store.campaigns();
  std::vector<CampaignFigures> figures(campaigns.campaigns().size());
  // Sums of VND and points over up to millions of codes: added in 128 bits, checked at the end.
  std::vector<__int128> claim_points(figures.size(), 0), discount(figures.size(), 0), paid(figures.size(), 0);
  for (std::uint32_t i = 0; i < figures.size(); ++i) figures[i].campaign = i;
  auto in_period = [&](UtcSeconds time) { return time >= from && time < to; };

  for (const VoucherClaim& claim : campaigns.claims()) {
    if (!in_period(claim.claimed_at_utc)) continue;
    CampaignFigures& campaign = figures[claim.campaign];
    campaign.claims += 1;
    if (claim.state == ClaimState::cancelled) {
      campaign.claims_cancelled += 1;
    } else {
      claim_points[claim.campaign] += claim.points;
    }
  }
  for (const VoucherBatch& batch : campaigns.batches()) {
    if (!in_period(batch.time_utc)) continue;
    (batch.source == CodeSource::bulk ? figures[batch.campaign].codes_bulk : figures[batch.campaign].codes_imported) += batch.count;
  }
  for (const VoucherCode& code : campaigns.codes()) {
    if (code.state != CodeState::used) continue;
    CampaignFigures& campaign = figures[code.campaign];
    if (in_period(code.used_at_utc)) {
      campaign.uses += 1;
      discount[code.campaign] += code.discount_vnd;
    }
    // A code is used once an order is accepted with it, or at the checkout (use_voucher)
    // before the order is reported: attributed once the order completes.
    const std::uint32_t order_index = store.find_order(code.order_id);
    if (order_index == UINT32_MAX) continue;
    const Order& order = store.orders()[order_index];
    if (order.program_version == 0 || order.status == OrderStatus::cancelled || !in_period(order.completed_at_utc)) continue;
    campaign.orders += 1;
    paid[code.campaign] += order.amounts.amount_vnd - order.amounts.voucher_discount_vnd - order.amounts.paid_with_points_vnd -
                           order.refunded_vnd;
  }
  for (CampaignFigures& campaign : figures) {
    const std::size_t i = campaign.campaign;
    for (const __int128 sum : {claim_points[i], discount[i], paid[i]}) {
      if (sum > INT64_MAX || sum < INT64_MIN) return std::nullopt;
    }
    campaign.claim_points = static_cast<Points>(claim_points[i]);
    campaign.discount_vnd = static_cast<Vnd>(discount[i]);
    campaign.orders_paid_vnd = static_cast<Vnd>(paid[i]);
    assert(campaign.claims_cancelled <= campaign.claims && campaign.discount_vnd >= 0);
  }
  return figures;
}

}  // namespace loyalty
