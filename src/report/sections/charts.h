// ECharts option builders and the sales-bucket table shared by several report sections.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "report/sections/section.h"

namespace custlens::report {

/// Vertical bars of revenue per label (left axis) and a line of orders (right axis).
nlohmann::json revenue_orders_chart(const SectionContext& context,
                                    const std::vector<std::string>& labels,
                                    const std::vector<double>& revenue,
                                    const std::vector<std::int64_t>& orders);

/// Horizontal bars, largest first at the top: one series of values in percent (0..100).
nlohmann::json ranked_share_chart(std::string_view series_name,
                                  const std::vector<std::string>& labels,
                                  const std::vector<double>& percent);

/// One pattern bucket ({key, revenue, orders, customers, revenue_share}) with its display label.
struct BucketRow {
  std::string label;
  const nlohmann::json* bucket = nullptr;
};

/// Columns: `key_column`, revenue, orders, customers, revenue share; values from the buckets.
SectionTable sales_bucket_table(const SectionContext& context, std::string_view key_column,
                                const std::vector<BucketRow>& rows);

}  // namespace custlens::report
