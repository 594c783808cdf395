import CaloData
@testable import CaloModels
import Foundation
import Testing
import Torch
import TorchNN

/// A student regressing a target while staying near a frozen teacher of the same architecture.
final class DistillationModel: TrainableShowerModel {
    final class Networks: Module {
        let teacher: Linear
        let student: Linear
        init(seed: UInt64) throws {
            teacher = try Linear(1, 1, generator: try Generator(seed: seed))
            student = try Linear(1, 1, generator: try Generator(seed: seed + 1))
            super.init()
        }
    }

    let networks: Networks
    var module: Module { networks }
    var checkpointMetadata: [String: String] { [:] }

    init() throws { networks = try Networks(seed: 21) }

    func trainedParts(_ config: TrainingConfig) -> [TrainedPart] {
        [TrainedPart(name: "student", module: networks.student, policies: config.policies)]
    }

    func loss(_ batch: ShowerBatch, generator: Generator) throws -> Tensor {
        let x = try (batch.incidentEnergies / 1000).log()
        let target = try (batch.showers.sum(dims: [1], keepDim: true) + 1).log()
        let prediction = try networks.student(x)
        return try (prediction - target).square().mean() + (prediction - networks.teacher(x).detached()).square().mean()
    }
}

@Suite struct TeacherUpdateHookTests {
    func values(_ module: Module) throws -> [Double] {
        try module.parameters().flatMap { try $0.detached().to(dtype: .float64).toArray(Double.self) }
    }

    @Test func theTeacherTakesTheStudentsWeightsAtEachRoundEnd() throws {
        let model = try DistillationModel()
        let hook = try TeacherUpdateHook(teacher: model.networks.teacher, student: model.networks.student, roundSteps: 3)
        let teacherBefore = try values(model.networks.teacher)
        #expect(teacherBefore != (try values(model.networks.student)))
        try hook.afterStep(1)
        try hook.afterStep(2)
        #expect(try values(model.networks.teacher) == teacherBefore)
        try hook.afterStep(3)
        #expect(try values(model.networks.teacher) == (try values(model.networks.student)))
        #expect(hook.round(ofStep: 3) == 0 && hook.round(ofStep: 4) == 1)
    }

    /// Seven steps in rounds of three, interrupted after four and resumed: the frozen teacher lives in
    /// the checkpoint, so the run equals one in a single go, and the teacher is the student of step 6.
    @Test func aDistillationRunResumesExactly() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try syntheticTrainingFile(in: folder)
        let config = TrainingConfig(learningRate: 5e-2, batchSize: 4, maxSteps: 7, validationFraction: 0.25, optimizer: .adam(),
                                    schedule: .constant, stopping: .never, seed: 7)
        func trainer(_ run: String) throws -> (Trainer, DistillationModel) {
            let model = try DistillationModel()
            let hook = try TeacherUpdateHook(teacher: model.networks.teacher, student: model.networks.student, roundSteps: 3)
            return (try Trainer(model: model, loader: try makeLoader(data, training: config), config: config,
                                runDirectory: folder.appendingPathComponent(run), hooks: [hook]), model)
        }
        var studentAtSix: [Double] = []
        let (straight, straightModel) = try trainer("straight")
        let teacherAtStart = try values(straightModel.networks.teacher)
        try straight.run { if $0.phase == .training && $0.step == 6 { studentAtSix = (try? self.values(straightModel.networks.student)) ?? [] } }
        #expect(try values(straightModel.networks.teacher) == studentAtSix)
        #expect(studentAtSix != teacherAtStart)

        let (first, _) = try trainer("resumed")
        first.shouldStop = { first.step >= 4 }
        try first.run()
        let (second, resumedModel) = try trainer("resumed")
        try second.resume()
        try second.run()
        #expect(try values(resumedModel.networks.teacher) == (try values(straightModel.networks.teacher)))
        #expect(try values(resumedModel.networks.student) == (try values(straightModel.networks.student)))
    }

    @Test func mismatchedNetworksAreRefused() throws {
        let small = try Linear(1, 1, generator: try Generator(seed: 1))
        let wide = Sequential([try Linear(1, 2, generator: try Generator(seed: 1))])
        #expect(throws: ModelError.self) { _ = try TeacherUpdateHook(teacher: small, student: wide, roundSteps: 2) }
        #expect(throws: ModelError.invalidConfig("roundSteps of the teacher update must be at least 1, got 0")) {
            _ = try TeacherUpdateHook(teacher: small, student: small, roundSteps: 0)
        }
    }
}
