// The streaming scan of order lines: every input read once, the cleaning rules, duplicate
// detection and the line-level outlier statistics applied batch by batch inside the parallel
// read, and each kept line handed, in file order, to the analyses that sum it (docs/pipeline.md).
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "custlens/clean.h"
#include "custlens/ingest.h"
#include "custlens/outliers.h"
#include "custlens/roles.h"
#include "io/row_source.h"
#include "pipeline/kept_line.h"

namespace custlens::pipeline {

struct OrderScanOptions {
  ReadOptions read;  ///< encoding, delimiter, sheet, date format, threads, progress
  std::vector<std::pair<std::string, std::string>> maps;  ///< --map role=column
  bool dedup = false;                                     ///< drop exact duplicates
  bool keep_zero_value = false;  ///< CleanOptions::keep_zero_value
  bool keep_invoice_ids = false;  ///< fill LineNames::invoice_ids (tests; nothing prints them)
  /// The outlier step on the line fields (quantity, unit_price, amount), as clean_orders does
  /// it. Drop and cap need the bounds of all lines before the first line can be judged, so the
  /// inputs are read twice (first the statistics): they must be files, not pipes (supports()).
  OutlierOptions outliers;
};

/// Receives the rejected rows in (file, line) order while the scan goes (the rejects file).
using RejectSink = std::function<void(std::span<Reject>)>;

struct OrderScanResult {
  std::vector<std::string> files;
  std::vector<std::string> header;
  RoleMap roles;
  std::vector<ColumnInfo> columns;  ///< every header column; the role columns materialized
  std::string encoding;
  /// Counts, duplicates and the line fields' outlier statistics (as clean_orders reports them).
  CleaningAudit audit;
  LineNames names;
};

/// One scan of order lines. The constructor opens the first input (or takes it, opened by a
/// caller that needed its header) and finds the roles; run() reads every input once.
class OrderScan {
 public:
  /// Throws custlens::Error for input that cannot be read, files whose headers differ, or missing
  /// customer, date or value roles (naming --map), and for an outlier drop or cap on inputs that
  /// cannot be read twice.
  OrderScan(std::vector<std::string> files, OrderScanOptions options,
            std::unique_ptr<io::RowSource> first = nullptr);
  ~OrderScan();
  OrderScan(const OrderScan&) = delete;
  OrderScan& operator=(const OrderScan&) = delete;

  /// False when `options` need the inputs twice (outliers dropped or capped) and one of `files`
  /// is a pipe or standard input, which can be read once only.
  static bool supports(const std::vector<std::string>& files, const OrderScanOptions& options);

  const std::vector<std::string>& header() const;
  const RoleMap& roles() const;
  /// The has_* flags of the lines this scan will hand out; during run() its descriptions and
  /// category_names grow as new ones are seen (each before the first line that uses it), for
  /// analyses that classify names as lines come. Customer and invoice ids stay empty here.
  const LineNames& columns() const;

  /// Reads every input; `consumers` get the kept lines, `rejects` (may be empty) the rejected
  /// rows. Throws custlens::Error when the inputs hold no data row. Call once.
  OrderScanResult run(std::span<LineConsumer* const> consumers, const RejectSink& rejects);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace custlens::pipeline
