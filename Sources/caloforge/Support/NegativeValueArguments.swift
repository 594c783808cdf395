import Foundation

/// Joins a negative number to the long option before it (`--count -5` → `--count=-5`): the argument
/// parser takes `-5` for an option and would report "Missing value for '--count'", where the
/// command's own check says what range the value must lie in.
enum NegativeValueArguments {
    static func joined(_ arguments: [String]) -> [String] {
        var result: [String] = []
        for argument in arguments {
            if let previous = result.last, previous.hasPrefix("--"), previous != "--", !previous.contains("="),
                isNegativeNumber(argument)
            {
                result[result.count - 1] = previous + "=" + argument
            } else {
                result.append(argument)
            }
        }
        return result
    }

    static func isNegativeNumber(_ text: String) -> Bool {
        guard text.hasPrefix("-"), text.count > 1 else { return false }
        return Double(text) != nil
    }
}
