// CSV readers and writer: FAIR and ATLAS 2014 layouts, DER computed when absent, clear errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "helpers/CsvTable.hpp"
#include "helpers/FloatCompare.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() : m_path(fs::temp_directory_path() / ("higgsuq-test-" + std::to_string(::getpid()) + "-" +
                                                   ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::create_directories(m_path);
  }
  ~TempDir() { fs::remove_all(m_path); }
  fs::path operator/(const std::string& name) const { return m_path / name; }
  const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

std::vector<std::string> sampleLines(std::size_t n) {
  std::ifstream in(test::fairSampleCsv());
  std::vector<std::string> lines;
  std::string line;
  while (lines.size() < n && std::getline(in, line)) lines.push_back(line);
  return lines;
}

void writeLines(const fs::path& p, const std::vector<std::string>& lines) {
  std::ofstream out(p);
  for (const auto& l : lines) out << l << "\n";
}

std::string errorOf(const fs::path& p, CsvLayout layout = CsvLayout::FairCsv) {
  try {
    readCsvEvents(p, layout);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(CsvEvents, ReadsTheFairSampleWithProcessesAndWeights) {
  const EventTable t = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
  ASSERT_EQ(t.size(), 1000u);
  EXPECT_EQ(t.count(Process::ZTauTau), 634u);
  EXPECT_EQ(t.count(Process::HTauTau), 336u);
  EXPECT_EQ(t.count(Process::TTbar), 26u);
  EXPECT_EQ(t.count(Process::Diboson), 4u);
  EXPECT_NEAR(t.sumWeights(), 1051433.01, 0.01);
  for (std::size_t i = 0; i < t.size(); ++i) EXPECT_EQ(t.labels()[i], t.processes()[i] == Process::HTauTau);
}

TEST(CsvEvents, PrimaryOnlyFileGetsItsDerivedFeaturesComputed) {
  TempDir dir;
  const test::CsvTable full(test::fairSampleCsv());
  std::ofstream out(dir / "pri.csv");
  // Columns in a different order, only the 16 PRI + labels.
  out << "labels";
  for (int f = kNumPrimary - 1; f >= 0; --f) out << "," << featureName(featureAt(f));
  out << "\n";
  for (std::size_t r = 0; r < 50; ++r) {
    out << full.text(r, "labels");
    for (int f = kNumPrimary - 1; f >= 0; --f) out << "," << full.text(r, std::string(featureName(featureAt(f))));
    out << "\n";
  }
  out.close();
  const EventTable t = readCsvEvents(dir / "pri.csv", CsvLayout::FairCsv);
  ASSERT_EQ(t.size(), 50u);
  for (std::size_t r = 0; r < 50; ++r) {
    HIGGSUQ_EXPECT_CLOSE_MIXED(t.value(Feature::MassVis, r), full.number(r, "DER_mass_vis"), 3e-3, 1e-4);
    HIGGSUQ_EXPECT_CLOSE_MIXED(t.value(Feature::PtTot, r), full.number(r, "DER_pt_tot"), 3e-3, 1e-4);
    EXPECT_EQ(t.weights()[r], 1.0);
    EXPECT_EQ(t.processes()[r], t.labels()[r] ? Process::HTauTau : Process::Background);
  }
}

TEST(CsvEvents, Atlas2014MappingOfNamesMissingValuesAndLabels) {
  const EventTable t = readCsvEvents(test::atlas2014Csv(), CsvLayout::Atlas2014Csv);
  ASSERT_EQ(t.size(), 22889u);
  std::size_t signal = 0, noJets = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    signal += t.labels()[i];
    if (t.value(Feature::NJets, i) == 0.0f) {
      ++noJets;
      EXPECT_EQ(t.value(Feature::JetLeadingPt, i), kMissingValue);
    }
    EXPECT_NE(t.value(Feature::JetSubleadingEta, i), -999.0f);
    EXPECT_GT(t.value(Feature::HadPt, i), 0.0f);
  }
  EXPECT_EQ(signal, 7817u);  // PROVENANCE.md: s = 7,817
  EXPECT_EQ(noJets, 9108u);  // PRI_jet_num 0 -> 9,108
  EXPECT_NEAR(t.sumWeights(Process::HTauTau), 19.833476, 1e-4);
}

TEST(CsvEvents, WriterRoundTripsFloat32Exactly) {
  TempDir dir;
  const EventTable t = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
  writeCsvEvents(dir / "out.csv", t);
  const EventTable back = readCsvEvents(dir / "out.csv", CsvLayout::FairCsv);
  ASSERT_EQ(back.size(), t.size());
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    const auto a = t.column(featureAt(f)), b = back.column(featureAt(f));
    EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin())) << featureName(featureAt(f));
  }
  EXPECT_TRUE(std::equal(t.weights().begin(), t.weights().end(), back.weights().begin()));
  EXPECT_TRUE(std::equal(t.processes().begin(), t.processes().end(), back.processes().begin()));
}

TEST(CsvEvents, MalformedInputsGiveErrorsNamingFileLineAndColumn) {
  TempDir dir;
  auto lines = sampleLines(4);
  {
    auto bad = lines;
    bad[2] = bad[2].substr(0, bad[2].size() / 2);  // truncated line
    writeLines(dir / "truncated.csv", bad);
    const std::string e = errorOf(dir / "truncated.csv");
    EXPECT_NE(e.find("truncated.csv:3: expected 31 fields"), std::string::npos) << e;
  }
  {
    auto bad = lines;
    bad[1].replace(0, bad[1].find(','), "nan");
    writeLines(dir / "nan.csv", bad);
    const std::string e = errorOf(dir / "nan.csv");
    EXPECT_NE(e.find("nan.csv:2: column PRI_lep_pt"), std::string::npos) << e;
    EXPECT_NE(e.find("finite"), std::string::npos) << e;
  }
  {
    auto bad = lines;
    bad[3].replace(0, bad[3].find(','), "abc");
    writeLines(dir / "text.csv", bad);
    EXPECT_NE(errorOf(dir / "text.csv").find("text.csv:4: column PRI_lep_pt: 'abc' is not a number"),
              std::string::npos)
        << errorOf(dir / "text.csv");
  }
  {
    auto bad = lines;
    bad[0].replace(bad[0].find("PRI_met,"), 8, "PRI_mett,");
    writeLines(dir / "missing.csv", bad);
    EXPECT_NE(errorOf(dir / "missing.csv").find("missing column PRI_met"), std::string::npos)
        << errorOf(dir / "missing.csv");
  }
  {
    writeLines(dir / "empty.csv", {});
    EXPECT_NE(errorOf(dir / "empty.csv").find("empty file"), std::string::npos);
    writeLines(dir / "header.csv", {lines[0]});
    EXPECT_NE(errorOf(dir / "header.csv").find("no events"), std::string::npos);
  }
  {
    auto bad = lines;
    bad[1].replace(bad[1].rfind("ztautau"), 7, "htautau");  // label 0 with signal process
    writeLines(dir / "label.csv", bad);
    EXPECT_NE(errorOf(dir / "label.csv").find("contradicts"), std::string::npos) << errorOf(dir / "label.csv");
  }
  EXPECT_NE(errorOf(dir / "does-not-exist.csv").find("cannot open"), std::string::npos);
}

TEST(CsvEvents, ChunkedReadingGivesTheSameEventsInBoundedChunks) {
  CsvEventReader reader(test::fairSampleCsv(), CsvLayout::FairCsv);
  const EventTable whole = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
  EventTable chunk, all;
  while (reader.readChunk(chunk, 77)) {
    EXPECT_LE(chunk.size(), 77u);
    all.append(chunk);
  }
  ASSERT_EQ(all.size(), whole.size());
  for (std::size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all.value(Feature::MetPhi, i), whole.value(Feature::MetPhi, i));
}

TEST(EventFiles, FormatFromExtensionOrName) {
  EXPECT_EQ(eventFormatFromPath("a/b.h5"), EventFormat::Hdf5);
  EXPECT_EQ(eventFormatFromPath("a/b.csv"), EventFormat::FairCsv);
  EXPECT_THROW(eventFormatFromPath("a/b.parquet"), InputError);
  EXPECT_EQ(eventFormatFromName("atlas2014-csv"), EventFormat::Atlas2014Csv);
  EXPECT_THROW(eventFormatFromName("root"), InputError);
}

}  // namespace
}  // namespace higgsuq
