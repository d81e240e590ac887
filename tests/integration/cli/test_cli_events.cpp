// End-to-end: the higgsuq program's import, export, systematics and pseudo subcommands, their JSON
// output, their errors (exit code 2, a message naming file/line/field) and atomic outputs.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "helpers/CsvTable.hpp"
#include "helpers/CliTest.hpp"
#include "helpers/RunCommand.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/io/EventFiles.hpp"

namespace higgsuq {
namespace {

namespace fs = std::filesystem;
using test::runCommand;

class CliEvents : public test::CliTest {
 protected:
  std::string fairH5() const {
    const auto r = runCommand(cli() + " import " + test::fairSampleCsv().string() + " --out " + path("fair.h5"));
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return path("fair.h5");
  }
};

TEST_F(CliEvents, ImportExportRoundTripAndH5pyCanReadTheFile) {
  const std::string h5 = fairH5();
  const auto r = runCommand(cli() + " export " + h5 + " --out " + path("back.csv"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("events"), 1000);
  const test::CsvTable back(path("back.csv")), orig(test::fairSampleCsv());
  ASSERT_EQ(back.rows(), 1000u);
  for (std::size_t i = 0; i < 1000; i += 37) {
    EXPECT_EQ(back.number(i, "DER_mass_vis"), orig.number(i, "DER_mass_vis"));
    EXPECT_EQ(back.text(i, "detailed_labels"), orig.text(i, "detailed_labels"));
  }
  const auto py = runCommand("/usr/bin/python3 -c \"import h5py; f = h5py.File('" + h5 +
                             "'); g = f['events']; print(len(g['PRI_had_pt']), g['PRI_n_jets'].dtype, "
                             "g['weights'].dtype, g.attrs['process_names'].decode())\"");
  ASSERT_EQ(py.exitCode, 0) << py.err;
  EXPECT_EQ(py.out, "1000 float32 float64 htautau,ztautau,ttbar,diboson,wjets,background\n");
}

TEST_F(CliEvents, ImportsAtlas2014OpenData) {
  const auto r = runCommand(cli() + " import " + test::atlas2014Csv().string() +
                            " --format atlas2014-csv --out " + path("atlas.h5"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("events"), 22889);
  EXPECT_EQ(readEvents(path("atlas.h5"), EventFormat::Hdf5).count(Process::HTauTau), 7817u);
}

TEST_F(CliEvents, ImportsHepMC3GeneratorEvents) {
  const std::string hepmc = (test::sharedDir() / "data/generator-events/example.hepmc3").string();
  const auto r = runCommand(cli() + " import " + hepmc + " --process ztautau --seed 1 --out " + path("z.h5"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("events_read"), 100);
  const EventTable t = readEvents(path("z.h5"), EventFormat::Hdf5);
  EXPECT_EQ(t.size(), j.at("events").get<std::size_t>());
  EXPECT_EQ(t.count(Process::ZTauTau), t.size());
  std::ofstream(path("bad.hepmc3")) << "not a hepmc file\n";
  const auto bad = runCommand(cli() + " import " + path("bad.hepmc3") + " --out " + path("bad.h5"));
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.err.find("bad.hepmc3"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(path("bad.h5")));
}

TEST_F(CliEvents, SystematicsMatchesTheGoldenRowCount) {
  const auto r = runCommand(cli() + " systematics " + fairH5() + " --tes 1.03 --out " + path("tes.csv"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("output_events"), 954);  // golden tes_1.03.csv
  EXPECT_EQ(j.at("nuisances").at("tes"), 1.03);
  EXPECT_EQ(test::CsvTable(path("tes.csv")).rows(), 954u);
  const auto noCuts = runCommand(cli() + " systematics " + fairH5() + " --no-cuts --out " + path("all.h5"));
  EXPECT_EQ(nlohmann::json::parse(noCuts.out).at("output_events"), 1000);
}

TEST_F(CliEvents, PseudoPrintsMuAndNuisancesAndIsReproducible) {
  const std::string h5 = fairH5();
  const std::string cmd = cli() + " pseudo --pool " + h5 + " --challenge neurips2024 --set 3 --pe 7 --seed 11 --out ";
  const auto a = runCommand(cmd + path("a.h5")), b = runCommand(cmd + path("b.h5") + " --threads 1");
  ASSERT_EQ(a.exitCode, 0) << a.err;
  const auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  EXPECT_EQ(ja.at("mu_true"), jb.at("mu_true"));
  EXPECT_EQ(ja.at("nuisances"), jb.at("nuisances"));
  EXPECT_EQ(ja.at("events"), jb.at("events"));
  EXPECT_GE(ja.at("mu_true").get<double>(), 0.1);
  EXPECT_GT(ja.at("events").get<double>(), 0.8e6);
  const auto ev = readEvents(path("a.h5"), EventFormat::Hdf5);
  EXPECT_EQ(ev.size(), ja.at("events").get<std::size_t>());
}

void expectUserError(const test::CommandResult& r, const std::string& fragment) {
  EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

TEST_F(CliEvents, PseudoFormatForcesThePoolFormat) {
  fs::copy_file(test::fairSampleCsv(), path("pool.txt"));
  const std::string cmd = " --challenge neurips2024 --set 0 --pe 0 --seed 5 --out ";
  expectUserError(runCommand(cli() + " pseudo --pool " + path("pool.txt") + cmd + path("x.h5")),
                  "cannot tell the format from the extension '.txt'");
  const auto csv = runCommand(cli() + " pseudo --pool " + path("pool.txt") + " --format fair-csv" + cmd + path("a.h5"));
  ASSERT_EQ(csv.exitCode, 0) << csv.err;
  const auto h5 = runCommand(cli() + " pseudo --pool " + fairH5() + cmd + path("b.h5"));
  ASSERT_EQ(h5.exitCode, 0) << h5.err;
  EXPECT_EQ(nlohmann::json::parse(csv.out).at("events"), nlohmann::json::parse(h5.out).at("events"));
  expectUserError(runCommand(cli() + " pseudo --pool " + path("pool.txt") + " --format parquet" + cmd + path("x.h5")),
                  "unknown format 'parquet'");
  EXPECT_FALSE(fs::exists(path("x.h5")));
}

TEST_F(CliEvents, ExportInFormatForcesTheInputFormat) {
  fs::copy_file(fairH5(), path("events.dat"));
  expectUserError(runCommand(cli() + " export " + path("events.dat") + " --out " + path("x.csv")),
                  "or pass --in-format");
  const auto r = runCommand(cli() + " export " + path("events.dat") + " --in-format hdf5 --out " + path("back.csv"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("events"), 1000);
  EXPECT_EQ(test::CsvTable(path("back.csv")).rows(), 1000u);
  fs::copy_file(test::fairSampleCsv(), path("sample.txt"));
  const auto csv = runCommand(cli() + " export " + path("sample.txt") + " --in-format fair-csv --format hdf5 --out " +
                              path("sample.out"));
  ASSERT_EQ(csv.exitCode, 0) << csv.err;
  EXPECT_EQ(readEvents(path("sample.out"), EventFormat::Hdf5).size(), 1000u);
  expectUserError(runCommand(cli() + " export " + path("events.dat") + " --in-format parquet --out " + path("x.csv")),
                  "--in-format: unknown format 'parquet'");
  EXPECT_FALSE(fs::exists(path("x.csv")));
}

TEST_F(CliEvents, BadInputGivesExitCode2AndNoOutputFile) {
  std::ofstream(path("bad.csv")) << "PRI_lep_pt,PRI_lep_eta\n1,2\n";
  expectUserError(runCommand(cli() + " import " + path("bad.csv") + " --out " + path("x.h5")), "missing column");
  EXPECT_FALSE(fs::exists(path("x.h5")));
  expectUserError(runCommand(cli() + " import " + test::fairSampleCsv().string() + " --format parquet --out " +
                             path("x.h5")),
                  "unknown format 'parquet'");
  expectUserError(runCommand(cli() + " systematics " + fairH5() + " --tes -1 --out " + path("x.h5")), "tes must be");
  expectUserError(runCommand(cli() + " systematics " + fairH5() + " --tes abc --out " + path("x.h5")), "tes");
  expectUserError(runCommand(cli() + " pseudo --pool " + fairH5() + " --set 10 --pe 0 --out " + path("x.h5")),
                  "--set 10 is out of range");
  expectUserError(runCommand(cli() + " pseudo --pool " + fairH5() + " --challenge nope --set 0 --pe 0 --out " +
                             path("x.h5")),
                  "neither a preset");
  expectUserError(runCommand(cli() + " import /no/such/file.csv --out " + path("x.h5")), "");
  EXPECT_FALSE(fs::exists(path("x.h5")));
  for (const auto& e : fs::directory_iterator(m_dir)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST_F(CliEvents, EverySubcommandHasHelp) {
  for (const char* sub : {"import", "export", "systematics", "pseudo"}) {
    const auto r = runCommand(cli() + " " + sub + " --help");
    EXPECT_EQ(r.exitCode, 0) << sub;
    EXPECT_NE(r.out.find("--out"), std::string::npos) << sub;
  }
  EXPECT_NE(runCommand(cli() + " pseudo --help").out.find("--format"), std::string::npos);
  EXPECT_NE(runCommand(cli() + " export --help").out.find("--in-format"), std::string::npos);
}

}  // namespace
}  // namespace higgsuq
