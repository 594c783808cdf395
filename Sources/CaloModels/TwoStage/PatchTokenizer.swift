import CaloData
import Torch
import TorchNN

/// Cuts a flat shower `[B, V]` into tokens and back. On a regular geometry (ds2, ds3) a token is a
/// non-overlapping patch of (layers, angular bins, radial bins) = ``patch`` (CaloDREAM's (3, 16, 1) for
/// ds2, spec/models.md §D; (1, α, r) makes one token per layer); on ds1, whose layers differ, a token is
/// one layer. Tokens of equal size share one linear embedding (size → width) and one linear read-out
/// (width → size); the read-outs start at zero.
final class PatchTokenizer: Module {
    /// Token groups of equal size: the embedding and read-out of each.
    let embeddings: [Linear]
    let readouts: [Linear]
    /// With ``init(geometry:patch:width:skips:generator:)``'s `skips`: per group Linear(size → size) on the
    /// token's own input patch and its gate Linear(width → size), zero at the start.
    let skips: [Linear]
    let gates: [Linear]
    /// Index tensors (kept out of the parameters and the state dict: they follow from the geometry).
    struct Indices {
        /// Per group: the flat voxel indices of its tokens, token after token.
        var groups: [Tensor]
        /// Inverse of the concatenated group indices: gathered order → flat order.
        var inverseOrder: Tensor
        /// The relevant-layer index of every token's layers, `[T · layersPerToken]` (token order).
        var tokenLayers: Tensor
        /// Whether the tokens are one group that takes the voxels in flat order (one token per layer of a
        /// regular geometry): then cutting and reassembling are reshapes, no gathers.
        var inFlatOrder: Bool
    }
    let indices: Indices
    let groupTokenCounts: [Int]
    let groupSizes: [Int]
    let layersPerToken: Int
    public let tokenCount: Int

    /// Tokens for `geometry`: patches of `patch` (layers, angular, radial) on a regular geometry (each must
    /// divide the grid), one token per relevant layer otherwise (`patch` must then be nil).
    init(geometry: Geometry, patch: [Int]?, width: Int, skips withSkips: Bool = false, generator: Generator) throws {
        var tokens: [(voxels: [Int], layers: [Int])] = []
        if let patch {
            guard let grid = geometry.regularShape else {
                throw ModelError.invalidConfig("geometry \(geometry.name) has layers of different binnings, so it cannot be cut into patches; use patch null (one token per layer)")
            }
            let dims = [grid.layers, grid.angular, grid.radial]
            guard patch.count == 3, zip(patch, dims).allSatisfy({ $0 >= 1 && $1 % $0 == 0 }) else {
                throw ModelError.invalidConfig("patch \(patch) must be 3 sizes dividing the grid \(dims) (layers, angular, radial) of \(geometry.name)")
            }
            for z in stride(from: 0, to: grid.layers, by: patch[0]) {
                for a in stride(from: 0, to: grid.angular, by: patch[1]) {
                    for r in stride(from: 0, to: grid.radial, by: patch[2]) {
                        var voxels: [Int] = []
                        for dz in 0..<patch[0] { for da in 0..<patch[1] { for dr in 0..<patch[2] {
                            voxels.append(geometry.flatIndex(layer: z + dz, angular: a + da, radial: r + dr))
                        } } }
                        tokens.append((voxels, Array(z..<(z + patch[0]))))
                    }
                }
            }
        } else {
            let offsets = geometry.offsets
            for (index, position) in geometry.relevantLayerPositions.enumerated() {
                tokens.append((Array(offsets[position]..<offsets[position + 1]), [index]))
            }
        }
        let sizes = Array(Set(tokens.map(\.voxels.count))).sorted()
        var embeddings: [Linear] = [], readouts: [Linear] = [], skips: [Linear] = [], gates: [Linear] = []
        var indices: [Tensor] = [], counts: [Int] = []
        var gathered: [Int] = [], layers: [Int] = []
        for size in sizes {
            let group = tokens.filter { $0.voxels.count == size }
            embeddings.append(try Linear(size, width, generator: generator))
            let readout = try Linear(width, size, generator: generator)
            try zeroInitialise(readout)
            readouts.append(readout)
            if withSkips {
                skips.append(try Linear(size, size, generator: generator))
                let gate = try Linear(width, size, generator: generator)
                try zeroInitialise(gate)
                gates.append(gate)
            }
            let flat = group.flatMap(\.voxels)
            indices.append(try Tensor(flat.map(Int64.init)))
            counts.append(group.count)
            gathered += flat
            layers += group.flatMap(\.layers)
        }
        var inverse = [Int64](repeating: 0, count: gathered.count)
        for (position, voxel) in gathered.enumerated() { inverse[voxel] = Int64(position) }
        self.embeddings = embeddings
        self.readouts = readouts
        self.skips = skips
        self.gates = gates
        self.indices = Indices(
            groups: indices, inverseOrder: try Tensor(inverse), tokenLayers: try Tensor(layers.map(Int64.init)),
            inFlatOrder: sizes.count == 1 && gathered == Array(0..<gathered.count))
        groupTokenCounts = counts
        groupSizes = sizes
        layersPerToken = patch?[0] ?? 1
        tokenCount = tokens.count
        super.init()
    }

    /// `[B, V]` → the patches of every token group, `[B, n_g, P_g]`.
    func patches(_ x: Tensor) throws -> [Tensor] {
        let batch = x.dim(0)
        if indices.inFlatOrder { return [try x.reshaped([batch, groupTokenCounts[0], groupSizes[0]])] }
        return try zip(indices.groups, zip(groupTokenCounts, groupSizes)).map { index, shape in
            try x.indexSelect(dim: 1, index: index.to(device: x.device)).reshaped([batch, shape.0, shape.1])
        }
    }

    /// The patches of every token group `[B, n_g, P_g]` → `[B, V]`.
    func assemble(_ parts: [Tensor]) throws -> Tensor {
        let batch = parts[0].dim(0)
        let flat = try parts.map { try $0.reshaped([batch, -1]) }
        if indices.inFlatOrder { return flat[0] }
        let gathered = flat.count == 1 ? flat[0] : try Tensor.cat(flat, dim: 1)
        return try gathered.indexSelect(dim: 1, index: indices.inverseOrder.to(device: gathered.device))
    }

    /// `[B, V]` → `[B, T, width]`.
    func embed(_ x: Tensor) throws -> Tensor {
        let parts = try zip(embeddings, try patches(x)).map { embedding, patch in try embedding(patch) }
        return parts.count == 1 ? parts[0] : try Tensor.cat(parts, dim: 1)
    }

    /// `[B, T, width]` → `[B, V]`; with skips, each token's read-out adds skip(its input patch) ⊙ gate(its
    /// state), a path of full rank in the voxels (the read-out alone spans only `width` directions per token).
    func readout(_ h: Tensor, input x: Tensor? = nil) throws -> Tensor {
        var start = 0
        var parts: [Tensor] = []
        let inputs = try x.map { try patches($0) }
        for (group, (readout, count)) in zip(readouts, groupTokenCounts).enumerated() {
            let state = try h.narrowed(dim: 1, start: start, length: count)
            var part = try readout(state)
            if let inputs, group < skips.count {
                part = try part + skips[group](inputs[group]) * gates[group](state)
            }
            parts.append(part)
            start += count
        }
        return try assemble(parts)
    }

    /// Per-layer values `[B, N]` → the values of every token's layers, `[B, T, layersPerToken]`.
    func tokenValues(_ perLayer: Tensor) throws -> Tensor {
        try perLayer.indexSelect(dim: 1, index: indices.tokenLayers.to(device: perLayer.device)).reshaped([perLayer.dim(0), tokenCount, layersPerToken])
    }
}
