#include "core/notifications/notification_metrics.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/store.hpp"

namespace loyalty {

namespace {
// Revenue is a sum of amounts each at most 10^15: it could pass int64 only in a store far
// beyond any real one, and then it stays at the largest value rather than wrapping.
Vnd add_saturating(Vnd sum, Vnd amount) {
  Vnd result = 0;
  return __builtin_add_overflow(sum, amount, &result) ? (amount > 0 ? INT64_MAX : INT64_MIN) : result;
}
}  // namespace

std::vector<NotificationFigures> notification_figures(const Store& store, UtcSeconds from, UtcSeconds to,
                                                      std::int32_t attribution_days, std::vector<CampaignAttribution>& by_campaign) {
  const Notifications& notifications = store.notifications();
  const CustomerGroups& groups = store.groups();
  const UtcSeconds window_s = static_cast<UtcSeconds>(attribution_days) * seconds_per_day;
  std::map<std::string, std::set<std::uint32_t>> campaign_orders;
  // The member's orders completed in [from, to) within the window after `opened_at`.
  auto attribute = [&](NotificationFigures& figures, MemberIndex member, UtcSeconds opened_at, std::set<std::uint32_t>& counted) {
    if (figures.campaign_id.empty()) return;
    for (std::uint32_t order = groups.first_order_of(member); order != UINT32_MAX; order = groups.next_order_of_member(order)) {
      const CustomerGroups::OrderFact& fact = groups.order_facts()[order];
      if (fact.completed_at_utc == INT64_MAX || fact.completed_at_utc <= opened_at || fact.completed_at_utc > opened_at + window_s) continue;
      if (fact.completed_at_utc < from || fact.completed_at_utc >= to || !counted.insert(order).second) continue;
      ++figures.attributed_orders;
      figures.attributed_revenue_vnd = add_saturating(figures.attributed_revenue_vnd, fact.spent_vnd);
      campaign_orders[figures.campaign_id].insert(order);
    }
  };
  auto campaign_of = [](const MessageTarget& target) { return target.kind == TargetKind::campaign ? target.campaign_id : std::string(); };

  std::vector<NotificationFigures> list;
  for (const Notification& notification : notifications.notifications()) {
    NotificationFigures figures;
    figures.id = notification.config.notification_id;
    figures.campaign_id = campaign_of(notification.config.target);
    figures.deliveries = notification.audience_count;
    figures.sent = notification.sent_count;
    figures.failed = notification.failed_count;
    figures.skipped = notification.skipped_count;
    figures.opened = notification.opened_count;
    figures.clicked = notification.clicked_count;
    std::set<std::uint32_t> counted;
    for (const DeliveryOpen& open : notification.opens) {
      figures.opened_in_period += open.opened_at_utc >= from && open.opened_at_utc < to;
      attribute(figures, open.member, open.opened_at_utc, counted);
    }
    list.push_back(std::move(figures));
  }
  const std::size_t first_scenario = list.size();
  for (const Scenario& scenario : notifications.scenarios()) {
    NotificationFigures figures;
    figures.scenario = true;
    figures.id = scenario.config.scenario_id;
    figures.campaign_id = campaign_of(scenario.config.target);
    list.push_back(std::move(figures));
  }
  std::vector<std::set<std::uint32_t>> counted(notifications.scenarios().size());
  for (const ScenarioOccasion& occasion : notifications.occasions()) {
    NotificationFigures& figures = list[first_scenario + occasion.scenario];
    ++figures.deliveries;
    figures.sent += (occasion.flags & delivery_flag::sent) != 0;
    figures.failed += (occasion.flags & delivery_flag::failed) != 0;
    figures.skipped += (occasion.flags & delivery_flag::skipped) != 0;
    figures.opened += (occasion.flags & delivery_flag::opened) != 0;
    figures.clicked += (occasion.flags & delivery_flag::clicked) != 0;
    if ((occasion.flags & delivery_flag::opened) == 0) continue;
    figures.opened_in_period += occasion.opened_at_utc >= from && occasion.opened_at_utc < to;
    attribute(figures, occasion.member, occasion.opened_at_utc, counted[occasion.scenario]);
  }
  by_campaign.clear();
  for (const auto& [campaign_id, orders] : campaign_orders) {
    CampaignAttribution attribution{campaign_id, static_cast<std::int64_t>(orders.size()), 0};
    for (const std::uint32_t order : orders) attribution.revenue_vnd = add_saturating(attribution.revenue_vnd, groups.order_facts()[order].spent_vnd);
    by_campaign.push_back(std::move(attribution));
  }
  return list;
}

}  // namespace loyalty
