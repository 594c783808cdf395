#!/usr/bin/env bash
# Times PRDC alone (`caloforge evaluate --metrics prdc --no-plots`) on synthetic ds2 pairs, for one
# or more caloforge binaries side by side: each size runs every binary in turn on the same files,
# same threads (docs/benchmarks.md, "PRDC radii from half the distance matrix").
#
#   bench/prdc.sh [--sizes 10000,20000] [--threads 2] [--out DIR] [BINARY ...]
#
# BINARY defaults to this checkout's release build; pass an older build (e.g. a copy of
# .build/release/caloforge made at another commit) and the current one to compare them.
# Prints per run: the prdc stage time (metrics.json timings_seconds), wall time, peak RSS
# (/usr/bin/time) and the four scores. Needs /usr/bin/time and python3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES=10000,20000; THREADS=2; OUT="$ROOT/.build/bench/prdc"; BINARIES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n 2,11p "$0"; exit 0 ;;
        -*) echo "prdc.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
        *) BINARIES+=("$1"); shift ;;
    esac
done
if [ ${#BINARIES[@]} -eq 0 ]; then BINARIES=("$(cd "$ROOT" && swift build -c release --show-bin-path)/caloforge"); fi
for bin in "${BINARIES[@]}"; do
    [ -x "$bin" ] || { echo "prdc.sh: no executable caloforge at $bin; run 'make release' first" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "prdc.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
mkdir -p "$OUT"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $THREADS threads"
for n in ${SIZES//,/ }; do
    [ -f "$OUT/ref-$n.h5" ] || "${BINARIES[0]}" synth --geometry ds2 --count "$n" --seed 11 -o "$OUT/ref-$n.h5" >/dev/null 2>&1
    [ -f "$OUT/gen-$n.h5" ] || "${BINARIES[0]}" synth --geometry ds2 --count "$n" --seed 12 -o "$OUT/gen-$n.h5" >/dev/null 2>&1
    for i in "${!BINARIES[@]}"; do
        run="$OUT/eval-$n-$i"
        rm -rf "$run"
        /usr/bin/time -f "%e %M" -o "$run.time" "${BINARIES[$i]}" evaluate --reference "$OUT/ref-$n.h5" \
            --generated "$OUT/gen-$n.h5" --metrics prdc --no-plots --threads "$THREADS" --out "$run" >"$run.log" 2>&1
        python3 - "$run/metrics.json" "$run.time" "$n" "${BINARIES[$i]}" <<'PY'
import json, sys
metrics = json.load(open(sys.argv[1]))
wall, rss_kb = open(sys.argv[2]).read().split()[-2:]
scores = {k: next(iter(v["scores"].values()))["value"] for k, v in metrics["metrics"]["prdc"]["observables"].items()}
print(f"N = {sys.argv[3]:>6}  {sys.argv[4]}: prdc {metrics['timings_seconds']['prdc']:.1f} s, wall {float(wall):.1f} s, "
      f"peak RSS {int(rss_kb) / 1e6:.1f} GB | " + ", ".join(f"{k} {scores[k]}" for k in ("precision", "recall", "density", "coverage")))
PY
    done
done
