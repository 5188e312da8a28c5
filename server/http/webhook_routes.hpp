// webhook_routes.hpp: a store's outgoing webhook endpoints over HTTP (owner only:
// Permission::manage_webhooks). Delivery itself is server/webhooks/webhook_dispatcher.hpp.
//
//   GET    /api/v1/stores/{store_id}/webhooks                      the endpoints
//   POST   /api/v1/stores/{store_id}/webhooks                      {url, event_types?} -> 201
//          {webhook, secret}: the secret ("whsec_...") is shown this once
//   PATCH  /api/v1/stores/{store_id}/webhooks/{id}                 {url?, event_types?, enabled?}
//   DELETE /api/v1/stores/{store_id}/webhooks/{id}                 removes it and its log
//   GET    /api/v1/stores/{store_id}/webhooks/{id}/deliveries?after=&limit=
//          every attempt, oldest first: {deliveries, has_more, next_cursor}
//
// event_types is a list of the core's event kinds ("points_earned", "tier_changed", ...) or
// ["*"] for all (the default). A new endpoint receives the events recorded after its
// creation. Enabling an endpoint (or changing its URL) clears its failures and tries at once;
// a disabled endpoint keeps its place and, enabled again, receives what it missed.
// Every change is in the audit log (webhook.created, webhook.updated, webhook.deleted; the
// dispatcher writes webhook.disabled).
#pragma once

namespace httplib {
class Server;
}
namespace loyalty::server::storage {
class Database;
}
namespace loyalty::server::auth {
class Authenticator;
}

namespace loyalty::server::http {

void register_webhook_routes(httplib::Server& server, storage::Database& database,
                             auth::Authenticator& authenticator);

}  // namespace loyalty::server::http
