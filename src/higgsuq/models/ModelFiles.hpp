// Loading a saved model directory whatever its kind (the kind is in DIR/model.json).
#pragma once

#include <filesystem>
#include <memory>

#include "higgsuq/models/Model.hpp"

namespace higgsuq {

/// InputError naming the file if DIR/model.json is missing, malformed or of an unknown kind.
std::unique_ptr<Model> loadModel(const std::filesystem::path& dir);

}  // namespace higgsuq
