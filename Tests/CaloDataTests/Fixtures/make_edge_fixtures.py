#!/usr/bin/env python3
"""Writes edges-ds2.h5 and edges-ds2.json: ds2 showers whose features sit on histogram bin edges
(our own code; it is never run by the Swift tests).

    python3 make_edge_fixtures.py --official DIR --commit SHA

Needs numpy and h5py (e.g. PYTHONPATH=.deps/python); DIR is a checkout of `code/` from
github.com/CaloChallenge/homepage (HighLevelFeatures.py, XMLHandler.py, evaluate_plotting_helper.py,
binning_dataset_2.xml), imported at run time; none of it is copied here. The output is deterministic
(fixed seed) for a given numpy.

evaluate.py computes the features from the float32 array it reads: E_tot, E_layer and the
denominators are float32 sums, in numpy's pairwise order. A sum in another order (sequential, or
float64) differs by float32 rounding, which moves an event that sits next to a bin edge into the
neighbouring bin. This script builds such events on purpose:

  * every (event, layer) targets one feature (E_layer, EC_eta, EC_phi, Width_eta, Width_phi, EC_r,
    Width_r, in turn) at one of its bin edges (spec/calochallenge.md §4.5; E_layer on the edges
    evaluate.py builds from a chosen float32 reference maximum): one voxel of the layer is bisected
    over adjacent float32 values until numpy's feature crosses the edge, and of the two neighbours
    the one is kept on which a float64 sequential sum (CaloForge before numpy-order sums) lands in
    the other bin, when there is one;
  * every event's incident energy puts E_tot/E_inc exactly on, or one float64 step below, an edge of
    lin(0.5, 1.5, 101), again on the side where the float64 sequential E_tot lands elsewhere.

Recorded (edges-ds2.json): numpy's pairwise sums of 1/(i+1) for lengths around the block sizes; the
official features of every event (HighLevelFeatures.CalculateFeatures on the thresholded float32
array, as evaluate.py); the edges of every observable; every target as [event, observable key, value, numpy's bin,
bin of the float64 sequential sum]; and per observable the separation power
(evaluate_plotting_helper._separation_power on np.histogram densities) of the even against the odd
events.
"""
import argparse
import json
import os
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_feature_fixtures import import_official  # noqa: E402

EVENTS = 16
LAYERS = 45
VOXELS_PER_LAYER = 144
MIN_ENERGY = 0.5e-3 / 0.033
KINDS = ["E_layer", "EC_eta", "EC_phi", "Width_eta", "Width_phi", "EC_r", "Width_r"]
FIXED_EDGES = {
    "E_ratio": (0.5, 1.5), "EC_eta": (-30.0, 30.0), "EC_phi": (-30.0, 30.0), "Width_eta": (0.0, 30.0),
    "Width_phi": (0.0, 30.0), "EC_r": (0.0, 42.0), "Width_r": (0.0, 20.0),
}
PAIRWISE_LENGTHS = [1, 7, 8, 9, 15, 16, 17, 127, 128, 129, 136, 144, 255, 256, 257, 1000, 6480, 8192, 8193, 40500]


def numpy_bin(value, edges):
    """np.histogram's bin of one value: edges[i] <= v < edges[i+1], the last edge closed; -1 outside."""
    counts, _ = np.histogram(np.array([value]), bins=edges)
    return int(np.argmax(counts)) if counts.sum() == 1 else -1


def feature(kind, energies, coordinates):
    """numpy's feature of one layer (1-D float32 energies), written as HighLevelFeatures does, on a
    one-event 2-D array so that numpy takes the same array paths (its scalar `**` is not `x * x`)."""
    energies = energies.reshape(1, -1)
    total = energies.sum(axis=-1)                 # float32, pairwise
    if kind == "E_layer":
        return float(total[0])
    x = coordinates[kind.split("_")[1]]
    centre = (x * energies).sum(axis=-1) / (total + 1e-16)
    if kind.startswith("EC"):
        return float(centre[0])
    second = (x * x * energies).sum(axis=-1) / (total + 1e-16)
    return float(np.sqrt((second - centre ** 2).clip(min=0.0))[0])


def sequential_feature(kind, energies, coordinates):
    """The same feature from float64 sums in voxel order (CaloForge before numpy-order sums)."""
    total = 0.0
    for e in energies:
        total += float(e)
    if kind == "E_layer":
        return total
    x = coordinates[kind.split("_")[1]]
    moment = second = 0.0
    for k, e in enumerate(energies):
        moment += x[k] * float(e)
        second += (x[k] * x[k]) * float(e)
    centre = moment / (total + 1e-16)
    if kind.startswith("EC"):
        return centre
    variance = second / (total + 1e-16) - centre * centre
    return max(variance, 0.0) ** 0.5


def place_on_edge(kind, energies, coordinates, edges, rng):
    """Sets one voxel so that numpy's feature lies next to an edge; returns (value, bin, current bin, edge) or None."""
    hits = np.flatnonzero(energies)
    j = int(rng.choice(hits))
    low, high = np.float32(0.02), np.float32(2.0e4)

    def at(v):
        trial = energies.copy()
        trial[j] = v
        return trial, feature(kind, trial, coordinates)

    f_low, f_high = at(low)[1], at(high)[1]
    a, b = sorted((f_low, f_high))
    inside = [e for e in edges[1:-1] if a < e < b]
    if not inside:
        return None
    edge = inside[int(rng.integers(len(inside)))]
    below_at_low = f_low < edge
    lo, hi = int(low.view(np.uint32)), int(high.view(np.uint32))
    while hi - lo > 1:                            # adjacent float32 values of voxel j bracket the edge
        middle = (lo + hi) // 2
        if (at(np.uint32(middle).view(np.float32))[1] < edge) == below_at_low:
            lo = middle
        else:
            hi = middle
    candidates = []
    for bits in (lo, hi):
        trial, value = at(np.uint32(bits).view(np.float32))
        candidates.append((trial, value, numpy_bin(value, edges), numpy_bin(sequential_feature(kind, trial, coordinates), edges)))
    differing = [c for c in candidates if c[2] != c[3]]
    trial, value, official, current = differing[0] if differing else candidates[int(rng.integers(2))]
    energies[:] = trial
    return value, official, current, float(edge)


def ratio_on_edge(total32, total_sequential, edges, rng):
    """An incident energy that puts total32/E_inc on an edge or one step below it; returns (E_inc, edge)."""
    edge = float(edges[int(rng.integers(1, len(edges) - 1))])
    # On the edge (bin i) when the sequential total is smaller (it lands in bin i - 1), else just below.
    want_on = total_sequential < total32
    guess = float(total32) / edge
    candidates = []
    for step in range(-8, 9):
        e_inc = guess
        for _ in range(abs(step)):
            e_inc = float(np.nextafter(e_inc, np.inf if step > 0 else -np.inf))
        candidates.append((e_inc, float(total32) / e_inc))
    on = [c for c in candidates if c[1] == edge]
    below = [c for c in candidates if c[1] < edge]
    chosen = on[0] if want_on and on else max(below, key=lambda c: c[1])
    return chosen[0], edge


def pairwise_sums():
    result = {}
    for name, dtype in (("float32", np.float32), ("float64", np.float64)):
        terms = dtype(1) / np.arange(1, max(PAIRWISE_LENGTHS) + 1, dtype=dtype)
        result[name] = [{"count": n, "sum": float(terms[:n].sum())} for n in PAIRWISE_LENGTHS]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--official", required=True, help="folder with the official code/ files")
    parser.add_argument("--commit", default="unknown", help="commit of CaloChallenge/homepage the folder was taken from")
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()
    directory = os.path.abspath(args.official)
    hlf_module, _ = import_official(directory)
    import evaluate_plotting_helper as helper
    xml = os.path.join(directory, "binning_dataset_2.xml")
    hlf = hlf_module.HighLevelFeatures("electron", filename=xml)
    assert list(hlf.relevantLayers) == list(range(LAYERS))
    rng = np.random.default_rng(20261207)

    edges = {kind: np.linspace(*limits, 101) for kind, limits in FIXED_EDGES.items()}
    for layer in range(LAYERS):                   # as evaluate.py: log10 of a float32 reference maximum
        maximum = np.float32(10 ** rng.uniform(1.0, 3.0))
        edges[f"E_layer_{layer}"] = np.logspace(np.log10(MIN_ENERGY), np.log10(maximum), 40)

    showers = np.zeros((EVENTS, LAYERS * VOXELS_PER_LAYER), dtype=np.float32)
    targets = []
    for event in range(EVENTS):
        for layer in range(LAYERS):
            kind = KINDS[(event * LAYERS + layer) % len(KINDS)]
            key = f"{kind}_{layer}"
            coordinates = {"r": hlf.radial_center_mult[layer], "eta": hlf.eta_all_layers[layer], "phi": hlf.phi_all_layers[layer]}
            bins = edges[key] if kind == "E_layer" else edges[kind]
            while True:
                layer_energies = np.zeros(VOXELS_PER_LAYER, dtype=np.float32)
                hit = rng.choice(VOXELS_PER_LAYER, size=int(rng.integers(3, 25)), replace=False)
                layer_energies[hit] = (0.05 * np.exp(rng.normal(0.0, 2.0, size=len(hit)))).clip(0.02, 500).astype(np.float32)
                placed = place_on_edge(kind, layer_energies, coordinates, bins, rng)
                if placed is not None:
                    break
            value, official, current, edge = placed
            showers[event, layer * VOXELS_PER_LAYER:(layer + 1) * VOXELS_PER_LAYER] = layer_energies
            targets.append({"event": event, "key": key, "value": value, "edge": edge, "bin": official, "sequential_bin": current})

    energies = np.zeros((EVENTS, 1), dtype=np.float64)
    for event in range(EVENTS):
        total32 = showers[event].sum()
        total_sequential = sum(float(e) for e in showers[event])
        e_inc, edge = ratio_on_edge(total32, total_sequential, edges["E_ratio"], rng)
        energies[event, 0] = e_inc
        value = float(total32) / e_inc
        targets.append({"event": event, "key": "E_ratio", "value": value, "edge": edge,
                        "bin": numpy_bin(value, edges["E_ratio"]),
                        "sequential_bin": numpy_bin(total_sequential / e_inc, edges["E_ratio"])})

    with h5py.File(os.path.join(args.out, "edges-ds2.h5"), "w") as f:
        f.create_dataset("incident_energies", data=energies, compression="gzip")
        f.create_dataset("showers", data=showers, compression="gzip")

    # The official features, exactly as evaluate.py: threshold the float32 array, then CalculateFeatures.
    with h5py.File(os.path.join(args.out, "edges-ds2.h5"), "r") as f:
        shower = f["showers"][:]
        energy = f["incident_energies"][:]
    shower = np.where(shower < MIN_ENERGY, np.zeros_like(shower), shower)
    assert shower.dtype == np.float32
    hlf.CalculateFeatures(shower)
    values = {"E_ratio": hlf.GetEtot() / energy.squeeze()}
    getters = {"E_layer": hlf.GetElayers, "EC_eta": hlf.GetECEtas, "EC_phi": hlf.GetECPhis, "Width_eta": hlf.GetWidthEtas,
               "Width_phi": hlf.GetWidthPhis, "EC_r": hlf.GetECR, "Width_r": hlf.GetWidthR}
    for kind, getter in getters.items():
        for layer in range(LAYERS):
            values[f"{kind}_{layer}"] = getter()[layer]
    for target in targets:
        assert float(values[target["key"]][target["event"]]) == target["value"], target

    as_list = lambda a: [float(x) for x in np.asarray(a, dtype=np.float64)]
    histograms = {}
    for key, column in values.items():
        bins = edges[key] if key in edges else edges[key.rsplit("_", 1)[0]]
        reference, _ = np.histogram(column[0::2], bins=bins, density=True)
        generated, _ = np.histogram(column[1::2], bins=bins, density=True)
        histograms[key] = float(helper._separation_power(reference, generated, bins))
    mismatches = sum(1 for t in targets if t["bin"] != t["sequential_bin"])
    result = {
        "provenance": {
            "generator": "Tests/CaloDataTests/Fixtures/make_edge_fixtures.py",
            "official_code": "github.com/CaloChallenge/homepage code/HighLevelFeatures.py, code/evaluate_plotting_helper.py",
            "commit": args.commit,
            "numpy": np.__version__,
            "note": f"{mismatches} of {len(targets)} targets land in another bin with float64 sequential sums",
        },
        "threshold": MIN_ENERGY,
        "pairwise_sums": pairwise_sums(),
        "incident_energies": as_list(energy.reshape(-1)),
        "E_tot": as_list(hlf.GetEtot()),
        "features": {key: as_list(column) for key, column in values.items()},
        "edges": {key: as_list(e) for key, e in edges.items()},
        "targets": [[t["event"], t["key"], t["value"], t["bin"], t["sequential_bin"]] for t in targets],
        "separation_powers": histograms,
    }
    with open(os.path.join(args.out, "edges-ds2.json"), "w") as f:
        json.dump(result, f, indent=0, allow_nan=False)
        f.write("\n")
    print(result["provenance"]["note"])


if __name__ == "__main__":
    main()
