// The XLSX container: opening the zip archive with diagnostics a user can act on, and streaming
// one XML part through expat in chunks read straight into expat's buffer.
#include "io/xlsx_archive.h"

#include <expat.h>
#include <fmt/format.h>
#include <zip.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "custlens/error.h"

namespace custlens::io::xlsx {
namespace {

constexpr int kChunkBytes = 256 * 1024;

enum class FileKind { kZip, kEmpty, kOle, kOther };

// Tells a zip from the usual impostors by their first bytes, before libzip gives a vaguer answer.
FileKind sniff_file_kind(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  std::array<unsigned char, 4> magic{};
  in.read(reinterpret_cast<char*>(magic.data()), magic.size());
  std::streamsize got = in.gcount();
  if (got == 0) return FileKind::kEmpty;
  if (got == 4 && magic[0] == 'P' && magic[1] == 'K' &&
      ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6))) {
    return FileKind::kZip;
  }
  if (got == 4 && magic[0] == 0xD0 && magic[1] == 0xCF && magic[2] == 0x11 && magic[3] == 0xE0) {
    return FileKind::kOle;
  }
  return FileKind::kOther;
}

// One pass over the name (strrchr plus strlen cost 8% of a sheet parse).
std::string_view local_name(const char* name) {
  const char* begin = name;
  const char* at = name;
  for (; *at; ++at) {
    if (*at == ':') begin = at + 1;
  }
  return std::string_view(begin, static_cast<std::size_t>(at - begin));
}

}  // namespace

Archive::Archive(std::string path) : path_(std::move(path)) {
  std::error_code ec;
  if (!std::filesystem::exists(path_, ec)) {
    throw Error(fmt::format("{}: cannot open: no such file", path_));
  }
  if (std::filesystem::is_directory(path_, ec)) {
    throw Error(fmt::format("{}: is a directory, not an XLSX workbook", path_));
  }
  switch (sniff_file_kind(path_)) {
    case FileKind::kEmpty:
      throw Error(fmt::format("{}: empty file; not an XLSX workbook", path_));
    case FileKind::kOle:
      // Password-protected .xlsx files are OLE containers too, like the old binary .xls format.
      throw Error(
          fmt::format("{}: an old binary .xls workbook or a password-protected one; save it as an "
                      "unprotected .xlsx or as CSV",
                      path_));
    case FileKind::kOther:
      throw Error(fmt::format("{}: not an XLSX workbook; is it a CSV with an .xlsx name?", path_));
    case FileKind::kZip:
      break;
  }
  int code = 0;
  zip_ = zip_open(path_.c_str(), ZIP_RDONLY, &code);
  if (!zip_) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Error(fmt::format(
        "{}: damaged XLSX workbook, the zip archive cannot be read ({}); was the file cut short?",
        path_, reason));
  }
}

Archive::~Archive() {
  if (zip_) zip_discard(zip_);
}

bool Archive::has(const std::string& part) const {
  return zip_name_locate(zip_, part.c_str(), ZIP_FL_NOCASE) >= 0;
}

std::string_view attribute(const char** attributes, std::string_view name) {
  for (const char** at = attributes; at[0]; at += 2) {
    if (local_name(at[0]) == name) return at[1];
  }
  return {};
}

XmlPart::XmlPart(const Archive& archive, std::string part, XmlCallbacks callbacks)
    : archive_(archive), part_(std::move(part)), callbacks_(callbacks) {
  zip_int64_t index = zip_name_locate(archive_.zip_, part_.c_str(), ZIP_FL_NOCASE);
  if (index < 0) {
    throw Error(
        fmt::format("{}: damaged XLSX workbook: part {} is missing", archive_.path(), part_));
  }
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive_.zip_, static_cast<zip_uint64_t>(index), 0, &stat) == 0 &&
      (stat.valid & ZIP_STAT_SIZE)) {
    bytes_total_ = stat.size;
  }
  file_ = zip_fopen_index(archive_.zip_, static_cast<zip_uint64_t>(index), 0);
  if (!file_) {
    throw Error(fmt::format("{}: cannot read {} from the archive ({}); the file may be damaged",
                            archive_.path(), part_, zip_strerror(archive_.zip_)));
  }
  parser_ = XML_ParserCreate("UTF-8");
  if (!parser_) {
    zip_fclose(file_);
    throw Error(fmt::format("{}: out of memory creating an XML parser", archive_.path()));
  }
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &XmlPart::on_start, &XmlPart::on_end);
  XML_SetCharacterDataHandler(parser_, &XmlPart::on_text);
}

XmlPart::~XmlPart() { close(); }

void XmlPart::close() {
  if (parser_) XML_ParserFree(parser_);
  if (file_) zip_fclose(file_);
  parser_ = nullptr;
  file_ = nullptr;
  finished_ = true;
}

// Exceptions must not unwind through expat's C frames: they are kept and rethrown after the parse.
void XmlPart::fail() {
  callback_error_ = std::current_exception();
  XML_StopParser(parser_, XML_FALSE);
}

void XmlPart::on_start(void* self, const char* name, const char** attributes) {
  auto* part = static_cast<XmlPart*>(self);
  try {
    part->callbacks_.start(part->callbacks_.handler, local_name(name), attributes);
  } catch (...) {
    part->fail();
  }
}

void XmlPart::on_end(void* self, const char* name) {
  auto* part = static_cast<XmlPart*>(self);
  try {
    part->callbacks_.end(part->callbacks_.handler, local_name(name));
  } catch (...) {
    part->fail();
  }
}

void XmlPart::on_text(void* self, const char* text, int length) {
  auto* part = static_cast<XmlPart*>(self);
  try {
    part->callbacks_.text(part->callbacks_.handler,
                          std::string_view(text, static_cast<std::size_t>(length)));
  } catch (...) {
    part->fail();
  }
}

bool XmlPart::parse_chunk() {
  if (finished_) return false;
  void* buffer = XML_GetBuffer(parser_, kChunkBytes);
  if (!buffer) throw Error(fmt::format("{}: out of memory parsing {}", archive_.path(), part_));
  zip_int64_t got = zip_fread(file_, buffer, kChunkBytes);
  if (got < 0) {
    throw Error(fmt::format("{}: cannot read {} from the archive ({}); the file may be damaged",
                            archive_.path(), part_, zip_file_strerror(file_)));
  }
  bytes_done_ += static_cast<std::uint64_t>(got);
  bool last = got == 0;
  if (XML_ParseBuffer(parser_, static_cast<int>(got), last) != XML_STATUS_OK) {
    if (callback_error_) std::rethrow_exception(callback_error_);
    throw Error(fmt::format("{}: corrupt XML in {} at line {}: {}", archive_.path(), part_,
                            XML_GetCurrentLineNumber(parser_),
                            XML_ErrorString(XML_GetErrorCode(parser_))));
  }
  if (last) close();
  return !last;
}

}  // namespace custlens::io::xlsx
