import ArgumentParser
import Foundation
import LinkCrypto
import Normalisation
import Tokenisation

/// Issue 4's throughput figure: records per second and peak RSS tokenising a FEBRL-like extract,
/// payload sealing included (make the input with `Benchmarks/make_febrl_like.py`).
struct TokeniseBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenise", abstract: "Records/s and peak RSS tokenising a CSV extract into a signed batch.")

    @Option(help: "The FEBRL-like CSV (columns of febrl4_a plus cp_notes).") var input: String
    @Option(help: "The schema; a cp_notes column, if present, is added as the cp tier.") var schema = "examples/febrl/schema.json"
    @Option(help: "Scratch folder for the batch and rejects.") var scratch = NSTemporaryDirectory()

    func run() throws {
        print("# mashlink-bench tokenise on \(machineDescription())")
        var s = try LinkageSchema.decode(try Data(contentsOf: URL(fileURLWithPath: schema)))
        let header = try CSVReader(path: input).header
        if header.contains("cp_notes") { s.columns.append(ColumnRole(column: "cp_notes", tier: .cp)) }
        let id = UUID().uuidString
        let batch = (scratch as NSString).appendingPathComponent("bench-\(id).mlb")
        let rejects = (scratch as NSString).appendingPathComponent("bench-\(id)-rejects.csv")
        defer {
            for p in [batch, rejects, batch + ".refs.csv"] { try? FileManager.default.removeItem(atPath: p) }
        }
        let options = TokeniseOptions(
            agency: "bench", schema: s, linkageKey: .generate(), signingKey: Ed25519.PrivateKey(),
            hubReleaseKey: X25519.PrivateKey().publicKey, batchDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        let start = ContinuousClock.now
        let summary = try Tokeniser.run(inputPath: input, batchPath: batch, rejectsPath: rejects, options: options)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let size = (try? FileManager.default.attributesOfItem(atPath: batch)[.size] as? Int) ?? 0
        print("# \(summary)")
        print("mashlink tokenise_rows_read \(summary.read)")
        print("mashlink tokenise_seconds \(formatted(seconds)) s")
        print("mashlink tokenise_records_per_second \(Int(Double(summary.read) / seconds)) rows/s")
        print("mashlink tokenise_peak_rss_mb \(formatted(peakRSSMegabytes())) MB")
        print("mashlink batch_bytes_per_record \(summary.tokenised > 0 ? size / summary.tokenised : 0) B")
    }
}

/// Peak resident set size of this process so far, in MiB.
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}
