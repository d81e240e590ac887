// higgsuq's native event format: HDF5 (docs/formats.md). Group /events holds one chunked, compressed
// 1-D dataset per column: the 28 features (float32, reference names), `weights` (float64), `labels`
// (uint8) and `process` (uint8, names in the group attribute `process_names`). Readable by h5py.
//
// Writer and reader go through the file in chunks, so memory stays bounded for any file size.
// HDF5 errors are translated at this seam into InputError naming the file and the dataset.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>

#include "higgsuq/events/EventTable.hpp"

namespace higgsuq {

class Hdf5EventWriter {
 public:
  struct Config {
    std::size_t chunkRows = 1 << 16;
    int compressionLevel = 4;  ///< deflate level 0-9 (with the byte-shuffle filter)
  };
  /// Writes to a temporary file beside `path`; commit() renames it into place.
  Hdf5EventWriter(const std::filesystem::path& path, const Config& config);
  explicit Hdf5EventWriter(const std::filesystem::path& path) : Hdf5EventWriter(path, Config{}) {}
  ~Hdf5EventWriter();
  Hdf5EventWriter(const Hdf5EventWriter&) = delete;
  Hdf5EventWriter& operator=(const Hdf5EventWriter&) = delete;

  void append(const EventTable& events);
  std::size_t size() const;
  void commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

class Hdf5EventReader {
 public:
  explicit Hdf5EventReader(const std::filesystem::path& path);
  ~Hdf5EventReader();
  Hdf5EventReader(const Hdf5EventReader&) = delete;
  Hdf5EventReader& operator=(const Hdf5EventReader&) = delete;

  std::size_t size() const;
  /// Replaces `out` by rows [begin, begin + count) of the file.
  void read(std::size_t begin, std::size_t count, EventTable& out) const;
  EventTable readAll() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Whole-table helpers.
void writeHdf5Events(const std::filesystem::path& path, const EventTable& events);
EventTable readHdf5Events(const std::filesystem::path& path);

}  // namespace higgsuq
