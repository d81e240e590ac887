// Saving and loading the baseline: DIR/model.json (binning, templates, responses, parameters,
// constraints) and DIR/classifier/ (the classifier's own files).
#include <nlohmann/json.hpp>

#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/models/BaselineModel.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

using nlohmann::json;

json vectorJson(const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

Eigen::VectorXd vectorFrom(const json& j) {
  const auto v = j.get<std::vector<double>>();
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

json matrixJson(const Eigen::MatrixXd& m) {
  json rows = json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) rows.push_back(vectorJson(m.row(r).transpose()));
  return rows;
}

Eigen::MatrixXd matrixFrom(const json& j) {
  const Eigen::Index rows = static_cast<Eigen::Index>(j.size());
  const Eigen::Index cols = rows ? static_cast<Eigen::Index>(j[0].size()) : 0;
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r) m.row(r) = vectorFrom(j[static_cast<std::size_t>(r)]).transpose();
  return m;
}

json specJson(const TemplateModelSpec& spec) {
  json processes = json::array();
  for (const auto& t : spec.processes) {
    json responses = json::array();
    for (const auto& r : t.response) responses.push_back(matrixJson(r));
    processes.push_back({{"process", processName(t.process)}, {"nominal", vectorJson(t.nominal)}, {"response", responses}});
  }
  json parameters = json::array(), constraints = json::array();
  for (const auto& p : spec.parameters) {
    parameters.push_back({{"name", p.name}, {"init", p.init}, {"lo", p.lo}, {"hi", p.hi}, {"fixed", p.fixed}});
  }
  for (const auto& c : spec.constraints) {
    constraints.push_back({{"kind", c.kind == stats::Constraint::Kind::eGaussian ? "gaussian" : "lognormal"},
                           {"parameter", c.parameter}, {"center", c.center}, {"sigma", c.sigma}});
  }
  return {{"processes", processes}, {"shape_nominal", spec.shapeNominal}, {"parameters", parameters},
          {"constraints", constraints}, {"mc_relative_error", vectorJson(spec.mcRelativeError)}};
}

TemplateModelSpec specFrom(const json& j) {
  TemplateModelSpec spec;
  for (const auto& t : j.at("processes")) {
    ProcessTemplate pt;
    const auto p = processFromName(t.at("process").get<std::string>());
    if (!p) throw InputError("unknown process " + t.at("process").dump());
    pt.process = *p;
    pt.nominal = vectorFrom(t.at("nominal"));
    for (std::size_t k = 0; k < kNumShapeNuisances; ++k) pt.response[k] = matrixFrom(t.at("response").at(k));
    spec.processes.push_back(pt);
  }
  if (j.contains("mc_relative_error")) spec.mcRelativeError = vectorFrom(j.at("mc_relative_error"));
  spec.shapeNominal = j.at("shape_nominal").get<std::array<double, kNumShapeNuisances>>();
  for (const auto& p : j.at("parameters")) {
    spec.parameters.push_back({p.at("name"), p.at("init"), p.at("lo"), p.at("hi"), p.at("fixed")});
  }
  for (const auto& c : j.at("constraints")) {
    spec.constraints.push_back({c.at("kind") == "gaussian" ? stats::Constraint::Kind::eGaussian
                                                           : stats::Constraint::Kind::eLogNormal,
                                c.at("parameter"), c.at("center"), c.at("sigma")});
  }
  return spec;
}

}  // namespace

void BaselineModel::save(const std::filesystem::path& dir) const {
  std::filesystem::create_directories(dir);
  m_classifier->save(dir / "classifier");
  const json j{{"model", "baseline"}, {"format_version", 1}, {"bin_edges", m_binEdges},
               {"templates", specJson(m_templates->spec())}};
  writeFileAtomically(dir / "model.json", j.dump(1) + "\n");
}

BaselineModel BaselineModel::load(const std::filesystem::path& dir) {
  const auto file = dir / "model.json";
  try {
    const json j = json::parse(readFileText(file));
    if (j.at("model") != "baseline") throw InputError(file.string() + ": model is not 'baseline'");
    std::shared_ptr<const Classifier> classifier = loadClassifier(dir / "classifier");
    return BaselineModel(classifier, j.at("bin_edges").get<std::vector<double>>(), specFrom(j.at("templates")));
  } catch (const json::exception& e) {
    throw InputError(file.string() + ": malformed baseline model (" + e.what() + ")");
  } catch (const std::invalid_argument& e) {
    throw InputError(file.string() + ": " + e.what());
  }
}

}  // namespace higgsuq
