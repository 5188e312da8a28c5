#include <doctest/doctest.h>

#include "core/card_number.hpp"
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
