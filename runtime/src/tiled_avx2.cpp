// The tiled kernels' inner code for AVX2 with FMA (compiled with -mavx2 -mfma; used only when the CPU
// has both). 16 ymm registers: a 6 x 16 tile's 12 accumulators, 2 vectors of B and A's broadcast.
#define DMC_TILED_ISA_NAME "avx2"
#define DMC_TILED_ISA_FN tiled_isa_avx2
#define DMC_ISA_LANES 8
#define DMC_ISA_TILE_ROWS 6
#define DMC_ISA_TILE_COLS 16
#include "tiled_isa.inc"
