"""Runs `dmc import` on truncations and byte corruptions of ONNX models; fails if any run crashes (a
signal, a sanitizer report, an exit code other than 0 or 1) or fails without an error message.
  /usr/bin/python3 corrupt.py DMC MODEL..."""
import os
import random
import subprocess
import sys
import tempfile

dmc, models = sys.argv[1], sys.argv[2:]
rng = random.Random(14)
bad = runs = 0
with tempfile.TemporaryDirectory() as tmp:
    for model in models:
        data = open(model, "rb").read()
        variants = [data[:n] for n in sorted(set(rng.randrange(1, len(data)) for _ in range(40)))]
        for _ in range(120):
            b = bytearray(data)
            for _ in range(rng.randint(1, 4)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            variants.append(bytes(b))
        for k, v in enumerate(variants):
            # Beside the original, so external data still resolves.
            path = os.path.join(os.path.dirname(model), f"corrupt_{k}.onnx")
            with open(path, "wb") as f:
                f.write(v)
            r = subprocess.run([dmc, "import", path, "-o", os.devnull], capture_output=True, text=True,
                               errors="replace", timeout=60)
            os.remove(path)
            runs += 1
            crashed = r.returncode not in (0, 1) or any(s in r.stderr for s in ("Sanitizer", "runtime error:", "Assertion"))
            silent = r.returncode == 1 and "error:" not in r.stderr
            if crashed or silent:
                bad += 1
                print(f"variant {k} of {model}: exit {r.returncode}: {r.stderr[-500:]}")
print(f"{runs - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
