import LinkCrypto
import Normalisation
import Testing
import Tokenisation
@testable import Matching

@Suite("Blocking")
struct BlockingTests {
    static let header = ["id", "forename", "surname", "dob", "postcode", "address"]
    // A fixed key, so that the sampled LSH bits and the encodings are the same on every run.
    static let key = try! LinkageKey(secret: SecureBytes([UInt8](repeating: 7, count: 32)))

    static func encode(_ rows: [[String]]) throws -> [EncodedRecord] {
        let encoder = try RecordEncoder(
            schema: SchemaSuggestion.suggest(header: header), header: header, key: key, sealer: nil,
            batchDate: CalendarDate(year: 2026, month: 11, day: 23)!)
        return try rows.map { try encoder.encode($0).get() }
    }

    @Test("variants of one person meet; an unrelated person does not")
    func variants() throws {
        let left = try Self.encode([
            ["a1", "William", "Smith", "12/03/2012", "SW1A 1AA", "14 High Street"],
            ["a2", "Zofia", "Kowalska", "10/10/1990", "SE1 7PB", "40 London Road"],
        ])
        let right = try Self.encode([
            ["b1", "Bill", "Smyth", "03/12/2012", "SW1A 1AA", "14 High St"],  // nickname, typo, swapped date
            ["b2", "Wiliam", "Smithe", "12/03/2013", "SW1A 2AA", "14 Hihg Street"],  // typos; same phonetic surname and initial
            ["b3", "Grace", "Brown", "14/05/1980", "BS1 4DJ", "6 Elm Close"],
        ])
        let result = Blocker().candidates(left: left, right: right)
        let pairs = Set(result.pairs)
        #expect(pairs.contains(CandidatePair(left: 0, right: 0)))
        #expect(pairs.contains(CandidatePair(left: 0, right: 1)))
        #expect(!pairs.contains(CandidatePair(left: 1, right: 2)))
        #expect(!pairs.contains(CandidatePair(left: 0, right: 2)))
    }

    /// The pairs a plain reading of the rules gives: records that share any key of ``Blocker/keys(of:)``,
    /// skipping keys whose block is over the cap on either side.
    static func reference(_ blocker: Blocker, left: [EncodedRecord], right: [EncodedRecord]?) -> Set<CandidatePair> {
        func index(_ records: [EncodedRecord]) -> [BlockKey: [Int]] {
            var index: [BlockKey: [Int]] = [:]
            for (i, r) in records.enumerated() { for k in Set(blocker.keys(of: r)) { index[k, default: []].append(i) } }
            return index
        }
        let cap = blocker.configuration.maximumBlockSize
        var pairs = Set<CandidatePair>()
        let l = index(left)
        guard let right else {
            for block in l.values where block.count <= cap {
                for x in block { for y in block where y > x { pairs.insert(CandidatePair(left: x, right: y)) } }
            }
            return pairs
        }
        let r = index(right)
        for (key, lefts) in l {
            guard let rights = r[key], lefts.count <= cap, rights.count <= cap else { continue }
            for x in lefts { for y in rights { pairs.insert(CandidatePair(left: x, right: y)) } }
        }
        return pairs
    }

    @Test("the packed, sorted blocking finds exactly the pairs that share a key of keys(of:), sorted and once each")
    func packedBlockingMatchesReference() throws {
        // Families and look-alikes: shared surnames, dates, postcodes and addresses, so that every pass meets something.
        let given = ["Oliver", "Olivia", "Jack", "Jak", "Amelia", "Harry", "Mohammed", "Muhammad", "Zofia", "Grace"]
        let surnames = ["Smith", "Smyth", "Khan", "Kowalska", "Brown", "Jones"]
        func rows(_ prefix: String, _ n: Int, shift: Int) -> [[String]] {
            let postcodes = ["SW1A 1AA", "SE1 7PB", "M1 4BT"]
            return (0..<n).map { (i: Int) -> [String] in
                let name: String = given[(i + shift) % given.count]
                let surname: String = surnames[(i * 7 + shift) % surnames.count]
                let dob = String(format: "%02d/%02d/%04d", 1 + i % 5, 1 + i % 3, 1990 + i % 4)
                return ["\(prefix)\(i)", name, surname, dob, postcodes[i % 3], "\(1 + i % 6) High Street"]
            }
        }
        let left = try Self.encode(rows("a", 60, shift: 0)), right = try Self.encode(rows("b", 50, shift: 3))
        for cap in [500, 6] {
            var configuration = BlockingConfiguration.standard
            configuration.maximumBlockSize = cap
            let blocker = Blocker(configuration: configuration)
            let cross = blocker.candidates(left: left, right: right).pairs
            #expect(Set(cross) == Self.reference(blocker, left: left, right: right), "cap \(cap)")
            #expect(cross == cross.sorted { ($0.left, $0.right) < ($1.left, $1.right) } && Set(cross).count == cross.count)
            let within = blocker.candidates(within: left).pairs
            #expect(Set(within) == Self.reference(blocker, left: left, right: nil), "cap \(cap)")
            #expect(within.allSatisfy { $0.left < $0.right } && Set(within).count == within.count)
            #expect(!cross.isEmpty && !within.isEmpty)
        }
    }

    @Test("a task split by ranges of left records gives the whole task's pairs, in order, and its oversized blocks once")
    func shardsAddUpToTheTask() throws {
        let given = ["Oliver", "Olivia", "Jack", "Amelia", "Harry", "Grace"]
        let rows = (0..<80).map { (i: Int) -> [String] in
            ["r\(i)", given[i % given.count], ["Smith", "Khan", "Jones"][i % 3], String(format: "%02d/01/2000", 1 + i % 4), "SW1A 1AA", "\(i % 5) High Street"]
        }
        let records = try Self.encode(rows)
        let left = Array(records[..<45]), right = Array(records[45...])
        var configuration = BlockingConfiguration.standard
        configuration.maximumBlockSize = 12  // dates of birth (20 records each) and the postcode go over it
        let blocker = Blocker(configuration: configuration)
        let l = blocker.keyed(left), r = blocker.keyed(right), all = blocker.keyed(records)
        for (whole, parts, count) in [
            (blocker.candidates(left: l, right: r), { blocker.candidates(left: l, right: r, leftRecords: $0) }, left.count),
            (blocker.candidates(within: all), { blocker.candidates(within: all, leftRecords: $0) }, records.count),
        ] as [(BlockingResult, (Range<Int>) -> BlockingResult, Int)] {
            #expect(!whole.pairs.isEmpty && !whole.oversizedBlocks.isEmpty)
            for ranges in [Shards.ranges(records: count, rawPairs: 10_000_000, threads: 2), [0..<7, 7..<8, 8..<count], [0..<count]] {
                #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
                #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                let shards = ranges.map(parts)
                #expect(shards.flatMap(\.pairs) == whole.pairs)
                #expect(shards.reduce(into: [:]) { $0.merge($1.oversizedBlocks, uniquingKeysWith: +) } == whole.oversizedBlocks)
            }
        }
        // The raw count is what blocking makes before merging: at least the merged pairs, and zero for nothing.
        #expect(blocker.rawPairCount(left: l, right: r) >= blocker.candidates(left: l, right: r).pairs.count)
        #expect(blocker.rawPairCount(left: all, right: nil) >= blocker.candidates(within: all).pairs.count)
        #expect(blocker.rawPairCount(left: blocker.keyed([]), right: r) == 0)
        #expect(Shards.ranges(records: 100, rawPairs: 50, threads: 2) == [0..<100], "a small task is one shard")
        #expect(Shards.ranges(records: 3, rawPairs: 100_000_000, threads: 2).count == 3, "never more shards than records")
    }

    @Test("LSH alone: identical record filters always meet, unrelated ones do not, and no LSH means no pairs")
    func lshMechanism() throws {
        let left = try Self.encode([
            ["a1", "William", "Smith", "12/03/2012", "SW1A 1AA", ""], ["a2", "Zofia", "Kowalska", "10/10/1990", "SE1 7PB", ""],
        ])
        let right = try Self.encode([
            ["b1", "WILLIAM", "smith", "2012-03-12", "sw1a1aa", ""], ["b2", "Grace", "Brown", "14/05/1980", "BS1 4DJ", ""],
        ])
        let lshOnly = BlockingConfiguration(tokenPasses: [], lshBands: 24, lshBitsPerBand: 24, maximumBlockSize: 500)
        #expect(Blocker(configuration: lshOnly).candidates(left: left, right: right).pairs == [CandidatePair(left: 0, right: 0)])
        let nothing = BlockingConfiguration(tokenPasses: [], lshBands: 0, lshBitsPerBand: 0, maximumBlockSize: 500)
        #expect(Blocker(configuration: nothing).candidates(left: left, right: right).pairs.isEmpty)
    }

    @Test("a block larger than the cap is skipped and reported, so one common value cannot go quadratic")
    func cap() throws {
        let rows = (0..<30).map { ["a\($0)", "Name\($0)", "Surname\($0)", "01/01/2000", "", ""] }
        let left = try Self.encode(rows), right = try Self.encode(rows.map { ["b" + $0[0]] + $0.dropFirst() })
        let capped = BlockingConfiguration(tokenPasses: [TokenName.dob], lshBands: 0, lshBitsPerBand: 0, maximumBlockSize: 10)
        let result = Blocker(configuration: capped).candidates(left: left, right: right)
        #expect(result.pairs.isEmpty)
        #expect(result.oversizedBlocks[TokenName.dob] == 1)
        let open = BlockingConfiguration(tokenPasses: [TokenName.dob], lshBands: 0, lshBitsPerBand: 0, maximumBlockSize: 100)
        #expect(Blocker(configuration: open).candidates(left: left, right: right).pairs.count == 900)
    }

    @Test("metrics: completeness and reduction ratio")
    func metrics() {
        let result = BlockingResult(pairs: [CandidatePair(left: 0, right: 0), CandidatePair(left: 1, right: 0)], oversizedBlocks: [:])
        let m = BlockingMetrics(
            result: result, truePairs: [CandidatePair(left: 0, right: 0), CandidatePair(left: 1, right: 1)], leftCount: 10, rightCount: 10)
        #expect(m.pairsCompleteness == 0.5)
        #expect(m.reductionRatio == 0.98)
        #expect(m.candidateCount == 2)
    }

    @Test("LSH bit samples are the same on every run (keys must be stable across ingests)")
    func deterministic() {
        var a = SplitMix64(seed: 1), b = SplitMix64(seed: 1)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        // Published first output of SplitMix64 with seed 0 (Vigna's reference splitmix64.c).
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xe220_a839_7b1d_cdaf)
    }
}

@Suite("Meta-blocking by shared keys")
struct SharedKeyBlockingTests {
    static func record(_ ref: String, _ tokens: [String: String]) -> EncodedRecord {
        EncodedRecord(
            reference: ref, ageBand: nil, tokens: tokens.mapValues { [Token(bytes: Array($0.utf8))] }, filters: [:], payload: [:])
    }

    @Test("with a minimum of two shared keys, a pair meeting in one block is dropped unless that block's pass suffices alone")
    func minimumShared() {
        let left = [
            Self.record("a", [TokenName.dob: "d1", TokenName.blockSurnameYear: "s1"]),  // shares dob and surname-year with x
            Self.record("b", [TokenName.dob: "d1"]),  // shares only dob with x
            Self.record("c", [TokenName.nhs: "n1"]),  // shares only the NHS number with y
        ]
        let right = [
            Self.record("x", [TokenName.dob: "d1", TokenName.blockSurnameYear: "s1"]),
            Self.record("y", [TokenName.nhs: "n1"]),
        ]
        let passes = [TokenName.dob, TokenName.blockSurnameYear, TokenName.nhs]
        let one = Blocker(configuration: BlockingConfiguration(tokenPasses: passes, lshBands: 0, lshBitsPerBand: 0, maximumBlockSize: 50))
        #expect(one.candidates(left: left, right: right).pairs == [CandidatePair(left: 0, right: 0), CandidatePair(left: 1, right: 0), CandidatePair(left: 2, right: 1)])
        let two = Blocker(configuration: BlockingConfiguration(
            tokenPasses: passes, lshBands: 0, lshBitsPerBand: 0, maximumBlockSize: 50, minimumSharedKeys: 2, sufficientPasses: [TokenName.nhs]))
        #expect(two.candidates(left: left, right: right).pairs == [CandidatePair(left: 0, right: 0), CandidatePair(left: 2, right: 1)])
        #expect(two.candidates(within: left + right).pairs == [CandidatePair(left: 0, right: 3), CandidatePair(left: 2, right: 4)])
        #expect(BlockingConfiguration.standard.minimumSharedKeys == 1, "the default keeps every pair that meets in a block")
    }

    @Test("a pair meeting only in a broad block needs a second shared key; one narrow block is enough, and a sufficient pass still suffices alone")
    func broadBlocks() {
        // Four left records share a surname-initial key with x: that block is broad above 3.
        let left = [
            Self.record("a", [TokenName.blockSurnameInitial: "s", TokenName.dob: "d1"]),  // also shares dob with x
            Self.record("b", [TokenName.blockSurnameInitial: "s"]),
            Self.record("c", [TokenName.blockSurnameInitial: "s", TokenName.nhs: "n1"]),  // and the NHS number with x
            Self.record("d", [TokenName.blockSurnameInitial: "s", TokenName.blockGivenDistrict: "g"]),  // and a narrow block with y
        ]
        let right = [
            Self.record("x", [TokenName.blockSurnameInitial: "s", TokenName.dob: "d1", TokenName.nhs: "n1"]),
            Self.record("y", [TokenName.blockGivenDistrict: "g"]),
        ]
        let passes = [TokenName.dob, TokenName.nhs, TokenName.blockSurnameInitial, TokenName.blockGivenDistrict]
        func blocker(broad: Int) -> Blocker {
            Blocker(configuration: BlockingConfiguration(
                tokenPasses: passes, lshBands: 0, lshBitsPerBand: 0, maximumBlockSize: 50, sufficientPasses: [TokenName.nhs],
                broadBlockSize: broad))
        }
        let all = [(0, 0), (1, 0), (2, 0), (3, 0), (3, 1)].map { CandidatePair(left: $0.0, right: $0.1) }
        #expect(blocker(broad: 4).candidates(left: left, right: right).pairs == all, "a block of four is not broad at 4")
        let broad = blocker(broad: 3)
        #expect(broad.candidates(left: left, right: right).pairs == [(0, 0), (2, 0), (3, 1)].map { CandidatePair(left: $0.0, right: $0.1) })
        // Shards of left records give the same pairs as the whole: a block's size is the whole block's.
        let keyedLeft = broad.keyed(left), keyedRight = broad.keyed(right)
        let shards: [Range<Int>] = [0..<2, 2..<4]
        let sharded: [CandidatePair] = shards.flatMap { broad.candidates(left: keyedLeft, right: keyedRight, leftRecords: $0).pairs }
        #expect(sharded == broad.candidates(left: left, right: right).pairs)
        // Inside one set: the five records holding "s" make a broad block; a (dob) and x share two keys.
        let within = broad.candidates(within: left + right).pairs
        #expect(within.contains(CandidatePair(left: 0, right: 4)) && within.contains(CandidatePair(left: 2, right: 4)))
        #expect(within.contains(CandidatePair(left: 3, right: 5)))
        #expect(!within.contains(CandidatePair(left: 0, right: 1)) && !within.contains(CandidatePair(left: 1, right: 4)))
        #expect(within.count == 3)
    }
}
