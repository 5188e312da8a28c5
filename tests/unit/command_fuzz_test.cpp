// Mutated command lines from a seed: whatever arrives, the runner answers with a result
// code (never a crash or an exception), and the store's invariants keep holding.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/commands/command_runner.hpp"
#include "core/basics/seeded_random.hpp"

using namespace loyalty;

TEST_CASE("fuzz: 30,000 mutated command lines get results, and the store stays consistent") {
  const std::vector<std::string> seeds = {
      R"({"command":"save_program","time":"2026-01-01T00:00:00Z","program":{"wallet":{"point_value_vnd":1000,"buyer_earn_rate_bp":100,"referrer_earn_rate_bp":50},"tier_points":{"vnd_per_tier_point":20000,"window_months":12},"tiers":[{"id":"bac","name":"Bạc","tier_points_needed":0},{"id":"vang","name":"Vàng","tier_points_needed":500,"perks":[{"type":"earning_multiplier","enabled":true,"multiplier_bp":12000}]}],"pending":{"days":7},"expiry":{"rule":"months_after","months":2},"transfers":{"enabled":true}}})",
      R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"a","phone":"0912345678","name":"Nguyễn Văn An","birthday":{"day":15,"month":6}})",
      R"({"command":"create_member","time":"2026-01-02T00:00:00Z","member_id":"b","phone":"0987654321","name":"Trần Thị Bình","referrer_id":"a"})",
      R"({"command":"order","time":"2026-02-01T00:00:00Z","order_id":"o1","member_id":"b","status":"completed","amount_vnd":1000000,"shipping_vnd":30000})",
      R"({"command":"refund","time":"2026-02-02T00:00:00Z","order_id":"o1","refund_id":"r1","amount_vnd":400000})",
      R"({"command":"adjust_points","time":"2026-02-03T00:00:00Z","member_id":"a","points":50,"reason":"Quà","actor":"s","idempotency_key":"k1"})",
      R"({"command":"hold_points","time":"2026-02-04T00:00:00Z","hold_id":"h1","member_id":"a","points":20,"order_amount_vnd":100000})",
      R"({"command":"transfer_points","time":"2026-02-05T00:00:00Z","transfer_id":"t1","from_member_id":"a","to_member_id":"b","points":5})",
      R"({"command":"redeem_points","time":"2026-02-06T00:00:00Z","redemption_id":"d1","member_id":"a","points":5,"reason":"Voucher"})",
      R"({"command":"update_member","time":"2026-02-07T00:00:00Z","member_id":"b","email":"b@example.vn","status":"blocked"})",
      R"({"command":"get_member","member_id":"a","time":"2026-03-01T00:00:00Z"})",
      R"({"command":"search_members","query":"nguyen van","limit":5})",
      R"({"command":"preview","amount_vnd":1000000,"member_id":"a"})",
      R"({"command":"liability","time":"2026-04-01T00:00:00Z"})",
  };
  const std::string alphabet = "{}[]\":,0123456789-+.eEtrufalsn \\aZ\x80\xc3\xa9";
  SeededRandom random{20261124};
  CommandRunner runner;
  std::size_t line_number = 0;
  for (const std::string& line : seeds) runner.run_line(line, ++line_number);
  for (int iteration = 0; iteration < 30000; ++iteration) {
    std::string line = seeds[static_cast<std::size_t>(random.below(static_cast<std::int64_t>(seeds.size())))];
    const std::int64_t mutations = 1 + random.below(4);
    for (std::int64_t m = 0; m < mutations && !line.empty(); ++m) {
      const auto position = static_cast<std::size_t>(random.below(static_cast<std::int64_t>(line.size())));
      switch (random.below(4)) {
        case 0: line[position] = alphabet[static_cast<std::size_t>(random.below(static_cast<std::int64_t>(alphabet.size())))]; break;
        case 1: line.erase(position, 1 + static_cast<std::size_t>(random.below(6))); break;
        case 2: line.insert(position, 1, alphabet[static_cast<std::size_t>(random.below(static_cast<std::int64_t>(alphabet.size())))]); break;
        default: {
          // Swap a number for a huge or negative one, or a string.
          const std::size_t digit = line.find_first_of("0123456789", position);
          if (digit != std::string::npos) line.replace(digit, 1, random.below(2) ? "99999999999999999999" : "-1");
        }
      }
    }
    const CommandOutput output = runner.run_line(line, ++line_number);
    REQUIRE(output.result.contains("result"));
    REQUIRE(output.result["message"].contains("vi"));
    if (iteration % 500 == 0) REQUIRE_MESSAGE(runner.store().check_invariants() == "", "after: ", line);
  }
  CHECK(runner.store().check_invariants() == "");
}
