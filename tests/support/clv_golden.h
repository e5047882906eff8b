// Reading the goldens of tests/reference/clv_reference.py (golden/clv/): plain CSV with a header
// (no quoted fields) and JSON.
#pragma once

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace custlens::testing {

/// A golden CSV: columns by name, every cell as text.
struct GoldenCsv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    throw std::runtime_error("no golden column " + name);
  }
  /// The column as numbers; empty cells are NaN.
  std::vector<double> numbers(const std::string& name) const {
    const std::size_t c = column(name);
    std::vector<double> out;
    for (const auto& row : rows) out.push_back(row[c].empty() ? std::nan("") : std::stod(row[c]));
    return out;
  }
  std::vector<std::string> texts(const std::string& name) const {
    const std::size_t c = column(name);
    std::vector<std::string> out;
    for (const auto& row : rows) out.push_back(row[c]);
    return out;
  }
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::stringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

inline std::string clv_golden_path(const std::string& file) {
  return std::string(CUSTLENS_REFERENCE_DIR) + "/golden/clv/" + file;
}

inline GoldenCsv read_golden_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  GoldenCsv csv;
  std::string line;
  std::getline(in, line);
  csv.header = split_csv_line(line);
  while (std::getline(in, line)) {
    csv.rows.push_back(split_csv_line(line));
    if (csv.rows.back().size() != csv.header.size()) {
      throw std::runtime_error("bad golden row: " + line);
    }
  }
  return csv;
}

inline nlohmann::json read_golden_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(in);
}

/// |a − b| <= tolerance · max(|b|, floor).
inline bool close_relative(double a, double b, double tolerance, double floor = 1e-12) {
  return std::abs(a - b) <= tolerance * std::max(std::abs(b), floor);
}

}  // namespace custlens::testing
