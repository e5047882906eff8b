// The table of known headerless layouts and their per-field content tests. Adding one: write its
// columns (name and test) and append it to kLayouts.
#include "io/layouts.h"

#include <array>

#include "io/dates.h"

namespace custlens::io {
namespace {

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

/// An identifier of digits (leading zeros kept: "0001").
bool is_digit_id(std::string_view field) { return all_digits(trim(field)); }

/// A count: a non-negative integer.
bool is_count(std::string_view field) { return all_digits(trim(field)); }

bool is_integer(std::string_view field) {
  field = trim(field);
  if (!field.empty() && field.front() == '-') field.remove_prefix(1);
  return all_digits(field);
}

/// "29.33", "-3", "0.5", "12.": digits with an optional sign and fraction, no exponent.
bool is_decimal(std::string_view field) {
  field = trim(field);
  if (!field.empty() && (field.front() == '-' || field.front() == '+')) field.remove_prefix(1);
  const std::size_t point = field.find('.');
  if (point == std::string_view::npos) return all_digits(field);
  const std::string_view whole = field.substr(0, point);
  const std::string_view fraction = field.substr(point + 1);
  return (whole.empty() || all_digits(whole)) && (fraction.empty() || all_digits(fraction)) &&
         !(whole.empty() && fraction.empty());
}

/// A real calendar date written as 8 digits YYYYMMDD ("19970101"; not "19971301").
bool is_yyyymmdd(std::string_view field) {
  static const DateParser kCompactDate("%Y%m%d");
  field = trim(field);
  return field.size() == 8 && all_digits(field) && kCompactDate.parse(field).has_value();
}

bool is_taobao_behavior(std::string_view field) {
  field = trim(field);
  return field == "pv" || field == "fav" || field == "cart" || field == "buy";
}

// CDNOW (Fader, Hardie & Lee 2005; the `lifetimes` package's CDNOW_sample.txt and the full
// CDNOW_master.txt): master id, sample id, date, CDs bought, dollars.
constexpr std::array<LayoutColumn, 5> kCdnowColumns{{
    {"master_id", is_digit_id},
    {"customer_id", is_digit_id},
    {"date", is_yyyymmdd},
    {"cds", is_count},
    {"amount", is_decimal},
}};

// Taobao UserBehavior (Alibaba Tianchi): one event per row, time in Unix seconds.
constexpr std::array<LayoutColumn, 5> kTaobaoColumns{{
    {"user_id", is_integer},
    {"item_id", is_integer},
    {"category_id", is_integer},
    {"behavior_type", is_taobao_behavior},
    {"timestamp", is_integer},
}};

constexpr std::array<Layout, 2> kLayouts{{
    {"cdnow", kCdnowColumns},
    {"taobao_user_behavior", kTaobaoColumns},
}};

}  // namespace

std::span<const Layout> known_layouts() { return kLayouts; }

const Layout* recognise_layout(std::span<const std::string_view> rows, std::size_t num_columns) {
  if (num_columns == 0 || rows.empty() || rows.size() % num_columns != 0) return nullptr;
  const std::size_t count = rows.size() / num_columns;
  for (const Layout& layout : kLayouts) {
    if (layout.columns.size() != num_columns) continue;
    // A malformed row or two among real data (the scan rejects them) must not hide the layout:
    // nine rows in ten must fit, the first among them.
    std::size_t fitting = 0;
    bool first_fits = false;
    for (std::size_t r = 0; r < count; ++r) {
      bool fits = true;
      for (std::size_t c = 0; fits && c < num_columns; ++c) {
        fits = layout.columns[c].matches(rows[r * num_columns + c]);
      }
      fitting += fits ? 1 : 0;
      if (r == 0) first_fits = fits;
    }
    if (first_fits && 10 * fitting >= 9 * count) return &layout;
  }
  return nullptr;
}

}  // namespace custlens::io
