// Embeds the web/ assets. Why .incbin: the assembler copies the files' bytes, so there is no
// multi-megabyte generated array to compile (slow under ASan), and CMake's OBJECT_DEPENDS
// rebuilds only this object when an asset changes.
#include "report/assets.h"

#ifndef CUSTLENS_WEB_DIR
#error "CUSTLENS_WEB_DIR must name the web/ folder (set by CMakeLists.txt)"
#endif

// Defines custlens_asset_NAME and custlens_asset_NAME_end around the bytes of FILE (hidden, so
// the symbols stay inside the binary) and declares them for C++.
#define CUSTLENS_INCBIN(name, file)              \
  __asm__(                                       \
      ".pushsection .rodata\n"                   \
      ".balign 16\n"                             \
      ".globl custlens_asset_" #name             \
      "\n"                                       \
      ".hidden custlens_asset_" #name            \
      "\n"                                       \
      "custlens_asset_" #name                    \
      ":\n"                                      \
      ".incbin \"" CUSTLENS_WEB_DIR "/" file     \
      "\"\n"                                     \
      ".globl custlens_asset_" #name             \
      "_end\n"                                   \
      ".hidden custlens_asset_" #name            \
      "_end\n"                                   \
      "custlens_asset_" #name                    \
      "_end:\n"                                  \
      ".byte 0\n"                                \
      ".popsection\n");                          \
  extern "C" const char custlens_asset_##name[]; \
  extern "C" const char custlens_asset_##name##_end[]

CUSTLENS_INCBIN(echarts_js, "node_modules/echarts/dist/echarts.min.js");
CUSTLENS_INCBIN(report_js, "report.js");
CUSTLENS_INCBIN(report_css, "report.css");
CUSTLENS_INCBIN(page, "report.html");

namespace custlens::report {
namespace {

std::string_view bytes(const char* begin, const char* end) {
  return {begin, static_cast<std::size_t>(end - begin)};
}

}  // namespace

const ReportAssets& report_assets() {
  static const ReportAssets assets{
      bytes(custlens_asset_echarts_js, custlens_asset_echarts_js_end),
      bytes(custlens_asset_report_js, custlens_asset_report_js_end),
      bytes(custlens_asset_report_css, custlens_asset_report_css_end),
      bytes(custlens_asset_page, custlens_asset_page_end),
  };
  return assets;
}

}  // namespace custlens::report
