// demo_routes.hpp: GET /api/v1/auth/demo, what the console's sign-in screen shows about the
// demo store: its accounts and their documented passwords (README, "Demo").
//
// The answer is {"demo": null} unless the server was started with --demo-store and hosts
// the demo store; then {"demo": {"store_id", "store_name", "accounts": [{"email",
// "password", "role"}]}}. Public and read-only: the demo is meant to be tried, and a
// server started without --demo-store (production) says nothing.
#pragma once

namespace httplib {
class Server;
}
namespace loyalty::server::hosting {
class StoreRegistry;
}

namespace loyalty::server::http {

// `demo_store_enabled`: the server was started with --demo-store.
void register_demo_routes(httplib::Server& server, const hosting::StoreRegistry& stores,
                          bool demo_store_enabled);

}  // namespace loyalty::server::http
