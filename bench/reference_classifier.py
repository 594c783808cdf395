#!/usr/bin/env python3
"""The official classifier networks timed as `caloforge bench classifier` times ours (developer tool).

One warm-up, then --steps timed Adam steps (forward, BCE-with-logits, backward, update) and
evaluation-mode batches of --batch random rows, medians reported, and the epoch / 50-epoch
projections for 10 000 and 100 000 events per file (1.2·N training and 0.4·N test events).

Run (torch CPU on the path; --homepage is a CaloChallenge/homepage checkout for resnet.py):
  PYTHONPATH=$(scripts/reference-python) python3 bench/reference_classifier.py --homepage DIR \\
      --metric cls-resnet --dtype float64 --threads 2
"""
import argparse
import math
import os
import statistics
import sys
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--homepage", required=True)
parser.add_argument("--metric", default="cls-resnet", choices=["cls-resnet", "cls-low"])
parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
parser.add_argument("--batch", type=int, default=1000)
parser.add_argument("--steps", type=int, default=3)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()
sys.path.insert(0, os.path.join(args.homepage, "code"))
from resnet import generate_model  # noqa: E402

torch.set_num_threads(args.threads)
dtype = getattr(torch, args.dtype)
torch.set_default_dtype(dtype)
torch.manual_seed(1)
width = 6481
if args.metric == "cls-resnet":
    network = generate_model(18, img_shape=(45, 16, 9))
else:
    layers = [torch.nn.Linear(width, 2048), torch.nn.LeakyReLU(), torch.nn.Dropout(0.0)]
    for _ in range(2):
        layers += [torch.nn.Linear(2048, 2048), torch.nn.LeakyReLU(), torch.nn.Dropout(0.0)]
    network = torch.nn.Sequential(*layers, torch.nn.Linear(2048, 1))
optimizer = torch.optim.Adam(network.parameters(), lr=2e-4)
x = torch.rand(args.batch, width) * 0.01
y = torch.randint(0, 2, (args.batch, 1)).to(dtype)


def median(work):
    work()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def step():
    loss = torch.nn.BCEWithLogitsLoss()(network(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


network.train()
train = median(step)
network.eval()
with torch.no_grad():
    evaluation = median(lambda: torch.sigmoid(network(x)))
parameters = sum(p.numel() for p in network.parameters() if p.requires_grad)
print(f"reference {args.metric} on ds2: torch {torch.__version__}, {args.dtype}, {parameters} trainable parameters, "
      f"{torch.get_num_threads()} threads")
print(f"  training step (batch {args.batch}): {train:.2f} s;  evaluation batch: {evaluation:.2f} s")
for events in (10_000, 100_000):
    epoch = math.ceil(2 * events * 3 / 5 / args.batch) * train + math.ceil(2 * events / 5 / args.batch) * evaluation
    fmt = lambda s: f"{s:.0f} s" if s < 120 else (f"{s / 60:.1f} min" if s < 7200 else f"{s / 3600:.1f} h")
    print(f"  {events} events per file: one epoch {fmt(epoch)}, 50 epochs {fmt(50 * epoch)}")
