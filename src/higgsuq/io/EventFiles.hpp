// One entry point for event files whatever their format: chosen from the extension (.h5/.hdf5 ->
// HDF5, .csv -> FAIR CSV) unless forced by name ("hdf5", "fair-csv", "atlas2014-csv").
#pragma once

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "higgsuq/events/EventTable.hpp"

namespace higgsuq {

class CsvEventReader;
class Hdf5EventReader;
class Hdf5EventWriter;
class AtomicFile;

enum class EventFormat { Hdf5, FairCsv, Atlas2014Csv };

/// Parses a --format value; InputError listing the accepted names otherwise.
EventFormat eventFormatFromName(std::string_view name);
std::string_view eventFormatName(EventFormat format);

/// The format implied by a path's extension; InputError if there is none.
EventFormat eventFormatFromPath(const std::filesystem::path& path);

/// `forced` if given, else from the extension.
EventFormat resolveEventFormat(const std::filesystem::path& path, const std::optional<std::string>& forced);

EventTable readEvents(const std::filesystem::path& path, EventFormat format);
void writeEvents(const std::filesystem::path& path, const EventTable& events, EventFormat format);

/// Reads any event format chunk by chunk (bounded memory).
class EventChunkReader {
 public:
  EventChunkReader(const std::filesystem::path& path, EventFormat format);
  ~EventChunkReader();
  /// Replaces `chunk` by up to `rows` next events; false once exhausted.
  bool next(EventTable& chunk, std::size_t rows);

 private:
  std::unique_ptr<CsvEventReader> m_csv;
  std::unique_ptr<Hdf5EventReader> m_hdf5;
  std::size_t m_offset = 0;
};

/// Writes HDF5 or FAIR CSV chunk by chunk; the file appears only on commit() (temporary + rename).
class EventChunkWriter {
 public:
  EventChunkWriter(const std::filesystem::path& path, EventFormat format);
  ~EventChunkWriter();
  void append(const EventTable& chunk);
  void commit();

 private:
  std::unique_ptr<Hdf5EventWriter> m_hdf5;
  std::unique_ptr<AtomicFile> m_file;
  std::ofstream m_out;
  std::string m_buffer;
};

/// Streams `in` to `out` in chunks of `chunkRows` (bounded memory); returns the number of events.
std::size_t convertEvents(const std::filesystem::path& in, EventFormat inFormat, const std::filesystem::path& out,
                          EventFormat outFormat, std::size_t chunkRows = 1 << 16);

}  // namespace higgsuq
