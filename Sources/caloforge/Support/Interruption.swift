import Dispatch
import Foundation
import Synchronization

/// Ctrl-C for long jobs: the first SIGINT (or SIGTERM) asks the running job to stop at its next safe
/// point — `caloforge train` writes its checkpoint and says how to resume — and a second one exits
/// at once with status 130.
final class Interruption: Sendable {
    static let shared = Interruption()

    private let count = Atomic<Int>(0)
    private let sources = Mutex<[any DispatchSourceSignal]>([])

    /// True once an interrupt has arrived.
    var isRequested: Bool { count.load(ordering: .relaxed) > 0 }

    /// Routes SIGINT and SIGTERM to this object instead of killing the process, whatever disposition
    /// the process inherited (a job started with `&` from a script inherits SIGINT ignored, and must
    /// still stop on `kill -INT`). `message` is printed on the first interrupt; `quitMessage`, asked
    /// at that moment so it can say what exists then, on the second, before exiting.
    func install(message: String, quitMessage: @escaping @Sendable () -> String = { "interrupted again: quitting without saving" }) {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                // The dispatch source sees the signal only while the default action stays off.
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [self] in
                    let previous = count.add(1, ordering: .relaxed).oldValue
                    if previous == 0 {
                        FileHandle.standardError.write(Data("\n\(message) (press Ctrl-C again to quit at once)\n".utf8))
                    } else {
                        FileHandle.standardError.write(Data("\n\(quitMessage())\n".utf8))
                        // _exit: exit() would run C++ static destructors (LibTorch) while the main thread still uses them (SIGABRT).
                        _exit(130)
                    }
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
