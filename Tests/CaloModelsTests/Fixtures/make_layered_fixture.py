#!/usr/bin/env python3
"""Writes the fixtures of the newest CaloDiffusion repository's two-stage model (LayerDiffusion: layer model,
then the layer-conditioned U-Net; spec/models.md §A.15) that Tests/CaloModelsTests/Generators compares against.
The Swift tests never run Python.

    git clone https://github.com/OzAmram/CaloDiffusion /tmp/CaloDiffusion   # commit 57816bb101e9023cb559cde5f4559cfa3f59c9c6
    PYTHONPATH=$(scripts/reference-python):/tmp/pylibs python3 \\
        Tests/CaloModelsTests/Fixtures/make_layered_fixture.py --reference /tmp/CaloDiffusion

Needs torch, numpy, h5py, safetensors and einops; the reference package is imported with the stand-ins of
make_layerdiffusion_fixture.py. The model is `LayerDiffusion` with the dataset 2 config (SHOWERMAP
'layer-logit-norm', hybrid_weight, NOISE_SCHED 'log', TIME_EMBED 'log', DDim for both networks) at small widths:
the U-Net is layered-demo.weights.safetensors (make_reference2025_fixtures.py: LAYER_SIZE_UNET [8, 8, 8, 16],
COND_SIZE_UNET 32, 47 energy inputs), the layer model a seeded ResNet(dim_in = 46, num_layers = 5,
hidden_dim = 32, cond_emb_dim = 16).

Outputs (next to this script):
  layered-model.safetensors   the LayerDiffusion state dict as the reference saves it (`model.…`, the duplicate
                              `base_model.…` and `layer_model.…`), a file `caloforge import` reads
  layered-sampling.safetensors  the reference's generation of two showers from fixed starts:
                              `energies_mev` [2, 1] (E_inc, MeV), `layer_start` [2, 46] and `shape_start`
                              [2, 1, 45, 16, 9] (the two standard-normal draws of LayerDiffusion.sample, which
                              draws the U-Net's first), `layer_variables` [2, 46] (sample_layers: DDim over
                              LAYER_STEPS = NSTEPS = 400 levels), `x` [2, 1, 45, 16, 9] (the U-Net's DDim over
                              SHAPE_STEPS levels, sample_offset 0) and `showers_mev` [2, 6480] (ReverseNorm with
                              the config's ECUT, divided by SHOWERSCALE = 200 as inference.py writes them)
The energies are conditioned as load_data conditions them: c_E = log10(e/EMIN)/log10(EMAX/EMIN) with
e = SHOWERSCALE·E_inc, SHOWERSCALE defaulting to 200 (the configs set SHOWER_SCALE, which load_data does not read).
"""

import argparse
import ast
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE_STEPS = 10
SHOWER_SCALE = 200.0  # load_data's default for SHOWERSCALE


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()

    import numpy as np
    import torch
    from safetensors.torch import load_file, save_file

    sys.path.insert(0, HERE)
    from make_layerdiffusion_fixture import import_reference

    utils, models, layerdiffusion = import_reference(args.reference)
    with open(os.path.join(args.reference, "calodiffusion/configs/config_dataset2.json")) as f:
        config = ast.literal_eval(f.read())
    config.update({"LAYER_SIZE_UNET": [8, 8, 8, 16], "COND_SIZE_UNET": 32})
    assert "SHOWERSCALE" not in config and config["SHOWERMAP"] == "layer-logit-norm"

    model = layerdiffusion.LayerDiffusion(config, n_steps=config["NSTEPS"])
    assert type(model.sampler_algorithm).__name__ == "DDim" and type(model.layer_sampler).__name__ == "DDim"
    assert model.layer_steps == 400 and type(model.loss_function).__name__ == "hybrid_weight"
    assert model.loss_function.sigma_data == 1.0 and model.time_embed == "log"
    unet = {key.removeprefix("model."): value for key, value in load_file(os.path.join(HERE, "layered-demo.weights.safetensors")).items()}
    model.base_model.load_state_dict(unet, strict=True)
    torch.manual_seed(9)
    small = models.ResNet(dim_in=46, num_layers=5, hidden_dim=32, cond_emb_dim=16, cond_size=1)
    model.layer_model = small
    model.eval()
    state = {key: value.detach().clone().contiguous() for key, value in model.state_dict().items() if isinstance(value, torch.Tensor)}
    assert any(k.startswith("base_model.") for k in state) and any(k.startswith("layer_model.") for k in state)
    save_file(state, os.path.join(args.out, "layered-model.safetensors"))

    generator = torch.Generator().manual_seed(2025)
    energies = torch.tensor([[2_000.0], [150_000.0]], dtype=torch.float32)
    shape_start = torch.randn([2, 1, 45, 16, 9], generator=generator)
    layer_start = torch.randn([2, 46], generator=generator)
    starts = [shape_start.clone(), layer_start.clone()]

    def noise_generation(shape):
        start = starts.pop(0)
        assert list(start.shape) == list(shape), (start.shape, shape)
        return start

    model.noise_generation = noise_generation
    e = energies.numpy() * SHOWER_SCALE
    condition = torch.from_numpy(np.log10(e / config["EMIN"]) / np.log10(config["EMAX"] / config["EMIN"]))
    torch.manual_seed(0)  # DDim draws noise each step and multiplies it by eta = 0
    with torch.no_grad():
        out = model.sample(condition, layers=None, num_steps=SHAPE_STEPS, sample_offset=0, return_layers=True)
    assert not starts
    layers = out["layers"].detach().cpu().numpy()
    showers, energies_back = utils.ReverseNorm(
        out["x"].copy(), condition.numpy(), shape=config["SHAPE_FINAL"], config=config, emax=config["EMAX"],
        emin=config["EMIN"], layerE=layers.copy(), logE=config["logE"], binning_file="", max_deposit=config["MAXDEP"],
        showerMap=config["SHOWERMAP"], dataset_num=2, orig_shape=False, ecut=float(config["ECUT"]), hgcal=False)
    showers = showers.reshape(2, -1) / SHOWER_SCALE
    assert np.allclose(energies_back / SHOWER_SCALE, energies.numpy(), rtol=1e-5)
    golden = {
        "energies_mev": energies, "layer_start": layer_start, "shape_start": shape_start,
        "layer_variables": out["layers"].detach().contiguous(), "x": torch.from_numpy(np.ascontiguousarray(out["x"])),
        "showers_mev": torch.from_numpy(np.ascontiguousarray(showers)),
    }
    save_file(golden, os.path.join(args.out, "layered-sampling.safetensors"))
    print("layered-sampling: layer variables", layers.round(3).tolist()[0][:5], "... shower sums",
          showers.sum(1).tolist(), "nonzero", (showers > 0).sum(1).tolist())


if __name__ == "__main__":
    main()
