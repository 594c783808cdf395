#!/usr/bin/env python3
"""Golden values for Tests/CaloEvalTests from the reference implementations (never run by the tests).

Writes, next to this script:
  evmetrics_inputs.safetensors  the fixed inputs (float64 unless noted)
  evmetrics_golden.json         what the reference code returns for them, plus provenance

Reference code (not vendored; pass the checkouts):
  --jetnet    jet-net/JetNet            jetnet/evaluation/gen_metrics.py  (fpd, kpd, _calculate_frechet_distance)
  --prdc      clovaai/generative-evaluation-prdc  prdc/prdc.py           (compute_prdc)
  --homepage  CaloChallenge/homepage    code/evaluate.py                  (DNN, train/evaluate/calibrate)

gen_metrics.py imports energyflow, numba and the rest of jetnet at module level; none of that is used
by fpd/kpd, so those modules are stubbed (numba's njit becomes the identity: the same NumPy code runs
uncompiled). evaluate.py's plotting modules are stubbed the same way.

Run (numpy, torch CPU, safetensors, scipy, scikit-learn on the path):
  PYTHONPATH=/tmp/pylibs:/work/main/.deps/reference:/work/main/.deps/python python3 make_metric_fixtures.py \
      --jetnet /tmp/ref/JetNet --prdc /tmp/ref/prdc --homepage /tmp/ref/homepage
Add --slow to also run the official classifier with its default hyper-parameters (minutes).
With --large DIR it instead writes a larger validation set at the official settings into DIR (not
checked in; about 120 MB): FPD(min_samples=10000) and KPD(batch_size=10000) on two 20 000 × 362
feature matrices, and PRDC(k=5) on 3 000 × 368 float32 voxels; CaloEvalTests compares with it
when CALOFORGE_LARGE_METRICS_DIR=DIR is set (docs/validation.md).
"""
import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import types

import numpy as np
import torch
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))


def git_commit(path):
    try:
        return subprocess.run(["git", "-C", path, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return "unknown"


def stub(name, **attributes):
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module
    return module


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_jetnet(root):
    identity = lambda *a, **k: (a[0] if a and callable(a[0]) else (lambda f: f))
    stub("energyflow"); stub("energyflow.emd", emds=None)
    stub("numba", njit=identity, prange=range, set_num_threads=lambda n: None)
    stub("jetnet"); stub("jetnet.utils"); stub("jetnet.datasets", JetNet=None)
    sys.modules["jetnet"].utils = sys.modules["jetnet.utils"]
    return load_module("gen_metrics", os.path.join(root, "jetnet/evaluation/gen_metrics.py"))


def load_evaluate(root):
    def anything(name):
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *a, **k: None
    stub("matplotlib", use=lambda *a, **k: None); stub("matplotlib.pyplot", __getattr__=anything)
    stub("HighLevelFeatures"); stub("evaluate_plotting_helper"); stub("resnet", generate_model=None)
    return load_module("evaluate", os.path.join(root, "code/evaluate.py"))


def numpy_streams():
    """First draws of default_rng(seed).choice(bound, size) for several seeds and bounds, in sequence."""
    cases = []
    for seed, calls in [(42, [(1000, 7), (77777, 5), (2, 9)]), (1042, [(3000, 64)]), (0, [(10, 11)]),
                        (2**40 + 5, [(5, 6)]), (9042, [(2**31 + 12345, 50), (3, 50)])]:
        rng = np.random.default_rng(seed)
        draws = [[int(v) for v in rng.choice(bound, size=size)] for bound, size in calls]
        cases.append({"seed": seed, "calls": [{"bound": b, "count": c, "draws": d} for (b, c), d in zip(calls, draws)]})
    return cases


def large_validation(args):
    """The official FPD/KPD/PRDC settings on larger fixed inputs (not checked in)."""
    import time
    gm = load_jetnet(args.jetnet)
    prdc = load_module("prdc_ref", os.path.join(args.prdc, "prdc/prdc.py"))
    rng = np.random.default_rng(7)
    n, f = 20000, 362
    mixing = rng.normal(size=(f, f)) / np.sqrt(f)
    def features(shift, scale):
        z = rng.normal(size=(n, f)) @ mixing
        x = z * np.linspace(0.5, 3.0, f) + shift
        x[:, 5] = np.exp(0.5 * z[:, 5])        # a skewed column
        x[:, 7] = 0.0                           # an all-zero column (left unnormalised)
        x[:, 11] = -8.0                         # a constant column (singular covariance)
        return x * scale
    reference, generated = features(0.0, 1.0), features(0.02, 1.01)
    real_voxels = (rng.lognormal(0, 1.5, size=(3000, 368)) * (rng.random((3000, 368)) < 0.6)).astype(np.float32)
    fake_voxels = (rng.lognormal(0.1, 1.6, size=(3000, 368)) * (rng.random((3000, 368)) < 0.55)).astype(np.float32)
    golden = {}
    start = time.time(); golden["fpd"] = list(map(float, gm.fpd(reference, generated, min_samples=10000))); golden["fpd_seconds"] = time.time() - start
    start = time.time(); golden["kpd"] = list(map(float, gm.kpd(reference, generated, batch_size=10000))); golden["kpd_seconds"] = time.time() - start
    log = lambda x: np.log10(np.where(x == 0., 0.1 * np.ones_like(x), x))
    start = time.time()
    golden["prdc"] = {k: float(v) for k, v in prdc.compute_prdc(log(real_voxels), log(fake_voxels), nearest_k=5).items()}
    golden["prdc_seconds"] = time.time() - start
    golden["provenance"] = {"jetnet": git_commit(args.jetnet), "prdc": git_commit(args.prdc), "numpy": np.__version__,
                            "scipy": __import__("scipy").__version__, "sklearn": __import__("sklearn").__version__,
                            "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} cores"}
    os.makedirs(args.large, exist_ok=True)
    save_file({"reference": reference, "generated": generated, "real_voxels": real_voxels, "fake_voxels": fake_voxels},
              os.path.join(args.large, "evmetrics_large_inputs.safetensors"))
    with open(os.path.join(args.large, "evmetrics_large_golden.json"), "w") as out:
        json.dump(golden, out, indent=1, sort_keys=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--jetnet", required=True)
    parser.add_argument("--prdc", required=True)
    parser.add_argument("--homepage", required=True)
    parser.add_argument("--slow", action="store_true")
    parser.add_argument("--large", metavar="DIR")
    args = parser.parse_args()
    torch.set_num_threads(2)
    if args.large:
        return large_validation(args)

    gm = load_jetnet(args.jetnet)
    prdc = load_module("prdc_ref", os.path.join(args.prdc, "prdc/prdc.py"))
    tensors, golden = {}, {}

    # --- Fréchet distance of given Gaussians (JetNet _calculate_frechet_distance) ---------------
    rng = np.random.default_rng(20240601)
    d = 5
    a = rng.normal(size=(d, d)); b = rng.normal(size=(d, d))
    sigma1 = a @ a.T + 0.5 * np.eye(d); sigma2 = b @ b.T + 0.3 * np.eye(d)
    mu1 = rng.normal(size=d); mu2 = rng.normal(size=d)
    tensors.update({"frechet.mu1": mu1, "frechet.sigma1": sigma1, "frechet.mu2": mu2, "frechet.sigma2": sigma2})
    golden["frechet_distance"] = float(gm._calculate_frechet_distance(mu1, sigma1, mu2, sigma2))

    # --- FPD / KPD on two fixed feature matrices ------------------------------------------------
    n, f = 2000, 6
    base = rng.normal(size=(n, f)) @ rng.normal(size=(f, f)) * 0.3
    reference = np.concatenate([base[:, :3], np.exp(base[:, 3:4]), np.abs(base[:, 4:])], axis=1)
    other = rng.normal(size=(n, f)) @ rng.normal(size=(f, f)) * 0.3
    generated = np.concatenate([other[:, :3] + 0.05, np.exp(other[:, 3:4]) * 1.1, np.abs(other[:, 4:])], axis=1)
    same = rng.normal(size=(n, f)) @ np.eye(f)
    same2 = rng.normal(size=(n, f)) @ np.eye(f)
    tensors.update({"fpd.reference": reference, "fpd.generated": generated, "fpd.same_a": same, "fpd.same_b": same2})
    fpd_args = dict(min_samples=500, max_samples=2000, num_batches=20, num_points=10)
    kpd_args = dict(num_batches=10, batch_size=1000)
    sizes = (1 / np.linspace(1.0 / 500, 1.0 / 2000, 10)).astype("int32")
    def fpd_means(X, Y, sizes, num_batches=20, seed=42):
        """The per-size means inside JetNet's fpd (same normalisation, generator calls and statistics)."""
        X, Y = gm._normalise_features(X, Y)
        rng = np.random.default_rng(seed)
        means = []
        for size in sizes:
            values = []
            for _ in range(num_batches):
                a, b = X[rng.choice(len(X), size=size)], Y[rng.choice(len(Y), size=size)]
                values.append(gm._calculate_frechet_distance(np.mean(a, axis=0), np.cov(a, rowvar=False),
                                                             np.mean(b, axis=0), np.cov(b, rowvar=False)))
            means.append(float(np.mean(values)))
        return means
    golden["fpd"] = {
        "shifted_means": fpd_means(reference, generated, sizes), "same_means": fpd_means(same, same2, sizes),
        "config": fpd_args, "sample_sizes": [int(s) for s in sizes],
        "caloChallenge_sample_sizes": [int(s) for s in (1 / np.linspace(1.0 / 10000, 1.0 / 50000, 10)).astype("int32")],
        "shifted": list(map(float, gm.fpd(reference, generated, **fpd_args))),
        "same": list(map(float, gm.fpd(same, same2, **fpd_args))),
    }
    golden["kpd"] = {
        "config": kpd_args,
        "shifted": list(map(float, gm.kpd(reference, generated, **kpd_args))),
        "same": list(map(float, gm.kpd(same, same2, **kpd_args))),
        "shifted_batches": [float(v) for v in gm._kpd_batches(*gm._normalise_features(reference, generated), 10, 1000, 42)],
    }
    golden["mmd_poly_unbiased"] = float(gm._mmd_poly_quadratic_unbiased(reference[:400], generated[:300], degree=4))
    golden["numpy_streams"] = numpy_streams()

    # --- PRDC (compute_prdc) --------------------------------------------------------------------
    real = rng.normal(size=(300, 8))
    fake = rng.normal(size=(250, 8)) * 1.2 + 0.3
    tensors.update({"prdc.real": real, "prdc.fake": fake})
    golden["prdc"] = {f"k{k}": {key: float(v) for key, v in prdc.compute_prdc(real, fake, nearest_k=k).items()} for k in (1, 3, 5)}
    # Shower-like float32 voxels with zeros, through evaluate.py's transform (zeros -> 0.1 MeV, log10).
    def showers(count, voxels, scale):
        values = rng.lognormal(mean=0.0, sigma=1.5, size=(count, voxels)) * scale
        values[rng.random(size=(count, voxels)) < 0.5] = 0.0
        return values.astype(np.float32)
    real_showers, fake_showers = showers(220, 30, 1.0), showers(200, 30, 1.3)
    tensors.update({"prdc.real_showers": real_showers, "prdc.fake_showers": fake_showers})
    log = lambda x: np.log10(np.where(x == 0., 0.1 * np.ones_like(x), x))
    golden["prdc"]["showers_k5"] = {key: float(v) for key, v in prdc.compute_prdc(log(real_showers), log(fake_showers), nearest_k=5).items()}

    # --- Classifier: calibration + AUC + JSD through evaluate.py on fixed logits ----------------
    ev = load_evaluate(args.homepage)
    test_logits = np.concatenate([rng.normal(-0.6, 1.0, 1500), rng.normal(0.6, 1.0, 1500)])
    test_logits[:40] = test_logits[40:80]  # exact duplicates (tied raw probabilities)
    test_labels = np.concatenate([np.zeros(1500), np.ones(1500)])
    val_logits = np.concatenate([rng.normal(-0.6, 1.1, 1400), rng.normal(0.6, 1.1, 1400), [-9.0, 9.0]])
    val_labels = np.concatenate([np.zeros(1400), np.ones(1400), [0.0, 1.0]])
    tensors.update({"cls.test_logits": test_logits, "cls.test_labels": test_labels,
                    "cls.val_logits": val_logits, "cls.val_labels": val_labels})

    from torch.utils.data import DataLoader, TensorDataset
    def loader(logits, labels):
        return DataLoader(TensorDataset(torch.tensor(np.stack([logits, labels], axis=1))), batch_size=1000, shuffle=False)
    run_args = types.SimpleNamespace(save_mem=False, device=torch.device("cpu"))
    acc, auc, jsd = ev.evaluate_cls(torch.nn.Identity(), loader(val_logits, val_labels), run_args, final_eval=True,
                                    calibration_data=loader(test_logits, test_labels))
    from sklearn.isotonic import IsotonicRegression
    sig = lambda z: 1 / (1 + np.exp(-z))
    iso = IsotonicRegression(out_of_bounds="clip", y_min=1e-6, y_max=1. - 1e-6).fit(torch.sigmoid(torch.tensor(test_logits)).numpy(), test_labels)
    calibrated = iso.predict(torch.sigmoid(torch.tensor(val_logits)).numpy())
    tensors["cls.val_calibrated"] = calibrated
    golden["calibration"] = {"accuracy": float(acc), "auc": float(auc), "jsd": float(jsd),
                             "bce": float(torch.nn.BCELoss()(torch.tensor(calibrated), torch.tensor(val_labels)))}

    # --- Classifier: the official DNN and training loop on a fixed small split ------------------
    def gaussian_pair(count, shift):
        cov = np.array([[1.0, 0.3, 0.0, 0.0], [0.3, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
        g = rng.multivariate_normal(np.zeros(4), cov, size=count)
        r = rng.multivariate_normal(np.array([shift, 0.0, 0.5 * shift, 0.0]), cov, size=count)
        return g, r
    split = {}
    for part, count in [("train", 2000), ("test", 1000), ("validation", 1000)]:
        g, r = gaussian_pair(count, 0.8)
        x = np.concatenate([g, r]); y = np.concatenate([np.zeros(count), np.ones(count)])
        order = rng.permutation(2 * count)
        split[part] = (x[order], y[order])
        tensors[f"dnn.{part}_inputs"] = x[order]
        tensors[f"dnn.{part}_labels"] = y[order]

    def official_training(settings, seeds):
        results = []
        for seed in seeds:
            torch.manual_seed(seed)
            with tempfile.TemporaryDirectory() as out:
                a = types.SimpleNamespace(save_mem=False, device=torch.device("cpu"), cls_n_epochs=settings["epochs"],
                                          mode="cls-high", dataset="fixture", output_dir=out)
                model = ev.DNN(num_layer=settings["layers"], num_hidden=settings["hidden"], input_dim=4,
                               dropout_probability=settings["dropout"])
                optimizer = torch.optim.Adam(model.parameters(), lr=settings["lr"])
                data = {p: torch.tensor(np.concatenate([split[p][0], split[p][1][:, None]], axis=1)) for p in split}
                train = DataLoader(TensorDataset(data["train"]), batch_size=settings["batch"], shuffle=True)
                test = DataLoader(TensorDataset(data["test"]), batch_size=settings["batch"], shuffle=False)
                val = DataLoader(TensorDataset(data["validation"]), batch_size=settings["batch"], shuffle=False)
                ev.train_and_evaluate_cls(model, train, test, optimizer, a)
                model = ev.load_classifier(model, a)
                with torch.no_grad():
                    _, auc, jsd = ev.evaluate_cls(model, val, a, final_eval=True, calibration_data=test)
                results.append({"seed": seed, "auc": float(auc), "jsd": float(jsd), "best_epoch": a.best_epoch})
        aucs = np.array([r["auc"] for r in results]); jsds = np.array([r["jsd"] for r in results])
        return {"settings": settings, "runs": results, "auc_mean": float(aucs.mean()), "auc_std": float(aucs.std()),
                "jsd_mean": float(jsds.mean()), "jsd_std": float(jsds.std())}

    import contextlib, io
    small = dict(layers=2, hidden=64, dropout=0.0, lr=1e-3, batch=200, epochs=8)
    with contextlib.redirect_stdout(io.StringIO()):
        golden["dnn_small"] = official_training(small, seeds=range(10))
        if args.slow:
            official = dict(layers=2, hidden=2048, dropout=0.0, lr=2e-4, batch=1000, epochs=50)
            golden["dnn_official"] = official_training(official, seeds=range(3))
    if not args.slow:
        previous = os.path.join(HERE, "evmetrics_golden.json")
        if os.path.exists(previous):
            kept = json.load(open(previous)).get("dnn_official")
            if kept is not None:
                golden["dnn_official"] = kept

    golden["provenance"] = {
        "jetnet": {"repository": "jet-net/JetNet", "commit": git_commit(args.jetnet), "file": "jetnet/evaluation/gen_metrics.py"},
        "prdc": {"repository": "clovaai/generative-evaluation-prdc", "commit": git_commit(args.prdc), "file": "prdc/prdc.py"},
        "homepage": {"repository": "CaloChallenge/homepage", "commit": git_commit(args.homepage), "file": "code/evaluate.py"},
        "numpy": np.__version__, "torch": torch.__version__,
        "scipy": __import__("scipy").__version__, "sklearn": __import__("sklearn").__version__,
        "python": platform.python_version(), "machine": f"{platform.machine()} {platform.system()}, {os.cpu_count()} cores",
    }
    save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, os.path.join(HERE, "evmetrics_inputs.safetensors"))
    with open(os.path.join(HERE, "evmetrics_golden.json"), "w") as out:
        json.dump(golden, out, indent=1, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main()
