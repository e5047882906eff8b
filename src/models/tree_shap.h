// Exact path-dependent SHAP values (Lundberg et al.'s TreeSHAP, as XGBoost computes them) for
// shallow trees, by table: a leaf's share of each feature depends only on which of its path's
// conditions a row meets, so every pattern is computed once per leaf and a row costs one lookup
// per leaf. Written by hand because XGBoost 1.7's TreeSHAP was 75 % of `predict`'s CPU time on
// 2 M lines (bench/RESULTS.md); results equal XGBoost's to float rounding (tested).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "models/feature_matrix.h"

namespace custlens::models {

class TreeShap {
 public:
  /// The first `rounds` trees of a single-output XGBoost model in its JSON format; nullopt when
  /// a path has more than kMaxPathFeatures distinct features (the tables would be too big) or
  /// the model holds categorical splits: use XGBoost's own contributions then.
  static std::optional<TreeShap> from_xgboost_json(std::string_view json, int rounds);

  /// rows × (cols + 1) contributions to the margin, the bias last (XGBoost's layout).
  std::vector<float> contributions(const FeatureMatrix& x) const;

  static constexpr int kMaxPathFeatures = 6;

 private:
  struct Node {
    int left = -1, right = -1;  // -1: a leaf
    int feature = 0;
    float threshold = 0;
    bool default_left = false;
  };
  struct Leaf {
    std::vector<int> path;        // internal nodes from the root, with the direction below
    std::vector<bool> goes_left;  // the direction the path takes at each of them
    std::vector<int> slot;        // index into features of the node's feature
    std::vector<int> features;    // distinct features of the path
    std::vector<double> table;    // [mask][j]: 2^k × k contributions
  };
  struct Tree {
    std::vector<Node> nodes;
    std::vector<Leaf> leaves;
  };
  std::vector<Tree> trees_;
  double bias_ = 0;
  std::size_t features_ = 0;
};

}  // namespace custlens::models
