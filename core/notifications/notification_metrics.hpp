// notification_metrics.hpp: what notifications and scenarios did, for the metrics read
// (core/insights): deliveries, opens and clicks, and the orders they led to.
//
// An order is attributed to a notification (or scenario) that opens a voucher campaign's
// page when its member opened that message and completed the order within
// `attribution_days` after the open (open < completed ≤ open + N days). Counting walks
// only the opens and each opener's own orders, never the whole order list.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/basics/money.hpp"
#include "core/basics/time.hpp"

namespace loyalty {

class Store;

struct NotificationFigures {
  bool scenario = false;
  std::string id;                          // notification_id or scenario_id
  std::string campaign_id;                 // the target campaign; empty: none
  std::int64_t deliveries = 0;             // a notification's audience; a scenario's occasions
  std::int64_t sent = 0;                   // as the store stands
  std::int64_t failed = 0;
  std::int64_t skipped = 0;
  std::int64_t opened = 0;
  std::int64_t clicked = 0;
  std::int64_t opened_in_period = 0;       // opens marked in [from, to)
  std::int64_t attributed_orders = 0;      // completed in [from, to) after an open of it
  Vnd attributed_revenue_vnd = 0;          // what those orders paid, less refunds
};

struct CampaignAttribution {
  std::string campaign_id;
  std::int64_t orders = 0;                 // distinct orders, whichever message led to them
  Vnd revenue_vnd = 0;
};

inline constexpr std::int32_t attribution_days_default = 7;
inline constexpr std::int32_t attribution_days_max = 90;

std::vector<NotificationFigures> notification_figures(const Store& store, UtcSeconds from, UtcSeconds to,
                                                      std::int32_t attribution_days, std::vector<CampaignAttribution>& by_campaign);

}  // namespace loyalty
