// `custlens profile`: the customer-profile analysis (tiers, clusters, categories, regions,
// chi-square tests) of a table with one row per customer.
#include "custlens/profile.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/profile.h"
#include "custlens/error.h"
#include "io/output_files.h"
#include "report/json_output.h"
#include "report/playbook.h"
#include "report/profile_summary.h"
#include "report/sinks/sink.h"
#include "report/summary.h"

namespace custlens::cli {
namespace {

// "2..10" (or "2-10") → {2, 10}.
std::pair<int, int> parse_k_range(const std::string& text) {
  const std::size_t dots = text.find("..");
  const std::size_t split = dots != std::string::npos ? dots : text.find('-');
  const std::size_t skip = dots != std::string::npos ? 2 : 1;
  int first = 0, last = 0;
  auto parse = [](std::string_view part, int& value) {
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    return ec == std::errc() && end == part.data() + part.size();
  };
  const std::string_view view(text);
  if (split == std::string::npos || !parse(view.substr(0, split), first) ||
      !parse(view.substr(split + skip), last) || first < 2 || last < first) {
    throw Error(fmt::format("--k-range '{}' must look like 2..10 (first ≥ 2, last ≥ first)", text));
  }
  return {first, last};
}

}  // namespace

ProfileOptions to_profile_options(const ProfileCommandOptions& options) {
  ProfileOptions profile;
  if (options.tiers == "clusters") {
    profile.tiers = TierSource::kClusters;
  } else if (options.tiers == "rules") {
    profile.tiers = TierSource::kRules;
  } else {
    throw Error(fmt::format("--tiers '{}': use clusters or rules", options.tiers));
  }
  profile.scheme = options.scheme;
  profile.scoring_file = options.scoring;
  profile.features = options.features;
  std::tie(profile.k_min, profile.k_max) = parse_k_range(options.k_range);
  if (options.k != 0) profile.k = options.k;
  profile.seed = options.seed;
  if (options.restarts < 1) throw Error("--restarts must be at least 1");
  profile.restarts = options.restarts;
  profile.cluster_names_file = options.cluster_names;
  return profile;
}

namespace {

void setup(CLI::App& app) {
  auto options = std::make_shared<ProfileCommandOptions>();
  add_input_options(app, options->input);
  app.add_flag("--json", options->json, "Print the profile object as JSON on stdout");
  app.add_option("--out,-o", options->out,
                 "Output folder: report.html, summary.json, customers.csv, rejects.csv");
  app.add_option("--playbook", options->playbook,
                 "Profile playbook TOML (default: share/profile_playbook.toml)");
  app.add_option("--tiers", options->tiers,
                 "Profile tiers from K-Means clusters (default) or from RFM score rules: "
                 "clusters or rules");
  app.add_option("--scheme", options->scheme,
                 "RFM tier scheme: five (default), cn8, rfm11, or a rules file (.toml)");
  app.add_option("--scoring", options->scoring,
                 "Fixed-bin scoring file (.toml); default: quintile ranks");
  app.add_option("--features", options->features,
                 "K-Means features as roles, e.g. recency,frequency,monetary (default: recency, "
                 "frequency, monetary, aov, time_on_site, pages, those present)")
      ->delimiter(',');
  app.add_option("--k", options->k, "Fix the number of clusters (default: best silhouette)")
      ->check(CLI::Range(2, 1 << 20));
  app.add_option("--k-range", options->k_range, "The k tried for the elbow, e.g. 2..10 (default)");
  app.add_option("--seed", options->seed, "Seed of every random choice (default 42)");
  app.add_option("--restarts", options->restarts,
                 "k-means++ starts per k; the least inertia is kept (default 20)");
  app.add_option("--cluster-names", options->cluster_names,
                 "TOML file names = [\"important\", ...] naming the clusters in cluster order");
  app.add_option("--lang", options->lang, "en or zh (default: zh for Chinese headers, else en)");
  add_id_hash_options(app, options->ids);
  add_outlier_options(app, options->outliers);
  app.callback([options] { run_profile(*options); });
}

}  // namespace

void run_profile(const ProfileCommandOptions& options, std::unique_ptr<io::RowSource> first) {
  // Options are checked before the input is read.
  const ProfileOptions profile_options = to_profile_options(options);
  if (!options.lang.empty()) parse_lang(options.lang);
  const report::ProfilePlaybook playbook = report::ProfilePlaybook::load(
      options.playbook.empty() ? report::default_profile_playbook_path() : options.playbook);
  std::filesystem::path out_dir;
  if (!options.out.empty()) out_dir = make_out_dir(options.out);
  io::OutputFiles outputs;
  std::optional<report::IdHasher> hasher = make_id_hasher(options.ids);
  LoadedProfiles loaded = load_profiles(options.input, options.features,
                                        to_outlier_options(options.outliers), std::move(first));
  if (hasher) {
    report::hash_reject_ids(loaded.clean.rejects, *hasher);
    report::hash_outlier_ids(loaded.clean.audit.outliers, *hasher);
  }
  const Lang lang = parse_lang(
      !options.lang.empty() ? options.lang : (has_chinese_header(loaded.header) ? "zh" : "en"));
  ProfileClean& clean = loaded.clean;
  const report::SinkContext sinks{outputs, lang, options.input.quiet ? nullptr : &std::cerr};
  if (!options.out.empty()) {
    const std::unique_ptr<report::RejectWriter> rejects =
        report::open_reject_sink("rejects.csv", sinks, out_dir / "rejects.csv");
    rejects->add(clean.rejects);
    rejects->close();
    if (clean.table.size() == 0) outputs.commit();  // the error below points at them
  }
  if (clean.table.size() == 0) {
    throw Error(
        fmt::format("no customer row survived the checks ({} read, {} malformed, {} "
                    "without customer id, {} with a bad number); the rejects say why",
                    clean.audit.rows_read, clean.audit.malformed, clean.audit.missing_customer,
                    clean.audit.bad_number));
  }
  const ProfileResult result = analyze_profiles(clean.table, profile_options);
  // The analysis is done: only the exported ids change.
  if (hasher) report::hash_profile_ids(clean.table, *hasher);
  const report::ProfileRun run{
      result,
      {loaded.files, loaded.encoding, &clean.table, &clean.audit, &clean.rejects},
      playbook};
  const report::SinkResults results(run);

  if (!options.out.empty()) {
    report::write_sinks(results, sinks, out_dir);
    outputs.commit();
  }
  if (options.json) {
    const nlohmann::json& json = results.summary_json().at("profile");
    report::require_finite_numbers(json, "the JSON output");
    std::cout << json.dump(2) << '\n';
    return;
  }
  std::cout << report::profile_text(result, run.input, lang);
  if (!options.out.empty()) {
    std::cout << fmt::format("\n{}: {}\n", lang == Lang::kZh ? "结果目录" : "results in",
                             out_dir.string());
  }
}

CUSTLENS_REGISTER_COMMAND(profile,
                          "Customer-profile analysis: RFM and profile tiers, K-Means clusters, "
                          "tier x category, regions, chi-square tests",
                          setup);

}  // namespace custlens::cli
