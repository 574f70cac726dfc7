import ArgumentParser
import Foundation
import LinkCrypto
import Matching
import Normalisation
import Tokenisation

/// Links several agencies' extracts in memory (tokenise, block, train, score, cluster) and measures
/// against an `agency,record,person` truth: quality, time and memory of each stage. For the
/// six-agency UK-style set (`Benchmarks/make_uk_agencies.py`) and its 1,000,000-record version.
struct AgenciesBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agencies",
        abstract: "Multi-agency linking: quality against a truth file, and time and peak memory per stage.")

    @Option(help: "Folder with AGENCY.csv, AGENCY.schema.json and truth.csv (agency,record,person).") var data: String
    @Option(help: "Print the comparison levels of up to this many missed and false pairs (synthetic data only).") var explain = 0
    @Option(help: "Worker threads (default: every core).") var threads: Int?
    @Option(help: "Blocks larger than this are broad: a pair meeting only in them needs two shared keys (0: the standard setting).") var broadBlockSize = 0
    @Option(help: "Derive the demo linkage key from this number, so runs can be compared (0: a fresh random key each run; blocking and hash collisions depend on the key).") var keySeed: UInt8 = 1

    func run() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".schema.json") }
            .map { String($0.dropLast(".schema.json".count)) }.sorted()
        let key = try benchLinkageKey(seed: keySeed)
        var agencies: [AgencyRecords] = []
        var idOf: [String: String] = [:]   // "agency/reference" → agency record id
        var start = ContinuousClock.now
        for name in names {
            var schema = try LinkageSchema.decode(try Data(contentsOf: URL(fileURLWithPath: "\(data)/\(name).schema.json")))
            // Payload tiers play no part in linking; the tokenise benchmark measures sealing.
            schema.columns = schema.columns.map { $0.tier != nil ? ColumnRole(ignoring: $0.column) : $0 }
            var reader = try CSVReader(path: "\(data)/\(name).csv")
            let encoder = try RecordEncoder(schema: schema, header: reader.header, key: key, sealer: nil, batchDate: CalendarDate(year: 2026, month: 12, day: 1)!)
            let idColumn = reader.header.firstIndex(of: schema.columns(for: .recordID)[0])!
            var records: [EncodedRecord] = []
            while let row = try reader.next() {
                guard row.problem == nil, case .success(let r) = encoder.encode(row.fields) else { continue }
                idOf[name + "/" + r.reference] = row.fields[idColumn]
                records.append(r)
            }
            agencies.append(AgencyRecords(agency: name, records: records))
        }
        print("# \(agencies.map { "\($0.agency) \($0.records.count)" }.joined(separator: ", "))")
        print("mashlink agencies_encode_seconds \(formatted(seconds(since: start))) s (one thread, no sealing; peak RSS \(formatted(peakRSSMegabytes())) MB)")

        var person: [String: String] = [:]   // "agency/id" → person
        var reader = try CSVReader(path: "\(data)/truth.csv")
        while let row = try reader.next() { person[row.fields[0] + "/" + row.fields[1]] = row.fields[2] }
        func who(_ agency: String, _ reference: String) -> String? { idOf[agency + "/" + reference].flatMap { person[agency + "/" + $0] } }

        start = ContinuousClock.now
        var blocking = BlockingConfiguration.standard
        if broadBlockSize > 0 { blocking.broadBlockSize = broadBlockSize }
        let result = Linker.link(agencies, blocker: Blocker(configuration: blocking), threads: threads)
        print("mashlink agencies_link_seconds \(formatted(seconds(since: start))) s (" + result.statistics.stageSeconds.map { "\($0.stage) \(formatted($0.seconds))" }.joined(separator: ", ") + ")")
        print("mashlink agencies_peak_rss \(formatted(peakRSSMegabytes())) MB")
        print("mashlink agencies_candidate_pairs \(result.statistics.candidatePairs)")
        for field in ComparedField.allCases {
            print("# weights \(field.rawValue): " + field.levels.indices.map { formatted(result.model.weight(field, level: $0)) }.joined(separator: " "))
        }

        var truePairs = 0
        var byPerson: [String: Int] = [:]
        for (_, p) in person { byPerson[p, default: 0] += 1 }
        for (_, n) in byPerson { truePairs += n * (n - 1) / 2 }
        let matches = result.links.filter { $0.band == .match }
        let tp = matches.filter { who($0.leftAgency, $0.leftRecord) == who($0.rightAgency, $0.rightRecord) }.count
        let possible = result.links.filter { $0.band == .possible }
        let ptp = possible.filter { who($0.leftAgency, $0.leftRecord) == who($0.rightAgency, $0.rightRecord) }.count
        print("mashlink agencies_match_precision \(formatted(Double(tp) / Double(max(matches.count, 1)))) (\(matches.count - tp) false)")
        print("mashlink agencies_match_recall \(formatted(Double(tp) / Double(max(truePairs, 1)))) of \(truePairs) true pairs")
        print("mashlink agencies_possible \(possible.count) (\(ptp) true); match or possible recall \(formatted(Double(tp + ptp) / Double(max(truePairs, 1))))")

        let index = Dictionary(uniqueKeysWithValues: agencies.enumerated().flatMap { a, ag in ag.records.enumerated().map { ("\(ag.agency)/\($1.reference)", (a, $0)) } })
        var members: [String: [String]] = [:]
        for key in index.keys { if let p = who(String(key.split(separator: "/")[0]), String(key.split(separator: "/")[1])) { members[p, default: []].append(key) } }
        // What m really is on this data: each field's levels among all true pairs, beside the trained m.
        var trueLevels = ComparedField.allCases.map { [Double](repeating: 0, count: $0.levels.count) }
        for (_, keys) in members where keys.count > 1 {
            for x in keys.indices { for y in keys.indices where y > x {
                let (a, i) = index[keys[x]]!, (b, j) = index[keys[y]]!
                let v = Comparator.compare(agencies[a].records[i], agencies[b].records[j])
                for (f, field) in ComparedField.allCases.enumerated() { if let l = v[field] { trueLevels[f][l] += 1 } }
            } }
        }
        for (f, field) in ComparedField.allCases.enumerated() {
            let n = max(trueLevels[f].reduce(0, +), 1)
            print("# m \(field.rawValue): true " + trueLevels[f].map { formatted($0 / n) }.joined(separator: " ")
                + "; trained " + (result.model.m[field.rawValue] ?? []).map { formatted($0) }.joined(separator: " "))
        }

        guard explain > 0 else { return }
        // Records by their "agency/reference" key.
        func personOf(_ key: String) -> String? { idOf[key].flatMap { person[key.prefix { $0 != "/" } + "/" + $0] } }
        func compare(_ x: String, _ y: String) -> ComparisonVector {
            let (a, i) = index[x]!, (b, j) = index[y]!
            return Comparator.compare(agencies[a].records[i], agencies[b].records[j])
        }
        func evidence(_ v: ComparisonVector) -> String { result.model.evidence(v).map(\.description).joined(separator: "; ") }
        func show(_ label: String, _ l: Link) {
            let x = l.leftAgency + "/" + l.leftRecord, y = l.rightAgency + "/" + l.rightRecord
            print("# \(label) \(l.leftAgency) \(idOf[x] ?? "?")–\(l.rightAgency) \(idOf[y] ?? "?") score \(formatted(l.score)): " + evidence(compare(x, y)))
        }
        for l in possible.filter({ who($0.leftAgency, $0.leftRecord) == who($0.rightAgency, $0.rightRecord) }).prefix(explain) { show("possible, true", l) }
        var clusterOf: [String: Int] = [:], membersOf: [Int: [String]] = [:]
        for c in result.clusters {
            clusterOf[c.agency + "/" + c.record] = c.cluster
            membersOf[c.cluster, default: []].append(c.agency + "/" + c.record)
        }
        for l in matches.filter({ who($0.leftAgency, $0.leftRecord) != who($0.rightAgency, $0.rightRecord) }).prefix(explain) {
            show("match, false", l)
            let members = membersOf[clusterOf[l.leftAgency + "/" + l.leftRecord] ?? -1, default: []]
            print("#   its person: " + members.map { "\(idOf[$0] ?? "?") (\(personOf($0) ?? "?"))" }.joined(separator: ", "))
            // Members of that person from one agency: how they score as duplicates.
            for x in members.indices { for y in members.indices where y > x && index[members[x]]!.0 == index[members[y]]!.0 {
                let w = compare(members[x], members[y])
                print("#   within \(idOf[members[x]] ?? "?")–\(idOf[members[y]] ?? "?") \(formatted(result.model.score(w, withinAgency: true))): " + evidence(w))
            } }
        }
        // True pairs in neither band: not candidates, lost to one-to-one, or scored below possible.
        var linksOf: [String: [(other: String, score: Double, band: MatchBand)]] = [:]
        for l in result.links {
            linksOf[l.leftAgency + "/" + l.leftRecord, default: []].append((l.rightAgency + "/" + l.rightRecord, l.score, l.band))
            linksOf[l.rightAgency + "/" + l.rightRecord, default: []].append((l.leftAgency + "/" + l.leftRecord, l.score, l.band))
        }
        var shown = 0
        outer: for (_, keys) in members.sorted(by: { $0.key < $1.key }) where keys.count > 1 {
            for x in keys.indices { for y in keys.indices where y > x && !linksOf[keys[x], default: []].contains(where: { $0.other == keys[y] }) {
                let a = index[keys[x]]!.0, b = index[keys[y]]!.0
                let v = compare(keys[x], keys[y])
                let score = result.model.score(v, withinAgency: a == b)
                print("# missed \(agencies[a].agency) \(idOf[keys[x]] ?? "?")–\(agencies[b].agency) \(idOf[keys[y]] ?? "?") model score \(formatted(score)): " + evidence(v))
                // Scored high enough but lost: say what each record was linked to in the other's agency
                // instead, and how that record and the missed one, both of that agency, score as duplicates.
                if score >= result.model.possibleThreshold {
                    for (mine, partner) in [(keys[x], keys[y]), (keys[y], keys[x])] {
                        for l in linksOf[mine, default: []] where index[l.other]!.0 == index[partner]!.0 {
                            let same = personOf(mine) == personOf(l.other)
                            let w = compare(partner, l.other)
                            print("#   instead \(idOf[mine] ?? "?")–\(idOf[l.other] ?? "?") \(l.band) score \(formatted(l.score)) (\(same ? "true" : "false")); \(idOf[partner] ?? "?")–\(idOf[l.other] ?? "?") within \(formatted(result.model.score(w, withinAgency: true))): " + evidence(w))
                        }
                    }
                }
                shown += 1
                if shown >= explain { break outer }
            } }
        }
    }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
