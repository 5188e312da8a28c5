#include "server/http/routes.hpp"

#include <httplib.h>

#include "server/http/api_errors.hpp"
#include "server/http/auth_routes.hpp"
#include "server/http/demo_routes.hpp"
#include "server/http/health_routes.hpp"
#include "server/http/api_metrics.hpp"
#include "server/http/meta_routes.hpp"
#include "server/http/request_log.hpp"
#include "server/http/static_files.hpp"
#include "server/http/store_routes.hpp"
#include "server/http/webhook_routes.hpp"

namespace loyalty::server::http {

void register_routes(httplib::Server& server, const RouteContext& context) {
  static ApiMetrics metrics;
  install_request_log(server, metrics);
  install_error_handlers(server);
  // httplib tries routes in registration order: the API first, then its 404 for unknown
  // API paths, then the console's files for everything else.
  register_health_routes(server, context.database, context.started_at);
  register_auth_routes(server, context.database, context.authenticator);
  register_demo_routes(server, context.stores, context.demo_store_enabled);
  // The store's routes live as long as the server, like what they refer to.
  static IdempotencyInFlight in_flight;
  static StoreApiContext store_context{context.stores, context.authenticator, context.database, context.now_utc, in_flight};
  register_store_routes(server, store_context);
  register_webhook_routes(server, context.database, context.authenticator);
  register_meta_routes(server, context.stores, metrics);
  register_api_fallback_routes(server);
  register_static_files(server, context.web_root);
}

}  // namespace loyalty::server::http
