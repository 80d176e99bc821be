// The tiled kernels' inner code for AVX-512 (compiled with -mavx512f -mfma; used only when the CPU has
// both). 32 zmm registers: the 12 x 32 tile's 24 accumulators, 2 vectors of B and A's broadcast.
#define DMC_TILED_ISA_NAME "avx512"
#define DMC_TILED_ISA_FN tiled_isa_avx512
#define DMC_ISA_LANES 16
#define DMC_ISA_TILE_ROWS 12
#define DMC_ISA_TILE_COLS 32
#include "tiled_isa.inc"
