// The joined view of `custlens events` (docs/events.md "Joined view"): the order lines and
// profile table given beside the log, read before it; the log's users matched to their
// customers afterwards; and the per-customer table.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/events/joined_view.h"
#include "cli/common.h"
#include "custlens/profile.h"
#include "custlens/rfm.h"
#include "io/csv_writer.h"
#include "report/events_joined.h"
#include "report/hashed_ids.h"

namespace custlens::cli {

struct EventsJoinOptions {
  std::vector<std::string> orders;                      ///< --orders
  std::vector<std::string> profiles;                    ///< --profiles
  std::vector<std::string> orders_maps, profiles_maps;  ///< --orders-map, --profiles-map
  TierOptions tiers;  ///< --scheme, --scoring, --as-of of the orders' RFM
  std::string profile_tiers = "rules";
  std::string customers;  ///< --customers F.csv
  int threads = 0;
  bool quiet = false;
};

class EventsJoin {
 public:
  /// Reads and analyses the tables (nothing when neither is given). Throws custlens::Error
  /// (one line, naming the option) for a table that cannot be read or has no customer left.
  explicit EventsJoin(const EventsJoinOptions& options);
  bool active() const { return rfm_.has_value() || profile_.has_value(); }
  bool has_orders() const { return rfm_.has_value(); }
  bool has_profiles() const { return profile_.has_value(); }

  /// Matches the log's users (dense ids, names in `users`, which must outlive this) to the
  /// tables' customers by their normalised ids; call once, after the scan.
  void match(std::span<const std::string> users, Lang lang);
  /// The log's users by RFM tier / profile tier (null without that table); after match().
  const analysis::events::UserGroups* rfm_groups() const;
  const analysis::events::UserGroups* profile_groups() const;

  /// The view, given the grouped results; customer_rows is counted here.
  report::JoinedView view(std::vector<analysis::events::GroupBehavior> by_rfm,
                          std::vector<analysis::events::GroupBehavior> by_profile) const;
  /// The per-customer table: every customer of the log and the tables (full outer join on the
  /// normalised id), sorted by id; `activity` per dense user id.
  void write_customers(io::CsvWriter& out, std::span<const analysis::events::UserActivity> activity,
                       const analysis::events::LocalClock& clock, report::IdHasher* hasher) const;

 private:
  struct Profiles {
    std::vector<std::string> files;
    std::int64_t rows_read = 0, rows_kept = 0;
    std::vector<std::string> ids;
    std::vector<ProfileTier> tiers;
    std::string source;  // rules or clusters
  };
  struct Orders {
    std::vector<std::string> files;
    std::int64_t rows_read = 0, rows_kept = 0;
  };
  std::optional<RfmResult> rfm_;
  Orders orders_;
  std::optional<Profiles> profile_;
  // One row of the per-customer table: a log user, an order customer or a profile row (or
  // -1), joined on the id; the views point into the log's names and the tables.
  struct Row {
    std::string_view id;
    std::int64_t user, rfm, profile;
  };
  /// The profile table's row of a normalised id, or -1.
  std::int64_t profile_row(std::string_view id) const;
  /// The rows of every customer, sorted by id; at the end of match().
  void build_rows(std::span<const std::string> users);

  std::vector<std::size_t> profile_order_;  // profile rows by id
  std::vector<Row> rows_;
  Lang lang_ = Lang::kEn;
  // After match(): per dense user, the index into rfm_->customers / profile_->ids, or -1.
  std::vector<std::int64_t> user_rfm_, user_profile_;
  std::optional<analysis::events::UserGroups> rfm_groups_, profile_groups_;
  std::int64_t log_users_ = 0;
  std::int64_t rfm_matched_ = 0, profile_matched_ = 0;
  std::int64_t rfm_without_events_ = 0, profile_without_events_ = 0;
};

}  // namespace custlens::cli
