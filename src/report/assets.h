// The report page's assets, embedded into the binary at build time from web/.
#pragma once

#include <string_view>

namespace custlens::report {

struct ReportAssets {
  std::string_view echarts_js;  ///< web/node_modules/echarts/dist/echarts.min.js (npm, pinned)
  std::string_view report_js;   ///< web/report.js: draws the model
  std::string_view report_css;  ///< web/report.css
  std::string_view page;        ///< web/report.html: the template with {{placeholders}}
};

const ReportAssets& report_assets();

}  // namespace custlens::report
