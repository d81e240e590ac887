// The one place that talks to the XGBoost 1.7 C API (internal to the ml module: public headers never
// include it). RAII owners for DMatrixHandle and BoosterHandle, and xgbCheck(), which turns a failing
// return code into a higgsuq::ClassifierError carrying XGBGetLastError().
#pragma once

#include <xgboost/c_api.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "higgsuq/ml/Classifier.hpp"

namespace higgsuq::ml {

/// Throws ClassifierError("<call>: <XGBoost's last error>") when rc != 0.
void xgbCheck(int rc, const char* call);

/// __array_interface__ JSON (version 3) for a C-contiguous float32 matrix.
std::string denseArrayInterface(const float* data, std::size_t rows, std::size_t cols);

class XgbDMatrix {
 public:
  /// Copies a row-major rows x cols matrix; NaN marks missing values.
  static XgbDMatrix fromDense(std::span<const float> rowMajor, std::size_t rows, std::size_t cols, int threads);
  /// Sets "label" or "weight" (one value per row).
  void setFloatInfo(const char* field, std::span<const float> values);
  DMatrixHandle get() const { return m_handle.get(); }

 private:
  struct Free {
    void operator()(void* h) const { XGDMatrixFree(h); }
  };
  explicit XgbDMatrix(DMatrixHandle h) : m_handle(h) {}
  std::unique_ptr<void, Free> m_handle;
};

class XgbBooster {
 public:
  /// A new booster caching the given training / evaluation matrices.
  static XgbBooster create(std::span<const DMatrixHandle> cached);
  /// A booster read from a model file (JSON or UBJSON, chosen by XGBoost from the extension).
  static XgbBooster load(const std::filesystem::path& modelFile);

  void setParam(const std::string& name, const std::string& value);
  void updateOneIter(int iteration, const XgbDMatrix& train);
  /// XGBoost's evaluation line for one matrix, e.g. "[3]\tvalid-logloss:0.412".
  std::string evalOneIter(int iteration, const XgbDMatrix& data, const char* name);
  /// In-place prediction (probabilities) of a row-major matrix using trees of rounds [0, iterationEnd).
  /// Thread-safe: XGBoost keeps the output buffer per thread and per booster.
  void predictDense(std::span<const float> rowMajor, std::size_t rows, std::size_t cols, int iterationEnd,
                    std::span<float> out) const;
  void save(const std::filesystem::path& modelFile) const;
  /// The model in XGBoost's JSON format (XGBoosterSaveModelToBuffer), e.g. for TreeEnsemble.
  std::string modelJson() const;
  int boostedRounds() const;

 private:
  struct Free {
    void operator()(void* h) const { XGBoosterFree(h); }
  };
  explicit XgbBooster(BoosterHandle h) : m_handle(h) {}
  std::unique_ptr<void, Free> m_handle;
};

}  // namespace higgsuq::ml
