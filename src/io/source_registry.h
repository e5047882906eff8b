// The input sources, registered by name: each src/io/sources/<name>.cpp describes one format (how
// to recognise an input, whether it reads a pipe, how to open it) with CUSTLENS_REGISTER_SOURCE,
// and io::open_input picks one through this table, with no per-format code of its own.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/ingest.h"
#include "io/input_stream.h"
#include "io/row_source.h"

namespace custlens::io {

/// One input format. Recognition, for an input without --format: first a source whose
/// `signature` matches the input's first bytes, then (regular files only) one that lists the
/// file name's extension, then the `fallback` source; within each step the highest `priority`
/// wins. A non-seekable input (a pipe, "-") is recognised by its signature only.
struct SourceSpec {
  std::string name;         ///< "csv", "xlsx": what --format takes and RowSource::format() says
  std::string description;  ///< one line: what it reads
  /// File name endings that claim an input, lower-case with the dot (".xlsx"); compared without
  /// regard to case.
  std::vector<std::string> extensions;
  /// True when `head` (the input's first min(signature_bytes, size) bytes) starts this format,
  /// e.g. a zip's "PK\3\4"; null for a format without one.
  bool (*signature)(std::string_view head) = nullptr;
  std::size_t signature_bytes = 0;  ///< how many first bytes `signature` looks at
  int priority = 0;                 ///< breaks ties between sources that claim an input alike
  bool fallback = false;  ///< reads what no source claims (CSV: any text); at most one should
  /// Opens a regular file by path. Throws custlens::Error for an unusable input.
  std::unique_ptr<RowSource> (*open_file)(const std::string& path,
                                          const ReadOptions& options) = nullptr;
  /// Opens a non-seekable input (a pipe, standard input) whose head was read already (and is
  /// kept for the scan); null when the format cannot be read front to back.
  std::unique_ptr<RowSource> (*open_stream)(std::unique_ptr<InputStream> input,
                                            const ReadOptions& options) = nullptr;
  /// Without open_stream: why, as "<path>: " + this + "; save it to a file and give that path".
  std::string stream_refusal;
  /// Prefixes that make an input a URL this source reads ("postgresql://", "sqlite:"): such an
  /// input is no file (never globbed or looked up on disk) and is opened with open_url.
  std::vector<std::string> url_prefixes;
  /// Opens a URL input (with options.table or options.query). Throws custlens::Error.
  std::unique_ptr<RowSource> (*open_url)(const std::string& url,
                                         const ReadOptions& options) = nullptr;
};

/// Every registered source, in registration order (static initialisation: no order to rely on).
const std::vector<SourceSpec>& source_registry();

struct SourceRegistrar {
  explicit SourceRegistrar(SourceSpec spec);
};

/// The registered names, sorted.
std::vector<std::string> source_names();

/// The source named `name`; throws custlens::Error naming the registered ones for an unknown
/// name (the message of an unknown --format).
const SourceSpec& find_source(std::string_view name);

/// The source that reads `path` when no --format is given: by `head` (the input's first bytes,
/// at least the longest signature_bytes of any source, or all of a shorter input), by extension
/// unless `stream`, else the fallback. Null when none claims it and there is no fallback.
const SourceSpec* recognise_source(const std::string& path, std::string_view head, bool stream);

/// The source that claims `input` as a URL by one of its url_prefixes, or null (a file path).
const SourceSpec* url_source(std::string_view input);

/// The most first bytes any registered signature looks at.
std::size_t signature_bytes();

}  // namespace custlens::io

/// Registers an input source from its own file (src/io/sources/<name>.cpp):
/// CUSTLENS_REGISTER_SOURCE(csv, spec) with a SourceSpec whose name is "csv".
#define CUSTLENS_REGISTER_SOURCE(ident, spec) \
  static const ::custlens::io::SourceRegistrar ident##_source_registrar { spec }
