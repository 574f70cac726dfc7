import LinkCrypto
@testable import TransparencyLog

/// `Fixtures/checkpoint.json`: checkpoints and a proof bundle signed in Python (`cryptography`)
/// with a fixed Ed25519 seed, following the C2SP specs independently of this module.
struct CheckpointFixture: Decodable {
    struct Entry: Decodable {
        let origin: String; let size: UInt64; let root_hex: String; let extensions: [String]; let text: String; let note: String
    }
    struct Bundle: Decodable { let index: UInt64; let leaf_input_hex: String; let proof_hex: [String]; let text: String }
    let seed_hex: String
    let public_key_hex: String
    let key_name: String
    let key_id_hex: String
    let verifier_key: String
    let checkpoints: [Entry]
    let bundle: Bundle

    static func load() throws -> CheckpointFixture { try fixture("checkpoint.json", as: CheckpointFixture.self) }

    func privateKey() throws -> Ed25519.PrivateKey { try Ed25519.PrivateKey(rawRepresentation: SecureBytes(try hex(seed_hex))) }
    func signer() throws -> NoteSigner { try NoteSigner(name: key_name, privateKey: try privateKey()) }
}

/// A throwaway signer under `name` (a fresh random key each time).
func randomSigner(_ name: String) throws -> NoteSigner {
    try NoteSigner(name: name, privateKey: Ed25519.PrivateKey())
}
