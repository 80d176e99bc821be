"""The -O3 IR of an exported nn.TransformerEncoderLayer reaches the fused form of the hand-written sample
samples/bert_encoder.json: after -O3's fusions (fuse-attention, fuse-matmul-epilogues) both hold the same
numbers of nn.attention, nn.fused_matmul and nn.layer_norm nodes (S a run-time symbol, or bound), and neither keeps a plain matmul, gemm,
softmax or gelu. Every other node count is the sample's too (reshapes, transposes, and adds: the residual
add fused into the output projection): at batch 1 the sequence-first layout changes are reshapes, folded
away; at batch 2 each [B, S, E] -> [S, B, E] -> [S, B*H, D] -> [B*H, S, D] becomes the sample's
[B, S, H, D] -> [B, H, S, D] and the attention runs on [B, H, S, D] (docs/onnx.md).

  /usr/bin/python3 test/onnx/check_fused_form.py DMC
"""
import collections
import os
import re
import subprocess
import sys
import tempfile
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_models  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAME = ("nn.attention", "nn.fused_matmul", "nn.layer_norm")
NEVER = ("nn.matmul", "nn.gemm", "nn.softmax", "nn.gelu")


def fused_counts(dmc, graph, tmp, extra=()):
    dump = tempfile.mkdtemp(dir=tmp)
    subprocess.run([dmc, "compile", graph, "-O3", "--emit=manifest", "-o", os.devnull, "--dump-ir-after-all", dump,
                    *extra], check=True, capture_output=True)
    ir = open(os.path.join(dump, "02-fuse-matmul-epilogues.mlir")).read()
    return collections.Counter(re.findall(r"^\s*(nn\.[a-z_]+) ", ir, re.M))


def main():
    dmc = sys.argv[1]
    warnings.filterwarnings("ignore")
    failures = checks = 0
    with tempfile.TemporaryDirectory() as tmp:
        sample = fused_counts(dmc, os.path.join(ROOT, "samples", "bert_encoder.json"), tmp, ["--test-size"])
        # Opset 14: LayerNorm exported decomposed, rebuilt by the importer.
        cases = (("encoder_post_gelu", 17, [], 2), ("encoder_pre_gelu", 17, [], 2),
                 ("encoder_post_gelu", 17, ["--bind", "S=16"], 2), ("encoder_pre_gelu", 14, [], 2),
                 ("encoder_post_gelu", 17, [], 1), ("encoder_pre_gelu", 17, [], 1))
        for name, opset, bind, batch in cases:
            path = os.path.join(tmp, f"{name}{opset}b{batch}.onnx")
            torch_models.export(name, path, opset=opset, batch=batch)
            got = fused_counts(dmc, path, tmp, bind)
            name += f" opset {opset} batch {batch}" + (" " + " ".join(bind) if bind else "")
            for op in sorted(set(got) | set(sample)):
                checks += 1
                ok = got[op] == sample[op] and got[op] > 0
                failures += not ok
                print(f"{'ok  ' if ok else 'FAIL'} {name}: {op} x{got[op]} (bert_encoder.json x{sample[op]})")
            for op in NEVER:
                checks += 1
                ok = got[op] == 0
                failures += not ok
                print(f"{'ok  ' if ok else 'FAIL'} {name}: {op} x{got[op]} left unfused")
            rest = {op: (got[op], sample[op]) for op in set(got) | set(sample) if op not in SAME and got[op] != sample[op]}
            print(f"     {name}: other nodes (export, sample): {dict(sorted(rest.items()))}")
    print(f"{checks - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
