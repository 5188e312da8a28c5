// ledger.hpp: the double-entry points ledger.
//
// [SECTION] Accounts
// [SECTION] Transactions and postings
// [SECTION] Ledger
//
// Every change of points is a transaction of postings that sum to zero, in one unit:
// reward points or tier points, never mixed. Transactions are immutable; a correction is
// a new transaction. Balances are kept as running sums of the postings and can be
// recomputed from them at any time (check_invariants does). Points enter circulation only
// from the genesis account into the store's pool, so
//     pool + all member balances + redeemed + expired + adjustments = points funded
// and tier points have a genesis of their own.
#pragma once
#include <cstdint>
#include <span>
#include <utility>
#include <string>
#include <vector>

#include "core/basics/chunked_vector.hpp"
#include "core/basics/money.hpp"
#include "core/basics/prefetch.hpp"
#include "core/basics/time.hpp"

namespace loyalty {

// [SECTION] Accounts --------------------------------------------------------------------
using AccountId = std::uint32_t;
using MemberIndex = std::uint32_t;                 // dense index of a member in the store
inline constexpr MemberIndex no_member = UINT32_MAX;

enum class SystemAccount : AccountId {
  genesis = 0,        // source of every reward point; its balance is minus all points funded
  pool = 1,           // the store's pool members' points are issued from; never below zero
  redeemed = 2,       // points spent by members (vouchers, discounts)
  expired = 3,        // points that expired
  adjustments = 4,    // points removed from members by staff corrections
  tier_genesis = 5,   // source of every tier point
  count = 6,
};
enum class MemberAccount : AccountId {
  points = 0,         // spendable reward points (may go negative after a reversal)
  pending = 1,        // earned, not yet spendable
  held = 2,           // held for a checkout paying with points
  tier_points = 3,    // tier points, lifetime sum; the tier window reads the postings
  count = 4,
};
inline constexpr AccountId account_of(SystemAccount account) { return static_cast<AccountId>(account); }
inline constexpr AccountId account_of(MemberIndex member, MemberAccount account) {
  return static_cast<AccountId>(SystemAccount::count) + member * static_cast<AccountId>(MemberAccount::count) +
         static_cast<AccountId>(account);
}
bool is_member_account(AccountId account);
MemberIndex member_of_account(AccountId account);       // asserts is_member_account
MemberAccount member_account_kind(AccountId account);   // asserts is_member_account
bool is_tier_account(AccountId account);                // tier_genesis or a member's tier_points

// [SECTION] Transactions and postings -----------------------------------------------------
enum class TransactionKind : std::uint8_t {
  pool_funding,       // genesis -> pool (program saved with a larger initial pool)
  order_earning,      // pool -> buyer (and referrer)
  order_reversal,     // buyer (and referrer) -> pool, after a refund
  tier_earning,       // tier_genesis -> buyer's tier points
  tier_reversal,      // buyer's tier points -> tier_genesis
  manual_adjustment,  // pool -> member, or member -> adjustments; with a reason
  pending_release,    // member pending -> member points: the pending period ended (or staff released it)
  pending_cancel,     // member pending -> pool: refunded inside the pending period (or cancelled by staff)
  points_redeemed,    // member -> redeemed: spent on a voucher, a gift...
  hold_placed,        // member points -> member held: a checkout paying with points
  hold_captured,      // member held -> redeemed: the order completed
  hold_released,      // member held -> member points: abandoned, cancelled or timed out
  points_returned,    // redeemed -> member: points paid for an order come back with its refund
  points_transfer,    // member -> member (family sharing)
  points_expired,     // member -> expired
  birthday_bonus,     // pool -> member: the birthday perk of the member's tier
  voucher_claimed,    // member -> redeemed: the point cost of a voucher claim (core/campaigns)
  voucher_claim_cancelled,  // redeemed -> member: staff cancelled the claim, its points come back
  welcome_bonus,      // pool -> member: on joining (core/bonuses); subject: the bonus record
  first_order_bonus,  // pool -> member (pending with the order): the member's first completed order
  referral_bonus,     // pool -> referrer or new member: the new member's first completed order
  profile_completion_bonus,  // pool -> member: the profile became complete
  tier_up_bonus,      // pool -> member: the first time the member reached a tier
  bonus_reversal,     // member (pending or points) -> pool: the bonus's order was refunded within the pending period
};
std::string_view transaction_kind_name(TransactionKind kind);

// 16 bytes: a posting's transaction is found from its index (transaction_of), not stored.
struct Posting {
  AccountId account = 0;
  std::uint32_t previous_in_account = UINT32_MAX;  // the account's previous posting: history without a scan
  std::int64_t amount = 0;                          // change of the account's balance
};

struct Transaction {
  UtcSeconds time_utc = 0;             // when it was posted (the store's clock: never before the previous transaction's)
  UtcSeconds effective_time_utc = 0;   // the time it counts from (a reversal counts at its order's completion)
  std::uint32_t first_posting = 0;
  std::uint32_t posting_count = 0;
  TransactionKind kind = TransactionKind::order_earning;
  std::uint32_t subject = UINT32_MAX;  // order index, adjustment index or program version, by kind
  std::uint32_t actor = 0;             // interned name of who caused it (store.hpp: actor_name)
};

struct PostingRequest {
  AccountId account;
  std::int64_t amount;
};

// [SECTION] Ledger ------------------------------------------------------------------------
class Ledger {
 public:
  Ledger();

  void add_member_accounts(MemberIndex member);   // members are added densely, in order
  std::uint32_t post(TransactionKind kind, UtcSeconds time_utc, UtcSeconds effective_time_utc, std::uint32_t subject,
                     std::uint32_t actor, std::span<const PostingRequest> postings);

  std::int64_t balance(AccountId account) const { return state(account).balance; }
  std::int64_t balance(SystemAccount account) const { return state(account_of(account)).balance; }
  std::int64_t balance(MemberIndex member, MemberAccount account) const { return state(account_of(member, account)).balance; }
  // A hint that the member's accounts will be posted to soon (no effect on results).
  void prefetch_member(MemberIndex member) const {
    if (member < member_accounts_.size()) prefetch(&member_accounts_[member]);
  }
  std::size_t account_count() const { return system_accounts_.size() + member_accounts_.size() * member_account_count; }
  std::int64_t points_funded() const { return -balance(SystemAccount::genesis); }

  const ChunkedVector<Transaction>& transactions() const { return transactions_; }
  const ChunkedVector<Posting>& postings() const { return postings_; }
  // A transaction's postings, in order (range-for).
  struct PostingRange {
    const ChunkedVector<Posting>* postings;
    std::uint32_t first, count;
    ChunkedVector<Posting>::Iterator<const ChunkedVector<Posting>, const Posting> begin() const { return {postings, first}; }
    ChunkedVector<Posting>::Iterator<const ChunkedVector<Posting>, const Posting> end() const { return {postings, first + count}; }
  };
  PostingRange postings_of(const Transaction& transaction) const {
    return {&postings_, transaction.first_posting, transaction.posting_count};
  }
  // The transaction a posting belongs to (postings are stored in transaction order).
  std::uint32_t transaction_of(std::uint32_t posting_index) const;
  std::uint32_t last_posting_of(AccountId account) const { return state(account).last_posting; }

  // Calls visit(const Posting&, posting index) for the account's postings, newest first, until it returns false.
  template <typename Visit>
  void visit_account_history(AccountId account, Visit visit) const {
    for (std::uint32_t index = state(account).last_posting; index != UINT32_MAX; index = postings_[index].previous_in_account) {
      if (!visit(postings_[index], index)) return;
    }
  }

  // Recomputes every balance from the postings and checks each invariant; returns a
  // description of the first violation, or an empty string.
  std::string check_invariants() const;
  std::size_t memory_bytes() const;

 private:
  // Balance and history head side by side, and a member's four accounts in one cache
  // line: crediting a member touches one line.
  struct AccountState {
    std::int64_t balance = 0;
    std::uint32_t last_posting = UINT32_MAX;
  };
  static constexpr std::size_t member_account_count = static_cast<std::size_t>(MemberAccount::count);
  struct alignas(64) MemberAccounts {
    AccountState accounts[member_account_count];
  };
  static_assert(sizeof(MemberAccounts) == 64);
  const AccountState& state(AccountId account) const {
    if (account < system_accounts_.size()) return system_accounts_[account];
    const AccountId offset = account - static_cast<AccountId>(SystemAccount::count);
    return member_accounts_[offset / member_account_count].accounts[offset % member_account_count];
  }
  AccountState& state(AccountId account) { return const_cast<AccountState&>(std::as_const(*this).state(account)); }
  std::vector<AccountState> system_accounts_;
  std::vector<MemberAccounts> member_accounts_;
  ChunkedVector<Transaction> transactions_;
  ChunkedVector<Posting> postings_;
};

}  // namespace loyalty
