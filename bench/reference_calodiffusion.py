#!/usr/bin/env python3
"""Times the reference CaloDiffusion U-Net (github.com/OzAmram/CaloDiffusionPaper, run from a local
checkout that is never copied into this repository) at the same shapes as `caloforge bench sample`:
random weights, fp32, no gradients, the same batch sizes and thread count.

    export PYTHONPATH=$(scripts/reference-python):/tmp/pyextra     # torch + einops
    python3 bench/reference_calodiffusion.py --reference /path/CaloDiffusionPaper \\
        --calochallenge /path/CaloChallenge-homepage/code --config ds2 --batch-sizes 1,100 --threads 2

It builds the model with the same code as Tests/CaloModelsTests/Fixtures/make_unet_fixtures.py.
"""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "CaloModelsTests", "Fixtures"))
import make_unet_fixtures as fixtures  # noqa: E402  (our own script)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--calochallenge", required=True)
    parser.add_argument("--config", default="ds2", choices=sorted(fixtures.PRESETS))
    parser.add_argument("--batch-sizes", default="1,100")
    parser.add_argument("--evaluations", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    modules = fixtures.import_reference(args.reference, args.calochallenge)
    model, shape = fixtures.build(args.config, args.reference, args.calochallenge, modules)
    model = model.to(args.device).eval()
    rows = []
    with torch.no_grad():
        for batch in [int(b) for b in args.batch_sizes.split(",")]:
            x = torch.randn([batch] + list(shape), device=args.device)
            level = torch.full([batch], 0.5, device=args.device)
            energy = torch.full([batch], 0.3, device=args.device)
            for _ in range(args.warmup):
                model.pred(x, energy, level)
            if args.device.startswith("cuda"):
                torch.cuda.synchronize()
            start = time.perf_counter()
            for _ in range(args.evaluations):
                model.pred(x, energy, level)
            if args.device.startswith("cuda"):
                torch.cuda.synchronize()
            ms = (time.perf_counter() - start) / args.evaluations * 1e3
            rows.append({"batch": batch, "millisecondsPerEvaluation": ms})
    print(json.dumps({"config": args.config, "threads": torch.get_num_threads(), "device": args.device,
                      "torch": torch.__version__, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
