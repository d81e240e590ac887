#include "higgsuq/ml/XgbHandles.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace higgsuq::ml {

void xgbCheck(int rc, const char* call) {
  if (rc != 0) throw ClassifierError(std::string(call) + ": " + XGBGetLastError());
}

std::string denseArrayInterface(const float* data, std::size_t rows, std::size_t cols) {
  return "{\"data\": [" + std::to_string(reinterpret_cast<std::uintptr_t>(data)) + ", true], \"shape\": [" +
         std::to_string(rows) + ", " + std::to_string(cols) + "], \"typestr\": \"<f4\", \"version\": 3}";
}

XgbDMatrix XgbDMatrix::fromDense(std::span<const float> rowMajor, std::size_t rows, std::size_t cols,
                                 int threads) {
  if (rowMajor.size() != rows * cols) throw std::invalid_argument("XgbDMatrix::fromDense: size != rows * cols");
  const std::string config = "{\"missing\": NaN, \"nthread\": " + std::to_string(threads) + "}";
  DMatrixHandle handle = nullptr;
  xgbCheck(XGDMatrixCreateFromDense(denseArrayInterface(rowMajor.data(), rows, cols).c_str(), config.c_str(),
                                    &handle),
           "XGDMatrixCreateFromDense");
  return XgbDMatrix(handle);
}

void XgbDMatrix::setFloatInfo(const char* field, std::span<const float> values) {
  xgbCheck(XGDMatrixSetFloatInfo(get(), field, values.data(), values.size()), "XGDMatrixSetFloatInfo");
}

XgbBooster XgbBooster::create(std::span<const DMatrixHandle> cached) {
  BoosterHandle handle = nullptr;
  xgbCheck(XGBoosterCreate(cached.data(), cached.size(), &handle), "XGBoosterCreate");
  return XgbBooster(handle);
}

XgbBooster XgbBooster::load(const std::filesystem::path& modelFile) {
  XgbBooster booster = create({});
  xgbCheck(XGBoosterLoadModel(booster.m_handle.get(), modelFile.c_str()),
           ("XGBoosterLoadModel(" + modelFile.string() + ")").c_str());
  return booster;
}

void XgbBooster::setParam(const std::string& name, const std::string& value) {
  xgbCheck(XGBoosterSetParam(m_handle.get(), name.c_str(), value.c_str()), "XGBoosterSetParam");
}

void XgbBooster::updateOneIter(int iteration, const XgbDMatrix& train) {
  xgbCheck(XGBoosterUpdateOneIter(m_handle.get(), iteration, train.get()), "XGBoosterUpdateOneIter");
}

std::string XgbBooster::evalOneIter(int iteration, const XgbDMatrix& data, const char* name) {
  DMatrixHandle matrices[] = {data.get()};
  const char* names[] = {name};
  const char* result = nullptr;
  xgbCheck(XGBoosterEvalOneIter(m_handle.get(), iteration, matrices, names, 1, &result), "XGBoosterEvalOneIter");
  return result;
}

void XgbBooster::predictDense(std::span<const float> rowMajor, std::size_t rows, std::size_t cols,
                              int iterationEnd, std::span<float> out) const {
  if (rowMajor.size() != rows * cols || out.size() != rows) {
    throw std::invalid_argument("XgbBooster::predictDense: buffer sizes disagree");
  }
  const std::string config =
      "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": " +
      std::to_string(iterationEnd) + ", \"strict_shape\": false, \"missing\": NaN, \"cache_id\": 0}";
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  xgbCheck(XGBoosterPredictFromDense(m_handle.get(), denseArrayInterface(rowMajor.data(), rows, cols).c_str(),
                                     config.c_str(), nullptr, &shape, &dims, &result),
           "XGBoosterPredictFromDense");
  if (dims != 1 || shape[0] != rows) throw ClassifierError("XGBoosterPredictFromDense: unexpected output shape");
  std::copy(result, result + rows, out.begin());
}

void XgbBooster::save(const std::filesystem::path& modelFile) const {
  xgbCheck(XGBoosterSaveModel(m_handle.get(), modelFile.c_str()),
           ("XGBoosterSaveModel(" + modelFile.string() + ")").c_str());
}

std::string XgbBooster::modelJson() const {
  bst_ulong length = 0;
  const char* data = nullptr;
  xgbCheck(XGBoosterSaveModelToBuffer(m_handle.get(), R"({"format": "json"})", &length, &data),
           "XGBoosterSaveModelToBuffer");
  return std::string(data, length);
}

int XgbBooster::boostedRounds() const {
  int rounds = 0;
  xgbCheck(XGBoosterBoostedRounds(m_handle.get(), &rounds), "XGBoosterBoostedRounds");
  return rounds;
}

}  // namespace higgsuq::ml
