import Foundation

/// An sRGB colour with components in 0…1.
public struct Color: Sendable, Equatable, Hashable {
    /// Red component, 0…1.
    public var red: Double
    /// Green component, 0…1.
    public var green: Double
    /// Blue component, 0…1.
    public var blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from a 24-bit value, e.g. `Color(hex: 0xD55E00)`.
    public init(hex: UInt32) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255)
    }

    /// `#rrggbb`.
    public var hexString: String {
        func byte(_ component: Double) -> Int { Int((Swift.min(Swift.max(component, 0), 1) * 255).rounded()) }
        return String(format: "#%02x%02x%02x", byte(red), byte(green), byte(blue))
    }

    /// Relative luminance (sRGB weights), used to pick black or white text on a cell.
    var luminance: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

    /// Linear interpolation towards `other` (t = 0 gives self).
    func mixed(with other: Color, _ t: Double) -> Color {
        Color(
            red: red + (other.red - red) * t, green: green + (other.green - green) * t,
            blue: blue + (other.blue - blue) * t)
    }

    /// Black: axes and text.
    public static let black = Color(hex: 0x000000)
    /// White: background and empty voxels.
    public static let white = Color(hex: 0xFFFFFF)
    /// Fill of the reference (Geant4) histogram.
    public static let referenceFill = Color(hex: 0xD9D9D9)
    /// Outline and markers of the reference.
    public static let referenceEdge = Color(hex: 0x404040)
    /// Cells with no value (NaN).
    public static let missing = Color(hex: 0xE6E6E6)

    /// Colours for model series, in order (Okabe–Ito, safe for colour-blind readers; yellow left out
    /// because it is unreadable on white).
    public static let palette: [Color] = [
        Color(hex: 0xD55E00), Color(hex: 0x0072B2), Color(hex: 0x009E73), Color(hex: 0xCC79A7),
        Color(hex: 0xE69F00), Color(hex: 0x56B4E9), Color(hex: 0x000000),
    ]

    /// The palette colour for series `index`, cycling.
    public static func series(_ index: Int) -> Color { palette[((index % palette.count) + palette.count) % palette.count] }
}
