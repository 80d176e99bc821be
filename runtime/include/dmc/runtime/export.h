/* Symbol visibility for libdmcrt. The library is built with -fvisibility=hidden so only the
 * documented API is exported; everything that generated code or tools use carries DMCRT_API. */
#ifndef DMC_RUNTIME_EXPORT_H
#define DMC_RUNTIME_EXPORT_H

#if defined(_WIN32)
#define DMCRT_API
#else
#define DMCRT_API __attribute__((visibility("default")))
#endif

#endif
