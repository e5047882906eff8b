// Dense ids for strings in order of first appearance: one shared dictionary per key kind (customer
// ids, invoices, countries, ...) for the whole scan.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/kept_line.h"

namespace custlens::pipeline {

class Interner {
 public:
  /// keep_names = false: only ids are handed out (invoice numbers: no analysis prints them),
  /// which saves the name list (16 bytes per key plus the strings made at the end).
  explicit Interner(bool keep_names = true) : keep_names_(keep_names) {}

  /// The id of `text`, new ones numbered 0, 1, 2, ... The previous text is remembered: order
  /// files repeat the same invoice, customer and country line after line.
  std::uint32_t intern(std::string_view text) {
    if (last_ != kNoId && last_text_ == text) return last_;
    auto it = ids_.find(text);
    if (it == ids_.end()) {
      const std::string_view key = store(text);
      it = ids_.emplace(key, static_cast<std::uint32_t>(ids_.size())).first;
      if (keep_names_) views_.push_back(key);
      if (mirror_ != nullptr) mirror_->emplace_back(key);
    }
    last_text_ = it->first;
    return last_ = it->second;
  }
  /// The id of `text` if it has one, else kNoId; adds nothing.
  std::uint32_t find(std::string_view text) const {
    const auto it = ids_.find(text);
    return it == ids_.end() ? kNoId : it->second;
  }
  std::size_t size() const { return ids_.size(); }
  /// Also appends every new name to `mirror` (for analyses that read names while lines come).
  void mirror_to(std::vector<std::string>* mirror) { mirror_ = mirror; }
  /// The names by id (empty without keep_names); the interner is empty afterwards.
  std::vector<std::string> take_names() {
    ids_ = {};
    std::vector<std::string> names(views_.begin(), views_.end());
    views_ = {};
    blocks_.clear();
    big_.clear();
    last_ = kNoId;
    return names;
  }

 private:
  // Keys live in blocks that never move, so the map's views stay valid: a few bytes per key
  // instead of a std::string (32 bytes) each.
  std::string_view store(std::string_view text) {
    constexpr std::size_t kBlock = std::size_t{1} << 20;
    if (text.size() > kBlock / 4) {  // a key of its own
      big_.push_back(std::make_unique<char[]>(text.size()));
      std::memcpy(big_.back().get(), text.data(), text.size());
      return {big_.back().get(), text.size()};
    }
    if (blocks_.empty() || used_ + text.size() > kBlock) {
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    if (!text.empty()) std::memcpy(at, text.data(), text.size());
    used_ += text.size();
    return {at, text.size()};
  }

  bool keep_names_;
  std::vector<std::unique_ptr<char[]>> blocks_, big_;
  std::size_t used_ = 0;
  absl::flat_hash_map<std::string_view, std::uint32_t> ids_;
  std::vector<std::string_view> views_;
  std::uint32_t last_ = kNoId;
  std::string_view last_text_;
  std::vector<std::string>* mirror_ = nullptr;
};

}  // namespace custlens::pipeline
