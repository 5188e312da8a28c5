// static_files.hpp: serves the console (index.html, console.js, console.wasm, ...) from
// the web root. Register it last: it answers every GET no other route took.
#pragma once
#include <filesystem>
#include <string_view>

namespace httplib {
class Server;
}

namespace loyalty::server::http {

void register_static_files(httplib::Server& server, std::filesystem::path web_root);

// The Content-Type for a file name, by its extension; application/octet-stream if unknown.
std::string_view content_type_for(const std::filesystem::path& file_path);

}  // namespace loyalty::server::http
