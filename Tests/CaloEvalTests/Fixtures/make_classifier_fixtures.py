#!/usr/bin/env python3
"""Golden values of the cls-resnet network (official resnet.py) and of the cls-low-normed inputs
(official evaluate.py) — never run by the tests.

Writes, next to this script:
  resnet_golden.json           state-dict keys and shapes (ResNet-18 on ds2, ResNet-50 on ds3),
                               trainable-parameter counts, and provenance
  resnet_forward.safetensors   a small ResNet-10 on a (9, 4, 3) image with deterministic weights:
                               the input batch, the logits in training mode (batch statistics), the
                               running statistics after that pass, the logits in evaluation mode
  low_normed_rows.safetensors  rows 0–2 of evaluate.py's prepare_low_data_for_classifier(normed=True)
                               for ds2-reference.h5 (its features from the thresholded showers, as
                               evaluate.py computes them), label column dropped

Weights are not stored: parameter k of the state dict (in state-dict order, buffers excluded)
is set to 0.05·sin(0.37·i + k) for i = 0, 1, …, so the Swift test builds the same values.

Reference code (not vendored): CaloChallenge/homepage code/resnet.py, evaluate.py, HighLevelFeatures.py.
Run (torch CPU, numpy, safetensors, h5py, matplotlib on the path):
  PYTHONPATH=/tmp/pylibs:$(scripts/reference-python) python3 make_classifier_fixtures.py --homepage /path/to/homepage
"""
import argparse
import json
import os
import subprocess
import sys

import torch
from safetensors.torch import save_file

parser = argparse.ArgumentParser()
parser.add_argument("--homepage", required=True, help="checkout of CaloChallenge/homepage")
parser.add_argument("--commit", default="", help="the checkout's commit, when it is not a git work tree")
args = parser.parse_args()
sys.path.insert(0, os.path.join(args.homepage, "code"))
from resnet import generate_model  # noqa: E402

torch.set_default_dtype(torch.float64)
here = os.path.dirname(os.path.abspath(__file__))


def structure(model):
    return [[k, list(v.shape)] for k, v in model.state_dict().items()]


def trainable(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


ds2 = generate_model(18, img_shape=(45, 16, 9))
ds3 = generate_model(50, img_shape=(45, 50, 18))
golden = {
    "resnet18_ds2": {"keys": structure(ds2), "trainable": trainable(ds2)},
    "resnet50_ds3": {"keys": structure(ds3), "trainable": trainable(ds3)},
    "resnet18_ds3_trainable": trainable(generate_model(18, img_shape=(45, 50, 18))),
    "provenance": {
        "homepage_commit": subprocess.run(["git", "-C", args.homepage, "rev-parse", "HEAD"], capture_output=True,
                                          text=True).stdout.strip() or args.commit,
        "torch": torch.__version__,
    },
}

small = generate_model(10, img_shape=(9, 4, 3))
with torch.no_grad():
    for k, (name, p) in enumerate(small.named_parameters()):
        i = torch.arange(p.numel(), dtype=torch.float64)
        p.copy_((0.05 * torch.sin(0.37 * i + k)).reshape(p.shape))
g = torch.Generator().manual_seed(7)
x = torch.cat([torch.rand(6, 1, generator=g) * 3 + 3, torch.rand(6, 108, generator=g) * 0.01], dim=1)
small.train()
train_logits = small(x).detach().clone()
running = {f"after_train.{k}": v.clone() for k, v in small.state_dict().items() if "running" in k or "num_batches" in k}
small.eval()
eval_logits = small(x).detach().clone()
tensors = {"input": x, "train_logits": train_logits, "eval_logits": eval_logits}
tensors.update({k: v.to(torch.float64) for k, v in running.items()})
save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(here, "resnet_forward.safetensors"))
golden["resnet10_small_parameter_order"] = [k for k, _ in small.named_parameters()]
with open(os.path.join(here, "resnet_golden.json"), "w") as f:
    json.dump(golden, f, indent=1)

# cls-low-normed rows, as evaluate.py builds them: threshold, features of the thresholded showers,
# then prepare_low_data_for_classifier(normed=True) on the file (voxels only clipped at 0).
import types  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402

for name in ("evaluate_plotting_helper",):
    sys.modules[name] = types.ModuleType(name)
from HighLevelFeatures import HighLevelFeatures  # noqa: E402

sys.argv = ["evaluate.py"]
import evaluate  # noqa: E402

path = os.path.join(here, "ds2-reference.h5")
with h5py.File(path, "r") as f:
    showers = f["showers"][:]
threshold = 0.5e-3 / 0.033
hlf = HighLevelFeatures("electron", filename=os.path.join(args.homepage, "code", "binning_dataset_2.xml"))
hlf.CalculateFeatures(np.where(showers < threshold, np.zeros_like(showers), showers))
rows = evaluate.prepare_low_data_for_classifier(h5py.File(path, "r"), hlf, 1.0, normed=True)[:3, :-1]
save_file({"rows": torch.from_numpy(np.ascontiguousarray(rows, dtype=np.float64))},
          os.path.join(here, "low_normed_rows.safetensors"))
print("wrote resnet_golden.json, resnet_forward.safetensors and low_normed_rows.safetensors", rows.shape, rows.dtype)
