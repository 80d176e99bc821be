#!/usr/bin/python3
"""Every pass declared in passes/Passes.td can be found by its name: its own file passes/<Def>.cpp, a lit
test test/lit/passes/<flag>.mlir, and a row of docs/passes.md that starts with its flag. Prints what is
missing and exits 1 if anything is.

usage: check_pass_layout.py
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    with open(os.path.join(ROOT, "passes", "Passes.td")) as f:
        passes = re.findall(r'^def (\w+) : Pass<"([\w-]+)"', f.read(), re.M)
    with open(os.path.join(ROOT, "docs", "passes.md")) as f:
        doc = f.read()
    missing = []
    for name, flag in passes:
        if not os.path.exists(os.path.join(ROOT, "passes", name + ".cpp")):
            missing.append("%s: no passes/%s.cpp" % (flag, name))
        if not os.path.exists(os.path.join(ROOT, "test", "lit", "passes", flag + ".mlir")):
            missing.append("%s: no test/lit/passes/%s.mlir" % (flag, flag))
        if not re.search(r"^\| `%s[`{]" % re.escape(flag), doc, re.M):
            missing.append("%s: no row in docs/passes.md" % flag)
    for line in missing:
        print(line)
    print("%d passes, %d missing pieces" % (len(passes), len(missing)))
    sys.exit(1 if missing or not passes else 0)


if __name__ == "__main__":
    main()
