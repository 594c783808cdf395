#!/usr/bin/env python3
"""Writes the CaloDiffusion U-Net fixtures that Tests/CaloModelsTests compare against (our own code;
the Swift tests never run Python).

    PYTHONPATH=.deps/reference:.deps/python:/tmp/pyextra python3 \\
        Tests/CaloModelsTests/Fixtures/make_unet_fixtures.py \\
        --reference /tmp/CaloDiffusionPaper --calochallenge /tmp/calochallenge/code \\
        --commit dba664026eb8135e321d706434afde8e7560f502

--reference     a checkout of github.com/OzAmram/CaloDiffusionPaper (its scripts/ and configs/)
--calochallenge the `code/` folder of github.com/CaloChallenge/homepage (XMLHandler.py and the
                binning_dataset_1_*.xml files; the paper repo has it as a git submodule)
--commit        the reference commit, recorded in unet_keys.json

Needs torch, numpy, pyyaml, safetensors and einops (the reference imports einops.rearrange;
`pip install --target /tmp/pyextra einops`). The reference code is imported from the given folders
at run time; none of it is copied here. Modules the reference imports only for plotting, quantile
transforms or model summaries (matplotlib, sklearn, joblib, torchinfo) are replaced by empty
stand-ins, so torchinfo's summary, which draws random inputs, never touches the seeded generator.

Outputs (next to this script):
  unet_keys.json                the reference `CaloDiffu.state_dict()` keys and shapes (in order) and
                                parameter counts for ds1-photons, ds1-pions, ds2, ds3 and cpu-demo
  <name>.weights.safetensors    the seeded random state dict of the reference model (float32), as the
                                three-line .pth -> safetensors snippet of docs/import.md writes it;
                                GroupNorm affine parameters are perturbed so the test sees them
  <name>.io.safetensors         batch-2 inputs `x`, `noise_level`, `energy` and the reference output
                                `output` of `CaloDiffu.pred(x, energy, noise_level)`
for <name> in cpu-demo, ds2, ds1-photons.
"""

import argparse
import contextlib
import copy
import importlib.util
import io
import json
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))

# Preset name -> (reference config file, binning XML for GLaM or None, particle, overrides).
# cpu-demo is the ds2 paper configuration with narrower U-Net levels; keep it in sync with
# CaloDiffusionConfig.cpuDemo.
PRESETS = {
    "ds1-photons": ("config_dataset1_photon.json", "binning_dataset_1_photons.xml", "photon", {}),
    "ds1-pions": ("config_dataset1_pion.json", "binning_dataset_1_pions.xml", "pion", {}),
    "ds2": ("config_dataset2.json", None, None, {}),
    "ds3": ("config_dataset3.json", None, None, {}),
    "cpu-demo": ("config_dataset2.json", None, None, {"LAYER_SIZE_UNET": [8, 8, 8, 16], "COND_SIZE_UNET": 32}),
}
GOLDEN = {"cpu-demo": 11, "ds2": 12, "ds1-photons": 13}  # name -> seed
BATCH = 2


def stub(name, **attributes):
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    sys.modules[name] = module
    return module


def import_reference(reference, calochallenge):
    for name in ["matplotlib", "matplotlib.pyplot", "matplotlib.gridspec", "sklearn", "joblib"]:
        stub(name)
    stub("matplotlib.ticker", ScalarFormatter=object)
    stub("sklearn.preprocessing", QuantileTransformer=object)
    stub("torchinfo", summary=lambda *args, **kwargs: None)
    # utils.py does `from CaloChallenge.code.XMLHandler import *` (the submodule of the paper repo).
    stub("CaloChallenge")
    stub("CaloChallenge.code")
    spec = importlib.util.spec_from_file_location("CaloChallenge.code.XMLHandler", os.path.join(calochallenge, "XMLHandler.py"))
    handler = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(handler)
    sys.modules["CaloChallenge.code.XMLHandler"] = handler
    sys.path.insert(0, os.path.join(reference, "scripts"))
    import utils  # noqa: E402  (reference code)
    import CaloDiffu  # noqa: E402  (reference code)
    return utils, CaloDiffu.CaloDiffu, handler.XMLHandler


def build(name, reference, calochallenge, modules):
    """The reference model exactly as train_diffu.py builds it for this configuration."""
    utils, CaloDiffu, XMLHandler = modules
    config_file, xml, particle, overrides = PRESETS[name]
    config = utils.LoadJson(os.path.join(reference, "configs", config_file))
    config.update(copy.deepcopy(overrides))
    shower_embed = config.get("SHOWER_EMBED", "")
    orig_shape = "orig" in shower_embed
    nn_embed = None
    if "NN" in shower_embed:
        nn_embed = utils.NNConverter(bins=XMLHandler(particle, os.path.join(calochallenge, xml)))
    shape = config["SHAPE_PAD"][1:] if not orig_shape else config["SHAPE_ORIG"][1:]
    with contextlib.redirect_stdout(io.StringIO()):
        model = CaloDiffu(shape, config=config, training_obj=config.get("TRAINING_OBJ", "noise_pred"),
                          NN_embed=nn_embed, nsteps=config["NSTEPS"])
    return model, shape


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--calochallenge", required=True)
    parser.add_argument("--commit", default="unknown")
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()

    modules = import_reference(args.reference, args.calochallenge)
    import torch
    from safetensors.torch import save_file

    keys = {"reference": {"repository": "OzAmram/CaloDiffusionPaper", "commit": args.commit}, "models": {}}
    for name in PRESETS:
        torch.manual_seed(0)
        model, _ = build(name, args.reference, args.calochallenge, modules)
        state = model.state_dict()
        keys["models"][name] = {
            "parameters": sum(p.numel() for p in model.parameters()),
            "keys": [[key, list(value.shape)] for key, value in state.items()],
        }
        print(f"{name}: {keys['models'][name]['parameters']} parameters, {len(state)} keys")
    with open(os.path.join(args.out, "unet_keys.json"), "w") as f:
        json.dump(keys, f, indent=1)
        f.write("\n")

    for name, seed in GOLDEN.items():
        torch.manual_seed(seed)
        model, shape = build(name, args.reference, args.calochallenge, modules)
        with torch.no_grad():
            # Default GroupNorm affine parameters are 1 and 0; perturb them so that a swapped or
            # ignored norm parameter changes the output.
            for module in model.modules():
                if isinstance(module, torch.nn.GroupNorm):
                    module.weight.add_(0.1 * torch.randn_like(module.weight))
                    module.bias.add_(0.1 * torch.randn_like(module.bias))
        model.eval()
        generator = torch.Generator().manual_seed(seed + 100)
        x = torch.randn([BATCH] + list(shape), generator=generator)
        noise_level = torch.rand([BATCH], generator=generator)
        energy = torch.rand([BATCH], generator=generator)
        with torch.no_grad():
            output = model.pred(x, energy, noise_level)
        state = {key: value.detach().contiguous() for key, value in model.state_dict().items()}
        save_file(state, os.path.join(args.out, f"{name}.weights.safetensors"))
        save_file({"x": x, "noise_level": noise_level, "energy": energy, "output": output.contiguous()},
                  os.path.join(args.out, f"{name}.io.safetensors"))
        print(f"{name}: output {list(output.shape)}, mean {output.mean():.6f}, std {output.std():.6f}")


if __name__ == "__main__":
    main()
