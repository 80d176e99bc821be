#!/bin/bash
# Times two pass pipelines on samples, interleaved, and prints their medians, the speed-up and the bytes
# moved by each (dmc's movement report). A pipeline is an -O level (-O2) or a --passes list.
#
#   scripts/compare_pipelines.sh A B SAMPLE... [-- EXTRA DMC ARGS]
#   scripts/compare_pipelines.sh \
#     'expand-library-nodes,remove-dead-containers,fuse-elementwise-maps,fuse-sibling-maps,fuse-tasklets,vectorize-inner-maps,choose-schedules' \
#     -O2 mha bert_encoder
#   scripts/compare_pipelines.sh -O1 -O2 linear_attention -- --bind S=512
#
# Each of 3 rounds runs A then B with --repeat 3; the median of the three per-round medians is printed.
set -euo pipefail
DMC=${DMC:-build/bin/dmc}
A=$1 B=$2
shift 2
samples=() extra=()
while (($#)); do
  if [[ $1 == -- ]]; then shift; extra=("$@"); break; fi
  samples+=("$1"); shift
done
as_args() { if [[ $1 == -O* ]]; then echo "$1"; else echo "--passes=$1"; fi; }
median_ms() { sed -n 's/.*median \([0-9.]*\) ms.*/\1/p'; }
for s in "${samples[@]}"; do
  graph=samples/$s.json
  ta=() tb=()
  for round in 1 2 3; do
    ta+=("$("$DMC" run "$graph" "$(as_args "$A")" --repeat 3 "${extra[@]}" 2>&1 | median_ms)")
    tb+=("$("$DMC" run "$graph" "$(as_args "$B")" --repeat 3 "${extra[@]}" 2>&1 | median_ms)")
  done
  ma=$(printf '%s\n' "${ta[@]}" | sort -g | sed -n 2p)
  mb=$(printf '%s\n' "${tb[@]}" | sort -g | sed -n 2p)
  moved() { "$DMC" compile "$graph" "$(as_args "$1")" "${extra[@]}" --report=movement -o /dev/null | sed -n 's/^moved: \([0-9]*\) bytes.*/\1/p'; }
  ba=$(moved "$A") bb=$(moved "$B")
  awk -v s="$s" -v ma="$ma" -v mb="$mb" -v ba="$ba" -v bb="$bb" 'BEGIN {
    printf "%-18s A %9.1f ms  B %9.1f ms  speed-up %5.2fx   moved A %11d  B %11d bytes (%.1f%% less)\n",
           s, ma, mb, ma / mb, ba, bb, 100 * (ba - bb) / ba }'
done
