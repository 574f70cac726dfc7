import ArgumentParser
import LinkCrypto

/// The crypto micro-benchmarks of issue 3, in the units the Python anchor reports.
struct CryptoBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crypto", abstract: "HMAC, HPKE, Ed25519, AES-GCM, X25519 and scrypt timings.")

    @Flag(help: "Fewer, shorter repetitions (for a smoke run).")
    var quick = false

    func run() throws {
        let m = quick ? Measurement(repetitions: 3, target: 0.25) : Measurement()
        print("# mashlink-bench crypto on \(machineDescription())")
        print("# libcrypto \(OpenSSLVersion.text)")

        let key = SymmetricKey(randomByteCount: 32)
        let message: [UInt8] = [0x68, 0x69]
        let context = HMACSHA256Context(key: key)
        var sink: UInt8 = 0
        var out = [UInt8](repeating: 0, count: 32)
        let reused = m.perOperation {
            out.withUnsafeMutableBytes { context.authenticate(message, into: $0) }
            sink ^= out[0]
        }
        report("hmac_sha256_2B_reused_ctx", seconds: reused, unit: .ns)
        let reusedArray = m.perOperation { sink ^= context.authenticationCode(for: message)[0] }
        report("hmac_sha256_2B_reused_ctx_array", seconds: reusedArray, unit: .ns)
        let oneShot = m.perOperation { sink ^= HMACSHA256.authenticationCode(for: message, using: key)[0] }
        report("hmac_sha256_2B_oneshot", seconds: oneShot, unit: .ns)
        print("# reused context is \(formatted(oneShot / reused))x faster than one-shot")

        let hub = X25519.PrivateKey()
        let payload = SecureRandom.bytes(count: 200)
        let info = Array("bench".utf8)
        for suite in [HPKE.CipherSuite.x25519SHA256AES128GCM, .x25519SHA256ChaChaPoly] {
            let label = suite.aeadID == 1 ? "aes128gcm" : "chacha20poly1305"
            let seal = m.perOperation { sink ^= try! HPKE.seal(payload, to: hub.publicKey, suite: suite, info: info).ciphertext[0] }
            report("hpke_x25519_\(label)_seal_200B", seconds: seal, unit: .us)
            let sealed = try HPKE.seal(payload, to: hub.publicKey, suite: suite, info: info)
            let open = m.perOperation {
                sink ^= try! HPKE.open(sealed.ciphertext, encapsulatedKey: sealed.encapsulatedKey, recipient: hub, suite: suite, info: info)[0]
            }
            report("hpke_x25519_\(label)_open_200B", seconds: open, unit: .us)
        }

        let signer = Ed25519.PrivateKey()
        let signed = SecureRandom.bytes(count: 64)
        let signature = signer.signature(for: signed)
        let verifier = signer.publicKey
        report("ed25519_sign_64B", seconds: m.perOperation { sink ^= signer.signature(for: signed)[0] }, unit: .us)
        report("ed25519_verify_64B", seconds: m.perOperation { sink ^= verifier.isValidSignature(signature, for: signed) ? 1 : 0 }, unit: .us)

        let nonce = SecureRandom.bytes(count: 12)
        report("aes256gcm_seal_200B", seconds: m.perOperation {
            sink ^= try! AEAD.aes256GCM.seal(payload, key: key, nonce: nonce)[0]
        }, unit: .us)
        let peer = X25519.PrivateKey().publicKey
        report("x25519_key_agreement", seconds: m.perOperation { sink ^= try! hub.sharedSecret(with: peer).count == 32 ? 1 : 0 }, unit: .us)
        let scryptCost = Scrypt.Parameters(n: 1 << 15, r: 8, p: 1)
        let scryptMeasure = Measurement(repetitions: quick ? 1 : 3, target: quick ? 0.2 : 1.0)
        report("scrypt_N32768_r8_p1", seconds: scryptMeasure.perOperation {
            sink ^= UInt8(try! Scrypt.deriveKey(passphrase: [1, 2], salt: [3], parameters: scryptCost, length: 32).count)
        }, unit: .ms)
        print("# sink \(sink)")
    }
}
