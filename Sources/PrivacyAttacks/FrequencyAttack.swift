public import Tokenisation

/// Frequency alignment: the most frequent encoded value is taken to be the most frequent plain value
/// of the reference list, the second the second, and so on. Works on anything deterministic:
/// exact tokens and whole Bloom filters. The attacker's k guesses for an encoded value of rank r are
/// the plain values of ranks r, r+1, r−1, …
public enum FrequencyAttack {
    /// The plain values for each encoded value (nil where a record has none), by frequency rank.
    public static func align<E: Hashable>(encoded: [E?], plain: [String], guesses: Int) -> [[String]] {
        var counts: [E: Int] = [:]
        var firstSeen: [E: Int] = [:]
        for (i, e) in encoded.enumerated() {
            guard let e else { continue }
            counts[e, default: 0] += 1
            if firstSeen[e] == nil { firstSeen[e] = i }
        }
        // Ties broken by first appearance: the order of records in a batch carries no information.
        let ranked = counts.keys.sorted { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : firstSeen[$0]! < firstSeen[$1]! }
        var rank: [E: Int] = [:]
        for (i, e) in ranked.enumerated() { rank[e] = i }
        let table = FrequencyTable(plain.filter { !$0.isEmpty })
        var cache: [Int: [String]] = [:]
        return encoded.map { e in
            guard let e, let r = rank[e] else { return [] }
            if let hit = cache[r] { return hit }
            let out = ranksNear(r, count: table.values.count, limit: guesses).map { table.values[$0] }
            cache[r] = out
            return out
        }
    }

    /// The attack on exact tokens: `given` against reference given names, `surname` against surnames,
    /// and the first `block.surname.phonetic+year` token against (phonetic surname, birth year), whose
    /// year is the birth-year guess.
    public static func onTokens(records: [EncodedRecord], reference: [PlainPerson], guesses: Int) -> [RecordGuesses] {
        let given = align(encoded: records.map { $0.tokens[TokenName.given]?.first }, plain: reference.map(\.given), guesses: guesses)
        let surname = align(encoded: records.map { $0.tokens[TokenName.surname]?.first }, plain: reference.map(\.surname), guesses: guesses)
        let composite = reference.map { p in p.birthYear.flatMap { y in p.surnamePhonetic.map { "\($0)|\(y)" } } ?? "" }
        let year = align(encoded: records.map { $0.tokens[TokenName.blockSurnameYear]?.first }, plain: composite, guesses: guesses)
        return records.indices.map { i in
            RecordGuesses(given: given[i], surname: surname[i], birthYear: year[i].compactMap { $0.split(separator: "|").last.flatMap { Int($0) } })
        }
    }

    /// The attack on whole field-level filters: `given` and `surname` filters against the names.
    public static func onFieldFilters(records: [EncodedRecord], reference: [PlainPerson], guesses: Int) -> [RecordGuesses] {
        let given = align(encoded: records.map { $0.filters["given"] }, plain: reference.map(\.given), guesses: guesses)
        let surname = align(encoded: records.map { $0.filters["surname"] }, plain: reference.map(\.surname), guesses: guesses)
        return records.indices.map { RecordGuesses(given: given[$0], surname: surname[$0]) }
    }

    /// The attack on whole record-level filters against full names (given name, surname).
    public static func onRecordFilters(records: [EncodedRecord], reference: [PlainPerson], guesses: Int) -> [RecordGuesses] {
        let full = align(encoded: records.map { $0.filters["record"] }, plain: reference.map { "\($0.given)|\($0.surname)" }, guesses: guesses)
        return full.map { names in
            let parts = names.map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
            return RecordGuesses(given: parts.map { $0[0] }, surname: parts.map { $0.count > 1 ? $0[1] : "" })
        }
    }
}
