// The XLSX container: the zip archive (libzip) opened with user-facing diagnostics, and the
// streaming parse (expat) of one XML part fed in chunks, so no part is ever held whole in memory.
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

struct zip;
struct zip_file;
struct XML_ParserStruct;

namespace custlens::io::xlsx {

/// An open XLSX (zip) archive.
class Archive {
 public:
  /// Opens `path`; throws custlens::Error (message starting with the path) for a missing file, a
  /// file that is not a zip archive (a CSV renamed .xlsx, an old .xls) or a damaged one.
  explicit Archive(std::string path);
  ~Archive();
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  const std::string& path() const { return path_; }
  /// Whether the archive holds `part`; names are compared case-insensitively, as Excel does.
  bool has(const std::string& part) const;

 private:
  friend class XmlPart;
  std::string path_;
  zip* zip_ = nullptr;
};

/// The events of an XML part as plain function pointers, so the parser needs no virtual calls.
/// Names are local names ("x:c" arrives as "c"); `attributes` is expat's name/value list.
struct XmlCallbacks {
  void* handler = nullptr;
  void (*start)(void* handler, std::string_view name, const char** attributes) = nullptr;
  void (*end)(void* handler, std::string_view name) = nullptr;
  void (*text)(void* handler, std::string_view text) = nullptr;
};

/// Callbacks that forward to `handler.start(name, attributes)`, `.end(name)` and `.text(text)`.
template <class Handler>
XmlCallbacks callbacks_for(Handler& handler) {
  XmlCallbacks callbacks;
  callbacks.handler = &handler;
  callbacks.start = [](void* h, std::string_view name, const char** attributes) {
    static_cast<Handler*>(h)->start(name, attributes);
  };
  callbacks.end = [](void* h, std::string_view name) { static_cast<Handler*>(h)->end(name); };
  callbacks.text = [](void* h, std::string_view text) { static_cast<Handler*>(h)->text(text); };
  return callbacks;
}

/// The value of the attribute whose local name is `name` ("r:id" matches "id"), or "".
std::string_view attribute(const char** attributes, std::string_view name);

/// One XML part of an archive, parsed as a stream of chunks read with zip_fread.
class XmlPart {
 public:
  /// Opens `part`; throws custlens::Error when the archive lacks it or it cannot be read.
  XmlPart(const Archive& archive, std::string part, XmlCallbacks callbacks);
  ~XmlPart();
  XmlPart(const XmlPart&) = delete;
  XmlPart& operator=(const XmlPart&) = delete;

  /// Reads and parses the next chunk; false once the whole part has been parsed. Throws
  /// custlens::Error for corrupt XML (with the part name and line) or unreadable zip data, and
  /// rethrows whatever a callback threw.
  bool parse_chunk();
  void parse_all() {
    while (parse_chunk()) {
    }
  }
  /// Uncompressed bytes parsed so far, and the part's uncompressed size (0 when unknown).
  std::uint64_t bytes_done() const { return bytes_done_; }
  std::uint64_t bytes_total() const { return bytes_total_; }
  const std::string& part() const { return part_; }
  /// Closes the part early (its callbacks will not be called again).
  void close();

 private:
  static void on_start(void* self, const char* name, const char** attributes);
  static void on_end(void* self, const char* name);
  static void on_text(void* self, const char* text, int length);
  void fail();

  const Archive& archive_;
  std::string part_;
  XmlCallbacks callbacks_;
  zip_file* file_ = nullptr;
  XML_ParserStruct* parser_ = nullptr;
  std::exception_ptr callback_error_;
  std::uint64_t bytes_done_ = 0;
  std::uint64_t bytes_total_ = 0;
  bool finished_ = false;
};

}  // namespace custlens::io::xlsx
