#include "core/ledger.hpp"

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
  static constexpr std::array<std::string_view, 6> names = {"pool_funding",  "order_earning", "order_reversal",
                                                            "tier_earning",  "tier_reversal", "manual_adjustment"};
  return names.at(static_cast<std::size_t>(kind));
}

Ledger::Ledger()
    : balances_(static_cast<std::size_t>(SystemAccount::count), 0),
      last_posting_(static_cast<std::size_t>(SystemAccount::count), UINT32_MAX) {}

void Ledger::add_member_accounts(MemberIndex member) {
  assert(account_of(member, MemberAccount::points) == balances_.size());
  balances_.resize(balances_.size() + static_cast<std::size_t>(MemberAccount::count), 0);
  last_posting_.resize(balances_.size(), UINT32_MAX);
}

std::uint32_t Ledger::post(TransactionKind kind, UtcSeconds time_utc, UtcSeconds effective_time_utc,
                           std::uint32_t subject, std::uint32_t actor, std::span<const PostingRequest> postings) {
  // A transaction balances in one unit; these stay on in production: a ledger that does
  // not balance must stop the program rather than record a wrong balance.
  assert(postings.size() >= 2);
  std::int64_t sum = 0;
  const bool tier_unit = is_tier_account(postings[0].account);
  for (const PostingRequest& request : postings) {
    assert(request.account < balances_.size());
    assert(is_tier_account(request.account) == tier_unit);
    sum += request.amount;
  }
  assert(sum == 0);

  const auto transaction_index = static_cast<std::uint32_t>(transactions_.size());
  transactions_.push_back(Transaction{time_utc, effective_time_utc, static_cast<std::uint32_t>(postings_.size()),
                                      static_cast<std::uint32_t>(postings.size()), kind, subject, actor});
  for (const PostingRequest& request : postings) {
    const auto posting_index = static_cast<std::uint32_t>(postings_.size());
    postings_.push_back(Posting{request.account, transaction_index, last_posting_[request.account], request.amount});
    last_posting_[request.account] = posting_index;
    balances_[request.account] += request.amount;
  }
  assert(balances_[account_of(SystemAccount::pool)] >= 0);
  return transaction_index;
}

std::string Ledger::check_invariants() const {
  std::vector<std::int64_t> recomputed(balances_.size(), 0);
  for (const Transaction& transaction : transactions_) {
    std::int64_t sum = 0;
    for (const Posting& posting : postings_of(transaction)) {
      sum += posting.amount;
      recomputed[posting.account] += posting.amount;
    }
    if (sum != 0) return "a transaction does not sum to zero";
  }
  for (std::size_t account = 0; account < balances_.size(); ++account) {
    if (recomputed[account] != balances_[account]) return "balance of account " + std::to_string(account) + " disagrees with its postings";
  }
  if (balance(SystemAccount::pool) < 0) return "the pool is below zero";
  std::int64_t circulating = balance(SystemAccount::pool) + balance(SystemAccount::redeemed) +
                             balance(SystemAccount::expired) + balance(SystemAccount::adjustments);
  std::int64_t tier_total = balance(SystemAccount::tier_genesis);
  for (AccountId account = static_cast<AccountId>(SystemAccount::count); account < balances_.size(); ++account) {
    if (member_account_kind(account) == MemberAccount::tier_points) {
      tier_total += balances_[account];
    } else {
      circulating += balances_[account];
    }
  }
  if (circulating != points_funded()) return "pool + members + sinks differs from the points funded";
  if (tier_total != 0) return "tier points do not sum to zero";
  return {};
}

std::size_t Ledger::memory_bytes() const {
  return balances_.capacity() * sizeof(std::int64_t) + last_posting_.capacity() * sizeof(std::uint32_t) +
         transactions_.capacity() * sizeof(Transaction) + postings_.capacity() * sizeof(Posting);
}

}  // namespace loyalty
