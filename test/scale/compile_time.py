#!/usr/bin/env python3
"""Compile time on large graphs: every -O level of a 5,000-node chain and tree stays under a CPU budget.

    compile_time.py DMC [NODES] [BUDGET_SECONDS]

The budget is CPU seconds of `dmc compile --emit=cpp` (import, passes and emission, no C++ compiler),
measured with getrusage so a loaded machine does not make it fail; it catches quadratic passes (before
this test, -O3 took 11.7 CPU seconds on the chain and -O2 longer), not small slowdowns.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_graph  # noqa: E402


def cpu_seconds_of(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    dmc = sys.argv[1]
    nodes = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    budget = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
    failed = passed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("chain", "tree"):
            graph = os.path.join(tmp, f"{kind}.json")
            with open(graph, "w") as f:
                json.dump(make_graph.graph(kind, nodes), f)
            for level in range(4):
                out = os.path.join(tmp, f"{kind}.O{level}.cpp")
                cpu = cpu_seconds_of([dmc, "compile", graph, f"-O{level}", "--emit=cpp", "-o", out])
                size = os.path.getsize(out)
                ok = cpu < budget and size > 0
                print(f"{'ok  ' if ok else 'FAIL'} {kind} {nodes} nodes -O{level}: {cpu:.2f} CPU s "
                      f"(budget {budget:.1f}), {size} bytes of C++")
                passed, failed = passed + ok, failed + (not ok)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
