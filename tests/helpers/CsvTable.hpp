// A minimal CSV reader for test fixtures (golden files): header + rows of strings, with numeric access
// by column name. Not used by the library (which has its own validated reader).
#pragma once

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace higgsuq::test {

class CsvTable {
 public:
  explicit CsvTable(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    std::string line;
    std::getline(in, line);
    m_header = split(line);
    for (std::size_t i = 0; i < m_header.size(); ++i) m_index[m_header[i]] = i;
    while (std::getline(in, line)) {
      if (!line.empty()) m_rows.push_back(split(line));
    }
  }
  std::size_t rows() const { return m_rows.size(); }
  bool has(const std::string& column) const { return m_index.count(column) > 0; }
  const std::string& text(std::size_t row, const std::string& column) const {
    return m_rows.at(row).at(m_index.at(column));
  }
  double number(std::size_t row, const std::string& column) const {
    const std::string& s = text(row, column);
    double v = 0.0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
  }
  std::vector<double> column(const std::string& name) const {
    std::vector<double> out;
    for (std::size_t r = 0; r < rows(); ++r) out.push_back(number(r, name));
    return out;
  }

 private:
  static std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      out.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (!out.empty() && !out.back().empty() && out.back().back() == '\r') out.back().pop_back();
    return out;
  }
  std::vector<std::string> m_header;
  std::map<std::string, std::size_t> m_index;
  std::vector<std::vector<std::string>> m_rows;
};

}  // namespace higgsuq::test
