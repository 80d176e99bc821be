"""NumPy reference of where.mlir, and the pass pipelines to check it under."""
import numpy as np

S = 37
# The runtime kernel, the pure expansion, then the map passes of -O2 and -O3 (layout copies as views).
PIPELINES = [
    "choose-implementations{default=library},expand-library-nodes",
    "choose-implementations{default=pure},expand-library-nodes",
    "choose-implementations{default=pure},expand-library-nodes,fuse-elementwise-maps,fuse-sibling-maps,"
    "fuse-tasklets,select-layouts,interchange-maps,vectorize-inner-maps,choose-schedules,remove-dead-containers,"
    "fold-views-into-memlets",
    "fuse-attention,fuse-matmul-epilogues,choose-implementations{default=library elementwise=pure layout=pure},"
    "expand-library-nodes,eliminate-layout-copies,fuse-elementwise-maps,fuse-sibling-maps,fuse-tasklets,"
    "select-layouts,interchange-maps,vectorize-inner-maps,choose-schedules,remove-dead-containers,"
    "reuse-dead-buffers,choose-transient-storage,make-transients-persistent,fold-views-into-memlets",
]


def inputs(rng):
    poison = np.array([np.inf, -np.inf, np.nan])
    c = (rng.random((S, 24)) < 0.5).astype(np.float64)
    c[:, 0] = 1  # y[0] is never chosen: poison it
    x = rng.standard_normal((S, 24))
    x[c == 0] = poison[np.arange(int((c == 0).sum())) % 3]
    y = rng.standard_normal(24)
    y[0] = np.nan
    z = rng.standard_normal((S, 1))
    z[0, 0] = 0.0  # relu(0) = 0: false
    w = rng.standard_normal((S, 24))
    w[z[:, 0] <= 0] = np.inf  # chosen only where relu(z) > 0
    # o2 reads x where relu(z) = 0: keep x finite on those rows, so o2's reference is finite too.
    rows = z[:, 0] <= 0
    x[rows] = np.where(c[rows] == 0, 0.25, x[rows])
    return {"c": c, "xt": x.T.copy(), "y": y, "z": z, "w": w}


def reference(t):
    x = t["xt"].T
    o1 = 3.0 * np.where(t["c"] != 0, x, t["y"]) + 0.5
    o2 = np.where(np.maximum(t["z"], 0) != 0, t["w"], x)
    # The reference is finite although x, y and w are not: a blend c*x + (1-c)*y would not be.
    assert np.isfinite(o1).all() and np.isfinite(o2).all() and not np.isfinite(x).all()
    return {"o1": o1, "o2": o2}
