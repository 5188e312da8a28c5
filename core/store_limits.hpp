// store_limits.hpp: the sizes and reserved values the store's commands share.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace loyalty {

inline constexpr std::size_t member_id_bytes_max = 64;
inline constexpr std::size_t order_id_bytes_max = 128;
inline constexpr std::size_t name_bytes_max = 200;
inline constexpr std::size_t text_bytes_max = 1000;
inline constexpr std::size_t reason_bytes_max = 1000;
inline constexpr std::uint32_t no_index = UINT32_MAX;
// The refund recorded when an order's status becomes refunded; clients cannot use this id.
inline constexpr std::string_view full_refund_id = "full";

}  // namespace loyalty
