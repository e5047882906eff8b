// The `xlsx` source: the first (or --sheet) sheet of an Excel workbook (io/xlsx.cpp), from a file
// only: a zip is read from its end.
#include <string_view>

#include "io/source_registry.h"

namespace custlens::io {
namespace {

// A zip's local file header: every .xlsx/.xlsm workbook starts with one.
bool starts_like_zip(std::string_view head) {
  return head.starts_with(std::string_view("PK\3\4", 4));
}

SourceSpec xlsx_source() {
  SourceSpec spec;
  spec.name = "xlsx";
  spec.description = "Excel workbooks (.xlsx, .xlsm): one sheet, streamed; files only";
  spec.extensions = {".xlsx", ".xlsm"};
  spec.signature = starts_like_zip;
  spec.signature_bytes = 4;
  spec.priority = 10;  // a zip named .csv is still a workbook
  spec.open_file = open_xlsx;
  spec.stream_refusal =
      "an XLSX workbook cannot be read from a pipe or standard input (a zip is read from its end)";
  return spec;
}

}  // namespace

CUSTLENS_REGISTER_SOURCE(xlsx, xlsx_source());

}  // namespace custlens::io
