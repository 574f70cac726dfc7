import Foundation
import LinkCrypto

/// Loads a vector file copied into `Fixtures/` (see `Fixtures/README.md`).
func fixture<T: Decodable>(_ path: String, as type: T.Type) throws -> T {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(path)", withExtension: nil) else {
        throw FixtureError.missing(path)
    }
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

enum FixtureError: Error { case missing(String), badHex(String), badBase64(String) }

/// Decodes hex from a vector file; a malformed vector is a test failure, not a crash.
func hex(_ s: String) throws -> [UInt8] {
    guard let bytes = Hex.decode(s) else { throw FixtureError.badHex(s) }
    return bytes
}

/// Decodes base64 from a vector file (`merkle.json`).
func base64(_ s: String) throws -> [UInt8] {
    guard let data = Data(base64Encoded: s) else { throw FixtureError.badBase64(s) }
    return Array(data)
}

/// A small deterministic generator (SplitMix64) so that randomised tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
