import CTorch

/// Element type of a tensor. Raw values are the shim's `CT_DTYPE_*` codes.
public enum DType: Int32, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case float32 = 0
    case float64 = 1
    case float16 = 2
    case bfloat16 = 3
    case int64 = 4
    case int32 = 5
    case bool = 6
    case uint8 = 7

    /// Bytes per element.
    public var elementSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16: return 2
        case .bool, .uint8: return 1
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float64, .float16, .bfloat16: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .float32: return "float32"
        case .float64: return "float64"
        case .float16: return "float16"
        case .bfloat16: return "bfloat16"
        case .int64: return "int64"
        case .int32: return "int32"
        case .bool: return "bool"
        case .uint8: return "uint8"
        }
    }
}

/// Swift scalar types that map one-to-one onto a tensor dtype, for copies in and out.
public protocol TensorScalar {
    static var dtype: DType { get }
}

extension Float: TensorScalar { public static var dtype: DType { .float32 } }
extension Double: TensorScalar { public static var dtype: DType { .float64 } }
extension Int64: TensorScalar { public static var dtype: DType { .int64 } }
extension Int32: TensorScalar { public static var dtype: DType { .int32 } }
extension UInt8: TensorScalar { public static var dtype: DType { .uint8 } }
extension Bool: TensorScalar { public static var dtype: DType { .bool } }
