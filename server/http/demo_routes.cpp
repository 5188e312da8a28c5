#include "server/http/demo_routes.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "server/hosting/demo_store.hpp"
#include "server/hosting/store_registry.hpp"

namespace loyalty::server::http {

void register_demo_routes(httplib::Server& server, const hosting::StoreRegistry& stores,
                          bool demo_store_enabled) {
  server.Get("/api/v1/auth/demo", [&stores, demo_store_enabled](const httplib::Request&,
                                                                httplib::Response& response) {
    nlohmann::json demo = nullptr;
    // A database that had other stores before --demo-store was given has no demo store:
    // then there is nothing to try, and the note would only mislead.
    const hosting::StoreHost* host =
        demo_store_enabled ? stores.find(hosting::demo_store_id) : nullptr;
    if (host != nullptr) {
      nlohmann::json accounts = nlohmann::json::array();
      for (const hosting::DemoAccount& account : hosting::demo_accounts) {
        accounts.push_back({{"email", account.email},
                            {"password", account.password},
                            {"role", std::string(auth::role_name(account.role))}});
      }
      demo = {{"store_id", host->record().store_id},
              {"store_name", host->record().name},
              {"accounts", std::move(accounts)}};
    }
    response.set_header("Cache-Control", "no-store");
    response.set_content(nlohmann::json{{"demo", std::move(demo)}}.dump(),
                         "application/json; charset=utf-8");
  });
}

}  // namespace loyalty::server::http
