#!/usr/bin/env python3
"""Writes the CaloData test fixtures (our own code; it is never run by the Swift tests).

    python3 make_feature_fixtures.py                          # (a) only: the .h5 files
    python3 make_feature_fixtures.py --official DIR --commit SHA
                                                              # (a) and (b): also features.json

Needs numpy and h5py (e.g. PYTHONPATH=.deps/python). The output is deterministic (fixed seeds).

(a) Small deterministic CaloChallenge files written the way the official files are (h5py, gzip,
    `incident_energies` float64 (N, 1), `showers` float32 (N, voxels)), with sparse random showers,
    layers left empty in some events, an all-empty event, single-voxel layers, and voxels placed
    exactly at and just below the readout threshold (spec/calochallenge.md §1.1, §4.4). Also a few
    deliberately malformed files for the reader's error tests.

(b) With DIR = a checkout of `code/` from github.com/CaloChallenge/homepage (HighLevelFeatures.py,
    XMLHandler.py, binning_dataset_*.xml), runs the official HighLevelFeatures on each file after the
    official threshold and stores the per-event features (golden values) together with geometry
    facts from the official XMLHandler (bin_edges, relevant and alpha-binned layers, radial edges,
    and voxel-centre coordinates of chosen flat indices) in features.json.

    As evaluate.py does: the threshold is applied with `np.where(shower < min_energy, 0, shower)` on
    the float32 array, and that float32 array goes straight into CalculateFeatures, so E_tot, E_layer
    and the EC/width denominators are float32 sums in numpy's pairwise order (our port sums the same
    way; make_edge_fixtures.py builds events on which any other order gives other histogram bins).

The official code is imported from DIR at run time; none of it is copied here. matplotlib (imported
by HighLevelFeatures.py for plotting only) is replaced by empty stand-in modules when missing.
"""
import argparse
import json
import math
import os
import sys
import types

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
EVENTS = 20

# name: (voxels, official binning file, particle, dataset code in evaluate.py)
GEOMETRIES = {
    "ds1-photons": (368, "binning_dataset_1_photons.xml", "photon", "1-photons"),
    "ds1-pions": (533, "binning_dataset_1_pions.xml", "pion", "1-pions"),
    "ds2": (6480, "binning_dataset_2.xml", "electron", "2"),
    "ds3": (40500, "binning_dataset_3.xml", "electron", "3"),
}
FILES = ["ds1-photons", "ds1-pions", "ds2"]

# Official readout thresholds (evaluate.py `min_energy`, spec §4.4).
MIN_ENERGY = {"1-photons": 1.0, "1-pions": 1.0, "2": 0.5e-3 / 0.033, "3": 0.5e-3 / 0.033}

# (N_r, N_alpha) of the relevant layers in flat order (spec §2.3), so the generator needs no XML.
LAYERS = {
    "ds1-photons": [(8, 1), (16, 10), (19, 10), (5, 1), (5, 1)],
    "ds1-pions": [(8, 1), (10, 10), (10, 10), (5, 1), (15, 10), (16, 10), (10, 1)],
    "ds2": [(9, 16)] * 45,
}


def make_showers(name, rng):
    """Sparse random showers [EVENTS, voxels] in float32 and incident energies [EVENTS, 1] in float64."""
    voxels, _, _, code = GEOMETRIES[name]
    threshold = MIN_ENERGY[code]
    sizes = [n_r * n_alpha for n_r, n_alpha in LAYERS[name]]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    assert starts[-1] == voxels
    if name.startswith("ds1"):
        e_inc = 2.0 ** rng.integers(8, 23, size=EVENTS)
        scale, occupancy = 5.0, (0.03, 0.5)       # MeV; many voxels fall below 1 MeV
    else:
        e_inc = 10.0 ** rng.uniform(3, 6, size=EVENTS)
        scale, occupancy = 0.05, (0.01, 0.12)     # MeV; many voxels fall below 15 keV
    showers = np.zeros((EVENTS, voxels), dtype=np.float32)
    for event in range(EVENTS):
        p = rng.uniform(*occupancy)
        hit = rng.random(voxels) < p
        values = scale * np.exp(rng.normal(0.0, 2.0, size=voxels))
        row = np.where(hit, values, 0.0)
        for layer in range(len(sizes)):
            if rng.random() < 0.2:                # a layer left empty in this event
                row[starts[layer]:starts[layer + 1]] = 0.0
        showers[event] = row.astype(np.float32)
    # Event 0: nothing at all. Event 1: exactly one voxel per layer (widths are 0 up to rounding).
    # Event 2: two voxels at the same radius in every layer (width_r is 0 up to rounding).
    showers[0] = 0.0
    showers[1] = 0.0
    showers[2] = 0.0
    for layer, (n_r, n_alpha) in enumerate(LAYERS[name]):
        size = n_r * n_alpha
        a = int(rng.integers(0, size))
        showers[1, starts[layer] + a] = np.float32(scale * 40 * (1 + layer))
        showers[2, starts[layer] + a] = np.float32(scale * 20)
        if n_alpha > 1:                            # another angular bin, same radial bin
            same_r = (a + n_r * int(rng.integers(1, n_alpha))) % size
            showers[2, starts[layer] + same_r] = np.float32(scale * 30)
    # Voxels exactly at the float32 threshold (kept) and one float32 step below it (zeroed).
    t32 = np.float32(threshold)
    showers[3, 0] = t32
    showers[3, 1] = np.nextafter(t32, np.float32(0))
    showers[4, starts[1] + 3] = t32
    showers[4, starts[1] + 4] = np.nextafter(t32, np.float32(0))
    return showers, e_inc.reshape(-1, 1).astype(np.float64)


def write_file(path, energies, showers):
    with h5py.File(path, "w") as f:
        f.create_dataset("incident_energies", data=energies, compression="gzip")
        f.create_dataset("showers", data=showers, compression="gzip")


def write_fixture_files(out):
    rng = np.random.default_rng(20240601)
    for name in FILES:
        showers, energies = make_showers(name, rng)
        write_file(os.path.join(out, name + ".h5"), energies, showers)
    # Malformed files for the reader's error tests.
    e = np.array([[256.0], [512.0], [1024.0]])
    s = np.zeros((3, 368), dtype=np.float32)
    with h5py.File(os.path.join(out, "bad-energies-1d.h5"), "w") as f:
        f.create_dataset("incident_energies", data=e.reshape(-1))
        f.create_dataset("showers", data=s)
    with h5py.File(os.path.join(out, "bad-showers-3d.h5"), "w") as f:
        f.create_dataset("incident_energies", data=e)
        f.create_dataset("showers", data=s.reshape(3, 2, 184))
    with h5py.File(os.path.join(out, "bad-energies-int.h5"), "w") as f:
        f.create_dataset("incident_energies", data=e.astype(np.int32))
        f.create_dataset("showers", data=s)


def import_official(directory):
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        stub = types.ModuleType("matplotlib")
        pyplot = types.ModuleType("matplotlib.pyplot")
        colors = types.ModuleType("matplotlib.colors")
        colors.LogNorm = None
        toolkits = types.ModuleType("mpl_toolkits")
        grid = types.ModuleType("mpl_toolkits.axes_grid1")
        inset = types.ModuleType("mpl_toolkits.axes_grid1.inset_locator")
        inset.inset_axes = None
        for module in (stub, pyplot, colors, toolkits, grid, inset):
            sys.modules[module.__name__] = module
    sys.path.insert(0, directory)
    import HighLevelFeatures
    import XMLHandler
    return HighLevelFeatures, XMLHandler


def geometry_facts(name, directory, hlf_module, xml_module, rng):
    voxels, xml_name, particle, _ = GEOMETRIES[name]
    path = os.path.join(directory, xml_name)
    xml = xml_module.XMLHandler(particle, filename=path)
    hlf = hlf_module.HighLevelFeatures(particle, filename=path)
    bin_edges = [int(b) for b in xml.GetBinEdges()]
    assert bin_edges[-1] == voxels
    eta_all, phi_all = xml.GetEtaPhiAllLayers()
    relevant = [int(l) for l in xml.GetRelevantLayers()]
    # Chosen flat indices: first and last voxel of every relevant layer, plus random ones.
    chosen = set()
    for l in relevant:
        chosen.update([bin_edges[l], bin_edges[l + 1] - 1])
    chosen.update(int(i) for i in rng.choice(voxels, size=24, replace=False))
    centres = []
    for index in sorted(chosen):
        position = max(l for l in relevant if bin_edges[l] <= index)
        k = index - bin_edges[position]
        centres.append({
            "index": index,
            "layer": position,
            "eta": float(eta_all[position][k]),
            "phi": float(phi_all[position][k]),
            "r": float(hlf.radial_center_mult[position][k]),
        })
    return {
        "bin_edges": bin_edges,
        "relevant_layers": relevant,
        "alpha_layers": [int(l) for l in xml.GetLayersWithBinningInAlpha()],
        "r_edges": [[float(e) for e in edges] for edges in xml.r_edges],
        "n_bin_alpha": [int(a) for a in xml.a_bins],
        "voxel_centres": centres,
    }


def golden_features(name, directory, hlf_module):
    _, xml_name, particle, code = GEOMETRIES[name]
    with h5py.File(os.path.join(HERE, name + ".h5"), "r") as f:
        shower = f["showers"][:]
        energy = f["incident_energies"][:]
    min_energy = MIN_ENERGY[code]
    shower = np.where(shower < min_energy, np.zeros_like(shower), shower)   # as evaluate.py
    hlf = hlf_module.HighLevelFeatures(particle, filename=os.path.join(directory, xml_name))
    hlf.CalculateFeatures(shower)
    as_list = lambda a: [float(x) for x in np.asarray(a, dtype=np.float64)]
    layers = {}
    for l in hlf.relevantLayers:
        entry = {
            "E_layer": as_list(hlf.GetElayers()[l]),
            "EC_r": as_list(hlf.GetECR()[l]),
            "Width_r": as_list(hlf.GetWidthR()[l]),
            "Sparsity": as_list(hlf.GetSparsity()[l]),
        }
        if l in hlf.layersBinnedInAlpha:
            entry["EC_eta"] = as_list(hlf.GetECEtas()[l])
            entry["EC_phi"] = as_list(hlf.GetECPhis()[l])
            entry["Width_eta"] = as_list(hlf.GetWidthEtas()[l])
            entry["Width_phi"] = as_list(hlf.GetWidthPhis()[l])
        layers[str(l)] = entry
    e_tot = hlf.GetEtot()
    return {
        "threshold": min_energy,
        "incident_energies": as_list(energy.reshape(-1)),
        "E_tot": as_list(e_tot),
        "E_ratio": as_list(e_tot / energy.squeeze()),   # as evaluate_plotting_helper.py
        "layers": layers,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--official", help="folder with the official HighLevelFeatures.py, XMLHandler.py, binning XMLs")
    parser.add_argument("--commit", default="unknown", help="commit of CaloChallenge/homepage the folder was taken from")
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()
    write_fixture_files(args.out)
    if not args.official:
        return
    hlf_module, xml_module = import_official(os.path.abspath(args.official))
    rng = np.random.default_rng(7)
    result = {
        "provenance": {
            "generator": "Tests/CaloDataTests/Fixtures/make_feature_fixtures.py",
            "official_code": "github.com/CaloChallenge/homepage code/HighLevelFeatures.py, code/XMLHandler.py",
            "commit": args.commit,
            "numpy": np.__version__,
            "note": "features of the thresholded float32 array, as evaluate.py",
        },
        "geometries": {name: geometry_facts(name, args.official, hlf_module, xml_module, rng) for name in GEOMETRIES},
        "features": {name: golden_features(name, args.official, hlf_module) for name in FILES},
    }
    with open(os.path.join(args.out, "features.json"), "w") as f:
        json.dump(result, f, indent=0, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
