// Process-wide allocator tuning for programs that allocate and free large columns repeatedly.
#pragma once

namespace higgsuq {

/// Tunes glibc malloc to keep large freed blocks for reuse: pseudo-experiments allocate and free ~100 MB
/// of columns each, and without this every one pays the kernel's page faults again. Call once from main.
void keepFreedMemoryForReuse();

}  // namespace higgsuq
