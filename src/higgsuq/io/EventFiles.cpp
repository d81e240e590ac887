#include "higgsuq/io/EventFiles.hpp"

#include <fstream>

#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/io/Hdf5Events.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
EventFormat eventFormatFromName(std::string_view name) {
  if (name == "hdf5" || name == "h5") return EventFormat::Hdf5;
  if (name == "fair-csv" || name == "csv") return EventFormat::FairCsv;
  if (name == "atlas2014-csv") return EventFormat::Atlas2014Csv;
  throw InputError("--format: unknown format '" + std::string(name) +
                   "', expected one of hdf5, fair-csv, atlas2014-csv");
}

std::string_view eventFormatName(EventFormat format) {
  switch (format) {
    case EventFormat::Hdf5: return "hdf5";
    case EventFormat::FairCsv: return "fair-csv";
    case EventFormat::Atlas2014Csv: return "atlas2014-csv";
  }
  return "?";
}

EventFormat eventFormatFromPath(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".h5" || ext == ".hdf5") return EventFormat::Hdf5;
  if (ext == ".csv") return EventFormat::FairCsv;
  throw InputError(path.string() + ": cannot tell the format from the extension '" + ext +
                   "' (expected .h5, .hdf5 or .csv; or pass --format)");
}

EventFormat resolveEventFormat(const std::filesystem::path& path, const std::optional<std::string>& forced) {
  return forced ? eventFormatFromName(*forced) : eventFormatFromPath(path);
}

EventChunkReader::EventChunkReader(const std::filesystem::path& path, EventFormat format) {
  if (format == EventFormat::Hdf5) {
    m_hdf5 = std::make_unique<Hdf5EventReader>(path);
  } else {
    m_csv = std::make_unique<CsvEventReader>(
        path, format == EventFormat::FairCsv ? CsvLayout::FairCsv : CsvLayout::Atlas2014Csv);
  }
}

EventChunkReader::~EventChunkReader() = default;

bool EventChunkReader::next(EventTable& chunk, std::size_t rows) {
  if (m_csv) return m_csv->readChunk(chunk, rows);
  const std::size_t n = std::min(rows, m_hdf5->size() - m_offset);
  if (n == 0) return false;
  m_hdf5->read(m_offset, n, chunk);
  m_offset += n;
  return true;
}

EventChunkWriter::EventChunkWriter(const std::filesystem::path& path, EventFormat format) {
  if (format == EventFormat::Atlas2014Csv) throw InputError("writing the ATLAS 2014 layout is not supported");
  if (format == EventFormat::Hdf5) {
    m_hdf5 = std::make_unique<Hdf5EventWriter>(path);
  } else {
    m_file = std::make_unique<AtomicFile>(path);
    m_out.open(m_file->temporaryPath(), std::ios::binary);
    m_out << csvHeader();
  }
}

EventChunkWriter::~EventChunkWriter() = default;

void EventChunkWriter::append(const EventTable& chunk) {
  if (m_hdf5) return m_hdf5->append(chunk);
  m_buffer.clear();
  formatCsvRows(chunk, 0, chunk.size(), m_buffer);
  m_out << m_buffer;
}

void EventChunkWriter::commit() {
  if (m_hdf5) return m_hdf5->commit();
  m_out.flush();
  if (!m_out) throw InputError(m_file->targetPath().string() + ": write failed");
  m_out.close();
  m_file->commit();
}

EventTable readEvents(const std::filesystem::path& path, EventFormat format) {
  if (format == EventFormat::Hdf5) return readHdf5Events(path);
  return readCsvEvents(path, format == EventFormat::FairCsv ? CsvLayout::FairCsv : CsvLayout::Atlas2014Csv);
}

void writeEvents(const std::filesystem::path& path, const EventTable& events, EventFormat format) {
  EventChunkWriter sink(path, format);
  sink.append(events);
  sink.commit();
}

std::size_t convertEvents(const std::filesystem::path& in, EventFormat inFormat, const std::filesystem::path& out,
                          EventFormat outFormat, std::size_t chunkRows) {
  EventChunkReader source(in, inFormat);
  EventChunkWriter sink(out, outFormat);
  EventTable chunk;
  std::size_t total = 0;
  while (source.next(chunk, chunkRows)) {
    sink.append(chunk);
    total += chunk.size();
  }
  if (total == 0) throw InputError(in.string() + ": no events");
  sink.commit();
  return total;
}

}  // namespace higgsuq
