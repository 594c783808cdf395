import ArgumentParser
import CaloData
import Foundation

/// `caloforge inspect`: what a CaloChallenge file holds, and whether its values are valid.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise a CaloChallenge HDF5 file: events, energies, sparsity, mean profiles, validity.",
        discussion: """
            Prints the number of events, the incident-energy range with a small histogram, the \
            geometry (detected from the voxel count unless --geometry is given), the fraction of \
            zero voxels, the mean E_dep/E_inc, the mean longitudinal profile (energy per layer) and \
            the mean radial profile as bar charts, and the validation verdict: every value is scanned \
            for NaN, infinities and negative energies. Exits with status 1 when the file is invalid.
            """
    )

    @Argument(help: ArgumentHelp("A CaloChallenge HDF5 file.", valueName: "file"))
    var file: String

    @Option(
        help: ArgumentHelp(
            "Geometry to read the file with: ds1-photons, ds1-pions, ds2, ds3, or a binning XML file (default: detected from the voxel count).",
            valueName: "name|xml"))
    var geometry: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if let geometry {
            do { _ = try resolveGeometry(geometry) } catch { throw ValidationError("--geometry: \(error)") }
        }
    }

    struct Report: Codable {
        var summary: CaloChallengeSummary
        var valid: Bool
        var problem: String?
    }

    func run() throws {
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
