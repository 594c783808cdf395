/// The particle a synthetic shower starts from.
public enum SyntheticParticle: String, CaseIterable, Sendable, Codable {
    /// Shower starts at the calorimeter front.
    case electron
    /// Shower starts after a conversion depth drawn from an exponential of mean 9/7 X₀.
    case photon
    /// Not modelled: the parametrisation is electromagnetic. Asking for it throws.
    case pion

    /// Mean conversion depth of a photon, 9/7 X₀ (pair-production mean free path).
    static let photonConversionLength = 9.0 / 7.0
}
