// One toy experiment from a template model: Poisson counts around the expected rates nu and
// Gaussian auxiliary measurements around their centres, fitted, with the profile interval on mu.
#pragma once

#include <Eigen/Core>

#include <cstdint>

#include "higgsuq/models/TemplateModel.hpp"
#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/stats/Minimiser.hpp"
#include "higgsuq/stats/ProfileInterval.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::test {

struct ToyInterval {
  bool converged = false;
  double lower = 0.0, upper = 0.0;  ///< the profile interval on mu (parameter 0)
  bool covers(double mu) const { return lower <= mu && mu <= upper; }
};

/// Toy `toy` of stream (seed, eToys): counts ~ Poisson(nu), Gaussian auxiliaries ~ N(centre, sigma).
inline ToyInterval fitToy(const TemplateModel& model, const Eigen::VectorXd& nu, const Eigen::VectorXd& auxCentre,
                          std::uint64_t seed, int toy) {
  CounterRng rng(streamKey(seed, 0, static_cast<std::uint64_t>(toy), Stream::eToys));
  Eigen::VectorXd n(nu.size()), aux = auxCentre;
  for (Eigen::Index b = 0; b < nu.size(); ++b) n[b] = static_cast<double>(rng.poisson(nu[b]));
  for (std::size_t c = 0; c < model.constraints().size(); ++c) {
    const auto& con = model.constraints()[c];
    if (con.kind == stats::Constraint::Kind::eGaussian) aux[static_cast<Eigen::Index>(c)] += con.sigma * rng.normal();
  }
  const stats::BinnedNll nll(model, n, aux);
  stats::NllObjective objective(nll);
  const auto best = stats::minimise(objective, model.parameters());
  if (!best.converged) return {};
  const auto interval = stats::profileInterval(objective, model.parameters(), 0, best);
  return {true, interval.lower.value, interval.upper.value};
}

}  // namespace higgsuq::test
