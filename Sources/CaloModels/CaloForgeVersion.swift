/// The version of this package, written into every checkpoint and output record.
public enum CaloForgeVersion {
    /// Semantic version of CaloForge.
    public static let string = "0.2.0"
}
