// HDF5 native format: round trip, chunked reads, atomic writes, clear errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "helpers/SharedData.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/io/Hdf5Events.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

namespace fs = std::filesystem;

fs::path tempPath(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("higgsuq-h5-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

bool sameTables(const EventTable& a, const EventTable& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    if (!std::equal(a.column(featureAt(f)).begin(), a.column(featureAt(f)).end(), b.column(featureAt(f)).begin())) {
      return false;
    }
  }
  return std::equal(a.weights().begin(), a.weights().end(), b.weights().begin()) &&
         std::equal(a.labels().begin(), a.labels().end(), b.labels().begin()) &&
         std::equal(a.processes().begin(), a.processes().end(), b.processes().begin());
}

TEST(Hdf5Events, RoundTripIsExactAcrossChunks) {
  const EventTable t = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
  const fs::path p = tempPath("round.h5");
  {
    Hdf5EventWriter writer(p, {.chunkRows = 64, .compressionLevel = 4});
    for (std::size_t begin = 0; begin < t.size(); begin += 300) {
      EventTable part;
      part.append(t, begin, std::min(t.size(), begin + 300));
      writer.append(part);
    }
    EXPECT_FALSE(fs::exists(p));  // nothing visible before commit
    writer.commit();
  }
  EXPECT_TRUE(sameTables(readHdf5Events(p), t));
  Hdf5EventReader reader(p);
  EventTable middle;
  reader.read(100, 50, middle);
  EventTable expected;
  expected.append(t, 100, 150);
  EXPECT_TRUE(sameTables(middle, expected));
  EXPECT_THROW(reader.read(990, 20, middle), InputError);
}

TEST(Hdf5Events, AbandonedWriterLeavesNoFile) {
  const fs::path p = tempPath("abandoned.h5");
  {
    Hdf5EventWriter writer(p);
    writer.append(readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv));
  }
  EXPECT_FALSE(fs::exists(p));
  for (const auto& entry : fs::directory_iterator(p.parent_path())) {
    EXPECT_EQ(entry.path().filename().string().find(".abandoned.h5.tmp"), std::string::npos);
  }
}

TEST(Hdf5Events, BadFilesGiveClearErrors) {
  const fs::path notHdf5 = tempPath("text.h5");
  std::ofstream(notHdf5) << "hello";
  try {
    readHdf5Events(notHdf5);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not an HDF5 file"), std::string::npos);
  }
  EXPECT_THROW(readHdf5Events(tempPath("missing.h5")), InputError);
  EXPECT_THROW(Hdf5EventWriter(tempPath("no-such-dir/x.h5").parent_path() / "sub" / "x.h5"), InputError);
}

TEST(Hdf5Events, NonFiniteValuesAreRejectedWithDatasetAndRow) {
  EventTable t = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
  t.value(Feature::Met, 17) = std::numeric_limits<float>::quiet_NaN();
  const fs::path p = tempPath("nan.h5");
  writeHdf5Events(p, t);
  try {
    readHdf5Events(p);
    FAIL() << "NaN accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("events/PRI_met row 17 is not a finite number"), std::string::npos) << e.what();
  }
}

TEST(EventFiles, ConvertStreamsCsvToHdf5AndBack) {
  const fs::path h5 = tempPath("conv.h5"), csv = tempPath("conv.csv");
  EXPECT_EQ(convertEvents(test::fairSampleCsv(), EventFormat::FairCsv, h5, EventFormat::Hdf5, 128), 1000u);
  EXPECT_EQ(convertEvents(h5, EventFormat::Hdf5, csv, EventFormat::FairCsv, 128), 1000u);
  EXPECT_TRUE(sameTables(readEvents(csv, EventFormat::FairCsv), readEvents(test::fairSampleCsv(), EventFormat::FairCsv)));
}

}  // namespace
}  // namespace higgsuq
