import ArgumentParser
import CaloData
import Foundation

/// `caloforge bench synth`: speed of the synthetic shower generator on one core.
struct BenchSynth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Time the synthetic shower generator (showers per second, one core, no file writing).",
        discussion: """
            Simulates --count showers in memory on the calling thread, after a short warm-up, and \
            reports showers per second. Writing (HDF5 + gzip) is not included; `caloforge synth` \
            prints its end-to-end time. Build with `swift build -c release` for meaningful numbers.
            """
    )

    @Option(
        help: ArgumentHelp("Detector binning: ds1-photons, ds1-pions, ds2, ds3, or a binning XML file.", valueName: "name|xml"))
    var geometry: String = "ds2"

    @Option(help: "Showers to time.")
    var count: Int = 2000

    @Option(
        help: ArgumentHelp("Incident-energy spectrum: log-uniform:MIN:MAX, fixed:E, ds1 or ds1-pions.", valueName: "spectrum"))
    var energies: String = "log-uniform:1GeV:1TeV"

    @Option(help: "Seed of the random stream.")
    var seed: UInt64 = 1

    @Option(help: "Incident particle: electron or photon.")
    var particle: Synth.Particle = .electron

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1; got \(count).") }
        try validateGeometryName(geometry)
        do { _ = try IncidentSpectrum(parsing: energies) } catch { throw ValidationError("--energies: \(error)") }
        if particle == .pion { throw ValidationError("--particle must be electron or photon; pions are not simulated.") }
    }

    /// Showers simulated per call.
    static let batchSize = 500

    struct Result: Codable {
        var geometry: String
        var voxels: Int
        var energies: String
        var particle: String
        var count: Int
        var seconds: Double
        var showersPerSecond: Double
        var microsecondsPerShower: Double
        var build: String
    }

    func run() throws {
        let geometry = try resolveGeometry(self.geometry)
        let spectrum = try IncidentSpectrum(parsing: energies)
        try ShowerBudget(
            count: count, voxels: geometry.voxelCount, batchSize: Self.batchSize,
            heldBytes: IncidentEnergyStream.heldBytes(spectrum: spectrum, count: count)
        ).check(output: nil)
        let generator = try SyntheticShowerGenerator(
            geometry: geometry, particle: SyntheticParticle(rawValue: particle.rawValue) ?? .electron)
        // One batch of energies at a time, so any count that fits in memory runs.
        var incident = IncidentEnergyStream(spectrum: spectrum, count: count, seed: seed)
        _ = generator.simulate(incidentEnergies: spectrum.energies(count: Swift.min(50, count), seed: seed), firstEvent: 0, seed: seed &+ 1)
        let start = ProgressBar.now()
        var checksum: Float = 0
        var first = 0
        while first < count {
            let end = Swift.min(first + Self.batchSize, count)
            let showers = generator.simulate(incidentEnergies: incident.next(end - first), firstEvent: first, seed: seed)
            checksum += showers[showers.count / 2]
            first = end
        }
        let seconds = ProgressBar.now() - start
        #if DEBUG
            let build = "debug"
        #else
            let build = "release"
        #endif
        let result = Result(
            geometry: geometry.name, voxels: geometry.voxelCount, energies: spectrum.description, particle: particle.rawValue,
            count: count, seconds: seconds, showersPerSecond: Double(count) / seconds,
            microsecondsPerShower: seconds / Double(count) * 1e6,
            build: build)
        if json {
            print(try JSONOutput.text(result))
        } else {
            print(
                """
                synthetic showers  \(result.geometry) (\(result.voxels) voxels), \(result.particle), \(result.energies), \(build) build
                \(count) showers in \(String(format: "%.3f", seconds)) s on one thread: \(String(format: "%.0f", result.showersPerSecond)) showers/s (\(String(format: "%.1f", result.microsecondsPerShower)) µs per shower)
                """)
        }
        if checksum.isNaN { throw CommandError.generatorProducedNaN(geometry: geometry.name, seed: seed) }
    }
}
