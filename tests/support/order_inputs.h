// Test helper: order-line inputs that attack every cleaning rule, and the table path
// (read_dataset + clean_orders) that the streaming scan and what is built on it are checked
// against.
#pragma once

#include <initializer_list>
#include <ostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "custlens/clean.h"
#include "custlens/ingest.h"
#include "custlens/roles.h"

namespace custlens::testing {

/// `rows` UCI-schema rows (after a header) that break every rule, in random order: malformed
/// numbers, dates and field counts, missing values, blank and float-style ids, cancellations,
/// zero prices, exact duplicates, quoted fields with line breaks, huge values.
inline void write_hostile_orders(std::ostream& out, std::mt19937_64& random, int rows) {
  auto pick = [&](std::initializer_list<const char*> options) {
    std::uniform_int_distribution<std::size_t> d(0, options.size() - 1);
    return std::string(*(options.begin() + static_cast<std::ptrdiff_t>(d(random))));
  };
  out << "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
  std::string previous;
  for (int row = 0; row < rows; ++row) {
    std::string line;
    if (!previous.empty() && random() % 10 == 0) {
      line = previous;  // an exact duplicate
    } else {
      line = pick({"5001", "5002", "C5003", " 5004", "", "5005", "5006"}) + "," +
             pick({"A1", "B2", ""}) + "," +
             pick({"MUG", "\"BOWL, BIG\"", "\"TWO\nLINES\"", "", "CAFÉ"}) + "," +
             pick({"1", "2", "-3", "0", "x", "", "12", "1e300", "NA", "7", "40"}) + "," +
             (random() % 20 == 0 ? pick({"13/45/2011 1:00", "", "yesterday"})
                                 : pick({"12/1/2010 8:26", "12/2/2010 9:00", "1/5/2011 10:15",
                                         "3/3/2011 23:59", "12/13/2010 7:05"})) +
             "," + pick({"2.55", "0", "-1", "abc", "1.25", "", "3.5", "900"}) + "," +
             pick({"17850", "17850.0", " 12", "", "99", "100", "100.5", "NA"}) + "," +
             pick({"UK", "France", "", "Germany"});
      if (random() % 50 == 0) line += ",extra";
    }
    out << line << "\n";
    previous = line;
  }
}

/// The table path: the files read whole (read_dataset) and cleaned (clean_orders).
inline CleanResult clean_with_table_path(
    const std::vector<std::string>& files, const CleanOptions& clean,
    const std::vector<std::pair<std::string, std::string>>& maps = {}) {
  const std::vector<std::string> header = read_header(files.front(), {});
  const RoleMap roles = detect_roles(header, maps);
  Dataset data = read_dataset(files, order_read_options(header, roles, {}));
  return clean_orders(std::move(data), roles, clean);
}

/// Five option sets that the stream and the table path must agree under: flag with the IQR rule,
/// --dedup with the z rule, outliers off, IQR outliers dropped, z outliers capped with --dedup
/// (drop and cap make the scan read the files twice).
inline std::vector<CleanOptions> few_option_sets() {
  std::vector<CleanOptions> sets(5);
  sets[1].dedup = true;
  sets[1].outliers.method = OutlierMethod::kZ;
  sets[2].outliers.method = OutlierMethod::kOff;
  sets[3].outliers.action = OutlierAction::kDrop;
  sets[4].dedup = true;
  sets[4].outliers.method = OutlierMethod::kZ;
  sets[4].outliers.action = OutlierAction::kCap;
  return sets;
}

}  // namespace custlens::testing
