// open_xlsx: the streaming XLSX RowSource. One expat pass over the chosen sheet turns <row> and
// <c> elements into batches of raw UTF-8 fields; the header is the first non-empty row.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "custlens/error.h"
#include "io/csv.h"
#include "io/encoding.h"
#include "io/row_source.h"
#include "io/xlsx_archive.h"
#include "io/xlsx_workbook.h"

namespace custlens::io {
namespace {

constexpr std::size_t kBatchRows = 16384;
constexpr std::size_t kRejectContentBytes = 300;
// A reference that cannot exist is quoted up to this many bytes: "ZZZZ…" may be huge.
constexpr std::size_t kMaxReferenceBytes = 40;

enum class CellType : std::uint8_t {
  kNumber,
  kShared,
  kInline,
  kFormulaString,
  kBool,
  kError,
  kIsoDate
};

CellType cell_type_of(std::string_view type) {
  if (type.empty() || type == "n") return CellType::kNumber;
  if (type == "s") return CellType::kShared;
  if (type == "inlineStr") return CellType::kInline;
  if (type == "str") return CellType::kFormulaString;
  if (type == "b") return CellType::kBool;
  if (type == "e") return CellType::kError;
  if (type == "d") return CellType::kIsoDate;
  return CellType::kNumber;
}

template <class Int>
bool parse_whole(std::string_view text, Int& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

// The rows of one pass over a sheet part, collected into a pending batch. Not movable: the XML
// parser calls back into it.
class SheetStream {
 public:
  SheetStream(const xlsx::Archive& archive, const xlsx::Workbook& workbook,
              const xlsx::SheetEntry& sheet)
      : workbook_(workbook),
        path_(archive.path()),
        part_(archive, sheet.part, xlsx::callbacks_for(*this)) {}
  SheetStream(const SheetStream&) = delete;
  SheetStream& operator=(const SheetStream&) = delete;

  /// Parses until the header row has been seen; false when the sheet has no non-empty row.
  bool find_header() {
    while (!have_header_ && more_) more_ = part_.parse_chunk();
    return have_header_;
  }
  /// Parses until at least `rows` rows (kept or rejected) are pending or the sheet has ended;
  /// false once it has ended.
  bool fill(std::size_t rows) {
    while (pending_rows_ < rows && more_) more_ = part_.parse_chunk();
    return more_;
  }
  std::size_t pending_rows() const { return pending_rows_; }
  std::size_t kept_rows() const { return batch_.lines.size(); }
  /// The pending rows; the views stay valid until clear() or the next fill().
  const RowBatch& batch() {
    batch_.num_columns = header_.size();
    batch_.fields.resize(spans_.size());
    for (std::size_t i = 0; i < spans_.size(); ++i) {
      batch_.fields[i] = std::string_view(arena_).substr(spans_[i].offset, spans_[i].size);
    }
    return batch_;
  }
  /// Drops the pending rows, keeping the bytes of a row that a chunk boundary cut in two.
  void clear() {
    std::size_t keep_from = in_row_ ? row_start_ : arena_.size();
    arena_.erase(0, keep_from);
    for (CellSpan& cell : row_cells_) cell.offset -= keep_from;
    row_start_ -= std::min(row_start_, keep_from);
    spans_.clear();
    batch_.fields.clear();
    batch_.lines.clear();
    batch_.hashes.clear();
    batch_.rejects.clear();
    pending_rows_ = 0;
  }
  /// Closes the sheet part; what was parsed stays readable.
  void close() {
    part_.close();
    more_ = false;
  }
  const std::vector<std::string>& header() const { return header_; }
  std::int64_t rows_seen() const { return rows_seen_; }
  std::uint64_t bytes_done() const { return part_.bytes_done(); }
  std::uint64_t bytes_total() const { return part_.bytes_total(); }

  // XML events, called by the parser.
  void start(std::string_view name, const char** attributes) {
    if (name == "c") {
      start_cell(attributes);
    } else if (name == "v") {
      collecting_ = in_cell_;
    } else if (name == "t") {
      collecting_ = in_inline_ && phonetic_depth_ == 0;
    } else if (name == "is") {
      in_inline_ = in_cell_;
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "row") {
      in_row_ = true;
      row_start_ = arena_.size();
      row_cells_.clear();
      next_column_ = 0;
      bad_reference_.clear();
      const std::string_view r = xlsx::attribute(attributes, "r");
      std::int64_t number = 0;
      if (r.empty()) {
        row_number_ += 1;
      } else if (parse_whole(r, number) && number >= 1 && number <= xlsx::kMaxSheetRows) {
        row_number_ = number;
      } else {
        // A row that cannot exist: rejected at its end, numbered after the row before it.
        row_number_ += 1;
        bad_reference_ = fmt::format("row number '{}' cannot exist (rows are 1 to {})",
                                     utf8_excerpt(r, kMaxReferenceBytes), xlsx::kMaxSheetRows);
      }
      if (bad_reference_.empty() && row_number_ > xlsx::kMaxSheetRows) {
        // Rows without r counted past the last row a sheet can have.
        bad_reference_ = fmt::format("row {} is past the last row of a sheet ({})", row_number_,
                                     xlsx::kMaxSheetRows);
      }
    }
  }
  void end(std::string_view name) {
    if (name == "c") {
      if (in_cell_) finish_cell();
      in_cell_ = false;
      in_inline_ = false;
      collecting_ = false;
    } else if (name == "v" || name == "t") {
      collecting_ = false;
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh") {
      --phonetic_depth_;
    } else if (name == "row") {
      finish_row();
      in_row_ = false;
    }
  }
  void text(std::string_view text) {
    if (collecting_) cell_text_.append(text);
  }

 private:
  struct CellSpan {
    std::size_t column;
    std::size_t offset;  // into arena_
    std::size_t size;
  };

  void start_cell(const char** attributes) {
    if (!in_row_) return;
    in_cell_ = true;
    cell_text_.clear();
    cell_type_ = CellType::kNumber;
    cell_style_ = 0;
    cell_column_ = next_column_;
    for (const char** at = attributes; at[0]; at += 2) {
      // r, t and s are one-letter names: skip the others without measuring them.
      if (at[0][0] == '\0' || at[0][1] != '\0') continue;
      char key = at[0][0];
      std::string_view value = at[1];
      if (key == 'r') {
        if (const auto ref = xlsx::parse_cell_reference(value)) {
          cell_column_ = static_cast<std::size_t>(ref->column);
        } else if (bad_reference_.empty()) {
          bad_reference_ =
              fmt::format("cell reference '{}' cannot exist (columns are A to XFD, rows 1 to {})",
                          utf8_excerpt(value, kMaxReferenceBytes), xlsx::kMaxSheetRows);
        }
      } else if (key == 't') {
        cell_type_ = cell_type_of(value);
      } else if (key == 's') {
        parse_whole(value, cell_style_);
      }
    }
    next_column_ = cell_column_ + 1;
  }

  bool is_date_style() const {
    return cell_style_ < workbook_.date_styles.size() && workbook_.date_styles[cell_style_] != 0;
  }

  // Appends the cell's value to the arena; empty values are not kept (a missing cell is empty).
  void finish_cell() {
    std::size_t offset = arena_.size();
    switch (cell_type_) {
      case CellType::kShared: {
        std::size_t index = 0;
        if (cell_text_.empty()) break;
        if (!parse_whole(cell_text_, index) || index >= workbook_.shared_strings.size()) {
          throw Error(
              fmt::format("{}: damaged XLSX workbook: row {} refers to shared string '{}' of {}",
                          path_, row_number_, cell_text_, workbook_.shared_strings.size()));
        }
        arena_.append(workbook_.shared_strings.at(index));
        break;
      }
      case CellType::kInline:
      case CellType::kFormulaString:
        arena_.append(cell_text_);
        xlsx::decode_escapes(arena_, offset);
        break;
      case CellType::kBool:
        if (!cell_text_.empty())
          arena_.append(cell_text_ == "1" || cell_text_ == "true" ? "TRUE" : "FALSE");
        break;
      case CellType::kError:
        break;  // #N/A, #DIV/0!, ... are no values
      case CellType::kIsoDate:
        if (!cell_text_.empty()) xlsx::append_iso_cell_date(cell_text_, arena_);
        break;
      case CellType::kNumber: {
        double serial = 0;
        if (is_date_style() && !cell_text_.empty() && parse_whole(cell_text_, serial) &&
            xlsx::append_excel_date(serial, workbook_.date1904, arena_)) {
          break;
        }
        arena_.append(cell_text_);
        break;
      }
    }
    if (arena_.size() > offset)
      row_cells_.push_back(CellSpan{cell_column_, offset, arena_.size() - offset});
  }

  std::string_view cell_value(const CellSpan& cell) const {
    return std::string_view(arena_).substr(cell.offset, cell.size);
  }

  void finish_row() {
    if (!bad_reference_.empty()) {
      // A damaged row: kept, its cells could land in the wrong columns.
      if (!have_header_) {
        throw Error(fmt::format("{}: damaged XLSX sheet: the header row (row {}) has a {}", path_,
                                row_number_, bad_reference_));
      }
      ++rows_seen_;
      ++pending_rows_;
      reject_row(bad_reference_);
      arena_.resize(row_start_);
      return;
    }
    if (row_cells_.empty()) return;  // empty rows are skipped and not counted
    if (!have_header_) {
      std::size_t width = 0;
      for (const CellSpan& cell : row_cells_) width = std::max(width, cell.column + 1);
      header_.assign(width, std::string());
      for (const CellSpan& cell : row_cells_) header_[cell.column] = cell_value(cell);
      have_header_ = true;
      arena_.resize(row_start_);
      return;
    }
    ++rows_seen_;
    ++pending_rows_;
    std::size_t width = header_.size();
    std::size_t beyond = static_cast<std::size_t>(
        std::count_if(row_cells_.begin(), row_cells_.end(),
                      [width](const CellSpan& c) { return c.column >= width; }));
    if (beyond > 0) {
      reject_row(fmt::format("{} cells beyond the header", beyond));
      arena_.resize(row_start_);
      return;
    }
    std::size_t first = spans_.size();
    spans_.resize(first + width, CellSpan{0, 0, 0});
    for (const CellSpan& cell : row_cells_) spans_[first + cell.column] = cell;
    // The CSV reader's row hash, so a row is a duplicate whichever format it came in.
    hash_scratch_.clear();
    for (std::size_t col = 0; col < width; ++col) {
      const CellSpan& span = spans_[first + col];
      hash_scratch_.push_back(std::string_view(arena_).substr(span.offset, span.size));
    }
    batch_.lines.push_back(row_number_);
    batch_.hashes.push_back(hash_fields(hash_scratch_));
  }

  void reject_row(std::string detail) {
    std::vector<const CellSpan*> cells;
    for (const CellSpan& cell : row_cells_) cells.push_back(&cell);
    std::stable_sort(cells.begin(), cells.end(),
                     [](const CellSpan* a, const CellSpan* b) { return a->column < b->column; });
    std::string content;
    std::size_t column = 0;
    for (const CellSpan* cell : cells) {
      // Missing cells before this one show as empty fields, as in a CSV line.
      for (; column < cell->column && content.size() <= kRejectContentBytes; ++column)
        content += ',';
      content += cell_value(*cell);
      if (content.size() > kRejectContentBytes) break;
    }
    if (content.size() > kRejectContentBytes) {
      std::size_t end = kRejectContentBytes;
      while (end > 0 && (static_cast<unsigned char>(content[end]) & 0xC0) == 0x80) --end;
      content.resize(end);
      content += "...";
    }
    batch_.rejects.push_back(
        Reject{path_, row_number_, "malformed", std::move(detail), std::move(content)});
  }

  const xlsx::Workbook& workbook_;
  std::string path_;
  xlsx::XmlPart part_;
  bool more_ = true;

  // Parser state.
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_inline_ = false;
  bool collecting_ = false;
  int phonetic_depth_ = 0;
  std::int64_t row_number_ = 0;
  std::string bad_reference_;  // why the current row's r attributes cannot be; "" = fine
  std::size_t next_column_ = 0;
  std::size_t cell_column_ = 0;
  CellType cell_type_ = CellType::kNumber;
  std::size_t cell_style_ = 0;
  std::string cell_text_;
  std::size_t row_start_ = 0;
  std::vector<CellSpan> row_cells_;

  // Output.
  std::vector<std::string> header_;
  bool have_header_ = false;
  std::int64_t rows_seen_ = 0;
  std::size_t pending_rows_ = 0;
  std::string arena_;                           // the bytes of every pending field
  std::vector<CellSpan> spans_;                 // per pending field, row-major; column unused
  std::vector<std::string_view> hash_scratch_;  // one row's fields, for hash_fields
  RowBatch batch_;
};

class XlsxSource : public RowSource {
 public:
  XlsxSource(const std::string& path, const ReadOptions& options)
      : archive_(path),
        workbook_(xlsx::load_workbook(archive_)),
        sheet_(xlsx::choose_sheet(workbook_, options.sheet, path)) {
    SheetStream stream(archive_, workbook_, sheet_);
    if (!stream.find_header()) {
      throw Error(fmt::format("{}: sheet '{}' is empty: no header row", path, sheet_.name));
    }
    header_ = stream.header();
  }

  const std::vector<std::string>& header() const override { return header_; }
  std::string_view format() const override { return "xlsx"; }

  // The returned views point into sample_stream_, which lives until the next sample().
  RowBatch sample(std::size_t max_rows) override {
    sample_stream_ = std::make_unique<SheetStream>(archive_, workbook_, sheet_);
    sample_stream_->find_header();
    // Rejected rows are no sample rows: parse on until max_rows rows were kept.
    while (sample_stream_->kept_rows() < max_rows &&
           sample_stream_->fill(sample_stream_->pending_rows() + 1)) {
    }
    sample_stream_->close();
    RowBatch sample = sample_stream_->batch();
    if (sample.num_rows() > max_rows) {
      sample.fields.resize(max_rows * sample.num_columns);
      sample.lines.resize(max_rows);
      sample.hashes.resize(max_rows);
      std::int64_t last_line = max_rows == 0 ? 0 : sample.lines.back();
      std::erase_if(sample.rejects, [last_line](const Reject& r) { return r.line > last_line; });
    }
    return sample;
  }

  void scan(const std::function<void(std::size_t, const RowBatch&)>& consume,
            const ProgressFn& progress) override {
    scan_ordered(
        consume, [](std::size_t, const RowBatch&) {}, progress);
  }

  // One expat stream parses the sheet in batches; each batch goes through both callbacks before
  // the next is parsed, so at most one exists.
  void scan_ordered(const std::function<void(std::size_t, const RowBatch&)>& parallel,
                    const std::function<void(std::size_t, const RowBatch&)>& in_order,
                    const ProgressFn& progress) override {
    SheetStream stream(archive_, workbook_, sheet_);
    stream.find_header();
    std::size_t batch_index = 0;
    bool more = true;
    while (more) {
      more = stream.fill(kBatchRows);
      if (stream.pending_rows() > 0) {
        const RowBatch& batch = stream.batch();
        parallel(batch_index, batch);
        in_order(batch_index, batch);
        ++batch_index;
        stream.clear();
      }
      if (progress)
        progress(stream.bytes_done(), std::max(stream.bytes_done(), stream.bytes_total()));
    }
    rows_read_ = stream.rows_seen();
  }

  std::int64_t rows_read() const override { return rows_read_; }

 private:
  xlsx::Archive archive_;
  xlsx::Workbook workbook_;
  xlsx::SheetEntry sheet_;
  std::vector<std::string> header_;
  std::unique_ptr<SheetStream> sample_stream_;
  std::int64_t rows_read_ = 0;
};

}  // namespace

std::unique_ptr<RowSource> open_xlsx(const std::string& path, const ReadOptions& options) {
  return std::make_unique<XlsxSource>(path, options);
}

}  // namespace custlens::io
