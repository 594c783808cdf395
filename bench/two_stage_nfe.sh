#!/usr/bin/env bash
# Quality of the built-in two-stage model against the number of network evaluations (issue 16 item 4):
# the same 2 000 held-out energies sampled with each ODE sampler and step count, each scored with
# `caloforge evaluate --metrics hist,fpd` against the held-out set, floor from a second one.
#   bench/two_stage_nfe.sh OUT_FOLDER [MODEL]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/caloforge"
OUT="$1"; MODEL="${2:-builtin}"
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$OUT"
[ -f "$OUT/ref.h5" ] || "$BIN" synth --geometry ds2 --count 2000 --energies log-uniform:1GeV:1TeV --seed 2001 -o "$OUT/ref.h5"
[ -f "$OUT/ref2.h5" ] || "$BIN" synth --geometry ds2 --count 2000 --energies log-uniform:1GeV:1TeV --seed 2002 -o "$OUT/ref2.h5"
# RUNS="euler 4,midpoint 8" picks the sampler/step pairs (default below).
if [ -n "${RUNS:-}" ]; then IFS=',' read -ra LIST <<< "$RUNS"; else LIST=("euler 4" "euler 8" "midpoint 4" "midpoint 8" "midpoint 12" "rk4 4"); fi
for run in "${LIST[@]}"; do
    set -- $run
    name="$1-$2"
    rm -rf "$OUT/$name.h5" "$OUT/$name.h5.json" "$OUT/eval-$name"
    "$BIN" sample --model "$MODEL" --energies-from "$OUT/ref.h5" --sampler "$1" --steps "$2" --batch-size 500 --seed 7 \
        -o "$OUT/$name.h5" 2>&1 | grep "wrote"
    "$BIN" evaluate --reference "$OUT/ref.h5" --generated "$OUT/$name.h5" --reference2 "$OUT/ref2.h5" --metrics hist,fpd \
        --no-plots --out "$OUT/eval-$name" > "$OUT/eval-$name.log" 2>&1
    grep -E "separation power, mean|E_tot / E_inc|FPD" "$OUT/eval-$name/summary.md" | head -3
done
