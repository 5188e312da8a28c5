#include "core/program/program_config.hpp"

#include <array>
#include <cassert>
#include <set>

namespace loyalty {

namespace {
constexpr std::array<std::string_view, 6> perk_type_names = {
    "voucher_point_discount", "private_price_list", "earning_multiplier", "birthday_bonus", "free_shipping", "custom"};
constexpr std::int64_t tier_count_max = 20;
constexpr std::int64_t perk_count_max = 20;
constexpr std::size_t text_bytes_max = 2000;
constexpr std::size_t name_bytes_max = 200;
}  // namespace

std::string_view perk_type_name(PerkType type) { return perk_type_names.at(static_cast<std::size_t>(type)); }

std::optional<PerkType> perk_type_from_name(std::string_view name) {
  for (std::size_t i = 0; i < perk_type_names.size(); ++i) {
    if (perk_type_names[i] == name) return static_cast<PerkType>(i);
  }
  return std::nullopt;
}

std::string_view expiry_rule_name(ExpiryRule rule) {
  switch (rule) {
    case ExpiryRule::never: return "never";
    case ExpiryRule::months_after: return "months_after";
    case ExpiryRule::end_of_month_after: return "end_of_month_after";
  }
  return "never";
}

UtcSeconds ProgramConfig::lot_expiry_utc(UtcSeconds earned_at) const {
  switch (expiry.rule) {
    case ExpiryRule::never: return INT64_MAX;
    case ExpiryRule::months_after: return add_months(earned_at, expiry.months, time_zone);
    case ExpiryRule::end_of_month_after: return end_of_month_after(earned_at, expiry.months, time_zone);
  }
  return INT64_MAX;
}

int ProgramConfig::tier_index_for(TierPoints tier_points) const {
  int found = -1;
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    if (tier_points >= tiers[i].tier_points_needed) found = static_cast<int>(i);
  }
  return found;
}

std::vector<const Perk*> ProgramConfig::enabled_perks(int tier_index) const {
  std::vector<const Perk*> perks;
  if (tier_index < 0) return perks;
  for (const Perk& perk : tiers.at(static_cast<std::size_t>(tier_index)).perks) {
    if (perk.enabled) perks.push_back(&perk);
  }
  return perks;
}

BasisPoints ProgramConfig::earning_multiplier_bp(int tier_index) const {
  BasisPoints multiplier_bp = basis_points_per_whole;
  if (tier_index < 0) return multiplier_bp;
  for (const Perk& perk : tiers[static_cast<std::size_t>(tier_index)].perks) {
    if (perk.enabled && perk.type == PerkType::earning_multiplier && perk.multiplier_bp > multiplier_bp) {
      multiplier_bp = perk.multiplier_bp;
    }
  }
  return multiplier_bp;
}

static std::optional<Perk> read_perk(FieldReader& reader, const Json& object, const std::string& path) {
  if (!reader.require_object(object, path)) return std::nullopt;
  reader.reject_unknown_keys(object, path, {"type", "enabled", "discount_bp", "price_list_id", "multiplier_bp",
                                            "birthday_bonus_points", "free_shipping_min_order_vnd", "text_vi", "text_en"});
  Perk perk;
  const auto type_name = reader.text(object, "type", path, 64, true);
  if (type_name) {
    const auto type = perk_type_from_name(*type_name);
    if (!type) {
      reader.add(FieldReader::join(path, "type"),
                 "loại ưu đãi không hợp lệ (voucher_point_discount, private_price_list, earning_multiplier, birthday_bonus, free_shipping, custom)",
                 "unknown perk type (voucher_point_discount, private_price_list, earning_multiplier, birthday_bonus, free_shipping, custom)");
      return std::nullopt;
    }
    perk.type = *type;
  }
  perk.enabled = reader.boolean(object, "enabled", path, false).value_or(false);
  if (auto text_vi = reader.text(object, "text_vi", path, text_bytes_max, perk.type == PerkType::custom)) perk.text_vi = *text_vi;
  if (auto text_en = reader.text(object, "text_en", path, text_bytes_max, false)) perk.text_en = *text_en;
  switch (perk.type) {
    case PerkType::voucher_point_discount:
      if (auto value = reader.integer(object, "discount_bp", path, 1, 10000, true)) perk.discount_bp = *value;
      break;
    case PerkType::private_price_list:
      if (auto value = reader.text(object, "price_list_id", path, 64, true)) perk.price_list_id = *value;
      break;
    case PerkType::earning_multiplier:
      if (auto value = reader.integer(object, "multiplier_bp", path, 10000, 100000, true)) perk.multiplier_bp = *value;
      break;
    case PerkType::birthday_bonus:
      if (auto value = reader.integer(object, "birthday_bonus_points", path, 1, 1'000'000'000, true)) perk.birthday_bonus_points = *value;
      break;
    case PerkType::free_shipping:
      if (auto value = reader.integer(object, "free_shipping_min_order_vnd", path, 0, amount_vnd_max, false)) perk.free_shipping_min_order_vnd = *value;
      break;
    case PerkType::custom: break;
  }
  return perk;
}

static std::optional<Tier> read_tier(FieldReader& reader, const Json& object, const std::string& path) {
  if (!reader.require_object(object, path)) return std::nullopt;
  reader.reject_unknown_keys(object, path, {"id", "name", "name_en", "description", "tier_points_needed", "perks"});
  Tier tier;
  if (auto id = reader.text(object, "id", path, 64, true)) {
    for (char c : *id) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        reader.add(FieldReader::join(path, "id"), "chỉ gồm chữ thường không dấu, số, '_' và '-'",
                   "may hold only lowercase ASCII letters, digits, '_' and '-'");
        break;
      }
    }
    tier.id = *id;
  }
  if (auto name = reader.text(object, "name", path, name_bytes_max, true)) tier.name = *name;
  if (auto name_en = reader.text(object, "name_en", path, name_bytes_max, false)) tier.name_en = *name_en;
  if (auto description = reader.text(object, "description", path, text_bytes_max, false, true)) tier.description = *description;
  if (auto needed = reader.integer(object, "tier_points_needed", path, 0, amount_vnd_max, true)) tier.tier_points_needed = *needed;
  const auto perks = object.find("perks");
  if (perks != object.end() && !perks->is_null()) {
    const std::string perks_path = FieldReader::join(path, "perks");
    if (!perks->is_array()) {
      reader.add(perks_path, "phải là một mảng", "must be an array");
    } else if (static_cast<std::int64_t>(perks->size()) > perk_count_max) {
      reader.add(perks_path, "tối đa " + std::to_string(perk_count_max) + " ưu đãi", "at most " + std::to_string(perk_count_max) + " perks");
    } else {
      for (std::size_t i = 0; i < perks->size(); ++i) {
        if (auto perk = read_perk(reader, (*perks)[i], FieldReader::index(perks_path, i))) tier.perks.push_back(*perk);
      }
    }
  }
  return tier;
}

ProgramConfigReading read_program_config(const Json& document, std::string_view path) {
  ProgramConfigReading reading;
  FieldReader reader(reading.errors);
  if (!reader.require_object(document, path)) return reading;
  reader.reject_unknown_keys(document, path, {"program_name", "time_zone", "wallet", "tier_points", "tiers", "pending",
                                              "expiry", "pay_with_points", "transfers"});
  ProgramConfig config;
  if (auto name = reader.text(document, "program_name", path, name_bytes_max, false)) config.program_name = *name;
  if (auto zone_name = reader.text(document, "time_zone", path, 64, false)) {
    if (auto zone = time_zone_from_name(*zone_name)) {
      config.time_zone = *zone;
    } else {
      reader.add(FieldReader::join(path, "time_zone"), "múi giờ không được hỗ trợ (ví dụ Asia/Ho_Chi_Minh)",
                 "unsupported time zone (e.g. Asia/Ho_Chi_Minh)");
    }
  }

  const std::string wallet_path = FieldReader::join(path, "wallet");
  const auto wallet = document.find("wallet");
  if (wallet == document.end()) {
    reader.add(wallet_path, "bắt buộc", "is required");
  } else if (reader.require_object(*wallet, wallet_path)) {
    reader.reject_unknown_keys(*wallet, wallet_path, {"initial_pool_points", "point_value_vnd", "buyer_earn_rate_bp",
                                                      "referrer_earn_rate_bp", "rounding", "exclude_shipping"});
    WalletConfig& w = config.wallet;
    if (auto value = reader.integer(*wallet, "initial_pool_points", wallet_path, 0, points_max, false)) w.initial_pool_points = *value;
    if (auto value = reader.integer(*wallet, "point_value_vnd", wallet_path, 1, point_value_vnd_max, true)) w.point_value_vnd = *value;
    if (auto value = reader.integer(*wallet, "buyer_earn_rate_bp", wallet_path, 0, 10000, true)) w.buyer_earn_rate_bp = *value;
    if (auto value = reader.integer(*wallet, "referrer_earn_rate_bp", wallet_path, 0, 10000, false)) w.referrer_earn_rate_bp = *value;
    if (auto value = reader.boolean(*wallet, "exclude_shipping", wallet_path, false)) w.exclude_shipping = *value;
    if (auto rounding_text = reader.text(*wallet, "rounding", wallet_path, 16, false)) {
      if (auto rounding = rounding_from_name(*rounding_text)) {
        w.rounding = *rounding;
      } else {
        reader.add(FieldReader::join(wallet_path, "rounding"), "phải là down, half_up hoặc up", "must be down, half_up or up");
      }
    }
  }

  const std::string tier_points_path = FieldReader::join(path, "tier_points");
  const auto tier_points = document.find("tier_points");
  if (tier_points != document.end() && reader.require_object(*tier_points, tier_points_path)) {
    reader.reject_unknown_keys(*tier_points, tier_points_path, {"vnd_per_tier_point", "window_months"});
    if (auto value = reader.integer(*tier_points, "vnd_per_tier_point", tier_points_path, 1, amount_vnd_max, true)) {
      config.tier_points.vnd_per_tier_point = *value;
    }
    if (auto value = reader.integer(*tier_points, "window_months", tier_points_path, 0, 120, false)) {
      config.tier_points.window_months = static_cast<std::int32_t>(*value);
    }
  }

  const std::string tiers_path = FieldReader::join(path, "tiers");
  const auto tiers = document.find("tiers");
  if (tiers != document.end() && !tiers->is_null()) {
    if (!tiers->is_array()) {
      reader.add(tiers_path, "phải là một mảng", "must be an array");
    } else if (static_cast<std::int64_t>(tiers->size()) > tier_count_max) {
      reader.add(tiers_path, "tối đa " + std::to_string(tier_count_max) + " hạng", "at most " + std::to_string(tier_count_max) + " tiers");
    } else {
      std::set<std::string> seen_ids;
      for (std::size_t i = 0; i < tiers->size(); ++i) {
        const std::string tier_path = FieldReader::index(tiers_path, i);
        const std::size_t errors_before = reading.errors.size();
        auto tier = read_tier(reader, (*tiers)[i], tier_path);
        if (!tier || reading.errors.size() != errors_before) continue;
        if (!seen_ids.insert(tier->id).second) {
          reader.add(FieldReader::join(tier_path, "id"), "trùng mã hạng \"" + tier->id + "\"", "duplicate tier id \"" + tier->id + "\"");
        }
        if (!config.tiers.empty() && tier->tier_points_needed <= config.tiers.back().tier_points_needed) {
          reader.add(FieldReader::join(tier_path, "tier_points_needed"),
                     "phải lớn hơn điểm cần của hạng trước (" + std::to_string(config.tiers.back().tier_points_needed) + ")",
                     "must be greater than the previous tier's (" + std::to_string(config.tiers.back().tier_points_needed) + ")");
        }
        config.tiers.push_back(std::move(*tier));
      }
    }
  }
  const std::string pending_path = FieldReader::join(path, "pending");
  if (const auto pending = document.find("pending"); pending != document.end() && reader.require_object(*pending, pending_path)) {
    reader.reject_unknown_keys(*pending, pending_path, {"days", "tier_points"});
    if (auto days = reader.integer(*pending, "days", pending_path, 0, 365, false)) config.pending.days = static_cast<std::int32_t>(*days);
    if (auto when = reader.text(*pending, "tier_points", pending_path, 32, false)) {
      if (*when == "at_once" || *when == "when_available") {
        config.pending.tier_points_when_available = *when == "when_available";
      } else {
        reader.add(FieldReader::join(pending_path, "tier_points"), "phải là at_once hoặc when_available", "must be at_once or when_available");
      }
    }
  }
  const std::string expiry_path = FieldReader::join(path, "expiry");
  if (const auto expiry = document.find("expiry"); expiry != document.end() && reader.require_object(*expiry, expiry_path)) {
    reader.reject_unknown_keys(*expiry, expiry_path, {"rule", "months", "inactivity_months"});
    if (auto rule = reader.text(*expiry, "rule", expiry_path, 32, false)) {
      if (*rule == "never") config.expiry.rule = ExpiryRule::never;
      else if (*rule == "months_after") config.expiry.rule = ExpiryRule::months_after;
      else if (*rule == "end_of_month_after") config.expiry.rule = ExpiryRule::end_of_month_after;
      else reader.add(FieldReader::join(expiry_path, "rule"), "phải là never, months_after hoặc end_of_month_after",
                      "must be never, months_after or end_of_month_after");
    }
    if (auto months = reader.integer(*expiry, "months", expiry_path, 1, 120, config.expiry.rule != ExpiryRule::never)) {
      config.expiry.months = static_cast<std::int32_t>(*months);
    }
    if (auto months = reader.integer(*expiry, "inactivity_months", expiry_path, 0, 120, false)) {
      config.expiry.inactivity_months = static_cast<std::int32_t>(*months);
    }
  }
  const std::string pay_path = FieldReader::join(path, "pay_with_points");
  if (const auto pay = document.find("pay_with_points"); pay != document.end() && reader.require_object(*pay, pay_path)) {
    reader.reject_unknown_keys(*pay, pay_path, {"max_share_bp", "hold_timeout_s"});
    if (auto share = reader.integer(*pay, "max_share_bp", pay_path, 0, 10000, false)) config.pay_with_points.max_share_bp = *share;
    if (auto timeout = reader.integer(*pay, "hold_timeout_s", pay_path, 60, 7 * 86400, false)) config.pay_with_points.hold_timeout_s = *timeout;
  }
  const std::string transfers_path = FieldReader::join(path, "transfers");
  if (const auto transfers = document.find("transfers"); transfers != document.end() && reader.require_object(*transfers, transfers_path)) {
    reader.reject_unknown_keys(*transfers, transfers_path, {"enabled", "daily_limit_points", "minimum_balance_points"});
    if (auto enabled = reader.boolean(*transfers, "enabled", transfers_path, false)) config.transfers.enabled = *enabled;
    if (auto limit = reader.integer(*transfers, "daily_limit_points", transfers_path, 0, points_max, false)) config.transfers.daily_limit_points = *limit;
    if (auto minimum = reader.integer(*transfers, "minimum_balance_points", transfers_path, 0, points_max, false)) {
      config.transfers.minimum_balance_points = *minimum;
    }
  }
  if (reading.errors.empty()) reading.config = std::move(config);
  return reading;
}

static Json perk_to_json(const Perk& perk) {
  Json object = {{"type", perk_type_name(perk.type)}, {"enabled", perk.enabled}};
  switch (perk.type) {
    case PerkType::voucher_point_discount: object["discount_bp"] = perk.discount_bp; break;
    case PerkType::private_price_list: object["price_list_id"] = perk.price_list_id; break;
    case PerkType::earning_multiplier: object["multiplier_bp"] = perk.multiplier_bp; break;
    case PerkType::birthday_bonus: object["birthday_bonus_points"] = perk.birthday_bonus_points; break;
    case PerkType::free_shipping: object["free_shipping_min_order_vnd"] = perk.free_shipping_min_order_vnd; break;
    case PerkType::custom: break;
  }
  if (!perk.text_vi.empty()) object["text_vi"] = perk.text_vi;
  if (!perk.text_en.empty()) object["text_en"] = perk.text_en;
  return object;
}

Json program_config_to_json(const ProgramConfig& config) {
  Json tiers = Json::array();
  for (const Tier& tier : config.tiers) {
    Json perks = Json::array();
    for (const Perk& perk : tier.perks) perks.push_back(perk_to_json(perk));
    Json tier_json{{"id", tier.id}, {"name", tier.name}};
    if (!tier.name_en.empty()) tier_json["name_en"] = tier.name_en;
    tier_json["description"] = tier.description;
    tier_json["tier_points_needed"] = tier.tier_points_needed;
    tier_json["perks"] = perks;
    tiers.push_back(std::move(tier_json));
  }
  return Json{
      {"program_name", config.program_name},
      {"time_zone", config.time_zone.name},
      {"wallet",
       {{"initial_pool_points", config.wallet.initial_pool_points}, {"point_value_vnd", config.wallet.point_value_vnd},
        {"buyer_earn_rate_bp", config.wallet.buyer_earn_rate_bp}, {"referrer_earn_rate_bp", config.wallet.referrer_earn_rate_bp},
        {"rounding", rounding_name(config.wallet.rounding)}, {"exclude_shipping", config.wallet.exclude_shipping}}},
      {"tier_points", {{"vnd_per_tier_point", config.tier_points.vnd_per_tier_point}, {"window_months", config.tier_points.window_months}}},
      {"tiers", tiers},
      {"pending", {{"days", config.pending.days}, {"tier_points", config.pending.tier_points_when_available ? "when_available" : "at_once"}}},
      {"expiry", {{"rule", expiry_rule_name(config.expiry.rule)}, {"months", config.expiry.months},
                  {"inactivity_months", config.expiry.inactivity_months}}},
      {"pay_with_points", {{"max_share_bp", config.pay_with_points.max_share_bp}, {"hold_timeout_s", config.pay_with_points.hold_timeout_s}}},
      {"transfers", {{"enabled", config.transfers.enabled}, {"daily_limit_points", config.transfers.daily_limit_points},
                     {"minimum_balance_points", config.transfers.minimum_balance_points}}},
  };
}

ProgramConfig example_program_config() {
  ProgramConfig config;
  config.wallet.referrer_earn_rate_bp = 50;
  config.tier_points.window_months = 12;
  Perk silver_birthday{PerkType::birthday_bonus, true};
  silver_birthday.birthday_bonus_points = 50;
  Perk gold_multiplier{PerkType::earning_multiplier, true};
  gold_multiplier.multiplier_bp = 12000;
  Perk gold_shipping{PerkType::free_shipping, true};
  gold_shipping.free_shipping_min_order_vnd = 300000;
  Perk platinum_voucher{PerkType::voucher_point_discount, true};
  platinum_voucher.discount_bp = 500;
  Perk platinum_price_list{PerkType::private_price_list, true};
  platinum_price_list.price_list_id = "bang-gia-bach-kim";
  Perk platinum_multiplier{PerkType::earning_multiplier, true};
  platinum_multiplier.multiplier_bp = 15000;
  config.tiers = {
      Tier{"bac", "Bạc", "Silver", "Hạng khởi đầu cho mọi thành viên", 0, {silver_birthday}},
      Tier{"vang", "Vàng", "Gold", "Khách hàng mua sắm thường xuyên", 500, {silver_birthday, gold_multiplier, gold_shipping}},
      Tier{"bach_kim", "Bạch kim", "Platinum", "Khách hàng thân thiết nhất", 2000,
           {silver_birthday, platinum_multiplier, gold_shipping, platinum_voucher, platinum_price_list}},
  };
  return config;
}

}  // namespace loyalty
