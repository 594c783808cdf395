import Torch
import TorchNN

/// The hook of progressive distillation (Salimans & Ho 2022, Algorithm 2): after every `roundSteps`
/// steps the student's weights (and buffers) are copied into the frozen teacher, so the student of one round is the
/// teacher of the next. Both must be children of the model's module (then the checkpoint holds the
/// teacher and a resume continues the round exactly); only the student is a trained part.
public final class TeacherUpdateHook: TrainingHook {
    let teacher: Module
    let student: Module
    /// Steps per distillation round.
    public let roundSteps: Int

    /// Throws ``ModelError/invalidConfig(_:)`` for `roundSteps` below 1 or networks with different keys.
    public init(teacher: Module, student: Module, roundSteps: Int) throws {
        guard roundSteps >= 1 else { throw ModelError.invalidConfig("roundSteps of the teacher update must be at least 1, got \(roundSteps)") }
        let teacherKeys = teacher.namedParameters().map(\.key), studentKeys = student.namedParameters().map(\.key)
        guard teacherKeys == studentKeys else {
            throw ModelError.invalidConfig("teacher and student have different parameters (\(teacherKeys.count) vs \(studentKeys.count)); they must be one architecture")
        }
        self.teacher = teacher
        self.student = student
        self.roundSteps = roundSteps
    }

    /// The round that step `step` (1-based) belongs to, from 0.
    public func round(ofStep step: Int) -> Int { (step - 1) / roundSteps }

    public func afterStep(_ step: Int) throws {
        guard step % roundSteps == 0 else { return }
        try withNoGrad {
            for ((_, target), (_, source)) in zip(teacher.namedParameters(), student.namedParameters()) { try target.copy_(source) }
            for ((_, target), (_, source)) in zip(teacher.namedBuffers(), student.namedBuffers()) { try target.copy_(source) }
        }
    }
}
