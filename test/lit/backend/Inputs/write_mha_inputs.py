"""write_mha_inputs.py DIR D0 D1 D2: the inputs of samples/mha.json at its test size (E = 128), with x of
shape [D0, D1, D2], so a test can hand the loader a wrongly shaped x."""
import os
import sys

import numpy as np

folder = sys.argv[1]
shapes = {"x": [int(d) for d in sys.argv[2:5]]}
for p in "qkvo":
    shapes["w" + p], shapes["b" + p] = [128, 128], [128]
for name, shape in shapes.items():
    np.save(os.path.join(folder, name + ".npy"), np.ones(shape, dtype=np.float32))
