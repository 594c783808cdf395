import Torch
import TorchNN

/// The scalar MLP of the newest CaloDiffusion's layer model (reference `ResNet.time_mlp` / `cond_mlp`,
/// spec/models.md §A.15): `[B, n]` → Linear(n → c/4) → GELU → Linear(c/4 → c/2) → GELU → Linear(c/2 → c/2)
/// → `[B, c/2]`, c = conditionSize. Unlike the U-Net's ``ScalarEmbedding`` the hidden width is c/4 for any n.
/// Keys: `1.…`, `3.…`, `5.…` for the time MLP (its `nn.Sequential` starts with an `Unflatten`), `0.…`, `2.…`,
/// `4.…` for the condition MLP (`firstKey` 1 or 0).
final class LayerDiffusionEmbedding: Module {
    let input: Linear
    let hidden: Linear
    let output: Linear
    /// n, the number of inputs per sample.
    let inputCount: Int
    /// The `nn.Sequential` index of the first Linear.
    let firstKey: Int

    override var keyOverrides: [String: String] {
        ["input": String(firstKey), "hidden": String(firstKey + 2), "output": String(firstKey + 4)]
    }

    init(conditionSize: Int, inputCount: Int, firstKey: Int, generator: Generator) throws {
        self.inputCount = inputCount
        self.firstKey = firstKey
        input = try Linear(inputCount, conditionSize / 4, generator: generator)
        hidden = try Linear(conditionSize / 4, conditionSize / 2, generator: generator)
        output = try Linear(conditionSize / 2, conditionSize / 2, generator: generator)
        super.init()
    }

    /// `[B, n]` → `[B, conditionSize / 2]`.
    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let h1 = try input(x).gelu()
        let h2 = try hidden(h1).gelu()
        return try output(h2)
    }
}
