"""NumPy reference of nested_reduce.mlir, and the pass pipelines to check it under."""
import numpy as np

PIPELINES = [
    "collapse-maps",
    "interchange-maps",
    "interchange-maps,tile-maps{tile-size=8},collapse-maps",
    "tile-maps{tile-size=8},interchange-maps,vectorize-inner-maps",
]


def inputs(rng):
    return {"x": rng.standard_normal((24, 40)), "w": rng.standard_normal((40, 56))}


def reference(ins):
    return {"s": ins["x"].sum(axis=1), "c": ins["x"] @ ins["w"]}
