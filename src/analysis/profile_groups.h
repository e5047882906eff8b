// The grouped views of a profile analysis: tier × category, regions, tier × region and the
// chi-square tests, each from the table and the customers' profile tiers.
#pragma once

#include <span>
#include <vector>

#include "custlens/profile.h"

namespace custlens::analysis {

/// Mean of the non-NaN values, summed as pandas' groupby mean does (Kahan, input order); NaN
/// when there is none.
double mean_present(std::span<const double> values);

/// Needs table.category; the quadrant needs table.aov and the cross pairs table.interest.
ProfileTierCategory tier_by_category(const ProfileTable& table, std::span<const ProfileTier> tier);

/// Needs table.region.
ProfileRegions profile_regions(const ProfileTable& table, std::span<const ProfileTier> tier);

/// tier × region, then gender, category and interest × region, for the columns that exist.
/// Empty without a region column.
std::vector<ChiSquareResult> profile_chi_square_tests(const ProfileTable& table,
                                                      std::span<const ProfileTier> tier);

}  // namespace custlens::analysis
