import Foundation
import LinkCrypto

/// Loads a published vector file copied into `Fixtures/` (see `Fixtures/README.md`).
func fixture<T: Decodable>(_ path: String, as type: T.Type) throws -> T {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(path)", withExtension: nil) else {
        throw FixtureError.missing(path)
    }
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

enum FixtureError: Error { case missing(String), badHex(String) }

/// Decodes hex from a vector file; a malformed vector is a test failure, not a crash.
func hex(_ s: String) throws -> [UInt8] {
    guard let bytes = Hex.decode(s) else { throw FixtureError.badHex(s) }
    return bytes
}

/// The common shape of Wycheproof files: groups of tests with a `result` verdict.
struct WycheproofFile<Group: Decodable>: Decodable {
    let algorithm: String
    let numberOfTests: Int
    let testGroups: [Group]
}

enum WycheproofResult: String, Decodable {
    case valid, invalid, acceptable
}
