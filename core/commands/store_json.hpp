// store_json.hpp: the store's state as JSON, for command results and reads.
// One function per shape; the command runner and the hosts use them alike.
#pragma once
#include <span>
#include "core/basics/json_fields.hpp"
#include "core/program/preview.hpp"
#include "core/store.hpp"

namespace loyalty {

std::string account_name(const Store& store, AccountId account);      // "pool", "member:M0000001:points"
Json transaction_to_json(const Store& store, std::uint32_t transaction_index);
Json event_to_json(const Store& store, const Event& event);
Json member_balances_to_json(const Store& store, MemberIndex member);
Json member_summary_to_json(const Store& store, MemberIndex member, UtcSeconds time);   // id, name, phone, card, tier
Json liability_to_json(const Liability& liability);
Json member_profile_to_json(const Store& store, MemberIndex member, UtcSeconds time);
Json ledger_history_to_json(const Store& store, MemberIndex member, std::size_t limit, std::uint32_t before_transaction);
// `order_lines`: the previewed order's lines, whose product and category name each line of the breakdown.
Json preview_to_json(const ProgramConfig& config, const OrderPreview& preview, std::span<const OrderLine> order_lines = {});
Json changes_to_json(const Store& store, const Changes& changes);       // transactions, balances, events
Json tier_to_json(const ProgramConfig* config, std::int32_t tier_index); // {"id","name"} or null
Json message_json(ResultCode code);                                     // {"vi": ..., "en": ...}
Json errors_to_json(const std::vector<FieldError>& errors);

}  // namespace loyalty
