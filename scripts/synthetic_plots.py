#!/usr/bin/env python3
"""Figures and statistics for docs/synthetic.md, made from files written by `caloforge synth`.

Developer tool: never run by CI or the tests. It needs numpy, h5py and matplotlib, e.g.

    swift build -c release
    pip install --target /tmp/mpl matplotlib
    PYTHONPATH=/tmp/mpl:.deps/reference:.deps/python python3 scripts/synthetic_plots.py

It writes the synthetic files to --work (default /tmp/caloforge-synthetic), the PNGs to docs/img/
and prints the Markdown tables quoted in docs/synthetic.md.
"""
import argparse
import json
import os
import subprocess

import h5py
import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENERGIES = ["1GeV", "10GeV", "100GeV", "1TeV"]
DS2_EDGES = [0, 4.65, 9.3, 13.95, 18.6, 23.25, 27.9, 32.55, 37.2, 41.85]


def synth(binary, out, *args):
    command = [binary, "synth", *args, "-o", out]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def load(path, layers=45, alpha=16, radial=9):
    with h5py.File(path, "r") as f:
        showers = f["showers"][:].astype(np.float64)
        energies = f["incident_energies"][:, 0].astype(np.float64)
    return energies, showers.reshape(len(showers), layers, alpha, radial)


def wide_geometry(path):
    edges = ",".join(str(e) for e in DS2_EDGES + [10000])
    with open(path, "w") as f:
        f.write('<Bins>\n<Bin pid="11" name="electron">\n')
        for i in range(45):
            f.write(f'<Layer id="{i}" r_edges="{edges}" n_bin_alpha="16"/>\n')
        f.write("</Bin>\n</Bins>\n")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/caloforge"))
    parser.add_argument("--work", default="/tmp/caloforge-synthetic")
    parser.add_argument("--images", default=os.path.join(ROOT, "docs/img"))
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.images, exist_ok=True)
    n = str(args.events)

    files = {}
    for i, e in enumerate(ENERGIES):
        files[("electron", e)] = synth(args.binary, f"{args.work}/e-{e}.h5", "--geometry", "ds2", "--count", n,
                                       "--energies", f"fixed:{e}", "--seed", str(10 + i))
        files[("photon", e)] = synth(args.binary, f"{args.work}/g-{e}.h5", "--geometry", "ds2", "--count", n,
                                     "--energies", f"fixed:{e}", "--seed", str(20 + i), "--particle", "photon")
        files[("wide", e)] = synth(args.binary, f"{args.work}/wide-{e}.h5", "--geometry",
                                   wide_geometry(f"{args.work}/ds2-wide.xml"), "--count", n,
                                   "--energies", f"fixed:{e}", "--seed", str(30 + i))
    spectrum = synth(args.binary, f"{args.work}/ds2-loguniform.h5", "--geometry", "ds2", "--count", "10000",
                     "--energies", "log-uniform:1GeV:1TeV", "--seed", "1")

    plt.rcParams.update({"font.size": 8, "figure.dpi": 100})
    colors = dict(zip(ENERGIES, ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"]))
    rows = []
    fig_l, ax_l = plt.subplots(figsize=(6, 3.2))
    fig_r, ax_r = plt.subplots(figsize=(6, 3.2))
    fig_f, (ax_ratio, ax_max) = plt.subplots(1, 2, figsize=(7.5, 3.0))
    area = np.pi * (np.array(DS2_EDGES[1:]) ** 2 - np.array(DS2_EDGES[:-1]) ** 2)
    centres = (np.array(DS2_EDGES[1:]) + np.array(DS2_EDGES[:-1])) / 2
    for e in ENERGIES:
        energies, x = load(files[("electron", e)])
        layers = x.sum(axis=(2, 3))
        total = layers.sum(axis=1)
        ratio = total / energies
        maximum = layers.argmax(axis=1)
        cog = (layers * np.arange(45)).sum(axis=1) / total
        flat = x.reshape(len(x), -1)
        hits = (flat > 0).sum(axis=1)
        _, g = load(files[("photon", e)])
        g_layers = g.sum(axis=(2, 3))
        g_cog = (g_layers * np.arange(45)).sum(axis=1) / g_layers.sum(axis=1)
        _, w = load(files[("wide", e)], radial=10)
        contained = w[..., :9].sum() / w.sum()
        corr = np.corrcoef(layers[:, [5, 10, 20]].T)
        rows.append((e, maximum.mean(), maximum.std(), cog.mean(), g_cog.mean() - cog.mean(), ratio.mean(), ratio.std(),
                     contained, hits.mean(), 1 - hits.mean() / flat.shape[1], corr[0, 1], corr[0, 2]))

        ax_l.plot(np.arange(45), (layers / total[:, None]).mean(axis=0), color=colors[e], label=f"e⁻ {e}")
        ax_l.plot(np.arange(45), (g_layers / g_layers.sum(axis=1)[:, None]).mean(axis=0), color=colors[e], ls="--", lw=0.9)
        radial = x.sum(axis=(1, 2)) / total[:, None]
        ax_r.step(DS2_EDGES, np.append(radial.mean(axis=0) / area, radial.mean(axis=0)[-1] / area[-1]), where="post",
                  color=colors[e], label=e)
        ax_ratio.hist(ratio, bins=np.linspace(0.6, 1.3, 71), histtype="step", color=colors[e], label=e, density=True)
        ax_max.hist(maximum, bins=np.arange(-0.5, 30.5, 1), histtype="step", color=colors[e], label=e, density=True)

    ax_l.set_xlabel("layer (3.4 mm ≈ 0.81 X₀,eff)")
    ax_l.set_ylabel("mean fraction of E_dep")
    ax_l.set_title("ds2 mean longitudinal profile (solid e⁻, dashed γ)")
    ax_l.legend(frameon=False)
    fig_l.tight_layout()
    fig_l.savefig(f"{args.images}/synthetic-longitudinal.png")
    ax_r.set_yscale("log")
    ax_r.set_xlabel("r [mm]")
    ax_r.set_ylabel("mean fraction of E_dep per mm²")
    ax_r.set_title("ds2 mean radial profile, e⁻ (all layers)")
    ax_r.legend(frameon=False)
    fig_r.tight_layout()
    fig_r.savefig(f"{args.images}/synthetic-radial.png")
    ax_ratio.set_xlabel("E_dep / E_inc")
    ax_ratio.set_ylabel("density")
    ax_ratio.set_title("energy response, e⁻")
    ax_ratio.legend(frameon=False)
    ax_max.set_xlabel("layer of shower maximum (event by event)")
    ax_max.set_title("shower-maximum fluctuations, e⁻")
    fig_f.tight_layout()
    fig_f.savefig(f"{args.images}/synthetic-fluctuations.png")

    energies, x = load(spectrum)
    layers = x.sum(axis=(2, 3))
    total = layers.sum(axis=1)
    flat = x.reshape(len(x), -1)
    fig_c, (ax_c, ax_v) = plt.subplots(1, 2, figsize=(7.5, 3.2))
    image = ax_c.imshow(np.nan_to_num(np.corrcoef(layers.T / energies)), cmap="RdBu_r", vmin=-1, vmax=1, origin="lower")
    fig_c.colorbar(image, ax=ax_c, fraction=0.046)
    ax_c.set_title("corr(E_layer/E_inc), log-uniform e⁻")
    ax_c.set_xlabel("layer")
    ax_c.set_ylabel("layer")
    positive = flat[flat > 0]
    ax_v.hist(positive, bins=np.logspace(-2, 5, 71), histtype="step", color="k")
    ax_v.set_xscale("log")
    ax_v.set_yscale("log")
    ax_v.set_xlabel("voxel energy [MeV] (non-zero voxels)")
    ax_v.set_title("voxel energies, log-uniform e⁻")
    fig_c.tight_layout()
    fig_c.savefig(f"{args.images}/synthetic-correlations.png")

    print("| E_inc | shower-max layer (mean ± std) | centre of gravity (layer) | γ − e⁻ shift (layers) | E_dep/E_inc (mean ± std) "
          "| lateral containment in 41.85 mm | non-zero voxels | sparsity | corr(L5, L10) | corr(L5, L20) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]:.2f} ± {r[2]:.2f} | {r[3]:.2f} | {r[4]:+.2f} | {r[5]:.3f} ± {r[6]:.3f} | {100 * r[7]:.1f} % "
              f"| {r[8]:.0f} | {r[9]:.3f} | {r[10]:+.2f} | {r[11]:+.2f} |")
    slope = np.polyfit(np.log([1e3, 1e4, 1e5, 1e6]), [r[1] for r in rows], 1)[0]
    print(f"\nshower-max slope: {slope:.3f} layers per e-fold = {slope * 0.805:.3f} X0 per e-fold")
    ratio = total / energies
    print(json.dumps({"log-uniform events": len(energies), "mean E_dep/E_inc": round(float(ratio.mean()), 4),
                      "std E_dep/E_inc": round(float(ratio.std()), 4),
                      "sparsity": round(float((flat == 0).mean()), 4),
                      "non-zero voxels per event": round(float((flat > 0).sum(axis=1).mean()), 1),
                      "per-layer sparsity layers 0,5,10,20,30,44": [round(float((x[:, l] == 0).mean()), 3) for l in (0, 5, 10, 20, 30, 44)]},
                     indent=1))
    for name in sorted(os.listdir(args.images)):
        if name.startswith("synthetic-"):
            print(name, os.path.getsize(os.path.join(args.images, name)), "bytes")


if __name__ == "__main__":
    main()
