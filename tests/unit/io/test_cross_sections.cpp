// Cross-section tables from JSON: the shipped files equal the compiled presets, the embedded copies
// equal the files on disk, and bad tables give errors naming the source and the field.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "helpers/SharedData.hpp"
#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/io/CrossSectionJson.hpp"
#include "higgsuq/sim/SimConfig.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

std::filesystem::path shippedTable(const std::string& name) {
  return test::sourceDir() / "config" / "cross-sections" / (name + ".json");
}

void expectSamePreset(const sim::SimulationPreset& a, const sim::SimulationPreset& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.referenceLuminosityFb, b.referenceLuminosityFb);
  ASSERT_EQ(a.processes.size(), b.processes.size()) << a.name;
  for (std::size_t i = 0; i < a.processes.size(); ++i) {
    const auto &p = a.processes[i], &q = b.processes[i];
    SCOPED_TRACE(a.name + " process " + std::to_string(i));
    EXPECT_EQ(p.process, q.process);
    EXPECT_EQ(p.crossSectionFb, q.crossSectionFb);
    EXPECT_EQ(p.expectedYield, q.expectedYield);
    EXPECT_EQ(p.generatedShare, q.generatedShare);
    EXPECT_EQ(p.normalisationUncertainty, q.normalisationUncertainty);
  }
}

TEST(CrossSectionJson, ShippedFilesGiveTheCompiledPresets) {
  for (const std::string& name : sim::presetNames()) {
    expectSamePreset(readCrossSectionTable(shippedTable(name)), sim::presetByName(name));
  }
}

TEST(CrossSectionJson, EmbeddedTablesAreTheShippedFiles) {
  EXPECT_EQ(crossSectionPresetNames(), sim::presetNames());
  for (const std::string& name : crossSectionPresetNames()) {
    expectSamePreset(crossSectionPreset(name), sim::presetByName(name));
  }
  for (const auto& [name, text] : detail::embeddedCrossSections()) {
    EXPECT_EQ(text, readFileText(shippedTable(std::string(name)))) << name;
  }
}

TEST(CrossSectionJson, UnknownPresetNamesTheChoices) {
  try {
    crossSectionPreset("lhc2012");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'lhc2012' (expected neurips2024, early2024"), std::string::npos)
        << e.what();
  }
}

nlohmann::json shippedJson() {
  return nlohmann::json::parse(readFileText(shippedTable("neurips2024")));
}

std::string errorOf(const nlohmann::json& table) {
  try {
    parseCrossSectionTable(table.dump(), "my-table.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CrossSectionJson, OptionalFieldsTakeTheirDefaults) {
  nlohmann::json j = shippedJson();
  j.erase("description");
  j["processes"][0].erase("generated_share");
  const sim::SimulationPreset table = parseCrossSectionTable(j.dump(), "my-table.json");
  EXPECT_EQ(table.processes[0].generatedShare, 1.0);
  EXPECT_EQ(table.processes[0].normalisationUncertainty, 0.0);
}

TEST(CrossSectionJson, BadTablesGiveErrorsNamingTheSourceAndField) {
  struct Case {
    const char* what;
    nlohmann::json table;
    const char* message;
  };
  std::vector<Case> cases;
  auto edited = [&](const char* what, const char* message, auto edit) {
    nlohmann::json j = shippedJson();
    edit(j);
    cases.push_back({what, j, message});
  };
  edited("text yield", "my-table.json: processes[1].expected_yield: expected a number",
         [](auto& j) { j["processes"][1]["expected_yield"] = "many"; });
  edited("missing field", "my-table.json: processes[2]: missing key 'cross_section_fb'",
         [](auto& j) { j["processes"][2].erase("cross_section_fb"); });
  edited("negative sigma", "my-table.json: processes[0].cross_section_fb: must be > 0",
         [](auto& j) { j["processes"][0]["cross_section_fb"] = -1.0; });
  edited("misspelt key", "my-table.json: processes[3]: unknown key 'expected_yeld'",
         [](auto& j) { j["processes"][3]["expected_yeld"] = 1.0; });
  edited("unknown process", "my-table.json: processes[0].name: unknown process 'higgs'",
         [](auto& j) { j["processes"][0]["name"] = "higgs"; });
  edited("background", "my-table.json: processes[0].name: unknown process 'background'",
         [](auto& j) { j["processes"][0]["name"] = "background"; });
  edited("duplicate", "my-table.json: processes[1].name: process 'htautau' listed twice",
         [](auto& j) { j["processes"][1]["name"] = "htautau"; });
  edited("no processes", "my-table.json: processes: expected a non-empty array",
         [](auto& j) { j["processes"] = nlohmann::json::array(); });
  edited("luminosity", "my-table.json: reference_luminosity_fb: must be > 0",
         [](auto& j) { j["reference_luminosity_fb"] = 0; });
  edited("format", "my-table.json: format: expected \"higgsuq-cross-sections\"",
         [](auto& j) { j["format"] = "higgsuq-challenge"; });
  edited("version", "my-table.json: version: unsupported version", [](auto& j) { j["version"] = 2; });
  edited("top-level key", "my-table.json: $: unknown key 'luminosity_fb'",
         [](auto& j) { j["luminosity_fb"] = 10.0; });
  for (const auto& c : cases) {
    const std::string e = errorOf(c.table);
    EXPECT_NE(e.find(c.message), std::string::npos) << c.what << ": " << e;
  }
}

TEST(CrossSectionJson, UnreadableOrMalformedFilesNameTheFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("higgsuq-xsec-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto bad = dir / "broken.json";
  std::ofstream(bad) << "{\"format\": \"higgsuq-cross-sections\",";
  auto messageOf = [](const std::filesystem::path& p) -> std::string {
    try {
      readCrossSectionTable(p);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_NE(messageOf(bad).find(bad.string() + ": malformed JSON"), std::string::npos) << messageOf(bad);
  EXPECT_NE(messageOf(dir / "absent.json").find("absent.json: cannot open"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace higgsuq
