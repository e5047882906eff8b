// The joined view of `custlens events --orders/--profiles` (docs/events.md "Joined view"): its
// JSON object and text, and the per-customer table that joins behaviour with RFM and profile
// tiers.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/events/event.h"
#include "analysis/events/joined_view.h"
#include "custlens/lang.h"
#include "custlens/rfm.h"
#include "io/csv_writer.h"
#include "report/hashed_ids.h"

namespace custlens::report {

/// A group's key with its English and Chinese names.
struct JoinedGroupName {
  std::string key, name, name_zh;
};

/// One table given beside the log, and the log's users grouped by their tier in it.
struct JoinedSource {
  std::vector<std::string> files;
  std::int64_t rows_read = 0, rows_kept = 0;
  std::int64_t customers = 0;  ///< in the table
  std::string scheme;          ///< orders: the RFM scheme; profiles: "rules" or "clusters"
  std::optional<std::int64_t> as_of_day;  ///< orders: the RFM as-of day (days since 1970)
  std::int64_t log_users = 0;
  std::int64_t matched_users = 0;             ///< log users the table has
  std::int64_t customers_without_events = 0;  ///< table customers not in the log
  std::vector<JoinedGroupName> names;         ///< every group key, in group order
  std::vector<analysis::events::GroupBehavior> groups;
};

struct JoinedView {
  std::optional<JoinedSource> rfm_tier, profile_tier;
  std::int64_t customer_rows = 0;  ///< rows of the per-customer table
};

/// {"rfm_tier": {...} | null, "profile_tier": {...} | null, "customer_rows": n}.
nlohmann::json joined_to_json(const JoinedView& view);
/// The text block: per grouping, a row per group (users, pv per user, cart and buy shares,
/// active days, funnel conversion, retention at k = 1).
std::string joined_text(const JoinedView& view, Lang lang);

/// What the per-customer table joins, per row.
struct CustomerJoinRow {
  std::string_view id;                                       ///< the customer id (normalised)
  const analysis::events::UserActivity* activity = nullptr;  ///< null: not in the log
  const CustomerRfm* rfm = nullptr;                          ///< null: no orders
  std::string_view rfm_tier;
  std::optional<std::string_view> profile_tier;  ///< none: not in the profiles
};

/// Writes the header and the rows (sorted by the caller): customer_id, events, pv, favs, carts,
/// buys, active_days, first_seen, last_seen (local time), then with orders rfm_tier,
/// recency_days, frequency, monetary, r_score, f_score, m_score, and with profiles profile_tier.
/// Ids are hashed with `hasher` when given.
void write_joined_customers(io::CsvWriter& out, std::span<const CustomerJoinRow> rows,
                            bool with_orders, bool with_profiles,
                            const analysis::events::LocalClock& clock, IdHasher* hasher);

}  // namespace custlens::report
