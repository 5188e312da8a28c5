#include "server/http/meta_routes.hpp"

#include <httplib.h>

#include <string>

#include "server/http/api_metrics.hpp"

namespace loyalty::server::http {

void register_meta_routes(httplib::Server& server, const hosting::StoreRegistry& stores, const ApiMetrics& metrics) {
  server.Get("/api/v1/openapi.json", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(std::string(openapi_document()), "application/json; charset=utf-8");
  });
  // For a Prometheus scraper inside the operator's network (the README says to keep it off
  // the public side of the reverse proxy): counts only, no store data.
  server.Get("/metrics", [&stores, &metrics](const httplib::Request&, httplib::Response& response) {
    response.set_content(metrics.render(stores), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace loyalty::server::http
