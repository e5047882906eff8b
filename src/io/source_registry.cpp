// The table of input sources and the choice of one for an input.
#include "io/source_registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "custlens/error.h"

namespace custlens::io {
namespace {

std::vector<SourceSpec>& mutable_registry() {
  static std::vector<SourceSpec> sources;
  return sources;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The claiming source of highest priority (the first registered among equals), or null.
template <typename Claims>
const SourceSpec* best(Claims claims) {
  const SourceSpec* found = nullptr;
  for (const SourceSpec& spec : source_registry()) {
    if (claims(spec) && (!found || spec.priority > found->priority)) found = &spec;
  }
  return found;
}

}  // namespace

const std::vector<SourceSpec>& source_registry() { return mutable_registry(); }

SourceRegistrar::SourceRegistrar(SourceSpec spec) { mutable_registry().push_back(std::move(spec)); }

std::vector<std::string> source_names() {
  std::vector<std::string> names;
  for (const SourceSpec& spec : source_registry()) names.push_back(spec.name);
  std::sort(names.begin(), names.end());
  return names;
}

const SourceSpec& find_source(std::string_view name) {
  for (const SourceSpec& spec : source_registry()) {
    if (spec.name == name) return spec;
  }
  throw Error(fmt::format("--format '{}' is not an input format; the formats are {}", name,
                          fmt::join(source_names(), ", ")));
}

const SourceSpec* url_source(std::string_view input) {
  return best([&](const SourceSpec& spec) {
    return std::any_of(spec.url_prefixes.begin(), spec.url_prefixes.end(),
                       [&](const std::string& prefix) { return input.starts_with(prefix); });
  });
}

std::size_t signature_bytes() {
  std::size_t bytes = 0;
  for (const SourceSpec& spec : source_registry()) {
    if (spec.signature) bytes = std::max(bytes, spec.signature_bytes);
  }
  return bytes;
}

const SourceSpec* recognise_source(const std::string& path, std::string_view head, bool stream) {
  if (const SourceSpec* by_content =
          best([&](const SourceSpec& spec) { return spec.signature && spec.signature(head); })) {
    return by_content;
  }
  if (!stream) {
    const std::string extension = lower(std::filesystem::path(path).extension().string());
    if (const SourceSpec* by_name = best([&](const SourceSpec& spec) {
          return !extension.empty() && std::find(spec.extensions.begin(), spec.extensions.end(),
                                                 extension) != spec.extensions.end();
        })) {
      return by_name;
    }
  }
  return best([](const SourceSpec& spec) { return spec.fallback; });
}

}  // namespace custlens::io
