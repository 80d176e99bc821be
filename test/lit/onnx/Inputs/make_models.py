"""Writes the small ONNX models of the lit tests in test/lit/onnx into a folder (built with onnx.helper,
so the tests need no binary files):  /usr/bin/python3 make_models.py DIR"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)


def save(name, nodes, inputs, outputs, initializers=(), opset=17):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.save(model, os.path.join(out, name + ".onnx"))
    return model


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


x = f32("x", [2, "S", 8])
y = f32("y", [2, "S", 8])
w = rng.standard_normal((8, 8)).astype(np.float32)

# Causal self-attention on one head: softmax(x W (x W)^T / sqrt(8) + triu(-inf, 1)) x, mask from Shape.
save("causal", [
    helper.make_node("MatMul", ["x", "w"], ["q"], name="q_proj"),
    helper.make_node("Transpose", ["q"], ["qt"], perm=[0, 2, 1], name="k_t"),
    helper.make_node("MatMul", ["q", "qt"], ["scores"], name="scores"),
    helper.make_node("Div", ["scores", "sqrt_d"], ["scaled"], name="scale"),
    helper.make_node("Shape", ["x"], ["shape"], name="shape"),
    helper.make_node("Gather", ["shape", "one"], ["s"], axis=0, name="seq"),
    helper.make_node("Unsqueeze", ["s", "zero"], ["s1"], name="s1"),
    helper.make_node("Concat", ["s1", "s1"], ["ss"], axis=0, name="ss"),
    helper.make_node("ConstantOfShape", ["ss"], ["full"], value=numpy_helper.from_array(np.array([-np.inf], np.float32)),
                     name="full"),
    helper.make_node("Trilu", ["full", "one"], ["mask"], upper=1, name="triu"),
    helper.make_node("Add", ["scaled", "mask"], ["masked"], name="masked"),
    helper.make_node("Softmax", ["masked"], ["p"], axis=-1, name="softmax"),
    helper.make_node("MatMul", ["p", "x"], ["y"], name="pv"),
], [x], [y], [const("w", w), const("sqrt_d", np.float32(np.sqrt(8))), const("one", np.int64(1)),
              const("zero", np.array([0], np.int64))])

# masked_fill(scores, mask, -inf) at a static S = 4: a known triangular condition is the causal mask; a
# band (|i - j| > 1 hidden) is no generated mask dmc matches, so it stays a constant additive mask.
xs4 = f32("x", [1, 4, 8])
ys4 = f32("y", [1, 4, 8])
for name, hidden in (("masked_fill_causal", np.triu(np.ones((4, 4), bool), 1)),
                     ("masked_fill_band", np.abs(np.subtract.outer(np.arange(4), np.arange(4))) > 1)):
    save(name, [
        helper.make_node("Transpose", ["x"], ["xt"], perm=[0, 2, 1], name="xt"),
        helper.make_node("MatMul", ["x", "xt"], ["scores"], name="scores"),
        helper.make_node("Where", ["hidden", "minus_inf", "scores"], ["masked"], name="masked_fill"),
        helper.make_node("Softmax", ["masked"], ["p"], axis=-1, name="softmax"),
        helper.make_node("MatMul", ["p", "x"], ["y"], name="pv"),
    ], [xs4], [ys4], [const("hidden", hidden), const("minus_inf", np.float32(-np.inf))])
    x4 = rng.standard_normal((1, 4, 8)).astype(np.float32)
    scores = np.where(hidden, -np.inf, x4.astype(np.float64) @ x4.transpose(0, 2, 1))
    p = np.exp(scores - scores.max(-1, keepdims=True))
    os.makedirs(os.path.join(out, name + "_in"), exist_ok=True)
    np.save(os.path.join(out, name + "_in", "x.npy"), x4)
    np.save(os.path.join(out, name + "_expected.npy"), (p / p.sum(-1, keepdims=True)) @ x4)

# masked_fill with a run-time condition: a bool model input `pad` [2, 1, S] (key padding, true = hidden)
# broadcast over the scores [2, S, S]. With -inf it is an additive mask operand of Softmax; with a finite
# fill (here through Not, as Where(keep, scores, -1e4)) the scores are selected element by element.
pad = helper.make_tensor_value_info("pad", TensorProto.BOOL, [2, 1, "S"])
for name, fill in (("where_input_inf", -np.inf), ("where_input_finite", -1e4)):
    if np.isinf(fill):
        select = [helper.make_node("Where", ["pad", "fill", "scaled"], ["masked"], name="masked_fill")]
    else:
        select = [helper.make_node("Not", ["pad"], ["keep"], name="keep"),
                  helper.make_node("Where", ["keep", "scaled", "fill"], ["masked"], name="masked_fill")]
    save(name, [
        helper.make_node("Transpose", ["x"], ["xt"], perm=[0, 2, 1], name="xt"),
        helper.make_node("MatMul", ["x", "xt"], ["scores"], name="scores"),
        helper.make_node("Div", ["scores", "sqrt_d"], ["scaled"], name="scale"),
        *select,
        helper.make_node("Softmax", ["masked"], ["p"], axis=-1, name="softmax"),
        helper.make_node("MatMul", ["p", "x"], ["y"], name="pv"),
    ], [x, pad], [y], [const("sqrt_d", np.float32(np.sqrt(8))), const("fill", np.float32(fill))])
    # S = 5; each batch keeps at least one key, so no row is all -inf.
    x5 = rng.standard_normal((2, 5, 8)).astype(np.float32)
    hidden = np.array([[[False, True, False, False, True]], [[True, True, True, False, False]]])
    scores = np.where(hidden, np.float64(fill), x5.astype(np.float64) @ x5.transpose(0, 2, 1) / np.sqrt(8))
    p = np.exp(scores - scores.max(-1, keepdims=True))
    os.makedirs(os.path.join(out, name + "_in"), exist_ok=True)
    np.save(os.path.join(out, name + "_in", "x.npy"), x5)
    np.save(os.path.join(out, name + "_in", "pad.npy"), hidden.astype(np.float32))  # the library's f32 0/1
    np.save(os.path.join(out, name + "_expected.npy"), (p / p.sum(-1, keepdims=True)) @ x5)
save("bool_as_data", [helper.make_node("Cast", ["pad"], ["i"], to=TensorProto.INT64, name="to_int"),
                      helper.make_node("Relu", ["x"], ["y"], name="r")], [x, pad], [y])
save("bool_in_add", [helper.make_node("Add", ["x", "pad"], ["y"], name="add_pad")], [x, pad], [y])
# Where as a select (nn.where): a run-time bool row condition `rows` [2, S, 1] choosing between two run-time
# tensors (x, and v [8] broadcast), and a NaN fill (a select, not masked_fill's mask). x holds inf and NaN
# where it is not chosen. S = 5.
rows = helper.make_tensor_value_info("rows", TensorProto.BOOL, [2, "S", 1])
v = f32("v", [8])
save("where_select", [helper.make_node("Where", ["rows", "x", "v"], ["y"], name="sel")], [x, rows, v], [y])
save("where_runtime_nan", [helper.make_node("Where", ["rows", "nan", "x"], ["y"], name="fill_nan")], [x, rows], [y],
     [const("nan", np.float32(np.nan))])
chosen = np.array([True, False, True, True, False, False, False, True, True, False]).reshape(2, 5, 1)
x5 = rng.standard_normal((2, 5, 8)).astype(np.float32)
x5 = np.where(chosen, x5, np.array([np.inf, -np.inf, np.nan] * 3, np.float32)[:8])
v8 = rng.standard_normal(8).astype(np.float32)
for name, ins, expected in (("where_select", {"x": x5, "v": v8}, np.where(chosen, x5, v8)),
                            ("where_runtime_nan", {"x": v8 * np.ones((2, 5, 8), np.float32)},
                             np.where(chosen, np.nan, v8 * np.ones((2, 5, 8))))):
    os.makedirs(os.path.join(out, name + "_in"), exist_ok=True)
    for k, a in dict(ins, rows=chosen.astype(np.float32)).items():
        np.save(os.path.join(out, name + "_in", k + ".npy"), a)
    np.save(os.path.join(out, name + "_expected.npy"), expected.astype(np.float32))

# Diagnostics.
save("unsupported_op", [helper.make_node("Sin", ["x"], ["y"], name="my_sin")], [x], [y])
save("unsupported_attr", [helper.make_node("Softmax", ["x"], ["y"], axis=-1, fancy=3, name="sm")], [x], [y])
save("old_opset", [helper.make_node("Relu", ["x"], ["y"], name="r")], [x], [y], opset=11)
save("double_input", [helper.make_node("Relu", ["xd"], ["y"], name="r")],
     [helper.make_tensor_value_info("xd", TensorProto.DOUBLE, [2])], [y])
save("where_runtime", [helper.make_node("Where", ["c", "x", "x"], ["y"], name="sel")],
     [helper.make_tensor_value_info("c", TensorProto.FLOAT, [2, "S", 8]), x], [y])
save("pow_tensor", [helper.make_node("Pow", ["x", "x"], ["y"], name="p")], [x], [y])
save("constant_output", [helper.make_node("Shape", ["x"], ["y"], name="shape_out")], [x],
     [helper.make_tensor_value_info("y", TensorProto.INT64, [3])])
save("reshape_runtime_shape", [helper.make_node("Reshape", ["x", "x"], ["y"], name="rs")], [x], [y])
save("f16_initializer", [helper.make_node("Add", ["x", "h"], ["y"], name="add_h")], [x], [y],
     [const("h", np.ones(8, np.float16))])
save("undefined_input", [helper.make_node("Relu", ["nowhere"], ["y"], name="r")], [x], [y])
save("escape_in_name", [helper.make_node("Sin", ["x"], ["y"], name="evil\x1b[2Jnode")], [x], [y])

# External data: the weight in a file beside the model, and one that points outside the folder.
m = save("external", [helper.make_node("MatMul", ["x", "w"], ["y"], name="proj")], [x], [y], [const("w", w)])
onnx.save(m, os.path.join(out, "external.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
          location="external.weights", size_threshold=0)
bad = onnx.load(os.path.join(out, "external.onnx"), load_external_data=False)
for t in bad.graph.initializer:
    for kv in t.external_data:
        if kv.key == "location":
            kv.value = "../outside.weights"
onnx.save(bad, os.path.join(out, "external_outside.onnx"))
missing = onnx.load(os.path.join(out, "external.onnx"), load_external_data=False)
for t in missing.graph.initializer:
    for kv in missing.graph.initializer[0].external_data:
        if kv.key == "location":
            kv.value = "absent.weights"
onnx.save(missing, os.path.join(out, "external_missing.onnx"))

# Inputs and the expected output of `external` for a run at S = 3.
xs = rng.standard_normal((2, 3, 8)).astype(np.float32)
os.makedirs(os.path.join(out, "external_in"), exist_ok=True)
np.save(os.path.join(out, "external_in", "x.npy"), xs)
np.save(os.path.join(out, "external_expected.npy"), xs.astype(np.float64) @ w.astype(np.float64))
