// A fused matmul with `impl = "dnnl"` stays a node and becomes a call of oneDNN's matmul primitive through
// the runtime (runtime/src/kernels_dnnl.cpp), with the same operands as the runtime's tiled GEMM; the
// transposed weight is a view with swapped strides.
// RUN: dmc compile %s --emit=cpp -o - | FileCheck %s

// CHECK-LABEL: dmc_proj_run
// CHECK:       std::swap({{.*}}.stride[0], {{.*}}.stride[1]);
// CHECK:       dmcrt_matmul_dnnl(&{{.*}}, &{{.*}}, &{{.*}}, nullptr, &{{.*}}, 0x1p+0f, DMCRT_ACT_GELU_ERF, 0x1p+0f, 0x1p+0f)
// CHECK-NOT:   dmcrt_matmul_tiled(

sdfg.sdfg @proj inputs(%x: !sdfg.array<f32[3, 77, 40]>, %w: !sdfg.array<f32[24, 40]>, %b: !sdfg.array<f32[24]>) outputs(%y: !sdfg.array<f32[3, 77, 24]>) {
  sdfg.state @s {
    nn.fused_matmul ins(%x, %w, %b : !sdfg.array<f32[3, 77, 40]>, !sdfg.array<f32[24, 40]>, !sdfg.array<f32[24]>) outs(%y : !sdfg.array<f32[3, 77, 24]>) {activation = "gelu_erf", has_pre, impl = "dnnl", transpose_b}
  }
}
