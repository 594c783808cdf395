import Testing
import Torch
import TorchNN

@testable import CaloModels

@Suite struct ResolutionPlanTests {
    /// Level shapes of the paper configurations (spec/models.md §A.3, §A.7).
    @Test(arguments: [
        ("ds1-photons", [[5, 10, 30], [3, 5, 15], [2, 2, 7]], [3, 3], [[0, 0, 0], [0, 1, 1]]),
        ("ds1-pions", [[7, 10, 23], [4, 5, 11], [2, 2, 5]], [3, 4], [[0, 0, 1], [0, 1, 1]]),
        ("ds2", [[45, 16, 9], [23, 8, 4], [12, 4, 2]], [3, 3], [[0, 0, 1], [0, 0, 0]]),
        ("ds3", [[45, 50, 18], [23, 25, 9], [12, 12, 4]], [3, 3], [[0, 0, 0], [0, 1, 1]]),
    ])
    func paperLevelShapes(preset: String, shapes: [[Int]], kernels: [Int], paddings: [[Int]]) throws {
        let plan = try CaloDiffusionConfig.preset(named: preset).resolutionPlan()
        #expect(plan.levelShapes == shapes)
        #expect(plan.upsamplingKernelZ == kernels)
        #expect(plan.upsamplingOutputPadding == paddings)
        #expect(plan.layerStride == 2)
    }

    /// The real down- and up-sampling layers of every level return the original shapes.
    @Test(arguments: ["ds1-photons", "ds1-pions", "ds2", "ds3"])
    func resamplingRestoresEveryLevel(preset: String) throws {
        let plan = try CaloDiffusionConfig.preset(named: preset).resolutionPlan()
        let generator = try Generator(seed: 3)
        var x = try Tensor.randn([1, 8] + plan.levelShapes[0], generator: generator)
        var stack: [[Int]] = []
        try withNoGrad {
            for step in 0..<(plan.levelShapes.count - 1) {
                stack.append(Array(x.shape.dropFirst(2)))
                let down = try CylindricalConvolution(
                    8, 8, kernelSize: [3, 4, 4], stride: [plan.layerStride, 2, 2], padding: 1, generator: generator)
                x = try down(x)
                #expect(Array(x.shape.dropFirst(2)) == plan.levelShapes[step + 1])
            }
            for step in (0..<(plan.levelShapes.count - 1)).reversed() {
                let up = try CylindricalTransposedConvolution(
                    8, 8, kernelSize: [plan.upsamplingKernelZ[step], 4, 4], stride: [plan.layerStride, 2, 2], padding: 1,
                    outputPadding: plan.upsamplingOutputPadding[step], generator: generator)
                x = try up(x)
                #expect(Array(x.shape.dropFirst(2)) == stack.removeLast())
            }
        }
        #expect(Array(x.shape.dropFirst(2)) == plan.levelShapes[0])
    }

    @Test func uncompressedEvenLayersCannotBeRestored() throws {
        #expect(throws: ModelError.self) {
            try ResolutionPlan(gridShape: [4, 8, 8], levels: 2, compressesLayers: false)
        }
        let odd = try ResolutionPlan(gridShape: [5, 8, 8], levels: 3, compressesLayers: false)
        #expect(odd.levelShapes == [[5, 8, 8], [5, 4, 4], [5, 2, 2]])
        #expect(throws: ModelError.self) {
            try ResolutionPlan(gridShape: [5, 2, 2], levels: 3, compressesLayers: true)
        }
    }
}
