import CaloData
@testable import CaloModels
import Testing
import Torch

/// ``LayerEnergyRescaling`` against closed forms on dataset 2 (45 layers of 144 voxels, MAXDEP 2).
@Suite struct LayerEnergyRescalingTests {
    let geometry: Geometry
    let rescaling: LayerEnergyRescaling

    init() throws {
        geometry = try Geometry.named("ds2")
        rescaling = try LayerEnergyRescaling(geometry: geometry)
    }

    /// Every voxel of layer l equal to v_l (some negative in layer 0): after rescaling, layer sums equal the
    /// targets where both exceed 1e-6·MAXDEP·E_inc; negatives are 0; layers below the threshold keep their voxels.
    @Test func layersTakeTheTargetEnergiesAboveTheThreshold() throws {
        let incident = 10_000.0  // τ = 1e-6·2·10 000 = 0.02 MeV
        var voxels = [Double](repeating: 0, count: geometry.voxelCount)
        var targets = [Double](repeating: 0, count: 45)
        for layer in 0..<45 {
            for voxel in 0..<144 {
                voxels[layer * 144 + voxel] = layer == 0 && voxel % 2 == 0 ? -1.0 : 0.5 + Double(layer)
            }
            targets[layer] = 100.0 + 10.0 * Double(layer)
        }
        targets[3] = 0.01  // target below τ: layer 3 stays as generated
        for voxel in 0..<144 { voxels[5 * 144 + voxel] = 1e-5 }  // generated sum 1.44e-3 < τ: stays
        let showers = try Tensor(voxels, shape: [1, geometry.voxelCount])
        let result = try rescaling(
            showers, layerEnergies: try Tensor(targets, shape: [1, 45]), incidentEnergies: try Tensor([incident], shape: [1, 1]))
        #expect(result.dtype == .float64)
        let sums = try geometry.layerEnergies(of: result).toArray(Double.self)
        for layer in 0..<45 {
            switch layer {
            case 3: #expect(abs(sums[3] - 144 * 3.5) < 1e-9)
            case 5: #expect(abs(sums[5] - 1.44e-3) < 1e-12)
            default:
                // S_l·E_l/(S_l + 1e-10·MAXDEP·E_inc)
                let generated = layer == 0 ? 72 * 0.5 : 144 * (0.5 + Double(layer))
                let expected = targets[layer] * generated / (generated + 2e-6)
                #expect(abs(sums[layer] - expected) < 1e-9 * expected, "layer \(layer): \(sums[layer]) vs \(expected)")
            }
        }
        #expect(try result.amin().item() == 0)
    }

    /// Float32 showers come back in float32; wrong shapes are refused with the input named.
    @Test func keepsTheDTypeAndChecksShapes() throws {
        let showers = try Tensor.ones([2, geometry.voxelCount], dtype: .float32)
        let targets = try Tensor.ones([2, 45], dtype: .float32) * 288
        let result = try rescaling(
            showers, layerEnergies: targets, incidentEnergies: try Tensor([1_000.0, 1_000], shape: [2, 1]))
        #expect(result.dtype == .float32)
        try expectClose(result, showers * 2, rtol: 1e-6, atol: 0)
        #expect(throws: ModelError.self) {
            _ = try rescaling(showers, layerEnergies: try Tensor.ones([2, 44]), incidentEnergies: try Tensor.ones([2, 1]))
        }
        #expect(throws: ModelError.self) {
            _ = try rescaling(showers, layerEnergies: targets, incidentEnergies: try Tensor.ones([2]))
        }
    }
}
