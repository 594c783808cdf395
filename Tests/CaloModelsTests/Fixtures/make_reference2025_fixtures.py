#!/usr/bin/env python3
"""Writes the fixtures for the newest CaloDiffusion repository's networks (github.com/OzAmram/CaloDiffusion,
package `calodiffusion/`, 2025-2026; spec/models.md §A.15) that Tests/CaloModelsTests compare against.
The Swift tests never run Python.

    git clone https://github.com/OzAmram/CaloDiffusion /tmp/CaloDiffusion   # commit 57816bb101e9023cb559cde5f4559cfa3f59c9c6
    PYTHONPATH=$(scripts/reference-python):/tmp/pylibs python3 \\
        Tests/CaloModelsTests/Fixtures/make_reference2025_fixtures.py --reference /tmp/CaloDiffusion \\
        --commit 57816bb101e9023cb559cde5f4559cfa3f59c9c6

Needs torch, numpy, safetensors and einops. Only `calodiffusion/models/models.py` (CondUnet) and the
configs are read from the checkout; the U-Net is built exactly as `CaloDiffusion.init_model` builds it,
under the key prefix `model.` that `CaloDiffusion.state_dict()` gives it. The dataset 1 configurations
also carry the GLaM maps (`NN_embed.…`, utils.NNConverter, unchanged from the paper repository): their
keys and shapes are taken from unet_keys.json (the paper fixture) rather than rebuilt here, which would
need the CaloChallenge binning files.

Outputs (next to this script):
  unet_keys_2025.json                     keys + shapes (in order) and parameter counts of ds1-photons-2025,
                                          ds1-pions-2025, ds2-2025, ds3-2025
  cpu-demo.newest-layout.safetensors      cpu-demo.weights.safetensors (paper layout) under the newest
                                          repository's keys (`model.cond_mlp.0/.2/.4`)
  cpu-demo.paper-layout.pth               the same paper-layout weights written by torch.save as a plain dict
  cpu-demo.ordered-dict.pth               the same weights as an OrderedDict inside {"model_state_dict": …}
  cpu-demo.non-tensor.pth                 {"model": <a custom Python object>}: must be refused
  layered-demo.weights.safetensors        a seeded CondUnet of the cpu-demo widths, layer-conditioned like
                                          ds2-2025 (47 energy inputs), under `model.` in the newest layout;
                                          GroupNorm affine parameters perturbed
  layered-demo.io.safetensors             batch-2 U-Net inputs `x` [2, 3, 45, 16, 9] (shower + R, Z channels),
                                          `noise_level` [2], `energy` [2, 47] and the CondUnet `output`
"""

import argparse
import ast
import collections
import importlib.util
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# Preset name -> reference config file. Keep in sync with CaloDiffusionConfig's *2025 presets.
PRESETS = {
    "ds1-photons-2025": "config_dataset1_photon.json",
    "ds1-pions-2025": "config_dataset1_pion.json",
    "ds2-2025": "config_dataset2.json",
    "ds3-2025": "config_dataset3.json",
}


def load_config(path):
    # The repository's configs are Python literals (single quotes, trailing commas), read by eval-like code.
    with open(path) as f:
        return ast.literal_eval(f.read())


def build_unet(models, config):
    """CondUnet exactly as calodiffusion/models/calodiffusion.py CaloDiffusion.init_model builds it."""
    in_channels = 3 if config.get("R_Z_INPUT", False) else 1
    if config.get("PHI_INPUT", False):
        in_channels += 1
    layered = "layer" in config.get("SHOWERMAP", "")
    cond_size = 2 + config["SHAPE_FINAL"][2] if layered else 1
    shape = [1, in_channels] + list(config["SHAPE_FINAL"][1:])
    return models.CondUnet(
        cond_dim=config["COND_SIZE_UNET"], out_dim=1, channels=in_channels, layer_sizes=config["LAYER_SIZE_UNET"],
        block_attn=config.get("BLOCK_ATTN", False), mid_attn=config.get("MID_ATTN", False),
        cylindrical=config.get("CYLINDRICAL", False), compress_Z=config.get("COMPRESS_Z", False),
        resnet_block_groups=config.get("BLOCK_GROUPS", 8), data_shape=shape,
        cond_embed=(config.get("COND_EMBED", "sin") == "sin"), cond_size=cond_size,
        time_embed=(config.get("TIME_EMBED", "sin") == "sin"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--commit", default="unknown")
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()

    import torch
    from safetensors.torch import load_file, save_file

    spec = importlib.util.spec_from_file_location("models2025", os.path.join(args.reference, "calodiffusion/models/models.py"))
    models = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(models)
    with open(os.path.join(HERE, "unet_keys.json")) as f:
        paper = json.load(f)["models"]

    keys = {"reference": {"repository": "OzAmram/CaloDiffusion", "commit": args.commit}, "models": {}}
    for name, config_file in PRESETS.items():
        config = load_config(os.path.join(args.reference, "calodiffusion/configs", config_file))
        torch.manual_seed(0)
        unet = build_unet(models, config)
        entries = []
        count = sum(p.numel() for p in unet.parameters())
        if "NN" in config.get("SHOWER_EMBED", ""):
            glam = [entry for entry in paper[name.removesuffix("-2025")]["keys"] if entry[0].startswith("NN_embed.")]
            entries += glam
            count += sum(int(torch.tensor(shape).prod()) for _, shape in glam)
        entries = [["model." + key, list(value.shape)] for key, value in unet.state_dict().items()] + entries
        keys["models"][name] = {"parameters": count, "keys": entries}
        print(f"{name}: {count} parameters, {len(entries)} keys")
    with open(os.path.join(args.out, "unet_keys_2025.json"), "w") as f:
        json.dump(keys, f, indent=1)
        f.write("\n")

    # Integrator fixtures from the cpu-demo paper-layout weights.
    state = load_file(os.path.join(HERE, "cpu-demo.weights.safetensors"))
    newest = {}
    for key, value in state.items():
        for old, new in (("model.cond_mlp.1.", "model.cond_mlp.0."), ("model.cond_mlp.3.", "model.cond_mlp.2."),
                         ("model.cond_mlp.5.", "model.cond_mlp.4.")):
            if key.startswith(old):
                key = new + key[len(old):]
        newest[key] = value
    save_file(newest, os.path.join(args.out, "cpu-demo.newest-layout.safetensors"))
    torch.save(dict(state), os.path.join(args.out, "cpu-demo.paper-layout.pth"))
    torch.save({"model_state_dict": collections.OrderedDict(state), "epoch": 3},
               os.path.join(args.out, "cpu-demo.ordered-dict.pth"))
    torch.save({"model": collections.Counter(a=1), "epoch": 3}, os.path.join(args.out, "cpu-demo.non-tensor.pth"))

    # Forward golden of a layer-conditioned U-Net (the energy input path of ds2-2025, at cpu-demo widths).
    config = load_config(os.path.join(args.reference, "calodiffusion/configs/config_dataset2.json"))
    config.update({"LAYER_SIZE_UNET": [8, 8, 8, 16], "COND_SIZE_UNET": 32})
    torch.manual_seed(21)
    unet = build_unet(models, config)
    with torch.no_grad():
        for module in unet.modules():
            if isinstance(module, torch.nn.GroupNorm):
                module.weight.add_(0.1 * torch.randn_like(module.weight))
                module.bias.add_(0.1 * torch.randn_like(module.bias))
    unet.eval()
    generator = torch.Generator().manual_seed(121)
    x = torch.randn([2, 3, 45, 16, 9], generator=generator)
    noise_level = torch.rand([2], generator=generator)
    energy = torch.rand([2, 47], generator=generator)
    with torch.no_grad():
        output = unet(x, cond=energy, time=noise_level)
    save_file({"model." + key: value.detach().contiguous() for key, value in unet.state_dict().items()},
              os.path.join(args.out, "layered-demo.weights.safetensors"))
    save_file({"x": x, "noise_level": noise_level, "energy": energy, "output": output.contiguous()},
              os.path.join(args.out, "layered-demo.io.safetensors"))
    print(f"layered-demo: output {list(output.shape)}, mean {output.mean():.6f}, std {output.std():.6f}")


if __name__ == "__main__":
    main()
