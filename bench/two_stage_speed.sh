#!/usr/bin/env bash
# Speed of the built-in two-stage model against the former built-in CaloDiffusion model and, per network
# evaluation, the reference CaloDiffusion PyTorch code at the same U-Net shapes: one run, one machine,
# one thread, batch 1 and 100 (issue 16's speed targets; docs/benchmarks.md "Two-stage built-in model").
#
#   bench/two_stage_speed.sh [REFERENCE_CHECKOUT CALOCHALLENGE_CODE]
#
# The reference timing runs only when the two checkouts are given (github.com/OzAmram/CaloDiffusionPaper and
# the CaloChallenge homepage's code/ folder, never copied into this repository) and needs
# PYTHONPATH=$(scripts/reference-python) plus einops.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$(swift build -c release --show-bin-path)/caloforge"
export OMP_WAIT_POLICY=PASSIVE
REPEATS="${REPEATS:-3}"
echo "== machine"; lscpu | grep -E "Model name|^CPU\(s\)"
echo "== the built-in two-stage model (its default sampler)"
"$BIN" bench sample --model models/two-stage-ds2.safetensors --batch-sizes 1,100 --repeats "$REPEATS" --threads 1 --device cpu
echo "== the two-stage model with Euler, 4 steps per stage"
"$BIN" bench sample --model models/two-stage-ds2.safetensors --sampler euler --steps 4 --batch-sizes 1,100 --repeats "$REPEATS" --threads 1 --device cpu
echo "== the former built-in CaloDiffusion model (cpu-demo U-Net), DDPM 200 steps as make demo ran it"
"$BIN" bench sample --model models/cpu-demo-ds2.safetensors --sampler ddpm --steps 200 --batch-sizes 1,100 --repeats 1 --threads 1 --device cpu
if [ $# -ge 2 ]; then
    echo "== the reference CaloDiffusion code at the cpu-demo U-Net's shapes, per network evaluation"
    python3 bench/reference_calodiffusion.py --reference "$1" --calochallenge "$2" --config cpu-demo \
        --batch-sizes 1,100 --evaluations 5 --warmup 2 --threads 1
fi
