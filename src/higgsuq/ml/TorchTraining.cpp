#include "higgsuq/ml/TorchTraining.hpp"

#include <torch/torch.h>

#include <chrono>
#include <limits>
#include <string>
#include <thread>

#include "higgsuq/ml/Auc.hpp"

namespace higgsuq::ml::torchimpl {
namespace {

/// Rows per forward pass when scoring the validation part.
constexpr std::int64_t kEvaluationBatchRows = 65536;

/// Runs f; any failure becomes a message naming what was being done (empty: success).
template <typename F>
std::string messageOfFailure(const char* what, F&& f) {
  try {
    f();
    return {};
  } catch (const c10::Error& e) {
    return std::string("LibTorch ") + what + ": " + e.what_without_backtrace();
  } catch (const std::exception& e) {
    return std::string("LibTorch ") + what + ": " + e.what();
  } catch (...) {
    return std::string("LibTorch ") + what + ": unknown exception";
  }
}

/// Sets LibTorch's intra-op threads (OpenMP, and the OpenMP build of OpenBLAS) and restores them.
class IntraOpThreads {
 public:
  explicit IntraOpThreads(int threads) : m_previous(at::get_num_threads()) {
    const int wanted =
        threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(wanted);
  }
  ~IntraOpThreads() { at::set_num_threads(m_previous); }
  IntraOpThreads(const IntraOpThreads&) = delete;
  IntraOpThreads& operator=(const IntraOpThreads&) = delete;

 private:
  int m_previous;
};

torch::Tensor wrap(const std::vector<float>& values, std::int64_t rows, std::int64_t cols) {
  // from_blob never writes through the pointer here: the tensors are inputs only.
  return torch::from_blob(const_cast<float*>(values.data()), {rows, cols}, torch::kFloat32);
}

struct Network {
  torch::nn::Sequential sequential;
  std::vector<torch::nn::Linear> linears;  ///< the same modules, input to output
};

void appendActivation(torch::nn::Sequential& s, Activation a) {
  switch (a) {
    case Activation::eSigmoid:
      s->push_back(torch::nn::Sigmoid());
      return;
    case Activation::eRelu:
      s->push_back(torch::nn::ReLU());
      return;
    case Activation::eTanh:
      s->push_back(torch::nn::Tanh());
      return;
  }
}

/// Linear layers with LibTorch's default initialisation (from the global generator, seeded by the
/// caller); the last one outputs a logit: the sigmoid is in the loss and at inference.
Network buildNetwork(const TorchConfig& config) {
  Network net;
  std::int64_t inputs = static_cast<std::int64_t>(kRowWidth);
  for (int width : config.hiddenLayers) {
    net.linears.emplace_back(inputs, width);
    net.sequential->push_back(net.linears.back());
    appendActivation(net.sequential, config.activation);
    inputs = width;
  }
  net.linears.emplace_back(inputs, 1);
  net.sequential->push_back(net.linears.back());
  return net;
}

struct PartTensors {
  torch::Tensor rows, labels, weights;
};

PartTensors tensorsOf(const PreparedPart& part) {
  const auto n = static_cast<std::int64_t>(part.size());
  return {wrap(part.rows, n, static_cast<std::int64_t>(kRowWidth)), wrap(part.labels, n, 1),
          wrap(part.lossWeights, n, 1)};
}

torch::Tensor weightedBce(const torch::Tensor& logits, const torch::Tensor& labels,
                          const torch::Tensor& weights) {
  return torch::binary_cross_entropy_with_logits(logits, labels, weights, {}, at::Reduction::Mean);
}

/// One pass of Adam over the training part in a random order; returns the mean batch loss.
double trainOneEpoch(Network& net, torch::optim::Adam& optimiser, const PartTensors& train, int batchSize) {
  net.sequential->train();
  const std::int64_t n = train.rows.size(0);
  const torch::Tensor order = torch::randperm(n, torch::kLong);
  double lossSum = 0.0;
  std::int64_t batches = 0;
  for (std::int64_t begin = 0; begin < n; begin += batchSize) {
    const torch::Tensor index = order.slice(0, begin, std::min(n, begin + batchSize));
    optimiser.zero_grad();
    const torch::Tensor loss =
        weightedBce(net.sequential->forward(train.rows.index_select(0, index)),
                    train.labels.index_select(0, index), train.weights.index_select(0, index));
    loss.backward();
    optimiser.step();
    lossSum += loss.item<double>();
    ++batches;
  }
  return batches > 0 ? lossSum / static_cast<double>(batches) : 0.0;
}

/// Validation loss and weighted AUC of the network as it is now.
void evaluate(Network& net, const PartTensors& valid, const PreparedPart& part, TorchEpoch& epoch) {
  net.sequential->eval();
  torch::NoGradGuard noGrad;
  const std::int64_t n = valid.rows.size(0);
  std::vector<torch::Tensor> logits;
  for (std::int64_t begin = 0; begin < n; begin += kEvaluationBatchRows) {
    logits.push_back(
        net.sequential->forward(valid.rows.slice(0, begin, std::min(n, begin + kEvaluationBatchRows))));
  }
  const torch::Tensor all = torch::cat(logits);
  epoch.validationLoss = weightedBce(all, valid.labels, valid.weights).item<double>();
  const torch::Tensor probabilities = torch::sigmoid(all).contiguous();
  const std::span<const float> scores(probabilities.data_ptr<float>(), part.size());
  epoch.validationAuc = weightedAuc(scores, part.labelBytes, part.balancedWeights);
}

std::vector<torch::Tensor> copyParameters(const Network& net) {
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> copies;
  for (const auto& p : net.sequential->parameters()) copies.push_back(p.detach().clone());
  return copies;
}

void restoreParameters(Network& net, const std::vector<torch::Tensor>& saved) {
  torch::NoGradGuard noGrad;
  auto parameters = net.sequential->parameters();
  for (std::size_t i = 0; i < parameters.size(); ++i) parameters[i].copy_(saved[i]);
}

std::vector<float> toFloats(const torch::Tensor& t) {
  const torch::Tensor c = t.detach().contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

std::vector<DenseLayer> layersOf(const Network& net) {
  std::vector<DenseLayer> layers;
  for (const auto& linear : net.linears) {
    const torch::Tensor& w = linear->weight;
    layers.push_back({static_cast<std::size_t>(w.size(1)), static_cast<std::size_t>(w.size(0)), toFloats(w),
                      toFloats(linear->bias)});
  }
  return layers;
}

std::vector<DenseLayer> trainWithTorch(const PreparedPart& train, const PreparedPart& validation,
                                       const TorchConfig& config, const TorchProgress& progress,
                                       TorchTrainingSummary& summary) {
  const IntraOpThreads threads(config.threads);
  torch::manual_seed(config.seed);
  Network net = buildNetwork(config);
  torch::optim::Adam optimiser(net.sequential->parameters(),
                               torch::optim::AdamOptions(config.learningRate).weight_decay(config.l2));
  const PartTensors trainTensors = tensorsOf(train), validTensors = tensorsOf(validation);
  double bestLoss = std::numeric_limits<double>::infinity();
  std::vector<torch::Tensor> best = copyParameters(net);
  for (int e = 1; e <= config.epochs; ++e) {
    const auto start = std::chrono::steady_clock::now();
    TorchEpoch epoch;
    epoch.epoch = e;
    epoch.trainLoss = trainOneEpoch(net, optimiser, trainTensors, config.batchSize);
    evaluate(net, validTensors, validation, epoch);
    epoch.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    summary.history.push_back(epoch);
    summary.epochsTrained = e;
    if (progress) progress(epoch);
    if (epoch.validationLoss < bestLoss) {
      bestLoss = epoch.validationLoss;
      summary.bestEpoch = e;
      summary.validationAuc = epoch.validationAuc;
      best = copyParameters(net);
    } else if (config.earlyStoppingEpochs > 0 && e - summary.bestEpoch >= config.earlyStoppingEpochs) {
      break;
    }
  }
  restoreParameters(net, best);
  return layersOf(net);
}

torch::Tensor activate(const torch::Tensor& z, Activation a) {
  switch (a) {
    case Activation::eSigmoid:
      return torch::sigmoid(z);
    case Activation::eRelu:
      return torch::relu(z);
    case Activation::eTanh:
      return torch::tanh(z);
  }
  return z;
}

std::string trainEntry(const PreparedPart& train, const PreparedPart& validation, const TorchConfig& config,
                       const TorchProgress& progress, TorchTrainingSummary& summary,
                       std::vector<DenseLayer>& layers) {
  return messageOfFailure("training",
                          [&] { layers = trainWithTorch(train, validation, config, progress, summary); });
}

std::string forwardEntry(const MlpNetwork& network, std::span<const float> rowMajor, std::size_t rows,
                         std::span<float> out) {
  return messageOfFailure("forward", [&] {
    const c10::InferenceMode inference;
    const auto& layers = network.layers();
    torch::Tensor x =
        torch::from_blob(const_cast<float*>(rowMajor.data()),
                         {static_cast<std::int64_t>(rows), static_cast<std::int64_t>(kRowWidth)});
    for (std::size_t l = 0; l < layers.size(); ++l) {
      const DenseLayer& layer = layers[l];
      const auto outputs = static_cast<std::int64_t>(layer.outputs),
                 inputs = static_cast<std::int64_t>(layer.inputs);
      const torch::Tensor w = torch::from_blob(const_cast<float*>(layer.weights.data()), {outputs, inputs});
      const torch::Tensor b = torch::from_blob(const_cast<float*>(layer.bias.data()), {outputs});
      x = activate(torch::addmm(b, x, w.t()),
                   l + 1 == layers.size() ? Activation::eSigmoid : network.activation());
    }
    const torch::Tensor scores = x.contiguous();
    std::copy(scores.data_ptr<float>(), scores.data_ptr<float>() + rows, out.begin());
  });
}

constexpr TorchPluginApi kApi{kTorchPluginVersion, &trainEntry, &forwardEntry};

}  // namespace
}  // namespace higgsuq::ml::torchimpl

extern "C" __attribute__((visibility("default"))) const higgsuq::ml::torchimpl::TorchPluginApi*
higgsuq_torch_plugin() {
  return &higgsuq::ml::torchimpl::kApi;
}
