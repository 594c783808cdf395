import Testing
import Torch

@testable import CaloModels

@Suite struct ReferenceKeyLayoutTests {
    /// The newest repository's `cond_mlp` has no leading Unflatten: its linear layers 0/2/4 are ours 1/3/5;
    /// `time_mlp` and everything else keep their names.
    @Test func newestLayoutRenamesOnlyTheEnergyMLP() {
        let layout = ReferenceKeyLayout.newest
        #expect(layout.renamed("model.cond_mlp.0.weight") == "model.cond_mlp.1.weight")
        #expect(layout.renamed("model.cond_mlp.2.bias") == "model.cond_mlp.3.bias")
        #expect(layout.renamed("model.cond_mlp.4.weight") == "model.cond_mlp.5.weight")
        #expect(layout.renamed("model.time_mlp.1.weight") == "model.time_mlp.1.weight")
        #expect(layout.renamed("NN_embed.encs.0.weight") == "NN_embed.encs.0.weight")
    }

    /// Early paper checkpoints call the U-Net `noise_predictor` (CaloDiffu.load_state_dict renames it).
    @Test func paperLayoutRenamesNoisePredictor() throws {
        #expect(ReferenceKeyLayout.paper.renamed("noise_predictor.init_conv.conv.bias") == "model.init_conv.conv.bias")
        #expect(ReferenceKeyLayout.paper.renamed("model.cond_mlp.1.weight") == "model.cond_mlp.1.weight")
        let t = try Tensor.zeros([1])
        let renamed = ReferenceKeyLayout.paper.renaming(["noise_predictor.init_conv.conv.bias": t, "NN_embed.encs.0.weight": t])
        #expect(Set(renamed.keys) == ["model.init_conv.conv.bias", "NN_embed.encs.0.weight"])
    }

    @Test func detectsTheLayoutFromTheEnergyMLPKeys() {
        #expect(ReferenceKeyLayout.detect(["model.cond_mlp.0.weight", "model.time_mlp.1.weight"]) == .newest)
        #expect(ReferenceKeyLayout.detect(["model.cond_mlp.1.weight", "model.time_mlp.1.weight"]) == .paper)
        #expect(ReferenceKeyLayout.detect(["noise_predictor.cond_mlp.1.weight"]) == .paper)
    }
}
