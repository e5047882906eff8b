// EventsJoin: the tables beside a behaviour log, read through the order pipeline (RFM) and the
// profile reader (tiers), and matched to the log's users by normalised customer id.
#include "cli/events_join.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <tuple>

#include "custlens/clean.h"
#include "custlens/error.h"

namespace custlens::cli {
namespace {

namespace ev = analysis::events;

InputOptions table_input(const std::vector<std::string>& files,
                         const std::vector<std::string>& maps, const EventsJoinOptions& options) {
  InputOptions input;
  input.inputs = files;
  input.maps = maps;
  input.threads = options.threads;
  input.quiet = options.quiet;
  return input;
}

// Prefixes an error of reading a side table with the option that named it; its advice to use
// --map becomes the table's own --orders-map or --profiles-map.
template <typename Read>
auto read_table(const std::string& option, Read read) {
  try {
    return read();
  } catch (const Error& e) {
    std::string text = e.what();
    for (std::size_t at = text.find("--map "); at != std::string::npos;
         at = text.find("--map ", at + option.size())) {
      text.replace(at, 5, option + "-map");
    }
    throw Error(fmt::format("{}: {}", option, text));
  }
}

constexpr std::int64_t kNone = -1;

}  // namespace

EventsJoin::EventsJoin(const EventsJoinOptions& options) {
  if (options.profile_tiers != "rules" && options.profile_tiers != "clusters") {
    throw Error(
        fmt::format("--profile-tiers '{}': choose rules or clusters", options.profile_tiers));
  }
  if (!options.orders.empty()) {
    const RfmOptions rfm_options = to_rfm_options(options.tiers);  // checked before reading
    StreamedOrders streamed = read_table("--orders", [&] {
      CleanOptions clean;
      clean.collect_rejects = false;
      StreamedOrders s = stream_orders(table_input(options.orders, options.orders_maps, options),
                                       clean, nullptr, nullptr);
      require_kept_lines(s.scan.audit);
      return s;
    });
    orders_.files = streamed.scan.files;
    orders_.rows_read = streamed.scan.audit.rows_read;
    orders_.rows_kept = streamed.scan.audit.rows_kept;
    rfm_ = read_table("--orders",
                      [&] { return rfm_from_totals(std::move(streamed.totals), rfm_options); });
  }
  if (!options.profiles.empty()) {
    LoadedProfiles loaded = read_table("--profiles", [&] {
      return load_profiles(table_input(options.profiles, options.profiles_maps, options));
    });
    if (loaded.clean.table.size() == 0) {
      throw Error(fmt::format("--profiles: no customer row survived the checks ({} read)",
                              loaded.clean.audit.rows_read));
    }
    Profiles p;
    p.files = loaded.files;
    p.rows_read = loaded.clean.audit.rows_read;
    p.rows_kept = loaded.clean.audit.rows_kept;
    p.source = options.profile_tiers;
    ProfileOptions profile_options;
    profile_options.scheme = options.tiers.scheme;
    profile_options.scoring_file = options.tiers.scoring;
    p.tiers = read_table("--profiles", [&] {
      if (options.profile_tiers == "rules") {
        return profile_rule_tiers(loaded.clean.table, profile_options);
      }
      return analyze_profiles(loaded.clean.table, profile_options).scores.tier;
    });
    p.ids = std::move(loaded.clean.table.customer_id);
    profile_order_.resize(p.ids.size());
    std::iota(profile_order_.begin(), profile_order_.end(), std::size_t{0});
    std::stable_sort(profile_order_.begin(), profile_order_.end(),
                     [&](std::size_t a, std::size_t b) { return p.ids[a] < p.ids[b]; });
    profile_ = std::move(p);
  }
}

void EventsJoin::match(std::span<const std::string> users, Lang lang) {
  lang_ = lang;
  log_users_ = static_cast<std::int64_t>(users.size());
  if (rfm_) {
    const std::vector<CustomerRfm>& customers = rfm_->customers;  // sorted by id
    std::vector<bool> seen(customers.size());
    ev::UserGroups groups;
    for (const SegmentSummary& s : rfm_->segments) groups.keys.push_back(s.name);
    groups.keys.emplace_back("no_orders");
    const auto unmatched = static_cast<std::uint16_t>(groups.keys.size() - 1);
    user_rfm_.assign(users.size(), kNone);
    groups.of_user.assign(users.size(), unmatched);
    for (std::size_t u = 0; u < users.size(); ++u) {
      const std::string_view id = customer_id_view(users[u]);
      const auto it = std::lower_bound(
          customers.begin(), customers.end(), id,
          [](const CustomerRfm& c, std::string_view key) { return c.customer_id < key; });
      if (it == customers.end() || it->customer_id != id) continue;
      const auto index = static_cast<std::size_t>(it - customers.begin());
      user_rfm_[u] = static_cast<std::int64_t>(index);
      groups.of_user[u] = static_cast<std::uint16_t>(it->segment);
      ++rfm_matched_;
      seen[index] = true;
    }
    rfm_without_events_ = std::count(seen.begin(), seen.end(), false);
    rfm_groups_ = std::move(groups);
  }
  if (profile_) {
    const std::vector<std::string>& ids = profile_->ids;
    std::vector<bool> seen(ids.size());
    ev::UserGroups groups;
    for (std::size_t t = 0; t < kProfileTierCount; ++t) {
      groups.keys.emplace_back(profile_tier_id(static_cast<ProfileTier>(t)));
    }
    groups.keys.emplace_back("no_profile");
    const auto unmatched = static_cast<std::uint16_t>(groups.keys.size() - 1);
    user_profile_.assign(users.size(), kNone);
    groups.of_user.assign(users.size(), unmatched);
    for (std::size_t u = 0; u < users.size(); ++u) {
      const std::string_view id = customer_id_view(users[u]);
      const std::int64_t row = profile_row(id);
      if (row == kNone) continue;
      const auto r = static_cast<std::size_t>(row);
      user_profile_[u] = row;
      groups.of_user[u] = static_cast<std::uint16_t>(profile_->tiers[r]);
      ++profile_matched_;
      seen[r] = true;
    }
    profile_without_events_ = std::count(seen.begin(), seen.end(), false);
    profile_groups_ = std::move(groups);
  }
  build_rows(users);
}

const ev::UserGroups* EventsJoin::rfm_groups() const {
  return rfm_groups_ ? &*rfm_groups_ : nullptr;
}

const ev::UserGroups* EventsJoin::profile_groups() const {
  return profile_groups_ ? &*profile_groups_ : nullptr;
}

report::JoinedView EventsJoin::view(std::vector<ev::GroupBehavior> by_rfm,
                                    std::vector<ev::GroupBehavior> by_profile) const {
  report::JoinedView view;
  if (rfm_) {
    report::JoinedSource s;
    s.files = orders_.files;
    s.rows_read = orders_.rows_read;
    s.rows_kept = orders_.rows_kept;
    s.customers = static_cast<std::int64_t>(rfm_->customers.size());
    s.scheme = rfm_->scheme;
    s.as_of_day = rfm_->as_of / 86400;
    s.log_users = log_users_;
    s.matched_users = rfm_matched_;
    s.customers_without_events = rfm_without_events_;
    for (const SegmentSummary& segment : rfm_->segments) {
      s.names.push_back({segment.name, segment.name, segment.name_zh});
    }
    s.names.push_back({"no_orders", "No orders", "无订单"});
    s.groups = std::move(by_rfm);
    view.rfm_tier = std::move(s);
  }
  if (profile_) {
    report::JoinedSource s;
    s.files = profile_->files;
    s.rows_read = profile_->rows_read;
    s.rows_kept = profile_->rows_kept;
    s.customers = static_cast<std::int64_t>(profile_->ids.size());
    s.scheme = profile_->source;
    s.log_users = log_users_;
    s.matched_users = profile_matched_;
    s.customers_without_events = profile_without_events_;
    for (std::size_t t = 0; t < kProfileTierCount; ++t) {
      const auto tier = static_cast<ProfileTier>(t);
      s.names.push_back({std::string(profile_tier_id(tier)),
                         std::string(profile_tier_name(tier, Lang::kEn)),
                         std::string(profile_tier_name(tier, Lang::kZh))});
    }
    s.names.push_back({"no_profile", "Not in profiles", "无画像"});
    s.groups = std::move(by_profile);
    view.profile_tier = std::move(s);
  }
  view.customer_rows = static_cast<std::int64_t>(rows_.size());
  return view;
}

std::int64_t EventsJoin::profile_row(std::string_view id) const {
  if (!profile_) return kNone;
  const std::vector<std::string>& ids = profile_->ids;
  const auto it =
      std::lower_bound(profile_order_.begin(), profile_order_.end(), id,
                       [&](std::size_t row, std::string_view key) { return ids[row] < key; });
  if (it == profile_order_.end() || ids[*it] != id) return kNone;
  return static_cast<std::int64_t>(*it);
}

void EventsJoin::build_rows(std::span<const std::string> users) {
  // (id, user, rfm index, profile index): the log's users, then the tables' customers that no
  // user matched; a customer in both tables but not the log is one row.
  std::vector<Row>& rows = rows_;
  rows.clear();
  rows.reserve(users.size());
  std::vector<bool> rfm_taken(rfm_ ? rfm_->customers.size() : 0);
  std::vector<bool> profile_taken(profile_ ? profile_->ids.size() : 0);
  for (std::size_t u = 0; u < users.size(); ++u) {
    const std::int64_t r = user_rfm_.empty() ? kNone : user_rfm_[u];
    const std::int64_t p = user_profile_.empty() ? kNone : user_profile_[u];
    if (r != kNone) rfm_taken[static_cast<std::size_t>(r)] = true;
    if (p != kNone) profile_taken[static_cast<std::size_t>(p)] = true;
    rows.push_back({customer_id_view(users[u]), static_cast<std::int64_t>(u), r, p});
  }
  if (rfm_) {
    for (std::size_t c = 0; c < rfm_->customers.size(); ++c) {
      if (rfm_taken[c]) continue;
      const std::string_view id = rfm_->customers[c].customer_id;
      std::int64_t p = profile_row(id);
      if (p != kNone && profile_taken[static_cast<std::size_t>(p)]) p = kNone;
      if (p != kNone) profile_taken[static_cast<std::size_t>(p)] = true;
      rows.push_back({id, kNone, static_cast<std::int64_t>(c), p});
    }
  }
  if (profile_) {
    for (std::size_t p = 0; p < profile_->ids.size(); ++p) {
      if (!profile_taken[p])
        rows.push_back({profile_->ids[p], kNone, kNone, static_cast<std::int64_t>(p)});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.id, a.user, a.rfm, a.profile) < std::tie(b.id, b.user, b.rfm, b.profile);
  });
}

void EventsJoin::write_customers(io::CsvWriter& out, std::span<const ev::UserActivity> activity,
                                 const ev::LocalClock& clock, report::IdHasher* hasher) const {
  std::vector<report::CustomerJoinRow> joined;
  joined.reserve(rows_.size());
  const bool zh = lang_ == Lang::kZh;
  for (const Row& row : rows_) {
    report::CustomerJoinRow out;
    out.id = row.id;
    if (row.user != kNone) out.activity = &activity[static_cast<std::size_t>(row.user)];
    if (row.rfm != kNone) {
      out.rfm = &rfm_->customers[static_cast<std::size_t>(row.rfm)];
      const SegmentSummary& segment = rfm_->segments[static_cast<std::size_t>(out.rfm->segment)];
      out.rfm_tier = zh ? segment.name_zh : segment.name;
    }
    if (row.profile != kNone) {
      out.profile_tier =
          profile_tier_name(profile_->tiers[static_cast<std::size_t>(row.profile)], lang_);
    }
    joined.push_back(out);
  }
  report::write_joined_customers(out, joined, rfm_.has_value(), profile_.has_value(), clock,
                                 hasher);
}

}  // namespace custlens::cli
