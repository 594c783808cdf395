#!/usr/bin/env python3
"""Writes the CaloEval test fixtures (our own code; it is never run by the Swift tests).

    python3 make_separation_fixtures.py                                   # (a): the .h5 files
    python3 make_separation_fixtures.py --official DIR --commit SHA       # (a) and (b): also golden.json

Needs numpy, h5py and scipy; (b) also needs matplotlib (the official helpers call plt.hist), e.g.
    PYTHONPATH=.deps/reference:.deps/python:/tmp/mpl python3 make_separation_fixtures.py ...
after `pip install --target /tmp/mpl matplotlib`. The output is deterministic (fixed seeds).

(a) Small synthetic CaloChallenge files (h5py, gzip, `incident_energies` float64 (N, 1), `showers`
    float32 (N, voxels)) for ds1-photons, ds1-pions and ds2: a "reference", a "generated" file with
    the reference's incident energies but shifted response, width and position (so separation powers
    are clearly non-zero), and a second reference drawn like the first (the reference floor).
    Showers are a smeared longitudinal profile times an exponential transverse profile around a random
    centre, with random voxel dropout; voxel mantissas are shortened so the files compress well.

    Event 0 of every reference holds exactly one voxel of 10^k MeV per relevant layer, so the
    reference maxima of E_layer and of the voxel energies are exact powers of ten. numpy's
    `logspace(log10(min), log10(max), n)` then ends exactly at the maximum, as ours does by
    construction (for other maxima numpy's last edge can round a unit in the last place below the
    maximum and drop the largest entry; docs/validation.md explains this deviation).

(b) With DIR = a checkout of `code/` from github.com/CaloChallenge/homepage, runs the official
    evaluate_plotting_helper.py histogram functions the way evaluate.py's `hist-chi` mode does
    (threshold with np.where, HighLevelFeatures.CalculateFeatures, then plot_Etot_Einc, plot_E_layers,
    plot_ECEtas, plot_ECPhis, plot_ECWidthEtas, plot_ECWidthPhis, plot_Etot_Einc_discrete for ds1,
    plot_cell_dist) plus the helpers evaluate.py does not call (plot_sparsity, plot_ECR,
    plot_ECWidthR), and stores every separation power from the histogram_chi2 file they write,
    together with the data-dependent bin edges plt.hist received. Two variants:
      - "float64": the thresholded float32 showers are cast to float64 before CalculateFeatures;
        this is our port's convention (spec §1.1, §8.16) and what the Swift tests compare with;
      - "evaluate.py": the float32 array goes in unchanged, exactly as evaluate.py does it
        (recorded for docs/validation.md only).
    Also scipy.stats.wasserstein_distance and numpy.corrcoef values on fixed arrays.

The official code is imported from DIR at run time; none of it is copied here.
"""
import argparse
import contextlib
import io
import json
import math
import os
import platform
import sys
import tempfile
import types

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

MIN_ENERGY = {"1-photons": 1.0, "1-pions": 1.0, "2": 0.5e-3 / 0.033}

# name: (dataset code of evaluate.py, particle, binning file, events, [(layer id, r_edges, n_alpha)])
DS1_PHOTON_LAYERS = [
    (0, [0, 5, 10, 30, 50, 100, 200, 400, 600], 1),
    (1, [0, 2, 4, 6, 8, 10, 12, 15, 20, 30, 40, 50, 70, 90, 120, 150, 200], 10),
    (2, [0, 2, 5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 130, 160, 200, 250, 300, 350, 400], 10),
    (3, [0, 50, 100, 200, 400, 600], 1),
    (12, [0, 100, 200, 400, 1000, 2000], 1),
]
DS1_PION_LAYERS = [
    (0, [0, 5, 10, 30, 50, 100, 200, 400, 600], 1),
    (1, [0, 1, 4, 7, 10, 15, 30, 50, 90, 150, 200], 10),
    (2, [0, 5, 10, 20, 30, 50, 80, 130, 200, 300, 400], 10),
    (3, [0, 50, 100, 200, 400, 600], 1),
    (12, [0, 10, 20, 30, 50, 80, 100, 130, 160, 200, 250, 300, 350, 400, 1000, 2000], 10),
    (13, [0, 10, 20, 30, 50, 80, 100, 130, 160, 200, 250, 300, 350, 400, 600, 1000, 2000], 10),
    (14, [0, 50, 100, 150, 200, 250, 300, 400, 600, 1000, 2000], 1),
]
DS2_EDGES = [0, 4.65, 9.3, 13.95, 18.6, 23.25, 27.9, 32.55, 37.2, 41.85]
DATASETS = {
    "ds1-photons": ("1-photons", "photon", "binning_dataset_1_photons.xml", 300, DS1_PHOTON_LAYERS),
    "ds1-pions": ("1-pions", "pion", "binning_dataset_1_pions.xml", 300, DS1_PION_LAYERS),
    "ds2": ("2", "electron", "binning_dataset_2.xml", 200, [(l, DS2_EDGES, 16) for l in range(45)]),
}


def voxel_table(layers):
    """Per voxel in flat order (spec §1.2, §2.2): layer position, r, eta, phi."""
    position, radius, eta, phi = [], [], [], []
    for p, (_, edges, n_alpha) in enumerate(layers):
        centres = [(edges[i] + edges[i + 1]) / 2 for i in range(len(edges) - 1)]
        if n_alpha == 1:
            alphas = [0.0]
        else:
            a = np.linspace(-math.pi, math.pi, n_alpha + 1)
            alphas = (a[:-1] + a[1:]) / 2
        for alpha in alphas:
            for r in centres:
                position.append(p)
                radius.append(r)
                eta.append(r * math.cos(alpha))
                phi.append(r * math.sin(alpha))
    return np.array(position), np.array(radius), np.array(eta), np.array(phi)


def shorten_mantissa(x):
    """Zeroes the 12 low mantissa bits of float32 values (relative change < 5e-4), for gzip."""
    bits = x.astype(np.float32).view(np.uint32) & np.uint32(0xFFFFF000)
    return bits.view(np.float32)


def make_showers(name, rng, energies=None, response=1.0, spread=1.0, offset=0.0, dropout=0.0):
    code, _, _, events, layers = DATASETS[name]
    # Fraction of voxels left empty: about half for dataset 1, most for dataset 2 (small files).
    dropout += 0.5 if name.startswith("ds1") else 0.88
    position, radius, eta, phi = voxel_table(layers)
    n_layers = len(layers)
    ds1 = name.startswith("ds1")
    if energies is None:
        if ds1:
            energies = 2.0 ** rng.integers(8, 23, size=events)
        else:
            energies = 10.0 ** rng.uniform(3, 6, size=events)
    showers = np.zeros((events, len(radius)), dtype=np.float32)
    depth = np.arange(n_layers, dtype=np.float64)
    for event in range(events):
        e_inc = energies[event]
        total = e_inc * rng.normal(0.95 * response, 0.05)
        # Longitudinal profile: a gamma-like shape with a random shower maximum, smeared per layer.
        peak = rng.uniform(0.25, 0.6) * n_layers
        profile = (depth + 0.5) ** 2.5 * np.exp(-2.5 * (depth + 0.5) / peak)
        profile *= np.exp(rng.normal(0.0, 0.3, size=n_layers))
        profile /= profile.sum()
        # Transverse: exponential in the distance to a random centre (mm), scale per event.
        scale = (25.0 if ds1 else 4.0) * spread * rng.uniform(0.6, 1.4)
        centre = rng.normal(offset, 8.0 if ds1 else 1.5, size=2)
        distance = np.hypot(eta - centre[0], phi - centre[1])
        weight = np.exp(-distance / scale) * np.exp(rng.normal(0.0, 0.5, size=len(radius)))
        weight *= rng.random(len(radius)) > dropout
        row = np.zeros(len(radius))
        for p in range(n_layers):
            mask = position == p
            w = weight[mask]
            if w.sum() > 0:
                row[mask] = total * profile[p] * w / w.sum()
        # Far below the threshold is empty anyway; dropping it keeps the files small.
        row[row < 0.3 * MIN_ENERGY[code]] = 0.0
        showers[event] = shorten_mantissa(row)
    return showers, energies.reshape(-1, 1).astype(np.float64)


def mark_maximum_event(name, showers, energies):
    """Event 0: one voxel of 10^k MeV in every relevant layer (see the module docstring)."""
    _, _, _, _, layers = DATASETS[name]
    position, _, _, _ = voxel_table(layers)
    peak = np.float32(1e8)   # numpy's float32 log10 is exact here (not for 1e5, 1e6 or 1e7)
    assert peak > showers.max() and peak * len(layers) > showers.sum(axis=1).max()
    showers[0] = 0
    for p in range(len(layers)):
        first = np.flatnonzero(position == p)[0]
        showers[0, first + (3 * p) % np.sum(position == p)] = peak


def write_file(path, energies, showers):
    with h5py.File(path, "w") as f:
        f.create_dataset("incident_energies", data=energies, compression="gzip")
        f.create_dataset("showers", data=showers, compression="gzip")


def write_fixture_files(out):
    for index, name in enumerate(DATASETS):
        rng = np.random.default_rng(20250101 + index)
        reference, energies = make_showers(name, rng)
        mark_maximum_event(name, reference, energies)
        write_file(os.path.join(out, f"{name}-reference.h5"), energies, reference)
        generated, _ = make_showers(name, rng, energies=energies.reshape(-1), response=1.03, spread=1.15,
                                    offset=2.0 if name.startswith("ds1") else 0.4, dropout=-0.05)
        write_file(os.path.join(out, f"{name}-generated.h5"), energies, generated)
        if name == "ds1-photons":
            second, energies2 = make_showers(name, rng)
            write_file(os.path.join(out, f"{name}-reference2.h5"), energies2, second)


# ----------------------------------------------------------------------------------------------
# (b) golden values from the official code


def import_official(directory):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.savefig = lambda *args, **kwargs: None      # plot_Etot_Einc_discrete saves in every mode
    sys.path.insert(0, directory)
    import HighLevelFeatures
    import evaluate_plotting_helper
    return HighLevelFeatures, evaluate_plotting_helper, plt, matplotlib.__version__


def read(path):
    with h5py.File(path, "r") as f:
        return f["showers"][:], f["incident_energies"][:]


def parse_chi2(text):
    """[(label, value)] from a histogram_chi2 file: a header line, then 'label: \\nvalue\\n\\n' blocks."""
    lines = text.split("\n")
    entries = []
    i = 1
    while i < len(lines):
        if lines[i].endswith(": "):
            entries.append((lines[i][:-2], float(lines[i + 1])))
            i += 2
        else:
            i += 1
    return entries


def official_separation_powers(name, directory, hlf_module, helper, plt, variant):
    code, particle, xml_name, _, _ = DATASETS[name]
    min_energy = MIN_ENERGY[code]
    shower, energy = read(os.path.join(HERE, f"{name}-generated.h5"))
    reference_shower, reference_energy = read(os.path.join(HERE, f"{name}-reference.h5"))
    # As evaluate.py: threshold the float32 arrays.
    shower = np.where(shower < min_energy, np.zeros_like(shower), shower)
    reference_shower = np.where(reference_shower < min_energy, np.zeros_like(reference_shower), reference_shower)
    cast = (lambda a: a.astype(np.float64)) if variant == "float64" else (lambda a: a)
    xml = os.path.join(directory, xml_name)
    hlf = hlf_module.HighLevelFeatures(particle, filename=xml)
    hlf.CalculateFeatures(cast(shower))
    hlf.Einc = energy
    reference_hlf = hlf_module.HighLevelFeatures(particle, filename=xml)
    reference_hlf.CalculateFeatures(cast(reference_shower))
    reference_hlf.Einc = reference_energy

    # Every histogram goes through Axes.hist (plt.hist calls it too): record the edges it used.
    import matplotlib.axes
    calls = []
    real_hist = matplotlib.axes.Axes.hist

    def recording_hist(self, x, bins=None, **kwargs):
        counts, edges, patches = real_hist(self, x, bins=bins, **kwargs)
        calls.append(np.asarray(edges, dtype=np.float64))
        return counts, edges, patches

    matplotlib.axes.Axes.hist = recording_hist
    with tempfile.TemporaryDirectory() as out:
        args = types.SimpleNamespace(mode="hist-chi", dataset=code, output_dir=out,
                                     min_energy=min_energy, x_scale="log")
        path = os.path.join(out, f"histogram_chi2_{code}.txt")
        with open(path, "w") as f:        # the header evaluate.py writes
            f.write("List of chi2 of the plotted histograms," + " see eq. 15 of 2009.03796 for its definition.\n")
        with contextlib.redirect_stdout(io.StringIO()):
            # evaluate.py: plot_histograms(hlf, reference_hlf, args), then plot_cell_dist(shower, reference_shower, args)
            helper.plot_Etot_Einc(hlf, reference_hlf, args)
            helper.plot_E_layers(hlf, reference_hlf, args)
            helper.plot_ECEtas(hlf, reference_hlf, args)
            helper.plot_ECPhis(hlf, reference_hlf, args)
            helper.plot_ECWidthEtas(hlf, reference_hlf, args)
            helper.plot_ECWidthPhis(hlf, reference_hlf, args)
            if code.startswith("1"):
                helper.plot_Etot_Einc_discrete(hlf, reference_hlf, args)
            helper.plot_cell_dist(shower, reference_shower, args)
            with open(path) as f:
                official_text = f.read()
            # The helpers evaluate.py defines but never calls.
            helper.plot_sparsity(hlf, reference_hlf, args)
            helper.plot_ECR(hlf, reference_hlf, args)
            helper.plot_ECWidthR(hlf, reference_hlf, args)
        with open(path) as f:
            text = f.read()
    matplotlib.axes.Axes.hist = real_hist
    entries = parse_chi2(text)
    assert len(calls) == 2 * len(entries), (len(calls), len(entries))
    result = []
    for k, (label, value) in enumerate(entries):
        entry = {"label": label, "separation_power": value}
        if label.startswith("E layer") or label == "Voxel distribution":
            edges = calls[2 * k]
            entry["edges"] = [float(e) for e in edges]
            # The fixture makes the reference maximum an exact power of ten (see make_showers).
            maximum = reference_shower.max() if label == "Voxel distribution" else \
                reference_hlf.GetElayers()[int(label.split()[-1])].max()
            assert edges[-1] == maximum, (label, edges[-1], maximum)
        result.append(entry)
    return result, official_text


def wasserstein_goldens():
    from scipy.stats import wasserstein_distance
    rng = np.random.default_rng(99)
    cases = []
    for n, m in [(1, 1), (3, 5), (50, 80), (400, 300)]:
        u = rng.normal(0.0, 1.0, size=n)
        v = rng.exponential(1.5, size=m) - 0.5
        cases.append({"u": [float(x) for x in u], "v": [float(x) for x in v],
                      "w1": float(wasserstein_distance(u, v))})
    # Ties and repeated values.
    u = np.array([0.0, 0.0, 1.0, 2.0, 2.0, 2.0])
    v = np.array([0.0, 1.0, 1.0, 3.0])
    cases.append({"u": u.tolist(), "v": v.tolist(), "w1": float(wasserstein_distance(u, v))})
    return cases


def correlation_golden():
    rng = np.random.default_rng(5)
    base = rng.normal(size=(200, 1))
    columns = np.hstack([base + 0.3 * rng.normal(size=(200, 1)), -2 * base + rng.normal(size=(200, 1)),
                         rng.exponential(size=(200, 1)), rng.normal(size=(200, 1)) ** 2])
    return {"columns": columns.T.tolist(), "corrcoef": np.corrcoef(columns.T).tolist()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--official", help="folder with the official code/ files")
    parser.add_argument("--commit", default="unknown", help="commit of CaloChallenge/homepage the folder was taken from")
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()
    write_fixture_files(args.out)
    if not args.official:
        return
    import scipy
    hlf_module, helper, plt, mpl_version = import_official(os.path.abspath(args.official))
    golden = {
        "provenance": {
            "generator": "Tests/CaloEvalTests/Fixtures/make_separation_fixtures.py",
            "official_code": "github.com/CaloChallenge/homepage code/evaluate_plotting_helper.py, code/HighLevelFeatures.py",
            "commit": args.commit,
            "numpy": np.__version__,
            "matplotlib": mpl_version,
            "scipy": scipy.__version__,
            "python": platform.python_version(),
            "machine": f"{platform.machine()} {platform.system()}",
        },
        "separation_powers": {},
        "evaluate_py_float32": {},
        "official_text": {},
    }
    for name in DATASETS:
        values, text = official_separation_powers(name, args.official, hlf_module, helper, plt, "float64")
        golden["separation_powers"][name] = values
        golden["official_text"][name] = text
        raw, _ = official_separation_powers(name, args.official, hlf_module, helper, plt, "evaluate.py")
        golden["evaluate_py_float32"][name] = [{"label": e["label"], "separation_power": e["separation_power"]} for e in raw]
    golden["wasserstein"] = wasserstein_goldens()
    golden["correlation"] = correlation_golden()
    with open(os.path.join(args.out, "golden.json"), "w") as f:
        json.dump(golden, f, indent=0, allow_nan=True)
        f.write("\n")


if __name__ == "__main__":
    main()
