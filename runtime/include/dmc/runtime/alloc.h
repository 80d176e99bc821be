/* 64-byte aligned allocation (cache line / AVX-512 vector) for tensors and transients. */
#ifndef DMC_RUNTIME_ALLOC_H
#define DMC_RUNTIME_ALLOC_H

#include <stddef.h>

#include "dmc/runtime/export.h"

#define DMCRT_ALIGNMENT 64

#ifdef __cplusplus
extern "C" {
#endif

/* Returns a DMCRT_ALIGNMENT-aligned block of at least `bytes` bytes (contents unspecified), or
 * NULL when out of memory. bytes == 0 returns a valid, unique pointer. Free with dmcrt_free. */
DMCRT_API void* dmcrt_alloc(size_t bytes);
/* Same, zero-filled. */
DMCRT_API void* dmcrt_alloc_zeroed(size_t bytes);
/* Accepts NULL. */
DMCRT_API void dmcrt_free(void* ptr);

#ifdef __cplusplus
} /* extern "C" */

#include <utility>

namespace dmc {
/* Owning, move-only aligned buffer. Throws std::bad_alloc when allocation fails. */
class DMCRT_API AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t bytes, bool zeroed = false);
  ~AlignedBuffer() { dmcrt_free(ptr_); }
  AlignedBuffer(AlignedBuffer&& other) noexcept
      : ptr_(std::exchange(other.ptr_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept {
    if (this != &other) {
      dmcrt_free(ptr_);
      ptr_ = std::exchange(other.ptr_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;

  void* get() const { return ptr_; }
  template <typename T>
  T* as() const { return static_cast<T*>(ptr_); }
  size_t size() const { return size_; }  // bytes requested
  explicit operator bool() const { return ptr_ != nullptr; }

 private:
  void* ptr_ = nullptr;
  size_t size_ = 0;
};
}  // namespace dmc
#endif

#endif
