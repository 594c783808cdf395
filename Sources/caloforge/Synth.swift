import ArgumentParser
import CaloData
import CaloModels
import Foundation

/// `caloforge synth`: parametrised (GFLASH-style) showers written as a CaloChallenge file.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Write synthetic calorimeter showers (Grindhammer–Peters / GFLASH parametrisation) as a CaloChallenge HDF5 file.",
        discussion: """
            What the data is: electromagnetic showers drawn from the Grindhammer–Peters \
            parametrisation used by GFLASH — a Gamma-function longitudinal profile whose shower \
            maximum and shape fluctuate (correlated, log-normal) from event to event, a core + tail \
            radial profile that widens with depth, and energy carried by Poisson-counted spots with \
            a uniform azimuth, which gives the sampling fluctuations and realistic sparsity. The file \
            has the CaloChallenge layout (incident_energies (N, 1), showers (N, voxels), MeV), so \
            every CaloForge command and the official evaluation read it.

            What it is not: Geant4. There are no sub-showers, no asymmetric or off-axis showers, no \
            shower-to-shower lateral shape changes beyond spot statistics, no punch-through, no \
            electronics noise; dataset 1 uses a coarse ATLAS-like depth map; pions are not \
            simulated. Use it to exercise pipelines, test training code and benchmark — never to \
            claim physics performance. docs/synthetic.md has the formulas, presets and limits.

            Detector presets: par04 (W/Si, datasets 2 and 3; the default for ds2, ds3 and binning \
            XML files) and atlas-like (Pb/LAr approximation of the ATLAS barrel; the default for the \
            ds1 geometries).

            Energy spectra: log-uniform:MIN:MAX (as datasets 2 and 3, log-uniform:1GeV:1TeV), \
            fixed:E, ds1 (the 15 dataset-1 energies 2^8 … 2^22 MeV in the official photon-file \
            proportions) and ds1-pions (pion-file proportions). Units MeV, GeV, TeV; a bare number is \
            MeV; 100MeV … 10TeV.

            The same --seed gives the same showers, whatever --batch-size. The resolved \
            configuration is written beside the output as OUTPUT.json.

            Example:
              caloforge synth --geometry ds2 --count 10000 --energies log-uniform:1GeV:1TeV --seed 1 -o ds2-synth.h5
            """
    )

    enum Particle: String, CaseIterable, ExpressibleByArgument {
        case electron, photon, pion
    }

    @Option(
        help: ArgumentHelp(
            "Detector binning: ds1-photons, ds1-pions, ds2, ds3, or the path of a binning XML file.", valueName: "name|xml"))
    var geometry: String

    @Option(help: "Number of showers to write.")
    var count: Int

    @Option(
        help: ArgumentHelp("Incident-energy spectrum: log-uniform:MIN:MAX, fixed:E, ds1 or ds1-pions.", valueName: "spectrum"))
    var energies: String = "log-uniform:1GeV:1TeV"

    @Option(help: "Seed of the deterministic random stream (0 … 18446744073709551615).")
    var seed: UInt64

    @Option(help: "Incident particle (default: photon for ds1-photons, electron for ds2/ds3; pions are not simulated).")
    var particle: Particle?

    @Option(
        help: ArgumentHelp("Detector preset: par04 or atlas-like (default: the one matching --geometry).", valueName: "preset"))
    var detector: String?

    @Option(help: "Showers simulated and written per batch.")
    var batchSize: Int = 1000

    @OptionGroup var outputOptions: ShowerOutputOptions
    var output: String { outputOptions.output }

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1; got \(count).") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1; got \(batchSize).") }
        try validateGeometryName(geometry)
        do { _ = try IncidentSpectrum(parsing: energies) } catch { throw ValidationError("--energies: \(error)") }
        if let detector {
            guard (try? DetectorPreset.named(detector)) != nil else {
                throw ValidationError(
                    "--detector must be one of \(DetectorPreset.names.joined(separator: ", ")); got '\(detector)'.")
            }
        }
        if particle == .pion {
            throw ValidationError(
                "--particle pion is not supported: the parametrisation is electromagnetic only. Use --particle electron or photon (they can fill the ds1-pions binning too)."
            )
        }
    }

    /// The checks that look at files and this machine, made before any work: the geometry (a
    /// binning file's content), the output path, and the memory and disk that `--count` needs.
    func checkBeforeWriting(_ geometry: Geometry, spectrum: IncidentSpectrum) throws {
        if particle == nil && geometry.particle == "pion" {
            throw CommandError.pionGeometryWithoutParticle(geometry: self.geometry)
        }
        try outputOptions.check()
        try ShowerBudget(
            count: count, voxels: geometry.voxelCount, batchSize: batchSize,
            heldBytes: IncidentEnergyStream.heldBytes(spectrum: spectrum, count: count)
        ).check(output: output)
    }

    /// The particle used: the flag, else the one the geometry's binning was made for.
    func resolvedParticle(for geometry: Geometry) -> SyntheticParticle {
        if let particle, let value = SyntheticParticle(rawValue: particle.rawValue) { return value }
        return geometry.particle == "photon" ? .photon : .electron
    }

    func run() throws {
        let geometry = try resolveGeometry(self.geometry)
        let spectrum = try IncidentSpectrum(parsing: energies)
        try checkBeforeWriting(geometry, spectrum: spectrum)
        let preset = try detector.map(DetectorPreset.named) ?? DetectorPreset.matching(geometry)
        let particle = resolvedParticle(for: geometry)
        let generator = try SyntheticShowerGenerator(geometry: geometry, preset: preset, particle: particle)
        let progress = ProgressBar(total: count, label: "showers")
        defer { progress.close() }
        let start = ProgressBar.now()
        try generator.write(
            to: output, count: count, spectrum: spectrum, seed: seed, batchSize: batchSize, progress: { progress.update($0) })
        let seconds = ProgressBar.now() - start
        let config = SynthConfig(
            geometry: geometry.name, geometrySource: self.geometry, count: count, energies: spectrum.description, seed: seed,
            particle: particle.rawValue, detector: preset.name, batchSize: batchSize, generator: "grindhammer-peters",
            version: CaloForgeVersion.string, output: URL(fileURLWithPath: output).lastPathComponent)
        try JSONOutput.write(config, to: output + ".json")
        print(
            "wrote \(count) \(particle.rawValue) showers (\(geometry.name), \(spectrum), detector \(preset.name), seed \(seed)) to \(output) in \(String(format: "%.1f", seconds)) s; configuration in \(output).json"
        )
    }
}

/// The resolved configuration of a `synth` run, written beside its output.
struct SynthConfig: Codable, Equatable {
    var geometry: String
    var geometrySource: String
    var count: Int
    var energies: String
    var seed: UInt64
    var particle: String
    var detector: String
    var batchSize: Int
    var generator: String
    var version: String
    var output: String
}
