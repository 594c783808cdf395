#!/usr/bin/env python3
"""Summarises a `caloforge evaluate --metrics hist` run over several generated files (the sampler study of
docs/validation.md): for each generated file, the separation powers of the 227 official CaloChallenge
histograms — mean, median, largest, E_tot/E_inc — and on how many the score is within 2× of the
reference-vs-reference floor; the network evaluations per shower are read from each file's OUTPUT.json.

    python3 bench/sampler_study.py EVALUATION_FOLDER [GENERATED.h5 ...]

Prints a Markdown table. Only the standard library is used.
"""

import json
import os
import statistics
import sys


def main():
    folder, generated = sys.argv[1], sys.argv[2:]
    metrics = json.load(open(os.path.join(folder, "metrics.json")))
    observables = metrics["metrics"]["hist"]["observables"]
    official = {key: value for key, value in observables.items() if value["official"]}
    names = sorted({name for value in official.values() for name in value["scores"]})
    evaluations = {}
    for path in generated:
        record = json.load(open(path + ".json"))
        name = os.path.splitext(os.path.basename(path))[0]
        sampler = record.get("sampler")
        label = sampler if isinstance(sampler, str) else sampler.get("sampler", "?")
        nfe = record.get("networkEvaluationsPerShower")
        if nfe is None:  # records written before NFE was recorded: CaloDiffusion skips 2 levels of --steps
            steps = int(record["steps"]) - 2
            nfe = 2 * steps - 1 if label in ("heun", "midpoint") else steps
        evaluations[name] = (label, nfe)
    def value(entry):
        return entry["value"] if entry and entry.get("value") is not None else float("nan")

    floor = [value(v["floor"]) for v in official.values()]
    print(f"| run | NFE per shower | mean of {len(official)} | median | largest | E_tot/E_inc | within 2× of floor |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    def fmt(x):  # NaN: no entries in the histogram's range (evaluate.py gives NaN too)
        return f"{x:.4f}" if x == x else "none in range"

    def finite(values):
        return [v for v in values if v == v]

    print(f"| reference floor | — | {statistics.mean(finite(floor)):.4f} | {statistics.median(finite(floor)):.4f} | "
          f"{max(finite(floor)):.4f} | {value(official['E_ratio']['floor']):.4f} | {len(finite(floor))} |")
    for name in names:
        scores = [value(v["scores"].get(name)) for v in official.values()]
        within = sum(1 for v in official.values() if value(v["scores"].get(name)) <= 2 * value(v["floor"]))
        nfe = evaluations.get(name, (None, None))[1]
        print(f"| {name} | {nfe if nfe is not None else '?'} | {statistics.mean(finite(scores)):.4f} | "
              f"{statistics.median(finite(scores)):.4f} | {max(finite(scores)):.4f} | "
              f"{fmt(value(official['E_ratio']['scores'].get(name)))} | {within} of {len(finite(scores))} |")


if __name__ == "__main__":
    main()
