// The nuisance parameters of the challenge and a value type holding one point in their space.
// Shape nuisances (tes, jes, soft_met) move the features; the normalisations scale process weights.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace higgsuq {

enum class Nuisance : std::uint8_t {
  Tes,           ///< hadronic-tau energy scale factor (nominal 1)
  Jes,           ///< jet energy scale factor (nominal 1)
  SoftMet,       ///< sigma in GeV of extra Gaussian noise per MET component (nominal 0)
  TtbarScale,    ///< ttbar normalisation (nominal 1)
  DibosonScale,  ///< diboson normalisation (nominal 1)
  BkgScale,      ///< overall background normalisation (nominal 1)
  WjetsScale,    ///< W+jets normalisation, the challenge's earlier design (nominal 1)
};

inline constexpr std::size_t kNumNuisances = 7;
inline constexpr std::array<Nuisance, kNumNuisances> kAllNuisances{
    Nuisance::Tes,          Nuisance::Jes,      Nuisance::SoftMet,   Nuisance::TtbarScale,
    Nuisance::DibosonScale, Nuisance::BkgScale, Nuisance::WjetsScale};

constexpr std::size_t index(Nuisance n) { return static_cast<std::size_t>(n); }

/// Name as used by the reference and in JSON: "tes", "jes", "soft_met", "ttbar_scale", ...
std::string_view nuisanceName(Nuisance n);
std::optional<Nuisance> nuisanceFromName(std::string_view name);

/// One point in nuisance space. Defaults are the nominal values.
struct NuisanceValues {
  double tes = 1.0;
  double jes = 1.0;
  double softMet = 0.0;
  double ttbarScale = 1.0;
  double dibosonScale = 1.0;
  double bkgScale = 1.0;
  double wjetsScale = 1.0;

  double get(Nuisance n) const;
  void set(Nuisance n, double value);
  static double nominal(Nuisance n) { return n == Nuisance::SoftMet ? 0.0 : 1.0; }
  bool operator==(const NuisanceValues&) const = default;
};

}  // namespace higgsuq
