import Foundation
import Torch

/// Errors of the `TorchNN` module.
public enum ModuleError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A state dict did not match the module; every problem is listed at once.
    case stateDictMismatch(missing: [String], unexpected: [String], shapeMismatches: [String])
    /// Saved optimizer or schedule state does not fit the object it is loaded into.
    case incompatibleState(String)

    public var description: String {
        switch self {
        case let .stateDictMismatch(missing, unexpected, shapes):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing keys: " + missing.joined(separator: ", ")) }
            if !unexpected.isEmpty { parts.append("unexpected keys: " + unexpected.joined(separator: ", ")) }
            if !shapes.isEmpty { parts.append("shape mismatches: " + shapes.joined(separator: "; ")) }
            return "state dict does not match the model (" + parts.joined(separator: "; ")
                + "); check that the checkpoint was made for this model and configuration"
        case let .incompatibleState(message):
            return message
        }
    }

    public var errorDescription: String? { description }
}

/// Marks a tensor property of a ``Module`` as a buffer: saved in the state dict but not a parameter.
@propertyWrapper
public struct Buffer {
    public var wrappedValue: Tensor
    /// Non-persistent buffers are not written to or expected in state dicts.
    public let persistent: Bool

    public init(wrappedValue: Tensor, persistent: Bool = true) {
        self.wrappedValue = wrappedValue
        self.persistent = persistent
    }
}

/// A layer or network. Parameters, buffers and child modules are found by reflection over
/// stored properties: a `Tensor` (or non-nil `Tensor?`) property is a parameter, `@Buffer` marks a
/// buffer, and `Module` properties or arrays of modules are children. Keys are dotted paths equal
/// to PyTorch `state_dict` names (`blocks.0.conv.weight`); ``keyOverrides`` renames a property, and
/// an empty override puts an array's children directly under the parent (as `nn.Sequential`).
open class Module {
    public private(set) var isTraining = true

    public init() {}

    /// Swift property name → state-dict key, for names that differ from the reference code.
    open var keyOverrides: [String: String] { [:] }

    enum Item {
        case parameter(Tensor)
        case buffer(Tensor, persistent: Bool)
        case module(Module)
    }

    /// Direct items in declaration order (superclass properties first).
    func items() -> [(key: String, item: Item)] {
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let current = mirror {
            mirrors.append(current)
            mirror = current.superclassMirror
        }
        let overrides = keyOverrides
        var result: [(String, Item)] = []
        for mirror in mirrors.reversed() {
            for child in mirror.children {
                guard var label = child.label else { continue }
                if label.hasPrefix("_") { label.removeFirst() }
                let key = overrides[label] ?? label
                collect(child.value, key: key, into: &result)
            }
        }
        return result
    }

    private func collect(_ value: Any, key: String, into result: inout [(String, Item)]) {
        func join(_ suffix: String) -> String { key.isEmpty ? suffix : "\(key).\(suffix)" }
        if let tensor = value as? Tensor {
            result.append((key, .parameter(tensor)))
        } else if let buffer = value as? Buffer {
            result.append((key, .buffer(buffer.wrappedValue, persistent: buffer.persistent)))
        } else if let module = value as? Module {
            result.append((key, .module(module)))
        } else if Mirror(reflecting: value).displayStyle == .collection {
            for (index, element) in Mirror(reflecting: value).children.enumerated() {
                collect(element.value, key: join(String(index)), into: &result)
            }
        }
    }

    /// Every parameter with its dotted key, depth first in declaration order.
    public func namedParameters() -> [(key: String, tensor: Tensor)] {
        var result: [(String, Tensor)] = []
        walk(prefix: "") { key, item in
            if case .parameter(let t) = item { result.append((key, t)) }
        }
        return result
    }

    /// Every persistent buffer with its dotted key.
    public func namedBuffers() -> [(key: String, tensor: Tensor)] {
        var result: [(String, Tensor)] = []
        walk(prefix: "") { key, item in
            if case .buffer(let t, true) = item { result.append((key, t)) }
        }
        return result
    }

    /// Every submodule (including self, under the key "").
    public func namedModules() -> [(key: String, module: Module)] {
        var result: [(String, Module)] = [("", self)]
        walk(prefix: "") { key, item in
            if case .module(let m) = item { result.append((key, m)) }
        }
        return result
    }

    private func walk(prefix: String, _ visit: (String, Item) -> Void) {
        for (key, item) in items() {
            let full = prefix.isEmpty ? key : (key.isEmpty ? prefix : "\(prefix).\(key)")
            visit(full, item)
            if case .module(let child) = item { child.walk(prefix: full, visit) }
        }
    }

    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// Total number of parameter elements.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.elementCount } }

    /// Parameters and persistent buffers by key (the PyTorch `state_dict`).
    public func stateDict() -> [String: Tensor] {
        var dict: [String: Tensor] = [:]
        for (k, t) in namedParameters() { dict[k] = t }
        for (k, t) in namedBuffers() { dict[k] = t }
        return dict
    }

    /// Copies values from `stateDict` into the parameters and buffers in place (converting dtype
    /// and device). Strict loading reports every missing, unexpected and mis-shaped key at once.
    public func load(stateDict: [String: Tensor], strict: Bool = true) throws {
        let own = self.stateDict()
        let missing = own.keys.filter { stateDict[$0] == nil }.sorted()
        let unexpected = stateDict.keys.filter { own[$0] == nil }.sorted()
        var mismatched: [String] = []
        for (key, target) in own {
            if let source = stateDict[key], source.shape != target.shape {
                mismatched.append("\(key): model \(target.shape), checkpoint \(source.shape)")
            }
        }
        mismatched.sort()
        if !mismatched.isEmpty || (strict && (!missing.isEmpty || !unexpected.isEmpty)) {
            throw ModuleError.stateDictMismatch(missing: strict ? missing : [], unexpected: strict ? unexpected : [], shapeMismatches: mismatched)
        }
        try withNoGrad {
            for (key, target) in own {
                if let source = stateDict[key] { try target.copy_(source) }
            }
        }
    }

    /// Sets training mode on this module and every submodule.
    public func train(_ isTraining: Bool = true) {
        for (_, module) in namedModules() { module.isTraining = isTraining }
    }

    /// Sets evaluation mode (dropout off) on this module and every submodule.
    public func eval() { train(false) }
}

/// A module that maps one tensor to one tensor, so it can sit in a ``Sequential``.
public protocol UnaryLayer: Module {
    func callAsFunction(_ x: Tensor) throws -> Tensor
}
