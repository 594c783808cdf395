import Torch

/// Exponential moving average of a module's parameters: shadow ← decay·shadow + (1 − decay)·θ.
public final class EMA {
    public let decay: Double
    /// Shadow copies by parameter key.
    public private(set) var shadow: [String: Tensor]

    public init(_ module: Module, decay: Double = 0.999) throws {
        self.decay = decay
        var copies: [String: Tensor] = [:]
        for (key, p) in module.namedParameters() { copies[key] = try p.detached().cloned() }
        shadow = copies
    }

    /// Moves the shadow weights toward the module's current weights.
    public func update(from module: Module) throws {
        try withNoGrad {
            for (key, p) in module.namedParameters() {
                guard let s = shadow[key] else { throw ModuleError.incompatibleState("EMA has no shadow for parameter '\(key)'") }
                try s.lerp_(p, weight: 1 - decay)
            }
        }
    }

    /// Copies the shadow weights into `module` (e.g. a separate sampling copy).
    public func apply(to module: Module) throws {
        try withNoGrad {
            for (key, p) in module.namedParameters() {
                guard let s = shadow[key] else { throw ModuleError.incompatibleState("EMA has no shadow for parameter '\(key)'") }
                try p.copy_(s)
            }
        }
    }

    /// Replaces the shadow weights with saved ones (same keys and shapes required).
    public func load(_ saved: [String: Tensor]) throws {
        let missing = shadow.keys.filter { saved[$0] == nil }.sorted()
        let unexpected = saved.keys.filter { shadow[$0] == nil }.sorted()
        let mismatched = shadow.compactMap { key, s -> String? in
            guard let t = saved[key], t.shape != s.shape else { return nil }
            return "\(key): model \(s.shape), checkpoint \(t.shape)"
        }.sorted()
        guard missing.isEmpty, unexpected.isEmpty, mismatched.isEmpty else {
            throw ModuleError.stateDictMismatch(missing: missing, unexpected: unexpected, shapeMismatches: mismatched)
        }
        try withNoGrad { for (key, s) in shadow { try s.copy_(saved[key]!) } }
    }
}
