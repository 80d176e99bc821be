"""NumPy reference of tiled_rows.mlir, and the pass pipelines to check it under."""
import numpy as np

from masked_softmax import softmax

TILED = "choose-implementations{default=library softmax=tiled layernorm=tiled reduce=tiled}"
# The runtime kernels, the pure expansions, then the tiled ones: the default blocks (77 rows = 4 x 16 +
# 13), blocks of 5 (15 x 5 + 2) and of 1 row, one block larger than all rows, and blocks of 7 followed by
# the passes -O3 runs after its late expansions.
PIPELINES = [
    "choose-implementations{default=library},expand-library-nodes",
    "choose-implementations{default=pure},expand-library-nodes",
    TILED + ",expand-library-nodes",
    TILED + ",expand-library-nodes{row-block=5},fold-views-into-memlets",
    TILED + ",expand-library-nodes{row-block=1}",
    TILED + ",expand-library-nodes{row-block=100}",
    "choose-implementations{default=library elementwise=pure softmax=tiled layernorm=tiled reduce=tiled},"
    "expand-library-nodes{impl=library row-block=7},remove-dead-containers,reuse-dead-buffers,"
    "choose-transient-storage,make-transients-persistent,fold-views-into-memlets",
]
# Every tiled pipeline also agrees with the pure expansion (pipeline 1) to 1e-5: the same f32 arithmetic
# up to the order of the sums.
AGREE = [(1, k) for k in range(2, len(PIPELINES))]


def inputs(rng):
    n = rng.standard_normal
    mask = n((77, 33))
    mask[5, :] = -np.inf  # a row with nothing kept is all 0
    mask[7, ::2] = -np.inf
    return {"x": 3 * n((3, 77, 33)) + 1, "mask": mask, "sc": 4 * n((2, 77, 77)), "xt": n((33, 77)) - 2,
            "v": n((33,)), "g": n((33,)), "b": n((33,))}


def layer_norm(x, g, b, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * g + b


def reference(t):
    x, sc, xv = t["x"], t["sc"], t["xt"].T
    return {
        "s1": softmax(x, scale=0.5, mask=t["mask"]),
        "s2": softmax(sc, causal=True),
        "s3": softmax(sc, scale=0.25, window=10),
        "s4": softmax(sc, causal=True, window=30, stride=3, global_tokens=(0, 40)),
        "s5": softmax(x, axis=1),
        "s6": softmax(xv).T,
        "l1": layer_norm(x, t["g"], t["b"], eps=1e-3),
        "l2": layer_norm(xv, t["g"], t["b"]),
        "l3": layer_norm(t["v"], t["g"], t["b"]),
        "r1": x.sum(axis=-1, keepdims=True),
        "r2": x.mean(axis=2),
        "r3": x.max(axis=2, keepdims=True),
        "r4": x.sum(axis=1, keepdims=True),
        "r5": t["v"].max(),
    }
