"""Constant inputs (dmc.constants, an ONNX model's initializers): a weight packed once per handle.

The GEMM tile nest (fused_matmul=tiled) packs a weight into a persistent buffer, and
run-constant-maps-once makes that packing run only until a run succeeds. Later runs with new run-time inputs must still use the right
panels, in every handle."""
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
