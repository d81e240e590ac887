// Event tables from and to CSV.
//
// Layouts read:
//  - FairCsv: the FAIR Universe layout (header line; columns in any order; the 16 PRI columns required;
//    the 12 DER columns optional — if any is missing all DER are computed; optional `weights`
//    (default 1), `labels` (0/1) and `detailed_labels` (process name); other columns are ignored).
//  - Atlas2014Csv: the ATLAS Higgs ML Challenge 2014 open data (docs/formats.md gives the mapping:
//    PRI_tau_* -> PRI_had_*, PRI_jet_num -> PRI_n_jets, -999 -> -25, Label s/b -> 1/0, Weight -> weights).
// Written: the FAIR layout with 28 features, weights, labels, detailed_labels; each float as the
// shortest decimal that reads back to the same float32 (weights: same for float64).
//
// Bad input throws InputError "FILE:LINE: ..." naming the column and what was expected.
// CsvEventReader reads in chunks so memory stays bounded for large files.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "higgsuq/events/EventTable.hpp"

namespace higgsuq {

enum class CsvLayout { FairCsv, Atlas2014Csv };

class CsvEventReader {
 public:
  CsvEventReader(const std::filesystem::path& path, CsvLayout layout);

  /// True if the file carries all 12 DER columns (else readChunk computes them).
  bool hasDerived() const { return m_hasDerived; }

  /// Replaces `out` by up to maxRows next events; returns false once the file is exhausted.
  bool readChunk(EventTable& out, std::size_t maxRows);

 private:
  enum class Target : std::uint8_t { Ignore, Feature, Weight, Label, Process };
  struct ColumnTarget {
    Target target = Target::Ignore;
    Feature feature = Feature::LepPt;
    std::string name;
  };
  void readHeader();
  void parseLine(const std::string& line, EventTable& out, std::size_t row);
  void finishRow(EventTable& out, std::size_t row, bool labelSeen, bool processSeen);

  std::filesystem::path m_path;
  CsvLayout m_layout;
  std::ifstream m_in;
  std::vector<ColumnTarget> m_columns;
  bool m_hasDerived = false;
  bool m_hasLabels = false;
  bool m_hasProcesses = false;
  std::size_t m_lineNumber = 0;
  std::vector<std::string_view> m_fields;  // scratch, reused for every line
};

/// Reads a whole CSV file (DER computed if absent). Throws InputError if it holds no event.
EventTable readCsvEvents(const std::filesystem::path& path, CsvLayout layout);

/// Writes the FAIR layout atomically.
void writeCsvEvents(const std::filesystem::path& path, const EventTable& table);

/// Appends the CSV lines (no header) of rows [begin, end) to `out`.
void formatCsvRows(const EventTable& table, std::size_t begin, std::size_t end, std::string& out);

/// The header line of the written layout (with trailing newline).
std::string csvHeader();

}  // namespace higgsuq
