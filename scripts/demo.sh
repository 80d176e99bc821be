#!/usr/bin/env bash
# The main job: set up, compile a sample attention graph to a shared library, run it and print timing.
#   scripts/demo.sh [samples/NAME.json] [extra dmc flags, e.g. --bind S=256]
set -euo pipefail
cd "$(dirname "$0")/.."
GRAPH=${1:-samples/mha.json}
shift || true
scripts/setup.sh build > build-setup.log 2>&1 || { cat build-setup.log; exit 1; }
NAME=$(basename "$GRAPH" .json)
OUT=out/$NAME
mkdir -p "$OUT"
echo "== dmc import $GRAPH: the SDFG IR (first lines)"
build/bin/dmc import "$GRAPH" "$@" -o "$OUT/imported.mlir"
head -n 12 "$OUT/imported.mlir"
echo "..."
echo "== dmc compile $GRAPH -O3 -o $OUT/lib$NAME.so --report=movement (IR after every pass, C++, header, manifest beside it)"
build/bin/dmc compile "$GRAPH" "$@" -O3 -o "$OUT/lib$NAME.so" --dump-ir-after-all "$OUT" --report=movement
ls "$OUT"
echo "== dmc run $OUT/lib$NAME.so --repeat 5 (seeded random inputs)"
build/bin/dmc run "$OUT/lib$NAME.so" "$@" --repeat 5
