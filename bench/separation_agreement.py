#!/usr/bin/env python3
"""Separation powers of CaloForge against the official evaluate.py on the same two files.

Developer tool (never run by CI or the tests). Runs evaluate.py's `hist-chi` steps with the official
code, unmodified (threshold the float32 arrays, HighLevelFeatures.CalculateFeatures, the
evaluate_plotting_helper histogram functions, plot_cell_dist), then compares its histogram_chi2 file
with the one `caloforge evaluate --metrics hist` wrote, line by line, and lists the E_layer
histograms whose numpy upper edge falls below the reference maximum (numpy leaves that event out;
CaloForge ends the binning at the maximum, docs/validation.md).

Run (numpy, h5py, matplotlib on the path):
  caloforge synth --geometry ds2 --count 2000 --energies log-uniform:1GeV:1TeV --seed 11 -o /tmp/a.h5
  caloforge synth --geometry ds2 --count 2000 --energies log-uniform:1GeV:1TeV --seed 12 -o /tmp/b.h5
  caloforge evaluate --reference /tmp/a.h5 --generated /tmp/b.h5 --metrics hist --no-plots --out /tmp/ev
  PYTHONPATH=/tmp/mpl:$(scripts/reference-python) python3 bench/separation_agreement.py \\
      --official /path/to/homepage/code --reference /tmp/a.h5 --generated /tmp/b.h5 \\
      --caloforge /tmp/ev/histogram_chi2_2.txt --work /tmp/official-ev
"""
import argparse
import contextlib
import io
import os
import sys
import types

import h5py
import numpy as np

# dataset code: (particle, binning file, readout threshold in MeV)
DATASETS = {"1-photons": ("photon", "binning_dataset_1_photons.xml", 1.0),
            "1-pions": ("pion", "binning_dataset_1_pions.xml", 1.0),
            "2": ("electron", "binning_dataset_2.xml", 0.5e-3 / 0.033),
            "3": ("electron", "binning_dataset_3.xml", 0.5e-3 / 0.033)}


def parse_chi2(path):
    """[(label, value text)] of a histogram_chi2 file."""
    lines = open(path).read().split("\n")
    return [(lines[i][:-2], lines[i + 1]) for i in range(1, len(lines) - 1) if lines[i].endswith(": ")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--official", required=True, help="folder with the official code/ files")
    parser.add_argument("--reference", required=True)
    parser.add_argument("--generated", required=True)
    parser.add_argument("--caloforge", required=True, help="histogram_chi2_<ds>.txt written by caloforge evaluate")
    parser.add_argument("--dataset", default="2", choices=sorted(DATASETS))
    parser.add_argument("--work", required=True, help="folder for evaluate.py's histogram_chi2 file and plots")
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.official))
    import matplotlib
    matplotlib.use("Agg")
    import HighLevelFeatures
    import evaluate_plotting_helper as helper

    particle, xml, min_energy = DATASETS[args.dataset]

    def features(path):
        with h5py.File(path, "r") as f:
            shower, energy = f["showers"][:], f["incident_energies"][:]
        shower = np.where(shower < min_energy, np.zeros_like(shower), shower)     # as evaluate.py
        hlf = HighLevelFeatures.HighLevelFeatures(particle, filename=os.path.join(args.official, xml))
        hlf.CalculateFeatures(shower)
        hlf.Einc = energy
        return hlf, shower

    generated, shower = features(args.generated)
    reference, reference_shower = features(args.reference)
    os.makedirs(args.work, exist_ok=True)
    official_path = os.path.join(args.work, f"histogram_chi2_{args.dataset}.txt")
    with open(official_path, "w") as f:
        f.write("List of chi2 of the plotted histograms, see eq. 15 of 2009.03796 for its definition.\n")
    settings = types.SimpleNamespace(mode="hist-chi", dataset=args.dataset, output_dir=args.work,
                                     min_energy=min_energy, x_scale="log")
    with contextlib.redirect_stdout(io.StringIO()):
        for plot in (helper.plot_Etot_Einc, helper.plot_E_layers, helper.plot_ECEtas, helper.plot_ECPhis,
                     helper.plot_ECWidthEtas, helper.plot_ECWidthPhis):
            plot(generated, reference, settings)
        if args.dataset.startswith("1"):
            helper.plot_Etot_Einc_discrete(generated, reference, settings)
        helper.plot_cell_dist(shower, reference_shower, settings)

    official, ours = parse_chi2(official_path), parse_chi2(args.caloforge)
    assert [label for label, _ in official] == [label for label, _ in ours], "different histograms"
    differing = [(label, a, b) for (label, a), (_, b) in zip(official, ours) if a != b]
    print(f"{len(official) - len(differing)} of {len(official)} separation powers identical as text (numpy {np.__version__})")
    for label, a, b in differing:
        print(f"  {label}: official {a}, caloforge {b}, relative difference {abs(float(a) - float(b)) / abs(float(a)):.1e}")
    dropped = []
    for layer in reference.relevantLayers:
        maximum = reference.GetElayers()[layer].max()
        if np.logspace(np.log10(min_energy), np.log10(maximum), 40)[-1] < maximum:
            dropped.append(layer)
    print(f"E_layer histograms whose numpy upper edge lies below the reference maximum: {dropped}")


if __name__ == "__main__":
    main()
