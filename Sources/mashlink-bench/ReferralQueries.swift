import Foundation
import LinkCrypto
import Tokenisation

/// Signed referral queries for the service and query benchmarks: rows of an agency's own extract,
/// the same ones on every run, tokenised as a practitioner's query would be.
enum ReferralQueries {
    /// Up to `count` signed query files' bytes, from the rows of `input` under `schema`.
    static func make(
        count: Int, input: String, schema: String, agency: String, linkageKey: LinkageKey, signingKey: Ed25519.PrivateKey
    ) throws -> [[UInt8]] {
        let linkageSchema = try LinkageSchema.decode(try Data(contentsOf: URL(fileURLWithPath: schema)))
        var reader = try CSVReader(path: input)
        let header = reader.header
        var rows: [[String]] = []
        while let row = try reader.next()?.fields, rows.count < count * 3 { rows.append(row) }
        // Every third row, then the rest: the same queries on every run, so runs compare.
        rows = stride(from: 0, to: rows.count, by: 3).map { rows[$0] } + rows.indices.filter { $0 % 3 != 0 }.map { rows[$0] }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mashlink-bench-queries-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var queries: [[UInt8]] = []
        for row in rows where queries.count < count {
            let subject = linkageSchema.subject(fromRow: row, header: header)
            let path = (dir as NSString).appendingPathComponent("\(queries.count).mlq")
            guard (try? QueryTokeniser.write(
                subject: subject, to: path, agency: agency, schema: linkageSchema, linkageKey: linkageKey, signingKey: signingKey,
                date: Tokeniser.today())) != nil
            else { continue }
            queries.append(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        return queries
    }
}
