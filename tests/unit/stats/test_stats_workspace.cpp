// The pyhf workspace reader: a valid workspace builds the expected model; malformed ones throw InputError
// naming the JSON path.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "helpers/FloatCompare.hpp"
#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/stats/workspace/PyhfWorkspace.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::stats {
namespace {
using nlohmann::json;

json validWorkspace() {
  return json::parse(R"({
    "channels": [
      {"name": "sr", "samples": [
        {"name": "signal", "data": [5.0, 10.0],
         "modifiers": [{"name": "mu", "type": "normfactor", "data": null},
                       {"name": "lumi", "type": "lumi", "data": null}]},
        {"name": "background", "data": [50.0, 60.0],
         "modifiers": [{"name": "bkg_norm", "type": "normsys", "data": {"hi": 1.1, "lo": 0.9}},
                       {"name": "jes", "type": "histosys", "data": {"hi_data": [52.0, 63.0], "lo_data": [49.0, 58.0]}}]}
      ]},
      {"name": "cr", "samples": [
        {"name": "background", "data": [100.0], "modifiers": [{"name": "bkg_norm", "type": "normsys", "data": {"hi": 1.1, "lo": 0.9}}]}
      ]}
    ],
    "observations": [{"name": "cr", "data": [104.0]}, {"name": "sr", "data": [58.0, 71.0]}],
    "measurements": [
      {"name": "first", "config": {"poi": "mu", "parameters": [
        {"name": "lumi", "auxdata": [1.0], "sigmas": [0.017], "bounds": [[0.915, 1.085]], "inits": [1.0]}]}},
      {"name": "second", "config": {"poi": "mu", "parameters": [
        {"name": "lumi", "auxdata": [1.0], "sigmas": [0.017], "fixed": true},
        {"name": "mu", "inits": [2.0], "bounds": [[-3.0, 30.0]]}]}}
    ],
    "version": "1.0.0"
  })");
}

TEST(PyhfWorkspace, BuildsTheModelAndObservations) {
  const auto ws = readPyhfWorkspace(validWorkspace());
  EXPECT_EQ(ws.measurement, "first");
  EXPECT_EQ(ws.poi, "mu");
  ASSERT_EQ(ws.model->nBins(), 3u);
  EXPECT_EQ(ws.observed, Eigen::Vector3d(58.0, 71.0, 104.0));  // in channel order, not observation order
  const auto& pars = ws.model->parameters();
  ASSERT_EQ(pars.size(), 4u);  // mu, lumi, bkg_norm, jes
  EXPECT_EQ(pars[parameterIndex(pars, "lumi")].lo, 0.915);
  // nu at mu = 2, lumi = 1, bkg_norm = 1 (normsys code 4 = 1.1 at +1), jes = -1 (histosys lo_data)
  Eigen::VectorXd theta(4);
  theta << 2.0, 1.0, 1.0, -1.0;
  const Eigen::VectorXd nu = asimovData(*ws.model, theta);
  HIGGSUQ_EXPECT_CLOSE_REL(nu[0], 10.0 + 1.1 * 49.0, 1e-14);
  HIGGSUQ_EXPECT_CLOSE_REL(nu[1], 20.0 + 1.1 * 58.0, 1e-14);
  HIGGSUQ_EXPECT_CLOSE_REL(nu[2], 110.0, 1e-14);
}

TEST(PyhfWorkspace, SelectsMeasurementAndPoi) {
  const auto ws = readPyhfWorkspace(validWorkspace(), WorkspaceOptions{"second", "", NormsysCode::eCode4, HistosysCode::eCode4p});
  const auto& pars = ws.model->parameters();
  EXPECT_TRUE(pars[parameterIndex(pars, "lumi")].fixed);
  EXPECT_EQ(pars[parameterIndex(pars, "mu")].init, 2.0);
  EXPECT_EQ(pars[parameterIndex(pars, "mu")].lo, -3.0);
  const auto other = readPyhfWorkspace(validWorkspace(), WorkspaceOptions{"", "bkg_norm", NormsysCode::eCode1, HistosysCode::eCode0});
  EXPECT_EQ(other.poi, "bkg_norm");
  EXPECT_EQ(other.model->parameters()[other.model->poiIndex()].name, "bkg_norm");
}

/// Expects InputError whose message contains `fragment`.
void expectInputError(const json& doc, const std::string& fragment, const WorkspaceOptions& options = {}) {
  try {
    readPyhfWorkspace(doc, options);
    ADD_FAILURE() << "no InputError; expected one mentioning: " << fragment;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << "message: " << e.what();
  }
}

TEST(PyhfWorkspace, MalformedSpecsNameTheJsonPath) {
  auto doc = validWorkspace();
  doc["channels"][0]["samples"][1]["modifiers"][0]["type"] = "normsyss";
  expectInputError(doc, "channels[0].samples[1].modifiers[0]: unknown type \"normsyss\"");

  doc = validWorkspace();
  doc["channels"][0]["samples"][1]["modifiers"][1]["type"] = "staterror";
  expectInputError(doc, "channels[0].samples[1].modifiers[1]: modifier type \"staterror\" is not supported");

  doc = validWorkspace();
  doc["channels"][0]["samples"][1]["modifiers"][1]["data"]["lo_data"] = json::array({49.0});
  expectInputError(doc, "channels[0].samples[1].modifiers[1].data.lo_data: expected 2 bins, got 1");

  doc = validWorkspace();
  doc["channels"][0]["samples"][1]["modifiers"][0]["data"].erase("lo");
  expectInputError(doc, "channels[0].samples[1].modifiers[0].data: missing key \"lo\"");

  doc = validWorkspace();
  doc["channels"][0]["samples"][1]["modifiers"][0]["data"]["hi"] = -1.0;
  expectInputError(doc, "channels[0].samples[1].modifiers[0]: normsys needs hi > 0");

  doc = validWorkspace();
  doc["channels"][1]["samples"][0]["data"] = json::array({"x"});
  expectInputError(doc, "channels[1].samples[0].data[0]: expected a number");

  doc = validWorkspace();
  doc["channels"][0]["samples"][0]["extra"] = 1;
  expectInputError(doc, "channels[0].samples[0]: unexpected key \"extra\"");

  doc = validWorkspace();
  doc["version"] = "2.0.0";
  expectInputError(doc, "version: unsupported version");

  doc = validWorkspace();
  doc["observations"].erase(0);
  expectInputError(doc, "no observation for channel \"cr\"");

  doc = validWorkspace();
  doc["measurements"][0]["config"]["parameters"][0].erase("sigmas");
  expectInputError(doc, "lumi parameter 'lumi' needs auxdata and sigmas");

  doc = validWorkspace();
  doc["measurements"][0]["config"]["parameters"][0]["bounds"] = json::array({json::array({2.0, 1.0})});
  expectInputError(doc, "measurements[0].config.parameters[0].bounds[0]: expected [lo, hi] with lo <= hi");

  expectInputError(validWorkspace(), "no measurement named \"third\"", WorkspaceOptions{"third", "", NormsysCode::eCode4, HistosysCode::eCode4p});
  expectInputError(validWorkspace(), "unknown parameter 'nope'", WorkspaceOptions{"", "nope", NormsysCode::eCode4, HistosysCode::eCode4p});
}

TEST(PyhfWorkspace, InvalidJsonTextIsAnInputError) {
  EXPECT_THROW(parsePyhfWorkspace("{\"channels\": [", "broken.json"), InputError);
  EXPECT_THROW(loadPyhfWorkspace("/nonexistent/workspace.json"), InputError);
}

}  // namespace
}  // namespace higgsuq::stats
