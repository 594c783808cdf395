import ArgumentParser
import CaloData
import CaloModels
import Foundation

/// `caloforge inspect`: what a CaloChallenge file or a model checkpoint holds, and whether it is valid.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a CaloChallenge HDF5 file (events, energies, profiles, validity) or a model checkpoint.",
        discussion: """
            A checkpoint (.safetensors from caloforge train, import or distill): prints the model kind, \
            configuration, geometry, parameter count, default sampler, provenance (who wrote it, from \
            what, when, which CaloForge version) and the full configuration; a weight that is NaN or \
            infinite makes it invalid.

            A CaloChallenge file: \
            Prints the number of events, the incident-energy range with a small histogram, the \
            geometry (detected from the voxel count unless --geometry is given), the fraction of \
            zero voxels, the mean E_dep/E_inc, the mean longitudinal profile (energy per layer) and \
            the mean radial profile as bar charts, and the validation verdict: every value is scanned \
            for NaN, infinities and negative energies. Exits with status 1 when the file is invalid.
            """
    )

    @Argument(help: ArgumentHelp("A CaloChallenge HDF5 file or a CaloForge checkpoint (.safetensors).", valueName: "file"))
    var file: String

    @Option(
        help: ArgumentHelp(
            "Geometry to read the file with: ds1-photons, ds1-pions, ds2, ds3, or a binning XML file (default: detected from the voxel count).",
            valueName: "name|xml"))
    var geometry: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if let geometry { try validateGeometryName(geometry) }
    }

    struct Report: Codable {
        var summary: CaloChallengeSummary
        var valid: Bool
        var problem: String?
    }

    func run() throws {
        if Self.isSafetensors(file) {
            let summary = try CheckpointSummary(checkpointAt: URL(fileURLWithPath: file))
            if json {
                print(try JSONOutput.text(summary))
            } else {
                print(Self.text(summary))
            }
            return
        }
        let expected = try geometry.map(resolveGeometry)
        let reader = try CaloChallengeReader(path: file, geometry: expected)
        let summary = try CaloChallengeSummary(reader: reader)
        var problem: String?
        do { try reader.validateValues() } catch { problem = "\(error)" }
        let report = Report(summary: summary, valid: problem == nil, problem: problem)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(Self.text(report, geometryGiven: geometry != nil))
        }
        if problem != nil { throw ExitCode.failure }
    }

    /// True for a file that starts like safetensors (an 8-byte header length, then a JSON object) or is named so.
    static func isSafetensors(_ path: String) -> Bool {
        if path.hasSuffix(".safetensors") { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 9), head.count == 9 else { return false }
        return head[8] == UInt8(ascii: "{")
    }

    static func text(_ s: CheckpointSummary) -> String {
        var lines = [
            "checkpoint   \(s.path)\(s.isTrainingState ? "  (training state: weights, optimizer and trainer state)" : "")",
            "model        \(s.modelKind), configuration \(s.configurationName)",
            "geometry     \(s.geometry)",
            "parameters   \(s.parameters) in \(s.tensors) tensors",
            "sampler      \(s.defaultSampler.name)\(s.defaultSampler.steps.map { ", \($0) steps" } ?? "") (default)",
            "preprocess   \(s.preprocessing.isEmpty ? "none stored" : "\(s.preprocessing.count) values stored (\(s.preprocessing.prefix(3).joined(separator: ", "))…)")",
        ]
        if let p = s.provenance {
            var made = "\(p.producer) on \(p.date) by CaloForge \(p.caloforgeVersion)"
            if let source = p.source { made += ", from \(source)" }
            if let step = p.step { made += ", step \(step)" }
            if let loss = p.validationLoss { made += String(format: ", validation loss %.5g", loss) }
            if let weights = p.weights { made += ", \(weights) weights" }
            for (key, value) in p.details.sorted(by: { $0.key < $1.key }) { made += ", \(key) \(value)" }
            lines.append("provenance   \(made)")
        } else {
            lines.append("provenance   not recorded")
        }
        lines.append("validation   valid: every weight is finite")
        lines.append("configuration")
        lines += s.configuration.split(separator: "\n").map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    static func energy(_ mev: Double) -> String {
        if mev >= 1e6 { return String(format: "%.3g TeV", mev / 1e6) }
        if mev >= 1e3 { return String(format: "%.3g GeV", mev / 1e3) }
        return String(format: "%.3g MeV", mev)
    }

    static func text(_ report: Report, geometryGiven: Bool) -> String {
        let s = report.summary
        var lines: [String] = []
        lines.append("file         \(s.path)\(s.isComplete ? "" : "  (INCOMPLETE: left by an interrupted writer)")")
        lines.append(
            "geometry     \(s.geometry) (\(geometryGiven ? "given" : "detected from the voxel count")), \(s.voxels) voxels in \(s.layers.count) layers"
        )
        lines.append("events       \(s.events)")
        lines.append("E_inc        \(energy(s.incidentEnergyMinimum)) … \(energy(s.incidentEnergyMaximum))")
        lines += TerminalChart.rows(
            s.incidentEnergyHistogram.map { bin in
                let label = bin.lower == bin.upper ? energy(bin.lower) : "\(energy(bin.lower)) – \(energy(bin.upper))"
                return (label, Double(bin.events), "\(bin.events)")
            }, width: 24)
        lines.append(
            String(format: "E_dep/E_inc  %.4f ± %.4f (mean ± std over events)", s.meanEnergyRatio, s.energyRatioStandardDeviation)
        )
        lines.append(String(format: "sparsity     %.4f of voxels are 0; %.1f non-zero voxels per event", s.sparsity, s.meanHits))
        let totalEnergy = s.layers.reduce(0) { $0 + $1.meanEnergy }
        lines.append("longitudinal mean energy per layer (share of E_dep, layer sparsity)")
        lines += TerminalChart.rows(
            s.layers.map { layer in
                let share = totalEnergy > 0 ? layer.meanEnergy / totalEnergy * 100 : 0
                return (
                    "\(layer.id)", layer.meanEnergy,
                    String(
                        format: "%5.1f%%  %@  sparsity %.2f", share,
                        energy(layer.meanEnergy).padding(toLength: 10, withPad: " ", startingAt: 0), layer.sparsity)
                )
            })
        let radialTotal = s.radialProfile.reduce(0) { $0 + $1.meanEnergy }
        lines.append("radial       mean energy per radial bin, \(s.radialProfileLayers)")
        lines += TerminalChart.rows(
            s.radialProfile.map { bin in
                let share = radialTotal > 0 ? bin.meanEnergy / radialTotal * 100 : 0
                return (String(format: "%g–%g mm", bin.lower, bin.upper), bin.meanEnergy, String(format: "%5.1f%%", share))
            })
        if let problem = report.problem {
            lines.append("validation   INVALID: \(problem)")
        } else {
            lines.append("validation   valid: no NaN, infinite or negative values")
        }
        return lines.joined(separator: "\n")
    }
}
