import ArgumentParser
import Foundation
import LinkCrypto
import Tokenisation

/// Where a passphrase comes from: an environment variable, else a prompt on the terminal.
struct PassphraseOptions: ParsableArguments {
    @Option(help: "Environment variable holding the key-file passphrase (prompted for if unset and on a terminal).")
    var passphraseEnv = "MASHLINK_PASSPHRASE"

    func passphrase(for what: String) throws -> String {
        if let value = ProcessInfo.processInfo.environment[passphraseEnv], !value.isEmpty { return value }
        guard isatty(STDIN_FILENO) == 1, let entered = getpass("Passphrase for \(what): ") else {
            throw ValidationError("no passphrase: set \(passphraseEnv) or run on a terminal to be asked")
        }
        return String(cString: entered)
    }
}

func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("\(path) cannot be read; check the path")
    }
    return String(decoding: data, as: UTF8.self)
}
