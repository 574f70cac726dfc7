import ArgumentParser
import Foundation
import LinkCrypto
import Matching
import Tokenisation

struct Link: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Link batches offline: writes links.csv and clusters.csv (record references only, never identifiers).",
        discussion: """
            Example:
              mashlink-hub link police.mlb health.mlb --agency-key police.pub.pem --agency-key health.pub.pem
            Each batch is verified against the agency key whose id it names before anything is linked.
            """)

    @Argument(help: "Two or more batches.") var batches: [String]
    @Option(help: "An agency's signing public key (PEM); repeat for each agency.") var agencyKey: [String]
    @Option(help: "Folder for links.csv and clusters.csv.") var out = "."
    @Option(help: "Reuse a trained model (JSON) instead of training one.") var model: String?
    @Option(help: "Write the trained model here (JSON).") var modelOut: String?
    @Option(help: "Override the match-band threshold (log2 odds).") var matchThreshold: Double?
    @Option(help: "Override the possible-band threshold (log2 odds).") var possibleThreshold: Double?

    func validate() throws {
        guard batches.count >= 2 else { throw ValidationError("give at least two batches to link") }
    }

    func run() throws {
        var keys: [String: Ed25519.PublicKey] = [:]
        for path in agencyKey {
            let key = try AgencyKeys.signingPublicKey(at: path)
            keys[key.keyID] = key
        }
        var headers: [BatchHeader] = []
        var agencies: [AgencyRecords] = []
        for path in batches {
            let peek = try BatchHeader.read(atPath: path)
            guard let key = keys[peek.signingKeyID] else {
                throw ValidationError("\(path) is signed by key \(peek.signingKeyID), which no --agency-key provides")
            }
            let reader = try BatchReader(path: path, expectedSigner: key)
            var records: [EncodedRecord] = []
            while let r = try reader.next() { records.append(r) }
            for h in headers { try reader.header.checkLinkable(with: h) }
            headers.append(reader.header)
            agencies.append(AgencyRecords(agency: reader.header.agency, records: records))
        }
        let reused = try model.map { try JSONDecoder().decode(MatchModel.self, from: Data(contentsOf: URL(fileURLWithPath: $0))) }
        let result = Linker.link(
            agencies, blocker: Blocker(filterBits: headers[0].bloom.bits), model: reused,
            matchThreshold: matchThreshold, possibleThreshold: possibleThreshold)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let links = try CSVWriter(path: (out as NSString).appendingPathComponent("links.csv"), permissions: 0o640, replacingExisting: true)
        try links.write(row: ["left_agency", "left_record", "right_agency", "right_record", "score", "band"])
        for l in result.links {
            try links.write(row: [l.leftAgency, l.leftRecord, l.rightAgency, l.rightRecord, String(format: "%.2f", l.score), l.band.rawValue])
        }
        try links.close()
        let clusters = try CSVWriter(path: (out as NSString).appendingPathComponent("clusters.csv"), permissions: 0o640, replacingExisting: true)
        try clusters.write(row: ["agency", "record", "cluster"])
        for c in result.clusters { try clusters.write(row: [c.agency, c.record, String(c.cluster)]) }
        try clusters.close()
        if let modelOut {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(result.model).write(to: URL(fileURLWithPath: modelOut))
        }
        let matches = result.links.filter { $0.band == .match }.count
        print("linked \(agencies.map { "\($0.agency) (\($0.records.count))" }.joined(separator: ", ")): \(matches) matches, \(result.links.count - matches) possible → \(out)/links.csv, \(out)/clusters.csv")
    }
}
