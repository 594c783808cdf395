/// CaloModels: the concrete networks of each paper and the generators binding them to a
/// diffusion process and preprocessing. Filled by the CaloDiffusion issue.
public enum CaloModelsModule {
    public static let name = "CaloModels"
}
