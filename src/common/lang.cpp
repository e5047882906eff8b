// Parsing of --lang and the dashboard's lang= parameter.
#include "custlens/lang.h"

#include <fmt/format.h>

#include "custlens/error.h"

namespace custlens {

Lang parse_lang(std::string_view text) {
  if (text == "en") return Lang::kEn;
  if (text == "zh") return Lang::kZh;
  throw Error(fmt::format("unknown language '{}'; use --lang en or --lang zh", text));
}

}  // namespace custlens
