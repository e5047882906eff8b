// UTF-8 validation and excerpts, encoding detection with uchardet, conversion with glibc iconv.
#include "io/encoding.h"

#include <fmt/format.h>
#include <iconv.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <sys/mman.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <new>
#include <optional>
#include <utility>
#include <vector>

#include "custlens/error.h"

namespace custlens::io {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";
constexpr std::size_t kStatsPieceBytes = std::size_t{1} << 20;
constexpr std::size_t kChardetSampleBytes = std::size_t{1} << 20;
constexpr unsigned char kInvalidMarker = 0xFF;

std::uint64_t load64(const unsigned char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

/// Length of the valid UTF-8 sequence at s (1 for ASCII), or 0 when s starts no valid sequence.
std::size_t sequence_length(const unsigned char* s, std::size_t remaining) {
  const unsigned lead = s[0];
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;  // a continuation byte, or an overlong 2-byte lead
  if (lead < 0xE0) return remaining >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if (lead < 0xF0) {
    if (remaining < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
    if (lead == 0xE0 && s[1] < 0xA0) return 0;   // overlong
    if (lead == 0xED && s[1] >= 0xA0) return 0;  // UTF-16 surrogate
    return 3;
  }
  if (lead < 0xF5) {
    if (remaining < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80) {
      return 0;
    }
    if (lead == 0xF0 && s[1] < 0x90) return 0;   // overlong
    if (lead == 0xF4 && s[1] >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

/// Stats of the sequences starting in [begin, end) of s; the last one may run past end.
Utf8Stats stats_of_range(const unsigned char* s, std::size_t size, std::size_t begin,
                         std::size_t end) {
  Utf8Stats stats;
  std::size_t i = begin;
  while (i < end) {
    if (i + 16 <= end && ((load64(s + i) | load64(s + i + 8)) & kHighBits) == 0) {
      i += 16;
      continue;
    }
    const std::size_t length = sequence_length(s + i, size - i);
    if (length == 0) {
      ++stats.invalid;
      ++i;
    } else {
      stats.multibyte += length > 1;
      i += length;
    }
  }
  return stats;
}

std::string to_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower;
}

std::string to_upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return upper;
}

/// An iconv descriptor from `canonical` to UTF-8, closed on destruction.
class Converter {
 public:
  explicit Converter(const std::string& canonical)
      : cd_(iconv_open("UTF-8", to_upper(canonical).c_str())) {}
  ~Converter() {
    if (ok()) iconv_close(cd_);
  }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

/// Converts one piece; bytes iconv rejects become kInvalidMarker. Returns the substitutions.
std::size_t convert_piece(const Converter& converter, std::string_view in, std::string& out) {
  out.resize(in.size() + in.size() / 2 + 64);
  char* in_ptr = const_cast<char*>(in.data());  // iconv's signature is not const-correct
  std::size_t in_left = in.size();
  std::size_t out_used = 0;
  std::size_t substitutions = 0;
  auto grow = [&] { out.resize(out.size() * 2 + 64); };
  while (in_left > 0) {
    char* out_ptr = out.data() + out_used;
    std::size_t out_left = out.size() - out_used;
    const std::size_t result = iconv(converter.get(), &in_ptr, &in_left, &out_ptr, &out_left);
    const int error = errno;
    out_used = out.size() - out_left;
    if (result != static_cast<std::size_t>(-1)) continue;
    if (error == E2BIG || out_used == out.size()) {
      grow();
      continue;
    }
    // EILSEQ or EINVAL: an invalid or truncated sequence; mark it and skip one byte.
    out[out_used++] = static_cast<char>(kInvalidMarker);
    ++in_ptr;
    --in_left;
    ++substitutions;
    iconv(converter.get(), nullptr, nullptr, nullptr, nullptr);
  }
  while (true) {  // flush the shift state of stateful encodings
    char* out_ptr = out.data() + out_used;
    std::size_t out_left = out.size() - out_used;
    const std::size_t result = iconv(converter.get(), nullptr, nullptr, &out_ptr, &out_left);
    const int error = errno;
    out_used = out.size() - out_left;
    if (result != static_cast<std::size_t>(-1) || error != E2BIG) break;
    grow();
  }
  out.resize(out_used);
  return substitutions;
}

/// Encodings whose pieces may be converted separately when cut after a '\n' or '\r' byte.
bool splittable_at_newlines(const std::string& canonical) {
  for (std::string_view stateful : {"utf-16", "utf-32", "ucs", "2022", "utf-7", "hz"}) {
    if (canonical.find(stateful) != std::string::npos) return false;
  }
  return true;
}

/// Lines holding non-ASCII bytes, up to kChardetSampleBytes: what tells encodings apart.
std::string chardet_sample(std::string_view raw) {
  const auto* s = reinterpret_cast<const unsigned char*>(raw.data());
  std::string sample;
  std::size_t i = 0;
  while (i < raw.size() && sample.size() < kChardetSampleBytes) {
    if (i + 8 <= raw.size() && (load64(s + i) & kHighBits) == 0) {
      i += 8;
      continue;
    }
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    // Lines end at LF or CR (CR-only files); a CRLF makes an empty line that adds nothing.
    const std::size_t previous_newline = raw.find_last_of("\n\r", i);
    const std::size_t line_begin =
        previous_newline == std::string_view::npos ? 0 : previous_newline + 1;
    std::size_t line_end = raw.find_first_of("\n\r", i);
    line_end = line_end == std::string_view::npos ? raw.size() : line_end + 1;
    sample.append(raw.substr(line_begin, line_end - line_begin));
    i = line_end;
  }
  return sample;
}

/// Single-byte code pages for Latin scripts, which uchardet confuses with each other on short
/// or upper-case text (an all-caps French list comes out as MAC-CENTRALEUROPE).
bool is_latin_code_page(const std::string& name) {
  static constexpr std::array<std::string_view, 20> kLatin{
      "iso-8859-1",        "iso-8859-2",   "iso-8859-3",   "iso-8859-4",   "iso-8859-9",
      "iso-8859-10",       "iso-8859-13",  "iso-8859-14",  "iso-8859-15",  "iso-8859-16",
      "windows-1250",      "windows-1252", "windows-1254", "windows-1257", "windows-1258",
      "mac-centraleurope", "mac-roman",    "ibm852",       "ibm850",       "ibm437"};
  return std::find(kLatin.begin(), kLatin.end(), name) != kLatin.end();
}

std::string chardet_guess(std::string_view raw) {
  const std::string sample = chardet_sample(raw);
  uchardet_t detector = uchardet_new();
  uchardet_handle_data(detector, sample.data(), sample.size());
  uchardet_data_end(detector);
  std::string guess = to_lower(uchardet_get_charset(detector));
  uchardet_delete(detector);
  if (guess == "ascii") return "utf-8";
  if (guess.empty() || is_latin_code_page(guess) || !Converter(guess).ok()) {
    // Windows-1252 is what Western tools write; bytes it leaves undefined mean Latin-1.
    const bool undefined_in_1252 =
        sample.find_first_of("\x81\x8D\x8F\x90\x9D") != std::string::npos;
    return undefined_in_1252 ? "iso-8859-1" : "windows-1252";
  }
  return guess;
}

std::string encoding_from_bom(std::string_view raw) {
  if (raw.starts_with(kUtf8Bom)) return "utf-8";
  if (raw.starts_with(std::string_view("\xFF\xFE\0\0", 4))) return "utf-32le";
  if (raw.starts_with(std::string_view("\0\0\xFE\xFF", 4))) return "utf-32be";
  if (raw.starts_with("\xFF\xFE")) return "utf-16le";
  if (raw.starts_with("\xFE\xFF")) return "utf-16be";
  return "";
}

/// "utf-8" when there are no invalid bytes or only a few among many valid multi-byte sequences.
bool looks_like_utf8(const Utf8Stats& stats) {
  return stats.invalid == 0 || stats.invalid * 10 <= stats.multibyte;
}

/// Piece boundaries of raw: about piece_bytes apart, each after a '\n' or '\r' (or at the end).
std::vector<std::size_t> newline_pieces(std::string_view raw, std::size_t piece_bytes) {
  std::vector<std::size_t> bounds{0};
  std::size_t next = piece_bytes;
  while (next < raw.size()) {
    const std::size_t newline = raw.find_first_of("\n\r", next - 1);
    if (newline == std::string_view::npos || newline + 1 >= raw.size()) break;
    bounds.push_back(newline + 1);
    next = newline + 1 + piece_bytes;
  }
  bounds.push_back(raw.size());
  return bounds;
}

/// The UTF-8 of every byte of a single-byte code page; iconv's generic path runs at ~100 MB/s,
/// a table at memory speed.
struct ByteTable {
  std::array<std::array<char, 4>, 256> utf8{};
  std::array<std::uint8_t, 256> length{};  ///< 0 = invalid in the code page
};

/// The table of a single-byte code page (each byte converts on its own, ASCII to itself).
std::optional<ByteTable> single_byte_table(const Converter& converter) {
  ByteTable table;
  for (int byte = 0; byte < 256; ++byte) {
    iconv(converter.get(), nullptr, nullptr, nullptr, nullptr);
    char in = static_cast<char>(byte);
    char* in_ptr = &in;
    std::size_t in_left = 1;
    std::array<char, 16> out{};
    char* out_ptr = out.data();
    std::size_t out_left = out.size();
    const std::size_t result = iconv(converter.get(), &in_ptr, &in_left, &out_ptr, &out_left);
    const std::size_t written = out.size() - out_left;
    if (result == static_cast<std::size_t>(-1)) {
      if (errno != EILSEQ) return std::nullopt;  // EINVAL: the byte starts a longer sequence
      continue;
    }
    if (written == 0 || written > 4) return std::nullopt;  // a shift state or a sequence
    if (byte < 0x80 && (written != 1 || out[0] != in)) return std::nullopt;
    std::memcpy(table.utf8[byte].data(), out.data(), written);
    table.length[byte] = static_cast<std::uint8_t>(written);
  }
  iconv(converter.get(), nullptr, nullptr, nullptr, nullptr);
  return table;
}

/// Converts through a byte table: sizes per piece, then each piece written in place.
Utf8Text convert_single_byte(std::string_view raw, const ByteTable& table, std::size_t piece_bytes,
                             const std::string& canonical) {
  const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
  const std::size_t num_pieces = (raw.size() + piece_bytes - 1) / piece_bytes;
  const auto piece_end = [&](std::size_t p) { return std::min(raw.size(), (p + 1) * piece_bytes); };
  std::vector<std::size_t> offsets(num_pieces + 1, 0);
  std::vector<std::size_t> invalid(num_pieces, 0);
  tbb::parallel_for(std::size_t{0}, num_pieces, [&](std::size_t p) {
    const std::size_t end = piece_end(p);
    std::size_t size = end - p * piece_bytes;
    for (std::size_t i = p * piece_bytes; i < end; ++i) {
      if (i + 8 <= end && (load64(in + i) & kHighBits) == 0) {
        i += 7;
        continue;
      }
      const std::size_t length = table.length[in[i]];
      size += length == 0 ? 0 : length - 1;  // an invalid byte becomes one marker byte
      invalid[p] += length == 0;
    }
    offsets[p + 1] = size;
  });
  for (std::size_t p = 0; p < num_pieces; ++p) offsets[p + 1] += offsets[p];
  LargeBuffer data = allocate_large(offsets.back());
  tbb::parallel_for(std::size_t{0}, num_pieces, [&](std::size_t p) {
    char* out = data.get() + offsets[p];
    std::size_t i = p * piece_bytes;
    const std::size_t end = piece_end(p);
    while (i < end) {
      if (i + 8 <= end && (load64(in + i) & kHighBits) == 0) {
        std::memcpy(out, in + i, 8);  // tables map ASCII to itself
        out += 8;
        i += 8;
        continue;
      }
      const std::size_t length = table.length[in[i]];
      if (length == 0) {
        *out++ = static_cast<char>(kInvalidMarker);
      } else {
        std::memcpy(out, table.utf8[in[i]].data(), length);
        out += length;
      }
      ++i;
    }
  });
  std::size_t total_invalid = 0;
  for (std::size_t count : invalid) total_invalid += count;
  return Utf8Text::owned(std::move(data), offsets.back(), canonical, total_invalid == 0);
}

Utf8Text convert(std::string_view raw, const std::string& canonical, std::size_t piece_bytes) {
  const Converter probe(canonical);
  if (!probe.ok()) throw Error(fmt::format("cannot convert from encoding '{}'", canonical));
  piece_bytes = std::max<std::size_t>(piece_bytes, 1);
  if (const std::optional<ByteTable> table = single_byte_table(probe)) {
    return convert_single_byte(raw, *table, piece_bytes, canonical);
  }
  const std::vector<std::size_t> bounds =
      splittable_at_newlines(canonical) ? newline_pieces(raw, std::max<std::size_t>(piece_bytes, 1))
                                        : std::vector<std::size_t>{0, raw.size()};
  const std::size_t num_pieces = bounds.size() - 1;
  std::vector<std::string> pieces(num_pieces);
  std::vector<std::size_t> substitutions(num_pieces, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, num_pieces, 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      const Converter converter(canonical);
                      for (std::size_t p = range.begin(); p != range.end(); ++p) {
                        substitutions[p] = convert_piece(
                            converter, raw.substr(bounds[p], bounds[p + 1] - bounds[p]), pieces[p]);
                      }
                    });
  // A BOM written in the source encoding converts to a UTF-8 BOM; it is not text.
  const std::size_t skip = !pieces.empty() && pieces[0].starts_with(kUtf8Bom) ? 3 : 0;
  std::vector<std::size_t> offsets(num_pieces + 1, 0);
  for (std::size_t p = 0; p < num_pieces; ++p) {
    offsets[p + 1] = offsets[p] + pieces[p].size() - (p == 0 ? skip : 0);
  }
  LargeBuffer data = allocate_large(offsets.back());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, num_pieces, 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t p = range.begin(); p != range.end(); ++p) {
                        const std::size_t from = p == 0 ? skip : 0;
                        std::memcpy(data.get() + offsets[p], pieces[p].data() + from,
                                    pieces[p].size() - from);
                        std::string().swap(pieces[p]);
                      }
                    });
  std::size_t total_substitutions = 0;
  for (std::size_t count : substitutions) total_substitutions += count;
  return Utf8Text::owned(std::move(data), offsets.back(), canonical, total_substitutions == 0);
}

}  // namespace

std::size_t bom_length(std::string_view raw, const std::string& canonical) {
  if (canonical == "utf-8" && raw.starts_with(kUtf8Bom)) return 3;
  if (canonical == "utf-16le" && raw.starts_with("\xFF\xFE")) return 2;
  if (canonical == "utf-16be" && raw.starts_with("\xFE\xFF")) return 2;
  if (canonical == "utf-32le" && raw.starts_with(std::string_view("\xFF\xFE\0\0", 4))) return 4;
  if (canonical == "utf-32be" && raw.starts_with(std::string_view("\0\0\xFE\xFF", 4))) return 4;
  return 0;
}

bool is_chunk_safe(const std::string& canonical) {
  if (canonical == "utf-8") return true;
  // Multi-byte encodings whose lead and trail bytes are all >= 0x30 or >= 0x40 (checked for each
  // lead byte by EncodingTest.ChunkSafeEncodingsKeepLineBreaksAndQuotes).
  static constexpr std::array<std::string_view, 18> kMultiByte{
      "gbk",         "gb18030", "gb2312",    "cp936",     "euc-cn", "big5",
      "big5-hkscs",  "cp950",   "shift-jis", "shift_jis", "sjis",   "cp932",
      "windows-31j", "euc-jp",  "euc-kr",    "cp949",     "uhc",    "euc-tw"};
  const Converter probe(canonical);
  if (!probe.ok()) return false;
  if (std::find(kMultiByte.begin(), kMultiByte.end(), canonical) != kMultiByte.end()) return true;
  return single_byte_table(probe).has_value();  // a table maps ASCII to itself
}

struct ChunkDecoder::Table {
  ByteTable bytes;
};

ChunkDecoder::ChunkDecoder(std::string canonical) : canonical_(std::move(canonical)) {
  const Converter probe(canonical_);
  if (!probe.ok()) throw Error(fmt::format("cannot convert from encoding '{}'", canonical_));
  if (std::optional<ByteTable> table = single_byte_table(probe)) {
    table_ = std::make_unique<Table>(Table{*table});
  }
}

ChunkDecoder::~ChunkDecoder() = default;

std::size_t ChunkDecoder::decode(std::string_view raw, std::string& out, bool first) const {
  if (!table_) {
    const Converter converter(canonical_);  // per call: iconv descriptors hold state
    const std::size_t substitutions = convert_piece(converter, raw, out);
    // A BOM written in the source encoding converts to a UTF-8 BOM; it is not text.
    if (first && std::string_view(out).starts_with(kUtf8Bom)) out.erase(0, kUtf8Bom.size());
    return substitutions;
  }
  const ByteTable& table = table_->bytes;
  const auto* in = reinterpret_cast<const unsigned char*>(raw.data());
  std::size_t size = raw.size();
  std::size_t invalid = 0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i + 8 <= raw.size() && (load64(in + i) & kHighBits) == 0) {
      i += 7;
      continue;
    }
    const std::size_t length = table.length[in[i]];
    size += length == 0 ? 0 : length - 1;  // an invalid byte becomes one marker byte
    invalid += length == 0;
  }
  out.resize(size);
  char* to = out.data();
  std::size_t i = 0;
  while (i < raw.size()) {
    if (i + 8 <= raw.size() && (load64(in + i) & kHighBits) == 0) {
      std::memcpy(to, in + i, 8);  // tables map ASCII to itself
      to += 8;
      i += 8;
      continue;
    }
    const std::size_t length = table.length[in[i]];
    if (length == 0) {
      *to++ = static_cast<char>(kInvalidMarker);
    } else {
      std::memcpy(to, table.utf8[in[i]].data(), length);
      to += length;
    }
    ++i;
  }
  return invalid;
}

Utf8Stats utf8_stats(std::string_view bytes, const ReleaseFn& release) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t size = bytes.size();
  const std::size_t num_pieces = (size + kStatsPieceBytes - 1) / kStatsPieceBytes;
  // A piece starts at its first byte that is not a continuation byte (at most 3 on), so that it
  // starts where a sequential pass would stand.
  auto piece_begin = [&](std::size_t p) {
    std::size_t begin = std::min(p * kStatsPieceBytes, size);
    for (int step = 0; step < 3 && begin > 0 && begin < size && (s[begin] & 0xC0) == 0x80; ++step) {
      ++begin;
    }
    return begin;
  };
  std::vector<Utf8Stats> partial(num_pieces);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, num_pieces, 1),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t p = range.begin(); p != range.end(); ++p) {
                        const std::size_t begin = piece_begin(p), end = piece_begin(p + 1);
                        partial[p] = stats_of_range(s, size, begin, end);
                        if (release) release(bytes.substr(begin, end - begin));
                      }
                    });
  Utf8Stats total;
  for (const Utf8Stats& piece : partial) {
    total.invalid += piece.invalid;
    total.multibyte += piece.multibyte;
  }
  return total;
}

bool is_valid_utf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t size = bytes.size();
  std::size_t i = 0;
  while (i < size) {
    if (i + 16 <= size && ((load64(s + i) | load64(s + i + 8)) & kHighBits) == 0) {
      i += 16;
      continue;
    }
    const std::size_t length = sequence_length(s + i, size - i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string utf8_excerpt(std::string_view text, std::size_t max_bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::string excerpt;
  excerpt.reserve(std::min(text.size(), max_bytes));
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = sequence_length(s + i, text.size() - i);
    const std::string_view piece = length == 0 ? kReplacementChar : text.substr(i, length);
    if (excerpt.size() + piece.size() > max_bytes) break;
    excerpt.append(piece);
    i += length == 0 ? 1 : length;
  }
  return excerpt;
}

std::string canonical_encoding(std::string_view name) {
  std::string lower = to_lower(name);
  lower.erase(0, lower.find_first_not_of(" \t"));
  lower.erase(lower.find_last_not_of(" \t") + 1);
  std::replace(lower.begin(), lower.end(), '_', '-');
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kAliases{{
      {"utf8", "utf-8"},
      {"utf-8-sig", "utf-8"},
      {"utf8-sig", "utf-8"},
      {"latin-1", "iso-8859-1"},
      {"latin1", "iso-8859-1"},
      {"l1", "iso-8859-1"},
      {"iso8859-1", "iso-8859-1"},
      {"iso-8859-1", "iso-8859-1"},
      {"cp1252", "windows-1252"},
      {"windows1252", "windows-1252"},
      {"win-1252", "windows-1252"},
      {"cp936", "gbk"},
      {"ms936", "gbk"},
      {"gb2312", "gbk"},  // GBK is a superset; files labelled GB2312 often use GBK characters
      {"utf16", "utf-16"},
      {"utf16le", "utf-16le"},
      {"utf16be", "utf-16be"},
      {"sjis", "shift-jis"},
      {"shift-jis", "shift-jis"},
      {"ascii", "utf-8"},
  }};
  for (const auto& [alias, canonical] : kAliases) {
    if (lower == alias) return std::string(canonical);
  }
  if (lower == "utf-8") return lower;
  if (lower.empty() || !Converter(lower).ok()) {
    throw Error(fmt::format(
        "unknown encoding '{}'; try utf-8, latin-1, windows-1252, gbk or gb18030", name));
  }
  return lower;
}

std::string detect_encoding(std::string_view raw) {
  std::string from_bom = encoding_from_bom(raw);
  if (!from_bom.empty()) return from_bom;
  if (looks_like_utf8(utf8_stats(raw))) return "utf-8";
  return chardet_guess(raw);
}

Utf8Text Utf8Text::borrowed(std::string_view text, std::string encoding, bool known_valid) {
  Utf8Text result;
  result.view_ = text;
  result.encoding_ = std::move(encoding);
  result.known_valid_ = known_valid;
  return result;
}

LargeBuffer allocate_large(std::size_t size) {
  constexpr std::size_t kHugePage = std::size_t{2} << 20;
  void* bytes = nullptr;
  if (size >= kHugePage) {
    const std::size_t rounded = (size + kHugePage - 1) / kHugePage * kHugePage;
    bytes = std::aligned_alloc(kHugePage, rounded);
    if (bytes != nullptr) ::madvise(bytes, rounded, MADV_HUGEPAGE);  // only a hint
  } else {
    bytes = std::malloc(std::max<std::size_t>(size, 1));
  }
  if (bytes == nullptr) throw std::bad_alloc();
  return LargeBuffer(static_cast<char*>(bytes));
}

Utf8Text Utf8Text::owned(LargeBuffer data, std::size_t size, std::string encoding,
                         bool known_valid) {
  Utf8Text result;
  result.owned_ = std::move(data);
  result.view_ = std::string_view(result.owned_.get(), size);
  result.encoding_ = std::move(encoding);
  result.known_valid_ = known_valid;
  return result;
}

Utf8Text decode_to_utf8(std::string_view raw, std::string_view encoding, std::size_t piece_bytes,
                        const ReleaseFn& release) {
  std::string canonical;
  bool have_stats = false;
  Utf8Stats stats;
  if (!encoding.empty()) {
    canonical = canonical_encoding(encoding);
  } else {
    canonical = encoding_from_bom(raw);
    if (canonical.empty()) {
      stats = utf8_stats(raw, release);
      have_stats = true;
      canonical = looks_like_utf8(stats) ? "utf-8" : chardet_guess(raw);
    }
  }
  const std::string_view body = raw.substr(bom_length(raw, canonical));
  if (canonical == "utf-8") {
    if (!have_stats) stats = utf8_stats(body, release);
    return Utf8Text::borrowed(body, canonical, stats.invalid == 0);
  }
  return convert(body, canonical, piece_bytes);
}

}  // namespace custlens::io
