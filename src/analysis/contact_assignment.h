// The seeded treatment/control assignment of `custlens contacts` (docs/campaign.md, "Making a
// contact list"): a stratified random split, reproducible from its seed.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace custlens::analysis {

/// Per row, 1 for control and 0 for treatment. Rows with the same `strata` value form a stratum;
/// strata are drawn in order of first appearance from one generator seeded with `seed`: each
/// stratum's rows shuffled (Fisher-Yates), the first round(share x size) of them control.
/// Throws custlens::Error unless 0 < share < 1.
std::vector<std::uint8_t> assign_control(std::span<const std::string> strata, double share,
                                         std::uint64_t seed);

}  // namespace custlens::analysis
