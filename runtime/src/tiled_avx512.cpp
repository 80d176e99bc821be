// The tiled kernels' inner code for AVX-512 (compiled with -mavx512f; used only when the CPU has it).
#define DMC_TILED_ISA_NAME "avx512"
#define DMC_TILED_ISA_FN tiled_isa_avx512
#include "tiled_isa.inc"
