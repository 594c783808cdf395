#!/usr/bin/env python3
"""Writes golden.json: forward values from the reference PyTorch for the gradient-check cases of
FunctionalTests, TensorLinearAlgebraTests and TensorReductionTests (same names, same inputs).

Inputs are rebuilt with the SplitMix64 generator and the domains of Support/GradientCheck.swift,
so no LibTorch generator is involved. Run once, from the package root, with the reference torch:

    PYTHONPATH=.deps/reference:.deps/python python3 Tests/TorchTests/Fixtures/make_golden.py

and commit the result. The tests only read golden.json; they never run this script.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

MASK64 = (1 << 64) - 1


def unit_values(count, seed):
    state, out = seed, []
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z = z ^ (z >> 31)
        out.append((z >> 11) * 2.0 ** -53)
    return out


def uniform(lo, hi):
    return ("uniform", lo, hi)


GENERAL = uniform(-1.5, 1.5)
POSITIVE = uniform(0.5, 2.0)
AWAY = ("away",)


def sample(domain, count, seed):
    if domain[0] == "uniform":
        lo, hi = domain[1], domain[2]
        return [lo + (hi - lo) * u for u in unit_values(count, seed)]
    if domain[0] == "away":
        u = unit_values(2 * count, seed)
        return [(-1.0 if u[2 * i] < 0.5 else 1.0) * (0.2 + 1.3 * u[2 * i + 1]) for i in range(count)]
    raise ValueError(domain)


def inp(shape, domain=GENERAL):
    return (list(shape), domain)


def make_inputs(specs):
    tensors = []
    for i, (shape, domain) in enumerate(specs):
        count = math.prod(shape)
        tensors.append(torch.tensor(sample(domain, count, i + 1), dtype=torch.float64).reshape(shape))
    return tensors


def t(values, shape=None):
    x = torch.tensor(values, dtype=torch.float64)
    return x.reshape(shape) if shape is not None else x


def idx(values, shape=None):
    x = torch.tensor(values, dtype=torch.int64)
    return x.reshape(shape) if shape is not None else x


CASES = {}


def case(name, specs):
    def register(fn):
        CASES[name] = (specs, fn)
        return fn
    return register


def conv(name, x, weight, bias, stride=1, padding=0, dilation=1, groups=1):
    specs = [inp(x), inp(weight)] + ([inp([bias])] if bias else [])
    fn = {3: F.conv1d, 4: F.conv2d, 5: F.conv3d}[len(weight)]
    CASES[name] = (specs, lambda a: fn(a[0], a[1], a[2] if len(a) > 2 else None, stride, padding, dilation, groups))


def tconv(name, x, weight, bias, stride=1, padding=0, output_padding=0, dilation=1, groups=1):
    specs = [inp(x), inp(weight)] + ([inp([bias])] if bias else [])
    fn = {3: F.conv_transpose1d, 4: F.conv_transpose2d, 5: F.conv_transpose3d}[len(weight)]
    CASES[name] = (specs, lambda a: fn(a[0], a[1], a[2] if len(a) > 2 else None, stride, padding, output_padding, groups, dilation))


ATTENTION_MASK = [True, False, True, True, False, True, True, True, False, False, False, True, True, False, True]

# ---- FunctionalTests -----------------------------------------------------------------------------

CASES["linear with bias"] = ([inp([2, 3]), inp([4, 3]), inp([4])], lambda a: F.linear(a[0], a[1], a[2]))
CASES["linear without bias, batched"] = ([inp([2, 2, 3]), inp([2, 3])], lambda a: F.linear(a[0], a[1]))
conv("conv1d stride 2, padding 1, dilation 2, groups 2", [2, 2, 7], [4, 1, 3], 4, stride=2, padding=1, dilation=2, groups=2)
conv("conv2d stride [2, 1], padding [1, 0], dilation [1, 2]", [1, 2, 5, 5], [2, 2, 3, 3], 2, stride=(2, 1), padding=(1, 0), dilation=(1, 2))
conv("conv2d groups 2, no bias", [1, 2, 4, 4], [4, 1, 2, 2], None, padding=1, groups=2)
conv("conv3d stride 2, padding 1, groups 2", [1, 2, 4, 4, 4], [2, 1, 2, 2, 2], 2, stride=2, padding=1, groups=2)
conv("conv3d dilation 2", [1, 1, 5, 4, 4], [2, 1, 2, 2, 2], None, dilation=(2, 1, 2))
tconv("transposedConv1d stride 2, padding 1, outputPadding 1", [1, 2, 4], [2, 3, 3], 3, stride=2, padding=1, output_padding=1)
tconv("transposedConv1d dilation 2, groups 2", [1, 2, 3], [2, 2, 2], None, dilation=2, groups=2)
tconv("transposedConv2d stride 2, groups 2", [1, 4, 3, 3], [4, 1, 2, 2], 2, stride=2, groups=2)
tconv("transposedConv2d padding [1, 0]", [1, 1, 3, 3], [1, 2, 3, 2], 2, padding=(1, 0))
tconv("transposedConv3d stride 2", [1, 2, 2, 2, 2], [2, 2, 2, 2, 2], 2, stride=2)
CASES["groupNorm(groups: 2) with affine"] = ([inp([2, 4, 3]), inp([4]), inp([4])], lambda a: F.group_norm(a[0], 2, a[1], a[2]))
CASES["groupNorm(groups: 1) 2-d"] = ([inp([1, 2, 2, 3])], lambda a: F.group_norm(a[0], 1))
CASES["layerNorm [4] with affine"] = ([inp([2, 3, 4]), inp([4]), inp([4])], lambda a: F.layer_norm(a[0], [4], a[1], a[2]))
CASES["layerNorm [3, 4] eps 0.1"] = ([inp([2, 3, 4])], lambda a: F.layer_norm(a[0], [3, 4], eps=0.1))
CASES["batchNorm training"] = ([inp([4, 2, 3]), inp([2]), inp([2])], lambda a: F.batch_norm(a[0], None, None, a[1], a[2], training=True))
CASES["softmax(dim: 1)"] = ([inp([2, 4])], lambda a: a[0].softmax(1))
CASES["softmax(dim: 0)"] = ([inp([3, 2])], lambda a: a[0].softmax(0))
CASES["logSoftmax(dim: -1)"] = ([inp([2, 4])], lambda a: a[0].log_softmax(-1))
CASES["avgPool 1-d kernel 2 stride 1"] = ([inp([1, 2, 5])], lambda a: F.avg_pool1d(a[0], 2, 1))
CASES["avgPool 2-d kernel 2, padding 1"] = ([inp([1, 1, 4, 4])], lambda a: F.avg_pool2d(a[0], 2, padding=1))
CASES["avgPool 3-d kernel 2"] = ([inp([1, 1, 4, 2, 2])], lambda a: F.avg_pool3d(a[0], 2))
CASES["maxPool 1-d kernel 3 stride 1"] = ([inp([1, 2, 5])], lambda a: F.max_pool1d(a[0], 3, 1))
CASES["maxPool 2-d kernel 2"] = ([inp([1, 2, 4, 4])], lambda a: F.max_pool2d(a[0], 2))
CASES["maxPool 3-d kernel 2, padding 1"] = ([inp([1, 1, 3, 2, 2])], lambda a: F.max_pool3d(a[0], 2, padding=1))
CASES["adaptiveAvgPool 2-d to [2, 2]"] = ([inp([1, 1, 3, 5])], lambda a: F.adaptive_avg_pool2d(a[0], [2, 2]))
CASES["upsampleNearest 1-d to 7"] = ([inp([1, 2, 3])], lambda a: F.interpolate(a[0], size=[7], mode="nearest"))
CASES["upsampleNearest 2-d to [4, 6]"] = ([inp([1, 1, 2, 3])], lambda a: F.interpolate(a[0], size=[4, 6], mode="nearest"))
CASES["upsampleNearest 3-d to [2, 4, 4]"] = ([inp([1, 1, 1, 2, 2])], lambda a: F.interpolate(a[0], size=[2, 4, 4], mode="nearest"))
CASES["embedding w.r.t. weight"] = ([inp([4, 3])], lambda a: F.embedding(idx([0, 2, 2, 3, 1, 2], [2, 3]), a[0]))
CASES["scaledDotProductAttention"] = (
    [inp([1, 2, 3, 4]), inp([1, 2, 5, 4]), inp([1, 2, 5, 3])], lambda a: F.scaled_dot_product_attention(a[0], a[1], a[2]))
CASES["scaledDotProductAttention causal"] = (
    [inp([2, 3, 4]), inp([2, 3, 4]), inp([2, 3, 2])], lambda a: F.scaled_dot_product_attention(a[0], a[1], a[2], is_causal=True))
CASES["scaledDotProductAttention mask and scale"] = (
    [inp([1, 3, 4]), inp([1, 5, 4]), inp([1, 5, 2])],
    lambda a: F.scaled_dot_product_attention(a[0], a[1], a[2], attn_mask=torch.tensor(ATTENTION_MASK).reshape(3, 5), scale=0.7))
CASES["mseLoss mean"] = ([inp([2, 3]), inp([2, 3])], lambda a: F.mse_loss(a[0], a[1]))
CASES["mseLoss sum"] = ([inp([2, 3]), inp([2, 3])], lambda a: F.mse_loss(a[0], a[1], reduction="sum"))
CASES["mseLoss none"] = ([inp([2, 3]), inp([2, 3])], lambda a: F.mse_loss(a[0], a[1], reduction="none"))
CASES["l1Loss mean"] = ([inp([2, 3], AWAY), inp([2, 3], uniform(-0.1, 0.1))], lambda a: F.l1_loss(a[0], a[1]))
CASES["l1Loss none"] = ([inp([2, 3], AWAY), inp([2, 3], uniform(-0.1, 0.1))], lambda a: F.l1_loss(a[0], a[1], reduction="none"))
CASES["binaryCrossEntropyWithLogits w.r.t. logits and target"] = (
    [inp([2, 3], uniform(-3, 3)), inp([2, 3], uniform(0, 1))], lambda a: F.binary_cross_entropy_with_logits(a[0], a[1]))
CASES["binaryCrossEntropyWithLogits weight, positiveWeight, sum"] = (
    [inp([2, 3], uniform(-3, 3))],
    lambda a: F.binary_cross_entropy_with_logits(
        a[0], t([0, 1, 1, 0, 0.3, 1], [2, 3]), weight=t([0.5, 2, 1]), pos_weight=t([3, 0.5, 1]), reduction="sum"))

# ---- TensorLinearAlgebraTests --------------------------------------------------------------------


def separated_symmetric(x):
    return torch.eye(4, dtype=torch.float64) * t([1, 2, 3, 4]) + (x + x.T) * 0.05


CASES["matmul [2, 3]·[3, 4]"] = ([inp([2, 3]), inp([3, 4])], lambda a: a[0] @ a[1])
CASES["matmul batched·matrix"] = ([inp([2, 2, 3]), inp([3, 2])], lambda a: a[0] @ a[1])
CASES["matmul matrix·vector"] = ([inp([2, 3]), inp([3])], lambda a: a[0] @ a[1])
CASES["bmm"] = ([inp([2, 2, 3]), inp([2, 3, 2])], lambda a: torch.bmm(a[0], a[1]))
CASES["einsum bij,bjk->bik"] = ([inp([2, 2, 3]), inp([2, 3, 2])], lambda a: torch.einsum("bij,bjk->bik", a[0], a[1]))
CASES["einsum ij,ij->i"] = ([inp([2, 3]), inp([2, 3])], lambda a: torch.einsum("ij,ij->i", a[0], a[1]))
CASES["einsum ii-> (trace)"] = ([inp([3, 3])], lambda a: torch.einsum("ii->", a[0]))
CASES["cdist p = 2"] = ([inp([3, 2]), inp([4, 2])], lambda a: torch.cdist(a[0], a[1]))
CASES["cdist p = 1"] = ([inp([3, 2]), inp([2, 2])], lambda a: torch.cdist(a[0], a[1], p=1))
CASES["eigh eigenvalues"] = ([inp([4, 4])], lambda a: torch.linalg.eigh(separated_symmetric(a[0])).eigenvalues)

# ---- TensorReductionTests ------------------------------------------------------------------------

CASES["sum()"] = ([inp([2, 3])], lambda a: a[0].sum())
CASES["sum(dims: [1], keepDim: true)"] = ([inp([2, 3])], lambda a: a[0].sum(1, keepdim=True))
CASES["mean()"] = ([inp([2, 3])], lambda a: a[0].mean())
CASES["mean(dims: [0])"] = ([inp([2, 3])], lambda a: a[0].mean(0))
CASES["variance()"] = ([inp([2, 3])], lambda a: a[0].var())
CASES["variance(dims: [1], correction: 0)"] = ([inp([2, 4])], lambda a: a[0].var(1, correction=0))
CASES["standardDeviation()"] = ([inp([2, 3])], lambda a: a[0].std())
CASES["standardDeviation(dims: [0], correction: 0, keepDim: true)"] = (
    [inp([3, 2])], lambda a: a[0].std(0, correction=0, keepdim=True))
CASES["amin()"] = ([inp([2, 3])], lambda a: a[0].amin())
CASES["amin(dims: [1])"] = ([inp([2, 3])], lambda a: a[0].amin(1))
CASES["amax(dims: [0])"] = ([inp([2, 3])], lambda a: a[0].amax(0))
CASES["logsumexp()"] = ([inp([2, 3])], lambda a: a[0].logsumexp((0, 1)))
CASES["logsumexp(dims: [1])"] = ([inp([2, 3])], lambda a: a[0].logsumexp(1))
CASES["norm()"] = ([inp([2, 3])], lambda a: torch.linalg.vector_norm(a[0]))
CASES["norm(p: 1, dims: [1])"] = ([inp([2, 3], AWAY)], lambda a: torch.linalg.vector_norm(a[0], 1, dim=1))
CASES["norm(p: 3, dims: [0])"] = ([inp([2, 3], AWAY)], lambda a: torch.linalg.vector_norm(a[0], 3, dim=0))
CASES["cumsum(dim: 1)"] = ([inp([2, 3])], lambda a: a[0].cumsum(1))
CASES["cumprod(dim: 1)"] = ([inp([2, 4], AWAY)], lambda a: a[0].cumprod(1))
CASES["topk(2).values"] = ([inp([2, 4])], lambda a: a[0].topk(2).values)
CASES["topk(2, dim: 0, largest: false).values"] = ([inp([3, 2])], lambda a: a[0].topk(2, dim=0, largest=False).values)
CASES["sorted().values"] = ([inp([2, 4])], lambda a: a[0].sort().values)
CASES["sorted(dim: 0, descending: true).values"] = ([inp([3, 2])], lambda a: a[0].sort(dim=0, descending=True).values)
CASES["min(dim: 1).values"] = ([inp([2, 3])], lambda a: a[0].min(1).values)
CASES["max(dim: 0, keepDim: true).values"] = ([inp([2, 3])], lambda a: a[0].max(0, keepdim=True).values)
CASES["quantile([0.25, 0.5, 0.9])"] = ([inp([7])], lambda a: torch.quantile(a[0], t([0.25, 0.5, 0.9])))


def main():
    golden = {"torch": torch.__version__, "cases": {}}
    for name, (specs, fn) in CASES.items():
        with torch.no_grad():
            y = fn(make_inputs(specs))
        golden["cases"][name] = {"shape": list(y.shape), "values": y.reshape(-1).tolist()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
    # One case a line, so a regenerated file diffs readably.
    lines = [f'  {json.dumps(name)}: {json.dumps(value)}' for name, value in sorted(golden["cases"].items())]
    with open(path, "w") as f:
        f.write('{"torch": %s, "cases": {\n' % json.dumps(golden["torch"]))
        f.write(",\n".join(lines))
        f.write("\n}}\n")
    print(f"wrote {len(CASES)} cases to {path}")


if __name__ == "__main__":
    main()
