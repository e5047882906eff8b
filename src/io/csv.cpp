// The CSV/TSV reader: the RowSource over a mapped file decoded to UTF-8, its header row, and a
// two-pass parallel scan (quote parity per chunk, then chunks parsed independently).
//
// Splitting follows quote parity: every '"' toggles the quoted state wherever it stands, so a row
// ends at a line break ('\n', or '\r' in CR-only files) after an even number of quotes; pass 1
// can then find row boundaries from counts alone. Only a field that starts with '"' is unescaped
// (as pandas does); quotes inside an unquoted field are text. Well-formed RFC 4180 files read
// exactly as RFC 4180 says.
#include "io/csv.h"

#include <fmt/format.h>
#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "custlens/error.h"
#include "io/csv_dialect.h"
#include "io/encoding.h"
#include "io/mapped_file.h"

namespace custlens::io {
namespace {

constexpr std::size_t kRejectContentBytes = 300;
constexpr std::size_t kArenaBlockBytes = std::size_t{256} << 10;

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

/// Bit i set where block[i] is the delimiter, a quote or the line break; 64 bytes must be
/// readable.
std::uint64_t special_mask(const char* block, char delimiter, char line_break) {
#if defined(__SSE2__)
  const __m128i delimiters = _mm_set1_epi8(delimiter);
  const __m128i quotes = _mm_set1_epi8('"');
  const __m128i newlines = _mm_set1_epi8(line_break);
  std::uint64_t mask = 0;
  for (int part = 0; part < 4; ++part) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * part));
    const __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, delimiters), _mm_cmpeq_epi8(bytes, quotes)),
                     _mm_cmpeq_epi8(bytes, newlines));
    mask |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(hits)))
            << (16 * part);
  }
  return mask;
#else
  std::uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) {
    const char c = block[i];
    mask |= static_cast<std::uint64_t>(c == delimiter || c == '"' || c == line_break) << i;
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
        mask = special_mask(text_ + block, context_.delimiter, context_.line_break);
      } else {
        // The tail is copied: the mapping may end right after it.
        const std::size_t tail = end - block;
        std::memcpy(padded, text_ + block, tail);
        std::memset(padded + tail, 0, sizeof padded - tail);
        mask = special_mask(padded, context_.delimiter, context_.line_break) &
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
        if (c == context_.delimiter) {
          end_field(i);
          field_start_ = i + 1;
          continue;
        }
        finish_row(i);
        row_start_ = field_start_ = i + 1;
        row_line_ = line_;
        if (rows_ == max_rows) return {i + 1, line_};
      }
    }
    if (row_start_ < end) {
      if (in_quote_) {
        add_reject(end, "unterminated quoted field");
        batch_.fields.resize(row_fields_begin_);
        ++rows_;
      } else {
        finish_row(end);
      }
    }
    return {end, line_};
  }

 private:
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
  void finish_row(std::size_t row_end) {
    // A CRLF's '\r' belongs to the line break, not to the last field.
    if (context_.line_break == '\n' && row_end > field_start_ && text_[row_end - 1] == '\r') {
      --row_end;
    }
    if (row_end == row_start_) return;  // a blank line
    end_field(row_end);
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

/// A parsed range and the arena behind its unescaped fields, handed out to one task at a time.
struct BatchState {
  RowBatch batch;
  Arena arena;
};

class CsvSource final : public RowSource {
 public:
  CsvSource(std::string path, ReadOptions options, const CsvTuning& tuning)
      : path_(std::move(path)),
        options_(std::move(options)),
        tuning_(tuning),
        // More threads than cores only makes TBB print a warning.
        arena_(options_.threads > 0 ? std::min(options_.threads, tbb::info::default_concurrency())
                                    : tbb::task_arena::automatic),
        file_(path_) {
    tuning_.chunk_bytes = std::max<std::size_t>(tuning_.chunk_bytes, 1);
    const char given = options_.delimiter;
    if (given == '"' || given == '\n' || given == '\r') {
      throw Error(fmt::format("{}: the delimiter cannot be a quote or a line break", path_));
    }
    arena_.execute([&] {
      try {
        text_ = decode_to_utf8(file_.bytes(), options_.encoding, tuning_.chunk_bytes,
                               [this](std::string_view part) { file_.release(part); });
      } catch (const Error& e) {
        throw Error(fmt::format("{}: {}", path_, e.what()));
      }
    });
    const std::string_view text = text_.view();
    std::string_view sample = text.substr(0, tuning_.sniff_bytes);
    if (sample.size() < text.size() && sample.find_first_of("\r\n") == std::string_view::npos) {
      // A first row longer than the sample (a very wide header): sniff past its end too.
      const std::size_t first_break = text.find_first_of("\r\n");
      if (first_break != std::string_view::npos) {
        sample = text.substr(0, first_break + tuning_.sniff_bytes);
      }
    }
    const bool truncated = text.size() > sample.size();
    line_break_ = sniff_line_break(sample, truncated);
    delimiter_ = given != 0 ? given : sniff_delimiter(sample, truncated, line_break_);
    read_header();
  }

  const std::vector<std::string>& header() const override { return header_; }
  std::int64_t rows_read() const override { return rows_read_.load(); }
  std::string encoding() const override { return text_.encoding(); }
  char delimiter() const override { return delimiter_; }

  RowBatch sample(std::size_t max_rows) override {
    RowBatch batch;
    batch.num_columns = header_.size();
    auto& arena = *sample_arenas_.emplace_back(std::make_unique<Arena>());
    const ParseEnd end = RangeParser(context(), batch, arena, !text_.known_valid())
                             .parse(data_begin_, text_.view().size(), data_line_, max_rows);
    const std::size_t rows = batch.num_rows() + batch.rejects.size();
    if (rows > 0 && end.position > data_begin_) {
      const double bytes_per_row = static_cast<double>(end.position - data_begin_) / rows;
      estimated_rows_ = static_cast<std::size_t>(
          static_cast<double>(text_.view().size() - data_begin_) / bytes_per_row);
    }
    return batch;
  }

  std::size_t estimated_rows() const override { return estimated_rows_; }

  void scan(const std::function<void(std::size_t, const RowBatch&)>& consume,
            const ProgressFn& progress) override {
    rows_read_ = 0;
    const ProgressFn& report = progress ? progress : options_.progress;
    arena_.execute([&] { scan_in_arena(consume, report); });
  }

 private:
  ParseContext context() const {
    return ParseContext{text_.view(), &path_, delimiter_, line_break_, header_.size()};
  }

  void read_header() {
    RowBatch batch;
    Arena arena;
    const ParseContext any_width{text_.view(), &path_, delimiter_, line_break_, 0};
    const ParseEnd end =
        RangeParser(any_width, batch, arena, false).parse(0, text_.view().size(), 1, 1);
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
    }
  }

  /// A row start for each chunk that holds one, with the line it is on.
  struct Range {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::int64_t line = 0;
  };

  std::vector<Range> find_ranges() const {
    const std::string_view text = text_.view();
    const std::size_t chunk = tuning_.chunk_bytes;
    const std::size_t num_chunks = (text.size() - data_begin_ + chunk - 1) / chunk;
    const auto chunk_begin = [&](std::size_t k) {
      return std::min(data_begin_ + k * chunk, text.size());
    };
    // Pass 1: quotes and newlines per chunk, in parallel; prefix sums give the state at starts.
    std::vector<QuoteNewlineCounts> counts(num_chunks);
    tbb::parallel_for(std::size_t{0}, num_chunks, [&](std::size_t k) {
      const std::string_view piece =
          text.substr(chunk_begin(k), chunk_begin(k + 1) - chunk_begin(k));
      counts[k] = count_quotes_and_newlines(piece, line_break_);
      file_.release(piece);
    });
    std::vector<std::uint64_t> quotes_before(num_chunks + 1, 0);
    std::vector<std::int64_t> lines_before(num_chunks + 1, 0);
    for (std::size_t k = 0; k < num_chunks; ++k) {
      quotes_before[k + 1] = quotes_before[k] + counts[k].quotes;
      lines_before[k + 1] = lines_before[k] + static_cast<std::int64_t>(counts[k].newlines);
    }
    // Each chunk owns the rows starting inside it: its first one follows the first unquoted
    // line break at or after its first byte - 1.
    constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    std::vector<Range> starts(num_chunks);
    tbb::parallel_for(std::size_t{0}, num_chunks, [&](std::size_t k) {
      starts[k] = {kNone, 0, 0};
      const std::size_t begin = chunk_begin(k);
      if (k == 0) {
        starts[k] = {begin, 0, data_line_};
        return;
      }
      bool in_quote = ((quotes_before[k] & 1) != 0) != (text[begin - 1] == '"');
      std::int64_t newlines = 0;
      for (std::size_t p = begin - 1; p + 1 < chunk_begin(k + 1); ++p) {
        if (text[p] == '"') {
          in_quote = !in_quote;
        } else if (text[p] == line_break_) {
          newlines += p >= begin;
          if (!in_quote) {
            starts[k] = {p + 1, 0, data_line_ + lines_before[k] + newlines};
            return;
          }
        }
      }
    });
    std::vector<Range> ranges;
    for (const Range& start : starts) {
      if (start.begin == kNone) continue;
      if (!ranges.empty()) ranges.back().end = start.begin;
      ranges.push_back(start);
    }
    if (!ranges.empty()) ranges.back().end = text.size();
    return ranges;
  }

  void scan_in_arena(const std::function<void(std::size_t, const RowBatch&)>& consume,
                     const ProgressFn& progress) {
    const std::string_view text = text_.view();
    if (data_begin_ >= text.size()) return;
    const std::vector<Range> ranges = find_ranges();
    const ParseContext shared = context();
    const std::uint64_t total = text.size() - data_begin_;
    std::uint64_t done = 0;
    std::mutex progress_mutex;
    // Pass 2: ranges in parallel. States are checked out, not thread-local: a consume that runs
    // TBB work may let this thread start another range before the first batch is released.
    tbb::concurrent_queue<std::unique_ptr<BatchState>> free_states;
    tbb::parallel_for(std::size_t{0}, ranges.size(), [&](std::size_t r) {
      std::unique_ptr<BatchState> state;
      if (!free_states.try_pop(state)) state = std::make_unique<BatchState>();
      RowBatch& batch = state->batch;
      batch.num_columns = header_.size();
      batch.fields.clear();
      batch.lines.clear();
      batch.hashes.clear();
      batch.rejects.clear();
      state->arena.reset();
      const Range& range = ranges[r];
      const std::string_view bytes = text.substr(range.begin, range.end - range.begin);
      const bool check_utf8 = !text_.known_valid() && !is_valid_utf8(bytes);
      RangeParser(shared, batch, state->arena, check_utf8)
          .parse(range.begin, range.end, range.line, std::numeric_limits<std::size_t>::max());
      rows_read_ += static_cast<std::int64_t>(batch.num_rows() + batch.rejects.size());
      consume(r, batch);
      file_.release(bytes);  // no-op unless the text is the mapped file itself
      free_states.push(std::move(state));
      if (progress) {
        const std::lock_guard lock(progress_mutex);
        done += bytes.size();
        progress(done, total);
      }
    });
  }

  std::string path_;
  ReadOptions options_;
  CsvTuning tuning_;
  tbb::task_arena arena_;
  MappedFile file_;
  Utf8Text text_;
  char delimiter_ = ',';
  char line_break_ = '\n';  ///< '\r' for CR-only files (sniff_line_break)
  std::vector<std::string> header_;
  std::size_t data_begin_ = 0;  ///< offset of the first data row in the text
  std::int64_t data_line_ = 1;  ///< its physical line
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

std::unique_ptr<RowSource> open_csv(const std::string& path, const ReadOptions& options,
                                    const CsvTuning& tuning) {
  return std::make_unique<CsvSource>(path, options, tuning);
}

std::unique_ptr<RowSource> open_csv(const std::string& path, const ReadOptions& options) {
  return open_csv(path, options, CsvTuning{});
}

}  // namespace custlens::io
