import Foundation
public import Matching
import Tokenisation

/// The files the offline linker writes and the evaluator reads: `links.csv`, `clusters.csv`,
/// truth files and the agencies' reference maps. Record references only, never identifiers.
public enum LinkFiles {
    /// The header of `links.csv` (DESIGN.md section 5).
    public static let linksHeader = ["left_agency", "left_record", "right_agency", "right_record", "score", "band"]
    /// The header of `clusters.csv`.
    public static let clustersHeader = ["agency", "record", "cluster"]

    /// Writes `links.csv` and `clusters.csv` into `directory` (created if needed), mode 0640.
    public static func write(_ result: LinkResult, to directory: String) throws {
        try write(
            links: result.links.map { ($0.leftAgency, $0.leftRecord, $0.rightAgency, $0.rightRecord, $0.score, $0.band.rawValue) },
            clusters: result.clusters.map { ($0.agency, $0.record, String($0.cluster)) }, to: directory)
    }

    /// Writes `links.csv` (agency, record, agency, record, score, band) and `clusters.csv` (agency,
    /// record, cluster) rows into `directory` (created if needed), mode 0640.
    public static func write(
        links: [(String, String, String, String, Double, String)], clusters: [(String, String, String)], to directory: String
    ) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let linksFile = try CSVWriter(path: path(directory, "links.csv"), permissions: 0o640, replacingExisting: true)
        try linksFile.write(row: linksHeader)
        for l in links { try linksFile.write(row: [l.0, l.1, l.2, l.3, String(format: "%.2f", l.4), l.5]) }
        try linksFile.close()
        let clustersFile = try CSVWriter(path: path(directory, "clusters.csv"), permissions: 0o640, replacingExisting: true)
        try clustersFile.write(row: clustersHeader)
        for c in clusters { try clustersFile.write(row: [c.0, c.1, c.2]) }
        try clustersFile.close()
    }

    /// A link read back from `links.csv`.
    public struct LinkRow: Sendable, Hashable {
        /// The pair.
        public let pair: RecordPair
        /// Its band.
        public let band: MatchBand
    }

    /// Reads `links.csv`.
    public static func readLinks(_ path: String) throws -> [LinkRow] {
        var rows: [LinkRow] = []
        try read(path, expecting: linksHeader) { fields, line in
            guard let band = MatchBand(rawValue: fields[5]) else {
                throw LinkFileError.malformed(path: path, line: line, reason: "band must be match, possible or non-match")
            }
            rows.append(LinkRow(
                pair: RecordPair(RecordID(agency: fields[0], record: fields[1]), RecordID(agency: fields[2], record: fields[3])),
                band: band))
        }
        return rows
    }

    /// Reads `clusters.csv`: record → cluster.
    public static func readClusters(_ path: String) throws -> [RecordID: String] {
        var out: [RecordID: String] = [:]
        try read(path, expecting: clustersHeader) { fields, _ in out[RecordID(agency: fields[0], record: fields[1])] = fields[2] }
        return out
    }

    /// Reads an agency's reference map (`<batch>.refs.csv`, `record_id,reference`): own id → reference.
    public static func readReferenceMap(_ path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        try read(path, expecting: ["record_id", "reference"]) { fields, _ in out[fields[0]] = fields[1] }
        return out
    }

    /// A truth file, as persons: record → person. Either `agency,record,person` rows, or pairs of
    /// agency record ids (`id_1,id_2`, as FEBRL's links files) whose ids are found through
    /// `referenceMaps` (agency → own id → reference); a person is then a connected group of pairs.
    /// Records are named by their reference when `referenceMaps` has their agency, else as written.
    /// Returns the persons and the count of truth records that have no reference (rejected at
    /// tokenising); those stay in the persons under a name no link carries, so their pairs count as
    /// missed: recall is over every true pair, not only the ones that tokenised.
    public static func readTruth(
        _ path: String, referenceMaps: [String: [String: String]]
    ) throws -> (persons: [RecordID: String], unreferenced: Int) {
        var reader = try CSVReader(path: path)
        let header = reader.header.map { $0.lowercased() }
        var persons: [RecordID: String] = [:]
        var unreferenced = 0
        func resolve(_ agency: String, _ id: String) -> RecordID? {
            guard let map = referenceMaps[agency] else { return RecordID(agency: agency, record: id) }
            return map[id].map { RecordID(agency: agency, record: $0) }
        }
        if header == ["agency", "record", "person"] {
            while let row = try reader.next() {
                guard row.problem == nil, row.fields.count == 3 else { throw LinkFileError.malformed(path: path, line: row.line, reason: "expected agency,record,person") }
                if let id = resolve(row.fields[0], row.fields[1]) { persons[id] = row.fields[2] } else {
                    // Kept under a name no link can carry, so its pairs count as missed.
                    unreferenced += 1
                    persons[RecordID(agency: row.fields[0], record: Self.unreferencedPrefix + row.fields[1])] = row.fields[2]
                }
            }
            return (persons, unreferenced)
        }
        guard header.count == 2 else {
            throw LinkFileError.malformed(path: path, line: 1, reason: "a truth file has the header agency,record,person or two id columns (id_1,id_2)")
        }
        guard !referenceMaps.isEmpty else {
            throw LinkFileError.malformed(path: path, line: 1, reason: "a truth file of id pairs needs the agencies' reference maps (--refs AGENCY=FILE) to find the records")
        }
        // Own id → record, over all agencies; an id two agencies share cannot be placed.
        var byID: [String: RecordID] = [:], ambiguous = Set<String>()
        for (agency, map) in referenceMaps {
            for (id, ref) in map {
                if byID[id] != nil { ambiguous.insert(id) }
                byID[id] = RecordID(agency: agency, record: ref)
            }
        }
        var groups = Groups()
        var seen = Set<String>()
        while let row = try reader.next() {
            guard row.problem == nil, row.fields.count == 2 else { throw LinkFileError.malformed(path: path, line: row.line, reason: "expected two ids") }
            for id in row.fields where ambiguous.contains(id) {
                throw LinkFileError.malformed(path: path, line: row.line, reason: "an id in this row is used by two agencies; use the agency,record,person form")
            }
            for id in row.fields where !seen.contains(id) {
                seen.insert(id)
                if byID[id] == nil { unreferenced += 1 }
            }
            // A record with no reference is kept under a name no link can carry: its pairs count as missed.
            let a = byID[row.fields[0]] ?? RecordID(agency: "", record: Self.unreferencedPrefix + row.fields[0])
            let b = byID[row.fields[1]] ?? RecordID(agency: "", record: Self.unreferencedPrefix + row.fields[1])
            groups.join(a, b)
        }
        for (record, group) in groups.all() { persons[record] = group }
        return (persons, unreferenced)
    }

    static let unreferencedPrefix = "(no reference) "

    private static func path(_ directory: String, _ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    private static func read(_ path: String, expecting header: [String], _ row: ([String], Int) throws -> Void) throws {
        var reader = try CSVReader(path: path)
        guard reader.header == header else {
            throw LinkFileError.malformed(path: path, line: 1, reason: "the header must be \(header.joined(separator: ","))")
        }
        while let r = try reader.next() {
            guard r.problem == nil, r.fields.count == header.count else {
                throw LinkFileError.malformed(path: path, line: r.line, reason: "expected \(header.count) fields")
            }
            try row(r.fields, r.line)
        }
    }
}

/// A link, cluster, truth or reference file that cannot be read as one.
public enum LinkFileError: Error, CustomStringConvertible {
    /// The file at `path` is malformed at `line`.
    case malformed(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .malformed(let path, let line, let reason): "\(path), line \(line): \(reason)"
        }
    }
}

/// Connected groups of records, for truth files given as pairs.
struct Groups {
    private var parent: [RecordID: RecordID] = [:]

    mutating func find(_ x: RecordID) -> RecordID {
        var x = x
        while let p = parent[x], p != x {
            parent[x] = parent[p] ?? p
            x = p
        }
        if parent[x] == nil { parent[x] = x }
        return x
    }

    mutating func join(_ a: RecordID, _ b: RecordID) {
        let x = find(a), y = find(b)
        if x != y { parent[x] = y }
    }

    mutating func all() -> [(RecordID, String)] {
        parent.keys.map { r in
            let root = find(r)
            return (r, root.agency + "/" + root.record)
        }
    }
}
