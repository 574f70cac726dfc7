import ArgumentParser
import Matching
import Tokenisation

/// Bloom-filter Dice comparisons per second on one thread, the figure anonlink's
/// `dice_throughput.py` prints (20,000 × 20,000 random 1024-bit filters).
struct DiceBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dice", abstract: "Dice comparisons per second on one thread, random 1024-bit filters.")

    @Option(help: "Filters on each side.") var count = 20_000
    @Option(help: "Filter length in bits.") var bits = 1024

    func run() {
        var g = SystemRandomNumberGenerator()
        func random() -> BloomFilter {
            var f = BloomFilter(bitCount: bits)
            // About half the bits set, as anonlink's benchmark draws them.
            for p in 0..<bits where Bool.random(using: &g) { f.set(p) }
            return f
        }
        let left = (0..<count).map { _ in random() }, right = (0..<count).map { _ in random() }
        var above = 0
        let start = ContinuousClock.now
        for a in left { for b in right where a.dice(b) >= 0.8 { above += 1 } }
        let elapsed = seconds(since: start)
        let comparisons = Double(count) * Double(count)
        print("mashlink dice_comparisons_per_second \(formatted(comparisons / elapsed / 1e6)) M/s (\(count) × \(count), \(bits) bits, one thread, \(above) at ≥ 0.8, \(formatted(elapsed)) s)")
    }
}
