// The campaign readout: outcomes per contact, the group comparisons, CUPED, the sample ratio
// test, the tier and decile breakdowns and the Qini curve (docs/campaign.md).
#include "analysis/campaign.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "common/distributions.h"
#include "custlens/error.h"
#include "custlens/order_filter.h"
#include "io/dates.h"

namespace custlens::analysis {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr double kConfidence = 0.95;

// One contact's outcomes: spend in the window after and before sending.
struct ContactOutcome {
  bool treatment = false;
  bool converted = false;
  bool has_orders = false;
  double revenue = 0;      // Y
  double pre_revenue = 0;  // X
  double cost = 0;
};

double mean_of(std::span<const double> values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? 0 : sum / static_cast<double>(values.size());
}

// Sample variance (n - 1).
double variance_of(std::span<const double> values) {
  if (values.size() < 2) return 0;
  const double mean = mean_of(values);
  double sum = 0;
  for (double v : values) sum += (v - mean) * (v - mean);
  return sum / static_cast<double>(values.size() - 1);
}

GroupOutcome summarise_group(std::span<const ContactOutcome> outcomes, bool treatment) {
  GroupOutcome group;
  double pre = 0;
  for (const ContactOutcome& o : outcomes) {
    if (o.treatment != treatment) continue;
    ++group.customers;
    group.converters += o.converted ? 1 : 0;
    group.revenue += o.revenue;
    group.cost += o.cost;
    group.without_orders += o.has_orders ? 0 : 1;
    pre += o.pre_revenue;
  }
  if (group.customers > 0) {
    const auto n = static_cast<double>(group.customers);
    group.conversion_rate = static_cast<double>(group.converters) / n;
    group.revenue_per_customer = group.revenue / n;
    group.pre_revenue_per_customer = pre / n;
  }
  return group;
}

bool is_weak(const GroupOutcome& group) {
  return group.converters < kMinGroupOutcomes ||
         group.customers - group.converters < kMinGroupOutcomes;
}

Comparison compare(std::span<const ContactOutcome> outcomes, double margin) {
  Comparison c;
  c.treatment = summarise_group(outcomes, true);
  c.control = summarise_group(outcomes, false);
  c.weak = is_weak(c.treatment) || is_weak(c.control);
  c.uplift = compare_proportions(c.treatment.converters, c.treatment.customers,
                                 c.control.converters, c.control.customers);
  std::vector<double> y_t, y_c;
  for (const ContactOutcome& o : outcomes) (o.treatment ? y_t : y_c).push_back(o.revenue);
  c.revenue_uplift = welch_uplift(y_t, y_c);
  c.revenue_uplift.difference = c.treatment.revenue_per_customer - c.control.revenue_per_customer;
  if (c.weak) {
    c.uplift.ci_lower = c.uplift.ci_upper = c.uplift.p_value = std::nullopt;
    c.revenue_uplift = MeanUplift{c.revenue_uplift.difference, {}, {}, {}, {}};
  }
  Profit& p = c.profit;
  const auto treated = static_cast<double>(c.treatment.customers);
  p.margin = margin;
  p.incremental_conversions = c.uplift.absolute * treated;
  p.incremental_revenue = c.revenue_uplift.difference * treated;
  p.treatment_cost = c.treatment.cost;
  p.incremental_profit = p.incremental_revenue * margin - p.treatment_cost;
  if (p.incremental_conversions > 0) {
    p.cost_per_incremental_conversion = p.treatment_cost / p.incremental_conversions;
  }
  return c;
}

CupedAdjustment cuped(std::span<const ContactOutcome> outcomes, bool weak) {
  CupedAdjustment out;
  std::vector<double> x, y;
  for (const ContactOutcome& o : outcomes) {
    x.push_back(o.pre_revenue);
    y.push_back(o.revenue);
  }
  const double mean_x = mean_of(x);
  const double mean_y = mean_of(y);
  double cov = 0, var_x = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    cov += (x[i] - mean_x) * (y[i] - mean_y);
    var_x += (x[i] - mean_x) * (x[i] - mean_x);
  }
  out.mean_pre_revenue = mean_x;
  out.theta = var_x > 0 ? cov / var_x : 0;
  std::vector<double> adjusted_t, adjusted_c, adjusted;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double value = y[i] - out.theta * (x[i] - mean_x);
    adjusted.push_back(value);
    (outcomes[i].treatment ? adjusted_t : adjusted_c).push_back(value);
  }
  const double var_y = variance_of(y);
  out.variance_reduction = var_y > 0 ? 1 - variance_of(adjusted) / var_y : 0;
  out.uplift = welch_uplift(adjusted_t, adjusted_c);
  out.uplift.difference = mean_of(adjusted_t) - mean_of(adjusted_c);
  if (weak) out.uplift = MeanUplift{out.uplift.difference, {}, {}, {}, {}};
  return out;
}

SampleRatioTest sample_ratio(std::int64_t treated, std::int64_t control, double planned) {
  SampleRatioTest test;
  const auto n = static_cast<double>(treated + control);
  test.planned_treatment_share = planned;
  test.observed_treatment_share = n > 0 ? static_cast<double>(treated) / n : 0;
  const double expected_t = n * planned;
  const double expected_c = n * (1 - planned);
  const double dt = static_cast<double>(treated) - expected_t;
  const double dc = static_cast<double>(control) - expected_c;
  test.chi_square = dt * dt / expected_t + dc * dc / expected_c;
  test.p_value = common::chi_squared_upper_p(test.chi_square, 1);
  test.mismatch = test.p_value < kSrmAlpha;
  return test;
}

// Ranked customers in groups of equal key; the curve at each group's end.
QiniCurve qini_curve(std::span<const ContactOutcome> outcomes,
                     std::span<const core::Contact* const> contacts, bool by_score) {
  QiniCurve curve;
  curve.ranked_by = by_score ? "score" : "decile";
  std::vector<std::size_t> order(outcomes.size());
  std::iota(order.begin(), order.end(), 0);
  auto key = [&](std::size_t i) {
    return by_score ? -contacts[i]->score : static_cast<double>(contacts[i]->decile);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  const auto n = static_cast<std::int64_t>(order.size());
  std::int64_t n_t = 0, n_c = 0, conv_t = 0, conv_c = 0;
  std::vector<QiniPoint> full{{0, 0.0, 0.0}};
  for (std::size_t i = 0; i < order.size(); ++i) {
    const ContactOutcome& o = outcomes[order[i]];
    (o.treatment ? n_t : n_c) += 1;
    if (o.converted) (o.treatment ? conv_t : conv_c) += 1;
    if (i + 1 < order.size() && key(order[i + 1]) == key(order[i])) continue;
    QiniPoint point;
    point.customers = static_cast<std::int64_t>(i + 1);
    point.population_share = static_cast<double>(point.customers) / static_cast<double>(n);
    point.incremental_conversions =
        static_cast<double>(conv_t) -
        (n_c > 0 ? static_cast<double>(conv_c) * static_cast<double>(n_t) / static_cast<double>(n_c)
                 : 0.0);
    full.push_back(point);
  }
  double area = 0;
  for (std::size_t i = 1; i < full.size(); ++i) {
    area += (full[i].population_share - full[i - 1].population_share) *
            (full[i].incremental_conversions + full[i - 1].incremental_conversions) / 2;
  }
  curve.coefficient = area - full.back().incremental_conversions / 2;
  // At most one point per percentile of customers (the first group end in each), and the last.
  if (full.size() <= 102) {
    curve.points = std::move(full);
  } else {
    std::int64_t last_bucket = 0;
    curve.points.push_back(full.front());
    for (std::size_t i = 1; i < full.size(); ++i) {
      const std::int64_t bucket = full[i].customers * 100 / n;
      if (bucket > last_bucket || i + 1 == full.size()) {
        curve.points.push_back(full[i]);
        last_bucket = bucket;
      }
    }
  }
  return curve;
}

// Each contacted customer's kept lines as (day, amount), in input order.
struct CustomerLines {
  absl::flat_hash_map<std::string_view, std::uint32_t> index;  // id -> slot
  std::vector<std::size_t> start;                              // slot -> first entry
  std::vector<std::int64_t> day;
  std::vector<double> amount;
};

CustomerLines contacted_lines(const core::ContactList& contacts, const OrderLines& lines) {
  CustomerLines out;
  absl::flat_hash_map<std::string_view, std::uint32_t> line_customer;
  for (std::uint32_t i = 0; i < lines.customer_ids.size(); ++i) {
    line_customer.emplace(lines.customer_ids[i], i);
  }
  std::vector<std::uint32_t> slot_of(lines.customer_ids.size(), OrderLines::kNone);
  std::uint32_t slots = 0;
  for (const core::Contact& c : contacts.contacts) {
    const auto found = line_customer.find(c.customer_id);
    if (found == line_customer.end() || slot_of[found->second] != OrderLines::kNone) continue;
    slot_of[found->second] = slots;
    out.index.emplace(lines.customer_ids[found->second], slots++);
  }
  std::vector<std::size_t> count(slots + 1, 0);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::uint32_t slot = slot_of[lines.customer[i]];
    if (slot != OrderLines::kNone) ++count[slot + 1];
  }
  std::partial_sum(count.begin(), count.end(), count.begin());
  out.start = count;
  out.day.resize(count.back());
  out.amount.resize(count.back());
  std::vector<std::size_t> next(count.begin(), count.end() - 1);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::uint32_t slot = slot_of[lines.customer[i]];
    if (slot == OrderLines::kNone) continue;
    out.day[next[slot]] = io::day_of(lines.timestamp[i]);
    out.amount[next[slot]++] = lines.amount[i];
  }
  return out;
}

ContactOutcome outcome_of(const core::Contact& contact, const CustomerLines& lines, int window) {
  ContactOutcome o;
  o.treatment = contact.treatment;
  o.cost = contact.cost;
  const auto found = lines.index.find(contact.customer_id);
  if (found == lines.index.end()) return o;
  o.has_orders = true;
  const std::int64_t sent = contact.sent_day;
  for (std::size_t i = lines.start[found->second]; i < lines.start[found->second + 1]; ++i) {
    const std::int64_t day = lines.day[i];
    if (day >= sent && day < sent + window) {
      o.converted = true;
      o.revenue += lines.amount[i];
    } else if (day >= sent - window && day < sent) {
      o.pre_revenue += lines.amount[i];
    }
  }
  return o;
}

// The tier of each customer in the RFM of the lines before `first_day`, as of that day: index
// into `rfm.segments`.
absl::flat_hash_map<std::string, int> tiers_before(const OrderLines& lines, std::int64_t first_day,
                                                   const RfmOptions& options, RfmResult& rfm) {
  absl::flat_hash_map<std::string, int> tiers;
  OrderFilter filter;
  filter.to = (first_day - 1) * kSecondsPerDay;
  const OrderLines before = filter_order_lines(lines, filter);
  RfmOptions rfm_options = options;
  rfm_options.as_of = first_day * kSecondsPerDay;
  if (before.size() == 0) {
    rfm.scheme = options.scheme;
    return tiers;
  }
  rfm = compute_rfm(before, rfm_options);
  for (const CustomerRfm& c : rfm.customers) tiers.emplace(c.customer_id, c.segment);
  return tiers;
}

std::vector<ContactOutcome> subset(std::span<const ContactOutcome> outcomes,
                                   std::span<const std::uint8_t> keep) {
  std::vector<ContactOutcome> out;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (keep[i]) out.push_back(outcomes[i]);
  }
  return out;
}

CampaignReadout read_out(const core::ContactList& list, std::uint32_t campaign,
                         const CustomerLines& customer_lines, const OrderLines& lines,
                         const CampaignOptions& options) {
  CampaignReadout r;
  r.name = list.campaigns[campaign];
  r.window_days = options.window_days;
  std::vector<const core::Contact*> contacts;
  std::set<std::string> channels;
  for (const core::Contact& c : list.contacts) {
    if (c.campaign != campaign) continue;
    contacts.push_back(&c);
    if (!c.channel.empty()) channels.insert(c.channel);
  }
  r.channels.assign(channels.begin(), channels.end());
  r.first_send_day = r.last_send_day = contacts.front()->sent_day;
  std::vector<ContactOutcome> outcomes;
  for (const core::Contact* c : contacts) {
    r.first_send_day = std::min(r.first_send_day, c->sent_day);
    r.last_send_day = std::max(r.last_send_day, c->sent_day);
    outcomes.push_back(outcome_of(*c, customer_lines, options.window_days));
    r.contacts_without_orders += outcomes.back().has_orders ? 0 : 1;
  }
  r.overall = compare(outcomes, options.margin);
  if (r.overall.control.revenue_per_customer != 0) {
    r.relative_revenue_uplift =
        r.overall.revenue_uplift.difference / r.overall.control.revenue_per_customer;
  }
  r.cuped = cuped(outcomes, r.overall.weak);
  if (options.planned_split) {
    r.srm = sample_ratio(r.overall.treatment.customers, r.overall.control.customers,
                         *options.planned_split);
  }

  RfmResult rfm;
  const absl::flat_hash_map<std::string, int> tiers =
      tiers_before(lines, r.first_send_day, options.rfm, rfm);
  r.scheme = rfm.scheme;
  r.tiered_customers = static_cast<std::int64_t>(rfm.customers.size());
  const int no_tier = static_cast<int>(rfm.segments.size());
  std::vector<int> tier_of(contacts.size(), no_tier);
  for (std::size_t i = 0; i < contacts.size(); ++i) {
    const auto found = tiers.find(contacts[i]->customer_id);
    if (found != tiers.end()) tier_of[i] = found->second;
  }
  for (int tier = 0; tier <= no_tier; ++tier) {
    std::vector<std::uint8_t> keep(contacts.size());
    for (std::size_t i = 0; i < contacts.size(); ++i) keep[i] = tier_of[i] == tier ? 1 : 0;
    const std::vector<ContactOutcome> members = subset(outcomes, keep);
    if (members.empty()) continue;
    LevelComparison level;
    if (tier < no_tier) {
      level.level = rfm.segments[static_cast<std::size_t>(tier)].name;
      level.level_zh = rfm.segments[static_cast<std::size_t>(tier)].name_zh;
    } else {
      level.level = "(no prior orders)";
      level.level_zh = "(无历史订单)";
    }
    level.comparison = compare(members, options.margin);
    r.by_tier.push_back(std::move(level));
  }

  if (list.has_decile) {
    std::set<int> deciles;
    for (const core::Contact* c : contacts) deciles.insert(c->decile);
    for (int decile : deciles) {
      std::vector<std::uint8_t> keep(contacts.size());
      for (std::size_t i = 0; i < contacts.size(); ++i) {
        keep[i] = contacts[i]->decile == decile ? 1 : 0;
      }
      LevelComparison level;
      level.level = level.level_zh = std::to_string(decile);
      level.comparison = compare(subset(outcomes, keep), options.margin);
      r.by_decile.push_back(std::move(level));
    }
  }
  if (list.has_score || list.has_decile) r.qini = qini_curve(outcomes, contacts, list.has_score);
  return r;
}

}  // namespace

ProportionUplift compare_proportions(std::int64_t converters_t, std::int64_t customers_t,
                                     std::int64_t converters_c, std::int64_t customers_c) {
  ProportionUplift u;
  if (customers_t == 0 || customers_c == 0) return u;
  const auto n_t = static_cast<double>(customers_t);
  const auto n_c = static_cast<double>(customers_c);
  const double p_t = static_cast<double>(converters_t) / n_t;
  const double p_c = static_cast<double>(converters_c) / n_c;
  u.absolute = p_t - p_c;
  if (p_c > 0) u.relative = u.absolute / p_c;
  const double se = std::sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c);
  const double pooled = static_cast<double>(converters_t + converters_c) / (n_t + n_c);
  const double pooled_se = std::sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c));
  if (se > 0 && pooled_se > 0) {
    const double z = common::normal_quantile(1 - (1 - kConfidence) / 2);
    u.ci_lower = u.absolute - z * se;
    u.ci_upper = u.absolute + z * se;
    u.p_value = common::normal_two_sided_p(u.absolute / pooled_se);
  }
  return u;
}

MeanUplift welch_uplift(std::span<const double> treatment, std::span<const double> control) {
  MeanUplift u;
  u.difference = mean_of(treatment) - mean_of(control);
  if (treatment.size() < 2 || control.size() < 2) return u;
  const double a = variance_of(treatment) / static_cast<double>(treatment.size());
  const double b = variance_of(control) / static_cast<double>(control.size());
  const double se = std::sqrt(a + b);
  if (!(se > 0)) return u;
  const double df = (a + b) * (a + b) /
                    (a * a / static_cast<double>(treatment.size() - 1) +
                     b * b / static_cast<double>(control.size() - 1));
  const double t = common::t_quantile(1 - (1 - kConfidence) / 2, df);
  u.df = df;
  u.ci_lower = u.difference - t * se;
  u.ci_upper = u.difference + t * se;
  u.p_value = common::t_two_sided_p(u.difference / se, df);
  return u;
}

std::vector<CampaignReadout> read_out_campaigns(const core::ContactList& contacts,
                                                const OrderLines& lines,
                                                const CampaignOptions& options) {
  if (options.window_days < 1) throw Error("--window must be 1 day or more");
  if (!std::isfinite(options.margin) || options.margin < 0 || options.margin > 1) {
    throw Error(fmt::format("--margin must be a share from 0 to 1, not {}", options.margin));
  }
  if (options.planned_split && !(*options.planned_split > 0 && *options.planned_split < 1)) {
    throw Error("--planned-split is the planned treatment share: above 0 and below 1");
  }
  if (contacts.contacts.empty()) throw Error("the contact list has no valid row");
  const CustomerLines customer_lines = contacted_lines(contacts, lines);
  std::vector<CampaignReadout> readouts;
  for (std::uint32_t c = 0; c < contacts.campaigns.size(); ++c) {
    readouts.push_back(read_out(contacts, c, customer_lines, lines, options));
  }
  return readouts;
}

std::vector<CampaignResultRow> result_rows(const CampaignReadout& readout) {
  std::vector<CampaignResultRow> rows;
  auto add = [&](std::string breakdown, std::string level, const Comparison& c) {
    CampaignResultRow row;
    row.campaign = readout.name;
    row.breakdown = std::move(breakdown);
    row.level = std::move(level);
    row.treatment_customers = c.treatment.customers;
    row.treatment_converters = c.treatment.converters;
    row.control_customers = c.control.customers;
    row.control_converters = c.control.converters;
    row.treatment_rate = c.treatment.conversion_rate;
    row.control_rate = c.control.conversion_rate;
    row.uplift = c.uplift.absolute;
    row.ci_lower = c.uplift.ci_lower;
    row.ci_upper = c.uplift.ci_upper;
    row.p_value = c.uplift.p_value;
    row.revenue_uplift = c.revenue_uplift.difference;
    row.incremental_profit = c.profit.incremental_profit;
    rows.push_back(std::move(row));
  };
  add("all", "", readout.overall);
  for (const LevelComparison& l : readout.by_tier) add("tier", l.level, l.comparison);
  for (const LevelComparison& l : readout.by_decile) add("decile", l.level, l.comparison);
  return rows;
}

}  // namespace custlens::analysis
