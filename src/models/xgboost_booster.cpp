// Booster: the XGBoost C API behind RAII handles; every failing call becomes a custlens::Error.
#include "models/xgboost_booster.h"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <charconv>
#include <cmath>
#include <mutex>
#include <string_view>
#include <thread>

#include "custlens/error.h"

namespace custlens::models {
namespace {

void check(int status, std::string_view what) {
  if (status != 0) throw Error(fmt::format("XGBoost {} failed: {}", what, XGBGetLastError()));
}

void quiet_once() {
  static std::once_flag once;
  std::call_once(once, [] { check(XGBSetGlobalConfig(R"({"verbosity": 0})"), "configuration"); });
}

// A DMatrix freed on scope exit.
class Matrix {
 public:
  Matrix(const FeatureMatrix& x, int threads) {
    if (x.values.size() != x.rows * x.cols()) {
      throw Error("XGBoost input: the feature matrix's size does not match its rows and columns");
    }
    check(XGDMatrixCreateFromMat_omp(x.values.data(), x.rows, x.cols(), NAN, &handle_, threads),
          "DMatrix creation");
  }
  ~Matrix() { XGDMatrixFree(handle_); }
  Matrix(const Matrix&) = delete;
  Matrix& operator=(const Matrix&) = delete;
  DMatrixHandle get() const { return handle_; }
  void set_labels(std::span<const float> y) {
    check(XGDMatrixSetFloatInfo(handle_, "label", y.data(), y.size()), "label");
  }

 private:
  DMatrixHandle handle_ = nullptr;
};

std::string number(double value) { return fmt::format("{}", value); }

int resolved_threads(int threads) {
  if (threads > 0) return threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// "[12]\tvalid-logloss:0.4321" -> 0.4321 (the last metric printed).
double parse_eval(const char* text) {
  const std::string_view s(text);
  const std::size_t colon = s.rfind(':');
  double value = NAN;
  if (colon != std::string_view::npos) {
    std::from_chars(s.data() + colon + 1, s.data() + s.size(), value);
  }
  if (!std::isfinite(value)) throw Error(fmt::format("XGBoost evaluation unreadable: {}", s));
  return value;
}

// Metrics XGBoost maximises; every other one is minimised.
bool higher_is_better(std::string_view metric) {
  return metric == "auc" || metric == "aucpr" || metric.starts_with("ndcg") ||
         metric.starts_with("map");
}

}  // namespace

std::vector<std::pair<std::string, std::string>> booster_parameter_list(const BoosterParams& p) {
  std::vector<std::pair<std::string, std::string>> list = {
      {"objective", p.objective},
      {"tree_method", "hist"},
      {"max_depth", std::to_string(p.max_depth)},
      {"eta", number(p.eta)},
      {"subsample", number(p.subsample)},
      {"colsample_bytree", number(p.colsample_bytree)},
      {"min_child_weight", number(p.min_child_weight)},
      {"lambda", number(p.lambda)},
      {"max_bin", std::to_string(p.max_bin)},
      {"seed", std::to_string(p.seed)},
  };
  if (!p.eval_metric.empty()) list.emplace_back("eval_metric", p.eval_metric);
  return list;
}

Booster Booster::train(const FeatureMatrix& x, std::span<const float> y,
                       const BoosterParams& params, const Validation& validation) {
  quiet_once();
  if (y.size() != x.rows) throw Error("XGBoost input: one label per row is needed");
  if (x.rows == 0) throw Error("XGBoost input: no rows to train on");
  Booster booster;
  booster.cols_ = x.cols();
  booster.threads_ = resolved_threads(params.threads);
  Matrix train(x, booster.threads_);
  train.set_labels(y);
  std::unique_ptr<Matrix> valid;
  if (validation.x != nullptr && validation.x->rows > 0) {
    valid = std::make_unique<Matrix>(*validation.x, booster.threads_);
    valid->set_labels(validation.y);
  }
  DMatrixHandle cache[2] = {train.get(), valid ? valid->get() : nullptr};
  BoosterHandle handle = nullptr;
  check(XGBoosterCreate(cache, valid ? 2 : 1, &handle), "booster creation");
  booster.handle_ = handle;
  for (const auto& [name, value] : booster_parameter_list(params)) {
    check(XGBoosterSetParam(handle, name.c_str(), value.c_str()), "parameter " + name);
  }
  const std::string threads = std::to_string(booster.threads_);
  check(XGBoosterSetParam(handle, "nthread", threads.c_str()), "parameter nthread");

  int best = -1;
  double best_score = 0;
  const bool maximise = higher_is_better(params.eval_metric);
  for (int round = 0; round < params.rounds; ++round) {
    check(XGBoosterUpdateOneIter(handle, round, train.get()), "training");
    if (!valid) continue;
    DMatrixHandle sets[1] = {valid->get()};
    const char* names[1] = {"valid"};
    const char* result = nullptr;
    check(XGBoosterEvalOneIter(handle, round, sets, names, 1, &result), "evaluation");
    const double score = parse_eval(result);
    booster.curve_.push_back(score);
    if (best < 0 || (maximise ? score > best_score : score < best_score)) {
      best = round;
      best_score = score;
    } else if (round - best >= params.early_stopping_rounds) {
      break;
    }
  }
  booster.rounds_ = valid ? best + 1 : params.rounds;
  return booster;
}

Booster::Booster(Booster&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      cols_(other.cols_),
      rounds_(other.rounds_),
      threads_(other.threads_),
      curve_(std::move(other.curve_)) {}

Booster& Booster::operator=(Booster&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) XGBoosterFree(handle_);
    handle_ = std::exchange(other.handle_, nullptr);
    cols_ = other.cols_;
    rounds_ = other.rounds_;
    threads_ = other.threads_;
    curve_ = std::move(other.curve_);
  }
  return *this;
}

Booster::~Booster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

namespace {

std::vector<float> predict_kind(void* handle, const FeatureMatrix& x, int type, int rounds,
                                int threads, std::size_t per_row) {
  if (x.rows == 0) return {};
  Matrix data(x, threads);
  const std::string config =
      fmt::format(R"({{"type": {}, "training": false, "iteration_begin": 0, "iteration_end": {}, )"
                  R"("strict_shape": false}})",
                  type, rounds);
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDMatrix(handle, data.get(), config.c_str(), &shape, &dims, &result),
        "prediction");
  bst_ulong size = 1;
  for (bst_ulong d = 0; d < dims; ++d) size *= shape[d];
  if (size != x.rows * per_row) throw Error("XGBoost prediction: unexpected result shape");
  return {result, result + size};
}

}  // namespace

std::vector<float> Booster::predict(const FeatureMatrix& x) const {
  if (x.cols() != cols_) throw Error("XGBoost prediction: feature columns differ from the fit's");
  return predict_kind(handle_, x, 0, rounds_, threads_, 1);
}

std::vector<float> Booster::contributions(const FeatureMatrix& x) const {
  if (x.cols() != cols_)
    throw Error("XGBoost contributions: feature columns differ from the fit's");
  return predict_kind(handle_, x, 2, rounds_, threads_, cols_ + 1);
}

std::vector<Booster::Gain> Booster::gain_importance() const {
  // Trees past the kept rounds are in the model too: score a slice of the kept ones.
  BoosterHandle sliced = nullptr;
  check(XGBoosterSlice(handle_, 0, rounds_, 1, &sliced), "slicing");
  std::vector<Gain> gain(cols_);
  std::string message;
  for (const bool total : {true, false}) {
    bst_ulong count = 0;
    const char** features = nullptr;
    bst_ulong dims = 0;
    const bst_ulong* shape = nullptr;
    const float* scores = nullptr;
    const char* config =
        total ? R"({"importance_type": "total_gain"})" : R"({"importance_type": "gain"})";
    if (XGBoosterFeatureScore(sliced, config, &count, &features, &dims, &shape, &scores) != 0) {
      message = XGBGetLastError();
      break;
    }
    for (bst_ulong i = 0; i < count; ++i) {
      // Without feature names XGBoost calls column j "f<j>".
      const std::string_view name(features[i]);
      std::size_t column = 0;
      if (name.size() > 1 && name[0] == 'f' &&
          std::from_chars(name.data() + 1, name.data() + name.size(), column).ec == std::errc() &&
          column < cols_) {
        (total ? gain[column].total : gain[column].average) = scores[i];
      }
    }
  }
  XGBoosterFree(sliced);
  if (!message.empty()) throw Error(fmt::format("XGBoost importance failed: {}", message));
  return gain;
}

std::string Booster::to_json() const {
  bst_ulong length = 0;
  const char* buffer = nullptr;
  check(XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &length, &buffer),
        "model export");
  return {buffer, length};
}

}  // namespace custlens::models
