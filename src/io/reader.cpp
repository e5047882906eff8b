// read_dataset: input expansion, format dispatch, per-file typing and concatenation.
#include <fmt/format.h>
#include <glob.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "common/name_list.h"
#include "custlens/error.h"
#include "custlens/ingest.h"
#include "io/row_source.h"
#include "io/table_builder.h"

namespace custlens {
namespace {

constexpr std::size_t kSampleRows = 10000;

bool has_glob_chars(const std::string& text) {
  return text.find_first_of("*?[") != std::string::npos;
}

bool looks_like_xlsx(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".xlsx" || ext == ".xlsm") return true;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

std::unique_ptr<io::RowSource> open_source(const std::string& path, const ReadOptions& options) {
  return io::open_input(path, options);
}

// A double column whose values are all whole numbers (and was inferred so) becomes int64.
void narrow_integral(Column& column) {
  auto values = column.doubles();
  for (std::size_t row = 0; row < column.size(); ++row) {
    if (column.is_null(row)) continue;
    double v = values[row];
    if (v != std::floor(v) || std::fabs(v) > 9.0e15) return;
  }
  Column narrowed(column.name(), ColumnType::kInt64);
  narrowed.reserve(column.size());
  for (std::size_t row = 0; row < column.size(); ++row) {
    if (column.is_null(row)) {
      narrowed.append_null();
    } else {
      narrowed.append_int(static_cast<std::int64_t>(values[row]));
    }
  }
  column = std::move(narrowed);
}

}  // namespace

namespace io {

std::unique_ptr<RowSource> open_input(const std::string& path, const ReadOptions& options) {
  if (looks_like_xlsx(path)) return open_xlsx(path, options);
  return open_csv(path, options);
}

void RowSource::scan_ordered(const std::function<void(std::size_t, const RowBatch&)>& parallel,
                             const std::function<void(std::size_t, const RowBatch&)>& in_order,
                             const ProgressFn& progress) {
  std::mutex mutex;
  std::size_t next = 0;
  scan(
      [&](std::size_t index, const RowBatch& batch) {
        std::lock_guard lock(mutex);
        if (index != next) throw Error("internal: batches out of order (read with --threads 1)");
        parallel(index, batch);
        in_order(index, batch);
        ++next;
      },
      progress);
}

}  // namespace io

std::vector<std::string> expand_inputs(std::span<const std::string> inputs) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    if (has_glob_chars(input) && !std::filesystem::exists(input)) {
      glob_t matches{};
      int rc = ::glob(input.c_str(), 0, nullptr, &matches);
      std::vector<std::string> found;
      if (rc == 0) {
        for (std::size_t i = 0; i < matches.gl_pathc; ++i) found.emplace_back(matches.gl_pathv[i]);
      }
      globfree(&matches);
      if (found.empty()) throw Error(fmt::format("{}: no file matches this pattern", input));
      std::sort(found.begin(), found.end());
      for (auto& file : found) {
        if (!std::filesystem::is_directory(file)) files.push_back(std::move(file));
      }
      continue;
    }
    if (!std::filesystem::exists(input))
      throw Error(fmt::format("{}: cannot open: no such file", input));
    if (std::filesystem::is_directory(input)) {
      throw Error(
          fmt::format("{}: is a directory; give the files in it (e.g. '{}/*.csv')", input, input));
    }
    files.push_back(input);
  }
  if (files.empty()) throw Error("no input files given");
  return files;
}

std::vector<std::string> read_header(const std::string& path, const ReadOptions& options) {
  std::vector<std::string> one{path};
  auto files = expand_inputs(one);
  return open_source(files.front(), options)->header();
}

Schema sniff_schema(const std::string& path, const ReadOptions& options) {
  std::vector<std::string> one{path};
  auto files = expand_inputs(one);
  auto source = open_source(files.front(), options);
  Schema schema;
  schema.file = files.front();
  schema.format = looks_like_xlsx(files.front()) ? "xlsx" : "csv";
  schema.encoding = source->encoding();
  schema.delimiter = source->delimiter();
  io::RowBatch sample = source->sample(kSampleRows);
  ReadOptions all = options;
  all.columns.clear();
  for (auto& plan : io::plan_columns(source->header(), sample, all)) {
    if (plan.integral_hint) plan.type = ColumnType::kInt64;
    schema.columns.push_back(ColumnInfo{plan.name, plan.type, plan.date_format, true});
  }
  return schema;
}

Dataset read_dataset(std::span<const std::string> inputs, const ReadOptions& options) {
  Dataset data;
  data.files = expand_inputs(inputs);
  std::vector<std::string> header;
  std::vector<io::ColumnPlan> first_plans;

  for (std::size_t file_index = 0; file_index < data.files.size(); ++file_index) {
    const std::string& file = data.files[file_index];
    auto source = open_source(file, options);
    ReadOptions file_options = options;
    if (file_index == 0) {
      header = source->header();
      data.encoding = source->encoding();
      data.delimiter = source->delimiter();
    } else {
      if (source->header() != header) {
        throw Error(fmt::format("{}: header differs from {} ({} vs {})", file, data.files.front(),
                                common::list_names(source->header(), ","),
                                common::list_names(header, ",")));
      }
      // Later files keep the first file's types; date formats are sniffed again per file.
      file_options.column_types.clear();
      for (const auto& plan : first_plans) {
        if (plan.materialize) file_options.column_types.emplace_back(plan.name, plan.type);
      }
    }
    io::RowBatch sample = source->sample(kSampleRows);
    std::vector<io::ColumnPlan> plans = io::plan_columns(header, sample, file_options);
    if (file_index == 0) first_plans = plans;
    io::BatchConverter converter(plans, file);

    // Batches are appended in file order as soon as they and all before them are converted, so
    // only the batches that finish out of order wait in memory, not the whole file twice.
    std::vector<Reject> file_rejects;
    // Room for the whole file up front (from the sample's bytes per row, plus a margin) saves
    // copying every column each time it outgrows its buffer.
    const std::size_t expected = data.row_line.size() + source->estimated_rows() / 100 * 105;
    data.row_line.reserve(expected);
    data.row_hash.reserve(expected);
    data.row_file.reserve(expected);
    for (std::size_t c = 0; c < data.table.num_columns(); ++c)
      data.table.column(c).reserve(expected);
    auto append = [&](io::TypedBatch& batch) {
      if (data.table.num_columns() == 0) {
        for (auto& column : batch.columns) data.table.add_column(std::move(column));
        for (std::size_t c = 0; c < data.table.num_columns(); ++c) {
          data.table.column(c).reserve(expected);
        }
      } else {
        for (std::size_t c = 0; c < batch.columns.size(); ++c) {
          data.table.column(c).append_column(batch.columns[c]);
        }
      }
      data.row_line.insert(data.row_line.end(), batch.lines.begin(), batch.lines.end());
      data.row_hash.insert(data.row_hash.end(), batch.hashes.begin(), batch.hashes.end());
      data.row_file.resize(data.row_line.size(), static_cast<std::uint32_t>(file_index));
      for (auto& reject : batch.rejects) file_rejects.push_back(std::move(reject));
    };
    std::mutex mutex;
    std::map<std::size_t, std::unique_ptr<io::TypedBatch>> waiting;
    std::size_t next = 0;
    source->scan(
        [&](std::size_t batch_index, const io::RowBatch& batch) {
          auto typed = std::make_unique<io::TypedBatch>(converter.convert(batch));
          std::lock_guard lock(mutex);
          waiting.emplace(batch_index, std::move(typed));
          for (auto it = waiting.find(next); it != waiting.end(); it = waiting.find(++next)) {
            append(*it->second);
            waiting.erase(it);
          }
        },
        options.progress);
    data.rows_read += source->rows_read();
    // Indices are dense by the RowSource contract, so nothing should be left; a source that
    // broke it still loses no rows: the rest goes in order.
    for (auto& [index, batch] : waiting) append(*batch);
    std::stable_sort(file_rejects.begin(), file_rejects.end(),
                     [](const Reject& a, const Reject& b) { return a.line < b.line; });
    for (auto& reject : file_rejects) data.rejects.push_back(std::move(reject));
  }

  // A file whose every row was rejected still yields its (empty) typed columns.
  if (data.table.num_columns() == 0) {
    for (const auto& plan : first_plans) {
      if (plan.materialize) data.table.add_column(Column(plan.name, plan.type));
    }
  }
  // Materialized columns are in plan order: a running index, not a search per column (which
  // made a 100,000-column header quadratic; found by fuzzing).
  std::size_t next_column = 0;
  for (auto& plan : first_plans) {
    if (!plan.materialize) {
      data.columns.push_back(ColumnInfo{plan.name, plan.type, plan.date_format, false});
      continue;
    }
    std::size_t index = next_column++;
    if (index >= data.table.num_columns() || data.table.column(index).name() != plan.name) {
      index = static_cast<std::size_t>(data.table.index_of(plan.name));
    }
    if (plan.integral_hint && !plan.forced) {
      Column& column = data.table.column(index);
      if (column.type() == ColumnType::kDouble) narrow_integral(column);
      plan.type = column.type();
    }
    data.columns.push_back(ColumnInfo{plan.name, plan.type, plan.date_format, plan.materialize});
  }
  return data;
}

}  // namespace custlens
