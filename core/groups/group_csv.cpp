// group_csv.cpp: CSV records as Excel writes them, and the columns that identify a member.
#include "core/groups/group_csv.hpp"

#include <algorithm>
#include <array>

#include "core/basics/text_fold.hpp"

namespace loyalty {

namespace {
bool starts_with_bom(std::string_view text) { return text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF"; }
}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (starts_with_bom(text_)) position_ = 3;
  // Excel's own hint: a first line "sep=;" names the delimiter.
  const std::string_view rest = text_.substr(position_);
  if (rest.size() >= 5 && (rest.substr(0, 4) == "sep=" || rest.substr(0, 4) == "SEP=") &&
      (rest.size() == 5 || rest[5] == '\r' || rest[5] == '\n')) {
    delimiter_ = rest[4];
    position_ += 5;
    if (position_ < text_.size() && text_[position_] == '\r') ++position_;
    if (position_ < text_.size() && text_[position_] == '\n') ++position_;
    return;
  }
  // Otherwise the most frequent candidate in the first record (the header).
  std::array<std::size_t, 3> counts{};
  constexpr std::array<char, 3> candidates = {',', ';', '\t'};
  bool quoted = false;
  for (std::size_t i = position_; i < text_.size(); ++i) {
    const char c = text_[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    for (std::size_t k = 0; k < candidates.size(); ++k) counts[k] += c == candidates[k];
  }
  const std::size_t best = static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  delimiter_ = counts[best] == 0 ? ',' : candidates[best];
}

bool CsvReader::next(std::vector<std::string>& cells) {
  cells.clear();
  if (failed_ || position_ >= text_.size()) return false;
  ++row_;
  std::string* cell = &cells.emplace_back();
  while (position_ < text_.size()) {
    const char c = text_[position_];
    if (c == '"' && cell->empty()) {
      // A quoted field: up to the closing quote; "" is one quote. What follows the closing
      // quote up to the delimiter is kept too (Excel reads "ab"c as abc).
      ++position_;
      bool closed = false;
      while (position_ < text_.size()) {
        const std::size_t quote = text_.find('"', position_);
        if (quote == std::string_view::npos) break;
        cell->append(text_.substr(position_, quote - position_));
        position_ = quote + 1;
        if (position_ < text_.size() && text_[position_] == '"') {
          cell->push_back('"');
          ++position_;
          continue;
        }
        closed = true;
        break;
      }
      if (!closed) {
        failed_ = true;
        return false;
      }
      continue;
    }
    if (c == delimiter_) {
      cell = &cells.emplace_back();
      ++position_;
      continue;
    }
    if (c == '\r' || c == '\n') {
      ++position_;
      if (c == '\r' && position_ < text_.size() && text_[position_] == '\n') ++position_;
      return true;
    }
    // A run of plain characters at once: the common case.
    std::size_t end = position_;
    while (end < text_.size() && text_[end] != delimiter_ && text_[end] != '\r' && text_[end] != '\n' && text_[end] != '"') ++end;
    if (end == position_) {   // a quote inside an unquoted field is kept as it is
      cell->push_back(c);
      ++position_;
      continue;
    }
    cell->append(text_.substr(position_, end - position_));
    position_ = end;
  }
  return true;
}

std::string_view trim_cell(std::string_view cell) {
  const std::size_t first = cell.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const std::size_t last = cell.find_last_not_of(" \t");
  return cell.substr(first, last - first + 1);
}

CsvColumn csv_column_from_header(std::string_view header) {
  if (starts_with_bom(header)) header.remove_prefix(3);
  std::string key;
  for (char c : fold_for_search(header)) {
    if (c != ' ') key.push_back(c);
  }
  static constexpr std::string_view phones[] = {"phone", "phonenumber", "mobile", "sodienthoai", "dienthoai", "sdt", "didong"};
  static constexpr std::string_view cards[] = {"cardnumber", "card", "mathe", "sothe", "mathanhvien"};
  static constexpr std::string_view ids[] = {"memberid", "makhachhang", "makh", "id"};
  auto in = [&](const auto& names) { return std::find(std::begin(names), std::end(names), key) != std::end(names); };
  if (in(ids)) return CsvColumn::member_id;
  if (in(cards)) return CsvColumn::card_number;
  if (in(phones)) return CsvColumn::phone;
  return CsvColumn::other;
}

std::string restore_phone_zero(std::string_view cell) {
  const bool digits = !cell.empty() && std::all_of(cell.begin(), cell.end(), [](char c) { return c >= '0' && c <= '9'; });
  // A mobile number is 0 then 9 digits (3, 5, 7, 8, 9 first); a landline 02 then 9 digits.
  if (digits && cell.size() == 9 && std::string_view("35789").find(cell[0]) != std::string_view::npos) return "0" + std::string(cell);
  if (digits && cell.size() == 10 && cell[0] == '2') return "0" + std::string(cell);
  return std::string(cell);
}

}  // namespace loyalty
