import Foundation

/// Generates electromagnetic showers in a CaloChallenge geometry from the Grindhammer–Peters
/// (GFLASH) parametrisation, without any network or Geant4.
///
/// Per event: (1) ln T and ln α are drawn from a correlated bivariate normal (the log-normal
/// fluctuations of GFLASH); (2) the Gamma longitudinal profile is integrated over every readout
/// layer, split into slabs of at most 1 X₀; (3) in each slab the two-component radial profile at
/// depth τ gives the expected energy in every radial ring; (4) energy is carried by spots of mean
/// energy ē (``DetectorPreset/spotEnergy``): the number of spots in a ring is Poisson, each spot
/// gets a uniform azimuth, and a voxel holding k spots gets ē/s · Gamma(k·s) MeV. Because Poisson
/// counts thinned by independent placement stay Poisson, dense rings draw one Poisson count per
/// voxel instead of placing spots one by one; both give the same distribution.
public struct SyntheticShowerGenerator: Sendable {
    public let geometry: Geometry
    public let preset: DetectorPreset
    public let particle: SyntheticParticle

    /// A slab of depth inside one readout layer; depths are indices into `boundaries`.
    struct Slab: Sendable {
        var lower: Int
        var upper: Int
        var layer: Int
        var middle: Double
    }

    /// A non-empty readout layer.
    struct LayerPlan: Sendable {
        var offset: Int
        var radialBins: Int
        var angularBins: Int
        /// Radial edges in R_M,eff.
        var edges: [Double]
        /// First index of this layer's rings in the per-event ring array.
        var ringBase: Int
    }

    let parametrisation: GrindhammerPeters
    let boundaries: [Double]
    let slabs: [Slab]
    let layers: [LayerPlan]
    let ringCount: Int

    /// Longest slab (X₀) over which the radial profile is taken as constant.
    static let maximumSlabDepth = 1.0

    /// Prepares a generator; throws for pions (not modelled) and for layers the preset cannot place.
    public init(geometry: Geometry, preset: DetectorPreset, particle: SyntheticParticle) throws {
        guard particle != .pion else {
            throw CaloDataError.unsupportedParticle(
                particle.rawValue,
                reason:
                    "the Grindhammer–Peters parametrisation describes electromagnetic showers only; use electron or photon (they can fill the ds1-pions binning too)"
            )
        }
        self.geometry = geometry
        self.preset = preset
        self.particle = particle
        parametrisation = GrindhammerPeters(medium: preset.medium)
        var depths: [Double] = []
        var slabRanges: [(Double, Double, Int)] = []
        var plans: [LayerPlan] = []
        let offsets = geometry.offsets
        var rings = 0
        for (position, layer) in geometry.layers.enumerated() where layer.isRelevant {
            guard let range = preset.depthRange(position: position, layer: layer) else {
                throw CaloDataError.invalidArgument(
                    "detector preset \(preset.name) does not know where layer id \(layer.id) of geometry \(geometry.name) lies in depth; choose a preset that matches the geometry"
                )
            }
            let pieces = Swift.max(1, Int(((range.end - range.start) / Self.maximumSlabDepth).rounded(.up)))
            let step = (range.end - range.start) / Double(pieces)
            for piece in 0..<pieces {
                let start = range.start + Double(piece) * step
                let end = piece == pieces - 1 ? range.end : start + step
                slabRanges.append((start, end, plans.count))
                depths += [start, end]
            }
            plans.append(
                LayerPlan(
                    offset: offsets[position], radialBins: layer.radialBins, angularBins: layer.angularBins,
                    edges: layer.radialEdges.map { $0 / preset.medium.moliereRadius }, ringBase: rings))
            rings += layer.radialBins
        }
        let sorted = Array(Set(depths)).sorted()
        var index: [Double: Int] = [:]
        for (i, depth) in sorted.enumerated() { index[depth] = i }
        boundaries = sorted
        slabs = slabRanges.map { Slab(lower: index[$0.0]!, upper: index[$0.1]!, layer: $0.2, middle: ($0.0 + $0.1) / 2) }
        layers = plans
        ringCount = rings
    }

    /// Convenience: the preset that matches the geometry (``DetectorPreset/matching(_:)``).
    public init(geometry: Geometry, particle: SyntheticParticle) throws {
        try self.init(geometry: geometry, preset: .matching(geometry), particle: particle)
    }

    /// Per-batch scratch space, reused across events.
    final class Workspace {
        var cdf: [Double]
        var ringSpots: [Double]
        var counts: [Int32]

        init(generator: SyntheticShowerGenerator) {
            cdf = Array(repeating: 0, count: generator.boundaries.count)
            ringSpots = Array(repeating: 0, count: generator.ringCount)
            counts = Array(repeating: 0, count: generator.geometry.voxelCount)
        }
    }

    /// One shower: `geometry.voxelCount` voxel energies in MeV (flat CaloChallenge order).
    public func simulate(incidentEnergy: Double, generator: inout Xoshiro256StarStar) -> [Float] {
        let workspace = Workspace(generator: self)
        var voxels = [Float](repeating: 0, count: geometry.voxelCount)
        voxels.withUnsafeMutableBufferPointer {
            simulate(incidentEnergy: incidentEnergy, generator: &generator, workspace: workspace, into: $0)
        }
        return voxels
    }

    /// Showers for consecutive events of a seeded run, row-major `[events, voxels]` in MeV. Event
    /// `firstEvent + i` draws from stream `firstEvent + i` of `seed`, so the result does not depend
    /// on how a run is cut into batches.
    public func simulate(incidentEnergies: [Double], firstEvent: Int, seed: UInt64) -> [Float] {
        let workspace = Workspace(generator: self)
        let voxelCount = geometry.voxelCount
        var showers = [Float](repeating: 0, count: incidentEnergies.count * voxelCount)
        showers.withUnsafeMutableBufferPointer { buffer in
            for (i, energy) in incidentEnergies.enumerated() {
                var generator = Xoshiro256StarStar(seed: seed, stream: UInt64(firstEvent + i))
                let row = UnsafeMutableBufferPointer(rebasing: buffer[(i * voxelCount)..<((i + 1) * voxelCount)])
                simulate(incidentEnergy: energy, generator: &generator, workspace: workspace, into: row)
            }
        }
        return showers
    }

    /// The event-level longitudinal draw: shower maximum T (X₀), shape α and start depth (X₀).
    struct LongitudinalDraw {
        var showerMaximum: Double
        var alpha: Double
        var start: Double
        var meanAlpha: Double
    }

    func drawLongitudinal(incidentEnergy: Double, generator: inout Xoshiro256StarStar) -> LongitudinalDraw {
        let p = parametrisation.longitudinal(energy: incidentEnergy)
        let z1 = generator.normal()
        let z2 = generator.normal()
        // Correlated pair with corr(ln T, ln α) = ρ, as GFLASH builds it from two normals.
        let c1 = ((1 + p.rho) / 2).squareRoot()
        let c2 = ((1 - p.rho) / 2).squareRoot()
        let t = Swift.max(0.5, Foundation.exp(p.meanLogT + p.sigmaLogT * (c1 * z1 + c2 * z2)))
        let alpha = Swift.max(1.1, Foundation.exp(p.meanLogAlpha + p.sigmaLogAlpha * (c1 * z1 - c2 * z2)))
        let start = particle == .photon ? generator.exponential(mean: SyntheticParticle.photonConversionLength) : 0
        return LongitudinalDraw(showerMaximum: t, alpha: alpha, start: start, meanAlpha: Foundation.exp(p.meanLogAlpha))
    }

    func simulate(
        incidentEnergy: Double, generator: inout Xoshiro256StarStar, workspace: Workspace,
        into voxels: UnsafeMutableBufferPointer<Float>
    ) {
        for i in voxels.indices { voxels[i] = 0 }
        let draw = drawLongitudinal(incidentEnergy: incidentEnergy, generator: &generator)
        let beta = (draw.alpha - 1) / draw.showerMaximum
        let cumulative = RegularizedGammaP(shape: draw.alpha)
        let spotEnergy = preset.spotEnergy
        let expectedSpots = incidentEnergy * preset.calibration / spotEnergy
        // τ = t/⟨t⟩ · ⟨α⟩/(⟨α⟩ − 1): depth in units of the event's centre of gravity, scaled so
        // that the average shower has τ = t/T (the GFLASH convention for fluctuated profiles).
        let tauScale = beta / draw.alpha * draw.meanAlpha / (draw.meanAlpha - 1)

        workspace.cdf.withUnsafeMutableBufferPointer { cdf in
            for (i, depth) in boundaries.enumerated() { cdf[i] = cumulative(beta * (depth - draw.start)) }
        }
        workspace.ringSpots.withUnsafeMutableBufferPointer { rings in
            for i in rings.indices { rings[i] = 0 }
            for slab in slabs {
                let fraction = workspace.cdf[slab.upper] - workspace.cdf[slab.lower]
                let spots = expectedSpots * fraction
                guard spots > 1e-9 else { continue }
                let tau = Swift.max(0, slab.middle - draw.start) * tauScale
                let radial = parametrisation.radial(energy: incidentEnergy, tau: tau)
                let plan = layers[slab.layer]
                var previous = radial.containedFraction(plan.edges[0])
                for j in 0..<plan.radialBins {
                    let next = radial.containedFraction(plan.edges[j + 1])
                    rings[plan.ringBase + j] += spots * (next - previous)
                    previous = next
                }
            }
        }
        depositSpots(generator: &generator, workspace: workspace, into: voxels)
    }

    /// Step (4): spot counts per voxel, then their energies.
    private func depositSpots(
        generator: inout Xoshiro256StarStar, workspace: Workspace, into voxels: UnsafeMutableBufferPointer<Float>
    ) {
        let spotScale = preset.spotEnergy / preset.spotShape
        let shape = preset.spotShape
        let threshold = preset.cellThreshold
        workspace.counts.withUnsafeMutableBufferPointer { counts in
            for i in counts.indices { counts[i] = 0 }
            for plan in layers {
                let nAlpha = plan.angularBins
                for j in 0..<plan.radialBins {
                    let ringSpots = workspace.ringSpots[plan.ringBase + j]
                    guard ringSpots > 0 else { continue }
                    if ringSpots < 2 * Double(nAlpha) {
                        // Sparse ring: place each spot at a uniform azimuth.
                        let k = generator.poisson(mean: ringSpots)
                        for _ in 0..<k {
                            let alpha = nAlpha == 1 ? 0 : generator.uniformInt(below: nAlpha)
                            counts[plan.offset + alpha * plan.radialBins + j] += 1
                        }
                    } else {
                        // Dense ring: independent Poisson counts per voxel (same distribution).
                        let perVoxel = ringSpots / Double(nAlpha)
                        for alpha in 0..<nAlpha {
                            counts[plan.offset + alpha * plan.radialBins + j] += Int32(
                                clamping: generator.poisson(mean: perVoxel))
                        }
                    }
                }
            }
            for i in counts.indices where counts[i] > 0 {
                let energy = spotScale * generator.gamma(shape: Double(counts[i]) * shape)
                voxels[i] = energy >= threshold ? Float(energy) : 0
            }
        }
    }
}
