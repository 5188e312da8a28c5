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

std::string_view promotion_combine_name(PromotionCombine combine) {
  return combine == PromotionCombine::multiply ? "multiply" : "highest";
}

std::string_view tier_measure_name(TierMeasure measure) {
  switch (measure) {
    case TierMeasure::tier_points: return "tier_points";
    case TierMeasure::spend_vnd: return "spend_vnd";
    case TierMeasure::order_count: return "order_count";
  }
  return "tier_points";
}

UtcSeconds ProgramConfig::qualification_start_utc(UtcSeconds time) const {
  if (tier_points.calendar_year_start_month != 0) {
    const CivilDate today = local_date(time, time_zone);
    const std::int32_t start_month = tier_points.calendar_year_start_month;
    const std::int32_t year = today.month >= start_month ? today.year : today.year - 1;
    return local_midnight_utc(CivilDate{year, start_month, 1}, time_zone);
  }
  if (tier_points.window_months == 0) return INT64_MIN;
  return add_months(time, -tier_points.window_months, time_zone);
}

int ProgramConfig::tier_index_by_id(std::string_view tier_id) const {
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    if (tiers[i].id == tier_id) return static_cast<int>(i);
  }
  return -1;
}

UtcSeconds ProgramConfig::lot_expiry_utc(UtcSeconds earned_at, UtcSeconds available_at) const {
  if (expiry.from_available) earned_at = available_at;
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

// The key of a tier's threshold in JSON, by what tiers qualify by.
static std::string_view threshold_key(TierMeasure measure) {
  switch (measure) {
    case TierMeasure::tier_points: return "tier_points_needed";
    case TierMeasure::spend_vnd: return "spend_needed_vnd";
    case TierMeasure::order_count: return "orders_needed";
  }
  return "tier_points_needed";
}

static std::optional<Tier> read_tier(FieldReader& reader, const Json& object, const std::string& path, TierMeasure measure) {
  if (!reader.require_object(object, path)) return std::nullopt;
  reader.reject_unknown_keys(object, path, {"id", "name", "name_en", "description", threshold_key(measure), "perks",
                                            "tier_up_bonus_points"});
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
  if (auto needed = reader.integer(object, threshold_key(measure), path, 0, amount_vnd_max, true)) tier.tier_points_needed = *needed;
  if (auto bonus = reader.integer(object, "tier_up_bonus_points", path, 0, points_max, false)) tier.tier_up_bonus_points = *bonus;
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

// A list of ids (products, categories), each a key of at most 64 bytes, none twice.
static std::vector<std::string> read_id_list(FieldReader& reader, const Json& object, std::string_view key, const std::string& path) {
  std::vector<std::string> ids;
  const auto list = object.find(key);
  if (list == object.end() || list->is_null()) return ids;
  const std::string list_path = FieldReader::join(path, key);
  if (!list->is_array() || list->size() > 1000) {
    reader.add(list_path, "phải là một mảng tối đa 1000 mã", "must be an array of at most 1000 ids");
    return ids;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& id = (*list)[i];
    if (!id.is_string() || !is_valid_key(id.get<std::string>(), 64) || !seen.insert(id.get<std::string>()).second) {
      reader.add(FieldReader::index(list_path, i), "phải là mã không trùng: ký tự ASCII in được, không khoảng trắng, tối đa 64 byte",
                 "must be an id not given before: printable ASCII without spaces, at most 64 bytes");
      continue;
    }
    ids.push_back(id.get<std::string>());
  }
  return ids;
}

// The sections added for earning by lines, promotions, bonuses and tier retention.
static void read_earning_rules(FieldReader& reader, const Json& document, std::string_view path, ProgramConfig& config) {
  const std::string earning_path = FieldReader::join(path, "earning");
  if (const auto earning = document.find("earning"); earning != document.end() && reader.require_object(*earning, earning_path)) {
    reader.reject_unknown_keys(*earning, earning_path, {"excluded_products", "excluded_categories", "category_multipliers",
                                                        "minimum_order_vnd", "maximum_points_per_order"});
    EarningRulesConfig& rules = config.earning;
    rules.excluded_products = read_id_list(reader, *earning, "excluded_products", earning_path);
    rules.excluded_categories = read_id_list(reader, *earning, "excluded_categories", earning_path);
    if (auto value = reader.integer(*earning, "minimum_order_vnd", earning_path, 0, amount_vnd_max, false)) rules.minimum_order_vnd = *value;
    if (auto value = reader.integer(*earning, "maximum_points_per_order", earning_path, 0, points_max, false)) {
      rules.maximum_points_per_order = *value;
    }
    const std::string multipliers_path = FieldReader::join(earning_path, "category_multipliers");
    if (const auto multipliers = earning->find("category_multipliers"); multipliers != earning->end() && !multipliers->is_null()) {
      if (!multipliers->is_array() || multipliers->size() > 100) {
        reader.add(multipliers_path, "phải là một mảng tối đa 100 mục", "must be an array of at most 100 entries");
      } else {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < multipliers->size(); ++i) {
          const std::string entry_path = FieldReader::index(multipliers_path, i);
          if (!reader.require_object((*multipliers)[i], entry_path)) continue;
          reader.reject_unknown_keys((*multipliers)[i], entry_path, {"category", "multiplier_bp"});
          CategoryMultiplier entry;
          if (auto category = reader.text((*multipliers)[i], "category", entry_path, 64, true)) {
            entry.category = *category;
            if (!seen.insert(*category).second) {
              reader.add(FieldReader::join(entry_path, "category"), "trùng ngành hàng", "category given twice");
            }
          }
          if (auto value = reader.integer((*multipliers)[i], "multiplier_bp", entry_path, 0, 100000, true)) entry.multiplier_bp = *value;
          rules.category_multipliers.push_back(std::move(entry));
        }
      }
    }
  }

  const std::string promotions_path = FieldReader::join(path, "promotions");
  if (const auto promotions = document.find("promotions"); promotions != document.end() && !promotions->is_null()) {
    if (!promotions->is_array() || promotions->size() > 100) {
      reader.add(promotions_path, "phải là một mảng tối đa 100 khuyến mãi", "must be an array of at most 100 promotions");
    } else {
      std::set<std::string> seen;
      for (std::size_t i = 0; i < promotions->size(); ++i) {
        const std::string entry_path = FieldReader::index(promotions_path, i);
        const Json& object = (*promotions)[i];
        if (!reader.require_object(object, entry_path)) continue;
        reader.reject_unknown_keys(object, entry_path,
                                   {"id", "name", "starts_at", "ends_at", "multiplier_bp", "tier_id", "group_id", "combine"});
        Promotion promotion;
        if (auto id = reader.text(object, "id", entry_path, 64, true)) {
          promotion.id = *id;
          if (!seen.insert(*id).second) reader.add(FieldReader::join(entry_path, "id"), "trùng mã khuyến mãi", "promotion id given twice");
        }
        if (auto name = reader.text(object, "name", entry_path, name_bytes_max, false)) promotion.name = *name;
        const auto starts = reader.time(object, "starts_at", entry_path, true);
        const auto ends = reader.time(object, "ends_at", entry_path, true);
        if (starts) promotion.starts_at_utc = *starts;
        if (ends) promotion.ends_at_utc = *ends;
        if (starts && ends && *ends <= *starts) {
          reader.add(FieldReader::join(entry_path, "ends_at"), "phải sau starts_at", "must be after starts_at");
        }
        if (auto value = reader.integer(object, "multiplier_bp", entry_path, 10000, 100000, true)) promotion.multiplier_bp = *value;
        if (auto tier_id = reader.text(object, "tier_id", entry_path, 64, false)) promotion.tier_id = *tier_id;
        if (auto group_id = reader.text(object, "group_id", entry_path, 64, false)) promotion.group_id = *group_id;
        // A tier of this program (the tiers are read before this section); the group is
        // checked against the store's groups when the program is saved (Store::save_program).
        if (!promotion.tier_id.empty() && !is_valid_key(promotion.tier_id, 64)) {
          reader.add(FieldReader::join(entry_path, "tier_id"), "ký tự ASCII in được, không khoảng trắng, tối đa 64 byte",
                     "printable ASCII without spaces, at most 64 bytes");
        } else if (!promotion.tier_id.empty() && config.tier_index_by_id(promotion.tier_id) < 0) {
          reader.add(FieldReader::join(entry_path, "tier_id"), "không có hạng này trong chương trình", "no tier of the program has this id");
        }
        if (auto combine = reader.text(object, "combine", entry_path, 16, false)) {
          if (*combine == "multiply") promotion.combine = PromotionCombine::multiply;
          else if (*combine == "highest") promotion.combine = PromotionCombine::highest;
          else reader.add(FieldReader::join(entry_path, "combine"), "phải là multiply hoặc highest", "must be multiply or highest");
        }
        config.promotions.push_back(std::move(promotion));
      }
    }
  }

  const std::string bonuses_path = FieldReader::join(path, "bonuses");
  if (const auto bonuses = document.find("bonuses"); bonuses != document.end() && reader.require_object(*bonuses, bonuses_path)) {
    reader.reject_unknown_keys(*bonuses, bonuses_path, {"welcome_points", "first_order_points", "referral_referrer_points",
                                                        "referral_new_member_points", "referral_instead_of_percentage",
                                                        "profile_completion_points"});
    BonusConfig& b = config.bonuses;
    auto points = [&](std::string_view key, Points& field) {
      if (auto value = reader.integer(*bonuses, key, bonuses_path, 0, points_max, false)) field = *value;
    };
    points("welcome_points", b.welcome_points);
    points("first_order_points", b.first_order_points);
    points("referral_referrer_points", b.referral_referrer_points);
    points("referral_new_member_points", b.referral_new_member_points);
    points("profile_completion_points", b.profile_completion_points);
    if (auto value = reader.boolean(*bonuses, "referral_instead_of_percentage", bonuses_path, false)) b.referral_instead_of_percentage = *value;
  }

  const std::string retention_path = FieldReader::join(path, "tier_retention");
  if (const auto retention = document.find("tier_retention"); retention != document.end() && reader.require_object(*retention, retention_path)) {
    reader.reject_unknown_keys(*retention, retention_path, {"keep_months", "fall_at_most_one_tier"});
    if (auto months = reader.integer(*retention, "keep_months", retention_path, 0, 120, false)) {
      config.tier_retention.keep_months = static_cast<std::int32_t>(*months);
    }
    if (auto one = reader.boolean(*retention, "fall_at_most_one_tier", retention_path, false)) config.tier_retention.fall_at_most_one_tier = *one;
  }
}

ProgramConfigReading read_program_config(const Json& document, std::string_view path) {
  ProgramConfigReading reading;
  FieldReader reader(reading.errors);
  if (!reader.require_object(document, path)) return reading;
  reader.reject_unknown_keys(document, path, {"program_name", "time_zone", "wallet", "tier_points", "tiers", "pending",
                                              "expiry", "pay_with_points", "transfers", "earning", "promotions", "bonuses",
                                              "tier_retention"});
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
    reader.reject_unknown_keys(*tier_points, tier_points_path,
                               {"vnd_per_tier_point", "window_months", "qualify_by", "calendar_year_start_month"});
    if (auto value = reader.integer(*tier_points, "vnd_per_tier_point", tier_points_path, 1, amount_vnd_max, true)) {
      config.tier_points.vnd_per_tier_point = *value;
    }
    if (auto value = reader.integer(*tier_points, "window_months", tier_points_path, 0, 120, false)) {
      config.tier_points.window_months = static_cast<std::int32_t>(*value);
    }
    if (auto measure = reader.text(*tier_points, "qualify_by", tier_points_path, 32, false)) {
      if (*measure == "tier_points") config.tier_points.qualify_by = TierMeasure::tier_points;
      else if (*measure == "spend_vnd") config.tier_points.qualify_by = TierMeasure::spend_vnd;
      else if (*measure == "order_count") config.tier_points.qualify_by = TierMeasure::order_count;
      else reader.add(FieldReader::join(tier_points_path, "qualify_by"), "phải là tier_points, spend_vnd hoặc order_count",
                      "must be tier_points, spend_vnd or order_count");
    }
    if (auto month = reader.integer(*tier_points, "calendar_year_start_month", tier_points_path, 0, 12, false)) {
      config.tier_points.calendar_year_start_month = static_cast<std::int32_t>(*month);
      if (*month != 0 && config.tier_points.window_months != 0) {
        reader.add(FieldReader::join(tier_points_path, "calendar_year_start_month"),
                   "không dùng cùng window_months (chọn năm dương lịch hoặc cửa sổ trượt)",
                   "cannot be used with window_months (choose a calendar year or a rolling window)");
      }
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
        auto tier = read_tier(reader, (*tiers)[i], tier_path, config.tier_points.qualify_by);
        if (!tier || reading.errors.size() != errors_before) continue;
        if (!seen_ids.insert(tier->id).second) {
          reader.add(FieldReader::join(tier_path, "id"), "trùng mã hạng \"" + tier->id + "\"", "duplicate tier id \"" + tier->id + "\"");
        }
        if (!config.tiers.empty() && tier->tier_points_needed <= config.tiers.back().tier_points_needed) {
          reader.add(FieldReader::join(tier_path, threshold_key(config.tier_points.qualify_by)),
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
    reader.reject_unknown_keys(*expiry, expiry_path, {"rule", "months", "inactivity_months", "from"});
    if (auto from = reader.text(*expiry, "from", expiry_path, 32, false)) {
      if (*from == "completion" || *from == "available") {
        config.expiry.from_available = *from == "available";
      } else {
        reader.add(FieldReader::join(expiry_path, "from"), "phải là completion hoặc available", "must be completion or available");
      }
    }
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
  read_earning_rules(reader, document, path, config);
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
    tier_json[std::string(threshold_key(config.tier_points.qualify_by))] = tier.tier_points_needed;
    tier_json["perks"] = perks;
    if (tier.tier_up_bonus_points != 0) tier_json["tier_up_bonus_points"] = tier.tier_up_bonus_points;
    tiers.push_back(std::move(tier_json));
  }
  Json document{
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
  // What a program without the newer rules never had stays out of its document.
  if (config.tier_points.qualify_by != TierMeasure::tier_points) document["tier_points"]["qualify_by"] = tier_measure_name(config.tier_points.qualify_by);
  if (config.tier_points.calendar_year_start_month != 0) {
    document["tier_points"]["calendar_year_start_month"] = config.tier_points.calendar_year_start_month;
  }
  if (config.expiry.from_available) document["expiry"]["from"] = "available";
  if (!config.earning.empty()) {
    Json multipliers = Json::array();
    for (const CategoryMultiplier& entry : config.earning.category_multipliers) {
      multipliers.push_back({{"category", entry.category}, {"multiplier_bp", entry.multiplier_bp}});
    }
    document["earning"] = {{"excluded_products", config.earning.excluded_products},
                           {"excluded_categories", config.earning.excluded_categories},
                           {"category_multipliers", multipliers},
                           {"minimum_order_vnd", config.earning.minimum_order_vnd},
                           {"maximum_points_per_order", config.earning.maximum_points_per_order}};
  }
  if (!config.promotions.empty()) {
    Json promotions = Json::array();
    for (const Promotion& promotion : config.promotions) {
      Json entry{{"id", promotion.id}, {"name", promotion.name}, {"starts_at", format_utc_time(promotion.starts_at_utc)},
                 {"ends_at", format_utc_time(promotion.ends_at_utc)}, {"multiplier_bp", promotion.multiplier_bp}};
      if (!promotion.tier_id.empty()) entry["tier_id"] = promotion.tier_id;
      if (!promotion.group_id.empty()) entry["group_id"] = promotion.group_id;
      entry["combine"] = promotion_combine_name(promotion.combine);
      promotions.push_back(std::move(entry));
    }
    document["promotions"] = std::move(promotions);
  }
  if (!config.bonuses.empty()) {
    const BonusConfig& b = config.bonuses;
    document["bonuses"] = {{"welcome_points", b.welcome_points}, {"first_order_points", b.first_order_points},
                           {"referral_referrer_points", b.referral_referrer_points},
                           {"referral_new_member_points", b.referral_new_member_points},
                           {"referral_instead_of_percentage", b.referral_instead_of_percentage},
                           {"profile_completion_points", b.profile_completion_points}};
  }
  if (!config.tier_retention.empty()) {
    document["tier_retention"] = {{"keep_months", config.tier_retention.keep_months},
                                  {"fall_at_most_one_tier", config.tier_retention.fall_at_most_one_tier}};
  }
  return document;
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
