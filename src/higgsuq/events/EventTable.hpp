// EventTable: events stored as columns — one contiguous float32 array per feature, float64 weights,
// a 0/1 label and the process. Hot loops work on whole columns (`column(Feature::HadPt)`).
//
//   EventTable t(n);
//   auto pt = t.column(Feature::HadPt);   // std::span<float>, n values
//   t.weights()[i] = 1.0;
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <memory>
#include <utility>
#include <vector>

#include "higgsuq/events/Feature.hpp"

namespace higgsuq {

/// Allocator that leaves new elements uninitialised, so large columns that a kernel overwrites entirely
/// are not zero-filled first by one thread (first touch then happens in the parallel kernel).
template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  using std::allocator<T>::allocator;
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <typename T>
using Column = std::vector<T, DefaultInitAllocator<T>>;

class EventTable {
 public:
  EventTable() = default;
  explicit EventTable(std::size_t numEvents) { resize(numEvents); }

  std::size_t size() const { return m_weights.size(); }
  bool empty() const { return m_weights.empty(); }
  /// New rows are zero (weights 1, process Background).
  void resize(std::size_t numEvents);
  /// New rows are left uninitialised: for kernels that write every column of every new row.
  void resizeUninitialized(std::size_t numEvents);
  void reserve(std::size_t numEvents);
  void clear() { resize(0); }

  std::span<float> column(Feature f) { return m_columns[index(f)]; }
  std::span<const float> column(Feature f) const { return m_columns[index(f)]; }
  float value(Feature f, std::size_t row) const { return m_columns[index(f)][row]; }
  float& value(Feature f, std::size_t row) { return m_columns[index(f)][row]; }

  std::span<double> weights() { return m_weights; }
  std::span<const double> weights() const { return m_weights; }
  std::span<std::uint8_t> labels() { return m_labels; }
  std::span<const std::uint8_t> labels() const { return m_labels; }
  std::span<Process> processes() { return m_processes; }
  std::span<const Process> processes() const { return m_processes; }

  /// Appends rows [begin, end) of `other`.
  void append(const EventTable& other, std::size_t begin, std::size_t end);
  void append(const EventTable& other) { append(other, 0, other.size()); }

  /// A new table holding the given rows of this one, in the given order (repeats allowed).
  EventTable gather(std::span<const std::uint32_t> rows) const;

  /// Sum of weights, optionally restricted to one process.
  double sumWeights() const;
  double sumWeights(Process p) const;
  std::size_t count(Process p) const;

 private:
  std::array<Column<float>, kNumFeatures> m_columns;
  Column<double> m_weights;
  Column<std::uint8_t> m_labels;
  Column<Process> m_processes;
};

}  // namespace higgsuq
