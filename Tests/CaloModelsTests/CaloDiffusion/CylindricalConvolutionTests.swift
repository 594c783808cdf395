import Testing
import Torch
import TorchNN
import _TestSupport

@testable import CaloModels

@Suite struct CylindricalConvolutionTests {
    /// A 3×3×3 all-ones kernel on a one-hot input reaches exactly the neighbours of the hot voxel, wrapping
    /// around along Φ (dim −2) but not along Z or R.
    @Test(arguments: [[0, 0, 0], [2, 3, 2], [1, 0, 2], [0, 3, 1], [1, 2, 1]])
    func onlyTheAngularAxisWraps(hot: [Int]) throws {
        let (zCount, phiCount, rCount) = (3, 4, 3)
        let conv = try CylindricalConvolution(1, 1, kernelSize: [3], padding: 1, generator: Generator(seed: 1))
        try withNoGrad {
            try conv.conv.weight.fill_(1)
            try conv.conv.bias?.zero_()
        }
        var values = [Float](repeating: 0, count: zCount * phiCount * rCount)
        values[(hot[0] * phiCount + hot[1]) * rCount + hot[2]] = 1
        let x = try Tensor(values, shape: [1, 1, zCount, phiCount, rCount])
        let y = try withNoGrad { try conv(x) }
        #expect(y.shape == [1, 1, zCount, phiCount, rCount])
        let output = try y.toArray(Float.self)
        for z in 0..<zCount {
            for phi in 0..<phiCount {
                for r in 0..<rCount {
                    let angularDistance = min((phi - hot[1] + phiCount) % phiCount, (hot[1] - phi + phiCount) % phiCount)
                    let reached = abs(z - hot[0]) <= 1 && abs(r - hot[2]) <= 1 && angularDistance <= 1
                    #expect(output[(z * phiCount + phi) * rCount + r] == (reached ? 1 : 0), "z \(z) φ \(phi) r \(r)")
                }
            }
        }
    }

    @Test func nonCylindricalPadsWithZerosAndKeysLikeConv3d() throws {
        let conv = try CylindricalConvolution(
            1, 1, kernelSize: [3], padding: 1, isCylindrical: false, generator: Generator(seed: 1))
        try withNoGrad {
            try conv.conv.weight.fill_(1)
            try conv.conv.bias?.zero_()
        }
        var values = [Float](repeating: 0, count: 3 * 4 * 3)
        values[(1 * 4 + 0) * 3 + 1] = 1  // z 1, φ 0, r 1
        let y = try withNoGrad { try conv(try Tensor(values, shape: [1, 1, 3, 4, 3])) }
        let output = try y.toArray(Float.self)
        #expect(output[(1 * 4 + 3) * 3 + 1] == 0)  // φ 3 is not a neighbour of φ 0 without wrapping
        #expect(output[(1 * 4 + 1) * 3 + 1] == 1)
        #expect(Set(conv.stateDict().keys) == ["weight", "bias"])
        let cylindrical = try CylindricalConvolution(1, 1, kernelSize: [3], padding: 1, generator: Generator(seed: 1))
        #expect(Set(cylindrical.stateDict().keys) == ["conv.weight", "conv.bias"])
    }

    /// Cylindrical layers commute with rotations about the beam axis: rolling the input along Φ rolls the
    /// output by the same angle (k input bins ↦ k·stride output bins for the convolution, k/2 for the
    /// downsampling, 2k for the upsampling). Zero padding along Φ would break this at the border.
    @Test func layersCommuteWithRotations() throws {
        let generator = try Generator(seed: 7)
        let x = try Tensor.randn([2, 8, 3, 6, 4], generator: generator)
        let convolution = try CylindricalConvolution(8, 8, kernelSize: [3], padding: 1, generator: generator)
        let downsample = try CylindricalConvolution(
            8, 8, kernelSize: [3, 4, 4], stride: [2, 2, 2], padding: 1, generator: generator)
        let upsample = try CylindricalTransposedConvolution(
            8, 8, kernelSize: [3, 4, 4], stride: [2, 2, 2], padding: 1, outputPadding: [0, 0, 0], generator: generator)
        try withNoGrad {
            let rolled = try x.rolled(shifts: [2], dims: [3])
            try expectClose(try convolution(rolled), try convolution(x).rolled(shifts: [2], dims: [3]), atol: 1e-5, "conv")
            try expectClose(try downsample(rolled), try downsample(x).rolled(shifts: [1], dims: [3]), atol: 1e-5, "down")
            try expectClose(try upsample(rolled), try upsample(x).rolled(shifts: [4], dims: [3]), atol: 1e-5, "up")
            #expect(try upsample(x).shape == [2, 8, 5, 12, 8])
            #expect(try downsample(x).shape == [2, 8, 2, 3, 2])
            // Along Z and R there is no such symmetry (zero padding).
            let zRolled = try x.rolled(shifts: [1], dims: [2])
            let zResult = try allClose(try convolution(zRolled), try convolution(x).rolled(shifts: [1], dims: [2]), atol: 1e-3)
            #expect(!zResult.ok)
        }
    }
}
