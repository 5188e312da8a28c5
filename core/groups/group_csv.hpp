// group_csv.hpp: reading a spreadsheet exported as CSV, the way Excel writes it.
//
// [SECTION] Records
// [SECTION] Identifying columns
//
// Excel in a Vietnamese locale writes semicolons (the comma is the decimal mark), others
// write commas; files may start with a UTF-8 byte order mark or a "sep=;" line, quote
// fields ("Nguyễn, An"; "" inside quotes is a quote), hold line breaks inside quotes, and
// end lines with CRLF, LF or CR. Row numbers are those a spreadsheet shows: the header is
// row 1 (a "sep=" line is not a row).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loyalty {

// [SECTION] Records ---------------------------------------------------------------------
class CsvReader {
 public:
  // Skips a byte order mark and a "sep=X" line; otherwise the delimiter is the one of
  // ',', ';' and tab that occurs most often (outside quotes) in the first record.
  explicit CsvReader(std::string_view text);
  char delimiter() const { return delimiter_; }
  // Reads the next record into `cells`; false at the end of the text or on an error.
  bool next(std::vector<std::string>& cells);
  std::uint32_t row() const { return row_; }          // the record just read
  bool failed() const { return failed_; }              // a quote is never closed (at row())

 private:
  std::string_view text_;
  std::size_t position_ = 0;
  char delimiter_ = ',';
  std::uint32_t row_ = 0;
  bool failed_ = false;
};

// [SECTION] Identifying columns ---------------------------------------------------------
enum class CsvColumn : std::uint8_t { other, member_id, card_number, phone };
// "Số điện thoại", "SĐT", "phone" -> phone; "Mã thẻ", "card_number" -> card_number;
// "member_id", "Mã khách hàng" -> member_id (case, diacritics, spaces and _ ignored).
CsvColumn csv_column_from_header(std::string_view header);
// A phone as Excel may have mangled it: a mobile number that lost its leading 0
// ("912345678") gets it back; anything else is returned as it is.
std::string restore_phone_zero(std::string_view cell);
// The cell without spaces and tabs around it.
std::string_view trim_cell(std::string_view cell);

}  // namespace loyalty
