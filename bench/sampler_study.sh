#!/usr/bin/env bash
# The sampler study of docs/validation.md ("Samplers on the built-in model"): the built-in model sampled at
# the same incident energies with the same seed by DDPM at its default steps and by DDIM, Heun and
# DPM-Solver++(2M) at about 10, 25 and 50 network evaluations per shower, then the separation powers of the
# 227 CaloChallenge histograms against the reference-vs-reference floor.
#   bench/sampler_study.sh [COUNT] [OUT]      (COUNT default 2000; 1 CPU thread per sampling run)
# CaloDiffusion's --steps is the length of the rebuilt DDPM schedule, of which the first 2 levels are skipped:
# --steps S costs S − 2 evaluations (ddpm, ddim, dpmpp-2m) or 2(S − 2) − 1 (heun).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BIN:-$ROOT/.build/release/caloforge}"
COUNT="${1:-2000}"
OUT="${2:-sampler-study}"
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$OUT"
"$BIN" synth --geometry ds2 --count "$COUNT" --energies log-uniform:1GeV:1TeV --seed 1001 -o "$OUT/reference.h5"
"$BIN" synth --geometry ds2 --count "$COUNT" --energies log-uniform:1GeV:1TeV --seed 1002 -o "$OUT/reference2.h5"
runs=("ddpm-98 ddpm 100" "ddim-10 ddim 12" "ddim-25 ddim 27" "ddim-50 ddim 52" "heun-9 heun 7" "heun-25 heun 15"
      "heun-49 heun 27" "dpmpp2m-10 dpmpp-2m 12" "dpmpp2m-25 dpmpp-2m 27" "dpmpp2m-50 dpmpp-2m 52")
generated=()
for run in "${runs[@]}"; do
    set -- $run
    "$BIN" sample --model builtin --energies-from "$OUT/reference.h5" --sampler "$2" --steps "$3" --batch-size 100 \
        --seed 7 --threads 1 -o "$OUT/$1.h5"
    generated+=("$OUT/$1.h5")
done
args=()
for file in "${generated[@]}"; do args+=(--generated "$file"); done
"$BIN" evaluate --reference "$OUT/reference.h5" --reference2 "$OUT/reference2.h5" "${args[@]}" --metrics hist --out "$OUT/evaluation"
python3 "$ROOT/bench/sampler_study.py" "$OUT/evaluation" "${generated[@]}"
