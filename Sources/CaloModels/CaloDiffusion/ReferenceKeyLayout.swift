import Torch

/// The state-dict key layout of a CaloDiffusion reference checkpoint, with its renaming table onto
/// CaloForge's keys (STYLE.md §5: one table per source). CaloForge's keys are the paper repository's.
///
/// - ``paper``: github.com/OzAmram/CaloDiffusionPaper (`CaloDiffu`); early checkpoints call the U-Net
///   `noise_predictor` (renamed to `model` as `CaloDiffu.load_state_dict` does).
/// - ``newest``: github.com/OzAmram/CaloDiffusion (`calodiffusion.models.CaloDiffusion`, 2025–2026). Its
///   `CondUnet` builds `cond_mlp` without the leading `nn.Unflatten` of the paper (`COND_EMBED = 'id'` takes
///   the `[B, n]` energy input as it is), so the three linear layers are `cond_mlp.0/.2/.4` instead of
///   `.1/.3/.5`; `time_mlp` keeps its `Unflatten` and its `.1/.3/.5` keys.
public struct ReferenceKeyLayout: Sendable, Equatable {
    /// `paper` or `newest`.
    public let name: String
    /// Prefix renamings applied in order, first match wins.
    let renames: [Rename]

    struct Rename: Sendable, Equatable {
        let from: String
        let to: String
    }

    /// The paper repository's layout.
    public static let paper = ReferenceKeyLayout(name: "paper", renames: [Rename(from: "noise_predictor.", to: "model.")])
    /// The newest repository's layout.
    public static let newest = ReferenceKeyLayout(
        name: "newest",
        renames: [
            Rename(from: "model.cond_mlp.0.", to: "model.cond_mlp.1."),
            Rename(from: "model.cond_mlp.2.", to: "model.cond_mlp.3."),
            Rename(from: "model.cond_mlp.4.", to: "model.cond_mlp.5."),
        ])

    /// The layout whose keys `keys` use: ``newest`` when any key starts with `model.cond_mlp.0.`, else ``paper``.
    public static func detect(_ keys: some Sequence<String>) -> ReferenceKeyLayout {
        keys.contains { $0.hasPrefix("model.cond_mlp.0.") } ? .newest : .paper
    }

    /// `key` under CaloForge's name.
    public func renamed(_ key: String) -> String {
        guard let rule = renames.first(where: { key.hasPrefix($0.from) }) else { return key }
        return rule.to + key.dropFirst(rule.from.count)
    }

    /// Every tensor under CaloForge's name.
    public func renaming(_ tensors: [String: Tensor]) -> [String: Tensor] {
        Dictionary(tensors.map { (renamed($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
