#include "higgsuq/ingest/Ingestion.hpp"

#include <tbb/parallel_for_each.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ingest {
namespace {

using Clock = std::chrono::steady_clock;
using PeKey = std::pair<int, int>;

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// The run's identity; a resumed run must match it.
nlohmann::json runManifest(const IngestionConfig& c, const std::string& model, const std::string& challenge) {
  return {{"format", "higgsuq-ingestion"}, {"version", 1}, {"seed", c.seed}, {"sets", c.sets},
          {"pseudo_experiments", c.pseudoExperiments}, {"ranks", c.ranks}, {"model", model},
          {"challenge", challenge}};
}

void checkOrWriteManifest(const IngestionConfig& c, const nlohmann::json& manifest) {
  const auto file = c.outDir / "ingestion.json";
  if (std::filesystem::exists(file)) {
    const auto existing = parseJsonText(readFileText(file), file.string());
    if (existing != manifest) {
      throw InputError(file.string() + ": the run there differs (" + existing.dump() + "); cannot continue it with " +
                       manifest.dump());
    }
  } else if (c.rank == 0) {
    writeFileAtomically(file, manifest.dump(2) + "\n");
  }
  const auto records = recordFile(c, c.rank);
  if (!c.resume && std::filesystem::exists(records) && std::filesystem::file_size(records) > 0) {
    throw InputError(c.outDir.string() + ": holds results of an earlier run; pass --resume to complete it "
                     "or choose a new output directory");
  }
}

/// Reads the complete lines of a record file; a partial last line (a kill during a write) is cut off.
std::vector<PseudoExperimentRecord> recoverRecords(const std::filesystem::path& file) {
  std::vector<PseudoExperimentRecord> records;
  if (!std::filesystem::exists(file)) return records;
  const std::string text = readFileText(file);
  const std::size_t end = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (end != text.size()) std::filesystem::resize_file(file, end);
  std::size_t start = 0, line = 0;
  while (start < end) {
    const std::size_t nl = text.find('\n', start);
    ++line;
    const std::string source = file.string() + ":" + std::to_string(line);
    records.push_back(recordFromJson(parseJsonText(text.substr(start, nl - start), source), source));
    start = nl + 1;
  }
  return records;
}

/// Appends one JSON line per record and flushes it to the operating system at once.
class RecordAppender {
 public:
  explicit RecordAppender(const std::filesystem::path& file) : m_file(std::fopen(file.c_str(), "ab")) {
    if (!m_file) throw InputError(file.string() + ": cannot open for appending");
  }
  ~RecordAppender() { std::fclose(m_file); }
  RecordAppender(const RecordAppender&) = delete;
  RecordAppender& operator=(const RecordAppender&) = delete;
  void append(const PseudoExperimentRecord& r) {
    const std::string line = toJson(r).dump() + "\n";
    const std::lock_guard lock(m_mutex);
    std::fwrite(line.data(), 1, line.size(), m_file);
    std::fflush(m_file);
  }

 private:
  std::FILE* m_file;
  std::mutex m_mutex;
};

/// Adds "fitted_<name>" for every nuisance the model fitted (none for a model without nuisances).
void recordFittedNuisances(const FittedNuisances& fitted, std::map<std::string, double>& nuisances) {
  for (Nuisance n : kAllNuisances) {
    if (!fitted.floated[index(n)]) continue;
    nuisances[kFittedNuisancePrefix + std::string(nuisanceName(n))] = fitted.values.get(n);
  }
}

PseudoExperimentRecord evaluate(const Model& model, const PseudoExperimentFactory& factory,
                                const IngestionConfig& c, PeKey key) {
  const auto t0 = Clock::now();
  PseudoExperimentRecord r;
  r.set = key.first;
  r.index = key.second;
  r.seed = c.seed;
  const PseudoExperiment pe = factory.build({c.seed, key.first, key.second});
  r.muTrue = pe.muTrue;
  for (Nuisance n : kAllNuisances) {
    if (factory.definition().floats(n)) r.nuisances[std::string(nuisanceName(n))] = pe.nuisances.get(n);
  }
  Prediction p;
  try {
    p = model.predict(pe);
  } catch (const std::exception& e) {
    p = Prediction{};
    p.status = PredictionStatus::Error;
  }
  r.muHat = p.muHat;
  r.deltaMuHat = p.deltaMuHat;
  r.p16 = p.p16;
  r.p84 = p.p84;
  recordFittedNuisances(p.fitted, r.nuisances);
  r.status = std::string(predictionStatusName(p.status));
  r.seconds = secondsSince(t0);
  return r;
}

}  // namespace

void IngestionConfig::validate() const {
  if (sets < 1 || pseudoExperiments < 1) throw InputError("ingestion: --sets and --pes must be >= 1");
  if (ranks < 1 || rank < 0 || rank >= ranks) throw InputError("ingestion: rank must be in [0, ranks)");
  if (outDir.empty()) throw InputError("ingestion: --out is required");
}

std::filesystem::path recordFile(const IngestionConfig& c, int rank) {
  if (c.ranks == 1) return c.outDir / kPseudoExperimentsFile;
  return c.outDir / ("pseudo_experiments.rank" + std::to_string(rank) + ".jsonl");
}

IngestionSummary runIngestion(const Model& model, const PseudoExperimentFactory& factory,
                              const IngestionConfig& c, const ProgressCallback& progress) {
  c.validate();
  const auto t0 = Clock::now();
  std::filesystem::create_directories(c.outDir);
  checkOrWriteManifest(c, runManifest(c, model.name(), factory.definition().name));
  std::set<PeKey> done;
  for (const auto& r : recoverRecords(recordFile(c, c.rank))) {
    if (!done.insert({r.set, r.index}).second) {
      throw InputError(recordFile(c, c.rank).string() + ": pseudo-experiment (" + std::to_string(r.set) + ", " +
                       std::to_string(r.index) + ") recorded twice");
    }
  }
  std::vector<PeKey> todo;
  std::size_t total = 0;
  for (int s = 0; s < c.sets; ++s) {
    for (int k = 0; k < c.pseudoExperiments; ++k) {
      if ((static_cast<long>(s) * c.pseudoExperiments + k) % c.ranks != c.rank) continue;
      ++total;
      if (!done.count({s, k})) todo.push_back({s, k});
    }
  }
  IngestionSummary summary;
  summary.resumed = total - todo.size();
  RecordAppender appender(recordFile(c, c.rank));
  std::mutex progressMutex;
  IngestionProgress state{summary.resumed, total, 0.0};
  tbb::parallel_for_each(todo.begin(), todo.end(), [&](PeKey key) {
    const PseudoExperimentRecord r = evaluate(model, factory, c, key);
    appender.append(r);
    const std::lock_guard lock(progressMutex);
    ++summary.computed;
    if (r.status != "ok") ++summary.failed;
    state.done = summary.resumed + summary.computed;
    state.seconds = secondsSince(t0);
    if (progress) progress(state);
  });
  summary.seconds = secondsSince(t0);
  return summary;
}

void finalizeIngestion(const IngestionConfig& c, double ingestionSeconds) {
  std::vector<PseudoExperimentRecord> all;
  for (int rank = 0; rank < c.ranks; ++rank) {
    for (auto& r : recoverRecords(recordFile(c, rank))) all.push_back(std::move(r));
  }
  const auto sets = resultsFromRecords(all, c.outDir.string());
  std::vector<double> mus;
  for (int s = 0; s < c.sets; ++s) {
    if (s >= static_cast<int>(sets.size()) || sets[s].set != s ||
        static_cast<int>(sets[s].muHats.size()) != c.pseudoExperiments) {
      throw InputError(c.outDir.string() + ": set " + std::to_string(s) + " is incomplete; run again with --resume");
    }
    mus.push_back(sets[s].muTrue);
    writeResultFile(c.outDir, sets[s]);
  }
  writeTestSettings(c.outDir, mus);
  const nlohmann::json duration{{"ingestion_duration", static_cast<int>(ingestionSeconds / 60.0)},
                                {"ingestion_seconds", ingestionSeconds}};
  writeFileAtomically(c.outDir / kIngestionDurationFile, duration.dump() + "\n");
}

}  // namespace higgsuq::ingest
