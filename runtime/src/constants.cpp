// Constant inputs read from the data file beside a compiled library.
#include "dmc/runtime/constants.h"
#include "dmc/runtime/alloc.h"
#include "dmc/runtime/error.h"

#include "kernel_util.h"

#include <dlfcn.h>

#include <cstdio>
#include <string>
#include <sys/stat.h>

extern "C" int dmcrt_load_constants(float** out, const void* anchor, const char* name, int64_t count) {
  using dmc::detail::set_last_error;
  if (!out || !anchor || !name || count < 0 || count > (INT64_MAX / 4)) {
    set_last_error("dmcrt_load_constants: invalid argument");
    return DMCRT_ERR_INVALID_ARG;
  }
  *out = nullptr;
  Dl_info info;
  if (!dladdr(anchor, &info) || !info.dli_fname) {
    set_last_error("cannot find the folder of the compiled library (dladdr failed)");
    return DMCRT_ERR_INVALID_ARG;
  }
  std::string path = info.dli_fname;
  size_t slash = path.rfind('/');
  path = (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + name;
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    set_last_error("constant data file " + path + " is missing (it is written beside the library by dmc compile)");
    return DMCRT_ERR_INVALID_ARG;
  }
  int64_t bytes = count * 4;
  if ((int64_t)st.st_size != bytes) {
    set_last_error("constant data file " + path + " holds " + std::to_string((long long)st.st_size) +
                   " bytes, the library expects " + std::to_string((long long)bytes));
    return DMCRT_ERR_SHAPE;
  }
  float* data = static_cast<float*>(dmcrt_alloc(bytes ? (size_t)bytes : 4));
  if (!data) {
    set_last_error("cannot allocate " + std::to_string((long long)bytes) + " bytes for the constants of " + path);
    return DMCRT_ERR_ALLOC;
  }
  FILE* f = std::fopen(path.c_str(), "rb");
  size_t got = f ? std::fread(data, 1, (size_t)bytes, f) : 0;
  if (f)
    std::fclose(f);
  if ((int64_t)got != bytes) {
    dmcrt_free(data);
    set_last_error("cannot read the constant data file " + path);
    return DMCRT_ERR_INVALID_ARG;
  }
  *out = data;
  return DMCRT_OK;
}
