import ArgumentParser
import Foundation
import LinkCrypto
import Tokenisation

/// The referral queries the service and query benchmarks send: rows of an agency's own extract,
/// the same ones on every run, tokenised and signed as a practitioner's query would be.
struct ReferralQueryOptions: ParsableArguments {
    @Option(help: "The agency raising the referrals (registered at the hub).") var agency = "police"
    @Option(help: "Its signing key (passphrase in MASHLINK_PASSPHRASE).") var signingKey: String
    @Option(help: "The shared linkage key (same passphrase).") var linkageKey: String
    @Option(help: "The agency's extract the query subjects are drawn from.") var input: String
    @Option(help: "Its linkage schema.") var schema: String

    /// The agency's signing key.
    func signer() throws -> Ed25519.PrivateKey {
        try Ed25519.PrivateKey(keyFile: try PassphraseKeyFile.read(fromPath: signingKey), passphrase: Self.passphrase)
    }

    /// Writes up to `count` signed query files into a new temporary folder and returns their paths
    /// and the folder (the caller removes it).
    func writeQueries(count: Int, signer: Ed25519.PrivateKey) throws -> (paths: [String], folder: String) {
        let linkage = try LinkageKey(keyFile: try PassphraseKeyFile.read(fromPath: linkageKey), passphrase: Self.passphrase)
        let linkageSchema = try LinkageSchema.decode(try Data(contentsOf: URL(fileURLWithPath: schema)))
        var reader = try CSVReader(path: input)
        let header = reader.header
        var rows: [[String]] = []
        while let row = try reader.next()?.fields, rows.count < count * 3 { rows.append(row) }
        // Every third row, then the rest: the same queries on every run, so runs compare.
        rows = stride(from: 0, to: rows.count, by: 3).map { rows[$0] } + rows.indices.filter { $0 % 3 != 0 }.map { rows[$0] }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mashlink-bench-queries-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var paths: [String] = []
        for row in rows where paths.count < count {
            let path = (folder as NSString).appendingPathComponent("\(paths.count).mlq")
            guard (try? QueryTokeniser.write(
                subject: linkageSchema.subject(fromRow: row, header: header), to: path, agency: agency, schema: linkageSchema,
                linkageKey: linkage, signingKey: signer, date: Tokeniser.today())) != nil
            else { continue }
            paths.append(path)
        }
        return (paths, folder)
    }

    private static var passphrase: String { ProcessInfo.processInfo.environment["MASHLINK_PASSPHRASE"] ?? "" }
}
