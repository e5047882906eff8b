// The buy-till-you-die models of customer lifetime value (BG/NBD, MBG/NBD, Pareto/NBD): the data
// they are fitted on, the interface each implements (likelihood, P(alive), expectations), and
// their registry by name; each model lives in src/models/btyd/<name>.cpp and registers itself
// with CUSTLENS_REGISTER_BTYD.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/mle.h"

namespace custlens::models {

/// Each fitted customer's calibration summary, in model time units: x repeat transactions, the
/// last at t_x, observed until T after the first (docs/clv.md).
struct RfSummary {
  std::vector<double> x;
  std::vector<double> t_x;
  std::vector<double> T;
  std::size_t size() const { return x.size(); }
};

/// Customers with one (x, t_x, T), counted: the likelihood is a sum over these.
struct RfGroups {
  std::vector<double> x;
  std::vector<double> t_x;
  std::vector<double> T;
  std::vector<double> weight;
  int max_x = 0;
  std::size_t size() const { return x.size(); }
};
/// The distinct (x, t_x, T) of `summary` with their counts, sorted. `stride` > 1 keeps every
/// stride-th customer only (a systematic sample, for the search from several starts).
RfGroups group_summary(const RfSummary& summary, std::size_t stride = 1);

/// The four parameters of a model, in its own order (r, alpha, a, b or r, alpha, s, beta).
using BtydParams = std::array<double, 4>;

class BtydModel {
 public:
  virtual ~BtydModel() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view title() const = 0;  ///< "BG/NBD"
  virtual std::array<std::string_view, 4> parameter_names() const = 0;
  /// The total log-likelihood of `groups` at exp(log_params), and its gradient with respect to
  /// the log-parameters. Parallel over the groups, summed in a fixed order: deterministic.
  virtual double log_likelihood(const BtydParams& log_params, const RfGroups& groups,
                                std::span<double, 4> gradient) const = 0;
  /// Starting points (log-parameters) for a customer base with this mean repeat rate per unit
  /// (Σx / ΣT) and mean observation length.
  virtual std::vector<BtydParams> starts(double repeat_rate, double mean_T) const = 0;

  /// P(the customer is still active at T).
  virtual double p_alive(const BtydParams& p, double x, double t_x, double T) const = 0;
  /// E[Y(t) | x, t_x, T]: expected transactions in (T, T + t].
  virtual double expected_conditional(const BtydParams& p, double t, double x, double t_x,
                                      double T) const = 0;
  /// E[X(t)]: expected repeat transactions in t units after a customer's first purchase.
  virtual double expected_new(const BtydParams& p, double t) const = 0;
};

/// A fitted model: its parameters with standard errors and intervals, and how the fit went.
struct BtydFit : MleSummary {
  std::string model;  ///< "bgnbd"
  std::string title;  ///< "BG/NBD"
  BtydParams params{};
  std::vector<std::string> at_bound;  ///< parameters the search stopped at its bound (mle.h)
  double mean_p_alive = 0;            ///< over the fitted customers, at their T
  /// Not converged while P(alive) averages >= kNoDropoutPAlive: the likelihood rises towards no
  /// dropout at all, whose parameters (a, b or s, beta) then have no estimate.
  bool no_dropout = false;
  std::size_t customers = 0;         ///< fitted on
  std::size_t groups = 0;            ///< distinct (x, t_x, T)
  std::size_t search_customers = 0;  ///< the sample the starts were searched on
};

/// The mean P(alive) above which a fit that did not converge is read as "no dropout".
inline constexpr double kNoDropoutPAlive = 0.99;

/// Customers above which the starts are searched on a systematic sample of this many (the best
/// start then continues on every customer): the search costs a fixed time at any size.
inline constexpr std::size_t kSearchSample = 50'000;

/// The maximum-likelihood fit of `model` (mle.h). Throws custlens::Error when no customer made a
/// repeat purchase (nothing identifies the purchase rate and the dropout) or the fit fails.
BtydFit fit_btyd(const BtydModel& model, const RfSummary& summary,
                 std::size_t search_sample = kSearchSample);

using BtydFactory = std::unique_ptr<BtydModel> (*)();
/// The model registered as `name`; throws custlens::Error naming the choices otherwise.
std::unique_ptr<BtydModel> make_btyd_model(std::string_view name);
/// The registered names in the order the report shows them: bgnbd, mbgnbd, pareto_nbd, others
/// sorted.
std::vector<std::string> btyd_model_names();

struct BtydRegistrar {
  BtydRegistrar(std::string name, BtydFactory factory);
};

}  // namespace custlens::models

/// Registers a model from its own file: CUSTLENS_REGISTER_BTYD(bgnbd, make_fn).
#define CUSTLENS_REGISTER_BTYD(ident, factory) \
  static const ::custlens::models::BtydRegistrar ident##_btyd_registrar { #ident, factory }
