"""Writes the torch.save fixtures for TorchPickleTests (run from this folder with reference Python torch).

    PYTHONPATH=$(/work/main/scripts/reference-python) python3 make_pickle_fixtures.py

Tensors hold small exact values (arange) so the Swift test can check every element. legacy_format.pth differs
from run to run (the legacy format records storage ids); the others are reproducible.

The OrderedDict fixtures (what `model.state_dict()` returns, with its `_metadata` attribute) come with a
`<name>.expected.safetensors` holding every tensor under the dotted name TorchPickle.load gives it.
"""
import collections

import numpy as np
import torch
from safetensors.torch import save_file


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
# What model.state_dict() returns is an OrderedDict, which LibTorch's unpickler rebuilds as None; PickleRewrite
# turns it into a plain dict before LibTorch reads it.
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


def flatten(value, name=""):
    """The dotted names TorchPickle.load gives the tensors of plain containers."""
    join = lambda key: f"{name}.{key}" if name else str(key)
    if isinstance(value, torch.Tensor):
        return {name: value.detach().clone().contiguous()}
    out = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, join(key)))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            out.update(flatten(item, join(index)))
    return out


def save_with_expected(obj, name, **kwargs):
    torch.save(obj, name, **kwargs)
    stem = name.rsplit(".", 1)[0]
    save_file(flatten(obj), stem + ".expected.safetensors")


def sequential():
    """A small nn.Sequential with exact values; its state_dict() carries `_metadata` (an OrderedDict too)."""
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    with torch.no_grad():
        for index, parameter in enumerate(model.parameters()):
            parameter.copy_(torch.arange(parameter.numel(), dtype=torch.float32).reshape(parameter.shape) / 8 + index)
    return model


model = sequential()
save_with_expected(model.state_dict(), "sequential_state_dict.pth")
save_with_expected(model.state_dict(), "sequential_state_dict_protocol4.pth", pickle_protocol=4)
# The reference CaloDiffusion checkpoint: {"model_state_dict": OrderedDict, "optimizer_state_dict": …, "epoch": 3}.
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
model(torch.ones(1, 3)).sum().backward()
optimizer.step()
save_with_expected(
    {"model_state_dict": model.state_dict(), "optimizer_state_dict": optimizer.state_dict(), "epoch": 3},
    "calodiffusion_checkpoint.pth",
)
# Two OrderedDicts in a list: the second refers to the memoized OrderedDict callable with BINGET.
first = collections.OrderedDict([("a", torch.tensor([1.0, 2.0]))])
second = collections.OrderedDict([("b", torch.tensor([3, 4], dtype=torch.int32))])
save_with_expected([first, second, {"c": torch.tensor(5.0)}], "ordered_dicts_in_list.pth")
# No tensor, so no OrderedDict (every tensor's backward hooks are one): PickleRewrite leaves it unchanged.
torch.save({"epoch": 3, "name": "run", "losses": [0.5, 0.25]}, "no_tensors.pth")

# A damaged file: the zip is intact, its data.pkl stops in the middle of an opcode.
import zipfile

with zipfile.ZipFile("sequential_state_dict.pth") as source, zipfile.ZipFile(
    "truncated_pickle.pth", "w", zipfile.ZIP_STORED
) as target:
    for info in source.infolist():
        payload = source.read(info.filename)
        if info.filename.endswith("/data.pkl"):
            payload = payload[:40]  # inside BINUNICODE '0.weight' (opcode at offset 34)
        name = info.filename.replace("sequential_state_dict/", "truncated_pickle/")
        target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), payload)  # reproducible
