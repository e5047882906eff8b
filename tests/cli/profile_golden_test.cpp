// Golden tests of `custlens profile` against the independent pandas / scikit-learn / scipy
// reference (tests/reference/profile_reference.py): for every tests/reference/golden/profile/
// <case>.json, runs the CLI with the case's arguments and --json, and compares
//   * input, rfm, tiers, tier_category, regions, tier_region and chi_square field by field:
//     numbers to 1e-9 relative, counts, names, levels and flags exactly;
//   * clusters (where the golden has them): for every k our inertia is at most scikit-learn's
//     × 1.001 (the bound; the random streams differ, so equality is not expected); the
//     PCA (explained variance, loadings, the first rows' coordinates) to 1e-9; and our
//     silhouette of scikit-learn's own k = 4 labels equal to scikit-learn's to 1e-9.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "custlens/ingest.h"
#include "custlens/profile.h"
#include "models/kmeans.h"
#include "support/cli_runner.h"
#include "support/json_compare.h"

namespace custlens {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kProfileTolerance = 1e-9;
constexpr double kInertiaBound = 1.001;

fs::path profile_golden_dir() { return fs::path(CUSTLENS_REFERENCE_DIR) / "golden" / "profile"; }

std::vector<std::string> profile_golden_cases() {
  std::vector<std::string> cases;
  for (const auto& entry : fs::directory_iterator(profile_golden_dir())) {
    if (entry.path().extension() == ".json") cases.push_back(entry.path().stem().string());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

json golden(const std::string& name) {
  std::ifstream in(profile_golden_dir() / (name + ".json"));
  return json::parse(in);
}

class ProfileGoldenTest : public testing::CliTest,
                          public ::testing::WithParamInterface<std::string> {
 protected:
  json run_case(const json& case_json) {
    std::string arguments = "profile '" + std::string(CUSTLENS_TEST_DATA) + "/" +
                            case_json.at("input").get<std::string>() + "'";
    for (const auto& arg : case_json.at("args")) arguments += " '" + arg.get<std::string>() + "'";
    EXPECT_EQ(run(arguments + " --json --quiet"), 0) << err();
    return json::parse(out());
  }
};

TEST_P(ProfileGoldenTest, MatchesTheReference) {
  const json case_json = golden(GetParam());
  const json actual = run_case(case_json);
  const json& expected = case_json.at("expected");
  testing::JsonComparer comparer(kProfileTolerance);
  for (const auto& [key, value] : expected.items()) {
    if (key == "clusters") continue;
    ASSERT_TRUE(actual.contains(key)) << key;
    comparer.compare(value, actual.at(key), key);
  }
  for (const auto& difference : comparer.differences) ADD_FAILURE() << difference;
  std::cout << "[ golden   ] " << GetParam() << ": max relative deviation " << comparer.max_relative
            << " (" << comparer.max_path << ")\n";
}

TEST_P(ProfileGoldenTest, ClustersWithinTheScikitLearnBound) {
  const json case_json = golden(GetParam());
  const json& expected = case_json.at("expected");
  if (!expected.contains("clusters")) GTEST_SKIP() << "no clusters in this golden";
  const json actual = run_case(case_json).at("clusters");
  const json& reference = expected.at("clusters");

  const json& ours = actual.at("elbow");
  const json& theirs = reference.at("elbow");
  ASSERT_EQ(ours.size(), theirs.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    ASSERT_EQ(ours[i].at("k"), theirs[i].at("k"));
    const double ratio =
        ours[i].at("inertia").get<double>() / theirs[i].at("inertia").get<double>();
    EXPECT_LE(ratio, kInertiaBound) << "k = " << ours[i].at("k");
    std::cout << "[ inertia  ] k = " << ours[i].at("k") << ": custlens / scikit-learn = " << ratio
              << "\n";
  }

  testing::JsonComparer comparer(kProfileTolerance);
  const json& pca = reference.at("pca");
  comparer.compare(pca.at("explained_variance_ratio"),
                   actual.at("pca").at("explained_variance_ratio"), "pca.explained_variance_ratio");
  comparer.compare(pca.at("loadings"), actual.at("pca").at("loadings"), "pca.loadings");
  const json& head = pca.at("points_head");
  json our_head = json::array();
  for (std::size_t i = 0; i < head.size(); ++i)
    our_head.push_back(actual.at("pca").at("points")[i]);
  comparer.compare(head, our_head, "pca.points");
  for (const auto& difference : comparer.differences) ADD_FAILURE() << difference;
}

TEST(ProfileGoldenSilhouetteTest, OurSilhouetteOfScikitLearnsLabelsIsScikitLearns) {
  const json fixed =
      golden("user_personalized_features").at("expected").at("clusters").at("fixed_labels");
  const json features =
      golden("user_personalized_features").at("expected").at("clusters").at("features");
  // The standardised features, read through the profile path as `custlens profile` reads them.
  std::vector<std::string> inputs{std::string(CUSTLENS_TEST_DATA) +
                                  "/user_personalized_features.csv"};
  ReadOptions read;
  read.threads = 1;
  const std::vector<std::string> header = read_header(inputs.front(), read);
  const ProfileRoleMap roles = detect_profile_roles(header);
  const ProfileClean clean = clean_profiles(
      read_dataset(inputs, profile_read_options(header, roles, read)), header, roles);
  const std::size_t n = clean.table.size(), d = features.size();
  ASSERT_EQ(n, fixed.at("labels").size());
  std::vector<double> z(n * d);
  for (std::size_t j = 0; j < d; ++j) {
    const std::vector<double>& column =
        *clean.table.numbers(*parse_profile_role(features[j].get<std::string>()));
    double mean = 0, var = 0;
    for (double v : column) mean += v / static_cast<double>(n);
    for (double v : column) var += (v - mean) * (v - mean) / static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i) z[i * d + j] = (column[i] - mean) / std::sqrt(var);
  }
  std::vector<std::int32_t> labels;
  for (const json& label : fixed.at("labels")) labels.push_back(label.get<std::int32_t>());
  const std::vector<std::span<const std::int32_t>> labelings = {labels};
  const models::SilhouetteScores scores =
      models::silhouette_scores({z, n, d}, labelings, 20000, 42);
  EXPECT_FALSE(scores.sampled);
  EXPECT_NEAR(scores.mean[0], fixed.at("silhouette").get<double>(),
              kProfileTolerance * fixed.at("silhouette").get<double>());
}

INSTANTIATE_TEST_SUITE_P(Profile, ProfileGoldenTest, ::testing::ValuesIn(profile_golden_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace custlens
