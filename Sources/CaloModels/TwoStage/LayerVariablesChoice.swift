/// Which layer variables a two-stage energy model learns (a configuration value).
public enum LayerVariablesChoice: String, Codable, Sendable, CaseIterable {
    /// ``LayerRatioVariables``: CaloDREAM's u (N values; each layer's share of the energy still left).
    case ratios
    /// ``LayerFractionVariables``: E_tot and the layer fractions (N + 1 values; §A.15 before the logit).
    case fractions

    /// The variables for `layers` layers and M = `maxDeposit`.
    public func make(layers: Int, maxDeposit: Double) throws -> any LayerEnergyVariables {
        switch self {
        case .ratios: return try LayerRatioVariables(layers: layers, maxDeposit: maxDeposit)
        case .fractions: return try LayerFractionVariables(layers: layers, maxDeposit: maxDeposit)
        }
    }
}
