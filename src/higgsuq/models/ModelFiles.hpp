// Model kinds by name, fitting a model of any kind from a TrainingAccess, and loading a saved model
// directory whatever its kind (the kind is in DIR/model.json).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "higgsuq/models/BaselineModel.hpp"
#include "higgsuq/models/Model.hpp"

namespace higgsuq {

enum class ModelKind {
  StatOnly,  ///< the counting model (CountingModel)
  Baseline,  ///< classifier + templates + profile likelihood (BaselineModel)
};

/// The names a user may give a model kind, for help texts and error messages.
inline constexpr std::string_view kModelKindNames = "baseline, stat-only (alias: counting)";

/// "stat-only" or its alias "counting", or "baseline"; nothing for any other name.
std::optional<ModelKind> modelKindFromName(std::string_view name);

/// As modelKindFromName; InputError "--model: unknown model ... (known: ...)" for another name.
ModelKind requireModelKind(std::string_view name);

/// The kind as saved in model.json and returned by Model::name(): "counting" or "baseline".
std::string_view savedKindName(ModelKind kind);

/// Options of every kind; each kind reads its own part.
struct ModelOptions {
  BaselineConfig baseline;
};

/// Fits a model of `kind` (the one entry point `higgsuq train` and `higgsuq run` use).
std::unique_ptr<Model> fitModel(ModelKind kind, const TrainingAccess& access, const ModelOptions& options);

/// InputError naming the file if DIR/model.json is missing, malformed or of an unknown kind.
std::unique_ptr<Model> loadModel(const std::filesystem::path& dir);

}  // namespace higgsuq
