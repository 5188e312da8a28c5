// version.hpp: the project version this server was built from (set by CMake).
#pragma once
#include <string_view>

namespace loyalty::server {

std::string_view project_version();

}  // namespace loyalty::server
