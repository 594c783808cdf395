import CaloData

/// The input files of an evaluation, opened and checked against the reference
/// (``Evaluation/openInputs()``), before any long pass.
struct OpenedInputs {
    /// One opened file and what was checked about it.
    struct File {
        let reader: CaloChallengeReader
        let input: EvaluationInput
    }

    let geometry: Geometry
    let threshold: ReadoutThreshold
    let reference: File
    let reference2: File?
    let generated: [File]
    /// The reference's incident energies in MeV, in file order.
    let referenceEnergies: [Double]
    /// The number of this segment of a resumable evaluation; nil without a resumption folder.
    let segment: Int?
    /// Input mismatches accepted without ``EvaluationConfiguration/isStrict``.
    let warnings: [String]
}
