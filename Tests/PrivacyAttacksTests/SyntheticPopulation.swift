import LinkCrypto
import Normalisation
@testable import PrivacyAttacks
import Tokenisation

/// A synthetic population drawn from Zipf-weighted name lists, so that a target and a reference list
/// can be drawn independently from one distribution. Deterministic (SplitMix64 from a seed): test
/// data, not secrets.
struct SyntheticPopulation {
    static let givenNames = """
        oliver george harry jack jacob noah charlie thomas oscar william james leo alfie henry joshua freddie
        archie ethan isaac alexander joseph edward samuel max logan lucas daniel theo arthur mohammed harrison
        olivia amelia isla ava emily sophia grace mia poppy ella lily evie isabella sophie ivy freya harper
        willow charlotte jessica rosie daisy alice sienna florence matilda evelyn ruby phoebe scarlett chloe
        aisha fatima zara hannah layla anna maria elena sara laura
        """.split(whereSeparator: \.isWhitespace).map(String.init)
    static let surnames = """
        smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson thompson wright
        walker white edwards hughes green hall lewis harris clarke jackson wood turner martin cooper hill ward
        morris moore clark lee king baker harrison morgan allen james scott phillips watson davis parker price
        bennett young griffiths mitchell kelly cook carter richardson bailey collins bell shaw murphy miller
        cox richards khan marshall anderson simpson ellis adams singh begum wilkinson foster chapman powell
        webb rogers gray mason ali hussain campbell matthews owen palmer holmes mills barnes knight lloyd
        butler russell barker fisher stevens jenkins murray dixon harvey graham pearson ahmed fletcher walsh
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    private var state: UInt64
    private let offset: Int

    /// A population from `seed`; `skewed` gives exponent-1 Zipf weights 1 / rank (the commonest
    /// surname at 19%), else 1 / (rank + 9) (the commonest at about 4%, as in a real population).
    init(seed: UInt64, skewed: Bool = false) {
        state = seed
        offset = skewed ? 0 : 9
    }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// An index into `count` items with weight 1 / (rank + offset), ranks from 1.
    private mutating func zipf(_ count: Int) -> Int {
        let total = (1...count).reduce(0.0) { $0 + 1 / Double($1 + offset) }
        var u = unit() * total
        for i in 0..<count {
            u -= 1 / Double(i + 1 + offset)
            if u <= 0 { return i }
        }
        return count - 1
    }

    /// `count` people: given name, surname, date of birth (1940–2020).
    mutating func people(_ count: Int) -> [(given: String, surname: String, dob: String)] {
        (0..<count).map { _ in
            let g = Self.givenNames[zipf(Self.givenNames.count)]
            let s = Self.surnames[zipf(Self.surnames.count)]
            let year = 1940 + Int(next() % 81), month = 1 + Int(next() % 12), day = 1 + Int(next() % 28)
            let dob = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
            return (g, s, dob)
        }
    }

    static let header = ["id", "forename", "surname", "dob"]
    static let date = CalendarDate(year: 2026, month: 12, day: 1)!
    /// A public key: every attacker knows it. Unkeyed encodings in all but name.
    static let publicKey = try! LinkageKey(secret: SecureBytes([UInt8](repeating: 0, count: 32)))

    static func schema(_ hardening: Hardening = .init()) -> LinkageSchema {
        LinkageSchema(
            columns: [
                ColumnRole(column: "id", field: .recordID), ColumnRole(column: "forename", field: .givenName),
                ColumnRole(column: "surname", field: .surname), ColumnRole(column: "dob", field: .dateOfBirth),
            ],
            hardening: hardening)
    }

    /// The target: `people` encoded under `key` with `hardening`, with their truth.
    static func target(
        _ people: [(given: String, surname: String, dob: String)], hardening: Hardening = .init(), key: LinkageKey = publicKey
    ) throws -> AttackTarget {
        let schema = schema(hardening)
        let encoder = try RecordEncoder(schema: schema, header: header, key: key, sealer: nil, batchDate: date)
        var records: [EncodedRecord] = []
        var truth: [PlainPerson?] = []
        for (i, p) in people.enumerated() {
            guard case .success(let r) = encoder.encode(["r\(i)", p.given, p.surname, p.dob]) else { continue }
            records.append(r)
            truth.append(PlainPerson(rawGiven: p.given, rawSurname: p.surname, rawDateOfBirth: p.dob, batchDate: date))
        }
        return AttackTarget(records: records, bloom: schema.bloom, truth: truth)
    }

    static func reference(_ people: [(given: String, surname: String, dob: String)]) -> [PlainPerson] {
        people.map { PlainPerson(rawGiven: $0.given, rawSurname: $0.surname, rawDateOfBirth: $0.dob, batchDate: date) }
    }
}
