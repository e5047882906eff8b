// Dense ids for strings in order of first appearance: one shared dictionary per key kind (customer
// ids, invoices, countries, ...) for the whole scan.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/kept_line.h"

namespace custlens::pipeline {

class Interner {
 public:
  /// The id of `text`, new ones numbered 0, 1, 2, ... The previous text is remembered: order
  /// files repeat the same invoice, customer and country line after line.
  std::uint32_t intern(std::string_view text) {
    if (last_ != kNoId && names_[last_] == text) return last_;
    auto it = ids_.find(text);
    if (it == ids_.end()) {
      // A deque never moves its strings, so the map's views into them stay valid.
      const std::string& name = names_.emplace_back(text);
      if (mirror_ != nullptr) mirror_->push_back(name);
      it = ids_.emplace(std::string_view(name), static_cast<std::uint32_t>(names_.size() - 1))
               .first;
    }
    return last_ = it->second;
  }
  std::size_t size() const { return names_.size(); }
  /// Also appends every new name to `mirror` (for analyses that read names while lines come).
  void mirror_to(std::vector<std::string>* mirror) { mirror_ = mirror; }
  /// The names by id; the interner is empty afterwards.
  std::vector<std::string> take_names() {
    ids_.clear();
    last_ = kNoId;
    std::vector<std::string> names;
    names.reserve(names_.size());
    for (std::string& name : names_) names.push_back(std::move(name));
    names_.clear();
    return names;
  }

 private:
  std::deque<std::string> names_;
  absl::flat_hash_map<std::string_view, std::uint32_t> ids_;
  std::uint32_t last_ = kNoId;
  std::vector<std::string>* mirror_ = nullptr;
};

}  // namespace custlens::pipeline
