import Diffusion
import Torch

extension CaloDiffusionModelConfig.Objective {
    /// The training objective of this choice over `schedule` (spec/models.md §A.5): ε-MSE or the hybrid loss.
    func trainingObjective(schedule: DDPMSchedule) -> any TrainingObjective {
        switch self {
        case .epsilon: EpsilonLoss(schedule: schedule)
        case .hybrid: HybridLoss(schedule: schedule)
        }
    }

    /// The denoiser D(x; σ) that samplers see for a network trained with this objective, run in float32.
    func denoiser(_ network: @escaping DiffusionNetwork) -> any Denoiser {
        switch self {
        case .epsilon: EpsilonDenoiser(networkDType: .float32, network: network)
        case .hybrid: HybridDenoiser(networkDType: .float32, network: network)
        }
    }
}
