import Torch
import TorchNN

/// The MLP that embeds one conditioning scalar per shower (reference `time_mlp` / `cond_mlp` with
/// `TIME_EMBED = 'sigma'`, `COND_EMBED = 'id'`, spec/models.md §A.6): `[batch]` →
/// Linear(1 → c/4) → GELU → Linear(c/4 → c/2) → GELU → Linear(c/2 → c/2) → `[batch, c/2]`, c = conditionSize.
/// Keys `1.…`, `3.…`, `5.…`: the reference `nn.Sequential` starts with an `Unflatten` and has GELUs between.
final class ScalarEmbedding: Module {
    let input: Linear
    let hidden: Linear
    let output: Linear

    override var keyOverrides: [String: String] { ["input": "1", "hidden": "3", "output": "5"] }

    init(conditionSize: Int, generator: Generator) throws {
        input = try Linear(1, conditionSize / 4, generator: generator)
        hidden = try Linear(conditionSize / 4, conditionSize / 2, generator: generator)
        output = try Linear(conditionSize / 2, conditionSize / 2, generator: generator)
        super.init()
    }

    /// `[batch]` → `[batch, conditionSize / 2]`.
    func callAsFunction(_ scalar: Tensor) throws -> Tensor {
        let column = try scalar.reshaped([-1, 1])
        let h1 = try input(column).gelu()
        let h2 = try hidden(h1).gelu()
        return try output(h2)
    }
}
