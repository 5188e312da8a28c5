// principal.hpp: who is calling, and what their role lets them do.
//
// Every API route names the Permission it needs; a request is served only when the
// authenticated principal belongs to the store in the path and allows that permission.
// A refusal says only "not signed in" (401) or "not allowed" (403): nothing about whether
// the store or the resource exists.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loyalty::server::auth {

enum class Role : std::uint8_t { owner, marketing, support };
std::string_view role_name(Role role);                   // "owner", "marketing", "support"
std::optional<Role> role_from_name(std::string_view name);

enum class Permission : std::uint8_t {
  read_program,       // the program, its versions, rule preview
  write_program,      // save a new program version
  read_members,       // search, profile, history, expiring points
  write_members,      // create, update, block members
  lookup_members,     // till lookup by card or phone (API keys with the lookups scope)
  adjust_points,      // manual adjustments, release or cancel pending points (with a reason)
  orders,             // order events and refunds (checkouts)
  holds,              // points holds, redemptions and transfers at a checkout
  read_liability,     // liability by month and tier
  read_insights,      // program impact, backtest, metrics of the store
  manage_groups,      // customer groups: see, save, fill, import, delete
  manage_campaigns,   // voucher campaigns: see, save, publish, print and import codes
  claim_vouchers,     // claim a voucher for a member; a member's vouchers and offers (key scope vouchers)
  check_vouchers,     // check a code against an order at a checkout (key scopes orders, vouchers)
  manage_notifications,   // notifications and scenarios: see, save, schedule, cancel; deliveries and their marks
  read_audit_log,
  manage_staff,       // staff accounts and their roles
  manage_api_keys,
  manage_webhooks,
};

struct Principal {
  enum class Kind : std::uint8_t { staff, api_key };
  Kind kind = Kind::staff;
  std::string store_id;              // the store this principal acts in
  std::int64_t staff_id = 0;         // kind == staff
  std::string staff_email;
  Role role = Role::support;         // kind == staff
  std::int64_t api_key_id = 0;       // kind == api_key
  std::string api_key_name;
  std::vector<std::string> scopes;   // kind == api_key: "orders", "holds", "lookups", "vouchers"
  // Recorded as the `actor` of every command and audit entry: "staff:an@shop.vn", "key:7:pos-quay-1".
  std::string actor() const;
};

// The role matrix: owner everything; marketing the program; support members, points
// corrections and history; API keys what their scopes name.
bool allows(const Principal& principal, Permission permission);

}  // namespace loyalty::server::auth
