// store_snapshot.cpp: writes every piece of a store's state in a fixed order, and reads it
// back checking everything before the store is used (store_snapshot.hpp, "Format").
//
// [SECTION] Records the snapshot knows
// [SECTION] Bytes
// [SECTION] Sections
// [SECTION] Checks after reading
// [SECTION] Write and read
//
// A reader never trusts the bytes: the checksum catches damage, and every count, index,
// enum value, time and amount is checked too, because a snapshot with a valid checksum can
// still be wrong (written by another build, or by hand). Nothing read is used as an index
// before it is checked; the ledger is rebuilt by posting its transactions again only after
// each posting has been checked the way Ledger::post asserts.
#include "core/snapshot/store_snapshot.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstring>
#include <utility>
#include <vector>

#include "core/basics/json_fields.hpp"
#include "core/basics/text_fold.hpp"

namespace loyalty {

namespace {

// [SECTION] Records the snapshot knows ------------------------------------------------------
// Each count is the number of fields the snapshot writes for that record. Adding a field
// to one of these structs fails the build here: write it and read it below (and raise
// snapshot_format_version), then update the count. Store, Ledger and MemberSearchIndex
// are not aggregates: their fields are listed where their sections are written.
struct AnyField {
  template <typename T>
  operator T() const;   // never defined: only counted in unevaluated braces
};
template <typename T, typename... Fields>
constexpr std::size_t field_count() {
  if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
    return field_count<T, Fields..., AnyField>();
  } else {
    return sizeof...(Fields);
  }
}
static_assert(field_count<Member>() == 29, "Member changed: update the snapshot's MEMB section");
static_assert(field_count<TierEntry>() == 4, "TierEntry changed: update the snapshot's MEMB section");
static_assert(field_count<Birthday>() == 3, "Birthday changed: update the snapshot's MEMB section");
static_assert(field_count<ChannelOptIns>() == 4, "ChannelOptIns changed: update the snapshot's MEMB section");
static_assert(field_count<StoredOrderLine>() == 5 && field_count<OrderLine>() == 4, "StoredOrderLine changed: update the snapshot's RULS section");
static_assert(field_count<BonusRecord>() == 8, "BonusRecord changed: update the snapshot's RULS section");
static_assert(field_count<TierAssignment>() == 6, "TierAssignment changed: update the snapshot's RULS section");
static_assert(field_count<Order>() == 24, "Order changed: update the snapshot's ORDR section");
static_assert(field_count<OrderAmounts>() == 4, "OrderAmounts changed: update the snapshot's ORDR section");
static_assert(field_count<RefundRecord>() == 3, "RefundRecord changed: update the snapshot's RFND section");
static_assert(field_count<AdjustmentRecord>() == 6, "AdjustmentRecord changed: update the snapshot's ADJS section");
static_assert(field_count<PointLot>() == 10, "PointLot changed: update the snapshot's LOTS section");
static_assert(field_count<LotPortion>() == 3, "LotPortion changed: update the snapshot's PORT section");
static_assert(field_count<PointsHold>() == 9, "PointsHold changed: update the snapshot's HOLD section");
static_assert(field_count<PointsAction>() == 8, "PointsAction changed: update the snapshot's ACTN section");
static_assert(field_count<ProgramVersion>() == 4, "ProgramVersion changed: update the snapshot's PROG section");
static_assert(field_count<Transaction>() == 7, "Transaction changed: update the snapshot's LEDG section");
static_assert(field_count<Posting>() == 3, "Posting changed: update the snapshot's LEDG section");
static_assert(field_count<MemberSearchIndex::NameEntry>() == 2, "NameEntry changed: update the snapshot's SRCH section");
static_assert(field_count<MemberSearchIndex::KeyEntry>() == 3, "KeyEntry changed: update the snapshot's SRCH section");
static_assert(field_count<CustomerGroup>() == 9, "CustomerGroup changed: update the snapshot's GRPS section");
static_assert(field_count<FilterNode>() == 13, "FilterNode changed: update group_filter_to_json and read_group_filter (GRPS stores filters as JSON)");

// The last value of each enum the snapshot stores: a value past it is refused. Enums are
// stored by their value: a value inserted before the last one changes what old snapshots
// mean, so the counts are pinned here (raise snapshot_format_version when they change).
constexpr MemberStatus member_status_last = MemberStatus::blocked;
constexpr OrderStatus order_status_last = OrderStatus::refunded;
constexpr HoldState hold_state_last = HoldState::timed_out;
constexpr PointsActionKind points_action_kind_last = PointsActionKind::pending_cancel;
constexpr TransactionKind transaction_kind_last = TransactionKind::bonus_reversal;
constexpr BonusKind bonus_kind_last = BonusKind::tier_up;
constexpr GroupKind group_kind_last = GroupKind::dynamic;
constexpr CampaignStatus campaign_status_last = CampaignStatus::ended;
constexpr CodeSource code_source_last = CodeSource::imported;
constexpr CodeState code_state_last = CodeState::voided;
constexpr ClaimState claim_state_last = ClaimState::cancelled;
static_assert(field_count<Campaign>() == 6, "Campaign changed: update the snapshot's CAMP section");
static_assert(field_count<VoucherCode>() == 10, "VoucherCode changed: update the snapshot's CAMP section");
static_assert(field_count<VoucherClaim>() == 9, "VoucherClaim changed: update the snapshot's CAMP section");
static_assert(field_count<VoucherBatch>() == 6, "VoucherBatch changed: update the snapshot's CAMP section");
constexpr NotificationStatus notification_status_last = NotificationStatus::cancelled;
static_assert(field_count<Notification>() == 17, "Notification changed: update the snapshot's NOTI section");
static_assert(field_count<Scenario>() == 5, "Scenario changed: update the snapshot's NOTI section");
static_assert(field_count<ScenarioOccasion>() == 9, "ScenarioOccasion changed: update the snapshot's NOTI section");
static_assert(field_count<DeliveryFailure>() == 3 && field_count<DeliveryOpen>() == 2,
              "DeliveryFailure or DeliveryOpen changed: update the snapshot's NOTI section");
static_assert(static_cast<int>(notification_status_last) == 4,
              "NotificationStatus changed: check the snapshot and raise snapshot_format_version");
static_assert(static_cast<int>(campaign_status_last) == 4 && static_cast<int>(code_source_last) == 2 &&
                  static_cast<int>(code_state_last) == 2 && static_cast<int>(claim_state_last) == 1,
              "a campaign enum the snapshot stores changed: check the snapshot and raise snapshot_format_version");
static_assert(static_cast<int>(member_status_last) == 1 && static_cast<int>(order_status_last) == 3 &&
                  static_cast<int>(hold_state_last) == 3 && static_cast<int>(points_action_kind_last) == 3 &&
                  static_cast<int>(transaction_kind_last) == 23 && static_cast<int>(bonus_kind_last) == 4 && static_cast<int>(group_kind_last) == 1,
              "an enum the snapshot stores changed: check the snapshot and raise snapshot_format_version");

// Bounds on what a store can hold, generous against the documented limits (money.hpp):
// times far beyond year 9999 plus any configured period, amounts beyond any single
// field or balance the commands allow. They keep the sums the store computes inside int64.
constexpr std::int64_t time_limit_s = 1'000'000'000'000;                 // about year 33,000
constexpr std::int64_t amount_limit = 2'000'000'000'000'000'000;         // 2 x 10^18
constexpr std::size_t text_bytes_limit = 1 << 20;                        // one text: 1 MiB
constexpr std::size_t postings_per_transaction_max = 64;                 // the commands post 2 or 3

constexpr std::size_t header_bytes = 8 + 4 + 8;   // magic, version, byte count
constexpr std::size_t checksum_bytes = 8;

std::uint64_t little_endian_word(const char* bytes, std::size_t count) {
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < count; ++i) word |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  return word;
}

// The same as little_endian_word(bytes, 8), as one load: the checksum walks gigabytes.
std::uint64_t little_endian_word8(const char* bytes) {
  std::uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
  return word;
}

bool add_fits(std::int64_t a, std::int64_t b, std::int64_t& sum) { return !__builtin_add_overflow(a, b, &sum); }

// [SECTION] Bytes -------------------------------------------------------------------------
class Writer {
 public:
  std::string bytes;

  void u8(std::uint8_t value) { bytes.push_back(static_cast<char>(value)); }
  void u32(std::uint32_t value) {
    char little_endian[4];
    for (int i = 0; i < 4; ++i) little_endian[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
    bytes.append(little_endian, 4);
  }
  void u64(std::uint64_t value) {
    char little_endian[8];
    for (int i = 0; i < 8; ++i) little_endian[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
    bytes.append(little_endian, 8);
  }
  void i32(std::int32_t value) { u32(static_cast<std::uint32_t>(value)); }
  void i64(std::int64_t value) { u64(static_cast<std::uint64_t>(value)); }
  void boolean(bool value) { u8(value ? 1 : 0); }
  template <typename Enum>
  void enumeration(Enum value) { u8(static_cast<std::uint8_t>(value)); }
  void count(std::size_t value) {
    assert(value <= UINT32_MAX);   // every array of the store is indexed by 32 bits
    u32(static_cast<std::uint32_t>(value));
  }
  void text(std::string_view value) {
    count(value.size());
    bytes.append(value);
  }
  void section(const char (&tag)[5]) { bytes.append(tag, 4); }
};

class Reader {
 public:
  explicit Reader(std::string_view body) : body_(body) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::size_t bytes_left() const { return body_.size() - position_; }
  void record(std::size_t index) { record_ = index; }
  void fail(const std::string& what) {
    if (!error_.empty()) return;
    error_ = "snapshot: " + what + " (section " + section_ + ", record " + std::to_string(record_) + ", byte " +
             std::to_string(header_bytes + position_) + ")";
  }

  void section(const char (&tag)[5]) {
    section_ = tag;
    record_ = 0;
    const char* data = take(4);
    if (data != nullptr && std::memcmp(data, tag, 4) != 0) fail(std::string("expected section ") + tag);
  }
  std::uint8_t u8() {
    const char* data = take(1);
    return data == nullptr ? 0 : static_cast<std::uint8_t>(data[0]);
  }
  std::uint32_t u32() {
    const char* data = take(4);
    if (data == nullptr) return 0;
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << (8 * i);
    return value;
  }
  std::uint64_t u64() {
    const char* data = take(8);
    if (data == nullptr) return 0;
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[i])) << (8 * i);
    return value;
  }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  bool boolean() {
    const std::uint8_t value = u8();
    if (value > 1) fail("a boolean is neither 0 nor 1");
    return value == 1;
  }
  template <typename Enum>
  Enum enumeration(Enum last) {
    const std::uint8_t value = u8();
    if (value > static_cast<std::uint8_t>(last)) fail("unknown enum value " + std::to_string(value));
    return ok() ? static_cast<Enum>(value) : Enum{};
  }
  // A record count, refused when even the smallest records would need more bytes than are left.
  std::size_t count(std::size_t bytes_each) {
    const std::uint32_t value = u32();
    if (ok() && value > bytes_left() / bytes_each) fail("a count (" + std::to_string(value) + ") exceeds the bytes left");
    return ok() ? value : 0;
  }
  std::string bytes(std::size_t max_bytes) {
    const std::uint32_t size = u32();
    if (ok() && size > max_bytes) fail("a text of " + std::to_string(size) + " bytes is too long");
    if (!ok()) return {};
    const char* data = take(size);
    return data == nullptr ? std::string() : std::string(data, size);
  }
  // Every text of the store is UTF-8 (the commands check it); JSON answers need it.
  std::string text() {
    std::string value = bytes(text_bytes_limit);
    if (ok() && !is_valid_utf8(value)) fail("a text is not valid UTF-8");
    return value;
  }
  std::int64_t time() {
    const std::int64_t value = i64();
    if (ok() && (value < -time_limit_s || value > time_limit_s)) fail("a time is out of range: " + std::to_string(value));
    return value;
  }
  std::int64_t time_or_never() {
    const std::int64_t value = i64();
    if (ok() && value != INT64_MAX && (value < -time_limit_s || value > time_limit_s)) fail("a time is out of range: " + std::to_string(value));
    return value;
  }
  std::int64_t amount() {
    const std::int64_t value = i64();
    if (ok() && (value < -amount_limit || value > amount_limit)) fail("an amount is out of range: " + std::to_string(value));
    return value;
  }
  std::int32_t small(std::int32_t low, std::int32_t high) {
    const std::int32_t value = i32();
    if (ok() && (value < low || value > high)) fail("a value is out of range: " + std::to_string(value));
    return value;
  }

 private:
  const char* take(std::size_t size) {
    if (!ok()) return nullptr;
    if (bytes_left() < size) {
      fail("truncated");
      return nullptr;
    }
    const char* data = body_.data() + position_;
    position_ += size;
    return data;
  }

  std::string_view body_;
  std::size_t position_ = 0;
  std::string section_ = "header";
  std::size_t record_ = 0;
  std::string error_;
};

}  // namespace

// FNV-1a's step (xor, then multiply by its prime) on 8-byte words rather than bytes, in four
// lanes so that the multiplies overlap: a byte at a time ran at a third of a second for a
// 250 MB snapshot. Each step is a bijection of its lane, so a change within one word (any
// single byte) always changes the result; the length is folded in with the lanes.
std::uint64_t snapshot_checksum(std::string_view bytes) {
  constexpr std::uint64_t offset_basis = 0xcbf29ce484222325ULL;
  constexpr std::uint64_t prime = 0x100000001b3ULL;
  std::uint64_t lanes[4] = {offset_basis, offset_basis + 1, offset_basis + 2, offset_basis + 3};
  const std::size_t words = bytes.size() / 8;
  std::size_t word = 0;
  for (; word + 4 <= words; word += 4) {
    for (std::size_t lane = 0; lane < 4; ++lane) {
      lanes[lane] = (lanes[lane] ^ little_endian_word8(bytes.data() + 8 * (word + lane))) * prime;
    }
  }
  for (; word < words; ++word) lanes[word % 4] = (lanes[word % 4] ^ little_endian_word8(bytes.data() + 8 * word)) * prime;
  if (const std::size_t tail = bytes.size() % 8; tail != 0) {
    lanes[words % 4] = (lanes[words % 4] ^ little_endian_word(bytes.data() + 8 * words, tail)) * prime;
  }
  std::uint64_t hash = (offset_basis ^ bytes.size()) * prime;
  for (const std::uint64_t lane : lanes) hash = (hash ^ lane) * prime;
  return hash;
}

// [SECTION] Sections --------------------------------------------------------------------------
// Each record is written and read by two functions side by side, in the same field order.
namespace {

void write_member(Writer& out, const Member& member) {
  out.text(member.member_id);
  out.u32(member.referrer);
  out.i32(member.tier_index);
  out.count(member.tier_history.size());
  for (const TierEntry& entry : member.tier_history) {
    out.i64(entry.effective_time_utc);
    out.i64(entry.tier_points);
    out.i64(entry.spend_vnd);
    out.i32(entry.orders);
  }
  out.u32(member.first_lot);
  out.i64(member.debt_points);
  out.i64(member.last_order_at_utc);
  out.i64(member.points_earned);
  out.i64(member.points_spent);
  out.i64(member.points_expired);
  out.i64(member.points_reversed);
  out.i64(member.points_received);
  out.i64(member.points_sent);
  out.i64(member.points_returned);
  out.text(member.card_number);
  out.text(member.phone);
  out.text(member.name);
  out.text(member.email);
  out.i32(member.birthday.day);
  out.i32(member.birthday.month);
  out.i32(member.birthday.year);
  out.i64(member.joined_at_utc);
  out.boolean(member.opt_ins.push);
  out.boolean(member.opt_ins.sms);
  out.boolean(member.opt_ins.email);
  out.boolean(member.opt_ins.zalo);
  out.enumeration(member.status);
  out.i32(member.birthday_bonus_year);
  out.i64(member.referrer_since_utc);
  out.u32(member.bonuses_given);
  out.u32(member.tier_up_bonus_tiers);
  out.i64(member.tier_since_utc);
  out.text(member.manual_tier_id);
  out.i64(member.manual_tier_ends_at_utc);
}

void read_member(Reader& in, Member& member) {
  member.member_id = in.text();
  member.referrer = in.u32();
  member.tier_index = in.i32();
  member.tier_history.resize(in.count(28));
  for (TierEntry& entry : member.tier_history) {
    entry.effective_time_utc = in.time();
    entry.tier_points = in.amount();
    entry.spend_vnd = in.amount();
    entry.orders = in.small(-1, 1);
  }
  member.first_lot = in.u32();
  member.debt_points = in.amount();
  member.last_order_at_utc = in.time();
  member.points_earned = in.amount();
  member.points_spent = in.amount();
  member.points_expired = in.amount();
  member.points_reversed = in.amount();
  member.points_received = in.amount();
  member.points_sent = in.amount();
  member.points_returned = in.amount();
  member.card_number = in.text();
  member.phone = in.text();
  member.name = in.text();
  member.email = in.text();
  member.birthday.day = in.small(0, 31);
  member.birthday.month = in.small(0, 12);
  member.birthday.year = in.small(0, 9999);
  member.joined_at_utc = in.time();
  member.opt_ins.push = in.boolean();
  member.opt_ins.sms = in.boolean();
  member.opt_ins.email = in.boolean();
  member.opt_ins.zalo = in.boolean();
  member.status = in.enumeration(member_status_last);
  member.birthday_bonus_year = in.small(0, 1'000'000);
  member.referrer_since_utc = in.time();
  member.bonuses_given = static_cast<std::uint8_t>(in.small(0, 255));
  member.tier_up_bonus_tiers = in.u32();
  member.tier_since_utc = in.time();
  member.manual_tier_id = in.text();
  member.manual_tier_ends_at_utc = in.time();
}

void write_order(Writer& out, const Order& order) {
  out.text(order.order_id);
  out.u32(order.member);
  out.u32(order.referrer);
  out.enumeration(order.status);
  out.i32(order.program_version);
  out.i64(order.amounts.amount_vnd);
  out.i64(order.amounts.shipping_vnd);
  out.i64(order.amounts.voucher_discount_vnd);
  out.i64(order.amounts.paid_with_points_vnd);
  out.i64(order.refunded_vnd);
  out.i64(order.placed_at_utc);
  out.i64(order.completed_at_utc);
  out.i64(order.buyer_points_earned);
  out.i64(order.referrer_points_earned);
  out.i64(order.tier_points_earned);
  out.i64(order.buyer_points_reversed);
  out.i64(order.referrer_points_reversed);
  out.i64(order.tier_points_reversed);
  out.i64(order.tier_points_deferred);
  out.i64(order.tier_points_counted_from_utc);
  out.u32(order.buyer_lot);
  out.u32(order.referrer_lot);
  out.u32(order.hold);
  out.i64(order.points_paid_returned);
  out.u32(order.first_line);
  out.u32(order.line_count);
  out.u32(order.first_bonus);
}

void read_order(Reader& in, Order& order) {
  order.order_id = in.text();
  order.member = in.u32();
  order.referrer = in.u32();
  order.status = in.enumeration(order_status_last);
  order.program_version = in.i32();
  order.amounts.amount_vnd = in.amount();
  order.amounts.shipping_vnd = in.amount();
  order.amounts.voucher_discount_vnd = in.amount();
  order.amounts.paid_with_points_vnd = in.amount();
  order.refunded_vnd = in.amount();
  order.placed_at_utc = in.time();
  order.completed_at_utc = in.time();
  order.buyer_points_earned = in.amount();
  order.referrer_points_earned = in.amount();
  order.tier_points_earned = in.amount();
  order.buyer_points_reversed = in.amount();
  order.referrer_points_reversed = in.amount();
  order.tier_points_reversed = in.amount();
  order.tier_points_deferred = in.amount();
  order.tier_points_counted_from_utc = in.time();
  order.buyer_lot = in.u32();
  order.referrer_lot = in.u32();
  order.hold = in.u32();
  order.points_paid_returned = in.amount();
  order.first_line = in.u32();
  order.line_count = in.u32();
  order.first_bonus = in.u32();
}

void write_order_line(Writer& out, const StoredOrderLine& stored) {
  out.text(stored.line.product_id);
  out.text(stored.line.category);
  out.i64(stored.line.quantity);
  out.i64(stored.line.amount_vnd);
  out.i64(stored.quantity_returned);
  out.i64(stored.buyer_points);
  out.i64(stored.referrer_points);
  out.i64(stored.tier_points);
}

void read_order_line(Reader& in, StoredOrderLine& stored) {
  stored.line.product_id = in.text();
  stored.line.category = in.text();
  stored.line.quantity = in.amount();
  stored.line.amount_vnd = in.amount();
  stored.quantity_returned = in.amount();
  stored.buyer_points = in.amount();
  stored.referrer_points = in.amount();
  stored.tier_points = in.amount();
  if (in.ok() && (stored.line.quantity < 1 || stored.quantity_returned < 0 || stored.quantity_returned > stored.line.quantity)) {
    in.fail("an order line's quantities are out of range");
  }
}

void write_bonus(Writer& out, const BonusRecord& bonus) {
  out.enumeration(bonus.kind);
  out.u32(bonus.member);
  out.u32(bonus.order);
  out.u32(bonus.lot);
  out.i64(bonus.points);
  out.i32(bonus.tier_index);
  out.boolean(bonus.reversed);
  out.u32(bonus.next_of_order);
}

void read_bonus(Reader& in, BonusRecord& bonus) {
  bonus.kind = in.enumeration(bonus_kind_last);
  bonus.member = in.u32();
  bonus.order = in.u32();
  bonus.lot = in.u32();
  bonus.points = in.amount();
  bonus.tier_index = in.small(-1, 31);
  bonus.reversed = in.boolean();
  bonus.next_of_order = in.u32();
}

void write_tier_assignment(Writer& out, const TierAssignment& assignment) {
  out.u32(assignment.member);
  out.text(assignment.tier_id);
  out.text(assignment.reason);
  out.u32(assignment.actor);
  out.i64(assignment.assigned_at_utc);
  out.i64(assignment.ends_at_utc);
}

void read_tier_assignment(Reader& in, TierAssignment& assignment) {
  assignment.member = in.u32();
  assignment.tier_id = in.text();
  assignment.reason = in.text();
  assignment.actor = in.u32();
  assignment.assigned_at_utc = in.time();
  assignment.ends_at_utc = in.time();
}

void write_lot(Writer& out, const PointLot& lot) {
  out.u32(lot.member);
  out.u32(lot.order);
  out.i64(lot.points_earned);
  out.i64(lot.points_remaining);
  out.i64(lot.earned_at_utc);
  out.i64(lot.available_at_utc);
  out.i64(lot.expires_at_utc);
  out.i64(lot.points_expired);
  out.boolean(lot.pending);
  out.u32(lot.next_of_member);
}

void read_lot(Reader& in, PointLot& lot) {
  lot.member = in.u32();
  lot.order = in.u32();
  lot.points_earned = in.amount();
  lot.points_remaining = in.amount();
  lot.earned_at_utc = in.time();
  lot.available_at_utc = in.time();
  lot.expires_at_utc = in.time_or_never();
  lot.points_expired = in.amount();
  lot.pending = in.boolean();
  lot.next_of_member = in.u32();
}

void write_hold(Writer& out, const PointsHold& hold) {
  out.text(hold.hold_id);
  out.u32(hold.member);
  out.i64(hold.points);
  out.i64(hold.value_vnd);
  out.i64(hold.placed_at_utc);
  out.i64(hold.expires_at_utc);
  out.enumeration(hold.state);
  out.u32(hold.order);
  out.u32(hold.transaction);
}

void read_hold(Reader& in, PointsHold& hold) {
  hold.hold_id = in.text();
  hold.member = in.u32();
  hold.points = in.amount();
  hold.value_vnd = in.amount();
  hold.placed_at_utc = in.time();
  hold.expires_at_utc = in.time();
  hold.state = in.enumeration(hold_state_last);
  hold.order = in.u32();
  hold.transaction = in.u32();
}

void write_action(Writer& out, const PointsAction& action) {
  out.enumeration(action.kind);
  out.text(action.action_id);
  out.u32(action.member);
  out.u32(action.other_member);
  out.i64(action.points);
  out.text(action.reason);
  out.i64(action.time_utc);
  out.u32(action.transaction);
}

void read_action(Reader& in, PointsAction& action) {
  action.kind = in.enumeration(points_action_kind_last);
  action.action_id = in.text();
  action.member = in.u32();
  action.other_member = in.u32();
  action.points = in.amount();
  action.reason = in.text();
  action.time_utc = in.time();
  action.transaction = in.u32();
}

void write_refund(Writer& out, const RefundRecord& refund) {
  out.u32(refund.order);
  out.text(refund.refund_id);
  out.i64(refund.amount_vnd);
}

void read_refund(Reader& in, RefundRecord& refund) {
  refund.order = in.u32();
  refund.refund_id = in.text();
  refund.amount_vnd = in.amount();
}

void write_adjustment(Writer& out, const AdjustmentRecord& adjustment) {
  out.u32(adjustment.member);
  out.i64(adjustment.points);
  out.text(adjustment.reason);
  out.text(adjustment.idempotency_key);
  out.u32(adjustment.actor);
  out.u32(adjustment.transaction);
}

void read_adjustment(Reader& in, AdjustmentRecord& adjustment) {
  adjustment.member = in.u32();
  adjustment.points = in.amount();
  adjustment.reason = in.text();
  adjustment.idempotency_key = in.text();
  adjustment.actor = in.u32();
  adjustment.transaction = in.u32();
}

void write_portion(Writer& out, const LotPortion& portion) {
  out.u32(portion.transaction);
  out.u32(portion.lot);
  out.i64(portion.points);
}

void read_portion(Reader& in, LotPortion& portion) {
  portion.transaction = in.u32();
  portion.lot = in.u32();
  portion.points = in.amount();
}

// Voucher campaigns (core/campaigns): the config as its JSON document, like the program's;
// the counters (codes_live, codes_used, committed_vnd) are derived, recounted on load.
void write_campaign(Writer& out, const Campaign& campaign) {
  out.text(campaign_config_to_json(campaign.config).dump());
  out.enumeration(campaign.status);
  out.i64(campaign.saved_at_utc);
}

void read_campaign(Reader& in, Campaign& campaign) {
  const std::string document = in.text();
  campaign.status = in.enumeration(campaign_status_last);
  campaign.saved_at_utc = in.time();
  if (!in.ok()) return;
  const Json json = Json::parse(document, nullptr, false);
  CampaignConfigReading config = json.is_discarded() ? CampaignConfigReading{} : read_campaign_config(json, "");
  if (!config.config) {
    in.fail("a campaign is invalid");
    return;
  }
  campaign.config = std::move(*config.config);
}

void write_voucher_code(Writer& out, const VoucherCode& code) {
  out.text(code.code);
  out.u32(code.campaign);
  out.u32(code.owner);
  out.enumeration(code.source);
  out.enumeration(code.state);
  out.u32(code.origin);
  out.i64(code.issued_at_utc);
  out.text(code.order_id);
  out.i64(code.discount_vnd);
  out.i64(code.used_at_utc);
}

void read_voucher_code(Reader& in, VoucherCode& code) {
  code.code = in.text();
  code.campaign = in.u32();
  code.owner = in.u32();
  code.source = in.enumeration(code_source_last);
  code.state = in.enumeration(code_state_last);
  code.origin = in.u32();
  code.issued_at_utc = in.time();
  code.order_id = in.text();
  code.discount_vnd = in.amount();
  code.used_at_utc = in.time();
}

void write_voucher_claim(Writer& out, const VoucherClaim& claim) {
  out.text(claim.claim_id);
  out.u32(claim.campaign);
  out.u32(claim.member);
  out.u32(claim.code);
  out.i64(claim.points);
  out.enumeration(claim.state);
  out.i64(claim.claimed_at_utc);
  out.u32(claim.transaction);
  out.text(claim.cancel_reason);
}

void read_voucher_claim(Reader& in, VoucherClaim& claim) {
  claim.claim_id = in.text();
  claim.campaign = in.u32();
  claim.member = in.u32();
  claim.code = in.u32();
  claim.points = in.amount();
  claim.state = in.enumeration(claim_state_last);
  claim.claimed_at_utc = in.time();
  claim.transaction = in.u32();
  claim.cancel_reason = in.text();
}

void write_voucher_batch(Writer& out, const VoucherBatch& batch) {
  out.text(batch.batch_id);
  out.u32(batch.campaign);
  out.enumeration(batch.source);
  out.u32(batch.first_code);
  out.u32(batch.count);
  out.i64(batch.time_utc);
}

void read_voucher_batch(Reader& in, VoucherBatch& batch) {
  batch.batch_id = in.text();
  batch.campaign = in.u32();
  batch.source = in.enumeration(code_source_last);
  batch.first_code = in.u32();
  batch.count = in.u32();
  batch.time_utc = in.time();
}

// Notifications (core/notifications): the documents as JSON, like the campaigns'; the
// counters are derived from the flags (recounted on load), the occasion keys from the occasions.
void write_notification(Writer& out, const Notification& notification) {
  out.text(notification_config_to_json(notification.config).dump());
  out.enumeration(notification.status);
  out.i64(notification.saved_at_utc);
  out.i64(notification.send_at_utc);
  out.i64(notification.started_at_utc);
  out.i64(notification.finished_at_utc);
  out.u32(notification.audience_count);
  out.count(notification.audience_members.size());
  for (const MemberIndex member : notification.audience_members) out.u32(member);
  out.text(std::string_view(reinterpret_cast<const char*>(notification.flags.data()), notification.flags.size()));
  std::vector<std::pair<std::uint32_t, const DeliveryFailure*>> failures;
  for (const auto& [position, failure] : notification.failures) failures.emplace_back(position, &failure);
  std::sort(failures.begin(), failures.end());   // the map's order differs between builds
  out.count(failures.size());
  for (const auto& [position, failure] : failures) {
    out.u32(position);
    out.u32(failure->failures);
    out.i64(failure->retry_at_utc);
    out.text(failure->reason);
  }
  out.count(notification.opens.size());
  for (const DeliveryOpen& open : notification.opens) {
    out.u32(open.member);
    out.i64(open.opened_at_utc);
  }
}

void read_notification(Reader& in, Notification& notification) {
  const std::string document = in.text();
  notification.status = in.enumeration(notification_status_last);
  notification.saved_at_utc = in.time();
  notification.send_at_utc = in.time();
  notification.started_at_utc = in.time();
  notification.finished_at_utc = in.time();
  notification.audience_count = in.u32();
  notification.audience_members.resize(in.count(4));
  for (MemberIndex& member : notification.audience_members) member = in.u32();
  const std::string flags = in.bytes(UINT32_MAX);
  notification.flags.assign(flags.begin(), flags.end());
  const std::size_t failures = in.count(4 + 4 + 8 + 4);
  for (std::size_t i = 0; i < failures && in.ok(); ++i) {
    const std::uint32_t position = in.u32();
    DeliveryFailure failure;
    failure.failures = in.u32();
    failure.retry_at_utc = in.time();
    failure.reason = in.text();
    if (in.ok() && !notification.failures.emplace(position, std::move(failure)).second) in.fail("a delivery failed twice in the list");
  }
  notification.opens.resize(in.count(4 + 8));
  for (DeliveryOpen& open : notification.opens) {
    open.member = in.u32();
    open.opened_at_utc = in.time();
  }
  if (!in.ok()) return;
  const Json json = Json::parse(document, nullptr, false);
  NotificationConfigReading config = json.is_discarded() ? NotificationConfigReading{} : read_notification_config(json, "");
  if (!config.config) {
    in.fail("a notification is invalid");
    return;
  }
  notification.config = std::move(*config.config);
}

void write_scenario(Writer& out, const Scenario& scenario) {
  out.text(scenario_config_to_json(scenario.config).dump());
  out.i64(scenario.saved_at_utc);
  out.i64(scenario.next_scan_utc);
  out.count(scenario.above_threshold.size());
  for (const std::uint64_t word : scenario.above_threshold) out.u64(word);
}

void read_scenario(Reader& in, Scenario& scenario) {
  const std::string document = in.text();
  scenario.saved_at_utc = in.time();
  scenario.next_scan_utc = in.time_or_never();
  scenario.above_threshold.resize(in.count(8));
  for (std::uint64_t& word : scenario.above_threshold) word = in.u64();
  if (!in.ok()) return;
  const Json json = Json::parse(document, nullptr, false);
  ScenarioConfigReading config = json.is_discarded() ? ScenarioConfigReading{} : read_scenario_config(json, "");
  if (!config.config) {
    in.fail("a scenario is invalid");
    return;
  }
  scenario.config = std::move(*config.config);
}

void write_occasion(Writer& out, const ScenarioOccasion& occasion) {
  out.u32(occasion.scenario);
  out.u32(occasion.member);
  out.i64(occasion.occurred_at_utc);
  out.i64(occasion.due_at_utc);
  out.i64(occasion.subject);
  out.i64(occasion.points);
  out.u8(occasion.flags);
  out.u32(occasion.failure.failures);
  out.i64(occasion.failure.retry_at_utc);
  out.text(occasion.failure.reason);
  out.i64(occasion.opened_at_utc);
}

void read_occasion(Reader& in, ScenarioOccasion& occasion) {
  occasion.scenario = in.u32();
  occasion.member = in.u32();
  occasion.occurred_at_utc = in.time();
  occasion.due_at_utc = in.time();
  occasion.subject = in.i64();
  occasion.points = in.amount();
  occasion.flags = in.u8();
  occasion.failure.failures = in.u32();
  occasion.failure.retry_at_utc = in.time();
  occasion.failure.reason = in.text();
  occasion.opened_at_utc = in.time();
}

// The fewest bytes a record can take (empty texts and lists): a count of records that
// would need more bytes than are left is refused before anything is allocated.
template <typename Record>
std::size_t min_bytes(void (*write)(Writer&, const Record&)) {
  Writer out;
  write(out, Record{});
  return out.bytes.size();
}

}  // namespace

// The Store's fields, in the order of the sections (store.hpp):
//   clock_utc_, last_actor_ (CLCK); actors_ (ACTR); program_versions_ (PROG); members_
//   (MEMB); orders_ (ORDR); refunds_ (RFND); adjustments_ (ADJS); lots_ (LOTS);
//   lot_portions_ (PORT); holds_ (HOLD); points_actions_ (ACTN);
//   staff_action_by_transaction_ (STAF); due_ (DUEW); ledger_ (LEDG); search_index_ (SRCH).
// Rebuilt on load: member_by_id_, member_by_phone_, member_by_card_, order_by_id_,
//   hold_by_id_, refund_by_key_, adjustment_by_key_, points_action_by_key_, actor_by_name_.
std::string StoreSnapshot::write(const Store& store) {
  Writer out;
  // About what each record takes, so that the buffer seldom grows (a copy of it each time).
  out.bytes.reserve(1024 + 256 * store.members_.size() + 180 * store.orders_.size() + 70 * store.lots_.size() +
                    14 * store.due_.size() + 30 * store.ledger_.transactions().size() + 12 * store.ledger_.postings().size());
  out.bytes.append(snapshot_magic);
  out.u32(snapshot_format_version);
  out.u64(0);   // the byte count, set at the end

  out.section("CLCK");
  out.i64(store.clock_utc_);
  out.u32(store.last_actor_);

  out.section("ACTR");
  out.count(store.actors_.size());
  for (const std::string& actor : store.actors_) out.text(actor);

  out.section("PROG");
  out.count(store.program_versions_.size());
  for (const ProgramVersion& version : store.program_versions_) {
    out.i32(version.version);
    out.i64(version.effective_from_utc);
    out.i64(version.inactivity_since_utc);
    // The program document's own JSON form: it follows ProgramConfig as that grows.
    out.text(program_config_to_json(version.config).dump());
  }

  out.section("MEMB");
  out.count(store.members_.size());
  for (const Member& member : store.members_) write_member(out, member);

  out.section("ORDR");
  out.count(store.orders_.size());
  for (const Order& order : store.orders_) write_order(out, order);

  out.section("RFND");
  out.count(store.refunds_.size());
  for (const RefundRecord& refund : store.refunds_) write_refund(out, refund);

  out.section("ADJS");
  out.count(store.adjustments_.size());
  for (const AdjustmentRecord& adjustment : store.adjustments_) write_adjustment(out, adjustment);

  out.section("LOTS");
  out.count(store.lots_.size());
  for (const PointLot& lot : store.lots_) write_lot(out, lot);

  out.section("PORT");
  out.count(store.lot_portions_.size());
  for (const LotPortion& portion : store.lot_portions_) write_portion(out, portion);

  out.section("HOLD");
  out.count(store.holds_.size());
  for (const PointsHold& hold : store.holds_) write_hold(out, hold);

  out.section("ACTN");
  out.count(store.points_actions_.size());
  for (const PointsAction& action : store.points_actions_) write_action(out, action);

  out.section("STAF");
  {
    // A hash map: sorted, so that the same store always gives the same bytes.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> staff(store.staff_action_by_transaction_.begin(),
                                                               store.staff_action_by_transaction_.end());
    std::sort(staff.begin(), staff.end());
    out.count(staff.size());
    for (const auto& [transaction, action] : staff) {
      out.u32(transaction);
      out.u32(action);
    }
  }

  out.section("DUEW");
  out.count(store.due_.size());
  for (const Store::DueItem& item : store.due_) {   // as stored: the heap's layout is its processing order
    out.i64(item.at_utc);
    out.enumeration(item.kind);
    out.u32(item.subject);
  }

  // Ledger (ledger.hpp): system_accounts_ and member_accounts_ (balances, history heads)
  // and each posting's previous_in_account follow from posting the transactions again in
  // order, so only the transactions and their postings are written.
  out.section("LEDG");
  const Ledger& ledger = store.ledger_;
  out.count(store.members_.size());   // member accounts: one set per member
  out.count(ledger.transactions().size());
  for (const Transaction& transaction : ledger.transactions()) {
    out.i64(transaction.time_utc);
    out.i64(transaction.effective_time_utc);
    out.enumeration(transaction.kind);
    out.u32(transaction.subject);
    out.u32(transaction.actor);
    out.count(transaction.posting_count);
    for (const Posting& posting : ledger.postings_of(transaction)) {
      out.u32(posting.account);
      out.i64(posting.amount);
    }
  }

  // MemberSearchIndex (member_search.hpp): written as it stands, pending adds and stale
  // entries included, because which entries sit in which run decides what a capped
  // any-order search examines: a rebuilt index could answer such a search differently.
  out.section("SRCH");
  const MemberSearchIndex& search = store.search_index_;
  out.count(search.names_text_.size());
  out.bytes.append(search.names_text_);
  out.count(search.name_offset_by_member_.size());
  for (const std::uint32_t offset : search.name_offset_by_member_) out.u32(offset);
  for (const auto* runs : {&search.full_names_, &search.later_words_}) {
    for (const auto* entries : {&runs->main, &runs->tail, &runs->pending}) {
      out.count(entries->size());
      for (const MemberSearchIndex::NameEntry& entry : *entries) {
        out.u32(entry.member);
        out.u32(entry.text_offset);
      }
    }
  }
  for (const auto* runs : {&search.phones_, &search.cards_}) {
    for (const auto* entries : {&runs->main, &runs->tail, &runs->pending}) {
      out.count(entries->size());
      for (const MemberSearchIndex::KeyEntry& entry : *entries) {
        out.u64(entry.key);
        out.u32(entry.member);
        out.u32(entry.name_offset);
      }
    }
  }
  out.u64(search.member_count_);
  out.u64(search.stale_entries_);
  out.u64(search.stale_text_bytes_);

  // Customer groups (core/groups/groups.hpp), sorted by id; a dynamic group's filter in its
  // JSON form, read back by the same parser as save_group. Each member's orders (an index
  // derived from the orders) are rebuilt on load.
  out.section("GRPS");
  out.count(store.groups_.groups_.size());
  for (const CustomerGroup& group : store.groups_.groups_) {
    out.text(group.group_id);
    out.text(group.name);
    out.text(group.name_en);
    out.text(group.description);
    out.enumeration(group.kind);
    out.i64(group.created_at_utc);
    out.i64(group.updated_at_utc);
    out.text(group.kind == GroupKind::dynamic ? group_filter_to_json(group.filter).dump() : std::string());
    out.count(group.members.size());
    for (const MemberIndex member : group.members) out.u32(member);
  }

  out.section("CAMP");
  const Campaigns& campaigns = store.campaigns_;
  out.count(campaigns.campaigns_.size());
  for (const Campaign& campaign : campaigns.campaigns_) write_campaign(out, campaign);
  out.count(campaigns.codes_.size());
  for (const VoucherCode& code : campaigns.codes_) write_voucher_code(out, code);
  out.count(campaigns.claims_.size());
  for (const VoucherClaim& claim : campaigns.claims_) write_voucher_claim(out, claim);
  out.count(campaigns.batches_.size());
  for (const VoucherBatch& batch : campaigns.batches_) write_voucher_batch(out, batch);

  // Earning by lines, bonuses and manual tiers (since version 5).
  out.section("RULS");
  out.count(store.order_lines_.size());
  for (const StoredOrderLine& line : store.order_lines_) write_order_line(out, line);
  out.count(store.bonuses_.size());
  for (const BonusRecord& bonus : store.bonuses_) write_bonus(out, bonus);
  out.count(store.tier_assignments_.size());
  for (const TierAssignment& assignment : store.tier_assignments_) write_tier_assignment(out, assignment);
  out.section("NOTI");
  const Notifications& notifications = store.notifications_;
  out.count(notifications.notifications_.size());
  for (const Notification& notification : notifications.notifications_) write_notification(out, notification);
  out.count(notifications.scenarios_.size());
  for (const Scenario& scenario : notifications.scenarios_) write_scenario(out, scenario);
  out.count(notifications.occasions_.size());
  for (const ScenarioOccasion& occasion : notifications.occasions_) write_occasion(out, occasion);

  // The byte count covers the checksum that follows; the checksum covers everything before it.
  const std::uint64_t total_bytes = out.bytes.size() + checksum_bytes;
  for (int i = 0; i < 8; ++i) out.bytes[snapshot_magic.size() + 4 + i] = static_cast<char>((total_bytes >> (8 * i)) & 0xFF);
  out.u64(snapshot_checksum(out.bytes));
  assert(out.bytes.size() == total_bytes);
  return std::move(out.bytes);
}

// [SECTION] Checks after reading ---------------------------------------------------------------
// Every index between records is checked once all records are read; then the structures
// the store walks (lists of lots, chains of referrers, the due heap) are checked to be
// well formed, so that no loop can run forever and no lookup can leave its array.
std::string StoreSnapshot::check_references(const Store& store) {
  const std::size_t members = store.members_.size();
  const std::size_t orders = store.orders_.size();
  const std::size_t lots = store.lots_.size();
  const std::size_t holds = store.holds_.size();
  const std::size_t actions = store.points_actions_.size();
  const std::size_t refunds = store.refunds_.size();
  const std::size_t adjustments = store.adjustments_.size();
  const std::size_t transactions = store.ledger_.transactions().size();
  const std::size_t versions = store.program_versions_.size();
  auto bad = [](std::string_view record, std::size_t index, std::string_view what) {
    return "snapshot: " + std::string(record) + " " + std::to_string(index) + " " + std::string(what);
  };
  auto in_range = [](std::uint32_t index, std::size_t size) { return index < size; };
  auto in_range_or_none = [](std::uint32_t index, std::size_t size) { return index == UINT32_MAX || index < size; };

  if (store.actors_.empty() || !store.actors_[0].empty()) return "snapshot: actor 0 is not the empty actor";
  if (store.last_actor_ >= store.actors_.size()) return "snapshot: the last actor is out of range";
  std::size_t tiers_max = 0;
  for (std::size_t i = 0; i < versions; ++i) {
    const ProgramVersion& version = store.program_versions_[i];
    if (version.version != static_cast<std::int32_t>(i + 1)) return bad("program version", i, "has the wrong number");
    if (i > 0 && version.effective_from_utc < store.program_versions_[i - 1].effective_from_utc) {
      return bad("program version", i, "takes effect before the version before it");
    }
    tiers_max = std::max(tiers_max, version.config.tiers.size());
  }

  for (std::size_t i = 0; i < members; ++i) {
    const Member& member = store.members_[i];
    if (!in_range_or_none(member.referrer, members) || member.referrer == i) return bad("member", i, "has a referrer out of range");
    if (member.tier_index < -1 || member.tier_index >= static_cast<std::int32_t>(tiers_max)) return bad("member", i, "has a tier out of range");
    if (!in_range_or_none(member.first_lot, lots)) return bad("member", i, "has a first lot out of range");
    for (std::size_t entry = 1; entry < member.tier_history.size(); ++entry) {
      if (member.tier_history[entry].effective_time_utc < member.tier_history[entry - 1].effective_time_utc) {
        return bad("member", i, "has its tier history out of time order");
      }
    }
    // The search index packs phones and card numbers as at most 16 digits.
    for (const std::string* digits : {&member.phone, &member.card_number}) {
      if (digits->size() > 16 || !std::all_of(digits->begin(), digits->end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return bad("member", i, "has a phone or card number that is not at most 16 digits");
      }
    }
  }
  // Referrer chains end: set_referrer walks them up. 0: not seen, 1: on the current walk, 2: ends.
  {
    std::vector<std::uint8_t> state(members, 0);
    std::vector<MemberIndex> walk;
    for (MemberIndex start = 0; start < members; ++start) {
      walk.clear();
      MemberIndex member = start;
      while (member != no_member && state[member] == 0) {
        state[member] = 1;
        walk.push_back(member);
        member = store.members_[member].referrer;
      }
      if (member != no_member && state[member] == 1) return bad("member", member, "is in a cycle of referrers");
      for (MemberIndex walked : walk) state[walked] = 2;
    }
  }
  // Each member's lots: a list through next_of_member, newest first (so indexes fall and
  // the list ends), holding every lot exactly once, each lot of that member. Checked link by
  // link in index order rather than list by list: the loads do not wait on each other, which
  // makes it several times faster on millions of lots. Every link goes from a member, or a
  // lot of that member, to a lower-indexed lot of that member; with every lot the target
  // of exactly one link, the links form one list per member and hold every lot once.
  {
    std::vector<std::uint8_t> links_to(lots, 0);
    auto link = [&](std::uint32_t lot, MemberIndex member) {
      if (store.lots_[lot].member != member || links_to[lot] != 0) return false;
      links_to[lot] = 1;
      return true;
    };
    for (std::size_t i = 0; i < members; ++i) {
      const std::uint32_t first = store.members_[i].first_lot;
      if (first != UINT32_MAX && !link(first, static_cast<MemberIndex>(i))) return bad("member", i, "lists a lot of another member");
    }
    for (std::size_t i = 0; i < lots; ++i) {
      const PointLot& lot = store.lots_[i];
      if (!in_range(lot.member, members)) return bad("lot", i, "has a member out of range");
      if (lot.next_of_member == UINT32_MAX) continue;
      if (lot.next_of_member >= i) return bad("member", lot.member, "has a list of lots out of order");
      if (!link(lot.next_of_member, lot.member)) return bad("member", lot.member, "lists a lot of another member");
    }
    for (std::size_t i = 0; i < lots; ++i) {
      if (links_to[i] == 0) return "snapshot: a lot is in no member's list";
    }
  }

  for (std::size_t i = 0; i < orders; ++i) {
    const Order& order = store.orders_[i];
    if (!in_range(order.member, members)) return bad("order", i, "has a member out of range");
    if (!in_range_or_none(order.referrer, members)) return bad("order", i, "has a referrer out of range");
    if (order.program_version < 0 || order.program_version > static_cast<std::int32_t>(versions)) {
      return bad("order", i, "has a program version out of range");
    }
    if (!in_range_or_none(order.buyer_lot, lots) || !in_range_or_none(order.referrer_lot, lots)) return bad("order", i, "has a lot out of range");
    if (!in_range_or_none(order.hold, holds)) return bad("order", i, "has a hold out of range");
  }
  for (std::size_t i = 0; i < refunds; ++i) {
    if (!in_range(store.refunds_[i].order, orders)) return bad("refund", i, "has an order out of range");
  }
  for (std::size_t i = 0; i < adjustments; ++i) {
    const AdjustmentRecord& adjustment = store.adjustments_[i];
    if (!in_range(adjustment.member, members)) return bad("adjustment", i, "has a member out of range");
    if (!in_range(adjustment.actor, store.actors_.size())) return bad("adjustment", i, "has an actor out of range");
    if (!in_range(adjustment.transaction, transactions)) return bad("adjustment", i, "has a transaction out of range");
  }
  for (std::size_t i = 0; i < lots; ++i) {
    const PointLot& lot = store.lots_[i];
    if (!in_range(lot.member, members)) return bad("lot", i, "has a member out of range");
    if (!in_range_or_none(lot.order, orders)) return bad("lot", i, "has an order out of range");
  }
  for (std::size_t i = 0; i < store.lot_portions_.size(); ++i) {
    const LotPortion& portion = store.lot_portions_[i];
    if (!in_range(portion.transaction, transactions) || !in_range(portion.lot, lots)) return bad("lot portion", i, "is out of range");
    // Refunds find a transaction's portions by binary search.
    if (i > 0 && portion.transaction < store.lot_portions_[i - 1].transaction) return bad("lot portion", i, "is out of transaction order");
  }
  for (std::size_t i = 0; i < holds; ++i) {
    const PointsHold& hold = store.holds_[i];
    if (!in_range(hold.member, members)) return bad("hold", i, "has a member out of range");
    if (!in_range_or_none(hold.order, orders)) return bad("hold", i, "has an order out of range");
    if (!in_range(hold.transaction, transactions)) return bad("hold", i, "has a transaction out of range");
  }
  for (std::size_t i = 0; i < actions; ++i) {
    const PointsAction& action = store.points_actions_[i];
    if (!in_range(action.member, members)) return bad("points action", i, "has a member out of range");
    const bool transfer = action.kind == PointsActionKind::transfer;
    if (transfer ? !in_range(action.other_member, members) : !in_range_or_none(action.other_member, members)) {
      return bad("points action", i, "has a receiver out of range");
    }
    if (!in_range_or_none(action.transaction, transactions)) return bad("points action", i, "has a transaction out of range");
  }
  for (const auto& [transaction, action] : store.staff_action_by_transaction_) {
    if (!in_range(transaction, transactions) || !in_range(action, actions)) return bad("staff action of transaction", transaction, "is out of range");
  }

  // Due work: subjects by kind, and the heap's order (store.hpp: a min-heap by (at, kind, subject)).
  static_assert(field_count<Store::DueItem>() == 3 && static_cast<int>(Store::DueKind::delivery_wake) == 9,
                "DueItem or DueKind changed: update the snapshot's DUEW section and raise snapshot_format_version");
  for (std::size_t i = 0; i < store.due_.size(); ++i) {
    const Store::DueItem& item = store.due_[i];
    std::size_t limit = 0;
    switch (item.kind) {
      case Store::DueKind::program_effective: limit = versions; break;
      case Store::DueKind::release_lot:
      case Store::DueKind::expire_lot: limit = lots; break;
      case Store::DueKind::count_tier_points: limit = orders; break;
      case Store::DueKind::hold_timeout: limit = holds; break;
      case Store::DueKind::inactivity:
      case Store::DueKind::manual_tier_end: limit = members; break;
      case Store::DueKind::notification_start: limit = store.notifications_.notifications_.size(); break;
      case Store::DueKind::scenario_scan: limit = store.notifications_.scenarios_.size(); break;
      case Store::DueKind::delivery_wake: limit = 1; break;   // subject 0
    }
    if (!in_range(item.subject, limit)) return bad("due item", i, "has a subject out of range");
  }
  const auto due_later = [](const Store::DueItem& a, const Store::DueItem& b) {
    if (a.at_utc != b.at_utc) return a.at_utc > b.at_utc;
    if (a.kind != b.kind) return a.kind > b.kind;
    return a.subject > b.subject;
  };
  if (!std::is_heap(store.due_.begin(), store.due_.end(), due_later)) return "snapshot: the due work is not a heap";

  // Notifications: what their lookups and counters index (the rest is check_invariants').
  for (std::size_t i = 0; i < store.notifications_.notifications_.size(); ++i) {
    const Notification& notification = store.notifications_.notifications_[i];
    if (notification.flags.size() != notification.audience_count) return bad("notification", i, "has flags for another audience");
    if (!notification.audience_members.empty() && notification.audience_members.size() != notification.audience_count) {
      return bad("notification", i, "lists another audience than it counts");
    }
    for (const auto& [position, failure] : notification.failures) {
      if (position >= notification.audience_count) return bad("notification", i, "has a failure out of its audience");
    }
    for (const DeliveryOpen& open : notification.opens) {
      if (!in_range(open.member, members)) return bad("notification", i, "has an open by a member out of range");
    }
  }
  for (std::size_t i = 0; i < store.notifications_.occasions_.size(); ++i) {
    const ScenarioOccasion& occasion = store.notifications_.occasions_[i];
    if (!in_range(occasion.scenario, store.notifications_.scenarios_.size()) || !in_range(occasion.member, members)) {
      return bad("occasion", i, "is out of range");
    }
    const ScenarioKind kind = store.notifications_.scenarios_[occasion.scenario].config.kind;
    if (kind == ScenarioKind::order_thanks && (occasion.subject < 0 || occasion.subject >= static_cast<std::int64_t>(orders))) {
      return bad("occasion", i, "thanks for an order out of range");
    }
    // A day or a year rendered into a message: within the times a snapshot holds.
    if (occasion.subject < -time_limit_s / 86400 || occasion.subject > time_limit_s / 86400) return bad("occasion", i, "has a subject out of range");
  }

  // Transactions: what each kind's subject indexes when the history is shown (store_json.cpp).
  for (std::size_t i = 0; i < transactions; ++i) {
    const Transaction& transaction = store.ledger_.transactions()[i];
    const std::uint32_t subject = transaction.subject;
    bool subject_ok = true;
    switch (transaction.kind) {
      case TransactionKind::pool_funding: break;
      case TransactionKind::order_earning:
      case TransactionKind::tier_earning: subject_ok = in_range(subject, orders); break;
      case TransactionKind::order_reversal:
      case TransactionKind::tier_reversal:
      case TransactionKind::points_returned: subject_ok = in_range(subject, refunds); break;
      case TransactionKind::manual_adjustment: subject_ok = in_range(subject, adjustments); break;
      case TransactionKind::pending_release:
      case TransactionKind::pending_cancel: subject_ok = in_range(subject, lots); break;
      case TransactionKind::points_redeemed: subject_ok = in_range(subject, actions); break;
      case TransactionKind::points_transfer:
        subject_ok = in_range(subject, actions) && store.points_actions_[subject].kind == PointsActionKind::transfer;
        break;
      case TransactionKind::hold_placed:
      case TransactionKind::hold_released: subject_ok = in_range(subject, holds); break;
      case TransactionKind::hold_captured: subject_ok = in_range(subject, holds) && in_range(store.holds_[subject].order, orders); break;
      case TransactionKind::points_expired:
      case TransactionKind::birthday_bonus: subject_ok = in_range(subject, members); break;
      case TransactionKind::voucher_claimed:
      case TransactionKind::voucher_claim_cancelled: subject_ok = in_range(subject, store.campaigns_.claims_.size()); break;
      case TransactionKind::welcome_bonus:
      case TransactionKind::first_order_bonus:
      case TransactionKind::referral_bonus:
      case TransactionKind::profile_completion_bonus:
      case TransactionKind::tier_up_bonus:
      case TransactionKind::bonus_reversal: subject_ok = in_range(subject, store.bonuses_.size()); break;
    }
    if (!subject_ok) return bad("transaction", i, "has a subject out of range");
  }

  // Order lines, bonuses (each order's chain runs to lower indexes, so it ends) and manual tiers.
  for (std::size_t i = 0; i < orders; ++i) {
    const Order& order = store.orders_[i];
    if (order.line_count != 0 && (order.first_line >= store.order_lines_.size() ||
                                  order.line_count > store.order_lines_.size() - order.first_line)) {
      return bad("order", i, "has lines out of range");
    }
    if (!in_range_or_none(order.first_bonus, store.bonuses_.size())) return bad("order", i, "has a bonus out of range");
  }
  for (std::size_t i = 0; i < store.bonuses_.size(); ++i) {
    const BonusRecord& bonus = store.bonuses_[i];
    if (!in_range(bonus.member, members) || !in_range_or_none(bonus.order, orders) || !in_range(bonus.lot, lots) ||
        (bonus.next_of_order != UINT32_MAX && bonus.next_of_order >= i)) {
      return bad("bonus", i, "has an index out of range");
    }
  }
  for (std::size_t i = 0; i < store.tier_assignments_.size(); ++i) {
    const TierAssignment& assignment = store.tier_assignments_[i];
    if (!in_range(assignment.member, members) || !in_range(assignment.actor, store.actors_.size())) {
      return bad("tier assignment", i, "has an index out of range");
    }
  }

  // Voucher campaigns: every index in range, and what a cancel gives back is in the ledger.
  {
    const Campaigns& campaigns = store.campaigns_;
    const std::size_t campaign_count = campaigns.campaigns_.size(), codes = campaigns.codes_.size();
    const std::size_t claims = campaigns.claims_.size(), batches = campaigns.batches_.size();
    std::vector<__int128> committed(campaign_count, 0);
    for (std::size_t i = 0; i < codes; ++i) {
      const VoucherCode& code = campaigns.codes_[i];
      if (!in_range(code.campaign, campaign_count) || !in_range_or_none(code.owner, members)) return bad("voucher code", i, "is out of range");
      if (!in_range(code.origin, code.source == CodeSource::claimed ? claims : batches)) return bad("voucher code", i, "has an origin out of range");
      if (code.discount_vnd < 0 || code.discount_vnd > amount_vnd_max) return bad("voucher code", i, "has a discount out of range");
      if ((code.state == CodeState::used) == code.order_id.empty()) return bad("voucher code", i, "has its order and its state disagree");
      committed[code.campaign] += campaign_max_discount_vnd(campaigns.campaigns_[code.campaign].config);
      if (committed[code.campaign] > amount_limit) return bad("voucher code", i, "commits more than a campaign can hold");
    }
    for (std::size_t i = 0; i < claims; ++i) {
      const VoucherClaim& claim = campaigns.claims_[i];
      if (!in_range(claim.campaign, campaign_count) || !in_range(claim.member, members) || !in_range(claim.code, codes)) {
        return bad("voucher claim", i, "is out of range");
      }
      if (claim.points < 0 || (claim.points == 0) != (claim.transaction == UINT32_MAX)) return bad("voucher claim", i, "has points and a transaction that disagree");
      if (claim.points == 0) continue;
      if (!in_range(claim.transaction, transactions)) return bad("voucher claim", i, "has a transaction out of range");
      const Transaction& transaction = store.ledger_.transactions()[claim.transaction];
      if (transaction.kind != TransactionKind::voucher_claimed || transaction.subject != i) return bad("voucher claim", i, "names another transaction");
      // A cancel gives back the portions recorded under it: they must add up to the points.
      Points portions = 0;
      const auto first = std::lower_bound(store.lot_portions_.begin(), store.lot_portions_.end(), claim.transaction,
                                          [](const LotPortion& portion, std::uint32_t t) { return portion.transaction < t; });
      for (auto portion = first; portion != store.lot_portions_.end() && portion->transaction == claim.transaction; ++portion) {
        if (portion->points < 0 || !add_fits(portions, portion->points, portions)) return bad("voucher claim", i, "has portions out of range");
      }
      if (portions != claim.points) return bad("voucher claim", i, "has portions that differ from its points");
    }
    for (std::size_t i = 0; i < batches; ++i) {
      const VoucherBatch& batch = campaigns.batches_[i];
      if (!in_range(batch.campaign, campaign_count) || batch.first_code > codes || batch.count > codes - batch.first_code) {
        return bad("voucher batch", i, "is out of range");
      }
    }
  }

  // The search index: every offset inside the text, every entry's member inside the index.
  const MemberSearchIndex& search = store.search_index_;
  const std::string& text = search.names_text_;
  if (!text.empty() && (text.front() != '\0' || text.back() != '\0')) return "snapshot: the search index's names are not terminated";
  if (search.name_offset_by_member_.size() != members || search.member_count_ != members) {
    return "snapshot: the search index does not hold every member";
  }
  for (std::size_t i = 0; i < members; ++i) {
    const std::uint32_t offset = search.name_offset_by_member_[i];
    if (offset == 0 || offset >= text.size() || text[offset - 1] != '\0') return bad("member", i, "has a search entry out of range");
    // The indexed name is the member's name: a search finds what get_member shows.
    if (std::string_view(text.data() + offset) != fold_for_search(store.members_[i].name)) {
      return bad("member", i, "is indexed under another name");
    }
  }
  std::size_t entries = 0;
  for (const auto* runs : {&search.full_names_, &search.later_words_}) {
    for (const auto* run : {&runs->main, &runs->tail, &runs->pending}) {
      entries += run->size();
      for (const MemberSearchIndex::NameEntry& entry : *run) {
        if (entry.member >= members || entry.text_offset == 0 || entry.text_offset >= text.size()) {
          return "snapshot: a name entry of the search index is out of range";
        }
      }
    }
  }
  for (const auto* runs : {&search.phones_, &search.cards_}) {
    for (const auto* run : {&runs->main, &runs->tail, &runs->pending}) {
      entries += run->size();
      for (const MemberSearchIndex::KeyEntry& entry : *run) {
        if (entry.member >= members) return "snapshot: a phone or card entry of the search index is out of range";
      }
    }
  }
  if (search.stale_entries_ > entries || search.stale_text_bytes_ > text.size()) return "snapshot: the search index's stale counts are out of range";
  return {};
}

// The lookups the commands use, from the records; a key held twice is refused (the
// commands never let that happen, and a lookup could find only one of them).
std::string StoreSnapshot::rebuild_lookups(Store& store) {
  // Each member's orders for the groups (orders' members were checked in check_references).
  for (MemberIndex i = 0; i < store.members_.size(); ++i) store.sync_group_member(i);
  for (std::uint32_t i = 0; i < store.orders_.size(); ++i) {
    store.groups_.note_order(i, store.orders_[i].member);
    store.sync_group_order(i);
  }
  for (std::uint32_t i = 0; i < store.members_.size(); ++i) {
    const Member& member = store.members_[i];
    if (store.find_member(member.member_id) != no_member) return "snapshot: member id " + member.member_id + " is held twice";
    store.member_by_id_.insert(member.member_id, i);
    if (store.find_member_by_phone(member.phone) != no_member) return "snapshot: phone " + member.phone + " is held twice";
    store.member_by_phone_.insert(member.phone, i);
    if (store.find_member_by_card(member.card_number) != no_member) return "snapshot: card " + member.card_number + " is held twice";
    store.member_by_card_.insert(member.card_number, i);
  }
  for (std::uint32_t i = 0; i < store.orders_.size(); ++i) {
    const std::string& order_id = store.orders_[i].order_id;
    if (store.find_order(order_id) != UINT32_MAX) return "snapshot: order id " + order_id + " is held twice";
    store.order_by_id_.insert(order_id, i);
  }
  for (std::uint32_t i = 0; i < store.holds_.size(); ++i) {
    const std::string& hold_id = store.holds_[i].hold_id;
    if (store.find_hold(hold_id) != UINT32_MAX) return "snapshot: hold id " + hold_id + " is held twice";
    store.hold_by_id_.insert(hold_id, i);
  }
  // The keys as the commands build them (orders.cpp, adjustments.cpp, spending.cpp).
  for (std::uint32_t i = 0; i < store.refunds_.size(); ++i) {
    const RefundRecord& refund = store.refunds_[i];
    std::string key = store.orders_[refund.order].order_id;
    key.push_back('\x1f');
    key += refund.refund_id;
    if (!store.refund_by_key_.emplace(std::move(key), i).second) return "snapshot: refund " + refund.refund_id + " is held twice";
  }
  for (std::uint32_t i = 0; i < store.adjustments_.size(); ++i) {
    const std::string& key = store.adjustments_[i].idempotency_key;
    if (!store.adjustment_by_key_.emplace(key, i).second) return "snapshot: adjustment " + key + " is held twice";
  }
  for (std::uint32_t i = 0; i < store.points_actions_.size(); ++i) {
    const PointsAction& action = store.points_actions_[i];
    if (action.kind != PointsActionKind::transfer && action.kind != PointsActionKind::redemption) continue;
    std::string key = std::to_string(static_cast<int>(action.kind)) + ":" + action.action_id;
    if (!store.points_action_by_key_.emplace(std::move(key), i).second) return "snapshot: points action " + action.action_id + " is held twice";
  }
  if (std::string problem = store.campaigns_.rebuild_lookups(); !problem.empty()) return problem;
  if (std::string problem = store.notifications_.rebuild_lookups(); !problem.empty()) return problem;
  store.actor_by_name_.clear();
  for (std::uint32_t i = 0; i < store.actors_.size(); ++i) {
    if (!store.actor_by_name_.emplace(store.actors_[i], i).second) return "snapshot: actor " + store.actors_[i] + " is held twice";
  }
  return {};
}

// check_invariants adds up lots, holds, statements and tier history in int64: on bytes
// that passed every other check those sums could still overflow, so they are added here
// first with overflow checks, in the same way.
std::string StoreSnapshot::check_sums(const Store& store) {
  const std::size_t members = store.members_.size();
  std::vector<std::int64_t> held_by_member(members, 0);
  for (const PointsHold& hold : store.holds_) {
    if (hold.state == HoldState::active && !add_fits(held_by_member[hold.member], hold.points, held_by_member[hold.member])) {
      return "snapshot: the holds of a member overflow";
    }
  }
  // The lots' sums per member in one pass over the lots (check_references made sure each
  // is in its member's list): no walk from lot to lot.
  std::vector<std::int64_t> available_by_member(members, 0), pending_by_member(members, 0);
  for (std::size_t i = 0; i < store.lots_.size(); ++i) {
    const PointLot& lot = store.lots_[i];
    std::int64_t& sum = (lot.pending ? pending_by_member : available_by_member)[lot.member];
    if (!add_fits(sum, lot.points_remaining, sum)) return "snapshot: the totals of member " + store.members_[lot.member].member_id + " overflow";
  }
  for (MemberIndex member = 0; member < members; ++member) {
    const Member& record = store.members_[member];
    std::int64_t available = available_by_member[member], tier_total = 0, statement = 0, balances = 0;
    bool fits = true;
    for (const TierEntry& entry : record.tier_history) fits = fits && add_fits(tier_total, entry.tier_points, tier_total);
    for (const std::int64_t part : {record.points_earned, record.points_received, record.points_returned, -record.points_spent,
                                    -record.points_expired, -record.points_reversed, -record.points_sent}) {
      fits = fits && add_fits(statement, part, statement);
    }
    fits = fits && add_fits(store.ledger_.balance(member, MemberAccount::points), pending_by_member[member], balances) &&
           add_fits(balances, held_by_member[member], balances) && add_fits(available, -record.debt_points, available);
    if (!fits) return "snapshot: the totals of member " + record.member_id + " overflow";
  }
  return {};
}

// [SECTION] Write and read -----------------------------------------------------------------------
SnapshotReading StoreSnapshot::read(std::string_view bytes) {
  SnapshotReading reading;
  auto refuse = [&reading](std::string error) {
    reading.error = std::move(error);
    return std::move(reading);
  };
  if (bytes.size() < header_bytes + checksum_bytes) {
    return refuse("snapshot: " + std::to_string(bytes.size()) + " bytes are too few for a snapshot");
  }
  if (bytes.substr(0, snapshot_magic.size()) != snapshot_magic) return refuse("snapshot: not a snapshot (no LOYSNAP magic)");
  Reader header(bytes.substr(snapshot_magic.size(), 12));
  const std::uint32_t version = header.u32();
  const std::uint64_t total_bytes = header.u64();
  if (version != snapshot_format_version) {
    return refuse("snapshot: format version " + std::to_string(version) + ", this build reads version " +
                  std::to_string(snapshot_format_version));
  }
  if (total_bytes != bytes.size()) {
    return refuse("snapshot: the header says " + std::to_string(total_bytes) + " bytes, there are " + std::to_string(bytes.size()) +
                  (total_bytes > bytes.size() ? " (truncated)" : ""));
  }
  Reader checksum(bytes.substr(bytes.size() - checksum_bytes));
  if (checksum.u64() != snapshot_checksum(bytes.substr(0, bytes.size() - checksum_bytes))) {
    return refuse("snapshot: the checksum does not match (damaged)");
  }

  Store store;
  Reader in(bytes.substr(header_bytes, bytes.size() - header_bytes - checksum_bytes));
  in.section("CLCK");
  store.clock_utc_ = in.time();
  store.last_actor_ = in.u32();

  in.section("ACTR");
  store.actors_.resize(in.count(4));
  for (std::size_t i = 0; i < store.actors_.size() && in.ok(); ++i) {
    in.record(i);
    store.actors_[i] = in.text();
  }

  in.section("PROG");
  store.program_versions_.resize(in.count(4 + 8 + 8 + 4));
  for (std::size_t i = 0; i < store.program_versions_.size() && in.ok(); ++i) {
    in.record(i);
    ProgramVersion& version = store.program_versions_[i];
    version.version = in.i32();
    version.effective_from_utc = in.time();
    version.inactivity_since_utc = in.time();
    const std::string document = in.text();
    if (!in.ok()) break;
    const Json json = Json::parse(document, nullptr, false);
    if (json.is_discarded()) {
      in.fail("the program is not JSON");
      break;
    }
    ProgramConfigReading config = read_program_config(json);
    if (!config.config) {
      in.fail("the program is invalid: " + (config.errors.empty() ? std::string() : config.errors[0].path + " " + config.errors[0].message_en));
      break;
    }
    version.config = std::move(*config.config);
  }

  in.section("MEMB");
  store.members_.resize(in.count(min_bytes(write_member)));
  for (std::size_t i = 0; i < store.members_.size() && in.ok(); ++i) {
    in.record(i);
    read_member(in, store.members_[i]);
  }

  in.section("ORDR");
  const std::size_t order_count = in.count(min_bytes(write_order));
  for (std::size_t i = 0; i < order_count && in.ok(); ++i) {
    in.record(i);
    Order order;
    read_order(in, order);
    store.orders_.push_back(std::move(order));
  }

  in.section("RFND");
  store.refunds_.resize(in.count(min_bytes(write_refund)));
  for (std::size_t i = 0; i < store.refunds_.size() && in.ok(); ++i) {
    in.record(i);
    read_refund(in, store.refunds_[i]);
  }

  in.section("ADJS");
  store.adjustments_.resize(in.count(min_bytes(write_adjustment)));
  for (std::size_t i = 0; i < store.adjustments_.size() && in.ok(); ++i) {
    in.record(i);
    read_adjustment(in, store.adjustments_[i]);
  }

  in.section("LOTS");
  const std::size_t lot_count = in.count(min_bytes(write_lot));
  for (std::size_t i = 0; i < lot_count && in.ok(); ++i) {
    in.record(i);
    PointLot lot;
    read_lot(in, lot);
    store.lots_.push_back(lot);
  }

  in.section("PORT");
  store.lot_portions_.resize(in.count(min_bytes(write_portion)));
  for (std::size_t i = 0; i < store.lot_portions_.size() && in.ok(); ++i) {
    in.record(i);
    read_portion(in, store.lot_portions_[i]);
  }

  in.section("HOLD");
  store.holds_.resize(in.count(min_bytes(write_hold)));
  for (std::size_t i = 0; i < store.holds_.size() && in.ok(); ++i) {
    in.record(i);
    read_hold(in, store.holds_[i]);
  }

  in.section("ACTN");
  store.points_actions_.resize(in.count(min_bytes(write_action)));
  for (std::size_t i = 0; i < store.points_actions_.size() && in.ok(); ++i) {
    in.record(i);
    read_action(in, store.points_actions_[i]);
  }

  in.section("STAF");
  const std::size_t staff_count = in.count(8);
  for (std::size_t i = 0; i < staff_count && in.ok(); ++i) {
    in.record(i);
    const std::uint32_t transaction = in.u32();
    const std::uint32_t action = in.u32();
    if (in.ok() && !store.staff_action_by_transaction_.emplace(transaction, action).second) in.fail("a transaction has two staff actions");
  }

  in.section("DUEW");
  store.due_.resize(in.count(13));
  for (std::size_t i = 0; i < store.due_.size() && in.ok(); ++i) {
    in.record(i);
    Store::DueItem& item = store.due_[i];
    item.at_utc = in.time();
    item.kind = in.enumeration(Store::DueKind::delivery_wake);
    item.subject = in.u32();
  }

  // The ledger: each transaction is checked the way Ledger::post asserts (two postings at
  // least, accounts that exist, one unit, a zero sum, the pool never below zero), with the
  // balances it would leave checked here (the ledger's own, plus this transaction's earlier
  // postings) so that none overflows, and only then posted again.
  in.section("LEDG");
  Ledger& ledger = store.ledger_;
  const std::uint32_t member_accounts = in.u32();
  if (in.ok() && member_accounts != store.members_.size()) in.fail("the ledger's members differ from the members");
  for (MemberIndex member = 0; member < member_accounts && in.ok(); ++member) ledger.add_member_accounts(member);
  const std::size_t account_count = in.ok() ? ledger.account_count() : 0;
  const AccountId pool = account_of(SystemAccount::pool);
  const std::size_t transaction_count = in.count(8 + 8 + 1 + 4 + 4 + 4 + 2 * 12);
  std::vector<PostingRequest> postings;
  std::vector<std::int64_t> balances_after;   // per posting: its account's balance once it is applied
  for (std::size_t i = 0; i < transaction_count && in.ok(); ++i) {
    in.record(i);
    const UtcSeconds time_utc = in.time();
    const UtcSeconds effective_time_utc = in.time();
    const TransactionKind kind = in.enumeration(transaction_kind_last);
    const std::uint32_t subject = in.u32();
    const std::uint32_t actor = in.u32();
    const std::size_t posting_count = in.count(12);
    if (!in.ok()) break;
    if (actor >= store.actors_.size()) in.fail("a transaction's actor is out of range");
    if (posting_count < 2 || posting_count > postings_per_transaction_max) in.fail("a transaction has " + std::to_string(posting_count) + " postings");
    postings.clear();
    balances_after.clear();
    std::int64_t sum = 0;
    std::int64_t pool_after = ledger.balance(pool);
    for (std::size_t p = 0; p < posting_count && in.ok(); ++p) {
      const AccountId account = in.u32();
      const std::int64_t amount = in.amount();
      if (!in.ok()) break;
      if (account >= account_count) {
        in.fail("a posting's account is out of range");
        break;
      }
      if (is_tier_account(account) != is_tier_account(postings.empty() ? account : postings[0].account)) {
        in.fail("a transaction mixes reward points and tier points");
        break;
      }
      // The account's balance so far: the ledger's, or after this transaction's last posting to it.
      std::int64_t balance = ledger.balance(account);
      for (std::size_t q = postings.size(); q-- > 0;) {
        if (postings[q].account == account) {
          balance = balances_after[q];
          break;
        }
      }
      if (!add_fits(sum, amount, sum) || !add_fits(balance, amount, balance) || balance < -amount_limit || balance > amount_limit) {
        in.fail("a balance is out of range");
        break;
      }
      if (account == pool) pool_after = balance;
      postings.push_back(PostingRequest{account, amount});
      balances_after.push_back(balance);
    }
    if (!in.ok()) break;
    if (sum != 0) in.fail("a transaction does not sum to zero");
    if (pool_after < 0) in.fail("the pool goes below zero");
    if (!in.ok()) break;
    ledger.post(kind, time_utc, effective_time_utc, subject, actor, postings);
  }
  if (in.ok()) {
    // Ledger::check_invariants adds every balance up: the same sums, checked.
    std::int64_t circulating = 0, tier_total = 0;
    for (AccountId account = 0; account < account_count; ++account) {
      const bool tier = is_tier_account(account);
      if (account == account_of(SystemAccount::genesis)) continue;
      if (!add_fits(tier ? tier_total : circulating, ledger.balance(account), tier ? tier_total : circulating)) {
        in.fail("the ledger's totals overflow");
        break;
      }
    }
  }

  in.section("SRCH");
  MemberSearchIndex& search = store.search_index_;
  search.names_text_ = in.bytes(UINT32_MAX - 1);
  search.name_offset_by_member_.resize(in.count(4));
  for (std::uint32_t& offset : search.name_offset_by_member_) offset = in.u32();
  for (auto* runs : {&search.full_names_, &search.later_words_}) {
    for (auto* entries : {&runs->main, &runs->tail, &runs->pending}) {
      entries->resize(in.count(8));
      for (MemberSearchIndex::NameEntry& entry : *entries) {
        entry.member = in.u32();
        entry.text_offset = in.u32();
      }
    }
  }
  for (auto* runs : {&search.phones_, &search.cards_}) {
    for (auto* entries : {&runs->main, &runs->tail, &runs->pending}) {
      entries->resize(in.count(16));
      for (MemberSearchIndex::KeyEntry& entry : *entries) {
        entry.key = in.u64();
        entry.member = in.u32();
        entry.name_offset = in.u32();
      }
    }
  }
  const std::uint64_t member_count = in.u64();
  const std::uint64_t stale_entries = in.u64();
  const std::uint64_t stale_text_bytes = in.u64();
  if (in.ok() && (member_count > UINT32_MAX || stale_entries > UINT32_MAX * 8ULL || stale_text_bytes > UINT32_MAX)) {
    in.fail("the search index's counts are out of range");
  }
  search.member_count_ = static_cast<std::size_t>(member_count);
  search.stale_entries_ = static_cast<std::size_t>(stale_entries);
  search.stale_text_bytes_ = static_cast<std::size_t>(stale_text_bytes);

  in.section("GRPS");
  std::vector<CustomerGroup>& groups = store.groups_.groups_;
  groups.resize(in.count(4 * 4 + 1 + 8 + 8 + 4 + 4));
  for (std::size_t i = 0; i < groups.size() && in.ok(); ++i) {
    in.record(i);
    CustomerGroup& group = groups[i];
    group.group_id = in.text();
    group.name = in.text();
    group.name_en = in.text();
    group.description = in.text();
    group.kind = in.enumeration(group_kind_last);
    group.created_at_utc = in.time();
    group.updated_at_utc = in.time();
    const std::string filter = in.text();
    if (!in.ok()) break;
    if (!is_valid_key(group.group_id, group_id_bytes_max)) in.fail("a group id is not a valid key");
    if (i > 0 && !(groups[i - 1].group_id < group.group_id)) in.fail("the groups are not sorted by id");
    if (group.name.empty()) in.fail("a group has no name");
    if (group.created_at_utc > group.updated_at_utc) in.fail("a group was updated before it was created");
    if (group.kind == GroupKind::dynamic) {
      const Json json = Json::parse(filter, nullptr, false);
      GroupFilterReading reading = json.is_discarded() ? GroupFilterReading{} : read_group_filter(json, "filter");
      if (!reading.filter) {
        in.fail("a group's filter is invalid");
      } else {
        group.filter = std::move(*reading.filter);
      }
    } else if (!filter.empty()) {
      in.fail("a static group has a filter");
    }
    const std::size_t listed = in.count(4);
    if (in.ok() && group.kind == GroupKind::dynamic && listed != 0) in.fail("a dynamic group lists members");
    if (in.ok() && listed > store.members_.size()) in.fail("a group lists more members than the store has");
    group.members.resize(in.ok() ? listed : 0);
    for (std::size_t k = 0; k < group.members.size() && in.ok(); ++k) {
      group.members[k] = in.u32();
      if (in.ok() && group.members[k] >= store.members_.size()) in.fail("a group's member is out of range");
      if (in.ok() && k > 0 && group.members[k] <= group.members[k - 1]) in.fail("a group's members are not sorted and unique");
    }
  }
  if (in.ok()) {
    bool cycle = false;
    if (const std::string problem = CustomerGroups::check_references(store.groups_.references(), cycle); !problem.empty()) {
      in.fail("the groups are inconsistent: " + problem);
    }
  }

  in.section("CAMP");
  Campaigns& campaigns = store.campaigns_;
  campaigns.campaigns_.resize(in.count(min_bytes(write_campaign)));
  for (std::size_t i = 0; i < campaigns.campaigns_.size() && in.ok(); ++i) {
    in.record(i);
    read_campaign(in, campaigns.campaigns_[i]);
  }
  campaigns.codes_.resize(in.count(min_bytes(write_voucher_code)));
  for (std::size_t i = 0; i < campaigns.codes_.size() && in.ok(); ++i) {
    in.record(i);
    read_voucher_code(in, campaigns.codes_[i]);
  }
  campaigns.claims_.resize(in.count(min_bytes(write_voucher_claim)));
  for (std::size_t i = 0; i < campaigns.claims_.size() && in.ok(); ++i) {
    in.record(i);
    read_voucher_claim(in, campaigns.claims_[i]);
  }
  campaigns.batches_.resize(in.count(min_bytes(write_voucher_batch)));
  for (std::size_t i = 0; i < campaigns.batches_.size() && in.ok(); ++i) {
    in.record(i);
    read_voucher_batch(in, campaigns.batches_[i]);
  }

  in.section("RULS");
  store.order_lines_.resize(in.count(min_bytes(write_order_line)));
  for (std::size_t i = 0; i < store.order_lines_.size() && in.ok(); ++i) {
    in.record(i);
    read_order_line(in, store.order_lines_[i]);
  }
  store.bonuses_.resize(in.count(min_bytes(write_bonus)));
  for (std::size_t i = 0; i < store.bonuses_.size() && in.ok(); ++i) {
    in.record(i);
    read_bonus(in, store.bonuses_[i]);
  }
  store.tier_assignments_.resize(in.count(min_bytes(write_tier_assignment)));
  for (std::size_t i = 0; i < store.tier_assignments_.size() && in.ok(); ++i) {
    in.record(i);
    read_tier_assignment(in, store.tier_assignments_[i]);
  }
  in.section("NOTI");
  Notifications& notifications = store.notifications_;
  notifications.notifications_.resize(in.count(min_bytes(write_notification)));
  for (std::size_t i = 0; i < notifications.notifications_.size() && in.ok(); ++i) {
    in.record(i);
    read_notification(in, notifications.notifications_[i]);
  }
  notifications.scenarios_.resize(in.count(min_bytes(write_scenario)));
  for (std::size_t i = 0; i < notifications.scenarios_.size() && in.ok(); ++i) {
    in.record(i);
    read_scenario(in, notifications.scenarios_[i]);
  }
  notifications.occasions_.resize(in.count(min_bytes(write_occasion)));
  for (std::size_t i = 0; i < notifications.occasions_.size() && in.ok(); ++i) {
    in.record(i);
    read_occasion(in, notifications.occasions_[i]);
  }

  if (!in.ok()) return refuse(in.error());
  if (in.bytes_left() != 0) return refuse("snapshot: " + std::to_string(in.bytes_left()) + " bytes follow the last section");
  if (std::string problem = check_references(store); !problem.empty()) return refuse(std::move(problem));
  if (std::string problem = rebuild_lookups(store); !problem.empty()) return refuse(std::move(problem));
  // Written before campaigns ended by themselves (Store::begin_write), a snapshot may hold one
  // past its end at the clock: ended now, as a replay of the journal ends it.
  if (store.campaigns_.next_end_utc() <= store.clock_utc_) store.campaigns_.end_due(store.clock_utc_);
  if (std::string problem = check_sums(store); !problem.empty()) return refuse(std::move(problem));
  if (std::string problem = store.check_invariants(); !problem.empty()) return refuse("snapshot: the store it holds is inconsistent: " + problem);
  reading.store = std::move(store);
  return reading;
}

}  // namespace loyalty
