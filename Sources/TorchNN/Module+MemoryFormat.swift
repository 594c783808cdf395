import Torch

extension Module {
    /// Re-lays out every parameter and buffer of the format's rank in `memoryFormat`, in place
    /// (`nn.Module.to(memory_format=)`), and returns their dotted keys.
    ///
    /// `.channelsLast` converts the 4-D tensors (2-D convolution weights), `.channelsLast3d` the 5-D ones (3-D
    /// convolution weights), `.contiguous` both back to row-major; other tensors are left alone. Values, keys,
    /// `requiresGrad` and the tensors' identity (optimizer state, EMA) are kept, so a checkpoint saved afterwards
    /// is unchanged. A convolution with a channels-last weight returns a channels-last output on CPU.
    @discardableResult
    public func setMemoryFormat(_ memoryFormat: MemoryFormat) throws -> [String] {
        let ranks = memoryFormat.requiredRank.map { [$0] } ?? [4, 5]
        var converted: [String] = []
        for (key, tensor) in namedParameters() + namedBuffers() where ranks.contains(tensor.ndim) {
            try tensor.setMemoryFormat_(memoryFormat)
            converted.append(key)
        }
        return converted
    }
}
