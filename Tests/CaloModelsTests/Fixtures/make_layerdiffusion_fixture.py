#!/usr/bin/env python3
"""Writes the fixtures for the newest CaloDiffusion repository's layer-energy model (LayerDiffusion: the
residual MLP `ResNet` of calodiffusion/models/models.py and the 'layer-logit-norm' targets of
calodiffusion/utils/utils.py; spec/models.md §A.15) that Tests/CaloModelsTests/TwoStage compares against.
The Swift tests never run Python.

    git clone https://github.com/OzAmram/CaloDiffusion /tmp/CaloDiffusion   # commit 57816bb101e9023cb559cde5f4559cfa3f59c9c6
    PYTHONPATH=$(scripts/reference-python):/tmp/pylibs python3 \\
        Tests/CaloModelsTests/Fixtures/make_layerdiffusion_fixture.py --reference /tmp/CaloDiffusion \\
        --commit 57816bb101e9023cb559cde5f4559cfa3f59c9c6

Needs torch, numpy, h5py, safetensors and einops. The `calodiffusion` package is imported from the checkout;
the plotting packages it imports, and any other package it imports that is not installed (the script prints
them, e.g. HGCalShowers and joblib, which the layer model and its preprocessing never use), are replaced by
stand-in modules. XMLHandler is replaced by a stand-in whose
GetBinEdges gives `VOXELS_PER_LAYER` voxels per layer: the dataset 1 layer sums use only the bin edges, and the
targets depend only on the layer sums, so real binning files are not needed.

Outputs (next to this script):
  layerdiffusion_keys.json                 state-dict keys + shapes (in order) and parameter counts of
                                           ResNet(dim_in = N + 1, num_layers = 5, cond_size = 1) as
                                           LayerDiffusion.init_model builds it, for ds2 (N = 45), ds1 photons
                                           (N = 5) and ds1 pions (N = 7)
  layerdiffusion-demo.weights.safetensors  a seeded ResNet(dim_in = 6, num_layers = 5, hidden_dim = 32,
                                           cond_emb_dim = 16, cond_size = 1) state dict (reference keys)
  layerdiffusion-demo.io.safetensors       its inputs `x` [3, 6], `energy` [3, 1], `time` [3] and `output` [3, 6]
  layerdiffusion-ddim.safetensors          the reference sampling loop of the layer model (LayerDiffusion with
                                           the dataset 1 photon config: DDim, eta 0, hybrid_weight, sigma_data 1,
                                           TIME_EMBED 'log') over DDIM_STEPS = 5 cosine steps with the demo
                                           weights: `start` [3, 6] (the standard-normal draw), `energy` [3, 1],
                                           `states` [5, 3, 6] (x after each step, x/sqrt(abar) scaling),
                                           `denoised` [5, 3, 6] (D at each step) and `x` [3, 6]
  layerlogitnorm.golden.safetensors        per dataset (`ds2`, `ds1-photons`, `ds1-pions`, `ds3`):
                                           `<ds>.layer_energies` [B, N] and `<ds>.incident_energies` [B, 1] (MeV),
                                           `<ds>.variables` [B, N + 1] = preprocess_shower's layerE for them
                                           (float64; the dataset 1 inputs are float32, see golden_targets);
                                           `<ds>.inverse_variables` [B, N + 1] and `<ds>.inverse_layer_energies`
                                           [B, N] (float64) = the per-layer sums (MeV) of ReverseNormCaloChall's
                                           showers, which it rescales to the layer model's energies (the same
                                           incident energies, in float64)
"""

import argparse
import ast
import importlib
import importlib.abc
import importlib.machinery
import json
import os
import sys
import types
from unittest import mock

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
VOXELS_PER_LAYER = 2
# name -> (reference dataset_num, orig_shape, layers N, MAXDEP of the config)
DATASETS = {
    "ds2": (2, False, 45, 2.0),
    "ds1-photons": (1, True, 5, 3.1),
    "ds1-pions": (0, True, 7, 3.1),
    "ds3": (3, False, 45, 2.0),
}
SHAPES = {2: [-1, 1, 45, 16, 9], 3: [-1, 1, 45, 50, 18]}
DDIM_STEPS = 5


class StandInBinning:
    """XMLHandler stand-in: N layers of VOXELS_PER_LAYER voxels (only GetBinEdges is read)."""

    layers = 0

    def __init__(self, particle, filename):
        pass

    def GetBinEdges(self):
        return np.arange(StandInBinning.layers + 1) * VOXELS_PER_LAYER


class StandInModule(types.ModuleType):
    """A module none of whose attributes are used here (plotting, HGCal geometry, SDE noise)."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return mock.MagicMock(name=f"{self.__name__}.{name}")


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports as StandInModules the plotting packages (always) and, placed last on the meta path, any other
    package the reference imports that is not installed here (e.g. torchsde, HGCalShowers, joblib)."""

    def __init__(self, prefixes=None):
        self.prefixes = prefixes
        self.stood_in = []

    def find_spec(self, fullname, path, target=None):
        if fullname.startswith("calodiffusion.") and fullname != "calodiffusion.utils.plots":
            return None
        if self.prefixes is not None and fullname.split(".")[0] not in self.prefixes and fullname not in self.prefixes:
            return None
        self.stood_in.append(fullname)
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return StandInModule(spec.name)

    def exec_module(self, module):
        pass


def import_reference(reference):
    """The reference package from the checkout: (utils, models, layerdiffusion) modules."""
    sys.path.insert(0, reference)
    plotting = StandInFinder(("matplotlib", "mpl_toolkits", "mplhep", "scipy", "sklearn", "calodiffusion.utils.plots"))
    missing = StandInFinder()
    sys.meta_path.insert(0, plotting)
    sys.meta_path.append(missing)
    utils = importlib.import_module("calodiffusion.utils.utils")
    utils.XMLHandler = StandInBinning
    models = importlib.import_module("calodiffusion.models.models")
    layerdiffusion = importlib.import_module("calodiffusion.models.layerdiffusion")
    print("stand-ins for packages not installed:", sorted({name.split(".")[0] for name in missing.stood_in}))
    return utils, models, layerdiffusion


def golden_targets(utils, name, rng):
    dataset_num, orig_shape, n, maxdep = DATASETS[name]
    StandInBinning.layers = n
    batch = 4
    per_layer = VOXELS_PER_LAYER if orig_shape else int(np.prod(SHAPES[dataset_num][3:]))
    incident = rng.uniform(1_000.0, 100_000.0, size=(batch, 1))
    # Voxel energies with a spread of layer fractions: whole empty layers, a shower of one layer, an empty shower.
    showers = rng.exponential(1.0, size=(batch, n, per_layer)) * rng.exponential(1.0, size=(batch, n, 1)) ** 3
    showers[0, : n // 3] = 0
    showers[1, 1:] = 0
    showers[3] = 0
    showers *= (rng.uniform(0.2, 0.8, size=(batch, 1)) * maxdep * incident / np.maximum(showers.sum((1, 2)), 1e-300)[:, None])[:, :, None]
    # Dataset 1 sums its layers into a float32 array, so its fractions carry float32 rounding (a one-layer
    # shower's fraction is not exactly 1, and logit is steep there): its inputs are float32, as DataLoader's are.
    dtype = np.float32 if orig_shape else np.float64
    showers, incident = showers.astype(dtype), incident.astype(dtype)
    layer_energies = showers.sum(2)
    shape = SHAPES.get(dataset_num)
    flat = showers.reshape(batch, -1) if orig_shape else showers.reshape(shape)
    _, variables = utils.preprocess_shower(
        flat.copy(), incident.copy(), shape, "", "layer-logit-norm", dataset_num=dataset_num,
        orig_shape=orig_shape, ecut=0, max_deposit=maxdep)

    # Inverse: ReverseNormCaloChall rescales every layer of the shape model's shower to the layer model's
    # energy (when both exceed 1e-6 in MAXDEP·E_inc units); its per-layer sums are the inverse. Voxels are
    # chosen so each voxel is about 0.12 (normalised), far above the 1e-10 it adds to the layer sums.
    c = utils.constants.dataset_params[dataset_num + (10 if orig_shape and dataset_num <= 1 else 0)]
    total = rng.uniform(0.2, 0.8, size=(batch, 1))
    inverse_variables = np.concatenate(
        [(total - c["totalE_mean"]) / c["totalE_std"], rng.uniform(-0.8, 1.2, size=(batch, n))], axis=1)
    incident = incident.astype(np.float64)
    voxel = (-2.0 - c["logit_mean"]) / c["logit_std"]
    voxels = np.full((batch, n * per_layer) if orig_shape else [batch] + shape[1:], voxel)
    data, _ = utils.ReverseNormCaloChall(
        voxels, incident.copy(), emax=1.0, emin=0.0, shape=shape, binning_file="", max_deposit=maxdep,
        logE=False, layerE=inverse_variables.copy(), showerMap="layer-logit-norm", dataset_num=dataset_num,
        orig_shape=orig_shape, ecut=0.0)
    inverse = data.reshape(batch, n, per_layer).sum(2)
    assert (inverse / (maxdep * incident) > 1e-5).all(), "a target layer fell below the rescaling threshold"
    assert np.allclose(inverse.sum(1, keepdims=True), total * maxdep * incident, rtol=1e-8), "a layer was not rescaled"
    prefix = name + "."
    return {prefix + "layer_energies": layer_energies, prefix + "incident_energies": incident.astype(dtype),
            prefix + "variables": np.asarray(variables, dtype=np.float64),
            prefix + "inverse_variables": inverse_variables, prefix + "inverse_layer_energies": inverse}


def ddim_golden(layerdiffusion, models, reference, state, steps):
    """The layer model's sampler run as LayerDiffusion.sample_layers runs it (LAYER_SAMPLER 'DDim', eta 0), on the
    dataset 1 photon configuration (N = 5) with the small ResNet's weights in place of the default-width one."""
    import torch

    with open(os.path.join(reference, "calodiffusion/configs/config_dataset1_photon.json")) as f:
        config = ast.literal_eval(f.read())
    # SHOWER_EMBED 'orig-NN' makes the shape model read the binning file for its GLaM maps; the layer model
    # does not use them.
    config["SHOWER_EMBED"] = ""
    model = layerdiffusion.LayerDiffusion(config, n_steps=config["NSTEPS"])
    assert type(model.layer_sampler).__name__ == "DDim" and model.layer_steps == config["NSTEPS"] == 400
    assert type(model.loss_function).__name__ == "hybrid_weight" and model.loss_function.sigma_data == 1.0
    assert model.time_embed == "log"
    small = models.ResNet(dim_in=6, num_layers=5, hidden_dim=32, cond_emb_dim=16, cond_size=1)
    small.load_state_dict(state)
    model.layer_model = small.eval()
    model.set_layer_state(True)
    generator = torch.Generator().manual_seed(77)
    start = torch.randn([3, 6], generator=generator)
    energy = torch.rand([3, 1], generator=generator)
    torch.manual_seed(0)  # DDim draws noise every step and multiplies it by eta = 0
    x, xs, x0s = model.layer_sampler(model, start, energy, None, steps, 0, False)
    return {"start": start, "energy": energy, "states": torch.stack(xs), "denoised": torch.stack(x0s),
            "x": x.contiguous()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--commit", default="unknown")
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()

    import torch
    from safetensors.numpy import save_file as save_numpy
    from safetensors.torch import save_file

    utils, models, layerdiffusion = import_reference(args.reference)

    # Keys and parameter counts exactly as LayerDiffusion.init_model builds the layer model.
    keys = {"reference": {"repository": "OzAmram/CaloDiffusion", "commit": args.commit}, "models": {}}
    for name, (_, _, n, _) in list(DATASETS.items())[:3]:
        torch.manual_seed(0)
        network = models.ResNet(dim_in=n + 1, num_layers=5, cond_size=1)
        count = sum(p.numel() for p in network.parameters())
        entries = [[key, list(value.shape)] for key, value in network.state_dict().items()]
        keys["models"][name] = {"parameters": count, "keys": entries}
        print(f"{name}: {count} parameters, {len(entries)} keys")
    with open(os.path.join(args.out, "layerdiffusion_keys.json"), "w") as f:
        json.dump(keys, f, indent=1)
        f.write("\n")

    # Forward golden of a small ResNet.
    torch.manual_seed(5)
    network = models.ResNet(dim_in=6, num_layers=5, hidden_dim=32, cond_emb_dim=16, cond_size=1).eval()
    generator = torch.Generator().manual_seed(55)
    x = torch.randn([3, 6], generator=generator)
    energy = torch.rand([3, 1], generator=generator)
    time = 0.5 * torch.log(torch.tensor([0.002, 0.7, 80.0]))  # TIME_EMBED 'log': 0.5 ln(sigma)
    with torch.no_grad():
        output = network(x, cond=energy, time=time)
    save_file({key: value.contiguous() for key, value in network.state_dict().items()},
              os.path.join(args.out, "layerdiffusion-demo.weights.safetensors"))
    save_file({"x": x, "energy": energy, "time": time, "output": output.contiguous()},
              os.path.join(args.out, "layerdiffusion-demo.io.safetensors"))
    print(f"layerdiffusion-demo: output {list(output.shape)}, mean {output.mean():.6f}, std {output.std():.6f}")
    ddim = ddim_golden(layerdiffusion, models, args.reference, network.state_dict(), steps=DDIM_STEPS)
    save_file(ddim, os.path.join(args.out, "layerdiffusion-ddim.safetensors"))
    print(f"layerdiffusion-ddim: {DDIM_STEPS} steps, x {ddim['x'].tolist()}")

    # Golden layer-logit-norm targets and their inverse.
    rng = np.random.default_rng(2026)
    golden = {}
    for name in DATASETS:
        golden.update(golden_targets(utils, name, rng))
    save_numpy({key: np.ascontiguousarray(value) for key, value in golden.items()},
               os.path.join(args.out, "layerlogitnorm.golden.safetensors"))
    print("layerlogitnorm: " + ", ".join(f"{k} {list(v.shape)}" for k, v in golden.items() if k.endswith("variables")))


if __name__ == "__main__":
    main()
