import Torch
import TorchNN

/// The MLP that embeds the conditioning inputs of each shower (reference `time_mlp` / `cond_mlp` with
/// `TIME_EMBED = 'sigma'` or `'log'`, `COND_EMBED = 'id'`, spec/models.md §A.6, §A.15): `[batch, n]` →
/// Linear(n → h) → GELU → Linear(h → c/2) → GELU → Linear(c/2 → c/2) → `[batch, c/2]`, with c = conditionSize
/// and h = max(n, c/4) (`cond_hidden_size` of the newest repository's CondUnet; c/4 for one input).
/// n is 1 for the noise level and the paper's energy, N + 2 for the newest repository's layer-conditioned
/// energy input [c_E, totalE', layer'_1 … layer'_N].
/// Keys `1.…`, `3.…`, `5.…`: the paper's `nn.Sequential` starts with an `Unflatten` and has GELUs between
/// (the newest repository's `cond_mlp` has no `Unflatten`, so its keys `0/2/4` are renamed on import).
final class ScalarEmbedding: Module {
    let input: Linear
    let hidden: Linear
    let output: Linear
    /// n, the number of inputs per shower.
    let inputCount: Int

    override var keyOverrides: [String: String] { ["input": "1", "hidden": "3", "output": "5"] }

    init(conditionSize: Int, inputCount: Int = 1, generator: Generator) throws {
        self.inputCount = inputCount
        let hiddenWidth = max(inputCount, conditionSize / 4)
        input = try Linear(inputCount, hiddenWidth, generator: generator)
        hidden = try Linear(hiddenWidth, conditionSize / 2, generator: generator)
        output = try Linear(conditionSize / 2, conditionSize / 2, generator: generator)
        super.init()
    }

    /// `[batch]` (one input) or `[batch, n]` → `[batch, conditionSize / 2]`.
    func callAsFunction(_ scalar: Tensor) throws -> Tensor {
        let column = try scalar.reshaped([-1, inputCount])
        let h1 = try input(column).gelu()
        let h2 = try hidden(h1).gelu()
        return try output(h2)
    }
}
