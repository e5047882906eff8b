// analyze_profiles: RFM scores and scheme tiers of a profile table, K-Means over a k range with
// the cluster naming rule, the PCA projection, the profile tiers, and the grouped views.
#include "custlens/profile.h"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/profile_groups.h"
#include "analysis/scoring.h"
#include "analysis/tiers.h"
#include "common/number_text.h"
#include "common/text_file.h"
#include "common/toml_file.h"
#include "custlens/error.h"
#include "models/kmeans.h"

namespace custlens {
namespace {

using analysis::KahanSum;

struct TierInfo {
  std::string_view id, en, zh;
};
constexpr std::array<TierInfo, kProfileTierCount> kTiers = {{
    {"important", "Important", "重要客户"},
    {"core", "Core", "核心客户"},
    {"lost", "Lost", "流失客户"},
    {"potential", "Potential", "潜力客户"},
    {"general", "General", "一般客户"},
}};

std::string thousands(std::size_t value) {
  return common::thousands(static_cast<std::int64_t>(value));
}

// First matching rule wins (docs/profile.md, "Profile tiers").
ProfileTier tier_by_rules(int r, int f, int m) {
  if (m == 5) return ProfileTier::kImportant;
  if (f >= 4 && m >= 4) return ProfileTier::kCore;
  if (r == 1) return ProfileTier::kLost;
  if (r >= 4 && m <= 2) return ProfileTier::kPotential;
  return ProfileTier::kGeneral;
}

std::vector<ProfileRole> resolve_features(const ProfileTable& table,
                                          const std::vector<std::string>& names) {
  std::vector<ProfileRole> features;
  if (names.empty()) {
    for (ProfileRole role : kDefaultProfileFeatures) {
      if (table.roles.has(role)) features.push_back(role);
    }
    return features;
  }
  for (const std::string& name : names) {
    const std::optional<ProfileRole> role = parse_profile_role(name);
    if (!role || table.numbers(*role) == nullptr) {
      if (role && table.roles.has(*role) && table.numbers(*role) == nullptr) {
        throw Error(
            fmt::format("--features: '{}' is a text column; features must be numeric "
                        "roles (recency, frequency, monetary, aov, age, income, "
                        "time_on_site, pages)",
                        name));
      }
      throw Error(
          fmt::format("--features: '{}' is not a numeric role with a column in this "
                      "table; use recency, frequency, monetary, aov, age, income, "
                      "time_on_site or pages (map a column with --map role=column)",
                      name));
    }
    if (std::find(features.begin(), features.end(), *role) != features.end()) {
      throw Error(fmt::format("--features names '{}' twice", name));
    }
    features.push_back(*role);
  }
  return features;
}

// The features z-scored with the population sd (scikit-learn's StandardScaler), row-major.
struct Standardized {
  std::vector<double> values;
  std::vector<double> mean, sd;
};
Standardized standardize(const ProfileTable& table, std::span<const ProfileRole> features) {
  const std::size_t n = table.size(), d = features.size();
  Standardized out;
  out.values.resize(n * d);
  for (std::size_t j = 0; j < d; ++j) {
    const std::vector<double>& column = *table.numbers(features[j]);
    const std::string name = table.column_name(features[j]);
    const auto missing =
        std::count_if(column.begin(), column.end(), [](double v) { return std::isnan(v); });
    if (missing > 0) {
      throw Error(
          fmt::format("K-Means feature {} (column '{}') has {} missing or non-numeric "
                      "values; leave it out with --features, or fill it in",
                      profile_role_name(features[j]), name, missing));
    }
    const double mean = analysis::numpy_sum(column) / static_cast<double>(n);
    std::vector<double> squares(n);
    for (std::size_t i = 0; i < n; ++i) squares[i] = (column[i] - mean) * (column[i] - mean);
    const double sd = std::sqrt(analysis::numpy_sum(squares) / static_cast<double>(n));
    if (!(sd > 0)) {
      throw Error(
          fmt::format("K-Means feature {} (column '{}') is constant (every value is {}); "
                      "leave it out with --features",
                      profile_role_name(features[j]), name, column.front()));
    }
    out.mean.push_back(mean);
    out.sd.push_back(sd);
    for (std::size_t i = 0; i < n; ++i) out.values[i * d + j] = (column[i] - mean) / sd;
  }
  return out;
}

// Mean and population sd of a column, for the z-scores the naming rule compares.
std::pair<double, double> mean_sd(const std::vector<double>& column) {
  const auto n = static_cast<double>(column.size());
  const double mean = analysis::numpy_sum(column) / n;
  std::vector<double> squares(column.size());
  for (std::size_t i = 0; i < column.size(); ++i) {
    squares[i] = (column[i] - mean) * (column[i] - mean);
  }
  return {mean, std::sqrt(analysis::numpy_sum(squares) / n)};
}

// The naming rule of docs/profile.md, on clusters numbered by mean monetary descending.
void name_clusters(std::vector<ClusterSummary>& clusters, const ProfileTable& table) {
  // Named copies, not structured bindings: clang 14 cannot capture a binding in a lambda.
  const auto frequency_stats = mean_sd(table.frequency);
  const auto monetary_stats = mean_sd(table.monetary);
  const double frequency_mean = frequency_stats.first, frequency_sd = frequency_stats.second;
  const double monetary_mean = monetary_stats.first, monetary_sd = monetary_stats.second;
  auto z = [](double value, double mean, double sd) { return sd > 0 ? (value - mean) / sd : 0.0; };
  std::vector<bool> named(clusters.size(), false);
  // The unnamed cluster with the highest score (lowest index on ties), or -1.
  auto pick = [&](auto score, auto eligible) {
    int best = -1;
    for (std::size_t c = 0; c < clusters.size(); ++c) {
      if (named[c] || !eligible(clusters[c])) continue;
      if (best < 0 || score(clusters[c]) > score(clusters[static_cast<std::size_t>(best)])) {
        best = static_cast<int>(c);
      }
    }
    if (best >= 0) named[static_cast<std::size_t>(best)] = true;
    return best;
  };
  auto any = [](const ClusterSummary&) { return true; };
  for (ClusterSummary& cluster : clusters) cluster.tier = ProfileTier::kGeneral;
  auto set = [&](int c, ProfileTier tier) {
    if (c >= 0) clusters[static_cast<std::size_t>(c)].tier = tier;
  };
  set(pick([](const ClusterSummary& c) { return c.mean_monetary; }, any), ProfileTier::kImportant);
  set(pick([](const ClusterSummary& c) { return c.mean_recency; }, any), ProfileTier::kLost);
  set(pick(
          [&](const ClusterSummary& c) {
            return z(c.mean_frequency, frequency_mean, frequency_sd) +
                   z(c.mean_monetary, monetary_mean, monetary_sd);
          },
          any),
      ProfileTier::kCore);
  set(pick([](const ClusterSummary& c) { return -c.mean_recency; },
           [&](const ClusterSummary& c) { return c.mean_monetary < monetary_mean; }),
      ProfileTier::kPotential);
}

void name_clusters_from_file(std::vector<ClusterSummary>& clusters, const std::string& path) {
  const std::string text = common::read_text_file(path, "cluster names file");
  const toml::table root = common::parse_toml(text, path);
  const toml::array* names = root["names"].as_array();
  if (names == nullptr) {
    throw Error(fmt::format("{}: needs names = [\"...\", ...], one tier per cluster", path));
  }
  if (names->size() != clusters.size()) {
    throw Error(
        fmt::format("{}: names lists {} tiers but there are {} clusters (k = {}); give "
                    "one per cluster, or fix k with --k",
                    path, names->size(), clusters.size(), clusters.size()));
  }
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    const std::optional<std::string> name = (*names)[c].value<std::string>();
    const std::optional<ProfileTier> tier = name ? parse_profile_tier(*name) : std::nullopt;
    if (!tier) {
      throw Error(
          fmt::format("{}: names[{}] '{}' is not a profile tier (important, core, lost, "
                      "potential, general, or their names)",
                      path, c, name.value_or("?")));
    }
    clusters[c].tier = *tier;
  }
}

struct ClusterRun {
  ProfileClusters summary;
  std::vector<int> label;  // per customer, after renumbering
  std::vector<double> pc1, pc2;
};

ClusterRun run_clusters(const ProfileTable& table, const ProfileOptions& options,
                        std::vector<std::string>& notes) {
  ClusterRun run;
  ProfileClusters& out = run.summary;
  const std::size_t n = table.size();
  const std::vector<ProfileRole> features = resolve_features(table, options.features);
  if (features.empty()) {
    throw Error("K-Means needs at least one numeric feature; name some with --features");
  }
  if (n < 3) {
    throw Error(
        fmt::format("K-Means needs at least 3 customers (k ≥ 2 and k < n); the table has {}", n));
  }
  if (options.restarts < 1) throw Error("--restarts must be at least 1");
  for (ProfileRole role : features) {
    out.features.emplace_back(profile_role_name(role));
    out.columns.push_back(table.column_name(role));
  }
  const Standardized z = standardize(table, features);
  out.feature_mean = z.mean;
  out.feature_sd = z.sd;
  const std::size_t d = features.size();
  const models::RowMatrix x{z.values, n, d};

  // k range, capped at n − 1 so every cluster can have a neighbour for the silhouette.
  const int cap = static_cast<int>(std::min<std::size_t>(n - 1, 1 << 20));
  if (options.k_min < 2 || options.k_max < options.k_min) {
    throw Error(fmt::format("--k-range {}..{} must satisfy 2 ≤ first ≤ last", options.k_min,
                            options.k_max));
  }
  if (options.k && (*options.k < 2 || *options.k > cap)) {
    throw Error(fmt::format("--k {} must be between 2 and {} (customers − 1)", *options.k, cap));
  }
  std::vector<int> ks;
  for (int k = options.k_min; k <= std::min(options.k_max, cap); ++k) ks.push_back(k);
  if (options.k_max > cap) {
    notes.push_back(fmt::format("k range capped at {} (customers − 1)", cap));
  }
  if (options.k && std::find(ks.begin(), ks.end(), *options.k) == ks.end()) {
    ks.push_back(*options.k);
    std::sort(ks.begin(), ks.end());
  }
  if (ks.empty()) {
    throw Error(
        fmt::format("--k-range {}..{} is empty for {} customers", options.k_min, options.k_max, n));
  }

  models::KMeansOptions kmeans;
  kmeans.restarts = options.restarts;
  kmeans.seed = options.seed;
  // Every k at once (each fit's restarts run in parallel too): each fit is deterministic, so
  // the results do not depend on how the work is spread.
  std::vector<models::KMeansFit> fits(ks.size());
  tbb::parallel_for(std::size_t{0}, ks.size(),
                    [&](std::size_t i) { fits[i] = models::fit_kmeans(x, ks[i], kmeans); });
  std::vector<std::span<const std::int32_t>> labelings;
  for (const models::KMeansFit& fit : fits) labelings.emplace_back(fit.labels);
  const models::SilhouetteScores silhouettes =
      models::silhouette_scores(x, labelings, options.silhouette_max_rows, options.seed);
  out.silhouette_rows = silhouettes.rows_used;
  out.silhouette_sampled = silhouettes.sampled;
  if (silhouettes.sampled) {
    notes.push_back(
        fmt::format("silhouettes on a seeded sample of {} of {} customers (the exact "
                    "silhouette is O(n²))",
                    thousands(silhouettes.rows_used), thousands(n)));
  }
  std::size_t chosen = 0;
  for (std::size_t i = 0; i < fits.size(); ++i) {
    out.elbow.push_back({fits[i].k, fits[i].inertia, silhouettes.mean[i]});
    if (options.k) {
      if (fits[i].k == *options.k) chosen = i;
    } else if (silhouettes.mean[i] > silhouettes.mean[chosen] ||
               std::isnan(silhouettes.mean[chosen])) {
      chosen = i;  // strictly higher: ties keep the smaller k
    }
  }
  const models::KMeansFit& fit = fits[chosen];
  out.k = fit.k;
  out.k_fixed = options.k.has_value();
  out.seed = options.seed;
  out.restarts = options.restarts;

  // Per raw cluster: means of the features and of R, F, M.
  const auto k = static_cast<std::size_t>(fit.k);
  std::vector<ClusterSummary> raw(k);
  {
    std::vector<std::vector<KahanSum>> sums(k, std::vector<KahanSum>(d));
    std::vector<KahanSum> recency(k), frequency(k), monetary(k);
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<std::size_t>(fit.labels[i]);
      for (std::size_t j = 0; j < d; ++j) sums[c][j].add((*table.numbers(features[j]))[i]);
      recency[c].add(table.recency[i]);
      frequency[c].add(table.frequency[i]);
      monetary[c].add(table.monetary[i]);
    }
    for (std::size_t c = 0; c < k; ++c) {
      ClusterSummary& cluster = raw[c];
      cluster.size = fit.sizes[c];
      const auto size = static_cast<double>(cluster.size);
      cluster.share = size / static_cast<double>(n);
      for (std::size_t j = 0; j < d; ++j) {
        const double mean = sums[c][j].sum / size;
        cluster.centroid.push_back(mean);
        cluster.centroid_z.push_back((mean - z.mean[j]) / z.sd[j]);
      }
      cluster.mean_recency = recency[c].sum / size;
      cluster.mean_frequency = frequency[c].sum / size;
      cluster.mean_monetary = monetary[c].sum / size;
    }
  }
  // Cluster ids by mean monetary, highest first (ties: the fit's order): stable across runs and
  // readable (cluster 0 spends most).
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return raw[a].mean_monetary > raw[b].mean_monetary;
  });
  std::vector<int> new_id(k);
  for (std::size_t c = 0; c < k; ++c) {
    new_id[order[c]] = static_cast<int>(c);
    out.clusters.push_back(std::move(raw[order[c]]));
    out.clusters.back().id = static_cast<int>(c);
  }
  run.label.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    run.label[i] = new_id[static_cast<std::size_t>(fit.labels[i])];
  }
  if (options.cluster_names_file.empty()) {
    name_clusters(out.clusters, table);
  } else {
    name_clusters_from_file(out.clusters, options.cluster_names_file);
    out.named_by_file = true;
  }

  const models::Pca pca = models::pca_top2(x);
  out.explained_variance_ratio = pca.explained_variance_ratio;
  out.loadings = pca.loadings;
  run.pc1.assign(n, 0.0);
  run.pc2.assign(n, 0.0);
  const auto components = static_cast<std::size_t>(pca.components);
  for (std::size_t i = 0; i < n && components > 0; ++i) {
    run.pc1[i] = pca.points[i * components];
    if (components > 1) run.pc2[i] = pca.points[i * components + 1];
  }
  if (components < 2) notes.push_back("one K-Means feature: the PCA has a single component");
  return run;
}

std::array<ProfileTierSummary, kProfileTierCount> summarize_tiers(const ProfileTable& table,
                                                                  std::span<const ProfileTier> tier,
                                                                  double revenue) {
  std::array<ProfileTierSummary, kProfileTierCount> out;
  std::array<KahanSum, kProfileTierCount> money, recency, frequency, aov;
  std::array<std::int64_t, kProfileTierCount> aov_count{};
  for (std::size_t i = 0; i < tier.size(); ++i) {
    const auto t = static_cast<std::size_t>(tier[i]);
    ++out[t].customers;
    money[t].add(table.monetary[i]);
    recency[t].add(table.recency[i]);
    frequency[t].add(table.frequency[i]);
    if (!table.aov.empty() && !std::isnan(table.aov[i])) {
      aov[t].add(table.aov[i]);
      ++aov_count[t];
    }
  }
  for (std::size_t t = 0; t < kProfileTierCount; ++t) {
    ProfileTierSummary& s = out[t];
    s.tier = static_cast<ProfileTier>(t);
    s.share = static_cast<double>(s.customers) / static_cast<double>(tier.size());
    s.revenue_share = revenue > 0 ? money[t].sum / revenue : 0.0;
    const auto members = static_cast<double>(s.customers);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    s.mean_recency = s.customers > 0 ? recency[t].sum / members : nan;
    s.mean_frequency = s.customers > 0 ? frequency[t].sum / members : nan;
    s.mean_monetary = s.customers > 0 ? money[t].sum / members : nan;
    s.mean_aov = aov_count[t] > 0 ? aov[t].sum / static_cast<double>(aov_count[t]) : nan;
  }
  return out;
}

}  // namespace

std::string_view profile_tier_id(ProfileTier tier) {
  return kTiers[static_cast<std::size_t>(tier)].id;
}

std::string_view profile_tier_name(ProfileTier tier, Lang lang) {
  const TierInfo& info = kTiers[static_cast<std::size_t>(tier)];
  return lang == Lang::kZh ? info.zh : info.en;
}

std::optional<ProfileTier> parse_profile_tier(std::string_view text) {
  for (std::size_t t = 0; t < kProfileTierCount; ++t) {
    const TierInfo& info = kTiers[t];
    if (text == info.id || text == info.en || text == info.zh) return static_cast<ProfileTier>(t);
  }
  return std::nullopt;
}

ProfileResult analyze_profiles(const ProfileTable& table, const ProfileOptions& options) {
  // Configuration errors first, so a bad option fails before any work.
  const analysis::TierScheme scheme = analysis::resolve_tier_scheme(options.scheme);
  std::optional<analysis::ScoringRules> scoring;
  if (!options.scoring_file.empty()) scoring = analysis::load_scoring_file(options.scoring_file);
  const std::size_t n = table.size();
  if (n == 0) throw Error("no customers to analyse: every row was rejected (see the rejects)");

  ProfileResult result;
  result.customers = n;
  result.revenue = analysis::numpy_sum(table.monetary);
  ProfileCustomerScores& scores = result.scores;
  analysis::RfmScores rfm = analysis::score_customers(
      table.recency, table.frequency, table.monetary, scoring ? &*scoring : nullptr);
  scores.r = std::move(rfm.r);
  scores.f = std::move(rfm.f);
  scores.m = std::move(rfm.m);
  const analysis::TierInputs inputs{scores.r,      scores.f,        scores.m,
                                    table.recency, table.frequency, table.monetary};
  scores.segment = analysis::assign_segments(scheme, inputs);
  for (std::size_t i = 0; i < n; ++i) {
    if (scores.segment[i] < 0) {
      throw Error(
          fmt::format("tier scheme '{}': customer '{}' (R{} F{} M{}) matches no segment; "
                      "add a segment with fallback = true",
                      scheme.name, table.customer_id[i], scores.r[i], scores.f[i], scores.m[i]));
    }
  }
  result.scheme = scheme.name;
  result.segments = analysis::summarize_segments(scheme, scores.segment, inputs, result.revenue);

  ClusterRun clusters = run_clusters(table, options, result.notes);
  result.clusters = std::move(clusters.summary);
  scores.cluster = std::move(clusters.label);
  scores.pc1 = std::move(clusters.pc1);
  scores.pc2 = std::move(clusters.pc2);

  result.tier_source = options.tiers;
  scores.tier.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    scores.tier[i] =
        options.tiers == TierSource::kRules
            ? tier_by_rules(scores.r[i], scores.f[i], scores.m[i])
            : result.clusters.clusters[static_cast<std::size_t>(scores.cluster[i])].tier;
  }
  result.tiers = summarize_tiers(table, scores.tier, result.revenue);

  if (table.category.present()) {
    result.tier_category = analysis::tier_by_category(table, scores.tier);
    if (table.aov.empty()) {
      result.notes.push_back(
          "no order-value (aov) column: the value quadrant is left out (use "
          "--map aov=<column>)");
    }
    if (!table.interest.present()) {
      result.notes.push_back(
          "no interest column: the cross-category pairs are left out (use "
          "--map interest=<column>)");
    }
  } else {
    result.notes.push_back(
        "no category column: tier × category is left out (use --map "
        "category=<column>)");
  }
  if (table.region.present()) {
    result.regions = analysis::profile_regions(table, scores.tier);
    result.chi_square = analysis::profile_chi_square_tests(table, scores.tier);
  } else {
    result.notes.push_back(
        "no region column: regions, tier × region and the chi-square tests are "
        "left out (use --map region=<column>)");
  }
  return result;
}

std::vector<ProfileTier> profile_rule_tiers(const ProfileTable& table,
                                            const ProfileOptions& options) {
  std::optional<analysis::ScoringRules> scoring;
  if (!options.scoring_file.empty()) scoring = analysis::load_scoring_file(options.scoring_file);
  const analysis::RfmScores scores = analysis::score_customers(
      table.recency, table.frequency, table.monetary, scoring ? &*scoring : nullptr);
  std::vector<ProfileTier> tiers(table.size());
  for (std::size_t i = 0; i < tiers.size(); ++i) {
    tiers[i] = tier_by_rules(scores.r[i], scores.f[i], scores.m[i]);
  }
  return tiers;
}

}  // namespace custlens
