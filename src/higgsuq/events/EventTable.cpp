#include "higgsuq/events/EventTable.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

template <typename T>
void appendRange(Column<T>& to, const Column<T>& from, std::size_t begin, std::size_t end) {
  to.insert(to.end(), from.begin() + static_cast<std::ptrdiff_t>(begin),
            from.begin() + static_cast<std::ptrdiff_t>(end));
}

template <typename T>
void gatherInto(Column<T>& to, const Column<T>& from, std::span<const std::uint32_t> rows) {
  to.resize(rows.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows.size(), 1 << 16),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i < r.end(); ++i) to[i] = from[rows[i]];
                    });
}

}  // namespace

void EventTable::resize(std::size_t numEvents) {
  for (auto& c : m_columns) c.resize(numEvents, 0.0f);
  m_weights.resize(numEvents, 1.0);
  m_labels.resize(numEvents, 0);
  m_processes.resize(numEvents, Process::Background);
}

void EventTable::resizeUninitialized(std::size_t numEvents) {
  for (auto& c : m_columns) c.resize(numEvents);
  m_weights.resize(numEvents);
  m_labels.resize(numEvents);
  m_processes.resize(numEvents);
}

void EventTable::reserve(std::size_t numEvents) {
  for (auto& c : m_columns) c.reserve(numEvents);
  m_weights.reserve(numEvents);
  m_labels.reserve(numEvents);
  m_processes.reserve(numEvents);
}

void EventTable::append(const EventTable& other, std::size_t begin, std::size_t end) {
  HIGGSUQ_ASSERT(begin <= end && end <= other.size(), "append range out of bounds");
  for (std::size_t f = 0; f < kNumFeatures; ++f) appendRange(m_columns[f], other.m_columns[f], begin, end);
  appendRange(m_weights, other.m_weights, begin, end);
  appendRange(m_labels, other.m_labels, begin, end);
  appendRange(m_processes, other.m_processes, begin, end);
}

EventTable EventTable::gather(std::span<const std::uint32_t> rows) const {
  EventTable out;
  for (std::size_t f = 0; f < kNumFeatures; ++f) gatherInto(out.m_columns[f], m_columns[f], rows);
  gatherInto(out.m_weights, m_weights, rows);
  gatherInto(out.m_labels, m_labels, rows);
  gatherInto(out.m_processes, m_processes, rows);
  return out;
}

double EventTable::sumWeights() const {
  double s = 0.0;
  for (double w : m_weights) s += w;
  return s;
}

double EventTable::sumWeights(Process p) const {
  double s = 0.0;
  for (std::size_t i = 0; i < size(); ++i) {
    if (m_processes[i] == p) s += m_weights[i];
  }
  return s;
}

std::size_t EventTable::count(Process p) const {
  return static_cast<std::size_t>(std::count(m_processes.begin(), m_processes.end(), p));
}

}  // namespace higgsuq
