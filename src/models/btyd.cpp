// The buy-till-you-die registry (names to factories, filled by src/models/btyd/) and the grouping
// of customers by their calibration summary.
#include "models/btyd.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

#include "custlens/error.h"

namespace custlens::models {
namespace {

std::map<std::string, BtydFactory, std::less<>>& registry() {
  static std::map<std::string, BtydFactory, std::less<>> factories;
  return factories;
}

}  // namespace

BtydRegistrar::BtydRegistrar(std::string name, BtydFactory factory) {
  registry().emplace(std::move(name), factory);
}

std::unique_ptr<BtydModel> make_btyd_model(std::string_view name) {
  const auto found = registry().find(name);
  if (found == registry().end()) {
    throw Error(fmt::format("unknown model '{}' (choose one of: {})", name,
                            fmt::join(btyd_model_names(), ", ")));
  }
  return found->second();
}

std::vector<std::string> btyd_model_names() {
  static const std::vector<std::string> kFirst = {"bgnbd", "mbgnbd", "pareto_nbd"};
  std::vector<std::string> names;
  for (const std::string& name : kFirst) {
    if (registry().contains(name)) names.push_back(name);
  }
  for (const auto& entry : registry()) {
    if (std::find(kFirst.begin(), kFirst.end(), entry.first) == kFirst.end()) {
      names.push_back(entry.first);
    }
  }
  return names;
}

RfGroups group_summary(const RfSummary& summary, std::size_t stride) {
  stride = std::max<std::size_t>(stride, 1);
  std::vector<std::size_t> order;
  order.reserve(summary.size() / stride + 1);
  for (std::size_t i = 0; i < summary.size(); i += stride) order.push_back(i);
  const auto key = [&](std::size_t i) {
    return std::tie(summary.x[i], summary.t_x[i], summary.T[i]);
  };
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  RfGroups groups;
  for (std::size_t i : order) {
    if (!groups.x.empty() && groups.x.back() == summary.x[i] &&
        groups.t_x.back() == summary.t_x[i] && groups.T.back() == summary.T[i]) {
      groups.weight.back() += 1;
      continue;
    }
    groups.x.push_back(summary.x[i]);
    groups.t_x.push_back(summary.t_x[i]);
    groups.T.push_back(summary.T[i]);
    groups.weight.push_back(1);
    groups.max_x = std::max(groups.max_x, static_cast<int>(summary.x[i]));
  }
  return groups;
}

BtydFit fit_btyd(const BtydModel& model, const RfSummary& summary, std::size_t search_sample) {
  double repeats = 0, observed = 0;
  for (std::size_t i = 0; i < summary.size(); ++i) {
    repeats += summary.x[i];
    observed += summary.T[i];
  }
  if (repeats <= 0 || observed <= 0) {
    throw Error(
        fmt::format("{}: no customer bought on two different days in the calibration "
                    "period, so nothing identifies purchase rates and dropout",
                    model.title()));
  }
  const RfGroups full = group_summary(summary);
  const std::size_t stride =
      summary.size() > search_sample ? (summary.size() + search_sample - 1) / search_sample : 1;
  const RfGroups sample = stride > 1 ? group_summary(summary, stride) : RfGroups{};
  const auto function = [&model](const RfGroups& groups) {
    return LogLikelihood([&model, &groups](std::span<const double> x, std::span<double> g) {
      const BtydParams lp = {x[0], x[1], x[2], x[3]};
      return model.log_likelihood(lp, groups, std::span<double, 4>(g.data(), 4));
    });
  };
  const LogLikelihood on_full = function(full);
  const LogLikelihood on_sample = function(sample);
  std::vector<std::vector<double>> starts;
  for (const BtydParams& start :
       model.starts(repeats / observed, observed / static_cast<double>(summary.size()))) {
    starts.emplace_back(start.begin(), start.end());
  }
  const MleResult mle = stride > 1 ? maximise_log_likelihood(on_sample, &on_full, starts)
                                   : maximise_log_likelihood(on_full, nullptr, starts);
  BtydFit fit;
  fit.model = std::string(model.name());
  fit.title = std::string(model.title());
  for (std::size_t k = 0; k < 4; ++k) fit.params[k] = std::exp(mle.log_params[k]);
  const auto names = model.parameter_names();
  static_cast<MleSummary&>(fit) = summarise_mle(mle, names);
  const double bound = MleOptions{}.bound;
  for (std::size_t k = 0; k < 4; ++k) {
    if (std::abs(mle.log_params[k]) >= bound - 1e-3) fit.at_bound.emplace_back(names[k]);
  }
  double alive = 0;
  for (std::size_t i = 0; i < full.size(); ++i) {
    alive += full.weight[i] * model.p_alive(fit.params, full.x[i], full.t_x[i], full.T[i]);
  }
  fit.mean_p_alive = alive / static_cast<double>(summary.size());
  fit.no_dropout = !fit.converged && fit.mean_p_alive >= kNoDropoutPAlive;
  if (fit.no_dropout) {
    // The purchase rate's r, alpha keep intervals from their own block of the Hessian: given the
    // dropout parameters at the boundary.
    MleResult rates = mle;
    rates.log_params.resize(2);
    rates.hessian = mle.hessian.topLeftCorner(2, 2);
    const std::array<std::string_view, 2> rate_names = {names[0], names[1]};
    const std::vector<ParameterEstimate> estimates = parameter_estimates(rates, rate_names);
    std::copy(estimates.begin(), estimates.end(), fit.parameters.begin());
  }
  fit.customers = summary.size();
  fit.groups = full.size();
  fit.search_customers = stride > 1 ? (summary.size() + stride - 1) / stride : summary.size();
  return fit;
}

}  // namespace custlens::models
