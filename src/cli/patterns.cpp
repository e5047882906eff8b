// `custlens patterns`: revenue, orders and customers by country, month, weekday, hour and category.
#include "custlens/patterns.h"

#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "report/json_output.h"
#include "report/summary.h"

namespace custlens::cli {
namespace {

struct PatternsOptions {
  InputOptions input;
  std::string categories;
  std::string lang;
  OutlierCliOptions outliers;
  bool json = false;
};

void run_patterns(const PatternsOptions& options) {
  CleanOptions clean_options;
  clean_options.collect_rejects = false;
  clean_options.outliers = to_outlier_options(options.outliers);
  PatternOptions pattern_options;
  pattern_options.category_map = options.categories;
  SalesPatterns patterns;
  CleaningAudit audit;
  std::vector<std::string> header;
  if (can_stream(clean_options, options.input)) {
    StreamedOrders streamed =
        stream_orders(options.input, clean_options, nullptr, nullptr, &pattern_options);
    require_kept_lines(streamed.scan.audit);
    patterns = std::move(*streamed.patterns);
    audit = std::move(streamed.scan.audit);
    header = std::move(streamed.scan.header);
  } else {
    LoadedOrders loaded = load_orders(options.input, clean_options);
    require_kept_lines(loaded);
    patterns = compute_patterns(loaded.clean.lines, pattern_options);
    audit = std::move(loaded.clean.audit);
    header = std::move(loaded.header);
  }
  if (options.json) {
    const nlohmann::json out = report::patterns_output_to_json(patterns, audit);
    report::require_finite_numbers(out, "the JSON output");
    std::cout << out.dump(2) << '\n';
    return;
  }
  Lang lang =
      parse_lang(!options.lang.empty() ? options.lang : (has_chinese_header(header) ? "zh" : "en"));
  std::cout << report::patterns_text(patterns, lang);
}

void setup(CLI::App& app) {
  auto options = std::make_shared<PatternsOptions>();
  add_input_options(app, options->input);
  app.add_option("--categories", options->categories,
                 "Keyword -> category map (.toml) for descriptions; default: the shipped one");
  app.add_option("--lang", options->lang, "en or zh (default: zh for Chinese headers, else en)");
  add_outlier_options(app, options->outliers);
  app.add_flag("--json", options->json, "Print one JSON object on stdout");
  app.callback([options] { run_patterns(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(patterns, "Sales by country, month, weekday, hour and product category",
                          setup);

}  // namespace custlens::cli
