import ArgumentParser
import CaloModels
import Foundation
import Torch
import TorchNN

/// `caloforge bench precision`: how much a model's outputs change under `--precision` / `--memory-format`
/// against float32 with contiguous weights, on the same inputs and seeds.
struct BenchPrecision: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precision",
        abstract: "Compare a model's training loss, gradients and sampled showers under --precision/--memory-format with float32.",
        discussion: """
            On one batch of synthetic showers with one noise seed: the loss (one evaluation of each network on the \
            same input) and the parameter gradients, relative difference to float32 (beside the difference that \
            another noise seed makes in float32, the scale of minibatch noise). Then --count showers sampled \
            with the same seed and incident energies (log-uniform, 1 GeV to 1 TeV): the per-shower relative L1 \
            difference of the voxel energies, and the mean and spread of E_tot/E_inc in each precision.

            Example:
              caloforge bench precision --model builtin --precision bf16 --threads 2
              caloforge bench precision --config two-stage-ds2 --train-steps 30 --precision bf16
            """
    )

    @OptionGroup var modelOptions: BenchModelOptions

    @Option(help: "Showers sampled in each precision.")
    var count: Int = 200

    @Option(help: "Showers in the training batch of the loss comparison.")
    var batchSize: Int = 32

    @Option(help: "float32 AdamW steps (learning rate 1e-3) on synthetic showers before comparing, so that a fresh model's zero-initialised output layers carry signal.")
    var trainSteps: Int = 0

    @OptionGroup(title: "Sampler") var sampling: SamplingOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var deviceOptions: DeviceOptions

    @OptionGroup(title: "Precision") var precisionOptions: PrecisionOptions

    func validate() throws {
        guard count >= 2 else { throw ValidationError("--count must be at least 2; got \(count).") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1; got \(batchSize).") }
        guard trainSteps >= 0 else { throw ValidationError("--train-steps must be 0 or more; got \(trainSteps).") }
    }

    struct ShowerStatistics: Codable {
        var meanEnergyRatio: Double
        var energyRatioSpread: Double
    }

    /// The paired change of E_tot/E_inc, candidate − reference, shower by shower: mean and its standard error.
    struct PairedShift: Codable {
        var mean: Double
        var standardError: Double
    }

    struct Report: Codable {
        var model: String
        var candidate: String
        var lossReference: Double
        var lossCandidate: Double
        var lossRelativeDifference: Double
        var gradientRelativeDifference: Double
        var gradientRelativeDifferenceBetweenNoiseSeeds: Double
        var showers: Int
        var networkEvaluationsPerShower: Int
        var showerRelativeDifferenceMean: Double
        var showerRelativeDifferenceMax: Double
        var reference: ShowerStatistics
        var candidateStatistics: ShowerStatistics
        var energyRatioShift: PairedShift
    }

    func run() throws {
        let device = try deviceOptions.resolve()
        let (model, name, isFresh) = try modelOptions.load(device: device)
        let loader = try BenchModelOptions.syntheticLoader(
            geometry: model.geometry, count: Swift.max(200, 2 * batchSize), batchSize: batchSize, device: device)
        if isFresh { try model.prepare(training: try loader.trainingSample(maxCount: 200)) }
        guard let batch = try loader.nextBatch() else { throw ValidationError("--batch-size \(batchSize) leaves no training batch.") }
        let settings = sampling.settings(modelDefault: model.defaultSampler)
        try model.checkSampling(settings)
        let energies = try Tensor((0..<count).map { 1_000 * pow(1_000, (Double($0) + 0.5) / Double(count)) }, shape: [count, 1])
            .to(dtype: .float32, device: device)
        let parameters = model.module.parameters()
        if trainSteps > 0 {
            let optimizer = AdamW(parameters: parameters, learningRate: 1e-3)
            let noise = try Generator(seed: 5, device: device)
            for _ in 0..<trainSteps {
                let step = try loader.nextBatch() ?? batch
                try optimizer.zeroGrad()
                try model.loss(step, generator: noise).backward()
                try optimizer.step()
            }
        }

        /// The loss and its parameter gradients (flattened, float64) for noise seed `seed` under `options`.
        func gradients(_ options: PrecisionOptions, seed: UInt64) throws -> (loss: Double, gradients: [[Double]]) {
            for parameter in parameters { try parameter.zeroGrad() }
            model.module.train()
            let loss = try options.run(on: device) { try model.loss(batch, generator: try Generator(seed: seed, device: device)) }
            try loss.backward()
            let result = try parameters.map { try $0.grad.map { try $0.to(dtype: .float64).toArray(Double.self) } ?? [] }
            for parameter in parameters { try parameter.zeroGrad() }
            return (try loss.item(), result)
        }
        /// Showers (flattened, float64) and NFE for sampling seed 7 under `options`.
        func showers(_ options: PrecisionOptions) throws -> (showers: [Double], evaluations: Int) {
            model.module.eval()
            let generated = try withNoGrad {
                try options.run(on: device) {
                    try model.sample(incidentEnergies: energies, sampler: settings, generator: try Generator(seed: 7, device: device))
                }
            }
            return (try generated.showers.to(dtype: .float64).toArray(Double.self), generated.networkEvaluations)
        }
        /// ‖a − b‖ / ‖b‖ over all parameters together.
        func relativeDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
            var differenceSquares = 0.0, referenceSquares = 0.0
            for (x, y) in zip(a.joined(), b.joined()) {
                differenceSquares += (x - y) * (x - y)
                referenceSquares += y * y
            }
            return (differenceSquares / Swift.max(referenceSquares, .leastNormalMagnitude)).squareRoot()
        }
        let float32 = try PrecisionOptions.parse([])
        let reference = try gradients(float32, seed: 3)
        let otherSeed = try gradients(float32, seed: 4)
        let (referenceShowers, evaluations) = try showers(float32)
        try precisionOptions.apply(to: model.module)
        let candidate = try gradients(precisionOptions, seed: 3)
        let (candidateShowers, _) = try showers(precisionOptions)
        let referenceLoss = reference.loss, candidateLoss = candidate.loss

        let voxels = model.geometry.voxelCount
        let incident = try energies.to(dtype: .float64).toArray(Double.self)
        var differences: [Double] = []
        var ratios: ([Double], [Double]) = ([], [])
        for event in 0..<count {
            let rows = (referenceShowers[(event * voxels)..<((event + 1) * voxels)], candidateShowers[(event * voxels)..<((event + 1) * voxels)])
            let total = rows.0.reduce(0) { $0 + Swift.abs($1) }
            differences.append(zip(rows.0, rows.1).reduce(0) { $0 + Swift.abs($1.0 - $1.1) } / Swift.max(total, .leastNormalMagnitude))
            ratios.0.append(rows.0.reduce(0, +) / incident[event])
            ratios.1.append(rows.1.reduce(0, +) / incident[event])
        }
        func statistics(_ values: [Double]) -> ShowerStatistics {
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
            return ShowerStatistics(meanEnergyRatio: mean, energyRatioSpread: variance.squareRoot())
        }
        let report = Report(
            model: name, candidate: precisionOptions.label, lossReference: referenceLoss, lossCandidate: candidateLoss,
            lossRelativeDifference: Swift.abs(candidateLoss - referenceLoss) / Swift.abs(referenceLoss),
            gradientRelativeDifference: relativeDifference(candidate.gradients, reference.gradients),
            gradientRelativeDifferenceBetweenNoiseSeeds: relativeDifference(otherSeed.gradients, reference.gradients), showers: count, networkEvaluationsPerShower: evaluations,
            showerRelativeDifferenceMean: differences.reduce(0, +) / Double(count), showerRelativeDifferenceMax: differences.max() ?? 0,
            reference: statistics(ratios.0), candidateStatistics: statistics(ratios.1),
            energyRatioShift: {
                let shifts = statistics(zip(ratios.1, ratios.0).map { $0 - $1 })
                return PairedShift(mean: shifts.meanEnergyRatio, standardError: shifts.energyRatioSpread / Double(count).squareRoot())
            }())
        if json {
            print(try JSONOutput.text(report))
            return
        }
        print(String(format: """
            %@: %@ against fp32
              loss (one evaluation per network, same input)  fp32 %.6g  %@ %.6g  relative difference %.2e
              gradients  relative difference (L2 over all parameters) %.2e   (fp32 with another noise seed: %.2e)
              %d showers, %@ (%d NFE), same seed: relative L1 difference per shower  mean %.2e  max %.2e
              E_tot/E_inc  fp32 %.4f ± %.4f   %@ %.4f ± %.4f  (mean ± spread); paired shift %+.2e ± %.1e (mean ± standard error)
            """, model.configuration.name, precisionOptions.label, referenceLoss, precisionOptions.label, candidateLoss,
            report.lossRelativeDifference, report.gradientRelativeDifference, report.gradientRelativeDifferenceBetweenNoiseSeeds, count, settings.name, evaluations,
            report.showerRelativeDifferenceMean, report.showerRelativeDifferenceMax, report.reference.meanEnergyRatio,
            report.reference.energyRatioSpread, precisionOptions.label, report.candidateStatistics.meanEnergyRatio,
            report.candidateStatistics.energyRatioSpread, report.energyRatioShift.mean, report.energyRatioShift.standardError))
    }
}
