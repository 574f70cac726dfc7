public import ArgumentParser
import Foundation

/// Where a key-file passphrase comes from: an environment variable, else a prompt on the terminal.
/// Shared by the command-line tools, so they ask the same way.
public struct PassphraseOptions: ParsableArguments {
    @Option(help: "Environment variable holding the key-file passphrase (prompted for if unset and on a terminal).")
    public var passphraseEnv = "MASHLINK_PASSPHRASE"

    public init() {}

    /// The passphrase for `what` (named in the prompt).
    public func passphrase(for what: String) throws -> String {
        if let value = ProcessInfo.processInfo.environment[passphraseEnv], !value.isEmpty { return value }
        guard isatty(STDIN_FILENO) == 1, let entered = getpass("Passphrase for \(what): ") else {
            throw ValidationError("no passphrase: set \(passphraseEnv) or run on a terminal to be asked")
        }
        return String(cString: entered)
    }
}
