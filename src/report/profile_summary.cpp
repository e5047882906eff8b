// summary.json's `profile` object and the text summary of `custlens profile` (en/zh).
#include "report/profile_summary.h"

#include <fmt/format.h>

#include <cmath>

#include "custlens/version.h"
#include "common/number_text.h"
#include "report/json_output.h"
#include "report/summary.h"

namespace custlens::report {
namespace {

const char* pick(Lang lang, const char* en, const char* zh) { return lang == Lang::kZh ? zh : en; }

std::string tier_id(ProfileTier tier) { return std::string(profile_tier_id(tier)); }

std::string tier_label(ProfileTier tier, Lang lang) {
  return std::string(profile_tier_name(tier, lang));
}

// A share as "12.3%", a missing value as "-".
std::string percent(double share) {
  return std::isnan(share) ? std::string("-") : fmt::format("{:.1f}%", 100 * share);
}
std::string number(double value, int decimals = 2) {
  return std::isnan(value) ? std::string("-") : fmt::format("{:.{}f}", value, decimals);
}
using common::thousands;

constexpr std::size_t kListedRejects = 100;  // input.rejects lists the first ones, file order

nlohmann::json input_json(const ProfileInput& input) {
  nlohmann::json roles = nlohmann::json::object();
  for (std::size_t r = 0; r < kProfileRoleCount; ++r) {
    const auto role = static_cast<ProfileRole>(r);
    if (input.table->roles.has(role)) {
      roles[std::string(profile_role_name(role))] = input.table->column_name(role);
    }
  }
  const ProfileAudit& audit = *input.audit;
  nlohmann::json unreadable = nlohmann::json::array();
  for (const auto& [column, count] : audit.unreadable_numbers) {
    unreadable.push_back({{"column", column}, {"values", count}});
  }
  nlohmann::json rejects = nlohmann::json::array();
  if (input.rejects != nullptr) {
    for (const Reject& reject : *input.rejects) {
      if (rejects.size() == kListedRejects) break;
      rejects.push_back({{"line", reject.line}, {"reason", reject.rule}});
    }
  }
  return {{"files", input.files},
          {"kind", "profiles"},
          {"encoding", input.encoding},
          {"rows_read", audit.rows_read},
          {"rows_rejected", audit.rows_read - audit.rows_kept},
          {"rows_kept", audit.rows_kept},
          {"rejects", std::move(rejects)},
          {"audit",
           {{"rows_read", audit.rows_read},
            {"malformed", audit.malformed},
            {"missing_customer", audit.missing_customer},
            {"bad_number", audit.bad_number},
            {"outliers_dropped", audit.outliers.rows_dropped},
            {"rows_kept", audit.rows_kept}}},
          {"outliers", outliers_to_json(audit.outliers)},
          {"unreadable_numbers", std::move(unreadable)},
          {"roles", std::move(roles)}};
}

nlohmann::json rfm_json(const ProfileResult& result) {
  nlohmann::json segments = nlohmann::json::array();
  for (const SegmentSummary& s : result.segments)
    segments.push_back(segment_to_json(s, kProfileShareKey));
  return {{"scheme", result.scheme},
          {"customers", result.customers},
          {"revenue", result.revenue},
          {"segments", std::move(segments)}};
}

nlohmann::json tiers_json(const ProfileResult& result) {
  nlohmann::json counts = nlohmann::json::array();
  for (const ProfileTierSummary& t : result.tiers) {
    // An empty tier: every share and mean 0 (docs/profile.md), not null.
    auto mean = [&](double value) { return t.customers == 0 ? 0.0 : value; };
    // A profile tier is a segment with an id and a mean order value.
    const SegmentSummary segment{.name = std::string(profile_tier_name(t.tier, Lang::kEn)),
                                 .name_zh = std::string(profile_tier_name(t.tier, Lang::kZh)),
                                 .customers = t.customers,
                                 .customer_share = t.share,
                                 .revenue = t.revenue_share * result.revenue,
                                 .revenue_share = t.revenue_share,
                                 .mean_recency = mean(t.mean_recency),
                                 .mean_frequency = mean(t.mean_frequency),
                                 .mean_monetary = mean(t.mean_monetary)};
    nlohmann::json count = segment_to_json(segment, kProfileShareKey);
    count["id"] = tier_id(t.tier);
    count["mean_aov"] = number_or_null(mean(t.mean_aov));
    counts.push_back(std::move(count));
  }
  return {{"source", result.tier_source == TierSource::kRules ? "rules" : "clusters"},
          {"counts", std::move(counts)}};
}

nlohmann::json clusters_json(const ProfileResult& result) {
  const ProfileClusters& c = result.clusters;
  auto by_feature = [&](const std::vector<double>& values) {
    nlohmann::json out = nlohmann::json::object();
    for (std::size_t j = 0; j < c.features.size(); ++j) out[c.features[j]] = values[j];
    return out;
  };
  nlohmann::json elbow = nlohmann::json::array();
  for (const ElbowPoint& point : c.elbow) {
    elbow.push_back({{"k", point.k}, {"inertia", point.inertia}, {"silhouette", point.silhouette}});
  }
  nlohmann::json clusters = nlohmann::json::array();
  for (const ClusterSummary& cluster : c.clusters) {
    clusters.push_back({{"id", cluster.id},
                        {"tier", tier_id(cluster.tier)},
                        {"size", cluster.size},
                        {"share", cluster.share},
                        {"centroid", by_feature(cluster.centroid)},
                        {"centroid_z", by_feature(cluster.centroid_z)},
                        {"mean_recency", cluster.mean_recency},
                        {"mean_frequency", cluster.mean_frequency},
                        {"mean_monetary", cluster.mean_monetary}});
  }
  // One array per component, in feature order.
  nlohmann::json loadings = nlohmann::json::array();
  const std::size_t d = c.features.size();
  for (std::size_t p = 0; p < c.explained_variance_ratio.size(); ++p) {
    loadings.push_back(std::vector<double>(c.loadings.begin() + static_cast<long>(p * d),
                                           c.loadings.begin() + static_cast<long>((p + 1) * d)));
  }
  const ProfileCustomerScores& s = result.scores;
  const std::size_t n = s.pc1.size();
  const std::size_t step = std::max<std::size_t>(1, (n + kPcaPlotPoints - 1) / kPcaPlotPoints);
  nlohmann::json points = nlohmann::json::array();
  nlohmann::json point_clusters = nlohmann::json::array();
  for (std::size_t i = 0; i < n; i += step) {
    points.push_back({s.pc1[i], s.pc2[i]});
    point_clusters.push_back(s.cluster[i]);
  }
  return {
      {"features", c.features},
      {"columns", c.columns},
      {"standardization", {{"mean", by_feature(c.feature_mean)}, {"sd", by_feature(c.feature_sd)}}},
      {"k", c.k},
      {"k_fixed", c.k_fixed},
      {"seed", c.seed},
      {"restarts", c.restarts},
      {"elbow", std::move(elbow)},
      {"silhouette_rows", c.silhouette_rows},
      {"silhouette_sampled", c.silhouette_sampled},
      {"named_by", c.named_by_file ? "file" : "rule"},
      {"clusters", std::move(clusters)},
      {"pca",
       {{"explained_variance_ratio", c.explained_variance_ratio},
        {"loadings", std::move(loadings)},
        {"step", step},
        {"points", std::move(points)},
        {"point_clusters", std::move(point_clusters)}}}};
}

nlohmann::json tier_category_json(const ProfileTierCategory& tc) {
  nlohmann::json cells = nlohmann::json::array();
  for (const TierCategoryCell& cell : tc.cells) {
    nlohmann::json entry = {{"tier", tier_id(cell.tier)},
                            {"category", cell.category},
                            {"users", cell.users},
                            {"penetration", cell.penetration},
                            {"mean_aov", number_or_null(cell.mean_aov)},
                            {"mean_monetary", cell.mean_monetary}};
    entry["quadrant"] =
        cell.quadrant.empty() ? nlohmann::json(nullptr) : nlohmann::json(cell.quadrant);
    cells.push_back(std::move(entry));
  }
  nlohmann::json top = nlohmann::json::object();  // tiers with users only
  for (std::size_t t = 0; t < kProfileTierCount; ++t) {
    if (!tc.top[t].empty()) top[tier_id(static_cast<ProfileTier>(t))] = tc.top[t];
  }
  nlohmann::json cross = nlohmann::json::array();
  for (const CrossOpportunity& pair : tc.cross) {
    cross.push_back({{"tier", tier_id(pair.tier)},
                     {"category", pair.category},
                     {"interest", pair.interest},
                     {"users", pair.users},
                     {"support", pair.support},
                     {"lift", pair.lift}});
  }
  nlohmann::json out = {{"cells", std::move(cells)}, {"top", std::move(top)}};
  out["medians"] = tc.quadrants ? nlohmann::json{{"penetration", tc.median_penetration},
                                                 {"mean_aov", number_or_null(tc.median_aov)}}
                                : nlohmann::json(nullptr);
  out["cross"] = tc.cross_available ? std::move(cross) : nlohmann::json(nullptr);
  return out;
}

nlohmann::json regions_json(const ProfileRegions& regions) {
  nlohmann::json list = nlohmann::json::array();
  for (const RegionSummary& r : regions.regions) {
    nlohmann::json gender = nlohmann::json::object();
    for (const LevelShare& g : r.gender) gender[g.level] = g.share;
    auto text = [](const std::string& value) {
      return value.empty() ? nlohmann::json(nullptr) : nlohmann::json(value);
    };
    list.push_back(
        {{"region", r.region},
         {"users", r.users},
         {"share", r.share},
         {"per_capita_spend", r.spend_per_capita},
         {"per_capita_spend_ratio", r.spend_ratio_to_best},
         {"mean_frequency", number_or_null(r.mean_frequency)},
         {"mean_time_on_site", number_or_null(r.mean_time_on_site)},
         {"mean_pages", number_or_null(r.mean_pages)},
         {"mean_age", number_or_null(r.mean_age)},
         {"mean_income", number_or_null(r.mean_income)},
         {"top_category", text(r.top_category)},
         {"top_category_share",
          r.top_category.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.top_category_share)},
         {"top_interest", text(r.top_interest)},
         {"top_interest_share",
          r.top_interest.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.top_interest_share)},
         {"gender_split", r.gender.empty() ? nlohmann::json(nullptr) : std::move(gender)}});
  }
  nlohmann::json rankings = nlohmann::json::object();
  for (const RegionRanking& ranking : regions.rankings) {
    rankings[ranking.measure == "spend_per_capita" ? std::string("per_capita_spend")
                                                   : ranking.measure] = ranking.regions;
  }
  return {{"regions", std::move(list)}, {"rankings", std::move(rankings)}};
}

nlohmann::json tier_region_json(const ProfileRegions& regions) {
  // Shares are count / total, so the counts come back exactly by rounding.
  auto count = [](double share, std::int64_t total) {
    return static_cast<std::int64_t>(std::llround(share * static_cast<double>(total)));
  };
  nlohmann::json by_region = nlohmann::json::array();
  for (const TierRegionShares& r : regions.by_region) {
    nlohmann::json counts = nlohmann::json::object();
    nlohmann::json shares = nlohmann::json::object();
    for (std::size_t t = 0; t < kProfileTierCount; ++t) {
      const std::string id = tier_id(static_cast<ProfileTier>(t));
      counts[id] = count(r.tier_share[t], r.users);
      shares[id] = r.tier_share[t];
    }
    by_region.push_back({{"region", r.region},
                         {"users", r.users},
                         {"counts", std::move(counts)},
                         {"shares", std::move(shares)},
                         {"high_value_share", r.high_value_share},
                         {"churn_share", r.churn_share},
                         {"potential_share", r.potential_share}});
  }
  nlohmann::json by_tier = nlohmann::json::array();  // tiers with users only
  for (const TierConcentration& t : regions.by_tier) {
    if (t.customers == 0) continue;
    nlohmann::json counts = nlohmann::json::object();
    nlohmann::json shares = nlohmann::json::object();
    for (std::size_t r = 0; r < regions.regions.size(); ++r) {
      counts[regions.regions[r].region] = count(t.region_share[r], t.customers);
      shares[regions.regions[r].region] = t.region_share[r];
    }
    by_tier.push_back({{"tier", tier_id(t.tier)},
                       {"users", t.customers},
                       {"counts", std::move(counts)},
                       {"shares", std::move(shares)}});
  }
  return {{"by_region", std::move(by_region)}, {"by_tier", std::move(by_tier)}};
}

nlohmann::json chi_square_json(const std::vector<ChiSquareResult>& tests) {
  nlohmann::json out = nlohmann::json::array();
  for (const ChiSquareResult& t : tests) {
    out.push_back({{"rows", t.rows},
                   {"columns", t.columns},
                   {"n", t.n},
                   {"row_levels", t.row_levels},
                   {"column_levels", t.column_levels},
                   {"statistic", t.statistic},
                   {"dof", t.dof},
                   {"p_value", t.p_value},
                   {"cramers_v", t.cramers_v},
                   {"min_expected", t.min_expected},
                   {"cells_below_5", t.cells_below_5},
                   {"significant", t.significant}});
  }
  return out;
}

std::string variable_label(const std::string& name, Lang lang) {
  if (lang != Lang::kZh) return name;
  if (name == "tier") return "客户层级";
  if (name == "gender") return "性别";
  if (name == "category") return "偏好品类";
  if (name == "interest") return "兴趣";
  if (name == "region") return "地区";
  return name;
}

std::string measure_label(const std::string& measure, Lang lang) {
  if (measure == "spend_per_capita") return pick(lang, "spend per capita", "人均消费");
  if (measure == "frequency") return pick(lang, "purchase frequency", "购买频率");
  if (measure == "time_on_site") return pick(lang, "time on site", "在线时长");
  if (measure == "pages") return pick(lang, "pages viewed", "浏览页数");
  return measure;
}

void clusters_text(std::string& text, const ProfileResult& result, Lang lang) {
  const ProfileClusters& c = result.clusters;
  text +=
      fmt::format("{} ({}: {}; seed {}, {} {})\n", pick(lang, "K-Means clusters", "K-Means 聚类"),
                  pick(lang, "features", "特征"), fmt::join(c.columns, ", "), c.seed, c.restarts,
                  pick(lang, "restarts", "次重启"));
  text += fmt::format("  {:>4} {:>14} {:>11}\n", "k", pick(lang, "inertia", "簇内平方和"),
                      pick(lang, "silhouette", "轮廓系数"));
  for (const ElbowPoint& point : c.elbow) {
    text += fmt::format("  {:>4} {:>14.2f} {:>11.4f}{}\n", point.k, point.inertia, point.silhouette,
                        point.k == c.k
                            ? (c.k_fixed ? pick(lang, "  <- --k", "  <- 指定")
                                         : pick(lang, "  <- best silhouette", "  <- 轮廓系数最高"))
                            : "");
  }
  if (c.silhouette_sampled) {
    text += fmt::format("  {} {}\n",
                        pick(lang, "silhouettes on a seeded sample of", "轮廓系数基于抽样"),
                        thousands(static_cast<std::int64_t>(c.silhouette_rows)));
  }
  text += fmt::format("  {:>7} {:<10} {:>7} {:>7}", pick(lang, "cluster", "簇"),
                      pick(lang, "tier", "层级"), pick(lang, "size", "人数"),
                      pick(lang, "share", "占比"));
  for (const std::string& feature : c.features) text += fmt::format(" {:>12}", feature);
  text += '\n';
  for (const ClusterSummary& cluster : c.clusters) {
    text += fmt::format("  {:>7} {:<10} {:>7} {:>7}", cluster.id, tier_label(cluster.tier, lang),
                        cluster.size, percent(cluster.share));
    for (double value : cluster.centroid) text += fmt::format(" {:>12.2f}", value);
    text += '\n';
  }
  if (c.explained_variance_ratio.size() == 2) {
    text +=
        fmt::format("  PCA: {} {} + {} = {}\n", pick(lang, "explained variance", "解释方差占比"),
                    percent(c.explained_variance_ratio[0]), percent(c.explained_variance_ratio[1]),
                    percent(c.explained_variance_ratio[0] + c.explained_variance_ratio[1]));
  }
}

void tier_category_text(std::string& text, const ProfileTierCategory& tc,
                        const ProfileResult& result, Lang lang) {
  text += fmt::format("{}\n", pick(lang, "Top categories per tier (penetration)",
                                   "各层级偏好品类 Top 3（渗透率）"));
  for (std::size_t t = 0; t < kProfileTierCount; ++t) {
    if (result.tiers[t].customers == 0) continue;
    std::vector<std::string> items;
    for (const std::string& category : tc.top[t]) {
      for (const TierCategoryCell& cell : tc.cells) {
        if (static_cast<std::size_t>(cell.tier) == t && cell.category == category) {
          items.push_back(fmt::format("{} {}", category, percent(cell.penetration)));
        }
      }
    }
    text += fmt::format("  {:<10} {}\n", tier_label(static_cast<ProfileTier>(t), lang),
                        fmt::join(items, ", "));
  }
  if (tc.quadrants) {
    text += fmt::format(
        "  {} ({} {}, {} {:.2f}):\n",
        pick(lang, "Stars: high order value and high penetration", "明星品类：高客单价、高渗透率"),
        pick(lang, "median penetration", "渗透率中位数"), percent(tc.median_penetration),
        pick(lang, "median order value", "客单价中位数"), tc.median_aov);
    for (const TierCategoryCell& cell : tc.cells) {
      if (cell.quadrant != "star") continue;
      text += fmt::format("    {:<10} {:<20} {:>7} {:>10.2f}\n", tier_label(cell.tier, lang),
                          cell.category, percent(cell.penetration), cell.mean_aov);
    }
  }
  if (tc.cross_available && !tc.cross.empty()) {
    text += fmt::format("  {}\n",
                        pick(lang, "Cross-category opportunities (category × interest, lift > 1)",
                             "交叉机会（偏好品类 × 兴趣，提升度 > 1）"));
    for (const CrossOpportunity& pair : tc.cross) {
      text += fmt::format("    {:<10} {} × {}: {} {}, {} {:.2f}\n", tier_label(pair.tier, lang),
                          pair.category, pair.interest, pair.users, pick(lang, "users", "人"),
                          pick(lang, "lift", "提升度"), pair.lift);
    }
  }
}

void regions_text(std::string& text, const ProfileRegions& regions, Lang lang) {
  text += fmt::format("{}\n", pick(lang, "Regions", "地区分析"));
  text += fmt::format(
      "  {:<14} {:>7} {:>7} {:>10} {:>7} {:>7} {:>8} {:>7} {:>6}  {}\n",
      pick(lang, "region", "地区"), pick(lang, "users", "用户数"), pick(lang, "share", "占比"),
      pick(lang, "spend/cap", "人均消费"), pick(lang, "vs best", "相对最高"),
      pick(lang, "freq", "频率"), pick(lang, "minutes", "时长"), pick(lang, "pages", "页数"),
      pick(lang, "age", "年龄"), pick(lang, "top category / interest", "首选品类 / 兴趣"));
  for (const RegionSummary& r : regions.regions) {
    text += fmt::format("  {:<14} {:>7} {:>7} {:>10} {:>7} {:>7} {:>8} {:>7} {:>6}  {} / {}\n",
                        r.region, r.users, percent(r.share), number(r.spend_per_capita),
                        percent(r.spend_ratio_to_best), number(r.mean_frequency),
                        number(r.mean_time_on_site, 1), number(r.mean_pages, 1),
                        number(r.mean_age, 1), r.top_category.empty() ? "-" : r.top_category,
                        r.top_interest.empty() ? "-" : r.top_interest);
  }
  for (const RegionRanking& ranking : regions.rankings) {
    text += fmt::format("  {}: {}\n", measure_label(ranking.measure, lang),
                        fmt::join(ranking.regions, " > "));
  }
  text += fmt::format("  {}\n", pick(lang, "Tier mix by region (high value = core + important)",
                                     "各地区层级构成（高价值 = 核心 + 重要）"));
  for (const TierRegionShares& r : regions.by_region) {
    text += fmt::format("    {:<14} {} {:>6}  {} {:>6}  {} {:>6}\n", r.region,
                        pick(lang, "high value", "高价值"), percent(r.high_value_share),
                        pick(lang, "churn", "流失"), percent(r.churn_share),
                        pick(lang, "potential", "潜力"), percent(r.potential_share));
  }
}

void chi_square_text(std::string& text, const std::vector<ChiSquareResult>& tests, Lang lang) {
  text += fmt::format("{}\n", pick(lang, "Chi-square tests of independence (5 % level)",
                                   "卡方独立性检验（5% 显著性水平）"));
  for (const ChiSquareResult& t : tests) {
    text += fmt::format("  {} × {}: χ² = {:.3f}, dof = {}, p = {:.4g}, Cramér's V = {:.3f} — {}\n",
                        variable_label(t.rows, lang), variable_label(t.columns, lang), t.statistic,
                        t.dof, t.p_value, t.cramers_v,
                        t.significant ? pick(lang, "significant", "显著")
                                      : pick(lang, "not significant", "不显著"));
    if (t.share_below_5 > 0.2) {
      text += fmt::format(
          "    {} {} {} ({}) {}\n", pick(lang, "warning:", "注意："), t.cells_below_5,
          pick(lang, "cells have an expected count below 5", "个单元格期望频数小于 5"),
          percent(t.share_below_5), pick(lang, "- the p-value is approximate", "，p 值仅供参考"));
    }
  }
}

// The `profile` object without its playbook.
nlohmann::json profile_to_json(const ProfileResult& result, const ProfileInput& input) {
  nlohmann::json out = {{"input", input_json(input)},
                        {"rfm", rfm_json(result)},
                        {"tiers", tiers_json(result)},
                        {"clusters", clusters_json(result)}};
  if (result.tier_category) out["tier_category"] = tier_category_json(*result.tier_category);
  if (result.regions) {
    out["regions"] = regions_json(*result.regions);
    out["tier_region"] = tier_region_json(*result.regions);
    out["chi_square"] = chi_square_json(result.chi_square);
  }
  out["notes"] = result.notes;
  return out;
}

}  // namespace

nlohmann::json profile_summary_json(const ProfileRun& run) {
  const ProfileResult& result = run.result;
  nlohmann::json profile = profile_to_json(result, run.input);
  std::vector<std::string> tier_ids, regions;
  for (const ProfileTierSummary& tier : result.tiers) {
    if (tier.customers > 0) tier_ids.emplace_back(profile_tier_id(tier.tier));
  }
  if (result.regions) {
    for (const RegionSummary& region : result.regions->regions) regions.push_back(region.region);
  }
  profile["playbook"] = profile_playbook_to_json(run.playbook, tier_ids, regions);
  nlohmann::json out = {{"custlens_version", std::string(version())},
                        {"profile", std::move(profile)}};
  if (run.filter) {
    nlohmann::json& filter = out["filter"] = nlohmann::json::object();
    const std::pair<const char*, const std::optional<std::string>*> parts[] = {
        {"region", &run.filter->region},
        {"category", &run.filter->category},
        {"tier", &run.filter->tier}};
    for (const auto& [name, value] : parts) {
      if (*value) filter[name] = **value;
    }
  }
  return out;
}

std::string profile_text(const ProfileResult& result, const ProfileInput& input, Lang lang) {
  const ProfileAudit& audit = *input.audit;
  std::string text;
  const std::string files = input.files.size() == 1 ? input.files.front()
                                                    : fmt::format("{} {}", input.files.size(),
                                                                  pick(lang, "files", "个文件"));
  text += fmt::format("{}: {} ({} {}, {} {}", pick(lang, "Input", "输入"), files,
                      thousands(audit.rows_read), pick(lang, "rows", "行"),
                      thousands(audit.rows_kept), pick(lang, "customers", "位客户"));
  const std::int64_t rejected = audit.rows_read - audit.rows_kept;
  if (rejected > 0) {
    text += fmt::format("; {} {}: {} {}, {} {}, {} {}", thousands(rejected),
                        pick(lang, "rejected", "行被剔除"), audit.malformed,
                        pick(lang, "malformed", "格式错误"), audit.missing_customer,
                        pick(lang, "without id", "缺少ID"), audit.bad_number,
                        pick(lang, "with a bad number", "数值无效"));
    if (audit.outliers.rows_dropped > 0) {
      text += fmt::format(", {} {}", audit.outliers.rows_dropped, pick(lang, "outliers", "异常值"));
    }
  }
  text += ")\n";
  for (const auto& [column, count] : audit.unreadable_numbers) {
    text += fmt::format("  {} {} {} '{}' {}\n", pick(lang, "note:", "注意："), count,
                        pick(lang, "non-numeric values in", "个非数值出现在"), column,
                        pick(lang, "are read as missing", "，按缺失处理"));
  }
  text += outliers_text(audit.outliers, lang);
  text += '\n';

  text += fmt::format("{} ({} {})\n", pick(lang, "RFM tiers", "RFM 客户分层"),
                      pick(lang, "scheme", "方案"), result.scheme);
  text += fmt::format("  {:<22} {:>9} {:>7} {:>8} {:>9} {:>9} {:>12}\n", pick(lang, "tier", "层级"),
                      pick(lang, "customers", "客户数"), pick(lang, "share", "占比"),
                      pick(lang, "revenue", "收入占比"), pick(lang, "recency", "最近天数"),
                      pick(lang, "frequency", "频率"), pick(lang, "monetary", "消费额"));
  for (const SegmentSummary& s : result.segments) {
    text +=
        fmt::format("  {:<22} {:>9} {:>7} {:>8} {:>9.1f} {:>9.2f} {:>12.2f}\n",
                    lang == Lang::kZh ? s.name_zh : s.name, s.customers, percent(s.customer_share),
                    percent(s.revenue_share), s.mean_recency, s.mean_frequency, s.mean_monetary);
  }
  text += '\n';

  text += fmt::format(
      "{} ({})\n", pick(lang, "Profile tiers", "客户画像分层"),
      result.tier_source == TierSource::kRules
          ? pick(lang, "from RFM score rules", "按 RFM 评分规则")
          : fmt::format("{} k = {}", pick(lang, "from K-Means clusters,", "按 K-Means 聚类，"),
                        result.clusters.k));
  text += fmt::format("  {:<10} {:>9} {:>7} {:>8} {:>9} {:>9} {:>12} {:>10}\n",
                      pick(lang, "tier", "层级"), pick(lang, "customers", "客户数"),
                      pick(lang, "share", "占比"), pick(lang, "revenue", "收入占比"),
                      pick(lang, "recency", "最近天数"), pick(lang, "frequency", "频率"),
                      pick(lang, "monetary", "消费额"), pick(lang, "aov", "客单价"));
  for (const ProfileTierSummary& t : result.tiers) {
    text += fmt::format("  {:<10} {:>9} {:>7} {:>8} {:>9} {:>9} {:>12} {:>10}\n",
                        tier_label(t.tier, lang), t.customers, percent(t.share),
                        percent(t.revenue_share), number(t.mean_recency, 1),
                        number(t.mean_frequency), number(t.mean_monetary), number(t.mean_aov));
  }
  text += '\n';
  clusters_text(text, result, lang);
  if (result.tier_category) {
    text += '\n';
    tier_category_text(text, *result.tier_category, result, lang);
  }
  if (result.regions) {
    text += '\n';
    regions_text(text, *result.regions, lang);
    text += '\n';
    chi_square_text(text, result.chi_square, lang);
  }
  if (!result.notes.empty()) {
    text += fmt::format("\n{}\n", pick(lang, "Notes", "说明"));
    for (const std::string& note : result.notes) text += fmt::format("  - {}\n", note);
  }
  return text;
}

}  // namespace custlens::report
