import CaloData
import Testing
import Torch
import TorchNN

@testable import CaloModels

@Suite struct LocationChannelsTests {
    /// ds1 photons: [R, Z, Φ] images on the 5 × 10 × 30 GLaM grid (spec/models.md §A.9).
    @Test func ds1PhotonImages() throws {
        let model = try CaloDiffusionUNet(config: .ds1Photons, generator: Generator(seed: 1))
        let images = model.locationImages.wrappedValue
        #expect(images.shape == [1, 3, 5, 10, 30])
        let edges: [Double] = [
            0, 2, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90, 100, 120, 130, 150, 160, 200,
            250, 300, 350, 400, 600, 1000, 2000,
        ]
        let values = try images.toArray(Float.self)
        func value(_ channel: Int, _ z: Int, _ phi: Int, _ r: Int) -> Float { values[((channel * 5 + z) * 10 + phi) * 30 + r] }
        for z in 0..<5 {
            for phi in 0..<10 {
                for r in 0..<30 {
                    let centre = (edges[r] + edges[r + 1]) / 2
                    #expect(abs(Double(value(0, z, phi, r)) - centre / 1500) <= 1e-7)
                    #expect(abs(Double(value(1, z, phi, r)) - Double(z) / 5) <= 1e-7)
                    #expect(abs(Double(value(2, z, phi, r)) - Double(phi) / 9) <= 1e-7)
                }
            }
        }
        #expect(value(0, 0, 0, 29) == 1)
        #expect(value(2, 0, 9, 0) == 1)
        #expect(value(1, 4, 0, 0) == 0.8)
    }

    /// ds2: [R, Z] only; R centres of 4.65 mm bins over the largest centre 39.525 mm, Z = z/45 < 1.
    @Test func ds2Images() throws {
        let images = try LocationChannels.images(
            gridShape: [45, 16, 9], radialEdges: Geometry.ds2.layers[0].radialEdges, radialAndLayer: true, angular: false)
        #expect(images.shape == [1, 2, 45, 16, 9])
        let radial = try images.selecting(dim: 1, index: 0).toArray(Float.self)
        let layer = try images.selecting(dim: 1, index: 1).toArray(Float.self)
        for r in 0..<9 { #expect(abs(Double(radial[r]) - (4.65 * (Double(r) + 0.5)) / 39.525) <= 1e-6) }
        #expect(radial[8] == 1)
        #expect(abs(Double(layer[44 * 16 * 9]) - 44.0 / 45) <= 1e-7)
        #expect(try images.amax().item() == 1)
        let none = try LocationChannels.images(
            gridShape: [2, 3, 2], radialEdges: [0, 1, 2], radialAndLayer: false, angular: false)
        #expect(none.shape == [1, 0, 2, 3, 2])
    }
}
