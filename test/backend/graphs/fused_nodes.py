"""NumPy reference of fused_nodes.mlir, and the pass pipelines to check it under."""
import math

import numpy as np

from masked_softmax import softmax

erf = np.vectorize(math.erf)

# The runtime kernels, the pure expansions of the fused nodes alone, the pure expansions followed by
# the map passes of -O3, and the tiled expansions.
PIPELINES = [
    "choose-implementations{default=library},expand-library-nodes",
    "choose-implementations{default=pure},expand-library-nodes,fold-views-into-memlets",
    "choose-implementations{default=library fused_matmul=pure attention=pure},expand-library-nodes,"
    "fuse-elementwise-maps,fuse-reductions,fuse-sibling-maps,fuse-tasklets,select-layouts,interchange-maps,"
    "vectorize-inner-maps,choose-schedules,remove-dead-containers,reuse-dead-buffers,choose-transient-storage,"
    "make-transients-persistent,fold-views-into-memlets",
    # The fused matmuls as tile nests: the default blocking, then blocks and panels that every dim cuts
    # unevenly (M = 77, K = 40, N = 24 and 40), on both register tiles.
    "choose-implementations{default=library fused_matmul=tiled},expand-library-nodes,fold-views-into-memlets",
    "choose-implementations{default=library fused_matmul=tiled},"
    "expand-library-nodes{register-tile=6x16 tile-m=18 tile-n=16 tile-k=7},fold-views-into-memlets",
    "choose-implementations{default=library fused_matmul=tiled},"
    "expand-library-nodes{register-tile=12x32 tile-m=24 tile-n=32 tile-k=16}",
    # The tiled attention and fused_matmul: default blocks; blocks that cut S = 77 into partial query and
    # key blocks (several key blocks per query block: the causal split, the window's band); the 6x16
    # register tile with query blocks that are not whole register tiles.
    "choose-implementations{default=pure attention=tiled fused_matmul=tiled},expand-library-nodes,"
    "fold-views-into-memlets",
    "choose-implementations{default=pure attention=tiled},expand-library-nodes{attention-block-q=32 "
    "attention-block-k=64}",
    "choose-implementations{default=pure attention=tiled fused_matmul=tiled},expand-library-nodes{register-tile=6x16 "
    "attention-block-q=20 attention-block-k=48},choose-transient-storage,make-transients-persistent",
    # Key blocks of 16 and query blocks of 12 on the 6x16 tile: the global tokens (3, 40, 76 and 50) lie in
    # different query and key blocks, with band blocks between them.
    "choose-implementations{default=pure attention=tiled},expand-library-nodes{register-tile=6x16 "
    "attention-block-q=12 attention-block-k=16}",
]


def inputs(rng):
    n = rng.standard_normal
    mask = n((77, 77))
    mask[5, :] = -np.inf  # a row with nothing kept is all 0
    mask[7, ::2] = -np.inf
    return {"q": n((3, 1, 77, 40)), "k": n((3, 1, 77, 40)), "v": n((3, 1, 77, 24)), "mask": mask,
            "q2": n((2, 3, 9, 24)), "k2": n((1, 3, 77, 24)), "v2": n((2, 1, 77, 40)), "q3": n((3, 1, 24)),
            "a": n((3, 77, 40)), "w": n((24, 40)), "bias": n((24,)), "res": n((3, 77, 24)), "at": n((40, 77)),
            "w2": n((40, 24)), "x": n((77, 24)), "v32": n((1, 1, 77, 32))}


def attention(q, k, v, scale, **masks):
    """docs/op-vocabulary.md: softmax(scale * Q K^T + mask) V with the generated masks."""
    return softmax(q @ np.swapaxes(k, -1, -2), scale=scale, **masks) @ v


def gelu_erf(x):
    return 0.5 * x * (1 + erf(x / np.sqrt(2)))


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def reference(t):
    return {
        "o1": attention(t["q"], t["k"], t["v"], 0.125, mask=t["mask"]),
        "o2": attention(t["q2"], t["k2"], t["v2"], 0.25, causal=True, window=5, stride=2, global_tokens=(0, 40)),
        "o3": attention(t["q3"], t["a"][:, :, 8:32], t["v"][:, 0], 0.5, causal=True, global_tokens=(40,)),
        "c1": gelu_erf(0.5 * t["a"] @ t["w"].T + 2.0 * t["bias"]) - t["res"],
        "c2": np.maximum(t["at"].T @ t["w2"], 0.0),
        "c3": gelu_tanh(t["at"].T @ t["w2"]) + np.exp(t["x"]),
        "g": 0.5 * t["at"].T @ t["w"].T + 2.0 * t["bias"],
        "o4": attention(t["q"], t["k"], t["v"], 0.125, mask=t["mask"], causal=True),
        "o5": attention(t["q"], t["k"], t["v"], 0.125, window=50),
        "o6": attention(t["q"], t["k"], t["v"], 0.125, causal=True, window=30, stride=3),
        "o7": attention(t["q"], t["k"], t["v"], 0.125, window=10, global_tokens=(3, 40, 76)),
        "o8": attention(t["q"], t["k"], t["v"], 0.125, mask=t["mask"], causal=True, global_tokens=(50,)),
        "o9": attention(t["q"], t["k"], t["v"], 0.125, causal=True, window=4,
                        global_tokens=(1, 10, 20, 30, 40, 50, 60, 70)),
        "o10": attention(t["q"], t["k"], t["v32"], 0.125, causal=True, window=20),
    }
