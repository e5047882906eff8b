// Text encodings for the readers: UTF-8 validation, detection (uchardet) and conversion to UTF-8
// (iconv), and cutting text to a valid UTF-8 excerpt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace custlens::io {

/// Counts over a byte string read as UTF-8.
struct Utf8Stats {
  std::uint64_t invalid = 0;    ///< bytes that start no valid sequence (each counted once)
  std::uint64_t multibyte = 0;  ///< valid sequences of 2 to 4 bytes
};

/// Called with each piece of the input once a pass is done with it (see InputStream::release).
using ReleaseFn = std::function<void(std::string_view)>;

/// Counts valid multi-byte sequences and invalid bytes; runs in parallel on the current TBB arena.
/// `release`, when given, gets each piece after it is counted.
Utf8Stats utf8_stats(std::string_view bytes, const ReleaseFn& release = {});

/// True when `bytes` is entirely valid UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

/// At most `max_bytes` of `text`, cut at a character boundary, with every invalid byte replaced
/// by U+FFFD, so the result is always valid UTF-8.
std::string utf8_excerpt(std::string_view text, std::size_t max_bytes);

/// The canonical name of an encoding given by a user ("latin-1", "UTF8", "cp936", ...):
/// lower case, e.g. "utf-8", "iso-8859-1", "windows-1252", "gbk", "gb18030", "utf-16le".
/// Throws custlens::Error when iconv does not know it.
std::string canonical_encoding(std::string_view name);

/// Guesses the encoding of raw bytes: a BOM decides; valid UTF-8 (or UTF-8 with a few invalid
/// bytes among many valid multi-byte sequences) is "utf-8"; otherwise uchardet's answer,
/// canonical, except that any Latin single-byte code page (which uchardet cannot tell apart on
/// short text) or no answer gives "windows-1252" ("iso-8859-1" if bytes undefined in 1252 occur).
std::string detect_encoding(std::string_view raw);

/// Length of the byte order mark of `canonical` (a canonical_encoding name) at the start of raw,
/// or 0.
std::size_t bom_length(std::string_view raw, const std::string& canonical);

/// Releases an allocate_large buffer.
struct FreeDeleter {
  void operator()(char* bytes) const { std::free(bytes); }
};
using LargeBuffer = std::unique_ptr<char[], FreeDeleter>;

/// Uninitialized bytes for whole-file text, on transparent huge pages where the kernel allows:
/// otherwise page faults, not the conversion, dominate decoding a large file.
LargeBuffer allocate_large(std::size_t size);

/// Text in UTF-8: either a view of the caller's bytes (when they are UTF-8 already, BOM
/// stripped) or an owned converted copy. Movable; views into it survive moves.
class Utf8Text {
 public:
  Utf8Text() = default;
  /// A view of bytes that are UTF-8 already; `known_valid` when checked to have no invalid byte.
  static Utf8Text borrowed(std::string_view text, std::string encoding, bool known_valid);
  /// Owns converted bytes.
  static Utf8Text owned(LargeBuffer data, std::size_t size, std::string encoding, bool known_valid);

  std::string_view view() const { return view_; }
  /// Canonical name of the source encoding.
  const std::string& encoding() const { return encoding_; }
  /// True when the whole text is known to be valid UTF-8, so no row needs checking.
  bool known_valid() const { return known_valid_; }

 private:
  LargeBuffer owned_;
  std::string_view view_;
  std::string encoding_;
  bool known_valid_ = false;
};

/// True when text in `canonical` (a canonical_encoding name) can be cut after any '\n' or '\r'
/// byte and each piece decoded alone to the same UTF-8 as the whole, and the bytes 0x0A, 0x0D and
/// 0x22 only ever stand for LF, CR and '"' (never inside a multi-byte character), so row breaks
/// and quote parity can be found in the raw bytes: UTF-8, every ASCII-compatible single-byte code
/// page, GBK, GB18030, Big5, Shift_JIS, EUC-JP/KR. Not UTF-16/32 (a NUL byte in every ASCII
/// character) nor stateful encodings (ISO-2022, UTF-7, HZ), which are decoded whole.
bool is_chunk_safe(const std::string& canonical);

/// Decodes pieces of text in one chunk-safe encoding to UTF-8, as decode_to_utf8 would decode the
/// whole: a byte the encoding rejects becomes 0xFF. Safe to call from several threads at once.
class ChunkDecoder {
 public:
  /// Throws custlens::Error when iconv cannot convert from `canonical`.
  explicit ChunkDecoder(std::string canonical);
  ~ChunkDecoder();
  ChunkDecoder(const ChunkDecoder&) = delete;
  ChunkDecoder& operator=(const ChunkDecoder&) = delete;
  const std::string& encoding() const { return canonical_; }
  /// Replaces `out` with the UTF-8 of `raw`; returns how many bytes were invalid (0: `out` is
  /// valid UTF-8). `first` drops a leading BOM written in the source encoding.
  std::size_t decode(std::string_view raw, std::string& out, bool first = false) const;

 private:
  struct Table;
  std::string canonical_;
  std::unique_ptr<Table> table_;  ///< single-byte code pages; null: iconv per call
};

/// Decodes raw file bytes to UTF-8. `encoding` "" means detect (detect_encoding); a given name
/// overrides detection. Stateless multi-byte encodings are converted in parallel pieces of about
/// `piece_bytes` split at newlines. Bytes invalid in the source encoding become byte 0xFF, which
/// is never valid UTF-8, so the rows holding them are rejected downstream.
/// `release` gets the pieces of `raw` that the UTF-8 check has passed over.
Utf8Text decode_to_utf8(std::string_view raw, std::string_view encoding,
                        std::size_t piece_bytes = std::size_t{4} << 20,
                        const ReleaseFn& release = {});

}  // namespace custlens::io
