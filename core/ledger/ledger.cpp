#include "core/ledger/ledger.hpp"

#include <algorithm>
#include <array>
#include <cassert>

namespace loyalty {

bool is_member_account(AccountId account) { return account >= static_cast<AccountId>(SystemAccount::count); }

MemberIndex member_of_account(AccountId account) {
  assert(is_member_account(account));
  return (account - static_cast<AccountId>(SystemAccount::count)) / static_cast<AccountId>(MemberAccount::count);
}

MemberAccount member_account_kind(AccountId account) {
  assert(is_member_account(account));
  return static_cast<MemberAccount>((account - static_cast<AccountId>(SystemAccount::count)) %
                                    static_cast<AccountId>(MemberAccount::count));
}

bool is_tier_account(AccountId account) {
  if (account == account_of(SystemAccount::tier_genesis)) return true;
  return is_member_account(account) && member_account_kind(account) == MemberAccount::tier_points;
}

std::string_view transaction_kind_name(TransactionKind kind) {
  static constexpr std::array<std::string_view, 24> names = {
      "pool_funding",    "order_earning",   "order_reversal", "tier_earning",    "tier_reversal",
      "manual_adjustment", "pending_release", "pending_cancel", "points_redeemed", "hold_placed",
      "hold_captured",   "hold_released",   "points_returned", "points_transfer", "points_expired",
      "birthday_bonus",  "voucher_claimed", "voucher_claim_cancelled", "welcome_bonus", "first_order_bonus",
      "referral_bonus",  "profile_completion_bonus", "tier_up_bonus", "bonus_reversal"};
  static_assert(names.size() == static_cast<std::size_t>(TransactionKind::bonus_reversal) + 1);
  return names.at(static_cast<std::size_t>(kind));
}

Ledger::Ledger() : system_accounts_(static_cast<std::size_t>(SystemAccount::count)) {}

void Ledger::add_member_accounts(MemberIndex member) {
  assert(member == member_accounts_.size());
  member_accounts_.emplace_back();
}

std::uint32_t Ledger::post(TransactionKind kind, UtcSeconds time_utc, UtcSeconds effective_time_utc,
                           std::uint32_t subject, std::uint32_t actor, std::span<const PostingRequest> postings) {
  // A transaction balances in one unit; these stay on in production: a ledger that does
  // not balance must stop the program rather than record a wrong balance.
  assert(postings.size() >= 2);
  std::int64_t sum = 0;
  const bool tier_unit = is_tier_account(postings[0].account);
  for (const PostingRequest& request : postings) {
    assert(request.account < account_count());
    assert(is_tier_account(request.account) == tier_unit);
    sum += request.amount;
  }
  assert(sum == 0);

  const auto transaction_index = static_cast<std::uint32_t>(transactions_.size());
  transactions_.push_back(Transaction{time_utc, effective_time_utc, static_cast<std::uint32_t>(postings_.size()),
                                      static_cast<std::uint32_t>(postings.size()), kind, subject, actor});
  for (const PostingRequest& request : postings) {
    const auto posting_index = static_cast<std::uint32_t>(postings_.size());
    AccountState& account = state(request.account);
    postings_.push_back(Posting{request.account, account.last_posting, request.amount});
    account.last_posting = posting_index;
    account.balance += request.amount;
  }
  assert(system_accounts_[account_of(SystemAccount::pool)].balance >= 0);
  return transaction_index;
}

std::uint32_t Ledger::transaction_of(std::uint32_t posting_index) const {
  assert(posting_index < postings_.size());
  // The last transaction whose first posting is at or before the posting.
  std::size_t low = 0, high = transactions_.size();
  while (high - low > 1) {
    const std::size_t middle = low + (high - low) / 2;
    if (transactions_[middle].first_posting <= posting_index) low = middle; else high = middle;
  }
  return static_cast<std::uint32_t>(low);
}

std::string Ledger::check_invariants() const {
  std::vector<std::int64_t> recomputed(account_count(), 0);
  UtcSeconds previous_time = INT64_MIN;
  for (const Transaction& transaction : transactions_) {
    // Posted at the store's clock, which only moves forward: reads find a period's
    // transactions by time (core/insights).
    if (transaction.time_utc < previous_time) return "a transaction is posted before the one preceding it";
    previous_time = transaction.time_utc;
    std::int64_t sum = 0;
    for (const Posting& posting : postings_of(transaction)) {
      sum += posting.amount;
      recomputed[posting.account] += posting.amount;
    }
    if (sum != 0) return "a transaction does not sum to zero";
  }
  for (std::size_t account = 0; account < account_count(); ++account) {
    if (recomputed[account] != state(static_cast<AccountId>(account)).balance) return "balance of account " + std::to_string(account) + " disagrees with its postings";
  }
  if (balance(SystemAccount::pool) < 0) return "the pool is below zero";
  std::int64_t circulating = balance(SystemAccount::pool) + balance(SystemAccount::redeemed) +
                             balance(SystemAccount::expired) + balance(SystemAccount::adjustments);
  std::int64_t tier_total = balance(SystemAccount::tier_genesis);
  for (AccountId account = static_cast<AccountId>(SystemAccount::count); account < account_count(); ++account) {
    if (member_account_kind(account) == MemberAccount::tier_points) {
      tier_total += state(account).balance;
    } else {
      circulating += state(account).balance;
    }
  }
  if (circulating != points_funded()) return "pool + members + sinks differs from the points funded";
  if (tier_total != 0) return "tier points do not sum to zero";
  return {};
}

std::size_t Ledger::memory_bytes() const {
  return system_accounts_.capacity() * sizeof(AccountState) + member_accounts_.capacity() * sizeof(MemberAccounts) +
         transactions_.memory_bytes() + postings_.memory_bytes();
}

}  // namespace loyalty
