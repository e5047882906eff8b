// The classifier registry: names to factories, filled by the static registrars of
// src/models/classifiers/.
#include "models/classifier.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "custlens/error.h"

namespace custlens::models {
namespace {

std::map<std::string, ClassifierFactory, std::less<>>& registry() {
  static std::map<std::string, ClassifierFactory, std::less<>> factories;
  return factories;
}

}  // namespace

ClassifierRegistrar::ClassifierRegistrar(std::string name, ClassifierFactory factory) {
  registry().emplace(std::move(name), factory);
}

std::unique_ptr<Classifier> make_classifier(std::string_view name,
                                            const ClassifierOptions& options) {
  const auto found = registry().find(name);
  if (found == registry().end()) {
    throw Error(fmt::format("unknown model '{}' (choose one of: {})", name,
                            fmt::join(classifier_names(), ", ")));
  }
  return found->second(options);
}

std::vector<std::string> classifier_names() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

}  // namespace custlens::models
