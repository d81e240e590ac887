#include "higgsuq/io/CsvEvents.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>

#include "higgsuq/events/DerivedFeatures.hpp"
#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

constexpr float kAtlasMissing = -999.0f;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

void splitFields(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma == std::string_view::npos ? line.npos : comma - start)));
    if (comma == std::string_view::npos) return;
    start = comma + 1;
  }
}

/// Name of a column in FAIR terms, or empty if the layout ignores it.
std::string canonicalName(std::string_view name, CsvLayout layout) {
  if (layout == CsvLayout::FairCsv) return std::string(name);
  static const std::map<std::string_view, std::string_view> kAtlas{
      {"PRI_tau_pt", "PRI_had_pt"},   {"PRI_tau_eta", "PRI_had_eta"},
      {"PRI_tau_phi", "PRI_had_phi"}, {"PRI_jet_num", "PRI_n_jets"},
      {"DER_deltar_tau_lep", "DER_deltar_had_lep"}, {"DER_pt_ratio_lep_tau", "DER_pt_ratio_lep_had"},
      {"Weight", "weights"},          {"Label", "labels"}};
  if (auto it = kAtlas.find(name); it != kAtlas.end()) return std::string(it->second);
  if (name.starts_with("PRI_") || name.starts_with("DER_")) return std::string(name);
  return {};
}

template <typename T>
T parseNumber(std::string_view field, const std::string& where) {
  T value{};
  const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (field.empty() || ec != std::errc() || ptr != field.data() + field.size()) {
    throw InputError(where + ": '" + std::string(field) + "' is not a number");
  }
  if (!std::isfinite(value)) throw InputError(where + ": value is " + std::string(field) + ", expected a finite number");
  return value;
}

std::uint8_t parseLabel(std::string_view field, CsvLayout layout, const std::string& where) {
  if (layout == CsvLayout::Atlas2014Csv) {
    if (field == "s") return 1;
    if (field == "b") return 0;
    throw InputError(where + ": label '" + std::string(field) + "', expected s or b");
  }
  const double v = parseNumber<double>(field, where);
  if (v != 0.0 && v != 1.0) throw InputError(where + ": label " + std::string(field) + ", expected 0 or 1");
  return static_cast<std::uint8_t>(v);
}

}  // namespace

CsvEventReader::CsvEventReader(const std::filesystem::path& path, CsvLayout layout)
    : m_path(path), m_layout(layout), m_in(path, std::ios::binary) {
  if (!m_in) throw InputError(path.string() + ": cannot open file for reading");
  readHeader();
}

void CsvEventReader::readHeader() {
  std::string line;
  if (!std::getline(m_in, line)) throw InputError(m_path.string() + ": empty file, expected a CSV header line");
  m_lineNumber = 1;
  splitFields(line, m_fields);
  std::vector<bool> seen(kNumFeatures, false);
  for (std::string_view raw : m_fields) {
    ColumnTarget col;
    col.name = std::string(raw);
    const std::string name = canonicalName(raw, m_layout);
    if (auto f = featureFromName(name)) {
      if (seen[index(*f)]) throw InputError(m_path.string() + ":1: column " + name + " appears twice");
      seen[index(*f)] = true;
      col.target = Target::Feature;
      col.feature = *f;
    } else if (name == "weights") {
      col.target = Target::Weight;
    } else if (name == "labels") {
      col.target = Target::Label;
      m_hasLabels = true;
    } else if (name == "detailed_labels") {
      col.target = Target::Process;
      m_hasProcesses = true;
    }
    m_columns.push_back(col);
  }
  for (std::size_t f = 0; f < kNumPrimary; ++f) {
    if (!seen[f]) {
      throw InputError(m_path.string() + ":1: missing column " + std::string(featureName(featureAt(f))) +
                       " (the 16 PRI columns are required)");
    }
  }
  m_hasDerived = true;
  for (std::size_t f = kNumPrimary; f < kNumFeatures; ++f) m_hasDerived = m_hasDerived && seen[f];
}

void CsvEventReader::parseLine(const std::string& line, EventTable& out, std::size_t row) {
  splitFields(line, m_fields);
  const std::string at = m_path.string() + ":" + std::to_string(m_lineNumber);
  if (m_fields.size() != m_columns.size()) {
    throw InputError(at + ": expected " + std::to_string(m_columns.size()) + " fields, found " +
                     std::to_string(m_fields.size()) + " (truncated or malformed line)");
  }
  bool labelSeen = false, processSeen = false;
  for (std::size_t c = 0; c < m_columns.size(); ++c) {
    const ColumnTarget& col = m_columns[c];
    if (col.target == Target::Ignore) continue;
    const std::string where = at + ": column " + col.name;
    const std::string_view field = m_fields[c];
    switch (col.target) {
      case Target::Feature: {
        float v = parseNumber<float>(field, where);
        if (m_layout == CsvLayout::Atlas2014Csv && v == kAtlasMissing) v = kMissingValue;
        out.value(col.feature, row) = v;
        break;
      }
      case Target::Weight: out.weights()[row] = parseNumber<double>(field, where); break;
      case Target::Label:
        out.labels()[row] = parseLabel(field, m_layout, where);
        labelSeen = true;
        break;
      case Target::Process: {
        const auto p = processFromName(field);
        if (!p) throw InputError(where + ": unknown process '" + std::string(field) + "'");
        out.processes()[row] = *p;
        processSeen = true;
        break;
      }
      case Target::Ignore: break;
    }
  }
  finishRow(out, row, labelSeen, processSeen);
}

void CsvEventReader::finishRow(EventTable& out, std::size_t row, bool labelSeen, bool processSeen) {
  if (processSeen && labelSeen && out.labels()[row] != (isSignal(out.processes()[row]) ? 1 : 0)) {
    throw InputError(m_path.string() + ":" + std::to_string(m_lineNumber) + ": label " +
                     std::to_string(out.labels()[row]) + " contradicts detailed_labels " +
                     std::string(processName(out.processes()[row])));
  }
  if (processSeen && !labelSeen) out.labels()[row] = isSignal(out.processes()[row]) ? 1 : 0;
  if (!processSeen) out.processes()[row] = out.labels()[row] ? Process::HTauTau : Process::Background;
  if (!m_columns.empty() && out.weights().size() > row && !std::isfinite(out.weights()[row])) {
    throw InputError(m_path.string() + ":" + std::to_string(m_lineNumber) + ": weight is not finite");
  }
}

bool CsvEventReader::readChunk(EventTable& out, std::size_t maxRows) {
  out.resize(maxRows);
  std::size_t row = 0;
  std::string line;
  while (row < maxRows && std::getline(m_in, line)) {
    ++m_lineNumber;
    if (trim(line).empty()) continue;
    parseLine(line, out, row);
    ++row;
  }
  out.resize(row);
  if (!m_hasDerived && row > 0) computeDerived(out);
  return row > 0;
}

EventTable readCsvEvents(const std::filesystem::path& path, CsvLayout layout) {
  CsvEventReader reader(path, layout);
  EventTable all, chunk;
  while (reader.readChunk(chunk, 1 << 16)) all.append(chunk);
  if (all.empty()) throw InputError(path.string() + ": no events after the header line");
  return all;
}

std::string csvHeader() {
  std::string h;
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    h += featureName(featureAt(f));
    h += ',';
  }
  h += "weights,labels,detailed_labels\n";
  return h;
}

void formatCsvRows(const EventTable& table, std::size_t begin, std::size_t end, std::string& out) {
  char buf[64];
  for (std::size_t i = begin; i < end; ++i) {
    for (std::size_t f = 0; f < kNumFeatures; ++f) {
      const auto r = std::to_chars(buf, buf + sizeof buf, table.value(featureAt(f), i));
      out.append(buf, r.ptr);
      out += ',';
    }
    const auto r = std::to_chars(buf, buf + sizeof buf, table.weights()[i]);
    out.append(buf, r.ptr);
    out += table.labels()[i] ? ",1," : ",0,";
    out += processName(table.processes()[i]);
    out += '\n';
  }
}

void writeCsvEvents(const std::filesystem::path& path, const EventTable& table) {
  AtomicFile file(path);
  {
    std::ofstream out(file.temporaryPath(), std::ios::binary);
    out << csvHeader();
    std::string buffer;
    constexpr std::size_t kChunk = 1 << 14;
    for (std::size_t begin = 0; begin < table.size(); begin += kChunk) {
      buffer.clear();
      formatCsvRows(table, begin, std::min(table.size(), begin + kChunk), buffer);
      out << buffer;
    }
    out.flush();
    if (!out) throw InputError(path.string() + ": write failed");
  }
  file.commit();
}

}  // namespace higgsuq
