#!/usr/bin/env bash
# shellcheck disable=SC2086  # $flags, $extra and $opt are option lists, split on purpose
# The peer benchmark's standard runs (docs/performance.md, "Peer benchmark"), in two steps:
#   scripts/peer_suite.sh gen [DIR]                      where dmc is built (it needs MLIR): the generated
#                                                        C++ of every run into DIR (default peer_cpp)
#   scripts/peer_suite.sh run [DIR] [OUT] [THREADS ...]  on the peer machine: builds each and runs
#                                                        scripts/peers.py on it at each thread count
#                                                        (default 16 2); OUT (default peer_out) gets
#                                                        NAME_BIND_Tt.{txt,json,svg} and summary.{txt,json,svg}
# $PEER_RUNS lists the runs as NAME:SYM=N[,SYM=N] (default below), $PEER_OPT the dmc options (default -O3),
# $PEER_ARGS the driver's options (default --rounds 5 --repeat 5), $PYTHON the interpreter with PyTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${PEER_RUNS:-"mha:S=4096 mha_causal:S=4096 longformer:S=4096 bert_encoder:S=4096 bert_encoder:S=512"}
opt=${PEER_OPT:--O3}
mode=${1:-}
[ $# -gt 0 ] && shift
dir=${1:-peer_cpp}
[ $# -gt 0 ] && shift

# name:S=4096,B=2 -> name, the --bind options, and a file stem name_S4096_B2
parse() {
  name=${1%%:*}
  binds=()
  stem=$name
  if [ "$1" != "$name" ]; then
    IFS=, read -ra pairs <<< "${1#*:}"
    for p in "${pairs[@]}"; do binds+=(--bind "$p"); stem+="_${p/=/}"; done
  fi
}

case $mode in
  gen)
    dmc=${DMC:-build/bin/dmc}
    mkdir -p "$dir"
    for r in $runs; do
      parse "$r"
      # No tuned choices: they were measured on this machine, not the peer, and the peer's runtime is built
      # without oneDNN (a `dnnl` choice would fail there).
      "$dmc" compile "samples/$name.json" "${binds[@]}" $opt --tuning-db=none --emit=cpp -o "$dir/${stem}${opt// /}.cpp"
      echo "$dir/${stem}${opt// /}.cpp"
    done ;;
  run)
    out=${1:-peer_out}
    [ $# -gt 0 ] && shift
    threads=("$@")
    [ ${#threads[@]} -gt 0 ] || threads=(16 2)
    mkdir -p "$out"
    failed=()
    for t in "${threads[@]}"; do
      for r in $runs; do
        parse "$r"
        cpp="$dir/${stem}${opt// /}.cpp"
        base="$out/${stem}_${t}t"
        echo "== $name ${binds[*]} --threads $t" >&2
        # shellcheck disable=SC2086
        if ! OMP_NUM_THREADS=$t scripts/peer_bench.sh "samples/$name.json" "$cpp" -- "${binds[@]}" --threads "$t" \
             ${PEER_ARGS:---rounds 5 --repeat 5} --json "$base.json" --svg "$base.svg" 2>&1 | tee "$base.txt"; then
          failed+=("$stem at $t threads")
        fi
      done
    done
    jsons=("$out"/*_*t.json)
    if [ -e "${jsons[0]}" ]; then
      "${PYTHON:-python3}" scripts/peers.py --merge "${jsons[@]}" --json "$out/summary.json" --svg "$out/summary.svg" \
        | tee "$out/summary.txt"
    fi
    if [ ${#failed[@]} -gt 0 ]; then
      printf 'peer_suite.sh: failed: %s\n' "${failed[@]}" >&2
      exit 1
    fi ;;
  *)
    sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2 ;;
esac
