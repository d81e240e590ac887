#include "higgsuq/models/ModelFiles.hpp"

#include <nlohmann/json.hpp>

#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/models/BaselineModel.hpp"
#include "higgsuq/models/CountingModel.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {

std::unique_ptr<Model> loadModel(const std::filesystem::path& dir) {
  const auto file = dir / "model.json";
  if (!std::filesystem::exists(file)) throw InputError(file.string() + ": no model here (model.json missing)");
  std::string kind;
  try {
    kind = nlohmann::json::parse(readFileText(file)).at("model").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file.string() + ": malformed model description (" + e.what() + ")");
  }
  if (kind == "counting") return std::make_unique<CountingModel>(CountingModel::load(dir));
  if (kind == "baseline") return std::make_unique<BaselineModel>(BaselineModel::load(dir));
  throw InputError(file.string() + ": unknown model kind '" + kind + "' (known: counting, baseline)");
}

}  // namespace higgsuq
