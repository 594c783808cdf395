#!/usr/bin/env bash
# Times `caloforge evaluate --metrics all` on synthetic ds2 pairs of growing size and projects the
# cost of the official 100 000-event evaluation from how each stage scales (docs/benchmarks.md,
# "Evaluation"). Each stage's time comes from metrics.json's timings_seconds.
#
#   bench/evaluation_scaling.sh [--sizes 2000,8000] [--cls-epochs 1] [--threads N] [--device cpu|cuda] [--out DIR]
#
# Scaling used for the projection to N = 100 000 events per file and the official 50 classifier epochs:
#   reading, hist, pcc, w1      linear in N
#   fpd+kpd                     constant (JetNet resamples fixed batch sizes: 10k-50k rows, 10k for KPD)
#   prdc                        quadratic in N (all pairwise distances)
#   cls-low, cls-high           linear in N and in epochs (measured with --cls-epochs, scaled to 50)
# Needs a release build (make release) and python3 for the arithmetic.
#
# Each evaluation runs with --resume: a long one stopped by Ctrl-C (or the end of a session)
# continues where it stopped when the script is run again with the same arguments; its times then
# add up the segments (metrics.json `segments`). Progress goes to $OUT/eval-N.log.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZES=2000,8000; EPOCHS=1; THREADS=""; DEVICE=cpu; OUT="$ROOT/.build/bench/evaluation"
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) SIZES="$2"; shift 2 ;;
        --cls-epochs) EPOCHS="$2"; shift 2 ;;
        --threads) THREADS="--threads $2"; shift 2 ;;
        --device) DEVICE="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        -h|--help) sed -n 2,17p "$0"; exit 0 ;;
        *) echo "evaluation_scaling: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
BIN="${CALOFORGE:-$(cd "$ROOT" && swift build -c release --show-bin-path)/caloforge}"
[ -x "$BIN" ] || { echo "evaluation_scaling: no release binary at $BIN; run 'make release' first" >&2; exit 1; }
mkdir -p "$OUT"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); device $DEVICE; classifier epochs $EPOCHS"
for n in ${SIZES//,/ }; do
    [ -f "$OUT/ref-$n.h5" ] || "$BIN" synth --geometry ds2 --count "$n" --seed 11 -o "$OUT/ref-$n.h5" >/dev/null 2>&1
    [ -f "$OUT/gen-$n.h5" ] || "$BIN" synth --geometry ds2 --count "$n" --seed 12 -o "$OUT/gen-$n.h5" >/dev/null 2>&1
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$BIN" evaluate --reference "$OUT/ref-$n.h5" --generated "$OUT/gen-$n.h5" --metrics all --no-plots \
        --cls-epochs "$EPOCHS" --device "$DEVICE" $THREADS --out "$OUT/eval-$n" --resume >>"$OUT/eval-$n.log" 2>&1
    end=$(date +%s.%N)
    python3 - "$OUT/eval-$n/metrics.json" "$n" "$start" "$end" <<'PY'
import json, sys
metrics = json.load(open(sys.argv[1]))
timings, segments = metrics["timings_seconds"], metrics.get("segments", 1)
n, total = int(sys.argv[2]), float(sys.argv[4]) - float(sys.argv[3])
wall = f"wall {total:7.1f} s" if segments == 1 else f"{segments} segments, last {total:7.1f} s, sum of stages {sum(timings.values()):.1f} s"
print(f"N = {n:>6}: {wall}  | " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(timings.items())))
PY
done
python3 - "$OUT" "$SIZES" "$EPOCHS" <<'PY'
import json, sys
out, sizes, epochs = sys.argv[1], [int(s) for s in sys.argv[2].split(",")], int(sys.argv[3])
n = max(sizes)
t = json.load(open(f"{out}/eval-{n}/metrics.json"))["timings_seconds"]
target, official = 100_000, 50
factor = {"reading": target / n, "hist": target / n, "pcc": target / n, "w1": target / n, "fpd+kpd": 1.0,
          "prdc": (target / n) ** 2}
classifier = target / n * official / epochs
rows = [(k, v, v * (classifier if k.startswith("cls") else factor.get(k, target / n))) for k, v in sorted(t.items())]
print(f"projection from N = {n} to N = {target} per file, {official} classifier epochs:")
for k, v, p in rows:
    print(f"  {k:<10} {v:9.1f} s  ->  {p / 3600:8.2f} h")
print(f"  {'total':<10} {sum(r[1] for r in rows):9.1f} s  ->  {sum(r[2] for r in rows) / 3600:8.2f} h")
PY
