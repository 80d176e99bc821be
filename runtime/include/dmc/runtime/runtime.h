/* Umbrella header of libdmcrt. Generated code may include just this. */
#ifndef DMC_RUNTIME_RUNTIME_H
#define DMC_RUNTIME_RUNTIME_H

#include "dmc/runtime/alloc.h"
#include "dmc/runtime/error.h"
#include "dmc/runtime/kernels.h"
#include "dmc/runtime/sizes.h"
#include "dmc/runtime/timer.h"

#endif
