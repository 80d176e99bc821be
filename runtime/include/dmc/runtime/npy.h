/* Reading and writing float32 .npy files (little-endian, C order; format versions 1.0, 2.0, 3.0
 * are read, 1.0 is written unless the header needs 2.0). Failures throw dmc::Error. */
#ifndef DMC_RUNTIME_NPY_H
#define DMC_RUNTIME_NPY_H

#include <cstdint>
#include <string>
#include <vector>

#include "dmc/runtime/error.h"
#include "dmc/runtime/export.h"

namespace dmc {

struct NpyArray {
  std::vector<int64_t> shape;  // empty for a 0-d array
  std::vector<float> data;     // row-major, product(shape) elements
};

// Parses the bytes of a whole .npy file; `source` names it in error messages.
DMCRT_API NpyArray parse_npy(const std::string& bytes, const std::string& source = "<memory>");
DMCRT_API NpyArray read_npy(const std::string& path);

// Serialises `data` (product(shape) floats, row-major) as .npy bytes / into a file.
DMCRT_API std::string format_npy(const float* data, const std::vector<int64_t>& shape);
DMCRT_API void write_npy(const std::string& path, const float* data,
                         const std::vector<int64_t>& shape);
inline void write_npy(const std::string& path, const NpyArray& array) {
  write_npy(path, array.data.data(), array.shape);
}

}  // namespace dmc

#endif
