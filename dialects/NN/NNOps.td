//===- NNOps.td - library nodes of attention graphs ------------*- tablegen -*-===//
//
// Library nodes: coarse operations (MatMul, Softmax, LayerNorm, ...) on whole containers, placed in
// `sdfg.state`s. Every node reads its `ins` and writes its `outs`; passes expand them into maps and
// tasklets, and the -O0 backend calls runtime kernels for those left.
//
//===----------------------------------------------------------------------===//
#ifndef DMC_NN_OPS
#define DMC_NN_OPS

include "dialects/SDFG/SDFGTypes.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::dmc::nn";
  let summary = "library nodes of attention graphs (MatMul, Softmax, LayerNorm, element-wise, ...)";
  let dependentDialects = ["::dmc::sdfg::SDFGDialect"];
}

def NN_LibraryNodeInterface : OpInterface<"LibraryNode"> {
  let cppNamespace = "::dmc::nn";
  let description = "A library node reads every container in `ins` and writes every one in `outs`.";
  let methods = [
    InterfaceMethod<"the containers read", "::mlir::OperandRange", "getInputs">,
    InterfaceMethod<"the containers written", "::mlir::OperandRange", "getOutputs">,
    InterfaceMethod<"the graph node this came from, if any", "std::optional<::llvm::StringRef>", "getLabel">,
  ];
}

class NN_Op<string mnemonic, list<Trait> traits = []> : Op<NN_Dialect, mnemonic, !listconcat([
    AttrSizedOperandSegments, HasParent<"::dmc::sdfg::StateOp">, NN_LibraryNodeInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>], traits)> {
  dag containers = (ins Variadic<SDFG_ArrayType>:$inputs, Variadic<SDFG_ArrayType>:$outputs,
                        OptionalAttr<StrAttr>:$label);
  dag extraAttrs = (ins);
  let arguments = !con(containers, extraAttrs);
  let assemblyFormat = "`ins` `(` $inputs `:` type($inputs) `)` `outs` `(` $outputs `:` type($outputs) `)` attr-dict";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    void $cppClass::getEffects(::llvm::SmallVectorImpl<::mlir::SideEffects::EffectInstance<
        ::mlir::MemoryEffects::Effect>> &effects) {
      ::dmc::nn::getLibraryNodeEffects(getOperation(), effects);
    }
  }];
}

def NN_MatMulOp : NN_Op<"matmul"> {
  let summary = "C = alpha * op(A) @ op(B), batched with NumPy broadcasting of batch dimensions";
  let description = [{
    ```mlir
    nn.matmul ins(%q, %k : !sdfg.array<f32[H, S, 64]>, !sdfg.array<f32[H, S, 64]>)
              outs(%s : !sdfg.array<f32[H, S, S]>) {transpose_b}
    ```
  }];
  let extraAttrs = (ins UnitAttr:$transpose_a, UnitAttr:$transpose_b,
                        DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}

def NN_GemmOp : NN_Op<"gemm"> {
  let summary = "Y = alpha * op(A) @ op(B) + beta * C (rank 2; C optional and broadcast)";
  let extraAttrs = (ins UnitAttr:$transpose_a, UnitAttr:$transpose_b,
                        DefaultValuedAttr<F32Attr, "1.0f">:$alpha, DefaultValuedAttr<F32Attr, "1.0f">:$beta);
}

def NN_FusedMatMulOp : NN_Op<"fused_matmul"> {
  let summary = "C = act(alpha * op(A) @ op(B) + pre_scale * pre) + post_scale * post: a matmul and its epilogue";
  let description = [{
    ```mlir
    nn.fused_matmul ins(%h, %w1, %b1 : ...) outs(%f : !sdfg.array<f32[S, 3072]>)
                    {has_pre, activation = "gelu_erf"}
    ```
    Inputs are A, B, then `pre` when `has_pre` and `post` when `has_post`; both broadcast to C (a
    bias is [N], a residual C's shape). `activation` is none, relu, gelu_erf or gelu_tanh. Created by
    `--fuse-matmul-epilogues`; runs on the tiled micro-kernel GEMM (`dmcrt_matmul_tiled`), which reads
    and writes strided views in place, so its operands may be transposed, sliced or reshaped views.
  }];
  let extraAttrs = (ins UnitAttr:$transpose_a, UnitAttr:$transpose_b,
                        DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                        DefaultValuedAttr<StrAttr, "\"none\"">:$activation,
                        UnitAttr:$has_pre, UnitAttr:$has_post,
                        DefaultValuedAttr<F32Attr, "1.0f">:$pre_scale,
                        DefaultValuedAttr<F32Attr, "1.0f">:$post_scale);
}

def NN_AttentionOp : NN_Op<"attention"> {
  let summary = "O = softmax(scale * Q @ K^T + mask) @ V, without materialising the scores";
  let description = [{
    ```mlir
    nn.attention ins(%q, %k, %v : ...) outs(%o : !sdfg.array<f32[B, H, S, 64]>) {scale = 0.125 : f32, causal}
    ```
    Q is [..., Sq, D], K [..., Sk, D], V [..., Sk, Dv], O [..., Sq, Dv] (batch dims broadcast); an
    optional fourth input is an additive mask broadcast to [..., Sq, Sk]. The generated masks and the
    treatment of masked rows are nn.softmax's. Created by `--fuse-attention`; runs as a streaming
    softmax (`dmcrt_attention`) on strided views.
  }];
  let extraAttrs = (ins DefaultValuedAttr<F32Attr, "1.0f">:$scale, UnitAttr:$causal,
                        DefaultValuedAttr<I64Attr, "-1">:$window, DefaultValuedAttr<I64Attr, "0">:$stride,
                        DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$global_tokens,
                        OptionalAttr<StrAttr>:$mask_expr, OptionalAttr<StrAttr>:$score_expr,
                        DefaultValuedAttr<I64Attr, "0">:$expr_tensors);
  let extraClassDeclaration = [{
    /// The additive mask input, or null.
    ::mlir::Value getAdditiveMask() {
      return getInputs().size() - getExprTensors() == 4 ? getInputs()[3] : ::mlir::Value();
    }
  }];
}

class NN_BinaryOp<string mnemonic, string math> : NN_Op<mnemonic> {
  let summary = "element-wise " # math # " with NumPy broadcasting";
}
def NN_AddOp : NN_BinaryOp<"add", "a + b">;
def NN_SubOp : NN_BinaryOp<"sub", "a - b">;
def NN_MulOp : NN_BinaryOp<"mul", "a * b">;
def NN_DivOp : NN_BinaryOp<"div", "a / b">;

def NN_WhereOp : NN_Op<"where"> {
  let summary = "element-wise select: out = condition != 0 ? x : y, NumPy broadcasting of all three";
  let description = [{
    ```mlir
    nn.where ins(%c, %x, %y : !sdfg.array<f32[S, 1]>, !sdfg.array<f32[S, 64]>, !sdfg.array<f32[64]>)
             outs(%o : !sdfg.array<f32[S, 64]>)
    ```
    Inputs are the condition, x and y; the condition is f32 like every container (ONNX's bool as 0 and
    1), and an element is true when it compares unordered-or-unequal to 0 (so NaN is true, -0 false). Only
    the selected operand reaches the output: an inf or NaN in the other one does not.
  }];
}

class NN_UnaryOp<string mnemonic, string math> : NN_Op<mnemonic> {
  let summary = "element-wise " # math;
}
def NN_ExpOp : NN_UnaryOp<"exp", "e^x">;
def NN_TanhOp : NN_UnaryOp<"tanh", "tanh(x)">;
def NN_ErfOp : NN_UnaryOp<"erf", "erf(x)">;
def NN_ReluOp : NN_UnaryOp<"relu", "max(x, 0)">;
def NN_SqrtOp : NN_UnaryOp<"sqrt", "sqrt(x)">;
def NN_ReciprocalOp : NN_UnaryOp<"reciprocal", "1 / x">;
def NN_GeluOp : NN_UnaryOp<"gelu", "0.5x(1 + erf(x/sqrt(2))), or its tanh approximation"> {
  let extraAttrs = (ins UnitAttr:$tanh_approximation);
}
def NN_EluOp : NN_UnaryOp<"elu", "x > 0 ? x : alpha(e^x - 1)"> {
  let extraAttrs = (ins DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def NN_ScaleOp : NN_UnaryOp<"scale", "alpha * x + bias"> {
  let extraAttrs = (ins F32Attr:$alpha, DefaultValuedAttr<F32Attr, "0.0f">:$bias);
}

def NN_SoftmaxOp : NN_Op<"softmax"> {
  let summary = "softmax(scale * x + mask) along an axis, with optional generated sparsity masks";
  let description = [{
    ```mlir
    nn.softmax ins(%s : !sdfg.array<f32[H, S, S]>) outs(%p : !sdfg.array<f32[H, S, S]>)
               {scale = 0.125 : f32, causal, window = 128}
    ```
    An optional second input is an additive mask broadcast to x. Generated masks act on the last two
    dimensions (query row i, key column j): kept when (causal: j <= i) and (window >= 0: |i - j| <= window)
    and (stride > 0: (i - j) mod stride == 0), or when i or j is a global token. Masked entries are 0; a row
    with nothing kept is all 0.

    `mask_expr` (a bool expression over i, j, h) and `score_expr` (a float expression over the score s,
    i, j, h) are in the canonical form of dialects/Support/Expr.h; h indexes the dimension before i (0
    without one). The last `expr_tensors` inputs are the tensors they read, t0, t1, .... The score is
    s = scale * x + mask, then score_expr; a position is kept when the generated mask and mask_expr keep it.
  }];
  let extraAttrs = (ins DefaultValuedAttr<I64Attr, "-1">:$axis,
                        DefaultValuedAttr<F32Attr, "1.0f">:$scale, UnitAttr:$causal,
                        DefaultValuedAttr<I64Attr, "-1">:$window, DefaultValuedAttr<I64Attr, "0">:$stride,
                        DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$global_tokens,
                        OptionalAttr<StrAttr>:$mask_expr, OptionalAttr<StrAttr>:$score_expr,
                        DefaultValuedAttr<I64Attr, "0">:$expr_tensors);
  let extraClassDeclaration = [{
    bool hasGeneratedMask() {
      // I64Attr getters return uint64_t: compare as signed (-1 means "no window").
      return getCausal() || (int64_t)getWindow() >= 0 || (int64_t)getStride() > 0 ||
             !getGlobalTokens().empty() || getMaskExpr() || getScoreExpr();
    }
    /// The additive mask input, or null.
    ::mlir::Value getAdditiveMask() {
      return getInputs().size() - getExprTensors() == 2 ? getInputs()[1] : ::mlir::Value();
    }
  }];
}

def NN_LayerNormOp : NN_Op<"layer_norm"> {
  let summary = "(x - mean) / sqrt(var + epsilon) * gamma + beta over the last dimension";
  let extraAttrs = (ins DefaultValuedAttr<I64Attr, "-1">:$axis,
                        DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
}

class NN_ReduceOp<string mnemonic, string what> : NN_Op<mnemonic> {
  let summary = what # " over the given axes";
  let extraAttrs = (ins DenseI64ArrayAttr:$axes, DefaultValuedAttr<BoolAttr, "true">:$keepdims);
}
def NN_ReduceSumOp : NN_ReduceOp<"reduce_sum", "sum">;
def NN_ReduceMaxOp : NN_ReduceOp<"reduce_max", "maximum">;
def NN_ReduceMeanOp : NN_ReduceOp<"reduce_mean", "mean">;

def NN_TransposeOp : NN_Op<"transpose"> {
  let summary = "copies x with permuted dimensions: out.shape[i] = x.shape[perm[i]]";
  let extraAttrs = (ins DenseI64ArrayAttr:$permutation);
}
def NN_ReshapeOp : NN_Op<"reshape"> {
  let summary = "copies x into the output's shape (same element count)";
}
def NN_SliceOp : NN_Op<"slice"> {
  let summary = "copies x[starts:ends] along the given axes";
  let extraAttrs = (ins DenseI64ArrayAttr:$starts, DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$axes);
}
def NN_ConcatOp : NN_Op<"concat"> {
  let summary = "concatenates the inputs along an axis";
  let extraAttrs = (ins I64Attr:$axis);
}

#endif
