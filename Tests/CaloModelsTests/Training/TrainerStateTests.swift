import CaloData
@testable import CaloModels
import Foundation
import Testing
import TorchNN

@Suite struct TrainerStateTests {
    /// A state written before trained parts existed has one `plateau`, that of the part "model".
    @Test func earlierStateMapsItsPlateauToThePartModel() throws {
        let json = """
            {"bestValidationLoss":0.12,"earlyStopCount":2,"epochBatches":100,"epochLossSum":12.5,
             "loader":{"epoch":37,"generatorState":[1,2],"position":3200,"trainingChecksum":5,"trainingCount":6400},
             "plateau":{"badObservations":4,"best":0.1234,"cooldown":0,"cooldownLeft":0,"factor":0.1,"minimum":0,"patience":4,"threshold":0.0001},
             "secondsTrained":10.5,"step":7500,"finished":"stopped early (validation loss stayed above training loss)"}
            """
        let state = try JSONDecoder().decode(TrainerState.self, from: Data(json.utf8))
        #expect(state.step == 7500 && state.earlyStopCount == 2 && state.bestValidationLoss == 0.12)
        #expect(state.plateaus.keys.sorted() == ["model"])
        #expect(state.plateaus["model"]?.best == 0.1234)
        #expect(state.plateaus["model"]?.patience == 4)
        // An outcome text of another version does not make the file unreadable.
        #expect(state.finished == nil)
        let again = try JSONDecoder().decode(TrainerState.self, from: JSONEncoder().encode(state))
        #expect(again == state)
    }
}
