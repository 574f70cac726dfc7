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

    /// `filter` folded and flipped as the schema says. The flips for bit `i` of the `purpose` filter of
    /// the record with opaque reference `reference` come from HMAC(subkey "bloom-flip",
    /// purpose ‖ 0x1f ‖ reference ‖ 0x1f ‖ counter), 16 bits a position, so they are unpredictable
    /// without the linkage key and the same each time the record is tokenised.
    func finish(_ filter: BloomFilter, purpose: String, reference: String) -> BloomFilter {
        var out = fold ? filter.xorFolded() : filter
        guard let flipContext else { return out }
        input.removeAll(keepingCapacity: true)
        input.append(contentsOf: purpose.utf8)
        input.append(0x1f)
        input.append(contentsOf: reference.utf8)
        input.append(0x1f)
        let counterIndex = input.count
        input.append(contentsOf: [0, 0, 0, 0])
        var position = 0
        var counter: UInt32 = 0
        while position < out.bitCount {
            for b in 0..<4 { input[counterIndex + b] = UInt8(truncatingIfNeeded: counter >> (8 * UInt32(3 - b))) }
            scratch.withUnsafeMutableBytes { flipContext.authenticate(input, into: $0) }
            var i = 0
            while i < 32 && position < out.bitCount {
                if Int(scratch[i]) << 8 | Int(scratch[i + 1]) < flipThreshold { out.toggle(position) }
                position += 1
                i += 2
            }
            counter &+= 1
        }
        return out
    }
}
