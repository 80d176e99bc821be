"""NumPy reference of transpose_reuse.mlir, and the pass pipelines to check it under."""
import numpy as np

PIPELINES = [
    "interchange-maps,vectorize-inner-maps",
    "select-layouts,interchange-maps,fold-views-into-memlets,vectorize-inner-maps",
    "select-layouts,fold-views-into-memlets,tile-maps{tile-size=8},collapse-maps",
]


def inputs(rng):
    return {"x": rng.standard_normal((48, 40)), "a": rng.standard_normal((40, 48)), "b": rng.standard_normal((40, 48))}


def reference(ins):
    t = np.exp(ins["x"])
    return {"y": (t.T + ins["a"]) * ins["b"], "y2": t.T - ins["b"]}
