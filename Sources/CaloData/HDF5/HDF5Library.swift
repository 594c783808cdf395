import CHDF5

/// Facts about the HDF5 C library CaloData is linked against.
public enum HDF5Library {
    /// The runtime library version, e.g. "1.10.8".
    public static var version: String {
        var major: UInt32 = 0
        var minor: UInt32 = 0
        var release: UInt32 = 0
        guard H5get_libversion(&major, &minor, &release) >= 0 else { return "unknown" }
        return "\(major).\(minor).\(release)"
    }
}
