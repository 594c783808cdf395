#!/usr/bin/env bash
# The bf16 study of docs/benchmarks.md ("bf16 autocast and channels-last on this CPU"): float32 against bfloat16
# autocast (and channels-last convolution weights where the model has convolutions), side by side, for
#   (a) sampling the built-in CaloDiffusion model (3-D conv U-Net), ms per network evaluation at batch 1 and 100,
#   (b) one training step (loss, backward, AdamW) of the same model at batch 32,
#   (c) both for a fresh two-stage model (configuration two-stage-ds2, a transformer),
# all on 1 thread, every variant run once per round and the rounds repeated (the machine is shared), medians
# reported; then the change in outputs (bench precision: loss, gradients, 200 showers with one seed; for
# CaloDiffusion with DDIM at 25 evaluations and with its default DDPM sampler at 98).
# PRECISION_ONLY=1 skips the timings.
#   bench/bf16_study.sh [ROUNDS] [OUT]      (ROUNDS default 5)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BIN:-$ROOT/.build/release/caloforge}"
ROUNDS="${1:-5}"
OUT="${2:-bf16-study}"
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$OUT"
lscpu | grep -iE "model name|^cpu\(s\)" > "$OUT/machine.txt"
lscpu | grep -io "avx512_bf16\|amx_bf16\|avx512f " | sort -u | tr '\n' ' ' >> "$OUT/machine.txt"

conv=("fp32 contiguous" "bf16 contiguous" "fp32 channels-last" "bf16 channels-last")
plain=("fp32 contiguous" "bf16 contiguous")
[ -n "${PRECISION_ONLY:-}" ] && ROUNDS=0
for round in $(seq 1 "$ROUNDS"); do
    for variant in "${conv[@]}"; do
        set -- $variant
        "$BIN" bench sample --model builtin --sampler ddim --steps 12 --batch-sizes 1,100 --threads 1 \
            --precision "$1" --memory-format "$2" --json > "$OUT/sample-calodiffusion-$1-$2-$round.json"
        "$BIN" bench train-step --model builtin --batch-size 32 --repeats 3 --threads 1 \
            --precision "$1" --memory-format "$2" --json > "$OUT/train-calodiffusion-$1-$2-$round.json"
    done
    for variant in "${plain[@]}"; do
        set -- $variant
        "$BIN" bench sample --config two-stage-ds2 --batch-sizes 1,100 --threads 1 \
            --precision "$1" --memory-format "$2" --json > "$OUT/sample-twostage-$1-$2-$round.json"
        "$BIN" bench train-step --config two-stage-ds2 --batch-size 32 --repeats 3 --threads 1 \
            --precision "$1" --memory-format "$2" --json > "$OUT/train-twostage-$1-$2-$round.json"
    done
done

"$BIN" bench precision --model builtin --sampler ddim --steps 27 --count 200 --threads 2 --precision bf16 > "$OUT/precision-calodiffusion-bf16.txt"
"$BIN" bench precision --model builtin --count 200 --threads 2 --precision bf16 > "$OUT/precision-calodiffusion-bf16-ddpm.txt"
"$BIN" bench precision --model builtin --sampler ddim --steps 27 --count 200 --threads 2 --memory-format channels-last > "$OUT/precision-calodiffusion-fp32-channels-last.txt"
"$BIN" bench precision --config two-stage-ds2 --train-steps 30 --count 200 --threads 2 --precision bf16 > "$OUT/precision-twostage-bf16.txt"

python3 - "$OUT" <<'PY'
import glob, json, statistics, sys
out = sys.argv[1]
print(open(f"{out}/machine.txt").read().strip())
def median(pattern, value):
    return statistics.median(value(json.load(open(p))) for p in glob.glob(f"{out}/{pattern}-*.json"))
for model, variants in (("calodiffusion", ("fp32-contiguous", "bf16-contiguous", "fp32-channels-last", "bf16-channels-last")),
                        ("twostage", ("fp32-contiguous", "bf16-contiguous"))):
    print(f"\n{model}: median over rounds (1 thread)")
    print(f"{'variant':22s} {'ms/eval b1':>11s} {'ms/eval b100':>13s} {'ms/step b32':>12s}")
    for v in variants:
        b1 = median(f"sample-{model}-{v}", lambda r: r["rows"][0]["millisecondsPerEvaluation"])
        b100 = median(f"sample-{model}-{v}", lambda r: r["rows"][1]["millisecondsPerEvaluation"])
        step = median(f"train-{model}-{v}", lambda r: r["medianMillisecondsPerStep"])
        print(f"{v:22s} {b1:11.2f} {b100:13.1f} {step:12.0f}")
for p in sorted(glob.glob(f"{out}/precision-*.txt")):
    print("\n" + open(p).read().strip())
PY
