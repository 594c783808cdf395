import CaloEval
import Testing

/// The incident-energy comparison of an evaluation's inputs.
@Suite struct IncidentEnergyCheckTests {
    /// A NaN used to stop the KS walk from advancing (an endless loop in `caloforge evaluate`).
    @Test func nanIsLeftOutInsteadOfLoopingForever() {
        let reference = [Double](repeating: 1024, count: 9) + [8192]
        var energies = [Double](repeating: 1024, count: 10)
        energies[4] = .nan
        let check = IncidentEnergyCheck(energies: energies, reference: reference)
        #expect(!check.identical)
        // 9 finite values all at 1024 against 9 of 10 reference values at 1024: the CDFs differ by 0.1.
        #expect(Swift.abs(check.ksDistance - 0.1) < 1e-12)
    }

    @Test func identicalSamplesAgree() {
        let check = IncidentEnergyCheck(energies: [3, 1, 2], reference: [1, 2, 3])
        #expect(check.identical)
        #expect(check.ksDistance == 0)
        #expect(check.agrees)
    }
}
