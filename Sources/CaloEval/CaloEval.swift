/// CaloEval: the CaloChallenge evaluation. Filled by the evaluation issue.
public enum CaloEvalModule {
    public static let name = "CaloEval"
}
