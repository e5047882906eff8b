// The sink registry, the one-pass writers over it, and summary.json made once per run.
#include "report/sinks/sink.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "custlens/error.h"

namespace custlens::report {
namespace {

std::vector<SinkSpec>& registry() {
  static std::vector<SinkSpec> sinks;
  return sinks;
}

std::vector<std::string> sink_names() {
  std::vector<std::string> names;
  for (const SinkSpec& sink : registered_sinks()) names.push_back(sink.name);
  return names;
}

}  // namespace

const nlohmann::json& SinkResults::summary_json() const {
  if (!json_) {
    json_ = orders_ ? summary_to_json(*orders_) : profile_summary_json(*profile_);
  }
  return *json_;
}

SinkRegistrar::SinkRegistrar(SinkSpec spec) {
  if ((spec.write == nullptr) == (spec.open_rejects == nullptr)) {
    throw std::logic_error(fmt::format("sink '{}' must have exactly one form", spec.name));
  }
  for (const SinkSpec& existing : registry()) {
    if (existing.name == spec.name) {
      throw std::logic_error(fmt::format("sink '{}' registered twice", spec.name));
    }
  }
  registry().push_back(std::move(spec));
}

std::vector<SinkSpec> registered_sinks() {
  std::vector<SinkSpec> sinks = registry();
  std::sort(sinks.begin(), sinks.end(), [](const SinkSpec& a, const SinkSpec& b) {
    return std::tie(a.order, a.name) < std::tie(b.order, b.name);
  });
  return sinks;
}

const SinkSpec& find_sink(std::string_view name) {
  for (const SinkSpec& sink : registry()) {
    if (sink.name == name) return sink;
  }
  throw Error(
      fmt::format("no output named '{}'; the outputs are {}", name, fmt::join(sink_names(), ", ")));
}

std::vector<std::string> write_sinks(const SinkResults& results, const SinkContext& context,
                                     const std::filesystem::path& folder) {
  std::vector<std::string> written;
  for (const SinkSpec& sink : registered_sinks()) {
    if (sink.write && sink.write(results, context, folder / sink.name, false)) {
      written.push_back(sink.name);
    }
  }
  return written;
}

void write_sink(std::string_view name, const SinkResults& results, const SinkContext& context,
                const std::filesystem::path& path) {
  const SinkSpec& sink = find_sink(name);
  if (!sink.write) throw Error(fmt::format("{} is written as the input is read", name));
  if (!sink.write(results, context, path, true)) {
    throw Error(fmt::format("{}: {} has nothing to write for these results", path.string(), name));
  }
}

std::unique_ptr<RejectWriter> open_reject_sink(std::string_view name, const SinkContext& context,
                                               const std::filesystem::path& path) {
  const SinkSpec& sink = find_sink(name);
  if (!sink.open_rejects) throw Error(fmt::format("{} is not an output of rejected rows", name));
  return sink.open_rejects(context, path);
}

}  // namespace custlens::report
