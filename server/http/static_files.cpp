#include "server/http/static_files.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "server/http/api_errors.hpp"

namespace loyalty::server::http {
namespace {

struct ContentType {
  std::string_view extension;
  std::string_view type;
};

// Browsers refuse to compile wasm streamingly unless it is application/wasm, and refuse
// module scripts served as anything but JavaScript; hence the explicit list.
constexpr ContentType content_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript"},
    {".mjs", "text/javascript"},
    {".wasm", "application/wasm"},
    {".data", "application/octet-stream"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".jsonl", "application/jsonl; charset=utf-8"},   // the offline demo store's commands
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".ttf", "font/ttf"},
    {".otf", "font/otf"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".csv", "text/csv; charset=utf-8"},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
};

enum class PathVerdict { allowed, traversal, hidden };

// Splits the decoded request path into segments, refusing anything that could leave the
// web root. httplib has already percent-decoded the path, so "/%2e%2e/" arrives as "/../".
PathVerdict split_request_path(std::string_view path, std::vector<std::string_view>& segments) {
  if (path.empty() || path.front() != '/') return PathVerdict::traversal;
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return PathVerdict::traversal;
  }
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == ".." || segment == ".") return PathVerdict::traversal;
    // Dot files (.git, .env) are never part of the console.
    if (!segment.empty() && segment.front() == '.') return PathVerdict::hidden;
    if (!segment.empty()) segments.push_back(segment);
    start = end + 1;
  }
  return PathVerdict::allowed;
}

// Changes whenever the file is rebuilt, so "no-cache" costs a 304 round trip, not a
// download of the wasm.
std::string entity_tag(std::uintmax_t size_bytes, std::filesystem::file_time_type modified_at) {
  const auto modified_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(modified_at.time_since_epoch())
          .count();
  char text[64];
  std::snprintf(text, sizeof text, "\"%jx-%llx\"", size_bytes,
                static_cast<unsigned long long>(modified_ns));
  return text;
}

bool read_whole_file(const std::filesystem::path& file_path, std::uintmax_t size_bytes,
                     std::string& content) {
  std::ifstream stream(file_path, std::ios::binary);
  if (!stream) return false;
  content.resize(static_cast<std::size_t>(size_bytes));
  stream.read(content.data(), static_cast<std::streamsize>(size_bytes));
  content.resize(static_cast<std::size_t>(stream.gcount()));
  return !stream.bad();
}

// The client takes gzip: "Accept-Encoding: gzip, deflate, br" (a q=0 refusal aside).
bool accepts_gzip(const httplib::Request& request) {
  const std::string accepted = request.get_header_value("Accept-Encoding");
  const std::size_t position = accepted.find("gzip");
  if (position == std::string::npos) return false;
  const std::size_t end = accepted.find(',', position);
  const std::string parameters = accepted.substr(position, end == std::string::npos ? std::string::npos : end - position);
  return parameters.find("q=0") == std::string::npos || parameters.find("q=0.") != std::string::npos;
}

// The build's gzip copy (make build-wasm writes FILE.gz next to FILE), if it is at least as
// new as the file: a copy left over from an older build is never served.
bool has_fresh_gzip_copy(const std::filesystem::path& file_path, std::filesystem::file_time_type modified_at,
                         std::filesystem::path& gzip_path) {
  gzip_path = file_path;
  gzip_path += ".gz";
  std::error_code error;
  if (!std::filesystem::is_regular_file(gzip_path, error) || error) return false;
  const auto gzip_modified_at = std::filesystem::last_write_time(gzip_path, error);
  return !error && gzip_modified_at >= modified_at;
}

void serve_file(const std::filesystem::path& web_root, const httplib::Request& request,
                httplib::Response& response) {
  std::vector<std::string_view> segments;
  switch (split_request_path(request.path, segments)) {
    case PathVerdict::traversal:
      send_api_error(response, 400, "bad_path", "Đường dẫn không hợp lệ.",
                     "The path is not allowed.");
      return;
    case PathVerdict::hidden:
      send_api_error(response, 404, "not_found", "Không tìm thấy.", "Not found.");
      return;
    case PathVerdict::allowed:
      break;
  }
  std::filesystem::path file_path = web_root;
  for (std::string_view segment : segments) file_path /= segment;

  std::error_code error;
  if (std::filesystem::is_directory(file_path, error)) file_path /= "index.html";
  auto size_bytes = std::filesystem::file_size(file_path, error);
  const bool is_regular = !error && std::filesystem::is_regular_file(file_path, error);
  auto modified_at = std::filesystem::last_write_time(file_path, error);
  if (error || !is_regular) {
    send_api_error(response, 404, "not_found", "Không tìm thấy.", "Not found.");
    return;
  }
  const std::string content_type(content_type_for(file_path));

  // index.html names the other files with the build's version (boot.js?v=...), so a
  // versioned request may be kept for a year; index.html and unversioned names are
  // revalidated every time (a 304 when unchanged).
  const bool is_page = file_path.filename() == "index.html";
  response.set_header("Cache-Control",
                      !is_page && request.has_param("v") ? "public, max-age=31536000, immutable" : "no-cache");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Vary", "Accept-Encoding");
  std::filesystem::path gzip_path;
  const bool send_gzip = accepts_gzip(request) && has_fresh_gzip_copy(file_path, modified_at, gzip_path);
  if (send_gzip) {
    file_path = gzip_path;
    size_bytes = std::filesystem::file_size(file_path, error);
    modified_at = std::filesystem::last_write_time(file_path, error);
    if (error) {
      send_api_error(response, 403, "forbidden", "Không đọc được tệp.", "The file cannot be read.");
      return;
    }
  }
  // The gzip copy has its own size and time, hence its own tag.
  const std::string tag = entity_tag(size_bytes, modified_at);
  response.set_header("ETag", tag);
  if (request.get_header_value("If-None-Match") == tag) {
    response.status = 304;
    return;
  }
  auto content = std::make_shared<std::string>();
  if (!read_whole_file(file_path, size_bytes, *content)) {
    send_api_error(response, 403, "forbidden", "Không đọc được tệp.", "The file cannot be read.");
    return;
  }
  response.status = 200;
  if (send_gzip) response.set_header("Content-Encoding", "gzip");
  // A sized content provider, not a body: httplib compresses bodies of text types itself
  // (brotli at its slowest setting: 0.4 s for console.js on every request), and would
  // compress the gzip copy a second time.
  const std::size_t length = content->size();
  if (length == 0) {
    response.set_content("", content_type);
    return;
  }
  response.set_content_provider(
      length, content_type, [content](std::size_t offset, std::size_t chunk_length, httplib::DataSink& sink) {
        sink.write(content->data() + offset, std::min(chunk_length, content->size() - offset));
        return true;
      });
}

}  // namespace

std::string_view content_type_for(const std::filesystem::path& file_path) {
  std::string extension = file_path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char letter) { return static_cast<char>(std::tolower(letter)); });
  for (const ContentType& entry : content_types) {
    if (entry.extension == extension) return entry.type;
  }
  return "application/octet-stream";
}

void register_static_files(httplib::Server& server, std::filesystem::path web_root) {
  server.Get("/.*", [web_root = std::move(web_root)](const httplib::Request& request,
                                                    httplib::Response& response) {
    serve_file(web_root, request, response);
  });
}

}  // namespace loyalty::server::http
