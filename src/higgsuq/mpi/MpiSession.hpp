// The one place higgsuq talks to MPI (OpenMPI from Debian): an RAII session that initialises MPI,
// reports this process's rank and the world size, and offers the two collective steps ingestion needs.
// MPI errors are translated into std::runtime_error here; no MPI type leaks out.
#pragma once

namespace higgsuq {

class MpiSession {
 public:
  /// MPI_Init (MPI_Finalize in the destructor).
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return m_rank; }
  int size() const { return m_size; }
  void barrier() const;
  /// Maximum of a value over all ranks.
  double maxOverRanks(double value) const;
  /// Sum of a value over all ranks.
  double sumOverRanks(double value) const;
  /// Logical AND of a flag over all ranks.
  bool allTrue(bool flag) const;

 private:
  int m_rank = 0;
  int m_size = 1;
};

}  // namespace higgsuq
