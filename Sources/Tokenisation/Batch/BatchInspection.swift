import Foundation

/// A summary of a batch for people: header, record count, and how many records carry each token,
/// filter and payload tier. It shows coverage only, never a token value.
public struct BatchInspection: Sendable, CustomStringConvertible {
    /// The batch header.
    public let header: BatchHeader
    /// Records in the batch.
    public let records: Int
    /// Records carrying each token name.
    public let tokenCoverage: [String: Int]
    /// Records carrying each Bloom filter.
    public let filterCoverage: [String: Int]
    /// Records carrying each payload tier.
    public let payloadCoverage: [String: Int]
    /// Records by age band (`unknown` when no date of birth).
    public let ageBands: [String: Int]

    /// Reads the whole batch (one record at a time). The signature is not checked here.
    public init(path: String) throws(TokenisationError) {
        let lines = try LineReader(path: path)
        let header = try BatchHeader.decode(firstLineOf: lines).header
        var tokens: [String: Int] = [:], filters: [String: Int] = [:], payload: [String: Int] = [:], ages: [String: Int] = [:]
        var count = 0
        let decoder = JSONDecoder()
        while let line = try lines.next() {
            guard !line.starts(with: Array(#"{"trailer""#.utf8)) else { break }
            guard let record = try? decoder.decode(RecordLine.self, from: Data(line)) else {
                throw .invalidBatch("line \(count + 2) is not a valid record")
            }
            count += 1
            for name in record.t.keys { tokens[name, default: 0] += 1 }
            for name in record.f.keys { filters[name, default: 0] += 1 }
            for name in record.p.keys { payload[name, default: 0] += 1 }
            ages[record.age?.rawValue ?? "unknown", default: 0] += 1
        }
        self.header = header
        records = count
        tokenCoverage = tokens
        filterCoverage = filters
        payloadCoverage = payload
        ageBands = ages
    }

    public var description: String {
        func table(_ title: String, _ counts: [String: Int]) -> String {
            let rows = counts.sorted { $0.key < $1.key }.map { "  \($0.key.padding(toLength: 32, withPad: " ", startingAt: 0)) \($0.value)" }
            return ([title] + rows).joined(separator: "\n")
        }
        return """
            batch \(header.batchID) from \(header.agency), made \(header.createdAt) (format v\(header.version))
            linkage key \(header.linkageKeyID), signing key \(header.signingKeyID), hub release key \(header.hubReleaseKeyID)
            schema \(header.schemaDigest)
            records \(records)
            \(table("age bands:", ageBands))
            \(table("token coverage (records):", tokenCoverage))
            \(table("filter coverage (records):", filterCoverage))
            \(table("payload tiers (records):", payloadCoverage))
            """
    }

    /// The inspection as JSON.
    public func json() throws -> String {
        let object: [String: Any] = [
            "batchID": header.batchID, "agency": header.agency, "createdAt": header.createdAt, "records": records,
            "linkageKeyID": header.linkageKeyID, "schemaDigest": header.schemaDigest, "ageBands": ageBands,
            "tokenCoverage": tokenCoverage, "filterCoverage": filterCoverage, "payloadCoverage": payloadCoverage,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }
}
