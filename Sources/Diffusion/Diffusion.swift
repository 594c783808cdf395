/// Diffusion: data-agnostic generative machinery (schedules, denoisers, samplers, losses).
/// Filled by the CaloDiffusion issue; knows nothing of calorimeters.
public enum DiffusionModule {
    public static let name = "Diffusion"
}
