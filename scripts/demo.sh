#!/usr/bin/env bash
# The main job: set up, then take a sample attention graph through dmc and show the result.
#   scripts/demo.sh [samples/NAME.json]
set -euo pipefail
cd "$(dirname "$0")/.."
GRAPH=${1:-samples/mha.json}
scripts/setup.sh build >/dev/null
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "== dmc import $GRAPH (default sizes) -> SDFG IR of library nodes"
build/bin/dmc import "$GRAPH" -o "$OUT/graph.mlir"
build/bin/dmc-opt --verify-each "$OUT/graph.mlir" > /dev/null && echo "IR verifies and re-parses"
cat "$OUT/graph.mlir"
