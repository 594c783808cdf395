#!/usr/bin/env python3
"""cls-resnet / cls-low-normed / cls-low of CaloForge against the official evaluate.py on the same files.

Developer tool (never run by CI or the tests). It makes a pair of ds2 files that a classifier can
partly tell apart — a synthetic reference, and a second synthetic set in which every second shower
starts --shift layers deeper (its first layers empty) and whose voxels are scaled by --scale — so a
perfect classifier reaches an AUC of about 0.75, not 1. Then it trains the same classifier test --runs times with the official code and with
`caloforge evaluate --cls-runs`, and compares the mean calibrated AUCs (issue: within 0.01).

The official code runs unmodified except for what this small-data check needs, applied to a copy:
its fixed 100 000-event ds2 split becomes the 60/20/20 proportions it uses without --dataset
(CaloForge does the same for files below the official size), torch's default dtype follows
--dtype (official: float64; in float32 its final BCE needs both tensors in one dtype), and
numpy/torch are seeded per run (evaluate.py leaves them unseeded).
Splits and initial weights cannot be drawn identically by the two codes, so the comparison is of
means over runs.

Run (after `make release`; numpy, torch CPU, h5py, matplotlib, scikit-learn on the path):
  PYTHONPATH=/tmp/pylibs:$(scripts/reference-python) python3 bench/classifier_agreement.py \\
      --homepage /path/to/CaloChallenge/homepage --events 3000 --epochs 5 --runs 3 --dtype float32 \\
      --mode cls-resnet --work /tmp/agreement
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CALOFORGE = os.path.join(ROOT, ".build", "release", "caloforge")

parser = argparse.ArgumentParser()
parser.add_argument("--homepage", required=True, help="checkout of CaloChallenge/homepage (code/evaluate.py)")
parser.add_argument("--work", default="/tmp/classifier-agreement")
parser.add_argument("--mode", default="cls-resnet", choices=["cls-resnet", "cls-low-normed", "cls-low", "cls-high"])
parser.add_argument("--events", type=int, default=3000, help="events per file")
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
parser.add_argument("--scale", type=float, default=1.0, help="voxel scale of the 'generated' file")
parser.add_argument("--shift", type=int, default=3, help="layers by which every second generated shower is shifted")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--seed", type=int, default=42, help="CaloForge's --seed; the official runs use seeds 100 + seed − 42 + run")
parser.add_argument("--skip-official", action="store_true")
parser.add_argument("--skip-caloforge", action="store_true")
args = parser.parse_args()
os.makedirs(args.work, exist_ok=True)


def run(command, **kwargs):
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, check=True, **kwargs)


# The pair of files.
reference = os.path.join(args.work, f"reference-{args.events}.h5")
generated = os.path.join(args.work, f"generated-{args.events}-shift{args.shift}-x{args.scale}.h5")

def widen_energies(path):
    """Incident energies as float64, as in the official datasets: evaluate.py's float64 DNN refuses
    the float32 rows that float32 energies make (cls-low, cls-low-normed)."""
    with h5py.File(path, "r+") as f:
        if f["incident_energies"].dtype != np.float64:
            energies = f["incident_energies"][:].astype(np.float64)
            del f["incident_energies"]
            f.create_dataset("incident_energies", data=energies, compression="gzip")


if not os.path.exists(reference):
    run([CALOFORGE, "synth", "--geometry", "ds2", "--count", str(args.events), "--seed", "1", "-o", reference])
if not os.path.exists(generated):
    raw = generated + ".raw.h5"
    run([CALOFORGE, "synth", "--geometry", "ds2", "--count", str(args.events), "--seed", "2", "-o", raw])
    with h5py.File(raw, "r") as source, h5py.File(generated, "w") as target:
        target.create_dataset("incident_energies", data=source["incident_energies"][:], compression="gzip")
        showers = (source["showers"][:].astype(np.float64) * args.scale).astype(np.float32).reshape(-1, 45, 144)
        half = np.arange(len(showers)) % 2 == 1
        showers[half] = np.roll(showers[half], args.shift, axis=1)
        showers[half, :args.shift] = 0
        target.create_dataset("showers", data=showers.reshape(-1, 45 * 144), compression="gzip")
    os.remove(raw)
for path in (reference, generated):
    widen_energies(path)

# The official code, patched as the docstring says.
official_dir = os.path.join(args.work, "official-code")
os.makedirs(official_dir, exist_ok=True)
code = os.path.join(args.homepage, "code")
for name in ["HighLevelFeatures.py", "XMLHandler.py", "evaluate_plotting_helper.py", "resnet.py",
             "binning_dataset_2.xml"]:
    with open(os.path.join(code, name)) as source, open(os.path.join(official_dir, name), "w") as target:
        target.write(source.read())
with open(os.path.join(code, "evaluate.py")) as f:
    evaluate = f.read()
patches = [
    ("torch.set_default_dtype(torch.float64)",
     "torch.set_default_dtype(getattr(torch, os.environ.get('AGREEMENT_DTYPE', 'float64')))\n"
     "np.random.seed(int(os.environ.get('AGREEMENT_SEED', '0'))); "
     "torch.manual_seed(int(os.environ.get('AGREEMENT_SEED', '0'))); "
     "torch.set_num_threads(int(os.environ.get('AGREEMENT_THREADS', '2')))"),
    # In float32 the final BCE mixes the calibrator's float64 output with float32 labels.
    ("BCE = torch.nn.BCELoss()(torch.tensor(rescaled_pred), torch.tensor(result_true))",
     "BCE = torch.nn.BCELoss()(torch.tensor(rescaled_pred).double(), torch.tensor(result_true).double())"),
    ("train_data, test_data, val_data = ttv_split(source_array, reference_array,\n"
     "                                                    dataset=args.dataset)",
     "train_data, test_data, val_data = ttv_split(source_array, reference_array)"),
]
for old, new in patches:
    if old not in evaluate:
        sys.exit(f"evaluate.py has changed: cannot find {old!r}")
    evaluate = evaluate.replace(old, new)
evaluate = "import os\n" + evaluate
with open(os.path.join(official_dir, "evaluate.py"), "w") as f:
    f.write(evaluate)

results = {"settings": vars(args), "official": [], "caloforge": None}
if not args.skip_official:
    for r in range(args.runs):
        out = os.path.join(args.work, f"official-{args.mode}-{100 + args.seed - 42 + r}")
        start = time.time()
        env = dict(os.environ, AGREEMENT_DTYPE=args.dtype, AGREEMENT_SEED=str(100 + args.seed - 42 + r), AGREEMENT_THREADS=str(args.threads))
        log = subprocess.run(
            [sys.executable, "evaluate.py", "-i", generated, "-r", reference, "-m", args.mode, "-d", "2",
             "--output_dir", out, "--cls_n_epochs", str(args.epochs)],
            cwd=official_dir, env=env, capture_output=True, text=True)
        if log.returncode != 0:
            sys.exit(log.stdout[-3000:] + log.stderr[-3000:])
        match = re.findall(r"Final result of classifier test \(AUC / JSD\):\n([0-9.]+) / ([-0-9.]+)", log.stdout)
        auc, jsd = map(float, match[-1])
        results["official"].append({"auc": auc, "jsd": jsd, "seconds": time.time() - start})
        print(f"official run {r + 1}: AUC {auc:.4f}, JSD {jsd:.4f}, {time.time() - start:.0f} s", flush=True)

if not args.skip_caloforge:
    out = os.path.join(args.work, f"caloforge-{args.mode}-seed{args.seed}")
    start = time.time()
    run([CALOFORGE, "evaluate", "--reference", reference, "--generated", generated, "--metrics", args.mode,
         "--cls-epochs", str(args.epochs), "--cls-runs", str(args.runs), "--cls-dtype", args.dtype,
         "--threads", str(args.threads), "--seed", str(args.seed), "--no-plots", "--no-progress", "--out", out])
    with open(os.path.join(out, "metrics.json")) as f:
        metric = json.load(f)["metrics"][args.mode]
    label = os.path.splitext(os.path.basename(generated))[0]
    auc = metric["observables"]["auc"]["scores"][label]
    jsd = metric["observables"]["jsd"]["scores"][label]
    results["caloforge"] = {"auc": auc, "jsd": jsd, "seconds": time.time() - start}

print(json.dumps(results, indent=1))
if results["official"] and results["caloforge"]:
    official = np.array([r["auc"] for r in results["official"]])
    ours = results["caloforge"]["auc"]
    print(f"\n{args.mode}, {args.events} events per file, {args.epochs} epochs, {args.runs} runs, {args.dtype}:")
    print(f"  official evaluate.py: mean AUC {official.mean():.4f} ± {official.std():.4f} "
          f"({sum(r['seconds'] for r in results['official']):.0f} s)")
    print(f"  caloforge evaluate:   mean AUC {ours['value']:.4f} ± {ours.get('uncertainty') or 0:.4f} "
          f"({results['caloforge']['seconds']:.0f} s)")
    print(f"  difference of the means: {abs(official.mean() - ours['value']):.4f}")
with open(os.path.join(args.work, f"agreement-{args.mode}-seed{args.seed}.json"), "w") as f:
    json.dump(results, f, indent=1)
