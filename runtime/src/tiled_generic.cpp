// The tiled kernels' inner code for the baseline target (any x86-64 or other CPU).
#define DMC_TILED_ISA_NAME "generic"
#define DMC_TILED_ISA_FN tiled_isa_generic
#include "tiled_isa.inc"
