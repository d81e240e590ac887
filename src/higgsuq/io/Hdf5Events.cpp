#include "higgsuq/io/Hdf5Events.hpp"

#include <hdf5.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

constexpr const char* kGroup = "events";
constexpr const char* kFormatName = "higgsuq-events";
constexpr int kFormatVersion = 1;

/// One HDF5 identifier, closed with its own close function (RAII).
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : m_id(id), m_closer(closer) {}
  Handle(Handle&& o) noexcept : m_id(o.m_id), m_closer(o.m_closer) { o.m_id = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept {
    std::swap(m_id, o.m_id);
    std::swap(m_closer, o.m_closer);
    return *this;
  }
  ~Handle() {
    if (m_id >= 0 && m_closer) m_closer(m_id);
  }
  hid_t get() const { return m_id; }

 private:
  hid_t m_id = H5I_INVALID_HID;
  Closer m_closer = nullptr;
};

Handle check(hid_t id, Handle::Closer closer, const std::string& what) {
  if (id < 0) throw InputError(what);
  return Handle(id, closer);
}

void checkStatus(herr_t status, const std::string& what) {
  if (status < 0) throw InputError(what);
}

void silenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

struct ColumnSpec {
  std::string name;
  hid_t memType;
};

std::vector<ColumnSpec> columnSpecs() {
  std::vector<ColumnSpec> specs;
  for (std::size_t f = 0; f < kNumFeatures; ++f) specs.push_back({std::string(featureName(featureAt(f))), H5T_NATIVE_FLOAT});
  specs.push_back({"weights", H5T_NATIVE_DOUBLE});
  specs.push_back({"labels", H5T_NATIVE_UINT8});
  specs.push_back({"process", H5T_NATIVE_UINT8});
  return specs;
}

const void* columnData(const EventTable& t, std::size_t c) {
  if (c < kNumFeatures) return t.column(featureAt(c)).data();
  if (c == kNumFeatures) return t.weights().data();
  if (c == kNumFeatures + 1) return t.labels().data();
  return t.processes().data();
}

void* columnData(EventTable& t, std::size_t c) {
  return const_cast<void*>(columnData(static_cast<const EventTable&>(t), c));
}

std::string processNamesAttribute() {
  std::string s;
  for (Process p : kAllProcesses) {
    if (!s.empty()) s += ',';
    s += processName(p);
  }
  return s;
}

void writeStringAttribute(hid_t obj, const char* name, const std::string& value) {
  Handle type = check(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  H5Tset_size(type.get(), value.size() + 1);
  Handle space = check(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  Handle attr = check(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                      std::string("cannot create attribute ") + name);
  checkStatus(H5Awrite(attr.get(), type.get(), value.c_str()), std::string("cannot write attribute ") + name);
}

void writeIntAttribute(hid_t obj, const char* name, int value) {
  Handle space = check(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  Handle attr = check(H5Acreate2(obj, name, H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                      std::string("cannot create attribute ") + name);
  checkStatus(H5Awrite(attr.get(), H5T_NATIVE_INT, &value), std::string("cannot write attribute ") + name);
}

hid_t fileTypeFor(hid_t memType) {
  if (memType == H5T_NATIVE_FLOAT) return H5T_IEEE_F32LE;
  if (memType == H5T_NATIVE_DOUBLE) return H5T_IEEE_F64LE;
  return H5T_STD_U8LE;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
struct Hdf5EventWriter::Impl {
  AtomicFile output;
  Config config;
  Handle file, group;
  std::vector<Handle> datasets;
  std::vector<ColumnSpec> specs = columnSpecs();
  std::size_t rows = 0;

  Impl(const std::filesystem::path& path, const Config& cfg) : output(path), config(cfg) {
    if (cfg.chunkRows == 0 || cfg.compressionLevel < 0 || cfg.compressionLevel > 9) {
      throw std::invalid_argument("Hdf5EventWriter: chunkRows must be > 0 and compressionLevel in 0..9");
    }
    silenceHdf5();
    const std::string where = path.string();
    file = check(H5Fcreate(output.temporaryPath().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                 where + ": cannot create HDF5 file");
    group = check(H5Gcreate2(file.get(), kGroup, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                  where + ": cannot create group /events");
    writeStringAttribute(group.get(), "format", kFormatName);
    writeIntAttribute(group.get(), "format_version", kFormatVersion);
    writeStringAttribute(group.get(), "process_names", processNamesAttribute());
    for (const auto& spec : specs) datasets.push_back(createDataset(spec, where));
  }

  Handle createDataset(const ColumnSpec& spec, const std::string& where) {
    const hsize_t dims[1] = {0}, maxDims[1] = {H5S_UNLIMITED}, chunk[1] = {config.chunkRows};
    Handle space = check(H5Screate_simple(1, dims, maxDims), H5Sclose, "H5Screate_simple");
    Handle props = check(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "H5Pcreate");
    checkStatus(H5Pset_chunk(props.get(), 1, chunk), where + ": cannot set chunking");
    if (config.compressionLevel > 0) {
      checkStatus(H5Pset_shuffle(props.get()), where + ": cannot set shuffle filter");
      checkStatus(H5Pset_deflate(props.get(), static_cast<unsigned>(config.compressionLevel)),
                  where + ": cannot set deflate filter");
    }
    return check(H5Dcreate2(group.get(), spec.name.c_str(), fileTypeFor(spec.memType), space.get(), H5P_DEFAULT,
                            props.get(), H5P_DEFAULT),
                 H5Dclose, where + ": cannot create dataset events/" + spec.name);
  }

  void append(const EventTable& t) {
    if (t.empty()) return;
    const hsize_t newSize[1] = {rows + t.size()};
    const hsize_t start[1] = {rows}, count[1] = {t.size()};
    for (std::size_t c = 0; c < specs.size(); ++c) {
      const std::string what = output.targetPath().string() + ": cannot write dataset events/" + specs[c].name;
      checkStatus(H5Dset_extent(datasets[c].get(), newSize), what);
      Handle fileSpace = check(H5Dget_space(datasets[c].get()), H5Sclose, what);
      checkStatus(H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), what);
      Handle memSpace = check(H5Screate_simple(1, count, nullptr), H5Sclose, what);
      checkStatus(H5Dwrite(datasets[c].get(), specs[c].memType, memSpace.get(), fileSpace.get(), H5P_DEFAULT,
                           columnData(t, c)),
                  what);
    }
    rows += t.size();
  }

  void commit() {
    datasets.clear();
    group = Handle();
    checkStatus(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), output.targetPath().string() + ": flush failed");
    file = Handle();
    output.commit();
  }
};

Hdf5EventWriter::Hdf5EventWriter(const std::filesystem::path& path, const Config& config)
    : m_impl(std::make_unique<Impl>(path, config)) {}
Hdf5EventWriter::~Hdf5EventWriter() = default;
void Hdf5EventWriter::append(const EventTable& events) { m_impl->append(events); }
std::size_t Hdf5EventWriter::size() const { return m_impl->rows; }
void Hdf5EventWriter::commit() { m_impl->commit(); }

// ---------------------------------------------------------------------------------------------------
struct Hdf5EventReader::Impl {
  std::string where;
  Handle file, group;
  std::vector<Handle> datasets;
  std::vector<ColumnSpec> specs = columnSpecs();
  std::size_t rows = 0;

  explicit Impl(const std::filesystem::path& path) : where(path.string()) {
    silenceHdf5();
    if (!std::filesystem::exists(path)) throw InputError(where + ": no such file");
    if (H5Fis_hdf5(path.c_str()) <= 0) throw InputError(where + ": not an HDF5 file");
    file = check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, where + ": cannot open HDF5 file");
    group = check(H5Gopen2(file.get(), kGroup, H5P_DEFAULT), H5Gclose,
                  where + ": no group /events (not a higgsuq event file)");
    for (std::size_t c = 0; c < specs.size(); ++c) openDataset(specs[c], c == 0);
  }

  void openDataset(const ColumnSpec& spec, bool first) {
    const std::string what = where + ": dataset events/" + spec.name;
    if (H5Lexists(group.get(), spec.name.c_str(), H5P_DEFAULT) <= 0) throw InputError(what + " is missing");
    Handle ds = check(H5Dopen2(group.get(), spec.name.c_str(), H5P_DEFAULT), H5Dclose, what + " cannot be opened");
    Handle space = check(H5Dget_space(ds.get()), H5Sclose, what);
    if (H5Sget_simple_extent_ndims(space.get()) != 1) throw InputError(what + " must be one-dimensional");
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space.get(), &n, nullptr);
    if (first) rows = n;
    if (n != rows) {
      throw InputError(what + " has " + std::to_string(n) + " rows, expected " + std::to_string(rows));
    }
    datasets.push_back(std::move(ds));
  }

  void read(std::size_t begin, std::size_t count, EventTable& out) const {
    if (begin + count > rows) throw InputError(where + ": read past the end of the file");
    out.resize(count);
    if (count == 0) return;
    const hsize_t start[1] = {begin}, cnt[1] = {count};
    for (std::size_t c = 0; c < specs.size(); ++c) {
      const std::string what = where + ": cannot read dataset events/" + specs[c].name;
      Handle fileSpace = check(H5Dget_space(datasets[c].get()), H5Sclose, what);
      checkStatus(H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start, nullptr, cnt, nullptr), what);
      Handle memSpace = check(H5Screate_simple(1, cnt, nullptr), H5Sclose, what);
      checkStatus(H5Dread(datasets[c].get(), specs[c].memType, memSpace.get(), fileSpace.get(), H5P_DEFAULT,
                          columnData(out, c)),
                  what);
    }
    validate(out, begin);
  }

  void validate(const EventTable& out, std::size_t begin) const {
    for (std::size_t f = 0; f < kNumFeatures; ++f) {
      const auto col = out.column(featureAt(f));
      for (std::size_t i = 0; i < col.size(); ++i) {
        if (!std::isfinite(col[i])) {
          throw InputError(where + ": dataset events/" + std::string(featureName(featureAt(f))) + " row " +
                           std::to_string(begin + i) + " is not a finite number");
        }
      }
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (!std::isfinite(out.weights()[i])) {
        throw InputError(where + ": dataset events/weights row " + std::to_string(begin + i) + " is not finite");
      }
      if (static_cast<std::size_t>(out.processes()[i]) >= kNumProcesses || out.labels()[i] > 1) {
        throw InputError(where + ": row " + std::to_string(begin + i) + " has an invalid label or process code");
      }
    }
  }
};

Hdf5EventReader::Hdf5EventReader(const std::filesystem::path& path) : m_impl(std::make_unique<Impl>(path)) {}
Hdf5EventReader::~Hdf5EventReader() = default;
std::size_t Hdf5EventReader::size() const { return m_impl->rows; }
void Hdf5EventReader::read(std::size_t begin, std::size_t count, EventTable& out) const {
  m_impl->read(begin, count, out);
}
EventTable Hdf5EventReader::readAll() const {
  EventTable t;
  read(0, size(), t);
  return t;
}

void writeHdf5Events(const std::filesystem::path& path, const EventTable& events) {
  Hdf5EventWriter writer(path);
  writer.append(events);
  writer.commit();
}

EventTable readHdf5Events(const std::filesystem::path& path) { return Hdf5EventReader(path).readAll(); }

}  // namespace higgsuq
