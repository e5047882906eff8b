// The CSV/TSV reader: the RowSource over one input (a mapped file or a pipe), its head decoded for
// sniffing and the header row, and a streaming scan: a serial stage cuts chunks of whole rows,
// chunks are decoded to UTF-8 and parsed in parallel, then handed on in file order.
//
// Splitting follows quote parity: every '"' toggles the quoted state wherever it stands, so a row
// ends at a line break ('\n', or '\r' in CR-only files) after an even number of quotes; the
// cutter finds row boundaries from counts alone. Only a field that starts with '"' is unescaped
// (as pandas does); quotes inside an unquoted field are text. Well-formed RFC 4180 files read
// exactly as RFC 4180 says.
#include "io/csv.h"

#include <fmt/format.h>
#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "custlens/error.h"
#include "io/csv_dialect.h"
#include "io/encoding.h"
#include "io/input_stream.h"
#include "io/layouts.h"

namespace custlens::io {
namespace {

constexpr std::size_t kRejectContentBytes = 300;
constexpr std::size_t kArenaBlockBytes = std::size_t{256} << 10;
// First rows of a headerless input that must all fit a known layout's field tests.
constexpr std::size_t kLayoutSampleRows = 20;

// ---------------------------------------------------------------------------------------------
// Hashing and scanning kernels

std::uint64_t load64(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

std::uint64_t load32(const char* p) {
  std::uint32_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

constexpr std::uint64_t kHashSeed = 0x243F6A8885A308D3ULL;
constexpr std::uint64_t kHashMulA = 0xA0761D6478BD642FULL;
constexpr std::uint64_t kHashMulB = 0xE7037ED1A0B428DBULL;

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

/// wyhash-style: one multiply per 16 bytes; the length enters the last one so field boundaries
/// count. Short fields, the common case, cost a single multiply.
std::uint64_t hash_bytes(std::uint64_t seed, std::string_view bytes) {
  const char* p = bytes.data();
  const std::size_t n = bytes.size();
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  if (n > 16) {
    std::size_t left = n;
    for (; left > 16; p += 16, left -= 16) seed = mix(load64(p) ^ kHashMulA, load64(p + 8) ^ seed);
    a = load64(p + left - 16);  // the last 16 bytes, overlapping what the loop took
    b = load64(p + left - 8);
  } else if (n >= 8) {
    a = load64(p);
    b = load64(p + n - 8);
  } else if (n >= 4) {
    a = load32(p);
    b = load32(p + n - 4);
  } else if (n > 0) {
    const auto byte = [&](std::size_t i) {
      return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i]));
    };
    a = byte(0) << 16 | byte(n >> 1) << 8 | byte(n - 1);
  }
  return mix(a ^ seed ^ kHashMulA, b ^ (kHashMulB + n));
}

/// Bit i set where block[i] is the delimiter, a quote or the line break; with `kBlanks` (the
/// whitespace delimiter) where it is a space or a tab instead of the delimiter. 64 bytes must be
/// readable.
template <bool kBlanks>
std::uint64_t special_mask(const char* block, char delimiter, char line_break) {
#if defined(__SSE2__)
  const __m128i delimiters = _mm_set1_epi8(kBlanks ? ' ' : delimiter);
  const __m128i quotes = _mm_set1_epi8('"');
  const __m128i newlines = _mm_set1_epi8(line_break);
  [[maybe_unused]] const __m128i tabs = _mm_set1_epi8('\t');
  std::uint64_t mask = 0;
  for (int part = 0; part < 4; ++part) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * part));
    __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, delimiters), _mm_cmpeq_epi8(bytes, quotes)),
                     _mm_cmpeq_epi8(bytes, newlines));
    if constexpr (kBlanks) hits = _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, tabs));
    mask |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(hits)))
            << (16 * part);
  }
  return mask;
#else
  std::uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) {
    const char c = block[i];
    const bool separator = kBlanks ? c == ' ' || c == '\t' : c == delimiter;
    mask |= static_cast<std::uint64_t>(separator || c == '"' || c == line_break) << i;
  }
  return mask;
#endif
}

struct QuoteNewlineCounts {
  std::uint64_t quotes = 0;
  std::uint64_t newlines = 0;
};

QuoteNewlineCounts count_quotes_and_newlines(std::string_view bytes, char line_break) {
  QuoteNewlineCounts counts;
  std::size_t i = 0;
#if defined(__SSE2__)
  // Byte lanes count matches (cmpeq gives -1) for up to 255 blocks, then psadbw sums the lanes.
  const __m128i quotes = _mm_set1_epi8('"');
  const __m128i newlines = _mm_set1_epi8(line_break);
  const __m128i zero = _mm_setzero_si128();
  const auto lane_sum = [&](__m128i lanes) {
    const __m128i sums = _mm_sad_epu8(lanes, zero);
    return static_cast<std::uint64_t>(_mm_cvtsi128_si64(sums)) +
           static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  };
  while (i + 16 <= bytes.size()) {
    __m128i quote_lanes = zero;
    __m128i newline_lanes = zero;
    for (int block = 0; block < 255 && i + 16 <= bytes.size(); ++block, i += 16) {
      const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes.data() + i));
      quote_lanes = _mm_sub_epi8(quote_lanes, _mm_cmpeq_epi8(chunk, quotes));
      newline_lanes = _mm_sub_epi8(newline_lanes, _mm_cmpeq_epi8(chunk, newlines));
    }
    counts.quotes += lane_sum(quote_lanes);
    counts.newlines += lane_sum(newline_lanes);
  }
#endif
  for (; i < bytes.size(); ++i) {
    counts.quotes += bytes[i] == '"';
    counts.newlines += bytes[i] == line_break;
  }
  return counts;
}

/// Removes the quoting of a field that starts with a quote, as pandas does: up to the closing
/// quote "" stands for one quote; whatever follows the closing quote is kept as it is.
/// Returns the length written to out.
std::size_t unescape(std::string_view raw, char* out) {
  std::size_t length = 0;
  std::size_t i = 1;
  for (; i < raw.size(); ++i) {
    if (raw[i] != '"') {
      out[length++] = raw[i];
    } else if (i + 1 < raw.size() && raw[i + 1] == '"') {
      out[length++] = '"';
      ++i;
    } else {
      break;
    }
  }
  if (i + 1 < raw.size()) {
    std::memcpy(out + length, raw.data() + i + 1, raw.size() - i - 1);
    length += raw.size() - i - 1;
  }
  return length;
}

// ---------------------------------------------------------------------------------------------
// Parsing rows of a range

/// Storage for unescaped fields; blocks never move, so views stay valid until reset().
class Arena {
 public:
  void reset() {
    current_ = 0;
    used_ = 0;
  }
  char* allocate(std::size_t size) {
    while (current_ < blocks_.size() && blocks_[current_].size - used_ < size) {
      ++current_;
      used_ = 0;
    }
    if (current_ == blocks_.size()) {
      const std::size_t block_size = std::max(size, kArenaBlockBytes);
      blocks_.push_back({std::unique_ptr<char[]>(new char[block_size]), block_size});
      used_ = 0;
    }
    char* memory = blocks_[current_].data.get() + used_;
    used_ += size;
    return memory;
  }

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    std::size_t size;
  };
  std::vector<Block> blocks_;
  std::size_t current_ = 0;
  std::size_t used_ = 0;
};

/// What every range of one file shares.
struct ParseContext {
  std::string_view text;
  const std::string* path = nullptr;
  char delimiter = ',';
  char line_break = '\n';       ///< '\r' in CR-only files
  std::size_t num_columns = 0;  ///< 0 = any count (the header row)
};

/// Where a parse stopped: the first byte not consumed and the physical line there.
struct ParseEnd {
  std::size_t position = 0;
  std::int64_t line = 0;
  bool at_max = false;  ///< stopped after `max_rows` rows, at a line break: the rows are whole
};

/// Parses the rows that start in [begin, end) into `batch` (appending); `end` is a row start or
/// the end of the text. Stops early after `max_rows` rows (rejects included). Blank lines are
/// skipped and not counted.
class RangeParser {
 public:
  RangeParser(const ParseContext& context, RowBatch& batch, Arena& arena, bool check_utf8)
      : context_(context),
        text_(context.text.data()),
        batch_(batch),
        arena_(arena),
        check_utf8_(check_utf8) {}

  ParseEnd parse(std::size_t begin, std::size_t end, std::int64_t first_line,
                 std::size_t max_rows) {
    // One loop per mode, so the delimited one stays as it was.
    if (context_.delimiter != kWhitespaceDelimiter) {
      return parse_rows<false>(begin, end, first_line, max_rows);
    }
    return parse_rows<true>(begin, end, first_line, max_rows);
  }

 private:
  /// `kBlanks`: runs of spaces and tabs separate fields, leading and trailing ones are ignored.
  /// Not inlined: each loop is a function of its own, the delimited one the same code as before.
  template <bool kBlanks>
  [[gnu::noinline]] ParseEnd parse_rows(std::size_t begin, std::size_t end, std::int64_t first_line,
                                        std::size_t max_rows) {
    line_ = row_line_ = first_line;
    row_start_ = field_start_ = begin;
    row_fields_begin_ = batch_.fields.size();
    rows_ = 0;
    in_quote_ = false;
    if (max_rows == 0) return {begin, first_line};
    alignas(16) char padded[64];
    for (std::size_t block = begin; block < end; block += 64) {
      std::uint64_t mask;
      if (end - block >= 64) {
        mask = special_mask<kBlanks>(text_ + block, context_.delimiter, context_.line_break);
      } else {
        // The tail is copied: the mapping may end right after it.
        const std::size_t tail = end - block;
        std::memcpy(padded, text_ + block, tail);
        std::memset(padded + tail, 0, sizeof padded - tail);
        mask = special_mask<kBlanks>(padded, context_.delimiter, context_.line_break) &
               ((std::uint64_t{1} << tail) - 1);
      }
      for (; mask != 0; mask &= mask - 1) {
        const std::size_t i = block + static_cast<std::size_t>(std::countr_zero(mask));
        const char c = text_[i];
        if (c == '"') {
          in_quote_ = !in_quote_;
          continue;
        }
        if (c == context_.line_break) ++line_;
        if (in_quote_) continue;
        if (kBlanks ? c == ' ' || c == '\t' : c == context_.delimiter) {
          // A blank right after a separator (or the row's start) only widens the gap.
          if (!kBlanks || i != field_start_) end_field(i);
          field_start_ = i + 1;
          continue;
        }
        finish_row<kBlanks>(i);
        row_start_ = field_start_ = i + 1;
        row_line_ = line_;
        if (rows_ == max_rows) return {i + 1, line_, true};
      }
    }
    if (row_start_ < end) {
      if (in_quote_) {
        add_reject(end, "unterminated quoted field");
        batch_.fields.resize(row_fields_begin_);
        ++rows_;
      } else {
        finish_row<kBlanks>(end);
      }
    }
    return {end, line_};
  }

  [[gnu::always_inline]] void end_field(std::size_t field_end) {
    const char* start = text_ + field_start_;
    const std::size_t size = field_end - field_start_;
    if (size == 0 || *start != '"') [[likely]] {
      batch_.fields.emplace_back(start, size);  // quotes inside an unquoted field are text
    } else {
      end_quoted_field(start, size);
    }
  }

  [[gnu::noinline]] void end_quoted_field(const char* start, std::size_t size) {
    char* out = arena_.allocate(size);
    batch_.fields.emplace_back(out, unescape(std::string_view(start, size), out));
  }

  /// Ends the row whose line break (or the end of text) is at row_end.
  template <bool kBlanks>
  void finish_row(std::size_t row_end) {
    // A CRLF's '\r' belongs to the line break, not to the last field.
    if (context_.line_break == '\n' && row_end > field_start_ && text_[row_end - 1] == '\r') {
      --row_end;
    }
    if (row_end == row_start_) return;  // a blank line
    if (!kBlanks || row_end != field_start_) {
      end_field(row_end);
    } else if (batch_.fields.size() == row_fields_begin_) {
      return;  // only blanks: a blank line
    }          // else trailing blanks: no field after them
    ++rows_;
    const std::size_t count = batch_.fields.size() - row_fields_begin_;
    if (context_.num_columns != 0 && count != context_.num_columns) {
      add_reject(row_end, fmt::format("expected {} fields, found {}", context_.num_columns, count));
    } else if (check_utf8_ &&
               !is_valid_utf8(std::string_view(text_ + row_start_, row_end - row_start_))) {
      add_reject(row_end, "invalid UTF-8");
    } else {
      batch_.lines.push_back(row_line_);
      batch_.hashes.push_back(
          hash_fields(std::span(batch_.fields).subspan(row_fields_begin_, count)));
      row_fields_begin_ = batch_.fields.size();
      return;
    }
    batch_.fields.resize(row_fields_begin_);
  }

  void add_reject(std::size_t row_end, std::string detail) {
    batch_.rejects.push_back(
        Reject{*context_.path, row_line_, "malformed", std::move(detail),
               utf8_excerpt(std::string_view(text_ + row_start_, row_end - row_start_),
                            kRejectContentBytes)});
  }

  const ParseContext& context_;
  const char* text_;
  RowBatch& batch_;
  Arena& arena_;
  bool check_utf8_;
  std::int64_t line_ = 1;
  std::int64_t row_line_ = 1;
  std::size_t row_start_ = 0;
  std::size_t field_start_ = 0;
  std::size_t row_fields_begin_ = 0;
  std::size_t rows_ = 0;
  bool in_quote_ = false;
};

// ---------------------------------------------------------------------------------------------
// The source

/// One chunk of whole rows on its way through the scan pipeline; recycled, so its buffers keep
/// their capacity.
struct Chunk {
  std::size_t index = 0;
  std::string_view raw;  ///< whole rows in the input's encoding
  std::string owned;     ///< storage of `raw` when the input is a pipe
  std::int64_t first_line = 0;
  bool first = false;   ///< starts at the input's first byte (a BOM may follow)
  std::string decoded;  ///< `raw` in UTF-8, when the input is converted
  RowBatch batch;
  Arena arena;
};

/// Cuts the input's bytes into chunks of whole rows: about chunk_bytes each, ending after the
/// last line break outside quotes (quote parity is carried from chunk to chunk), so the chunks
/// can be decoded and parsed independently and line numbers stay exact. A row longer than a chunk
/// makes a longer chunk. Serial: one caller at a time.
class ChunkCutter {
 public:
  /// `stable`: the bytes in memory from the start (the mapped file, the converted text, or the
  /// head kept from a pipe); `input` gives the bytes after them when `streaming`.
  ChunkCutter(std::string_view stable, InputStream* input, bool streaming, char line_break,
              std::size_t chunk_bytes)
      : stable_(stable),
        input_(input),
        streaming_(streaming),
        line_break_(line_break),
        chunk_bytes_(chunk_bytes) {}

  /// Skips the first `lines` line breaks (the header row and blank lines before it). False when
  /// the input ended first.
  bool skip_lines(std::int64_t lines) {
    while (lines > 0) {
      const std::string_view w = window();
      const std::size_t at = w.find(line_break_);
      if (at != std::string_view::npos) {
        consume(at + 1);
        --lines;
      } else if (!fill(w.size() + chunk_bytes_)) {
        consume(w.size());
        return false;
      }
    }
    return true;
  }

  /// The next chunk's raw bytes (into chunk.raw, chunk.owned); false at the end of the input.
  bool next(Chunk& chunk) {
    std::size_t target = chunk_bytes_;
    while (true) {
      const bool more = fill(target);
      const std::string_view w = window();
      const std::size_t limit = std::min(target, w.size());
      scan(w, limit);
      if (!more && limit == w.size()) {
        if (w.empty()) return false;
        emit(chunk, w.size(), newlines_);
        return true;
      }
      if (cut_ > 0) {
        emit(chunk, cut_, newlines_at_cut_);
        return true;
      }
      target += chunk_bytes_;
    }
  }

  /// Bytes handed out or skipped so far.
  std::uint64_t offset() const { return offset_; }

 private:
  std::string_view window() const {
    return in_pending_ ? std::string_view(pending_) : stable_.substr(pos_);
  }

  /// Makes the window hold at least `want` bytes if the input has them; false when it holds
  /// everything that is left.
  bool fill(std::size_t want) {
    if (!in_pending_) {
      if (stable_.size() - pos_ >= want) return true;
      if (!streaming_) return false;
      pending_.assign(stable_.substr(pos_));  // the kept head ends: go on reading the pipe
      in_pending_ = true;
    }
    std::size_t filled = pending_.size();
    if (filled < want && !input_->ended()) {
      pending_.resize(want);  // once: growing a string zero-fills
      while (filled < want) {
        const std::size_t got = input_->read_after_head(pending_.data() + filled, want - filled);
        if (got == 0) break;
        filled += got;
      }
      pending_.resize(filled);
    }
    return pending_.size() > want || !input_->ended();
  }

  /// Counts quotes and line breaks in window [scanned_, limit) and finds the last line break
  /// there that is outside quotes.
  void scan(std::string_view w, std::size_t limit) {
    if (limit <= scanned_) return;
    const std::string_view piece = w.substr(scanned_, limit - scanned_);
    const QuoteNewlineCounts counts = count_quotes_and_newlines(piece, line_break_);
    const bool parity_end = parity_ != ((counts.quotes & 1) != 0);
    bool parity = parity_end;
    std::uint64_t newlines_after = 0;
    for (std::size_t i = limit; i-- > scanned_;) {
      if (w[i] == '"') {
        parity = !parity;
      } else if (w[i] == line_break_) {
        if (!parity) {
          cut_ = i + 1;
          newlines_at_cut_ =
              newlines_ + static_cast<std::int64_t>(counts.newlines - newlines_after);
          break;
        }
        ++newlines_after;
      }
    }
    parity_ = parity_end;
    newlines_ += static_cast<std::int64_t>(counts.newlines);
    scanned_ = limit;
  }

  void emit(Chunk& chunk, std::size_t size, std::int64_t newlines) {
    if (in_pending_) {
      // The chunk takes the buffer; only the tail after the cut is copied back.
      chunk.owned.swap(pending_);
      pending_.assign(std::string_view(chunk.owned).substr(size));
      chunk.owned.resize(size);
      chunk.raw = chunk.owned;
    } else {
      chunk.raw = stable_.substr(pos_, size);
      pos_ += size;
    }
    chunk.first_line = line_;
    chunk.first = offset_ == 0;
    line_ += newlines;
    offset_ += size;
    scanned_ -= std::min(scanned_, size);
    newlines_ -= newlines;
    cut_ = 0;
    newlines_at_cut_ = 0;
  }

  /// Drops `size` bytes from the front of the window (only between chunks: nothing is scanned).
  void consume(std::size_t size) {
    const std::string_view gone = window().substr(0, size);
    line_ += static_cast<std::int64_t>(std::count(gone.begin(), gone.end(), line_break_));
    if (in_pending_) {
      pending_.erase(0, size);
    } else {
      pos_ += size;
    }
    offset_ += size;
  }

  std::string_view stable_;
  InputStream* input_;
  bool streaming_;
  char line_break_;
  std::size_t chunk_bytes_;
  std::size_t pos_ = 0;  ///< next byte of stable_, until the window moves to pending_
  bool in_pending_ = false;
  std::string pending_;  ///< pipes: bytes read and not yet handed out
  std::int64_t line_ = 1;
  std::uint64_t offset_ = 0;
  // The scan of the window from its first byte: the state at scanned_, the last cut before it.
  std::size_t scanned_ = 0;
  bool parity_ = false;
  std::int64_t newlines_ = 0;
  std::size_t cut_ = 0;
  std::int64_t newlines_at_cut_ = 0;
};

class CsvSource final : public RowSource {
 public:
  CsvSource(std::unique_ptr<InputStream> input, ReadOptions options, const CsvTuning& tuning)
      : input_(std::move(input)),
        path_(input_->path()),
        options_(std::move(options)),
        tuning_(tuning),
        // More threads than cores only makes TBB print a warning.
        arena_(options_.threads > 0 ? std::min(options_.threads, tbb::info::default_concurrency())
                                    : tbb::task_arena::automatic) {
    tuning_.chunk_bytes = std::max<std::size_t>(tuning_.chunk_bytes, 1);
    tuning_.head_bytes = std::max<std::size_t>(tuning_.head_bytes, 1);
    const char given = options_.delimiter;
    if (given == '"' || given == '\n' || given == '\r') {
      throw Error(fmt::format("{}: the delimiter cannot be a quote or a line break", path_));
    }
    if (input_->empty()) throw Error(fmt::format("{}: file is empty", path_));
    arena_.execute([&] {
      try {
        choose_encoding();
      } catch (const Error& e) {
        throw Error(fmt::format("{}: {}", path_, e.what()));
      }
    });
    load_head(tuning_.head_bytes);
    sniff_dialect();
    read_header();
  }

  const std::vector<std::string>& header() const override { return header_; }
  std::int64_t rows_read() const override { return rows_read_.load(); }
  std::string_view format() const override { return "csv"; }
  std::string encoding() const override { return encoding_; }
  char delimiter() const override { return delimiter_; }
  std::string_view layout() const override { return layout_; }

  RowBatch sample(std::size_t max_rows) override {
    RowBatch batch;
    ParseEnd end;
    Arena scratch;
    grow_head_until([&] {
      batch = RowBatch{};
      batch.num_columns = header_.size();
      scratch.reset();
      end = RangeParser(context(head_text_), batch, scratch, !is_valid_utf8(head_text_))
                .parse(data_begin_, head_text_.size(), data_line_, max_rows);
      return end.at_max || no_data_;
    });
    // Copied: a pipe's head moves when it grows.
    auto& arena = *sample_arenas_.emplace_back(std::make_unique<Arena>());
    for (std::string_view& field : batch.fields) {
      char* copy = arena.allocate(field.size());
      if (!field.empty()) std::memcpy(copy, field.data(), field.size());
      field = std::string_view(copy, field.size());
    }
    const std::size_t rows = batch.num_rows() + batch.rejects.size();
    if (rows > 0 && end.position > data_begin_) {
      const double bytes_per_row = static_cast<double>(end.position - data_begin_) / rows;
      // The whole text's size: known when the head is all of it or the file is mapped (then
      // scaled from raw to UTF-8 bytes as in the head); a pipe cannot tell.
      double text_bytes = 0;
      if (head_all_) {
        text_bytes = static_cast<double>(head_text_.size());
      } else if (input_->mapped() && head_raw_ > 0) {
        text_bytes = static_cast<double>(input_->size() - bom_) *
                     static_cast<double>(head_text_.size()) / static_cast<double>(head_raw_);
      }
      if (text_bytes > static_cast<double>(data_begin_)) {
        estimated_rows_ = static_cast<std::size_t>((text_bytes - static_cast<double>(data_begin_)) /
                                                   bytes_per_row);
      }
    }
    return batch;
  }

  std::size_t estimated_rows() const override { return estimated_rows_; }

  void scan(const std::function<void(std::size_t, const RowBatch&)>& consume,
            const ProgressFn& progress) override {
    scan_ordered(
        consume, [](std::size_t, const RowBatch&) {}, progress);
  }

  void scan_ordered(const std::function<void(std::size_t, const RowBatch&)>& parallel,
                    const std::function<void(std::size_t, const RowBatch&)>& in_order,
                    const ProgressFn& progress) override {
    if (scanned_ && streaming()) {
      throw Error(fmt::format("{}: a pipe or standard input can be read only once", path_));
    }
    scanned_ = true;
    rows_read_ = 0;
    const ProgressFn& report = progress ? progress : options_.progress;
    arena_.execute([&] { run_pipeline(parallel, in_order, report); });
  }

 private:
  ParseContext context(std::string_view text) const {
    return ParseContext{text, &path_, delimiter_, line_break_, header_.size()};
  }

  /// True when the scan reads the input with read() as it goes (a pipe).
  bool streaming() const { return !input_->mapped() && !whole_input_; }

  /// options.encoding, or a BOM, or detection over the first head_bytes; then how to decode.
  void choose_encoding() {
    const std::string_view head = input_->head(tuning_.head_bytes);
    if (!options_.encoding.empty()) {
      encoding_ = canonical_encoding(options_.encoding);
    } else {
      std::string_view sample = head;
      if (!(input_->ended() && head.size() == input_->size())) {
        // Whole lines, so that a character cut at the end is not counted as invalid.
        const std::size_t last_break = head.find_last_of("\n\r");
        if (last_break != std::string_view::npos) sample = head.substr(0, last_break + 1);
      }
      encoding_ = detect_encoding(sample);
    }
    bom_ = bom_length(head, encoding_);
    if (encoding_ == "utf-8") return;
    if (is_chunk_safe(encoding_)) {
      decoder_ = std::make_unique<ChunkDecoder>(encoding_);
      return;
    }
    // UTF-16/32 and stateful encodings: bytes 0x0A, 0x0D and 0x22 are no characters of their
    // own there, so rows cannot be found in the raw bytes; the whole input is converted first.
    const std::string_view raw = input_->head(std::numeric_limits<std::size_t>::max());
    whole_ = decode_to_utf8(raw, encoding_, tuning_.chunk_bytes);
    input_->release(raw);
    whole_input_ = true;
    bom_ = 0;
  }

  /// Decodes at least `raw_bytes` of the input's head, whole lines, into head_text_.
  void load_head(std::size_t raw_bytes) {
    head_request_ = raw_bytes;
    if (whole_input_) {
      head_text_ = whole_.view();
      head_raw_ = head_text_.size();
      head_all_ = true;
      return;
    }
    const std::size_t want = std::min(raw_bytes, std::numeric_limits<std::size_t>::max() - bom_);
    const std::string_view raw = input_->head(bom_ + want);
    head_all_ = input_->ended() && raw.size() == input_->size();
    std::size_t cut = raw.size();
    if (!head_all_) {
      const std::size_t last_break = raw.find_last_of("\n\r");
      cut = last_break == std::string_view::npos || last_break < bom_ ? bom_ : last_break + 1;
    }
    const std::string_view body = raw.substr(bom_, cut - bom_);
    head_raw_ = body.size();
    if (decoder_) {
      decoder_->decode(body, head_decoded_, true);
      head_text_ = head_decoded_;
    } else {
      head_text_ = body;
    }
  }

  /// Reads more of the head until `ready()` or the head is the whole input; ready() is last
  /// called on the final head.
  template <class Ready>
  void grow_head_until(Ready ready) {
    while (!ready() && !head_all_) load_head(head_request_ * 2);
  }

  void sniff_dialect() {
    const std::size_t sniff = tuning_.sniff_bytes;
    grow_head_until([&] {
      const std::size_t first_break = head_text_.find_first_of("\r\n");
      if (first_break == std::string_view::npos) return false;
      return head_text_.size() >= (first_break < sniff ? sniff : first_break + sniff);
    });
    std::string_view sample = head_text_.substr(0, sniff);
    if (sample.size() < head_text_.size() &&
        sample.find_first_of("\r\n") == std::string_view::npos) {
      // A first row longer than the sample (a very wide header): sniff past its end too.
      const std::size_t first_break = head_text_.find_first_of("\r\n");
      if (first_break != std::string_view::npos) {
        sample = head_text_.substr(0, first_break + sniff);
      }
    }
    const bool truncated = !head_all_ || head_text_.size() > sample.size();
    line_break_ = sniff_line_break(sample, truncated);
    const char given = options_.delimiter;
    delimiter_ = given != 0 ? given : sniff_delimiter(sample, truncated, line_break_);
  }

  void read_header() {
    RowBatch batch;
    ParseEnd end;
    Arena arena;
    grow_head_until([&] {
      batch = RowBatch{};
      arena.reset();
      const ParseContext any_width{head_text_, &path_, delimiter_, line_break_, 0};
      end = RangeParser(any_width, batch, arena, false).parse(0, head_text_.size(), 1, 1);
      return end.at_max;
    });
    if (!batch.rejects.empty()) {
      throw Error(fmt::format("{}: no header: the quoted field opened on line {} never closes",
                              path_, batch.rejects.front().line));
    }
    if (batch.fields.empty()) throw Error(fmt::format("{}: no header: only blank lines", path_));
    const bool has_header = !looks_like_data_row(batch.fields);
    header_ = header_names(batch.fields, has_header);
    if (has_header) {
      data_begin_ = end.position;
      data_line_ = end.line;
      no_data_ = !end.at_max;  // the header is the last line and has no line break
    } else if (const Layout* layout = recognise_first_rows(batch.fields.size())) {
      header_.assign(layout->columns.size(), std::string());
      for (std::size_t i = 0; i < header_.size(); ++i) header_[i] = layout->columns[i].name;
      layout_ = layout->name;
    }
  }

  /// The known layout (io/layouts.h) that the first rows of a headerless input fit, or null.
  /// Rows split into another field count are left out: the scan rejects them.
  const Layout* recognise_first_rows(std::size_t num_columns) {
    RowBatch batch;
    ParseEnd end;
    Arena arena;
    grow_head_until([&] {
      batch = RowBatch{};
      batch.num_columns = num_columns;
      arena.reset();
      const ParseContext fixed_width{head_text_, &path_, delimiter_, line_break_, num_columns};
      end = RangeParser(fixed_width, batch, arena, false)
                .parse(0, head_text_.size(), 1, kLayoutSampleRows);
      return end.at_max;
    });
    if (batch.num_rows() == 0) return nullptr;
    return recognise_layout(batch.fields, num_columns);
  }

  void run_pipeline(const std::function<void(std::size_t, const RowBatch&)>& parallel,
                    const std::function<void(std::size_t, const RowBatch&)>& in_order,
                    const ProgressFn& progress) {
    if (no_data_) return;
    // In memory from the first byte: the converted text, the mapped file or a pipe's kept head.
    const std::string_view stable =
        whole_input_ ? whole_.view() : input_->head(input_->size()).substr(bom_);
    ChunkCutter cutter(stable, input_.get(), streaming(), line_break_, tuning_.chunk_bytes);
    if (!cutter.skip_lines(data_line_ - 1)) return;
    const std::uint64_t total = streaming() ? 0 : stable.size() - cutter.offset();
    const bool check_whole = whole_input_ && !whole_.known_valid();
    const auto tokens = static_cast<std::size_t>(2 * tbb::this_task_arena::max_concurrency() + 1);
    std::vector<std::unique_ptr<Chunk>> chunks;  // owns them all, whatever throws
    tbb::concurrent_queue<Chunk*> free_chunks;
    std::size_t next_index = 0;
    std::uint64_t done = 0;
    tbb::parallel_pipeline(
        tokens,
        tbb::make_filter<void, Chunk*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& control) -> Chunk* {
                                         Chunk* chunk = nullptr;
                                         if (!free_chunks.try_pop(chunk)) {
                                           chunk =
                                               chunks.emplace_back(std::make_unique<Chunk>()).get();
                                         }
                                         if (!cutter.next(*chunk)) {
                                           free_chunks.push(chunk);
                                           control.stop();
                                           return nullptr;
                                         }
                                         chunk->index = next_index++;
                                         return chunk;
                                       }) &
            tbb::make_filter<Chunk*, Chunk*>(tbb::filter_mode::parallel,
                                             [&](Chunk* chunk) -> Chunk* {
                                               parse_chunk(*chunk, check_whole);
                                               parallel(chunk->index, chunk->batch);
                                               return chunk;
                                             }) &
            tbb::make_filter<Chunk*, void>(tbb::filter_mode::serial_in_order, [&](Chunk* chunk) {
              in_order(chunk->index, chunk->batch);
              // Every byte before this chunk's end is done with: its pages can go.
              input_->release_until(chunk->raw.data() + chunk->raw.size());
              done += chunk->raw.size();
              if (progress) progress(done, total);
              free_chunks.push(chunk);
            }));
  }

  void parse_chunk(Chunk& chunk, bool check_whole) {
    RowBatch& batch = chunk.batch;
    batch.num_columns = header_.size();
    batch.fields.clear();
    batch.lines.clear();
    batch.hashes.clear();
    batch.rejects.clear();
    chunk.arena.reset();
    std::string_view text = chunk.raw;
    bool check_utf8 = false;
    if (decoder_) {
      // Bytes the encoding rejects became 0xFF: only then can a row be invalid UTF-8.
      check_utf8 = decoder_->decode(chunk.raw, chunk.decoded, chunk.first) > 0;
      text = chunk.decoded;
    } else if (whole_input_) {
      check_utf8 = check_whole && !is_valid_utf8(text);
    } else {
      check_utf8 = !is_valid_utf8(text);
    }
    RangeParser(context(text), batch, chunk.arena, check_utf8)
        .parse(0, text.size(), chunk.first_line, std::numeric_limits<std::size_t>::max());
    rows_read_ += static_cast<std::int64_t>(batch.num_rows() + batch.rejects.size());
  }

  std::unique_ptr<InputStream> input_;
  std::string path_;
  ReadOptions options_;
  CsvTuning tuning_;
  tbb::task_arena arena_;
  std::string encoding_;                   ///< canonical name of the input's encoding
  std::size_t bom_ = 0;                    ///< raw bytes of the BOM at the start
  std::unique_ptr<ChunkDecoder> decoder_;  ///< null when the input is UTF-8 or whole_input_
  Utf8Text whole_;              ///< the converted input, for encodings that cannot be cut (UTF-16)
  bool whole_input_ = false;    ///< whole_ holds the input
  std::string_view head_text_;  ///< the head in UTF-8: whole lines from the first byte
  std::string head_decoded_;    ///< its storage when converted
  std::size_t head_raw_ = 0;    ///< raw bytes behind head_text_ (BOM excluded)
  std::size_t head_request_ = 0;  ///< raw bytes the last load_head asked for
  bool head_all_ = false;         ///< head_text_ is the whole input
  char delimiter_ = ',';
  char line_break_ = '\n';  ///< '\r' for CR-only files (sniff_line_break)
  std::vector<std::string> header_;
  std::string_view layout_;     ///< the known layout whose names header_ holds, or empty
  std::size_t data_begin_ = 0;  ///< offset of the first data row in head_text_
  std::int64_t data_line_ = 1;  ///< its physical line
  bool no_data_ = false;        ///< the header row ends the input
  bool scanned_ = false;
  std::atomic<std::int64_t> rows_read_{0};
  std::size_t estimated_rows_ = 0;
  std::vector<std::unique_ptr<Arena>> sample_arenas_;  // keeps sample() views alive
};

}  // namespace

std::uint64_t hash_fields(std::span<const std::string_view> fields) {
  std::uint64_t hash = kHashSeed;
  for (const std::string_view field : fields) hash = hash_bytes(hash, field);
  return hash;
}

std::unique_ptr<RowSource> open_csv(std::unique_ptr<InputStream> input, const ReadOptions& options,
                                    const CsvTuning& tuning) {
  return std::make_unique<CsvSource>(std::move(input), options, tuning);
}

std::unique_ptr<RowSource> open_csv(const std::string& path, const ReadOptions& options,
                                    const CsvTuning& tuning) {
  return open_csv(std::make_unique<InputStream>(path), options, tuning);
}

std::unique_ptr<RowSource> open_csv(const std::string& path, const ReadOptions& options) {
  return open_csv(path, options, CsvTuning{});
}

}  // namespace custlens::io
