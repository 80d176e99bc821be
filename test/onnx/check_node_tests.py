"""ONNX backend node tests shipped by Debian (libonnx-testdata) through dmc: each test's model.onnx is
compiled by `dmc compile`, run by `dmc run` on test_data_set_*/input_*.pb and compared with output_*.pb
at the ONNX backend's tolerance (rtol 1e-3, atol 1e-7).

Integer and bool inputs of a test (shapes, axes, indices, conditions) become initializers first: dmc
folds them at import and takes only float32 run-time inputs (docs/onnx.md). The tests run are TESTS
below; docs/onnx.md lists them with the excluded ones and why.

  /usr/bin/python3 test/onnx/check_node_tests.py DMC [-O0] [--data DIR] [--all PREFIX ...] [TEST ...]
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

DATA = "/usr/share/libonnx-testdata/data/node"

# The tests that dmc passes, one family per line (docs/onnx.md: claimed ops).
TESTS = """
test_add test_add_bcast test_sub test_sub_bcast test_sub_example test_mul test_mul_bcast test_mul_example
test_div test_div_bcast test_div_example
test_pow test_pow_bcast_scalar test_pow_example
test_sqrt test_sqrt_example test_reciprocal test_reciprocal_example test_erf test_tanh test_tanh_example
test_relu test_exp test_exp_example test_neg test_neg_example
test_matmul_2d test_matmul_3d test_matmul_4d
test_gemm_all_attributes test_gemm_alpha test_gemm_beta test_gemm_default_matrix_bias test_gemm_default_no_bias
test_gemm_default_scalar_bias test_gemm_default_single_elem_vector_bias test_gemm_default_vector_bias
test_gemm_default_zero_bias test_gemm_transposeA test_gemm_transposeB
test_softmax_axis_0 test_softmax_axis_1 test_softmax_axis_2 test_softmax_default_axis test_softmax_example
test_softmax_large_number test_softmax_negative_axis
test_layer_normalization_2d_axis_negative_1 test_layer_normalization_3d_axis_negative_1_epsilon
test_reduce_mean_default_axes_keepdims_example test_reduce_mean_default_axes_keepdims_random
test_reduce_mean_do_not_keepdims_example test_reduce_mean_do_not_keepdims_random
test_reduce_mean_keepdims_example test_reduce_mean_keepdims_random
test_reduce_mean_negative_axes_keepdims_example test_reduce_mean_negative_axes_keepdims_random
test_transpose_default test_transpose_all_permutations_0 test_transpose_all_permutations_1
test_transpose_all_permutations_2 test_transpose_all_permutations_3 test_transpose_all_permutations_4
test_transpose_all_permutations_5
test_reshape_extended_dims test_reshape_negative_dim test_reshape_negative_extended_dims test_reshape_one_dim
test_reshape_reduced_dims test_reshape_reordered_all_dims test_reshape_reordered_last_dims
test_reshape_zero_and_negative_dim test_reshape_zero_dim
test_unsqueeze_axis_0 test_unsqueeze_axis_1 test_unsqueeze_axis_2 test_unsqueeze_axis_3
test_unsqueeze_negative_axes test_unsqueeze_three_axes test_unsqueeze_two_axes test_unsqueeze_unsorted_axes
test_squeeze test_squeeze_negative_axes test_flatten_axis0 test_flatten_axis1 test_flatten_axis2
test_flatten_axis3 test_flatten_default_axis test_flatten_negative_axis1
test_concat_1d_axis_0 test_concat_2d_axis_0 test_concat_2d_axis_1 test_concat_3d_axis_0 test_concat_3d_axis_1
test_concat_3d_axis_2 test_concat_2d_axis_negative_1 test_concat_3d_axis_negative_1
test_slice test_slice_default_axes test_slice_default_steps test_slice_end_out_of_bounds test_slice_neg
test_slice_negative_axes test_slice_start_out_of_bounds
test_split_equal_parts_1d test_split_equal_parts_2d test_split_equal_parts_default_axis
test_split_variable_parts_1d test_split_variable_parts_2d test_split_variable_parts_default_axis
test_gather_0 test_gather_1 test_gather_negative_indices
test_expand_dim_unchanged
test_cast_FLOAT_to_DOUBLE test_cast_DOUBLE_to_FLOAT
""".split()


def tensor_of(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return t


def prepare(test_dir, out_path):
    """The test's model with its non-float inputs as initializers; returns (float input names, data sets)."""
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    sets = []
    for d in sorted(glob.glob(os.path.join(test_dir, "test_data_set_*"))):
        ins = [tensor_of(p) for p in sorted(glob.glob(os.path.join(d, "input_*.pb")))]
        outs = [numpy_helper.to_array(tensor_of(p)) for p in sorted(glob.glob(os.path.join(d, "output_*.pb")))]
        sets.append((ins, outs))
    ins0 = sets[0][0]
    keep, folded = [], []
    for vi, t in zip(model.graph.input, ins0):
        if t.data_type in (onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE):
            keep.append(vi)
        else:
            t.name = vi.name
            folded.append(t)
    # A folded input must be the same in every data set, or the test needs it at run time.
    for ins, _ in sets[1:]:
        for vi, t in zip(model.graph.input, ins):
            if t.data_type not in (onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE):
                ref = [f for f in folded if f.name == vi.name][0]
                if numpy_helper.to_array(t).tolist() != numpy_helper.to_array(ref).tolist():
                    raise RuntimeError(f"input {vi.name} differs between data sets")
    del model.graph.input[:]
    model.graph.input.extend(keep)
    model.graph.initializer.extend(folded)
    onnx.save(model, out_path)
    names = [vi.name for vi in keep]
    return names, [([numpy_helper.to_array(t) for t in ins if t.data_type in (1, 11)], outs) for ins, outs in sets]


def run_test(dmc, name, data, tmp, level):
    work = os.path.join(tmp, name)
    os.makedirs(work)
    model = os.path.join(work, "model.onnx")
    _, sets = prepare(os.path.join(data, name), model)
    lib = os.path.join(work, "libmodel.so")
    r = subprocess.run([dmc, "compile", model, f"-O{level}", "-o", lib], capture_output=True, text=True)
    if r.returncode:
        return "compile: " + r.stderr.strip().replace(model, "model.onnx")
    manifest = json.load(open(os.path.join(work, "model.manifest.json")))
    in_names = [a["name"] for a in manifest["args"] if a["role"] == "input"]
    out_names = [a["name"] for a in manifest["args"] if a["role"] == "output"]
    for k, (ins, outs) in enumerate(sets):
        in_dir, out_dir = os.path.join(work, f"in{k}"), os.path.join(work, f"out{k}")
        os.makedirs(in_dir)
        os.makedirs(out_dir)
        if len(ins) != len(in_names) or len(outs) != len(out_names):
            return f"{len(in_names)} inputs and {len(out_names)} outputs, the test has {len(ins)} and {len(outs)}"
        for n, a in zip(in_names, ins):
            np.save(os.path.join(in_dir, n + ".npy"), a.astype(np.float32))
        r = subprocess.run([dmc, "run", lib, "--inputs", in_dir, "--outputs", out_dir], capture_output=True, text=True)
        if r.returncode:
            return "run: " + r.stderr.strip()
        for n, expected in zip(out_names, outs):
            got = np.load(os.path.join(out_dir, n + ".npy"))
            if got.shape != expected.shape:
                return f"output {n}: shape {got.shape}, expected {expected.shape}"
            if not np.allclose(got, expected.astype(np.float32), rtol=1e-3, atol=1e-7):
                err = np.abs(got - expected).max()
                return f"output {n}: max abs error {err:.3g}"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dmc")
    parser.add_argument("-O", dest="level", default="0")
    parser.add_argument("--data", default=DATA)
    parser.add_argument("--all", nargs="*", help="run every test whose name starts with a prefix")
    parser.add_argument("tests", nargs="*")
    args = parser.parse_args()
    tests = args.tests or TESTS
    if args.all:
        tests = sorted(t for t in os.listdir(args.data) if any(t.startswith(p) for p in args.all))
    missing = [t for t in tests if not os.path.isdir(os.path.join(args.data, t))]
    if missing:
        print(f"missing test folders (is libonnx-testdata installed?): {missing}")
        return 1
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for t in tests:
            try:
                why = run_test(args.dmc, t, args.data, tmp, args.level)
            except Exception as e:  # a broken test folder is a failure, not a crash of the runner
                why = f"runner: {e}"
            failures += why is not None
            print(f"{'ok  ' if why is None else 'FAIL'} {t}" + ("" if why is None else f": {why}"))
    print(f"{len(tests) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
