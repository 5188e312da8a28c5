#include <doctest/doctest.h>

#include "core/members/card_number.hpp"
#include "core/store.hpp"
#include "store_fixture.hpp"

using namespace loyalty;
using namespace loyalty::testing;

TEST_CASE("a member gets a card number with a check digit and a normalised phone") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912 345 678", "Nguyễn Văn An");
  const Member& member = fixture.store.members()[an];
  CHECK(member.phone == "0912345678");
  CHECK(is_valid_card_number(member.card_number));
  CHECK(fixture.store.find_member_by_card(member.card_number) == an);
  CHECK(fixture.store.find_member_by_phone("0912345678") == an);
}

TEST_CASE("the same phone in another format is the same member") {
  StoreFixture fixture;
  fixture.add_member("an", "0912 345 678", "Nguyễn Văn An");
  NewMember other;
  other.member_id = "an2";
  other.phone = "+84912345678";
  other.name = "Người khác";
  CHECK(fixture.store.create_member(other, at("2026-01-03T00:00:00Z"), fixture.changes).code == ResultCode::phone_taken);
  other.phone = "0987654321";
  other.member_id = "an";
  CHECK(fixture.store.create_member(other, at("2026-01-03T00:00:00Z"), fixture.changes).code == ResultCode::member_exists);
  CHECK(fixture.store.members().size() == 1);
}

TEST_CASE("retrying a member creation is already_applied, not a second member") {
  StoreFixture fixture;
  NewMember member;
  member.phone = "0912345678";
  member.name = "Nguyễn Văn An";
  REQUIRE(fixture.store.create_member(member, at("2026-01-03T00:00:00Z"), fixture.changes).code == ResultCode::ok);
  const MemberIndex first = fixture.changes.created_member;
  CHECK(fixture.store.members()[first].member_id == "M0000001");
  member.phone = "+84 912 345 678";
  CHECK(fixture.store.create_member(member, at("2026-01-03T00:00:01Z"), fixture.changes).code == ResultCode::already_applied);
  CHECK(fixture.changes.created_member == first);
  CHECK(fixture.store.members().size() == 1);
}

TEST_CASE("bad member input names each field and changes nothing") {
  StoreFixture fixture;
  NewMember member;
  member.member_id = "has space";
  member.phone = "12345";
  member.name = "";
  member.email = "not-an-email";
  member.birthday = Birthday{31, 2, 0};
  const Result result = fixture.store.create_member(member, at("2026-01-03T00:00:00Z"), fixture.changes);
  CHECK(result.code == ResultCode::invalid_field);
  std::vector<std::string> paths;
  for (const FieldError& error : result.errors) paths.push_back(error.path);
  CHECK(paths == std::vector<std::string>{"member_id", "phone", "name", "email", "birthday"});
  CHECK(fixture.store.members().empty());
  // 29/02 without a year is a real birthday.
  member = NewMember{};
  member.phone = "0912345678";
  member.name = "An";
  member.birthday = Birthday{29, 2, 0};
  CHECK(fixture.store.create_member(member, at("2026-01-03T00:00:00Z"), fixture.changes).ok());
}

TEST_CASE("self-referral and referral cycles are refused") {
  StoreFixture fixture;
  fixture.add_member("a", "0912000001", "A");
  fixture.add_member("b", "0912000002", "B", "a");
  fixture.add_member("c", "0912000003", "C", "b");
  fixture.add_member("d", "0912000004", "D");
  NewMember self;
  self.member_id = "e";
  self.phone = "0912000005";
  self.name = "E";
  self.referrer_id = "e";
  CHECK(fixture.store.create_member(self, at("2026-01-03T00:00:00Z"), fixture.changes).code == ResultCode::self_referral);
  const UtcSeconds time = at("2026-01-04T00:00:00Z");
  CHECK(fixture.store.set_referrer("d", "d", time, fixture.changes).code == ResultCode::self_referral);
  // a referred b, b referred c: c referring a would close the loop.
  fixture.add_member("x", "0912000006", "X");
  CHECK(fixture.store.set_referrer("a", "c", time, fixture.changes).code == ResultCode::referral_cycle);
  CHECK(fixture.store.set_referrer("b", "d", time, fixture.changes).code == ResultCode::referrer_already_set);
  CHECK(fixture.store.set_referrer("d", "c", time, fixture.changes).code == ResultCode::ok);
  CHECK(fixture.store.set_referrer("d", "c", time, fixture.changes).code == ResultCode::already_applied);
  CHECK(fixture.store.set_referrer("d", "nobody", time, fixture.changes).code == ResultCode::referrer_not_found);
}

TEST_CASE("search finds members by name without diacritics, phone digits and card number") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  fixture.add_member("dung", "0987654321", "Đặng Thị Dung");
  for (const char* query : {"nguyen van an", "Nguyen Van", "Nguyễn Văn An", "NGUYEN", "5678", "0912345678", "+84 912 345 678"}) {
    const std::vector<SearchHit> hits = fixture.store.search_members(query, 10);
    REQUIRE_MESSAGE(!hits.empty(), query);
    CHECK_MESSAGE(hits[0].member == an, query);
  }
  CHECK(fixture.store.search_members("dang", 10).at(0).member == fixture.store.find_member("dung"));
  CHECK(fixture.store.search_members(fixture.store.members()[an].card_number, 10).at(0).match == SearchMatch::card_number);
  CHECK(fixture.store.search_members("Lê", 10).empty());
}

TEST_CASE("support staff update a member: only the fields given change, the phone is re-indexed") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  fixture.add_member("binh", "0987654321", "Trần Thị Bình");
  MemberUpdate update;
  update.member_id = "an";
  update.phone = "+84 903 000 111";
  update.name = "Nguyễn Văn Ân";
  const UtcSeconds time = at("2026-03-01T00:00:00Z");
  REQUIRE(fixture.store.update_member(update, time, fixture.changes).ok());
  const Member& member = fixture.store.members()[an];
  CHECK(member.phone == "0903000111");
  CHECK(member.name == "Nguyễn Văn Ân");
  CHECK(fixture.store.find_member_by_phone("0912345678") == no_member);
  CHECK(fixture.store.find_member_by_phone("0903000111") == an);
  CHECK(fixture.store.search_members("0111", 5).at(0).member == an);
  CHECK(fixture.store.search_members("5678", 5).empty());
  // Someone else's phone is refused, and a bad email names its field; nothing changes.
  MemberUpdate clash;
  clash.member_id = "an";
  clash.phone = "0987654321";
  CHECK(fixture.store.update_member(clash, time, fixture.changes).code == ResultCode::phone_taken);
  MemberUpdate bad;
  bad.member_id = "an";
  bad.email = "nope";
  CHECK(fixture.store.update_member(bad, time, fixture.changes).errors.at(0).path == "email");
  CHECK(member.phone == "0903000111");
}

TEST_CASE("a blocked card neither earns nor spends, and unblocking restores it") {
  StoreFixture fixture;
  const MemberIndex an = fixture.add_member("an", "0912345678", "Nguyễn Văn An");
  REQUIRE(fixture.order("A1", "an", 1'000'000, OrderStatus::completed).ok());
  MemberUpdate block;
  block.member_id = "an";
  block.status = MemberStatus::blocked;
  REQUIRE(fixture.store.update_member(block, at("2026-02-02T00:00:00Z"), fixture.changes).ok());
  CHECK(fixture.order("A2", "an", 1'000'000, OrderStatus::completed).code == ResultCode::member_blocked);
  CHECK(fixture.store.redeem_points(RedemptionRequest{"R1", "an", 5, "Quà", "staff"}, at("2026-02-03T00:00:00Z"), fixture.changes).code ==
        ResultCode::member_blocked);
  // A refund of an order made before the block still takes its points back.
  CHECK(fixture.order("A1", "an", 1'000'000, OrderStatus::refunded, "2026-02-03T00:00:00Z").ok());
  CHECK(fixture.points(an) == 0);
  block.status = MemberStatus::active;
  REQUIRE(fixture.store.update_member(block, at("2026-02-04T00:00:00Z"), fixture.changes).ok());
  CHECK(fixture.order("A2", "an", 1'000'000, OrderStatus::completed, "2026-02-05T00:00:00Z").ok());
  fixture.check_invariants();
}
