#!/usr/bin/env python3
"""Quick statistics of CaloChallenge files in CaloDiffusion's preprocessed space, for comparing a
model's samples with held-out showers (docs/model.md, "Why the demo samples with 200 DDPM steps").

    PYTHONPATH=.deps/python python3 bench/shower_stats.py HELDOUT.h5 GEN1.h5 [GEN2.h5 ...] [--events 100]

Per file: mean, median and 10/90 % quantiles of E_tot/E_inc; the fraction of voxels above the ds2
readout threshold (15.15 keV); and the standard deviation of the standardised voxel values
z = (logit(δ + (1 − 2δ)·E/(2·E_inc)) − μ)/σ with the ds2 constants μ = −12.8564, σ = 1.9123, δ = 1e-6
(spec/models.md §A.2), plus the mean z of every sixth layer.
"""

import argparse

import h5py
import numpy as np

DELTA, SHIFT, SCALE, THRESHOLD = 1e-6, -12.8564, 1.9123, 0.01515


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--events", type=int, default=100, help="events read from the start of each file")
    args = parser.parse_args()
    for path in args.files:
        with h5py.File(path, "r") as f:
            showers = f["showers"][: args.events].astype(np.float64)
            energies = f["incident_energies"][: args.events].astype(np.float64).reshape(-1, 1)
        ratio = showers.sum(1) / energies.ravel()
        x = DELTA + (1 - 2 * DELTA) * showers / (2 * energies)
        z = (np.log(x / (1 - x)) - SHIFT) / SCALE
        layers = z.reshape(len(z), 45, -1).mean((0, 2))
        q10, q50, q90 = np.percentile(ratio, [10, 50, 90])
        print(f"{path}: {len(showers)} events  E_tot/E_inc mean {ratio.mean():.3f} median {q50:.3f} "
              f"10-90% {q10:.2f}-{q90:.2f}  above threshold {(showers > THRESHOLD).mean():.1%}  std(z) {z.std():.3f}")
        print("  mean z, layers 0, 6, ..., 42: " + " ".join(f"{v:.2f}" for v in layers[::6]))


if __name__ == "__main__":
    main()
