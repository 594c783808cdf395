// TEMPORARY integration stub: replaced by the samplers branch (H2) at merge.
public struct SamplerSettings: Codable, Equatable, Sendable {
    public var name: String
    public var steps: Int?
    public var eta: Double?
    public var churn: Double?
    public var rho: Double?
    public var snr: Double?
    public var correctorSteps: Int?
    public var offset: Int?

    public init(name: String, steps: Int? = nil, eta: Double? = nil, churn: Double? = nil, rho: Double? = nil,
                snr: Double? = nil, correctorSteps: Int? = nil, offset: Int? = nil) {
        self.name = name
        self.steps = steps
        self.eta = eta
        self.churn = churn
        self.rho = rho
        self.snr = snr
        self.correctorSteps = correctorSteps
        self.offset = offset
    }

    public func makeSampler() throws -> any Sampler {
        guard let kind = SamplerKind(rawValue: name) else {
            throw DiffusionError.invalidParameter(name: "sampler", value: name, requirement: "unknown sampler")
        }
        return kind.makeSampler(offset: offset ?? 0, eta: eta ?? 0)
    }

    public func levels(native: [Double]) throws -> [Double] { native }
}
