#include "higgsuq/models/ModelFiles.hpp"

#include <nlohmann/json.hpp>

#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/models/BaselineModel.hpp"
#include "higgsuq/models/CountingModel.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {

std::optional<ModelKind> modelKindFromName(std::string_view name) {
  if (name == "stat-only" || name == "counting") return ModelKind::StatOnly;
  if (name == "baseline") return ModelKind::Baseline;
  return std::nullopt;
}

ModelKind requireModelKind(std::string_view name) {
  const std::optional<ModelKind> kind = modelKindFromName(name);
  if (!kind) {
    throw InputError("--model: unknown model '" + std::string(name) + "' (known: " + std::string(kModelKindNames) +
                     ")");
  }
  return *kind;
}

std::string_view savedKindName(ModelKind kind) { return kind == ModelKind::StatOnly ? "counting" : "baseline"; }

std::unique_ptr<Model> fitModel(ModelKind kind, const TrainingAccess& access, const ModelOptions& options) {
  switch (kind) {
    case ModelKind::StatOnly: return std::make_unique<CountingModel>(CountingModel::fit(access));
    case ModelKind::Baseline: return std::make_unique<BaselineModel>(BaselineModel::fit(access, options.baseline));
  }
  HIGGSUQ_ASSERT(false, "fitModel: unhandled model kind");
  return nullptr;
}

std::unique_ptr<Model> loadModel(const std::filesystem::path& dir) {
  const auto file = dir / "model.json";
  if (!std::filesystem::exists(file)) throw InputError(file.string() + ": no model here (model.json missing)");
  std::string kind;
  try {
    kind = nlohmann::json::parse(readFileText(file)).at("model").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file.string() + ": malformed model description (" + e.what() + ")");
  }
  if (kind == savedKindName(ModelKind::StatOnly)) return std::make_unique<CountingModel>(CountingModel::load(dir));
  if (kind == savedKindName(ModelKind::Baseline)) return std::make_unique<BaselineModel>(BaselineModel::load(dir));
  throw InputError(file.string() + ": unknown model kind '" + kind + "' (known: counting, baseline)");
}

}  // namespace higgsuq
