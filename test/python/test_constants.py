"""Constant inputs: a weight packed once per handle.

Two kinds: dmc.constants (an ONNX model's initializers, loaded by the handle) and constant arguments (a
graph file's inputs marked "constant": true, passed to every run). The GEMM tile nest (fused_matmul=tiled)
packs a weight into a persistent buffer, and run-constant-maps-once makes that packing run only until a run
succeeds. Later runs with new run-time inputs must still use the right panels, in every handle; a constant
argument at a new address, or changed in place and reported (constants_changed), is packed again."""
import ctypes
import json
import subprocess
import threading

import numpy as np

import dmc


def linear_graph(tmp_path, rows, w):
    """y = x @ w with w a constant input, as an SDFG (what the ONNX importer writes for an initializer)."""
    k, n = w.shape
    values = ", ".join("[" + ", ".join("%.9e" % v for v in row) + "]" for row in w)
    text = f"""sdfg.sdfg @linear inputs(%x: !sdfg.array<f32[{rows}, {k}]>, %w: !sdfg.array<f32[{k}, {n}]>)
    outputs(%y: !sdfg.array<f32[{rows}, {n}]>) attributes {{dmc.constants = {{w = dense<[{values}]> : tensor<{k}x{n}xf32>}}}} {{
  sdfg.state @s {{
    nn.matmul ins(%x, %w : !sdfg.array<f32[{rows}, {k}]>, !sdfg.array<f32[{k}, {n}]>) outs(%y : !sdfg.array<f32[{rows}, {n}]>)
  }}
}}
"""
    path = tmp_path / "linear.mlir"
    path.write_text(text)
    return path


def test_weight_packed_once_serves_every_run(dmc_binary, tmp_path):
    rng = np.random.default_rng(3)
    # 200 rows: several block rows read the weight; K = 300 and N = 70 cut the K panels and the column
    # panels unevenly.
    w = rng.standard_normal((300, 70)).astype(np.float32)
    graph = linear_graph(tmp_path, 200, w)
    cpp = tmp_path / "linear.cpp"
    # -O3 with the fused matmul as a tile nest (-O3 itself calls the runtime's GEMM, docs/passes.md).
    pipeline = subprocess.run([dmc_binary, "compile", str(graph), "-O3", "--print-pipeline"], check=True,
                              capture_output=True, text=True).stdout.strip()
    assert "fused_matmul=library" in pipeline
    pipeline = pipeline.replace("fused_matmul=library", "fused_matmul=tiled")
    dmc.compile(graph, passes=pipeline, dmc=dmc_binary, output=tmp_path / "lib" / "liblinear.so")
    subprocess.run([dmc_binary, "compile", str(graph), "--passes=" + pipeline, "--emit=cpp", "-o", str(cpp)],
                   check=True)
    assert "if (!_state->ran) {" in cpp.read_text(), "the weight's packing is not marked once"
    lib = dmc.load(tmp_path / "lib" / "liblinear.so")
    assert lib.input_names == ["x"]  # the weight is no argument
    for _ in range(3):
        x = rng.standard_normal((200, 300)).astype(np.float32)
        want = x.astype(np.float64) @ w
        assert np.abs(lib(x=x) - want).max() < 1e-3 * max(1.0, np.abs(want).max())

    # Several handles at once (the package's handle pool): each packs its own panels on its first run.
    errors = []

    def worker(seed):
        r = np.random.default_rng(seed)
        for _ in range(3):
            x = r.standard_normal((200, 300)).astype(np.float32)
            want = x.astype(np.float64) @ w
            if np.abs(lib(x=x) - want).max() >= 1e-3 * max(1.0, np.abs(want).max()):
                errors.append(seed)

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def tiled_pipeline(dmc_binary, graph):
    """-O3 with the fused matmuls as tile nests (-O3 itself calls the runtime's GEMM, docs/passes.md)."""
    pipeline = subprocess.run([dmc_binary, "compile", str(graph), "-O3", "--print-pipeline", "--tuning-db=none"],
                              check=True, capture_output=True, text=True).stdout.strip()
    assert "fused_matmul=library" in pipeline and "run-constant-maps-once" in pipeline
    return pipeline.replace("fused_matmul=library", "fused_matmul=tiled")


def projection_graph(tmp_path):
    """y = x @ w + b, w and b constant arguments. S = 77 rows, K = 300 and N = 200 cut the row blocks, the
    K panels and the column panels unevenly."""
    graph = {"name": "proj", "symbols": {"S": None},
             "inputs": [{"name": "x", "shape": ["S", 300]}, {"name": "w", "shape": [300, 200], "constant": True},
                        {"name": "b", "shape": [200], "constant": True}],
             "outputs": [{"name": "y", "shape": ["S", 200]}],
             "nodes": [{"name": "mm", "op": "MatMul", "inputs": ["x", "w"], "outputs": ["t"]},
                       {"name": "add", "op": "Add", "inputs": ["t", "b"], "outputs": ["y"]}]}
    path = tmp_path / "proj.json"
    path.write_text(json.dumps(graph))
    return path


def reference(x, w, b):
    return x.astype(np.float64) @ w + b


def close(actual, want):
    return np.abs(actual - want).max() < 1e-3 * max(1.0, np.abs(want).max())


def test_constant_arguments_packed_once_until_changed(dmc_binary, tmp_path):
    rng = np.random.default_rng(5)
    graph = projection_graph(tmp_path)
    pipeline = tiled_pipeline(dmc_binary, graph)
    cpp = tmp_path / "proj.cpp"
    subprocess.run([dmc_binary, "compile", str(graph), "--passes=" + pipeline, "--emit=cpp", "-o", str(cpp)],
                   check=True)
    assert "if (!_state->ran) {" in cpp.read_text(), "the weight's packing is not marked once"
    lib = dmc.compile(graph, passes=pipeline, dmc=dmc_binary, output=tmp_path / "lib" / "libproj.so")
    assert lib.input_names == ["x", "w", "b"] and lib.constant_input_names == ["w", "b"]
    w = rng.standard_normal((300, 200)).astype(np.float32)
    b = rng.standard_normal(200).astype(np.float32)
    for rows in (77, 1, 77):
        x = rng.standard_normal((rows, 300)).astype(np.float32)
        assert close(lib(x=x, w=w, b=b), reference(x, w, b))

    # New values in the same array, not reported: the handle keeps the panels it packed (the contract
    # docs/abi.md states; this shows the packing really runs once). The bias is read on every run.
    x = rng.standard_normal((77, 300)).astype(np.float32)
    old = w.copy()
    w *= -2.0
    assert close(lib(x=x, w=w, b=b), reference(x, old, b))
    lib.constants_changed()
    assert close(lib(x=x, w=w, b=b), reference(x, w, b))
    # Another array: no call needed.
    w2 = rng.standard_normal((300, 200)).astype(np.float32)
    assert close(lib(x=x, w=w2, b=b), reference(x, w2, b))
    lib.close()


def test_constant_arguments_through_the_c_abi(dmc_binary, tmp_path):
    """The generated library itself, without the package's bookkeeping: a constant argument at another
    address is packed again; one changed in place is after dmc_proj_constants_changed."""
    rng = np.random.default_rng(6)
    graph = projection_graph(tmp_path)
    lib_path = tmp_path / "c" / "libproj.so"
    dmc.compile(graph, passes=tiled_pipeline(dmc_binary, graph), dmc=dmc_binary, output=lib_path).close()
    so = ctypes.CDLL(str(lib_path))
    so.dmc_proj_create.restype = ctypes.c_void_p
    so.dmc_proj_run.argtypes = [ctypes.c_void_p, ctypes.c_int64] + [ctypes.c_void_p] * 4
    so.dmc_proj_constants_changed.argtypes = [ctypes.c_void_p]
    so.dmc_proj_destroy.argtypes = [ctypes.c_void_p]
    handle = so.dmc_proj_create()
    assert handle
    x = rng.standard_normal((77, 300)).astype(np.float32)
    b = rng.standard_normal(200).astype(np.float32)
    y = np.zeros((77, 200), np.float32)

    def run(w):
        assert so.dmc_proj_run(handle, 77, x.ctypes.data, w.ctypes.data, b.ctypes.data, y.ctypes.data) == 0
        return y.copy()

    w1 = rng.standard_normal((300, 200)).astype(np.float32)
    w2 = rng.standard_normal((300, 200)).astype(np.float32)
    assert close(run(w1), reference(x, w1, b))
    assert close(run(w2), reference(x, w2, b))  # another address
    assert close(run(w1), reference(x, w1, b))
    old = w1.copy()
    w1[:] = rng.standard_normal((300, 200))
    assert close(run(w1), reference(x, old, b))  # in place, not reported: the panels of before
    so.dmc_proj_constants_changed(handle)
    assert close(run(w1), reference(x, w1, b))
    so.dmc_proj_constants_changed(None)  # a null handle is ignored
    so.dmc_proj_destroy(handle)
