#include "core/basics/results.hpp"

#include <array>

namespace loyalty {

namespace {
struct ResultText { std::string_view name, vi, en; };
constexpr std::array result_texts = {
#define LOYALTY_RESULT_TEXT(name, vi, en) ResultText{#name, vi, en},
    LOYALTY_RESULT_CODES(LOYALTY_RESULT_TEXT)
#undef LOYALTY_RESULT_TEXT
};
}  // namespace

std::string_view result_code_name(ResultCode code) { return result_texts.at(static_cast<std::size_t>(code)).name; }
std::string_view result_message_vi(ResultCode code) { return result_texts.at(static_cast<std::size_t>(code)).vi; }
std::string_view result_message_en(ResultCode code) { return result_texts.at(static_cast<std::size_t>(code)).en; }

}  // namespace loyalty
