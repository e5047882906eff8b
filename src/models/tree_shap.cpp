// TreeShap: per leaf, the path's distinct features with their zero fractions (cover of the child
// over the node's); for every pattern of met conditions the Shapley weights are summed once.
#include "models/tree_shap.h"

#include <tbb/parallel_for.h>

#include <cmath>
#include <nlohmann/json.hpp>

namespace custlens::models {
namespace {

// |S|! (k − |S| − 1)! / k!: the Shapley weight of a coalition of size s among k players.
double shapley_weight(int s, int k) {
  double w = 1.0 / k;
  // 1 / (k · C(k − 1, s))
  for (int i = 1; i <= s; ++i) w *= static_cast<double>(i) / static_cast<double>(k - i);
  return w;
}

}  // namespace

std::optional<TreeShap> TreeShap::from_xgboost_json(std::string_view json, int rounds) {
  const nlohmann::json model = nlohmann::json::parse(json);
  const nlohmann::json& learner = model.at("learner");
  const nlohmann::json& params = learner.at("learner_model_param");
  if (std::stoi(params.value("num_class", std::string("0"))) > 1) return std::nullopt;
  const double base_score = std::stod(params.at("base_score").get<std::string>());
  const std::string objective = learner.at("objective").at("name").get<std::string>();
  TreeShap shap;
  shap.features_ =
      static_cast<std::size_t>(std::stoul(params.at("num_feature").get<std::string>()));
  // The margin of the base score: log-odds for the logistic objectives, as is otherwise.
  shap.bias_ = objective.starts_with("binary:logistic") || objective == "reg:logistic"
                   ? std::log(base_score / (1 - base_score))
                   : base_score;
  const nlohmann::json& trees = learner.at("gradient_booster").at("model").at("trees");
  const std::size_t count = std::min<std::size_t>(trees.size(), static_cast<std::size_t>(rounds));
  for (std::size_t t = 0; t < count; ++t) {
    const nlohmann::json& j = trees[t];
    if (!j.value("categories_nodes", nlohmann::json::array()).empty()) return std::nullopt;
    const auto left = j.at("left_children").get<std::vector<int>>();
    const auto right = j.at("right_children").get<std::vector<int>>();
    const auto feature = j.at("split_indices").get<std::vector<int>>();
    const auto condition = j.at("split_conditions").get<std::vector<float>>();
    const auto default_left = j.at("default_left").get<std::vector<int>>();
    const auto cover = j.at("sum_hessian").get<std::vector<double>>();
    Tree tree;
    tree.nodes.resize(left.size());
    for (std::size_t n = 0; n < left.size(); ++n) {
      tree.nodes[n] = Node{left[n], right[n], feature[n], condition[n], default_left[n] != 0};
    }
    // Depth-first over the paths to every leaf.
    struct Step {
      int node;
      std::vector<int> path;
      std::vector<bool> goes_left;
    };
    std::vector<Step> stack{{0, {}, {}}};
    while (!stack.empty()) {
      Step step = std::move(stack.back());
      stack.pop_back();
      const Node& node = tree.nodes[static_cast<std::size_t>(step.node)];
      if (node.left >= 0) {
        for (const bool go_left : {false, true}) {
          Step next{go_left ? node.left : node.right, step.path, step.goes_left};
          next.path.push_back(step.node);
          next.goes_left.push_back(go_left);
          stack.push_back(std::move(next));
        }
        continue;
      }
      Leaf leaf;
      leaf.path = std::move(step.path);
      leaf.goes_left = std::move(step.goes_left);
      std::vector<double> zero;  // per distinct feature: product of the cover ratios
      for (std::size_t p = 0; p < leaf.path.size(); ++p) {
        const auto n = static_cast<std::size_t>(leaf.path[p]);
        const int child = leaf.goes_left[p] ? tree.nodes[n].left : tree.nodes[n].right;
        const double ratio = cover[static_cast<std::size_t>(child)] / cover[n];
        int slot = -1;
        for (std::size_t f = 0; f < leaf.features.size(); ++f) {
          if (leaf.features[f] == tree.nodes[n].feature) slot = static_cast<int>(f);
        }
        if (slot < 0) {
          slot = static_cast<int>(leaf.features.size());
          leaf.features.push_back(tree.nodes[n].feature);
          zero.push_back(1.0);
        }
        zero[static_cast<std::size_t>(slot)] *= ratio;
        leaf.slot.push_back(slot);
      }
      const int k = static_cast<int>(leaf.features.size());
      if (k > kMaxPathFeatures) return std::nullopt;
      const double value = condition[static_cast<std::size_t>(step.node)];  // a leaf's value
      // The leaf's share of the bias: its value times the chance of reaching it by cover.
      double reach = value;
      for (double z : zero) reach *= z;
      shap.bias_ += reach;
      // For every pattern of met conditions (bit f: the row meets every condition on feature f)
      // and every feature j: v · (o_j − z_j) · Σ_{S ⊆ U∖{j}} w(|S|, k) Π_{S} o Π_{U∖S∖{j}} z.
      leaf.table.assign((std::size_t{1} << k) * static_cast<std::size_t>(k), 0.0);
      for (std::uint32_t mask = 0; mask < (1u << k); ++mask) {
        for (int j = 0; j < k; ++j) {
          const double oj = (mask >> j) & 1u;
          double sum = 0;
          // Subsets S of the other features.
          const std::uint32_t others = ((1u << k) - 1) & ~(1u << j);
          for (std::uint32_t s = others;; s = (s - 1) & others) {
            double term = shapley_weight(std::popcount(s), k);
            for (int f = 0; f < k && term != 0; ++f) {
              if (f == j) continue;
              term *= ((s >> f) & 1u) != 0 ? static_cast<double>((mask >> f) & 1u)
                                           : zero[static_cast<std::size_t>(f)];
            }
            sum += term;
            if (s == 0) break;
          }
          leaf.table[mask * static_cast<std::size_t>(k) + static_cast<std::size_t>(j)] =
              value * (oj - zero[static_cast<std::size_t>(j)]) * sum;
        }
      }
      tree.leaves.push_back(std::move(leaf));
    }
    shap.trees_.push_back(std::move(tree));
  }
  return shap;
}

std::vector<float> TreeShap::contributions(const FeatureMatrix& x) const {
  const std::size_t width = features_ + 1;
  std::vector<float> out(x.rows * width, 0.0f);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, x.rows, 512),
      [&](const tbb::blocked_range<std::size_t>& range) {
        std::vector<double> phi(width);
        std::vector<char> left;
        for (std::size_t r = range.begin(); r != range.end(); ++r) {
          std::fill(phi.begin(), phi.end(), 0.0);
          const float* row = x.values.data() + r * x.cols();
          for (const Tree& tree : trees_) {
            // Which way the row goes at every internal node.
            left.assign(tree.nodes.size(), 0);
            for (std::size_t n = 0; n < tree.nodes.size(); ++n) {
              const Node& node = tree.nodes[n];
              if (node.left < 0) continue;
              const float v =
                  static_cast<std::size_t>(node.feature) < x.cols() ? row[node.feature] : NAN;
              left[n] = std::isnan(v) ? node.default_left : v < node.threshold;
            }
            for (const Leaf& leaf : tree.leaves) {
              const std::size_t k = leaf.features.size();
              std::uint32_t mask = (1u << k) - 1;
              for (std::size_t p = 0; p < leaf.path.size(); ++p) {
                if ((left[static_cast<std::size_t>(leaf.path[p])] != 0) != leaf.goes_left[p]) {
                  mask &= ~(1u << leaf.slot[p]);
                }
              }
              const double* t = leaf.table.data() + mask * k;
              for (std::size_t j = 0; j < k; ++j)
                phi[static_cast<std::size_t>(leaf.features[j])] += t[j];
            }
          }
          float* o = out.data() + r * width;
          for (std::size_t j = 0; j < features_; ++j) o[j] = static_cast<float>(phi[j]);
          o[features_] = static_cast<float>(bias_);
        }
      });
  return out;
}

}  // namespace custlens::models
