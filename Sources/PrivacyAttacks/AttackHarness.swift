import Foundation
public import LinkCrypto
import LinkFiles
import Normalisation
public import Tokenisation

/// What the hub holds, plus the truth the harness (never the attacker) scores against.
public struct AttackTarget: Sendable {
    /// The batch's records, in batch order.
    public var records: [EncodedRecord]
    /// The batch's Bloom parameters, public in its header.
    public var bloom: BloomParameters
    /// The true person of each record (nil where unknown); read only by scoring.
    public var truth: [PlainPerson?]

    /// A target from records and their truth, aligned by index.
    public init(records: [EncodedRecord], bloom: BloomParameters, truth: [PlainPerson?]) {
        precondition(records.count == truth.count, "one truth entry per record")
        self.records = records
        self.bloom = bloom
        self.truth = truth
    }

    /// Reads a signed batch (checking its signature under `signer`) and joins the truth: the agency's
    /// plain CSV and schema, through its reference map (`record_id,reference`).
    public static func load(
        batch: String, signer: Ed25519.PublicKey, references: String, plain: String, schema: LinkageSchema
    ) throws -> AttackTarget {
        let reader = try BatchReader(path: batch, expectedSigner: signer)
        var records: [EncodedRecord] = []
        while let r = try reader.next() { records.append(r) }
        let byReference = try LinkFiles.readReferenceMap(references)
        let date = (try? DateOfBirth.parse(reader.header.batchDate, referenceDate: Tokeniser.today()).date) ?? Tokeniser.today()
        var people: [String: PlainPerson] = [:]
        for row in try PlainPopulation.read(path: plain, schema: schema, batchDate: date) {
            if let ref = byReference[row.recordID] { people[ref] = row.person }
        }
        return AttackTarget(records: records, bloom: reader.header.bloom, truth: records.map { people[$0.reference] })
    }
}

/// Runs every attack the target's encodings allow and scores each.
public enum AttackHarness {
    /// The attacks' names, in report order.
    public static let attackNames = [
        "frequency/tokens", "frequency/field-filters", "frequency/record-filter",
        "pattern-mining/field-filters", "pattern-mining/record-filter", "graph-matching/field-filters",
    ]

    /// Scores of each attack on `target` with `reference` as the attacker's public list. An attack
    /// whose encodings the batch lacks (no field-level filters, say) is left out.
    public static func run(target: AttackTarget, reference: [PlainPerson], guesses: Int = 10) -> [AttackScore] {
        let records = target.records
        var scores: [AttackScore] = []
        func score(_ name: String, _ g: [RecordGuesses]) { scores.append(AttackScore(attack: name, guesses: g, truth: target.truth, within: guesses)) }
        let hasField = records.contains { $0.filters["given"] != nil || $0.filters["surname"] != nil }
        let hasRecord = records.contains { $0.filters["record"] != nil }

        score("frequency/tokens", FrequencyAttack.onTokens(records: records, reference: reference, guesses: guesses))
        if hasField { score("frequency/field-filters", FrequencyAttack.onFieldFilters(records: records, reference: reference, guesses: guesses)) }
        if hasRecord { score("frequency/record-filter", FrequencyAttack.onRecordFilters(records: records, reference: reference, guesses: guesses)) }

        let mining = PatternMiningAttack(bloom: target.bloom)
        if hasField {
            let g = mining.runBest(filters: records.map { $0.filters["given"] }, fields: [.init(tag: "", reference: reference.map(\.given))], guesses: guesses)
            let s = mining.runBest(filters: records.map { $0.filters["surname"] }, fields: [.init(tag: "", reference: reference.map(\.surname))], guesses: guesses)
            score("pattern-mining/field-filters", records.indices.map { RecordGuesses(given: g.guesses[0][$0], surname: s.guesses[0][$0]) })
        }
        if hasRecord {
            let fields: [PatternMiningAttack.Field] = [.init(tag: "g:", reference: reference.map(\.given)), .init(tag: "s:", reference: reference.map(\.surname))]
            let r = mining.runBest(filters: records.map { $0.filters["record"] }, fields: fields, guesses: guesses)
            score("pattern-mining/record-filter", records.indices.map { RecordGuesses(given: r.guesses[0][$0], surname: r.guesses[1][$0]) })
        }
        if hasField {
            let graph = GraphMatchingAttack(bloom: target.bloom)
            let g = graph.run(filters: records.map { $0.filters["given"] }, reference: reference.map(\.given), guesses: guesses)
            let s = graph.run(filters: records.map { $0.filters["surname"] }, reference: reference.map(\.surname), guesses: guesses)
            score("graph-matching/field-filters", records.indices.map { RecordGuesses(given: g[$0], surname: s[$0]) })
        }
        return scores
    }

    /// The insider's attack, for the threat model: an agency (or anyone) holding the linkage key
    /// encodes every reference value itself and looks the tokens up. Not a hub attack. The insider
    /// knows the schema too: with `saltedNames` it encodes every name with every birth year from
    /// 1900 to 2030 (and with none), as ``Hardening/saltNameTokens`` does, and so learns the year.
    public static func dictionary(target: AttackTarget, reference: [PlainPerson], key: LinkageKey, saltedNames: Bool = false) -> AttackScore {
        let given = KeyedEncoder(key: key, purpose: TokenName.given), surname = KeyedEncoder(key: key, purpose: TokenName.surname)
        let salts: [(suffix: String, year: Int?)] = saltedNames ? [("|", nil)] + (1900...2030).map { (y: Int) in ("|" + String(y), Optional(y)) } : [("", nil)]
        var g: [Token: (String, Int?)] = [:], s: [Token: String] = [:]
        for name in Set(reference.map(\.given)) where !name.isEmpty {
            for salt in salts { g[given.token(name + salt.suffix)] = (name, salt.year) }
        }
        for name in Set(reference.map(\.surname)) where !name.isEmpty {
            for salt in salts { s[surname.token(name + salt.suffix)] = name }
        }
        let guesses = target.records.map { r in
            let hit = r.tokens[TokenName.given]?.first.flatMap { g[$0] }
            return RecordGuesses(
                given: hit.map { [$0.0] } ?? [],
                surname: r.tokens[TokenName.surname]?.first.flatMap { s[$0] }.map { [$0] } ?? [],
                birthYear: hit?.1.map { [$0] } ?? [])
        }
        return AttackScore(attack: "dictionary/with-linkage-key", guesses: guesses, truth: target.truth, within: 1)
    }
}
