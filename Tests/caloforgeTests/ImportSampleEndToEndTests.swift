import CaloData
import Foundation
import Testing
import Torch

/// Reference weights → `caloforge import` → `caloforge sample` → `caloforge evaluate`, through the command line
/// only, on the reference fixtures of CaloModelsTests (Fixtures/make_unet_fixtures.py, make_sampling_fixture.py).
@Suite struct ImportSampleEndToEndTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CaloModelsTests/Fixtures")

    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caloforge-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Imports `weights` with no --dataset (the configuration is recognised), checks what `inspect` says.
    static func importWeights(_ weights: URL, into folder: URL, expecting configuration: String) throws -> String {
        let model = folder.appendingPathComponent("model.safetensors").path
        let result = try runCaloForge(["import", "--from", weights.path, "-o", model])
        #expect(result.status == 0, "\(result.output)")
        let inspect = try runCaloForge(["inspect", model])
        #expect(inspect.status == 0, "\(inspect.output)")
        #expect(inspect.output.contains("model        calodiffusion, configuration \(configuration)"), "\(inspect.output)")
        return model
    }

    /// The paper-layout reference weights of the cpu-demo network sample into a valid CaloChallenge file that
    /// `evaluate` scores.
    @Test func importedPaperWeightsSampleAndEvaluate() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try Self.importWeights(
            Self.fixtures.appendingPathComponent("cpu-demo.weights.safetensors"), into: folder, expecting: "cpu-demo")
        let reference = folder.appendingPathComponent("reference.h5").path
        #expect(try runCaloForge(["synth", "--geometry", "ds2", "--count", "8", "--seed", "3", "-o", reference]).status == 0)
        let generated = folder.appendingPathComponent("generated.h5").path
        var result = try runCaloForge([
            "sample", "--model", model, "--energies-from", reference, "--sampler", "ddim", "--steps", "5", "--seed", "4",
            "--device", "cpu", "-o", generated,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("wrote 8 showers"), "\(result.output)")
        #expect(result.output.contains("3 network evaluations per shower"), "\(result.output)")
        result = try runCaloForge(["inspect", generated])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("valid: no NaN"), "\(result.output)")
        let record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: generated + ".json"))) as? [String: Any])
        let sampler = try #require(record["sampler"] as? [String: Any])
        #expect(sampler["sampler"] as? String == "ddim")
        #expect(sampler["eta"] as? Double == 0, "the resolved settings list every knob of the sampler")
        #expect(sampler["steps"] as? Int == 5)
        #expect(record["networkEvaluationsPerShower"] as? Int == 3)
        result = try runCaloForge([
            "evaluate", "--reference", reference, "--generated", generated, "--metrics", "hist", "--device", "cpu",
            "--out", folder.appendingPathComponent("evaluation").path,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("evaluation/summary.md").path))
    }

    /// The same network in the newest repository's key layout (`cond_mlp.0/.2/.4`), as a `.pth` file of
    /// `torch.save` holding a plain dict, and as the reference's own nested checkpoint of OrderedDicts (read by
    /// LibTorch after PickleRewrite) imports without flags and samples like the paper-layout safetensors file.
    @Test(arguments: ["cpu-demo.newest-layout.safetensors", "cpu-demo.paper-layout.pth", "cpu-demo.ordered-dict.pth"])
    func otherLayoutsAndPthSampleTheSameShowers(_ fixture: String) throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let paperFolder = folder.appendingPathComponent("paper")
        let otherFolder = folder.appendingPathComponent("other")
        for sub in [paperFolder, otherFolder] { try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true) }
        let paper = try Self.importWeights(
            Self.fixtures.appendingPathComponent("cpu-demo.weights.safetensors"), into: paperFolder, expecting: "cpu-demo")
        let other = try Self.importWeights(Self.fixtures.appendingPathComponent(fixture), into: otherFolder, expecting: "cpu-demo")
        var showers: [[Float]] = []
        for model in [paper, other] {
            let generated = model + ".h5"
            let result = try runCaloForge([
                "sample", "--model", model, "--count", "3", "--energies", "log-uniform:1GeV:100GeV", "--sampler", "dpmpp-2m",
                "--steps", "5", "--seed", "6", "--device", "cpu", "-o", generated,
            ])
            #expect(result.status == 0, "\(result.output)")
            showers.append(try CaloChallengeReader(path: generated).showers(0..<3))
        }
        #expect(showers[0] == showers[1], "\(fixture) samples other showers than the paper-layout weights")
    }

    /// A `.pth` holding a Python object that is not a tensor or a plain container is refused, naming it.
    @Test func pthWithANonTensorObjectIsRefused() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("model.safetensors").path
        let result = try runCaloForge([
            "import", "--from", Self.fixtures.appendingPathComponent("cpu-demo.non-tensor.pth").path, "-o", output,
        ])
        #expect(result.status != 0)
        #expect(result.output.contains("Counter"), "\(result.output)")
        #expect(!result.output.contains("Usage:"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// A layer-conditioned U-Net of the newest repository without its LayerDiffusion layer model is refused (it
    /// cannot sample without the layer energies), and a checkpoint that cannot sample is not written.
    @Test func layerConditionedWeightsWithoutTheLayerModelAreRefused() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("model.safetensors").path
        let result = try runCaloForge([
            "import", "--from", Self.fixtures.appendingPathComponent("layered-demo.weights.safetensors").path, "--geometry", "ds2",
            "-o", output,
        ])
        #expect(result.status != 0)
        #expect(result.output.contains("layer_model"), "\(result.output)")
        #expect(result.output.contains("LayerDiffusion"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// A LayerDiffusion state dict (layer model + layer-conditioned U-Net, Fixtures/make_layered_fixture.py) imports
    /// as a layered-calodiffusion model that `inspect` describes and `sample` samples: 400 layer-model steps plus
    /// the U-Net's.
    @Test func layerDiffusionWeightsImportInspectAndSample() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.safetensors").path
        var result = try runCaloForge([
            "import", "--from", Self.fixtures.appendingPathComponent("layered-model.safetensors").path, "--geometry", "ds2", "-o", model,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("imported layered-calodiffusion"), "\(result.output)")
        result = try runCaloForge(["inspect", model])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("model        layered-calodiffusion"), "\(result.output)")
        let reference = folder.appendingPathComponent("reference.h5").path
        #expect(try runCaloForge(["synth", "--geometry", "ds2", "--count", "3", "--seed", "3", "-o", reference]).status == 0)
        let generated = folder.appendingPathComponent("generated.h5").path
        result = try runCaloForge([
            "sample", "--model", model, "--energies-from", reference, "--steps", "3", "--seed", "4", "--device", "cpu",
            "-o", generated,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("wrote 3 showers"), "\(result.output)")
        #expect(result.output.contains("403 network evaluations per shower"), "\(result.output)")
        result = try runCaloForge(["inspect", generated])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("valid: no NaN"), "\(result.output)")
    }

    /// The reference sampler's DDPM golden (CaloDiffu.Sample, 40 steps, offset 2, seed 21, float64, then the
    /// reference's inverse preprocessing) reproduced by `caloforge import` + `caloforge sample --seed 21`.
    @Test func ddpmGoldenOfTheReferenceThroughTheCommandLine() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try Self.importWeights(
            Self.fixtures.appendingPathComponent("cpu-demo.weights.safetensors"), into: folder, expecting: "cpu-demo")
        let golden = try Safetensors.load(Self.fixtures.appendingPathComponent("ddpm-sampling-cli.safetensors")).tensors
        let energies = try #require(golden["energies_mev"]).toArray(Float.self)
        let expected = try #require(golden["showers_mev"]).toArray(Double.self)
        let energyFile = folder.appendingPathComponent("energies.h5").path
        let writer = try CaloChallengeWriter(path: energyFile, geometry: try Geometry.named("ds2"))
        try writer.append(incidentEnergies: energies, showers: [Float](repeating: 0, count: energies.count * 6480))
        try writer.finish()
        let generated = folder.appendingPathComponent("generated.h5").path
        let result = try runCaloForge([
            "sample", "--model", model, "--energies-from", energyFile, "--sampler", "ddpm", "--steps", "40", "--seed", "21",
            "--batch-size", "2", "--device", "cpu", "-o", generated,
        ])
        #expect(result.status == 0, "\(result.output)")
        let showers = try CaloChallengeReader(path: generated).showers(0..<energies.count)
        #expect(showers.count == expected.count)
        // The network runs in float32 here and in float64 in the golden; 38 steps through random weights
        // agree to ~1e-6 relative. A voxel can only differ by the 0.0151 MeV cut when it lies at the cut.
        var mismatches: [String] = []
        for (index, (ours, theirs)) in zip(showers, expected).enumerated()
        where abs(Double(ours) - theirs) > 1e-4 * abs(theirs) + 1e-3 {
            mismatches.append("voxel \(index): \(ours) vs \(theirs)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) voxels differ: \(mismatches.prefix(5))")
    }
}
