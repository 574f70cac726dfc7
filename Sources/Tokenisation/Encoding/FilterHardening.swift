import Foundation
import LinkCrypto

/// Applies a schema's ``Hardening`` to the filters of one record after they are built: XOR-folding,
/// then BLIP bit flips. (Salting happens while a filter is built, record-level-only in ``RecordEncoder``.)
///
/// Holds an HMAC context, so it is not `Sendable`: each record encoder makes its own.
final class FilterHardener {
    /// The parameters filters are built at: twice the stored length when folding.
    let buildParameters: BloomParameters
    private let fold: Bool
    private let flipContext: HMACSHA256Context?
    /// A bit is flipped when a uniform 16-bit value falls below this.
    private let flipThreshold: Int
    private var input: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 32)

    init(hardening: Hardening, bloom: BloomParameters, key: LinkageKey) {
        fold = hardening.xorFold == true
        var build = bloom
        if fold { build.bits *= 2 }
        buildParameters = build
        if let p = hardening.flipProbability {
            flipContext = HMACSHA256Context(key: key.subkey("bloom-flip"))
            flipThreshold = Int((p * 65_536).rounded())
        } else {
            flipContext = nil
            flipThreshold = 0
        }
    }

    /// True if nothing is done after building.
    var isIdentity: Bool { !fold && flipContext == nil }

    /// `filter` folded and flipped as the schema says. The flips of the `purpose` filter of the
    /// record with opaque reference `reference` come from a keystream: AES-256-CTR (counter block
    /// zero) under the 32-byte key HMAC(subkey "bloom-flip", purpose ‖ 0x1f ‖ reference), read as
    /// one big-endian 16-bit value per bit; bit `i` flips when value `i` is below the threshold. So
    /// they are unpredictable without the linkage key, the same each time the record is tokenised,
    /// and cost one HMAC a filter (an HMAC per 16 bits made flipping most of the tokenising time).
    func finish(_ filter: BloomFilter, purpose: String, reference: String) -> BloomFilter {
        var out = fold ? filter.xorFolded() : filter
        guard let flipContext else { return out }
        input.removeAll(keepingCapacity: true)
        input.append(contentsOf: purpose.utf8)
        input.append(0x1f)
        input.append(contentsOf: reference.utf8)
        scratch.withUnsafeMutableBytes { flipContext.authenticate(input, into: $0) }
        let stream: [UInt8]
        do {
            stream = try KeyStream.aes256CTR(key: SymmetricKey(scratch), count: 2 * out.bitCount)
        } catch {
            // Only a broken libcrypto fails here (the key and counter sizes are fixed).
            preconditionFailure("libcrypto could not make the BLIP keystream: \(error)")
        }
        for position in 0..<out.bitCount where Int(stream[2 * position]) << 8 | Int(stream[2 * position + 1]) < flipThreshold {
            out.toggle(position)
        }
        return out
    }
}
