// vietnamese_names.hpp: deterministic Vietnamese members for benchmarks (header-only).
//
// [SECTION] Random numbers
// [SECTION] Name tables
// [SECTION] Generator
//
// Realistic full names with diacritics (family name frequencies as in Vietnam: Nguyễn
// about 38 %, then Trần, Lê, Phạm...; middle names that depend on gender, Văn and Thị
// most of all; about 170 given names, common ones more often) and mobile numbers
// (03x, 05x, 07x, 08x, 09x, 10 digits). The same seed gives the same members on every
// platform: splitmix64, integer arithmetic only, no std::random_device or distributions.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loyalty::bench {

// [SECTION] Random numbers --------------------------------------------------------------
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t value = (state_ += 0x9E3779B97F4A7C15ULL);
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
    return value ^ (value >> 31);
  }
  // Uniform in [0, bound), bound > 0 (the tiny modulo bias does not matter here).
  std::uint32_t below(std::uint32_t bound) { return static_cast<std::uint32_t>((next() >> 16) % bound); }

 private:
  std::uint64_t state_;
};

// [SECTION] Name tables ---------------------------------------------------------------
struct WeightedWord {
  std::string_view word;
  std::uint32_t weight;  // relative frequency, in tenths of a percent for family names
};

// Family names, weights in tenths of a percent (Nguyễn 38 %).
inline constexpr WeightedWord family_names[] = {
    {"Nguyễn", 380}, {"Trần", 110}, {"Lê", 95}, {"Phạm", 70}, {"Hoàng", 40}, {"Huỳnh", 25},
    {"Phan", 45},    {"Vũ", 25},    {"Võ", 20}, {"Đặng", 21}, {"Bùi", 20},   {"Đỗ", 14},
    {"Hồ", 13},      {"Ngô", 13},   {"Dương", 10}, {"Lý", 5}, {"Đinh", 8},   {"Đoàn", 7},
    {"Trương", 7},   {"Lâm", 5},    {"Mai", 5}, {"Trịnh", 5}, {"Cao", 4},    {"Lương", 4},
    {"Tạ", 3},       {"Thái", 3},   {"Hà", 3},  {"Tô", 2},    {"Châu", 2},   {"Phùng", 2},
    {"Quách", 1},    {"Kiều", 1},   {"La", 1},  {"Tăng", 1},  {"Âu", 1},     {"Khúc", 1},
};

inline constexpr WeightedWord male_middle_names[] = {
    {"Văn", 300}, {"Minh", 100}, {"Hữu", 80}, {"Đức", 80}, {"Quốc", 60}, {"Thanh", 50},
    {"Công", 50}, {"Đình", 40},  {"Hoàng", 40}, {"Gia", 40}, {"Xuân", 30}, {"Trọng", 30},
    {"Anh", 30},  {"Bảo", 30},   {"Tuấn", 20}, {"Quang", 30}, {"Thế", 20}, {"Ngọc", 20},
    {"Khánh", 15}, {"Nhật", 15}, {"Trung", 10}, {"Mạnh", 10}, {"Phú", 10}, {"Duy", 15},
};

inline constexpr WeightedWord female_middle_names[] = {
    {"Thị", 450}, {"Ngọc", 100}, {"Thu", 60}, {"Thanh", 60}, {"Minh", 40}, {"Phương", 30},
    {"Hoài", 30}, {"Kim", 40},   {"Mỹ", 30},  {"Bảo", 30},   {"Khánh", 20}, {"Hồng", 30},
    {"Diệu", 20}, {"Quỳnh", 20}, {"Tuyết", 10}, {"Thảo", 15}, {"Bích", 20}, {"Hải", 15},
    {"Như", 20},  {"Cẩm", 10},   {"Lan", 10},  {"Thùy", 25},  {"Hà", 10},   {"Ánh", 10},
};

// Given names, most common first; the weight falls with the rank.
inline constexpr std::string_view male_given_names[] = {
    "Anh",  "Minh", "Huy",  "Nam",   "Tuấn",  "Hùng",  "Dũng",  "Long",  "Hải",   "Quân",  "Đức",   "Duy",
    "Khánh", "Phúc", "Sơn", "Thành", "Trung", "Bảo",   "Quang", "Hiếu",  "Cường", "Đạt",   "Thắng", "Tùng",
    "Việt", "Vinh", "Phong", "Tâm",  "Tú",    "Khoa",  "Lộc",   "Nghĩa", "Hưng",  "Kiên",  "Toàn",  "Thịnh",
    "An",   "Bình", "Tài",  "Trí",   "Nhân",  "Phát",  "Khang", "Lâm",   "Mạnh",  "Hoàng", "Vũ",    "Hậu",
    "Định", "Hiển", "Nguyên", "Tín", "Thiện", "Luân",  "Công",  "Kha",   "Thái",  "Tiến",  "Hòa",   "Lực",
    "Quý",  "Sang", "Thuận", "Trọng", "Vương", "Đông", "Hào",   "Kiệt",  "Lợi",   "Pháp",  "Quyết", "Triều",
    "Chiến", "Cảnh", "Dương", "Giang", "Hạnh", "Khải", "Đăng",   "Nhật",  "Phước", "Tân",   "Uy",    "Ý",
};
inline constexpr std::string_view female_given_names[] = {
    "Linh", "Trang", "Anh",  "Hương", "Ngọc",  "Thảo",  "Hà",    "Mai",   "Lan",   "Phương", "Hằng", "Huyền",
    "Nhung", "Yến",  "Vy",   "Chi",   "Giang", "Hạnh",  "Hoa",   "Hồng",  "Thủy",  "Trâm",  "Quỳnh", "My",
    "Nhi",  "Ngân", "Thư",  "Tâm",   "Uyên",  "Vân",   "Dung",  "Loan",  "Ly",    "Oanh",  "Quyên", "Trinh",
    "Tuyết", "Xuân", "Diệp", "Hiền", "Ánh",   "Nga",   "Nhàn",  "Thúy",  "Hoài",  "Diễm",  "Kiều",  "Mỹ",
    "Tiên", "Vi",   "Lệ",   "Thanh", "An",    "Bích",  "Châu",  "Duyên", "Đào",   "Gấm",   "Hậu",   "Khuê",
    "Liên", "Lụa",  "Minh", "Nguyệt", "Nhiên", "Phượng", "Sen", "Thắm",  "Thơ",   "Thùy",  "Trúc",  "Tươi",
    "Vàng", "Xuyến", "Yên", "Ái",    "Cúc",   "Đan",   "Hiên",  "Khanh", "Lành",  "Mơ",    "Nhã",   "Ước",
};

inline constexpr std::string_view mobile_prefixes[] = {
    "032", "033", "034", "035", "036", "037", "038", "039",  // Viettel
    "086", "096", "097", "098",                               // Viettel
    "081", "082", "083", "084", "085", "088", "091", "094",  // Vinaphone
    "070", "076", "077", "078", "079", "089", "090", "093",  // Mobifone
    "052", "056", "058", "092", "059", "099", "087",         // Vietnamobile, Gmobile, iTel
};

// [SECTION] Generator -----------------------------------------------------------------
struct VietnameseName {
  std::string_view family;
  std::string_view middle[2];  // zero, one or two middle names
  std::uint32_t middle_count = 0;
  std::string_view given;
  bool female = false;

  std::string full_name() const {
    std::string name(family);
    for (std::uint32_t index = 0; index < middle_count; ++index) {
      name.push_back(' ');
      name.append(middle[index]);
    }
    name.push_back(' ');
    name.append(given);
    return name;
  }
};

class VietnameseNameGenerator {
 public:
  explicit VietnameseNameGenerator(std::uint64_t seed) : random_(seed) {}

  VietnameseName name() {
    VietnameseName name;
    name.female = random_.below(2) == 1;
    name.family = pick_weighted(family_names);
    // Most names have one middle name, some two ("Nguyễn Thị Thu Hà"), a few none.
    const std::uint32_t shape = random_.below(100);
    name.middle_count = shape < 4 ? 0 : shape < 84 ? 1 : 2;
    for (std::uint32_t index = 0; index < name.middle_count; ++index) {
      // A second middle name is rarely Văn or Thị again: draw it from the given names.
      name.middle[index] = index == 0 ? (name.female ? pick_weighted(female_middle_names)
                                                     : pick_weighted(male_middle_names))
                                      : pick_given(name.female);
    }
    name.given = pick_given(name.female);
    return name;
  }

  // "0912345678": a mobile prefix and 7 more digits.
  std::string mobile_phone() {
    std::string phone(mobile_prefixes[random_.below(std::size(mobile_prefixes))]);
    for (int digit = 0; digit < 7; ++digit) phone.push_back(static_cast<char>('0' + random_.below(10)));
    return phone;
  }

  SplitMix64& random() { return random_; }

 private:
  template <std::size_t count>
  std::string_view pick_weighted(const WeightedWord (&table)[count]) {
    std::uint32_t total = 0;
    for (const auto& entry : table) total += entry.weight;
    std::uint32_t point = random_.below(total);
    for (const auto& entry : table) {
      if (point < entry.weight) return entry.word;
      point -= entry.weight;
    }
    return table[count - 1].word;
  }

  // Rank r is drawn with weight 1 / (r + 8): the first names are several times more
  // common than the last, as in real registers.
  template <std::size_t count>
  std::string_view pick_ranked(const std::string_view (&table)[count]) {
    constexpr std::uint32_t scale = 1u << 20;
    std::uint32_t total = 0;
    for (std::size_t rank = 0; rank < count; ++rank) total += scale / static_cast<std::uint32_t>(rank + 8);
    std::uint32_t point = random_.below(total);
    for (std::size_t rank = 0; rank < count; ++rank) {
      const std::uint32_t weight = scale / static_cast<std::uint32_t>(rank + 8);
      if (point < weight) return table[rank];
      point -= weight;
    }
    return table[count - 1];
  }

  std::string_view pick_given(bool female) {
    return female ? pick_ranked(female_given_names) : pick_ranked(male_given_names);
  }

  SplitMix64 random_;
};

}  // namespace loyalty::bench
