#!/usr/bin/env python3
"""Writes the PyTorch golden values that Tests/TorchNNTests compare against.

Run from the repository root with the reference PyTorch on the path:

    PYTHONPATH=.deps/reference:.deps/python python3 Tests/TorchNNTests/Fixtures/make_fixtures.py

Outputs (all small, checked in next to this script; the tests never run Python):
  module_keys.json       state_dict keys + shapes, named_parameters order and parameter count of
                         the nested test network mirrored by `KeyTestNetwork` in ModuleTests.swift
  layers.safetensors     per layer case: `<case>.state.<key>` weights from a seeded torch module,
                         `<case>.input` and `<case>.output` of its forward pass (float32)
  optimizers.safetensors the fixed problem (`problem.*`) and 10–12 step float64 trajectories of each
                         optimizer on it (`<name>.x` [steps, 3], `<name>.w` [steps, 2, 2])
  plateau.json           ReduceLROnPlateau learning rates for a fixed metric sequence
"""

import json
import os

import torch
from torch import nn
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(20240611)


# ---------------------------------------------------------------- module keys (ModuleTests)

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.GroupNorm(2, 4)
        self.conv = nn.Conv3d(4, 4, 3, padding=1)
        self.register_buffer("scale", torch.ones(4))
        self.register_buffer("cache", torch.zeros(2), persistent=False)


class KeyTestNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.temperature = nn.Parameter(torch.ones(1))
        self.register_parameter("offset", None)
        self.in_proj = nn.Linear(3, 4)
        self.blocks = nn.ModuleList([Block(), Block()])
        self.head = nn.Sequential(nn.Linear(4, 8), nn.SiLU(), nn.Linear(8, 2, bias=False))
        self.gate = nn.Linear(2, 2, bias=False)
        self.register_buffer("running_mean", torch.zeros(2))


def module_keys():
    net = KeyTestNetwork()
    return {
        "state_dict": [[k, list(v.shape)] for k, v in net.state_dict().items()],
        "named_parameters": [k for k, _ in net.named_parameters()],
        "parameter_count": sum(p.numel() for p in net.parameters()),
    }


# ---------------------------------------------------------------- layer forward passes (LayersTests)

def randomize_affine(module):
    # Norm layers start at ones/zeros; random affine parameters make the load observable.
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn_like(p))
    return module


def layer_cases():
    return {
        "linear": (nn.Linear(5, 3), torch.randn(4, 5)),
        "conv1d": (nn.Conv1d(2, 3, 3, stride=2, padding=1), torch.randn(2, 2, 9)),
        "conv2d": (nn.Conv2d(2, 4, (3, 2), stride=(1, 2), padding=(1, 0), groups=2), torch.randn(1, 2, 6, 5)),
        "conv3d": (nn.Conv3d(2, 2, 3, stride=(1, 2, 1), padding=1), torch.randn(1, 2, 3, 4, 3)),
        "conv2d_circular": (nn.Conv2d(2, 3, 3, padding=1, padding_mode="circular"), torch.randn(1, 2, 5, 6)),
        "conv3d_circular": (nn.Conv3d(2, 2, (1, 3, 3), padding=(0, 1, 1), padding_mode="circular"),
                            torch.randn(1, 2, 2, 3, 4)),
        "conv_transpose1d": (nn.ConvTranspose1d(3, 2, 4, stride=2, padding=1, output_padding=1), torch.randn(2, 3, 5)),
        "conv_transpose2d": (nn.ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1, groups=2),
                             torch.randn(1, 2, 2, 3)),
        "conv_transpose3d": (nn.ConvTranspose3d(2, 2, (2, 3, 2), stride=2, padding=1, output_padding=(1, 0, 1)),
                             torch.randn(1, 2, 2, 2, 2)),
        "group_norm": (randomize_affine(nn.GroupNorm(2, 6)), torch.randn(2, 6, 2, 2) * 2 + 1),
        "layer_norm": (randomize_affine(nn.LayerNorm([4, 3])), torch.randn(2, 2, 4, 3) * 3 - 1),
        "embedding": (nn.Embedding(7, 3), torch.tensor([[0, 3, 6, 3], [1, 1, 5, 2]])),
        "sequential": (nn.Sequential(nn.Linear(4, 8), nn.SiLU(), nn.Linear(8, 8), nn.GELU(), nn.LayerNorm(8),
                                     nn.Linear(8, 2)), torch.randn(3, 4)),
    }


def layers():
    tensors = {}
    for name, (module, x) in layer_cases().items():
        module.eval()
        with torch.no_grad():
            y = module(x)
        for key, value in module.state_dict().items():
            tensors[f"{name}.state.{key}"] = value.contiguous()
        tensors[f"{name}.input"] = x.contiguous()
        tensors[f"{name}.output"] = y.contiguous()
    return tensors


# ---------------------------------------------------------------- optimizers (OptimizerTests)

# loss(x, W) = Σ ½·a·(x − c)² + Σ (W·u − t)²  in float64, from x0, W0.
A = torch.tensor([1.0, 4.0, 0.25], dtype=torch.float64)
C = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
U = torch.tensor([1.0, -1.0], dtype=torch.float64)
T = torch.tensor([0.5, 0.25], dtype=torch.float64)
X0 = [0.5, -1.5, 2.0]
W0 = [[0.3, -0.4], [0.1, 0.4]]

OPTIMIZERS = {
    "adam": (lambda ps: torch.optim.Adam(ps, lr=0.1, foreach=False), 10),
    "adam_l2": (lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, foreach=False), 10),
    "adamw": (lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.05, foreach=False), 10),
    "adamax": (lambda ps: torch.optim.Adamax(ps, lr=0.2, betas=(0.8, 0.99), foreach=False), 10),
    # rho_t ≤ 5 for steps 1–5 (un-rectified update), > 5 from step 6 (rectified).
    "radam": (lambda ps: torch.optim.RAdam(ps, lr=0.1, foreach=False), 12),
    "sgd": (lambda ps: torch.optim.SGD(ps, lr=0.1, foreach=False), 10),
    "sgd_momentum": (lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.2, weight_decay=0.01,
                                                foreach=False), 10),
    "sgd_nesterov": (lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, foreach=False), 10),
    # W receives no gradient for the first 3 steps: it must stay put and then start its own step count.
    "adam_late_parameter": (lambda ps: torch.optim.Adam(ps, lr=0.1, foreach=False), 10),
}
LATE_STEPS = 3


def trajectory(name, make, steps):
    x = torch.tensor(X0, dtype=torch.float64, requires_grad=True)
    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    opt = make([x, w])
    xs, ws = [], []
    for step in range(steps):
        opt.zero_grad(set_to_none=True)
        loss = (0.5 * A * (x - C) ** 2).sum()
        if not (name == "adam_late_parameter" and step < LATE_STEPS):
            loss = loss + ((w @ U - T) ** 2).sum()
        loss.backward()
        opt.step()
        xs.append(x.detach().clone())
        ws.append(w.detach().clone())
    return torch.stack(xs), torch.stack(ws)


def optimizers():
    tensors = {"problem.a": A, "problem.c": C, "problem.u": U, "problem.t": T,
               "problem.x0": torch.tensor(X0, dtype=torch.float64), "problem.w0": torch.tensor(W0, dtype=torch.float64)}
    for name, (make, steps) in OPTIMIZERS.items():
        # `<name>.x` is [steps, 3], `<name>.w` is [steps, 2, 2]: the parameters after each step.
        tensors[f"{name}.x"], tensors[f"{name}.w"] = trajectory(name, make, steps)
    return tensors


# ---------------------------------------------------------------- ReduceLROnPlateau (LearningRateScheduleTests)

def plateau():
    settings = {"factor": 0.5, "patience": 2, "threshold": 0.01, "cooldown": 1, "min_lr": 0.01}
    metrics = [1.0, 0.9, 0.895, 0.894, 0.93, 0.89, 0.8, 0.799, 0.81, 0.85, 0.79, 0.7, 0.75, 0.75, 0.75, 0.75,
               0.69, 0.6931, 0.7, 0.71, 0.72, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6,
               0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5]
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=1.0)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, mode="min", factor=settings["factor"], patience=settings["patience"], threshold=settings["threshold"],
        threshold_mode="rel", cooldown=settings["cooldown"], min_lr=settings["min_lr"])
    lrs = []
    for m in metrics:
        sched.step(m)
        lrs.append(opt.param_groups[0]["lr"])
    return {"settings": settings, "initial_lr": 1.0, "metrics": metrics, "learning_rates": lrs}


def write_json(name, value):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(value, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    write_json("module_keys.json", module_keys())
    save_file(layers(), os.path.join(HERE, "layers.safetensors"), metadata={"torch": torch.__version__})
    save_file(optimizers(), os.path.join(HERE, "optimizers.safetensors"),
              metadata={"torch": torch.__version__, "late_steps": str(LATE_STEPS)})
    write_json("plateau.json", plateau())
