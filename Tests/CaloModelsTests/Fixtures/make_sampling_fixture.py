#!/usr/bin/env python3
"""Writes ddpm-sampling.safetensors: a DDPM sampling run of the reference CaloDiffusion code
(CaloDiffu.Sample, sample_algo='ddpm') that Tests/CaloModelsTests compare against (our own code;
the Swift tests never run Python).

    PYTHONPATH=.deps/reference:.deps/python:/tmp/pyextra python3 \\
        Tests/CaloModelsTests/Fixtures/make_sampling_fixture.py \\
        --reference /tmp/CaloDiffusionPaper --calochallenge /tmp/calochallenge/code

Same requirements and reference checkout as make_unet_fixtures.py. The model is the cpu-demo
preset with the seeded random weights of cpu-demo.weights.safetensors (regenerated here and checked
against that file), its diffusion shortened to NSTEPS = 40 so the test stays fast, sampled with the
paper's sample_offset = 2. The reference draws x_T = torch.randn(shape) and then one torch.randn per
step from the global CPU generator seeded with SEED; CaloForge's Generator is the same ATen CPU
generator, so the Swift test redraws the identical noise from the same seed (it also checks x_T).

Output tensors: `energy` [B] (the network's condition value), `x_start` [B, 1, 45, 16, 9] and
`output` [B, 1, 45, 16, 9], the sample in diffusion space (before inverse preprocessing).

It also writes ddpm-sampling-cli.safetensors for the command-line golden test (caloforgeTests
ImportSampleEndToEndTests): the same model and sampler run in float64 (CaloForge's sampler state is
float64, so its noise draws are float64 ones) at incident energies given in MeV, followed by the
reference's own inverse preprocessing (utils.ReverseNorm, ecut 0.0151 MeV). Tensors: `energies_mev`
[B] (float32, as a CaloChallenge file stores them) and `showers_mev` [B, 6480] (float64).
"""

import argparse
import contextlib
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_unet_fixtures as fixtures  # noqa: E402  (our own script)

NSTEPS = 40
OFFSET = 2
SEED = 21
BATCH = 2


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--calochallenge", required=True)
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()

    modules = fixtures.import_reference(args.reference, args.calochallenge)
    import torch
    from safetensors.torch import load_file, save_file

    fixtures.PRESETS["cpu-demo-short"] = fixtures.PRESETS["cpu-demo"][:3] + (
        dict(fixtures.PRESETS["cpu-demo"][3], NSTEPS=NSTEPS),)
    model, shape = fixtures.build("cpu-demo-short", args.reference, args.calochallenge, modules)
    weights = load_file(os.path.join(HERE, "cpu-demo.weights.safetensors"))
    model.load_state_dict(weights)  # the state dict holds only U-Net weights; the schedule is NSTEPS = 40
    for key, value in model.state_dict().items():
        if key in weights:
            assert torch.equal(value, weights[key]), key
    model.eval()

    energy = torch.tensor([0.3, 0.8])
    torch.manual_seed(SEED)
    x_start = torch.randn([BATCH] + list(shape))
    torch.manual_seed(SEED)
    with contextlib.redirect_stdout(io.StringIO()):
        output = model.Sample(energy, num_steps=NSTEPS, sample_algo="ddpm", sample_offset=OFFSET)
    output = torch.as_tensor(output)
    save_file({"energy": energy, "x_start": x_start.contiguous(), "output": output.contiguous()},
              os.path.join(args.out, "ddpm-sampling.safetensors"))
    print(f"ddpm sampling: output {list(output.shape)}, mean {output.mean():.6f}, std {output.std():.6f}")
    write_cli_fixture(args, weights, modules)


def write_cli_fixture(args, weights, modules):
    """The float64 run in MeV that `caloforge import` + `caloforge sample --seed 21` must reproduce."""
    import numpy as np
    import torch
    from safetensors.torch import save_file

    utils = modules[0]
    out = args.out
    energies_mev = torch.tensor([7943.282, 251188.64], dtype=torch.float32)
    # Built under float64 defaults so that the schedule tensors CaloDiffu makes at construction are float64 too.
    torch.set_default_dtype(torch.float64)
    model, _ = fixtures.build("cpu-demo-short", args.reference, args.calochallenge, modules)
    model.load_state_dict({key: value.double() for key, value in weights.items()})
    model.double().eval()
    gev = energies_mev.double() / 1000.0
    condition = torch.log10(gev / 1.0) / np.log10(1000.0 / 1.0)  # ds2: logE with E_min 1, E_max 1000 GeV
    torch.manual_seed(SEED)
    with contextlib.redirect_stdout(io.StringIO()):
        output = torch.as_tensor(model.Sample(condition, num_steps=NSTEPS, sample_algo="ddpm", sample_offset=OFFSET))
        showers, _ = utils.ReverseNorm(output.numpy(), condition.numpy(), output.shape, emax=1000.0, emin=1.0,
                                       max_deposit=2, logE=True, showerMap="logit-norm", dataset_num=2,
                                       ecut=0.0151 / 1000.0)
    torch.set_default_dtype(torch.float32)
    showers_mev = torch.as_tensor(showers * 1000.0, dtype=torch.float64).reshape(len(energies_mev), -1)
    save_file({"energies_mev": energies_mev, "showers_mev": showers_mev.contiguous()},
              os.path.join(out, "ddpm-sampling-cli.safetensors"))
    print(f"cli golden: showers {list(showers_mev.shape)}, sum {showers_mev.sum(dim=1).tolist()} MeV")


if __name__ == "__main__":
    main()
