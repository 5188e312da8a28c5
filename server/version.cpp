#include "server/version.hpp"

// Defined on this file only (server/CMakeLists.txt), so a new version rebuilds one file.
#ifndef LOYALTY_PROJECT_VERSION
#error "LOYALTY_PROJECT_VERSION must be defined by the build"
#endif

namespace loyalty::server {

std::string_view project_version() { return LOYALTY_PROJECT_VERSION; }

}  // namespace loyalty::server
