import Foundation
import Torch

/// One metric family's finished pieces of work inside the evaluation's saved progress
/// (``EvaluationResumption``): a piece is read back when an earlier segment saved it, and saved as
/// soon as it is computed, so that an interrupted evaluation loses at most the piece in progress.
/// Without a resumption folder nothing is read or written and every piece is computed.
///
/// Every family that saves intermediate results goes through this one type: JSON values (PRDC
/// scores, classifier scores), tensors (PRDC radii) and the classifier trainings' checkpoints.
struct SavedWork {
    /// The folder of this family's pieces; nil when the evaluation saves no progress.
    let folder: URL?
    private let resumption: EvaluationResumption?

    /// The saved work of `family`, in its folder of the context's resumption folder.
    init(_ context: EvaluationContext, family: String) {
        self.init(folder: context.resumption?.folder(family: family), resumption: context.resumption)
    }

    private init(folder: URL?, resumption: EvaluationResumption?) {
        self.folder = folder
        self.resumption = resumption
    }

    /// The same family's work in a sub-folder (one per file, or per training).
    func subfolder(_ name: String) -> SavedWork {
        SavedWork(folder: folder?.appendingPathComponent(name, isDirectory: true), resumption: resumption)
    }

    /// The value saved in `name` (JSON), or else `compute()`, saved there.
    ///
    /// - Throws: ``EvaluationError/cannotResume(path:reason:)`` when the saved file cannot be decoded,
    ///   ``EvaluationError/cannotWrite(path:reason:)`` when it cannot be written, or what `compute` throws.
    func value<Value: Codable>(_ name: String, compute: () throws -> Value) throws -> Value {
        let url = folder?.appendingPathComponent(name)
        if let url, FileManager.default.fileExists(atPath: url.path) {
            do { return try JSONDecoder().decode(Value.self, from: Data(contentsOf: url)) } catch {
                throw EvaluationError.cannotResume(path: url.path, reason: "it cannot be read (\(error))")
            }
        }
        let value = try compute()
        if let url {
            try createFolder()
            do { try JSONEncoder().encode(value).write(to: url, options: .atomic) } catch {
                throw EvaluationError.cannotWrite(path: url.path, reason: error.localizedDescription)
            }
            resumption?.recordTime()
        }
        return value
    }

    /// The tensor saved under `key` in `name` (safetensors), which must have `shape`, or else
    /// `compute()`, saved there from the CPU. A saved tensor comes back on the CPU.
    ///
    /// - Parameter isCheckpoint: after computing and saving, end the evaluation if it was asked to
    ///   stop (``stopIfAsked()``): the piece was long, and what follows is longer.
    /// - Throws: ``EvaluationError/cannotResume(path:reason:)`` when the saved file cannot be read or
    ///   holds no such tensor, ``EvaluationError/interrupted(resumeFrom:)``, the codec's errors, or
    ///   what `compute` throws.
    func tensor(
        _ name: String, key: String, shape: [Int], isCheckpoint: Bool = false, compute: () throws -> Tensor
    ) throws -> Tensor {
        let url = folder?.appendingPathComponent(name)
        if let url, FileManager.default.fileExists(atPath: url.path) {
            if let saved = try? Safetensors.load(url).tensors[key], saved.shape == shape { return saved }
            throw EvaluationError.cannotResume(path: url.path, reason: "it holds no \(key) of shape \(shape)")
        }
        let value = try compute()
        if let url {
            try createFolder()
            try Safetensors.save([key: value.to(.cpu)], to: url)
            resumption?.recordTime()
        }
        if isCheckpoint { try stopIfAsked() }
        return value
    }

    /// Checkpointing for a classifier training kept in this folder, or nil without saved progress.
    var classifierCheckpointing: ClassifierCheckpointing? {
        guard let resumption, let folder else { return nil }
        return ClassifierCheckpointing(
            directory: folder, shouldStop: resumption.shouldStop, onSave: { resumption.recordTime() })
    }

    /// Ends the evaluation with ``EvaluationError/interrupted(resumeFrom:)`` when it was asked to stop,
    /// after saving the running family's time.
    func stopIfAsked() throws {
        guard let resumption, resumption.shouldStop() else { return }
        resumption.recordTime()
        throw EvaluationError.interrupted(resumeFrom: resumption.directory.path)
    }

    private func createFolder() throws {
        guard let folder else { return }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw EvaluationError.cannotWrite(path: folder.path, reason: error.localizedDescription)
        }
    }
}
