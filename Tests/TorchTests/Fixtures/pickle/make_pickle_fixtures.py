"""Writes the torch.save fixtures for TorchPickleTests (run from this folder with reference Python torch).

    PYTHONPATH=$(/work/main/scripts/reference-python) python3 make_pickle_fixtures.py

Tensors hold small exact values (arange) so the Swift test can check every element. legacy_format.pth differs
from run to run (the legacy format records storage ids); the others are reproducible.
"""
import collections

import numpy as np
import torch


class Opaque:
    """A custom Python class: LibTorch cannot and must not rebuild it."""

    def __init__(self):
        self.weight = torch.ones(2)


def state():
    d = collections.OrderedDict()
    d["layer.weight"] = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    d["layer.bias"] = torch.tensor([0.5, -0.5], dtype=torch.float32)
    d["steps"] = torch.tensor(7, dtype=torch.int64)
    return d


torch.manual_seed(0)
# What CaloForge reads: tensors in plain dicts (and lists/tuples).
torch.save(dict(state()), "plain_state_dict.pth")
# What model.state_dict() returns is an OrderedDict, which LibTorch's unpickler rebuilds as None: refused.
torch.save(state(), "state_dict.pth")
nn_state = torch.nn.Linear(3, 2).state_dict()  # carries the OrderedDict `_metadata` attribute
torch.save(nn_state, "module_state_dict.pt")
torch.save(
    {
        "model_state_dict": dict(state()),
        "optimizer_state_dict": {"state": {0: {"exp_avg": torch.zeros(2)}}, "param_groups": [{"lr": 1e-3, "params": [0]}]},
        "epoch": 3,
        "history": [torch.tensor([1.0, 2.0]), 0.25, None, "text", True],
    },
    "nested_checkpoint.pth",
)
torch.save(state(), "legacy_format.pth", _use_new_zipfile_serialization=False)
torch.save({"model": Opaque()}, "custom_class.pth")
torch.save({"weights": np.arange(3, dtype=np.float32)}, "numpy_array.pth")
with open("not_torch.pth", "w") as f:
    f.write("this is plain text, not a torch.save file\n")
