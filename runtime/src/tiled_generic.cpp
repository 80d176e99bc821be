// The tiled kernels' inner code for the baseline target (any x86-64 or other CPU): 128-bit vectors
// (SSE2, NEON), 16 of them on x86-64: a 6 x 8 tile's 12 accumulators, 2 vectors of B and A's broadcast.
#define DMC_TILED_ISA_NAME "generic"
#define DMC_TILED_ISA_FN tiled_isa_generic
#define DMC_ISA_LANES 4
#define DMC_ISA_TILE_ROWS 6
#define DMC_ISA_TILE_COLS 8
#include "tiled_isa.inc"
