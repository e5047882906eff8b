// Stratified seeded assignment of contacts to treatment and control.
#include "analysis/contact_assignment.h"

#include <absl/container/flat_hash_map.h>

#include <cmath>
#include <string_view>
#include <utility>

#include "custlens/error.h"
#include "io/generator_random.h"

namespace custlens::analysis {

std::vector<std::uint8_t> assign_control(std::span<const std::string> strata, double share,
                                         std::uint64_t seed) {
  if (!(share > 0 && share < 1)) throw Error("--control-share must be above 0 and below 1");
  std::vector<std::vector<std::size_t>> members;
  absl::flat_hash_map<std::string_view, std::size_t> stratum_of;
  for (std::size_t row = 0; row < strata.size(); ++row) {
    const auto [it, added] = stratum_of.try_emplace(strata[row], members.size());
    if (added) members.emplace_back();
    members[it->second].push_back(row);
  }
  io::generator::Rng rng(seed);
  std::vector<std::uint8_t> control(strata.size(), 0);
  for (std::vector<std::size_t>& rows : members) {
    for (std::size_t i = rows.size(); i > 1; --i) {
      const std::size_t j = rng.below(static_cast<std::uint32_t>(i));
      std::swap(rows[i - 1], rows[j]);
    }
    const auto controls =
        static_cast<std::size_t>(std::llround(share * static_cast<double>(rows.size())));
    for (std::size_t i = 0; i < controls && i < rows.size(); ++i) control[rows[i]] = 1;
  }
  return control;
}

}  // namespace custlens::analysis
