import Testing

@testable import CaloModels

@Suite struct ReferenceImportTests {
    /// The configuration reported is the network's own, and the choice names how it was made.
    @Test func reportsTheNetworksConfiguration() throws {
        let imported = try CaloDiffusionCheckpoint.importReference(
            from: try Fixtures.url("cpu-demo.newest-layout.safetensors"), config: .cpuDemo, geometry: nil)
        #expect(imported.config == imported.network.config)
        #expect(imported.configurationChoice == .given)
        #expect(ReferenceImport.ConfigurationChoice.inferred.rawValue == "inferred")
    }
}
