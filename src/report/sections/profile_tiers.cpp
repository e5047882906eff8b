// Sections `profile_tiers`, `profile_clusters` and `profile_cluster_map` of a customer-profile
// summary: the five profile tiers with customer and revenue share (and a playbook card per tier),
// the K-Means elbow / silhouette over k, and the clusters on the first two principal components.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "report/sections/profile_common.h"
#include "report/sections/section.h"

namespace custlens::report {
namespace {

using nlohmann::json;

// One playbook field of a tier (product, content, promotion, channel) in the report's language.
std::string play_text(const SectionContext& context, const json* entry, const char* field) {
  if (entry == nullptr || !entry->contains(field)) return {};
  return entry->at(field).value(context.lang == Lang::kZh ? "zh" : "en", std::string());
}

const json* tier_play(const SectionContext& context, const std::string& id) {
  const json* plays = context.find("/profile/playbook/tiers");
  if (plays == nullptr) return nullptr;
  for (const json& play : *plays) {
    if (play.value("id", std::string()) == id) return &play;
  }
  return nullptr;
}

std::optional<Section> build_profile_tiers(const SectionContext& context) {
  const json* tiers = context.find("/profile/tiers");
  if (tiers == nullptr || !tiers->contains("counts") || tiers->at("counts").empty()) {
    return std::nullopt;
  }
  const json& counts = tiers->at("counts");
  const bool from_clusters = tiers->value("source", std::string()) == "clusters";
  const bool with_playbook = context.find("/profile/playbook/tiers") != nullptr;

  Section section;
  section.title = std::string(context.text("Customer tiers", "客户分层"));
  json labels = json::array();
  json customer_share = json::array();
  json revenue_share = json::array();
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Tier", "层级")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Customer share", "客户占比")),
                   std::string(context.text("Revenue share", "消费额占比")),
                   std::string(context.text("Mean spend", "人均消费")),
                   std::string(context.text("Mean order value", "平均客单价")),
                   std::string(context.text("Mean days since login", "平均最近登录天数")),
                   std::string(context.text("Mean purchase frequency", "平均购买频率"))};
  table.formats = {CellFormat::kText,    CellFormat::kInteger, CellFormat::kPercent,
                   CellFormat::kPercent, CellFormat::kMoney,   CellFormat::kMoney,
                   CellFormat::kNumber,  CellFormat::kNumber};
  for (const json& tier : counts) {
    const std::string id = tier.at("id").get<std::string>();
    const std::string name = profile_tier_name(context, id);
    labels.push_back(name);
    customer_share.push_back(chart_percent(tier.at("share").get<double>()));
    revenue_share.push_back(chart_percent(tier.at("revenue_share").get<double>()));
    json row = {name,
                tier.at("customers"),
                tier.at("share"),
                tier.at("revenue_share"),
                tier.at("mean_monetary"),
                tier.at("mean_aov"),
                tier.at("mean_recency"),
                tier.at("mean_frequency")};
    table.rows.push_back(std::move(row));
    // The playbook is prose: a card per tier below the table keeps the table's rows one line.
    if (const json* play = with_playbook ? tier_play(context, id) : nullptr) {
      SectionCard card{name, {}};
      for (const PlaybookField& field : kPlaybookFields) {
        std::string text = play_text(context, play, field.key);
        if (!text.empty()) {
          card.fields.push_back({std::string(context.text(field.en, field.zh)), {std::move(text)}});
        }
      }
      section.cards.push_back(std::move(card));
    }
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", profile_grid()},
      {"xAxis", category_axis(labels)},
      {"yAxis", {{"type", "value"}, {"name", "%"}}},
      {"series", json::array({{{"name", std::string(context.text("Customer share", "客户占比"))},
                               {"type", "bar"},
                               {"data", customer_share}},
                              {{"name", std::string(context.text("Revenue share", "消费额占比"))},
                               {"type", "bar"},
                               {"data", revenue_share}}})}};

  // Findings: where the revenue is, and how large the high-value and churn groups are.
  const json* largest_revenue = &counts.front();
  double high_value_customers = 0, high_value_revenue = 0;
  for (const json& tier : counts) {
    if (tier.at("revenue_share").get<double>() >
        largest_revenue->at("revenue_share").get<double>()) {
      largest_revenue = &tier;
    }
    const std::string id = tier.at("id").get<std::string>();
    if (id == "important" || id == "core") {
      high_value_customers += tier.at("share").get<double>();
      high_value_revenue += tier.at("revenue_share").get<double>();
    }
  }
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text("{} ({} of customers) bring {} of total spend.",
                                            "{}(占客户 {})贡献了 {} 的消费额。")),
                  profile_tier_name(context, largest_revenue->at("id").get<std::string>()),
                  format_share(largest_revenue->at("share").get<double>()),
                  format_share(largest_revenue->at("revenue_share").get<double>())));
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("High-value customers (Important + Core) are {} of customers "
                                "and {} of spend.",
                                "高价值客户(重要 + 核心)占客户的 {},贡献 {} 的消费额。")),
      format_share(high_value_customers), format_share(high_value_revenue)));
  section.findings.push_back(std::string(
      from_clusters
          ? context.text("Tiers are the K-Means clusters, named by their centroids (see the "
                         "cluster sections).",
                         "层级来自 K-Means 聚类,按聚类中心命名(见聚类部分)。")
          : context.text(
                "Tiers follow fixed rules on the R/F/M scores: Important M = 5; Core "
                "F ≥ 4 and M ≥ 4; Lost R = 1; Potential R ≥ 4 and M ≤ 2; General the rest.",
                "层级按 R/F/M 评分规则划分:重要 M = 5;核心 F ≥ 4 且 M ≥ 4;流失 R = 1;"
                "潜力 R ≥ 4 且 M ≤ 2;其余为一般。")));
  return section;
}

std::optional<Section> build_profile_clusters(const SectionContext& context) {
  const json* clusters = context.find("/profile/clusters");
  if (clusters == nullptr || !clusters->contains("elbow") || clusters->at("elbow").empty()) {
    return std::nullopt;
  }
  const json& elbow = clusters->at("elbow");
  Section section;
  section.title = std::string(
      context.text("How many clusters: inertia and silhouette", "聚类数选择:惯性与轮廓系数"));
  json ks = json::array(), inertia = json::array(), silhouette = json::array();
  SectionTable& table = section.table;
  table.columns = {"k", std::string(context.text("Inertia", "惯性(组内平方和)")),
                   std::string(context.text("Silhouette", "轮廓系数"))};
  table.formats = {CellFormat::kInteger, CellFormat::kStatistic, CellFormat::kStatistic};
  for (const json& row : elbow) {
    ks.push_back(std::to_string(row.at("k").get<int>()));
    inertia.push_back(row.at("inertia"));
    silhouette.push_back(row.at("silhouette"));
    table.rows.push_back({row.at("k"), row.at("inertia"), row.at("silhouette")});
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", profile_grid()},
      {"xAxis", {{"type", "category"}, {"data", ks}, {"name", "k"}}},
      {"yAxis", json::array({{{"type", "value"},
                              {"name", std::string(context.text("Inertia", "惯性"))},
                              {"scale", true}},
                             {{"type", "value"},
                              {"name", std::string(context.text("Silhouette", "轮廓系数"))},
                              {"scale", true}}})},
      {"series", json::array({{{"name", std::string(context.text("Inertia", "惯性"))},
                               {"type", "line"},
                               {"data", inertia}},
                              {{"name", std::string(context.text("Silhouette", "轮廓系数"))},
                               {"type", "line"},
                               {"yAxisIndex", 1},
                               {"data", silhouette}}})}};

  const int k = clusters->at("k").get<int>();
  const auto chosen = std::find_if(elbow.begin(), elbow.end(),
                                   [&](const json& row) { return row.at("k").get<int>() == k; });
  const double best = chosen != elbow.end() ? chosen->at("silhouette").get<double>() : 0.0;
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("k = {0} clusters: the highest mean silhouette ({1}) over "
                                "k = {2}..{3}, on {4} standardised features.",
                                "选择 k = {0} 个聚类:在 k = {2}..{3} 中平均轮廓系数最高({1}),"
                                "基于 {4} 个标准化特征。")),
      k, format_stat(best), elbow.front().at("k").get<int>(), elbow.back().at("k").get<int>(),
      clusters->at("features").size()));
  section.findings.push_back(std::string(
      best < 0.25  ? context.text("A silhouette below 0.25 means the customers do not fall into "
                                   "well-separated groups: read the clusters as a segmentation of a "
                                   "continuum, not as natural types.",
                                  "轮廓系数低于 0.25 说明客户并未形成界限分明的群体:聚类应理解为对"
                                   "连续分布的切分,而非天然类型。")
      : best < 0.5 ? context.text("A silhouette between 0.25 and 0.5: the clusters "
                                  "are real but overlap.",
                                  "轮廓系数在 0.25 到 0.5 之间:聚类存在但相互重叠。")
                   : context.text("A silhouette above 0.5: the clusters are well "
                                  "separated.",
                                  "轮廓系数高于 0.5:聚类区分明显。")));
  return section;
}

std::optional<Section> build_profile_cluster_map(const SectionContext& context) {
  const json* clusters = context.find("/profile/clusters/clusters");
  const json* pca = context.find("/profile/clusters/pca");
  if (clusters == nullptr || pca == nullptr || clusters->empty() || !pca->contains("points") ||
      !pca->contains("point_clusters")) {
    return std::nullopt;
  }
  const json& features = context.find("/profile/clusters/features") != nullptr
                             ? *context.find("/profile/clusters/features")
                             : json::array();
  Section section;
  section.title = std::string(
      context.text("Clusters on the first two principal components", "聚类分布(前两个主成分)"));
  // One scatter series per cluster, named by cluster id and tier.
  json series = json::array();
  std::vector<json> points(clusters->size(), json::array());
  std::vector<int> ids;
  for (const json& cluster : *clusters) ids.push_back(cluster.at("id").get<int>());
  const json& all = pca->at("points");
  const json& owners = pca->at("point_clusters");
  for (std::size_t i = 0; i < all.size() && i < owners.size(); ++i) {
    const auto at = std::find(ids.begin(), ids.end(), owners[i].get<int>());
    if (at != ids.end()) points[static_cast<std::size_t>(at - ids.begin())].push_back(all[i]);
  }
  SectionTable& table = section.table;
  table.columns = {
      std::string(context.text("Cluster", "聚类")), std::string(context.text("Tier", "层级")),
      std::string(context.text("Customers", "客户数")), std::string(context.text("Share", "占比"))};
  table.formats = {CellFormat::kInteger, CellFormat::kText, CellFormat::kInteger,
                   CellFormat::kPercent};
  for (const json& feature : features) {
    table.columns.push_back(
        fmt::format("{} ({})", feature.get<std::string>(), context.text("mean", "均值")));
    table.formats.push_back(CellFormat::kNumber);
  }
  for (std::size_t c = 0; c < clusters->size(); ++c) {
    const json& cluster = (*clusters)[c];
    const std::string tier = profile_tier_name(context, cluster.at("tier").get<std::string>());
    series.push_back({{"name", fmt::format("{} · {}", cluster.at("id").get<int>(), tier)},
                      {"type", "scatter"},
                      {"symbolSize", 5},
                      {"data", std::move(points[c])}});
    json row = {cluster.at("id"), tier, cluster.at("size"), cluster.at("share")};
    for (const json& feature : features) {
      row.push_back(cluster.at("centroid").value(feature.get<std::string>(), 0.0));
    }
    table.rows.push_back(std::move(row));
  }
  const json& ratio = pca->at("explained_variance_ratio");
  section.chart = {{"tooltip", {{"trigger", "item"}}},
                   {"legend", {{"top", 0}}},
                   {"grid", profile_grid()},
                   {"xAxis", {{"type", "value"}, {"name", "PC1"}, {"scale", true}}},
                   {"yAxis", {{"type", "value"}, {"name", "PC2"}, {"scale", true}}},
                   {"series", std::move(series)}};
  const double pc1 = ratio.at(0).get<double>(), pc2 = ratio.at(1).get<double>();
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("The two components shown explain {} of the variance ({} and {}).",
                                "图中两个主成分共解释 {} 的方差(分别为 {} 和 {})。")),
      format_share(pc1 + pc2), format_share(pc1), format_share(pc2)));
  const std::size_t step = pca->value("step", std::size_t{1});
  if (step > 1) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("The map shows one customer in every {}.",
                                              "图中每 {} 个客户显示 1 个。")),
                    step));
  }
  // The largest cluster, described by its centroid.
  const json* largest = &clusters->front();
  for (const json& cluster : *clusters) {
    if (cluster.at("size").get<double>() > largest->at("size").get<double>()) largest = &cluster;
  }
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text("The largest cluster ({}, {}) holds {} of customers.",
                                            "最大的聚类({},{})包含 {} 的客户。")),
                  largest->at("id").get<int>(),
                  profile_tier_name(context, largest->at("tier").get<std::string>()),
                  format_share(largest->at("share").get<double>())));
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(profile_tiers, 300, build_profile_tiers);
CUSTLENS_REGISTER_SECTION(profile_clusters, 310, build_profile_clusters);
CUSTLENS_REGISTER_SECTION(profile_cluster_map, 320, build_profile_cluster_map);

}  // namespace custlens::report
