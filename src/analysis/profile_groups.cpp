// Tier × category (penetration, quadrant, cross pairs), regions with their rankings, tier ×
// region, and the chi-square tests of independence of the profile analysis.
#include "analysis/profile_groups.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "analysis/scoring.h"
#include "common/chi_square.h"

namespace custlens::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kSignificance = 0.05;
constexpr std::size_t kTopCategories = 3;
constexpr std::size_t kCrossPerTier = 5;
constexpr std::int64_t kCrossMinUsers = 5;

std::size_t tier_index(ProfileTier tier) { return static_cast<std::size_t>(tier); }

// pandas' Series.median: the middle value, or the mean of the two middle ones; NaN skipped.
double median(std::vector<double> values) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

// Per group: a Kahan sum and count of the non-NaN values, in row order.
struct GroupMeans {
  std::vector<KahanSum> sum;
  std::vector<std::int64_t> count;
  explicit GroupMeans(std::size_t groups) : sum(groups), count(groups, 0) {}
  void add(std::size_t group, double value) {
    if (std::isnan(value)) return;
    sum[group].add(value);
    ++count[group];
  }
  double mean(std::size_t group) const {
    return count[group] > 0 ? sum[group].sum / static_cast<double>(count[group]) : kNaN;
  }
};

// Group means of `values` by `group_of`; all NaN when the column is absent.
std::vector<double> means_by(std::span<const std::uint32_t> group_of, std::size_t groups,
                             const std::vector<double>& values) {
  if (values.empty()) return std::vector<double>(groups, kNaN);
  GroupMeans means(groups);
  for (std::size_t i = 0; i < group_of.size(); ++i) means.add(group_of[i], values[i]);
  std::vector<double> out(groups);
  for (std::size_t g = 0; g < groups; ++g) out[g] = means.mean(g);
  return out;
}

// The most frequent level among a group's rows (ties: name ascending), with its share.
struct TopLevel {
  std::string level;
  double share = 0;
};
std::vector<TopLevel> top_levels(std::span<const std::uint32_t> group_of, std::size_t groups,
                                 const ProfileLevels& levels) {
  std::vector<TopLevel> out(groups);
  if (!levels.present()) return out;
  const std::size_t count = levels.levels.size();
  std::vector<std::int64_t> counts(groups * count, 0), totals(groups, 0);
  for (std::size_t i = 0; i < group_of.size(); ++i) {
    ++counts[group_of[i] * count + levels.code[i]];
    ++totals[group_of[i]];
  }
  for (std::size_t g = 0; g < groups; ++g) {
    std::size_t best = count;
    for (std::size_t l = 0; l < count; ++l) {
      const std::int64_t c = counts[g * count + l];
      if (c == 0) continue;
      if (best == count || c > counts[g * count + best] ||
          (c == counts[g * count + best] && levels.levels[l] < levels.levels[best])) {
        best = l;
      }
    }
    if (best == count) continue;
    out[g].level = levels.levels[best];
    out[g].share = static_cast<double>(counts[g * count + best]) / static_cast<double>(totals[g]);
  }
  return out;
}

// Levels in name order (byte order): the order cells and splits are listed in.
std::vector<std::uint32_t> by_name(const ProfileLevels& levels) {
  std::vector<std::uint32_t> order(levels.levels.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return levels.levels[a] < levels.levels[b]; });
  return order;
}

ChiSquareResult run_test(std::string rows_name, std::span<const std::uint32_t> row_of,
                         std::size_t row_levels, const ProfileLevels& region) {
  const std::size_t columns = region.levels.size();
  std::vector<std::int64_t> counts(row_levels * columns, 0);
  for (std::size_t i = 0; i < row_of.size(); ++i) ++counts[row_of[i] * columns + region.code[i]];
  const common::ChiSquareTest test = common::chi_square_independence(counts, row_levels, columns);
  ChiSquareResult result;
  result.rows = std::move(rows_name);
  result.columns = "region";
  result.n = test.total;
  result.row_levels = test.rows;
  result.column_levels = test.columns;
  result.statistic = test.statistic;
  result.dof = test.dof;
  result.p_value = test.p_value;
  result.cramers_v = test.cramers_v;
  result.min_expected = test.min_expected;
  result.cells_below_5 = test.cells_below_5;
  result.share_below_5 =
      test.cells > 0 ? static_cast<double>(test.cells_below_5) / static_cast<double>(test.cells)
                     : 0.0;
  result.significant = test.dof > 0 && test.p_value < kSignificance;
  return result;
}

std::vector<std::uint32_t> tier_codes(std::span<const ProfileTier> tier) {
  std::vector<std::uint32_t> codes(tier.size());
  for (std::size_t i = 0; i < tier.size(); ++i) codes[i] = static_cast<std::uint32_t>(tier[i]);
  return codes;
}

}  // namespace

double mean_present(std::span<const double> values) {
  GroupMeans means(1);
  for (double value : values) means.add(0, value);
  return means.mean(0);
}

ProfileTierCategory tier_by_category(const ProfileTable& table, std::span<const ProfileTier> tier) {
  ProfileTierCategory result;
  const ProfileLevels& category = table.category;
  const std::size_t categories = category.levels.size();
  const std::size_t n = table.size();
  // Cell (t, c) = t * categories + c.
  std::vector<std::int64_t> users(kProfileTierCount * categories, 0),
      tier_users(kProfileTierCount, 0);
  std::vector<std::uint32_t> cell_of(n);
  for (std::size_t i = 0; i < n; ++i) {
    cell_of[i] = static_cast<std::uint32_t>(tier_index(tier[i]) * categories + category.code[i]);
    ++users[cell_of[i]];
    ++tier_users[tier_index(tier[i])];
  }
  const std::vector<double> aov = means_by(cell_of, users.size(), table.aov);
  const std::vector<double> monetary = means_by(cell_of, users.size(), table.monetary);
  const std::vector<std::uint32_t> names = by_name(category);
  for (std::size_t t = 0; t < kProfileTierCount; ++t) {
    const std::size_t first = result.cells.size();
    for (std::uint32_t c : names) {
      const std::size_t cell = t * categories + c;
      if (users[cell] == 0) continue;
      TierCategoryCell out;
      out.tier = static_cast<ProfileTier>(t);
      out.category = category.levels[c];
      out.users = users[cell];
      out.penetration = static_cast<double>(users[cell]) / static_cast<double>(tier_users[t]);
      out.mean_aov = aov[cell];
      out.mean_monetary = monetary[cell];
      result.cells.push_back(std::move(out));
    }
    std::vector<std::size_t> order(result.cells.size() - first);
    std::iota(order.begin(), order.end(), first);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const TierCategoryCell& x = result.cells[a];
      const TierCategoryCell& y = result.cells[b];
      if (x.penetration != y.penetration) return x.penetration > y.penetration;
      if (x.users != y.users) return x.users > y.users;
      return x.category < y.category;
    });
    for (std::size_t i = 0; i < std::min(kTopCategories, order.size()); ++i) {
      result.top[t].push_back(result.cells[order[i]].category);
    }
  }

  result.quadrants = !table.aov.empty();
  if (result.quadrants) {
    std::vector<double> penetration, value;
    for (const TierCategoryCell& cell : result.cells) {
      penetration.push_back(cell.penetration);
      value.push_back(cell.mean_aov);
    }
    result.median_penetration = median(penetration);
    result.median_aov = median(value);
    for (TierCategoryCell& cell : result.cells) {
      if (std::isnan(cell.mean_aov)) continue;  // no order value in the cell: no quadrant
      const bool high_value = cell.mean_aov >= result.median_aov;
      const bool high_penetration = cell.penetration >= result.median_penetration;
      cell.quadrant = high_value ? (high_penetration ? "star" : "question")
                                 : (high_penetration ? "cash_cow" : "dog");
    }
  }

  const ProfileLevels& interest = table.interest;
  result.cross_available = interest.present();
  if (!result.cross_available) return result;
  const std::size_t interests = interest.levels.size();
  std::vector<std::int64_t> together(kProfileTierCount * categories * interests, 0);
  std::vector<std::int64_t> with_interest(kProfileTierCount * interests, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t t = tier_index(tier[i]);
    ++together[(t * categories + category.code[i]) * interests + interest.code[i]];
    ++with_interest[t * interests + interest.code[i]];
  }
  for (std::size_t t = 0; t < kProfileTierCount; ++t) {
    if (tier_users[t] == 0) continue;
    const auto tier_n = static_cast<double>(tier_users[t]);
    std::vector<CrossOpportunity> pairs;
    for (std::size_t c = 0; c < categories; ++c) {
      for (std::size_t l = 0; l < interests; ++l) {
        const std::int64_t count = together[(t * categories + c) * interests + l];
        if (count < kCrossMinUsers) continue;
        const double support = static_cast<double>(count) / tier_n;
        const double p_category = static_cast<double>(users[t * categories + c]) / tier_n;
        const double p_interest = static_cast<double>(with_interest[t * interests + l]) / tier_n;
        const double lift = support / (p_category * p_interest);
        if (!(lift > 1)) continue;
        pairs.push_back({static_cast<ProfileTier>(t), category.levels[c], interest.levels[l], count,
                         support, lift});
      }
    }
    std::sort(pairs.begin(), pairs.end(), [](const CrossOpportunity& a, const CrossOpportunity& b) {
      if (a.lift != b.lift) return a.lift > b.lift;
      if (a.users != b.users) return a.users > b.users;
      if (a.category != b.category) return a.category < b.category;
      return a.interest < b.interest;
    });
    if (pairs.size() > kCrossPerTier) pairs.resize(kCrossPerTier);
    result.cross.insert(result.cross.end(), pairs.begin(), pairs.end());
  }
  return result;
}

ProfileRegions profile_regions(const ProfileTable& table, std::span<const ProfileTier> tier) {
  ProfileRegions result;
  const ProfileLevels& region = table.region;
  const std::size_t regions = region.levels.size();
  const std::size_t n = table.size();
  std::vector<std::int64_t> users(regions, 0);
  std::vector<std::int64_t> tier_counts(regions * kProfileTierCount, 0);
  for (std::size_t i = 0; i < n; ++i) {
    ++users[region.code[i]];
    ++tier_counts[region.code[i] * kProfileTierCount + tier_index(tier[i])];
  }
  const std::span<const std::uint32_t> codes = region.code;
  const std::vector<double> spend = means_by(codes, regions, table.monetary);
  const std::vector<double> frequency = means_by(codes, regions, table.frequency);
  const std::vector<double> time_on_site = means_by(codes, regions, table.time_on_site);
  const std::vector<double> pages = means_by(codes, regions, table.pages);
  const std::vector<double> age = means_by(codes, regions, table.age);
  const std::vector<double> income = means_by(codes, regions, table.income);
  const std::vector<TopLevel> top_category = top_levels(codes, regions, table.category);
  const std::vector<TopLevel> top_interest = top_levels(codes, regions, table.interest);
  double best_spend = -std::numeric_limits<double>::infinity();
  for (double value : spend) best_spend = std::max(best_spend, value);

  std::vector<std::uint32_t> order(regions);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (users[a] != users[b]) return users[a] > users[b];
    return region.levels[a] < region.levels[b];
  });
  const ProfileLevels& gender = table.gender;
  const std::size_t genders = gender.levels.size();
  std::vector<std::int64_t> gender_counts(regions * genders, 0);
  for (std::size_t i = 0; i < n && genders > 0; ++i) {
    ++gender_counts[region.code[i] * genders + gender.code[i]];
  }
  const std::vector<std::uint32_t> gender_order = by_name(gender);
  for (std::uint32_t r : order) {
    RegionSummary out;
    out.region = region.levels[r];
    out.users = users[r];
    out.share = static_cast<double>(users[r]) / static_cast<double>(n);
    out.spend_per_capita = spend[r];
    out.spend_ratio_to_best = best_spend > 0 ? spend[r] / best_spend : kNaN;
    out.mean_frequency = frequency[r];
    out.mean_time_on_site = time_on_site[r];
    out.mean_pages = pages[r];
    out.mean_age = age[r];
    out.mean_income = income[r];
    out.top_category = top_category[r].level;
    out.top_category_share = top_category[r].share;
    out.top_interest = top_interest[r].level;
    out.top_interest_share = top_interest[r].share;
    for (std::uint32_t g : gender_order) {
      out.gender.push_back({gender.levels[g], static_cast<double>(gender_counts[r * genders + g]) /
                                                  static_cast<double>(users[r])});
    }
    result.regions.push_back(std::move(out));

    TierRegionShares shares;
    shares.region = region.levels[r];
    shares.users = users[r];
    for (std::size_t t = 0; t < kProfileTierCount; ++t) {
      shares.tier_share[t] = static_cast<double>(tier_counts[r * kProfileTierCount + t]) /
                             static_cast<double>(users[r]);
    }
    shares.high_value_share = shares.tier_share[tier_index(ProfileTier::kCore)] +
                              shares.tier_share[tier_index(ProfileTier::kImportant)];
    shares.churn_share = shares.tier_share[tier_index(ProfileTier::kLost)];
    shares.potential_share = shares.tier_share[tier_index(ProfileTier::kPotential)];
    result.by_region.push_back(std::move(shares));
  }

  auto rank = [&](std::string measure, const std::vector<double>& means) {
    RegionRanking ranking;
    ranking.measure = std::move(measure);
    std::vector<std::uint32_t> ranked(regions);
    std::iota(ranked.begin(), ranked.end(), 0u);
    std::erase_if(ranked, [&](std::uint32_t r) { return std::isnan(means[r]); });
    std::sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (means[a] != means[b]) return means[a] > means[b];
      return region.levels[a] < region.levels[b];
    });
    for (std::uint32_t r : ranked) ranking.regions.push_back(region.levels[r]);
    result.rankings.push_back(std::move(ranking));
  };
  rank("spend_per_capita", spend);
  rank("frequency", frequency);
  if (!table.time_on_site.empty()) rank("time_on_site", time_on_site);
  if (!table.pages.empty()) rank("pages", pages);

  for (std::size_t t = 0; t < kProfileTierCount; ++t) {
    TierConcentration concentration;
    concentration.tier = static_cast<ProfileTier>(t);
    for (std::size_t r = 0; r < regions; ++r) {
      concentration.customers += tier_counts[r * kProfileTierCount + t];
    }
    for (std::uint32_t r : order) {
      concentration.region_share.push_back(
          concentration.customers > 0
              ? static_cast<double>(tier_counts[r * kProfileTierCount + t]) /
                    static_cast<double>(concentration.customers)
              : 0.0);
    }
    result.by_tier.push_back(std::move(concentration));
  }
  return result;
}

std::vector<ChiSquareResult> profile_chi_square_tests(const ProfileTable& table,
                                                      std::span<const ProfileTier> tier) {
  std::vector<ChiSquareResult> tests;
  if (!table.region.present()) return tests;
  const std::vector<std::uint32_t> tiers = tier_codes(tier);
  tests.push_back(run_test("tier", tiers, kProfileTierCount, table.region));
  auto by_levels = [&](const char* name, const ProfileLevels& levels) {
    if (levels.present())
      tests.push_back(run_test(name, levels.code, levels.levels.size(), table.region));
  };
  by_levels("gender", table.gender);
  by_levels("category", table.category);
  by_levels("interest", table.interest);
  return tests;
}

}  // namespace custlens::analysis
