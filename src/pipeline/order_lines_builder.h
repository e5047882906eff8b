// The cleaned order lines in memory, built from the streaming scan: for what needs every line
// after the scan (the dashboard's filtered views), without the typed table of clean_orders.
#pragma once

#include <span>

#include "custlens/orders.h"
#include "pipeline/kept_line.h"

namespace custlens::pipeline {

/// A LineConsumer that keeps every kept line as OrderLines columns, in file order. The lines
/// equal clean_orders' line for line (values, customer ids and their order, and the invoice,
/// country, description and category names), except that the name vectors hold only the names
/// of kept lines, in order of first appearance: ids differ, names do not.
class OrderLinesBuilder final : public LineConsumer {
 public:
  /// `columns` (OrderScan::columns()) says which optional columns the input has.
  explicit OrderLinesBuilder(const LineNames& columns);
  void add(std::span<const KeptLine> lines) override;
  /// The lines, with the names moved out of `names` (the scan result's). With an invoice column
  /// the scan must have kept the invoice ids (OrderScanOptions::keep_invoice_ids); throws
  /// custlens::Error when a line's id has no name. Call once, after the scan.
  OrderLines finish(LineNames&& names);

 private:
  OrderLines lines_;
  bool has_invoice_ = false;
  bool has_quantity_ = false;
  bool has_country_ = false;
  bool has_description_ = false;
  bool has_category_ = false;
};

}  // namespace custlens::pipeline
