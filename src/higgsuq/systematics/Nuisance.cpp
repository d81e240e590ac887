#include "higgsuq/systematics/Nuisance.hpp"

namespace higgsuq {
namespace {
constexpr std::array<std::string_view, kNumNuisances> kNames{
    "tes", "jes", "soft_met", "ttbar_scale", "diboson_scale", "bkg_scale", "wjets_scale"};
}

std::string_view nuisanceName(Nuisance n) { return kNames[index(n)]; }

std::optional<Nuisance> nuisanceFromName(std::string_view name) {
  for (Nuisance n : kAllNuisances) {
    if (kNames[index(n)] == name) return n;
  }
  return std::nullopt;
}

double NuisanceValues::get(Nuisance n) const {
  switch (n) {
    case Nuisance::Tes: return tes;
    case Nuisance::Jes: return jes;
    case Nuisance::SoftMet: return softMet;
    case Nuisance::TtbarScale: return ttbarScale;
    case Nuisance::DibosonScale: return dibosonScale;
    case Nuisance::BkgScale: return bkgScale;
    case Nuisance::WjetsScale: return wjetsScale;
  }
  return 0.0;
}

void NuisanceValues::set(Nuisance n, double value) {
  switch (n) {
    case Nuisance::Tes: tes = value; break;
    case Nuisance::Jes: jes = value; break;
    case Nuisance::SoftMet: softMet = value; break;
    case Nuisance::TtbarScale: ttbarScale = value; break;
    case Nuisance::DibosonScale: dibosonScale = value; break;
    case Nuisance::BkgScale: bkgScale = value; break;
    case Nuisance::WjetsScale: wjetsScale = value; break;
  }
}

}  // namespace higgsuq
