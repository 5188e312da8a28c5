// balance_explanation.hpp: "Why this balance?": every point a member holds, lot by lot.
//
// A read for support staff answering a customer at the counter: each lot that still holds
// points (spendable or pending), the order or action that gave it, what spent or expired
// part of it, and when the rest expires. Pure: it reads the store and changes nothing.
#pragma once
#include "core/basics/json_fields.hpp"
#include "core/store.hpp"

namespace loyalty {

// The `data` of explain_balance (docs/commands.md): the member's balances and their lots,
// soonest expiry first (the order spends take them in), pending lots last.
Json explain_balance_to_json(const Store& store, MemberIndex member);

}  // namespace loyalty
