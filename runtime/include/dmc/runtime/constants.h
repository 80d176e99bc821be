/* Constant inputs of a compiled graph (an imported model's weights, docs/onnx.md): their data live in a
 * file beside the library and are read once, when a handle is created. */
#ifndef DMC_RUNTIME_CONSTANTS_H
#define DMC_RUNTIME_CONSTANTS_H

#include "dmc/runtime/export.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Reads `count` little-endian floats from the file `name` in the folder of the shared object that holds
 * `anchor` (a function of the calling library) into fresh 64-byte-aligned memory (*out, freed with
 * dmcrt_free). The file must hold exactly that many bytes. Returns 0, or a dmcrt_status with a message
 * naming the file in dmcrt_last_error. */
DMCRT_API int dmcrt_load_constants(float** out, const void* anchor, const char* name, int64_t count);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif
