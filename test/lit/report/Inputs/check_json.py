"""Checks the JSON movement report of Inputs/tiny.json (numbers counted by hand in movement-text.test)."""
import json
import sys

with open(sys.argv[1]) as f:
    d = json.load(f)
assert d["graph"] == sys.argv[2], d["graph"]
assert list(d) == ["graph", "bindings", "unknown_symbols", "notes", "passes", "totals", "containers", "states"], list(d)
assert d["unknown_symbols"] == [] and d["notes"] == []

assert [p["pass"] for p in d["passes"]] == ["import", "resolve-write-conflicts", "prepare-for-emission"], d["passes"]
step = d["passes"][0]
assert (step["index"], step["read"], step["written"], step["moved"]) == (0, 800, 512, 1312), step
assert (step["transients"], step["peak_transients"]) == (384, 384), step

t = d["totals"]
assert (t["read"], t["written"], t["moved"], t["on_chip_read"], t["on_chip_written"]) == (800, 512, 1312, 0, 0), t
assert (t["transients"], t["peak_transients"]) == (384, 384), t
# Library nodes only: the accesses (memlet executions x element size) equal the moved bytes.
assert (t["accesses_read"], t["accesses_written"], t["accesses"]) == (800, 512, 1312), t
assert step["accesses"] == 1312, step

c = {c["name"]: c for c in d["containers"]}
assert [x["name"] for x in d["containers"]] == ["x", "w", "b", "y", "mm", "h", "t"]
assert c["x"] == {"name": "x", "kind": "input", "storage": "heap", "lifetime": None, "on_chip": False,
                  "shape": "[4, 8]", "element_size": 4, "size": 128, "read": 128, "written": 0}, c["x"]
assert (c["w"]["read"], c["b"]["read"]) == (256, 32)
assert (c["y"]["kind"], c["y"]["read"], c["y"]["written"]) == ("output", 0, 128)
assert (c["mm"]["kind"], c["mm"]["lifetime"], c["mm"]["read"], c["mm"]["written"]) == ("transient", "sdfg", 128, 128)
assert sum(x["read"] for x in d["containers"]) == t["read"]
assert sum(x["written"] for x in d["containers"]) == t["written"]

[s] = d["states"]
assert (s["name"], s["read"], s["written"], s["live_transients"]) == ("main", 800, 512, 384), s
kinds = [(n["kind"], n["label"], n["read"], n["written"], n["writes"]) for n in s["nodes"]]
assert kinds == [("nn.matmul", "mm", 384, 128, ["mm"]), ("nn.add", "h", 160, 128, ["h"]),
                 ("nn.transpose", "t", 128, 128, ["t"]), ("nn.softmax", "sm", 128, 128, ["y"])], kinds
assert all(n["accesses"] == n["moved"] for n in s["nodes"]), s["nodes"]
print("ok")
