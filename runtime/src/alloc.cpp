// Aligned allocation via std::aligned_alloc, whose size must be a multiple of the alignment.
#include "dmc/runtime/alloc.h"

#include <cstdlib>
#include <cstring>
#include <new>

extern "C" {

void* dmcrt_alloc(size_t bytes) {
  // Round up (and give 0-byte requests a real block so the pointer is unique and freeable).
  size_t rounded = bytes == 0 ? DMCRT_ALIGNMENT : (bytes + DMCRT_ALIGNMENT - 1) / DMCRT_ALIGNMENT * DMCRT_ALIGNMENT;
  if (rounded < bytes) return nullptr;  // overflow
  return std::aligned_alloc(DMCRT_ALIGNMENT, rounded);
}

void* dmcrt_alloc_zeroed(size_t bytes) {
  void* p = dmcrt_alloc(bytes);
  if (p) std::memset(p, 0, bytes);
  return p;
}

void dmcrt_free(void* ptr) { std::free(ptr); }

}  // extern "C"

namespace dmc {
AlignedBuffer::AlignedBuffer(size_t bytes, bool zeroed)
    : ptr_(zeroed ? dmcrt_alloc_zeroed(bytes) : dmcrt_alloc(bytes)), size_(bytes) {
  if (!ptr_) throw std::bad_alloc();
}
}  // namespace dmc
