#include "report/history.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "common/number_text.h"
#include "report/run_record.h"

namespace custlens::report {
namespace {

// The KPIs of the run table, in column order, with their headings.
struct KpiColumn {
  std::string_view name;
  std::string_view en;
  std::string_view zh;
};
constexpr KpiColumn kColumns[] = {
    {kKpiCustomers, "customers", "客户数"},
    {kKpiRevenue, "revenue", "收入"},
    {kKpiAov, "AOV", "客单价"},
    {kKpiRepurchaseRate, "repurchase", "复购率"},
    {kKpiChurnShare, "churn", "流失占比"},
    {"auc", "AUC", "AUC"},
    {"conversion_rate", "conversion", "转化率"},
    {"uplift", "uplift", "提升"},
};

std::string format_value(std::string_view name, double value) {
  if (is_share_kpi(name)) return fmt::format("{:.1f}%", value * 100);
  if (name == "auc" || name.ends_with("p_value")) return fmt::format("{:.3f}", value);
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return common::thousands(static_cast<std::int64_t>(value));
  }
  if (std::fabs(value) >= 1000) return common::group_thousands(fmt::format("{:.0f}", value));
  return fmt::format("{:.2f}", value);
}

std::string format_change(std::string_view name, double previous, double value) {
  if (is_share_kpi(name)) return fmt::format("{:+.1f} pp", (value - previous) * 100);
  std::string change = format_value(name, value - previous);
  if (value - previous >= 0) change = "+" + change;
  if (previous != 0)
    change += fmt::format(", {:+.1f}%", (value - previous) / std::fabs(previous) * 100);
  return change;
}

std::string short_time(const std::string& iso) {
  // "2026-12-04T13:47:30Z" -> "2026-12-04 13:47"
  if (iso.size() < 16) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

}  // namespace

std::optional<double> kpi_value(const io::StoredRun& run, std::string_view name) {
  const auto found = std::lower_bound(
      run.kpis.begin(), run.kpis.end(), name,
      [](const io::StoredKpi& kpi, std::string_view key) { return kpi.name < key; });
  if (found == run.kpis.end() || found->name != name) return std::nullopt;
  return found->value;
}

bool is_share_kpi(std::string_view name) {
  // Campaign KPIs: campaign.<name>.uplift and its interval are differences of rates.
  return name.ends_with("_share") || name.ends_with("_rate") || name == "uplift" ||
         name.ends_with(".uplift") ||
         (name.starts_with("campaign.") &&
          (name.ends_with(".ci_lower") || name.ends_with(".ci_upper")));
}

History build_history(std::string store, std::vector<io::StoredRun> runs,
                      const std::vector<io::StoredCampaignRow>& campaigns) {
  History history;
  history.store = std::move(store);
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> last;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    io::StoredRun& run = runs[i];
    std::sort(run.kpis.begin(), run.kpis.end(),
              [](const io::StoredKpi& a, const io::StoredKpi& b) { return a.name < b.name; });
    HistoryRun entry{std::move(run), std::nullopt};
    const auto key = std::make_tuple(entry.run.command, entry.run.source_name, entry.run.scheme);
    if (const auto found = last.find(key); found != last.end()) entry.previous = found->second;
    last[key] = i;
    history.runs.push_back(std::move(entry));
  }
  for (const io::StoredCampaignRow& row : campaigns) {
    if (row.result.breakdown == "all") history.campaigns.push_back(row);
  }
  return history;
}

nlohmann::json history_to_json(const History& history) {
  nlohmann::json runs = nlohmann::json::array();
  for (const HistoryRun& entry : history.runs) {
    const io::StoredRun& run = entry.run;
    nlohmann::json inputs = nlohmann::json::array();
    for (const io::StoredInput& input : run.inputs) {
      nlohmann::json item = {{"path", input.path}};
      if (input.bytes >= 0) {
        item["bytes"] = input.bytes;
        item["sha256"] = input.sha256;
      }
      inputs.push_back(std::move(item));
    }
    nlohmann::json kpis = nlohmann::json::object();
    for (const io::StoredKpi& kpi : run.kpis) kpis[kpi.name] = kpi.value;
    nlohmann::json segments = nlohmann::json::array();
    for (const io::StoredSegment& segment : run.segments) {
      segments.push_back({{"segment", segment.segment},
                          {"segment_zh", segment.segment_zh},
                          {"customers", segment.customers},
                          {"customer_share", segment.customer_share},
                          {"revenue", segment.revenue},
                          {"revenue_share", segment.revenue_share}});
    }
    nlohmann::json out = {{"run_id", run.run_id},
                          {"started_at", run.started_at},
                          {"finished_at", run.finished_at},
                          {"command", run.command},
                          {"source_name", run.source_name},
                          {"scheme", run.scheme},
                          {"as_of", run.as_of},
                          {"custlens_version", run.custlens_version},
                          {"hashed_ids", run.hashed_ids},
                          {"parameters", nlohmann::json::parse(run.parameters, nullptr, false)},
                          {"inputs", std::move(inputs)},
                          {"kpis", std::move(kpis)},
                          {"segments", std::move(segments)}};
    if (out["parameters"].is_discarded()) out["parameters"] = run.parameters;
    if (entry.previous) {
      const io::StoredRun& previous = history.runs[*entry.previous].run;
      out["previous_run_id"] = previous.run_id;
      nlohmann::json changes = nlohmann::json::object();
      for (const io::StoredKpi& kpi : run.kpis) {
        const std::optional<double> before = kpi_value(previous, kpi.name);
        if (!before) continue;
        nlohmann::json change = {{"previous", *before}, {"change", kpi.value - *before}};
        change["relative_change"] = *before != 0
                                        ? nlohmann::json((kpi.value - *before) / std::fabs(*before))
                                        : nlohmann::json();
        changes[kpi.name] = std::move(change);
      }
      out["changes"] = std::move(changes);
    } else {
      out["previous_run_id"] = nullptr;
    }
    runs.push_back(std::move(out));
  }
  nlohmann::json campaigns = nlohmann::json::array();
  for (const io::StoredCampaignRow& row : history.campaigns) {
    const io::StoredCampaignResult& r = row.result;
    const auto optional = [](const std::optional<double>& v) {
      return v ? nlohmann::json(*v) : nlohmann::json();
    };
    campaigns.push_back({{"run_id", row.run_id},
                         {"started_at", row.started_at},
                         {"campaign", row.campaign.campaign},
                         {"first_sent", row.campaign.first_sent},
                         {"last_sent", row.campaign.last_sent},
                         {"window_days", row.campaign.window_days},
                         {"channel", row.campaign.channel},
                         {"treatment_customers", r.treatment_customers},
                         {"control_customers", r.control_customers},
                         {"treatment_rate", r.treatment_rate},
                         {"control_rate", r.control_rate},
                         {"uplift", optional(r.uplift)},
                         {"ci_lower", optional(r.ci_lower)},
                         {"ci_upper", optional(r.ci_upper)},
                         {"p_value", optional(r.p_value)},
                         {"revenue_uplift", optional(r.revenue_uplift)},
                         {"incremental_profit", optional(r.incremental_profit)}});
  }
  return {{"store", history.store}, {"runs", std::move(runs)}, {"campaigns", std::move(campaigns)}};
}

std::string history_text(const History& history, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string out = zh ? fmt::format("运行记录 {}：{} 次运行\n", history.store, history.runs.size())
                       : fmt::format("Run store {}: {} runs\n", history.store, history.runs.size());
  if (history.runs.empty()) return out;
  // Only the columns some run has.
  std::vector<const KpiColumn*> columns;
  for (const KpiColumn& column : kColumns) {
    for (const HistoryRun& entry : history.runs) {
      if (kpi_value(entry.run, column.name)) {
        columns.push_back(&column);
        break;
      }
    }
  }
  out += fmt::format("\n{:<21}  {:<16}  {:<9}  {:<20}  {:<6}", zh ? "运行" : "run",
                     zh ? "开始 (UTC)" : "started (UTC)", zh ? "命令" : "command",
                     zh ? "数据源" : "source", zh ? "方案" : "scheme");
  for (const KpiColumn* column : columns)
    out += fmt::format("  {:>12}", zh ? column->zh : column->en);
  out += '\n';
  for (const HistoryRun& entry : history.runs) {
    const io::StoredRun& run = entry.run;
    std::string source = run.source_name;
    if (source.size() > 20) source = source.substr(0, 19) + "~";
    out += fmt::format("{:<21}  {:<16}  {:<9}  {:<20}  {:<6}", run.run_id,
                       short_time(run.started_at), run.command, source, run.scheme);
    for (const KpiColumn* column : columns) {
      const std::optional<double> value = kpi_value(run, column->name);
      out += fmt::format("  {:>12}", value ? format_value(column->name, *value) : "-");
    }
    out += '\n';
  }
  // The newest run of each kind against its previous comparable run.
  std::vector<bool> superseded(history.runs.size(), false);
  for (const HistoryRun& entry : history.runs) {
    if (entry.previous) superseded[*entry.previous] = true;
  }
  for (std::size_t i = 0; i < history.runs.size(); ++i) {
    const HistoryRun& entry = history.runs[i];
    if (superseded[i] || !entry.previous) continue;
    const io::StoredRun& run = entry.run;
    const io::StoredRun& previous = history.runs[*entry.previous].run;
    out += zh ? fmt::format("\n{} {}（{}）相对上一次可比运行 {}：\n", run.command, run.source_name,
                            run.run_id, previous.run_id)
              : fmt::format("\n{} of {} ({}) against the previous comparable run {}:\n",
                            run.command, run.source_name, run.run_id, previous.run_id);
    // The main KPIs first, then the others by name.
    static constexpr std::string_view kMain[] = {kKpiCustomers, kKpiRevenue,        kKpiOrders,
                                                 kKpiAov,       kKpiRepurchaseRate, kKpiChurnShare,
                                                 "auc",         "conversion_rate",  "uplift"};
    std::vector<const io::StoredKpi*> kpis;
    for (std::string_view name : kMain) {
      for (const io::StoredKpi& kpi : run.kpis) {
        if (kpi.name == name) kpis.push_back(&kpi);
      }
    }
    for (const io::StoredKpi& kpi : run.kpis) {
      if (std::find(std::begin(kMain), std::end(kMain), kpi.name) == std::end(kMain)) {
        kpis.push_back(&kpi);
      }
    }
    for (const io::StoredKpi* kpi : kpis) {
      const std::optional<double> before = kpi_value(previous, kpi->name);
      if (!before) continue;
      out += fmt::format("  {:<36} {:>14} -> {:>14}  ({})\n", kpi->name,
                         format_value(kpi->name, *before), format_value(kpi->name, kpi->value),
                         format_change(kpi->name, *before, kpi->value));
    }
  }
  if (!history.campaigns.empty()) out += zh ? "\n活动评估：\n" : "\nCampaign readouts:\n";
  for (const io::StoredCampaignRow& row : history.campaigns) {
    const io::StoredCampaignResult& r = row.result;
    out += fmt::format("  {} {} ({} - {}): {} {:.1f}% vs {} {:.1f}%", short_time(row.started_at),
                       row.campaign.campaign, row.campaign.first_sent, row.campaign.last_sent,
                       zh ? "实验组" : "treatment", r.treatment_rate * 100,
                       zh ? "对照组" : "control", r.control_rate * 100);
    if (r.uplift && r.ci_lower && r.ci_upper) {
      out += fmt::format(": {:+.1f} pp (95% CI {:.1f} {} {:.1f})", *r.uplift * 100,
                         *r.ci_lower * 100, zh ? "至" : "to", *r.ci_upper * 100);
    }
    if (r.p_value) out += fmt::format(", p = {:.3f}", *r.p_value);
    out += '\n';
  }
  return out;
}

}  // namespace custlens::report
