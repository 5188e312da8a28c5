// admin_commands.hpp: the operator's commands, run instead of the server.
//
//   loyalty-server create-store  --database FILE --id ID --name NAME [--time-zone ZONE]
//   loyalty-server create-staff  --database FILE --email EMAIL --name NAME --store ID --role ROLE
//                                (the password is read from standard input, one line)
//   loyalty-server grant-role    --database FILE --email EMAIL --store ID --role ROLE
//   loyalty-server reset-password --database FILE --email EMAIL   (new password on standard input)
//   loyalty-server backup        --database FILE --to FILE       (a consistent copy, while the server runs)
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace loyalty::server {

// Runs the command named by arguments[0] and gives its exit code, or nullopt when
// arguments[0] is not an admin command (the server then starts as usual).
std::optional<int> run_admin_command(const std::vector<std::string>& arguments);

}  // namespace loyalty::server
