// Loads libhiggsuq_torch.so (TorchTraining.cpp) on first use; see TorchTraining.hpp for why.
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "higgsuq/ml/TorchTraining.hpp"

namespace higgsuq::ml::torchimpl {
namespace {

constexpr const char* kPluginFile = "libhiggsuq_torch.so";

std::vector<std::filesystem::path> candidatePaths() {
  std::vector<std::filesystem::path> paths;
  if (const char* env = std::getenv("HIGGSUQ_TORCH_PLUGIN"); env && *env) paths.emplace_back(env);
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    paths.push_back(exe.parent_path() / kPluginFile);
    paths.push_back(exe.parent_path().parent_path() / "lib" / kPluginFile);
  }
#ifdef HIGGSUQ_TORCH_PLUGIN_PATH
  paths.emplace_back(HIGGSUQ_TORCH_PLUGIN_PATH);
#endif
  return paths;
}

const TorchPluginApi* loadPlugin(std::string& failures) {
  for (const auto& path : candidatePaths()) {
    if (!std::filesystem::exists(path)) {
      failures += "\n  " + path.string() + ": not found";
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);  // never closed: libtorch stays loaded
    if (!handle) {
      failures += "\n  " + path.string() + ": " + dlerror();
      continue;
    }
    using Entry = const TorchPluginApi* (*)();
    const auto entry = reinterpret_cast<Entry>(dlsym(handle, kTorchPluginSymbol));
    const TorchPluginApi* api = entry ? entry() : nullptr;
    if (api && api->version == kTorchPluginVersion) return api;
    failures += "\n  " + path.string() + ": no " + kTorchPluginSymbol + " of version " +
                std::to_string(kTorchPluginVersion);
  }
  return nullptr;
}

}  // namespace

const TorchPluginApi& torchPlugin() {
  static std::string failures;
  static const TorchPluginApi* const api = loadPlugin(failures);
  if (!api)
    throw ClassifierError("cannot load the LibTorch plugin " + std::string(kPluginFile) + ":" + failures);
  return *api;
}

std::vector<DenseLayer> trainNetwork(const PreparedPart& train, const PreparedPart& validation,
                                     const TorchConfig& config, const TorchProgress& progress,
                                     TorchTrainingSummary& summary) {
  std::vector<DenseLayer> layers;
  const std::string error = torchPlugin().train(train, validation, config, progress, summary, layers);
  if (!error.empty()) throw ClassifierError(error);
  return layers;
}

void forwardWithLibrary(const MlpNetwork& network, std::span<const float> rowMajor, std::size_t rows,
                        std::span<float> out) {
  const std::string error = torchPlugin().forward(network, rowMajor, rows, out);
  if (!error.empty()) throw ClassifierError(error);
}

}  // namespace higgsuq::ml::torchimpl
