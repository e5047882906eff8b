// open_input and read_dataset: input expansion (files, globs, pipes), the choice of a registered
// source (io/source_registry.h), per-file typing and concatenation.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <glob.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <unordered_map>

#include "common/name_list.h"
#include "custlens/error.h"
#include "custlens/ingest.h"
#include "io/input_stream.h"
#include "io/row_source.h"
#include "io/source_registry.h"
#include "io/table_builder.h"

namespace custlens {
namespace {

constexpr std::size_t kSampleRows = 10000;

bool has_glob_chars(const std::string& text) {
  return text.find_first_of("*?[") != std::string::npos;
}

// The first bytes of a regular file, as far as any source's signature looks (fewer when the file
// is shorter or cannot be read: opening it then says why).
std::string file_head(const std::string& path) {
  std::string head(io::signature_bytes(), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return head;
}

/// A non-seekable input opened to read its header or schema, kept for the open that scans it: a
/// pipe cannot be opened twice.
struct KeptInput {
  std::string encoding;
  char delimiter = 0;
  std::string sheet;
  std::string format;
  std::unique_ptr<io::RowSource> source;
};

std::mutex& kept_mutex() {
  static std::mutex mutex;
  return mutex;
}

std::map<std::string, KeptInput>& kept_inputs() {
  static std::map<std::string, KeptInput> kept;
  return kept;
}

/// Keeps `source` for the next open_input(path) when path is a non-seekable input.
void keep_if_stream(const std::string& path, const ReadOptions& options,
                    std::unique_ptr<io::RowSource> source) {
  if (!io::is_stream_path(path)) return;
  const std::lock_guard lock(kept_mutex());
  kept_inputs()[path] = KeptInput{options.encoding, options.delimiter, options.sheet,
                                  options.format, std::move(source)};
}

std::unique_ptr<io::RowSource> take_kept(const std::string& path, const ReadOptions& options) {
  const std::lock_guard lock(kept_mutex());
  auto found = kept_inputs().find(path);
  if (found == kept_inputs().end()) return nullptr;
  KeptInput kept = std::move(found->second);
  kept_inputs().erase(found);
  if (kept.encoding != options.encoding || kept.delimiter != options.delimiter ||
      kept.sheet != options.sheet || kept.format != options.format) {
    throw Error(fmt::format(
        "{}: a pipe or standard input can be read only once, and it was opened with other "
        "--encoding, --delimiter, --sheet or --format options",
        path));
  }
  return std::move(kept.source);
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

std::vector<std::string> expand_inputs(std::span<const std::string> inputs) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    if (io::url_source(input)) {  // a database: postgresql://..., sqlite:PATH
      files.push_back(input);
      continue;
    }
    if (io::is_stream_path(input)) {  // "-", a pipe, /dev/fd/N, a FIFO: read as a stream
      files.push_back(input);
      continue;
    }
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
  const std::string file = expand_inputs(one).front();
  std::unique_ptr<io::RowSource> source = io::open_input(file, options);
  std::vector<std::string> header = source->header();
  keep_if_stream(file, options, std::move(source));
  return header;
}

Schema sniff_schema(const std::string& path, const ReadOptions& options) {
  std::vector<std::string> one{path};
  const std::string file = expand_inputs(one).front();
  std::unique_ptr<io::RowSource> source = io::open_input(file, options);
  Schema schema = io::sniff_schema(*source, file, options);
  keep_if_stream(file, options, std::move(source));
  return schema;
}

Dataset read_dataset(std::span<const std::string> inputs, const ReadOptions& options) {
  const std::vector<std::string> files = expand_inputs(inputs);
  return io::read_dataset(files, nullptr, options);
}

namespace io {

std::unique_ptr<RowSource> open_input(const std::string& path, const ReadOptions& options) {
  if (const SourceSpec* database = url_source(path)) {
    if (!options.format.empty() && options.format != database->name) {
      throw Error(fmt::format("--format {} cannot read a {} input", options.format,
                              database->name));
    }
    return database->open_url(path, options);
  }
  if (!options.table.empty() || !options.query.empty()) {
    throw Error(fmt::format(
        "{}: --table and --query read a database input (postgresql://... or sqlite:PATH), not a "
        "file",
        path));
  }
  if (std::unique_ptr<RowSource> kept = take_kept(path, options)) return kept;
  const SourceSpec* forced = options.format.empty() ? nullptr : &find_source(options.format);
  if (is_stream_path(path)) {
    auto input = std::make_unique<InputStream>(path);
    const SourceSpec* source =
        forced ? forced : recognise_source(path, input->head(signature_bytes()), true);
    if (!source) throw Error(fmt::format("{}: no input format reads this; give --format", path));
    if (!source->open_stream) {
      throw Error(fmt::format("{}: {}; save it to a file and give that path", path,
                              source->stream_refusal));
    }
    return source->open_stream(std::move(input), options);
  }
  const SourceSpec* source = forced ? forced : recognise_source(path, file_head(path), false);
  if (!source) throw Error(fmt::format("{}: no input format reads this; give --format", path));
  if (!source->open_file) {
    throw Error(fmt::format("{}: --format {} reads only URL inputs ({})", path, source->name,
                            fmt::join(source->url_prefixes, " or ")));
  }
  return source->open_file(path, options);
}

Schema sniff_schema(RowSource& source, const std::string& file, const ReadOptions& options) {
  Schema schema;
  schema.file = file;
  schema.format = source.format();
  schema.encoding = source.encoding();
  schema.delimiter = source.delimiter();
  schema.layout = source.layout();
  RowBatch sample = source.sample(kSampleRows);
  ReadOptions all = options;
  all.columns.clear();
  for (auto& plan : plan_columns(source.header(), sample, all)) {
    if (plan.integral_hint) plan.type = ColumnType::kInt64;
    schema.columns.push_back(ColumnInfo{plan.name, plan.type, plan.date_format, true});
  }
  return schema;
}

Dataset read_dataset(std::span<const std::string> files, std::unique_ptr<RowSource> first,
                     const ReadOptions& options) {
  Dataset data;
  data.files.assign(files.begin(), files.end());
  if (data.files.empty()) throw Error("no input files given");
  std::vector<std::string> header;
  std::vector<ColumnPlan> first_plans;

  for (std::size_t file_index = 0; file_index < data.files.size(); ++file_index) {
    const std::string& file = data.files[file_index];
    std::unique_ptr<RowSource> source =
        file_index == 0 && first ? std::move(first) : open_input(file, options);
    ReadOptions file_options = options;
    if (file_index == 0) {
      header = source->header();
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
    check_declared_types(*source, file, file_options);
    RowBatch sample = source->sample(kSampleRows);
    std::vector<ColumnPlan> plans = plan_columns(header, sample, file_options);
    if (file_index == 0) first_plans = plans;
    BatchConverter converter(plans, file);

    std::vector<Reject> file_rejects;
    // Room for the whole file up front (from the sample's bytes per row, plus a margin) saves
    // copying every column each time it outgrows its buffer.
    const std::size_t expected = data.row_line.size() + source->estimated_rows() / 100 * 105;
    data.row_line.reserve(expected);
    data.row_hash.reserve(expected);
    data.row_file.reserve(expected);
    for (std::size_t c = 0; c < data.table.num_columns(); ++c)
      data.table.column(c).reserve(expected);
    auto append = [&](TypedBatch& batch) {
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
    // Batches are converted in parallel and appended in file order; only the few batches the
    // scan has in flight wait here.
    std::mutex mutex;
    std::unordered_map<std::size_t, TypedBatch> converted;
    source->scan_ordered(
        [&](std::size_t batch_index, const RowBatch& batch) {
          TypedBatch typed = converter.convert(batch);
          const std::lock_guard lock(mutex);
          converted.emplace(batch_index, std::move(typed));
        },
        [&](std::size_t batch_index, const RowBatch&) {
          TypedBatch typed;
          {
            const std::lock_guard lock(mutex);
            auto node = converted.extract(batch_index);
            typed = std::move(node.mapped());
          }
          append(typed);
        },
        options.progress);
    data.rows_read += source->rows_read();
    // The encoding after the scan: what the whole first file was read as.
    if (file_index == 0) data.encoding = source->encoding();
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

}  // namespace io
}  // namespace custlens
