import Foundation
import LinkCrypto
public import Normalisation

/// Why a row could not be tokenised. The reason names the column, never its value.
public struct RowRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reason, in words an agency data officer can act on.
    public let reason: String

    /// A rejection with `reason`.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}

/// Turns one input row into an ``EncodedRecord``: normalises each identifier, encodes it under the
/// linkage key, and seals each payload tier to the hub's release key.
///
/// Holds HMAC contexts, so it is not `Sendable`; a parallel tokeniser makes one per task.
public final class RecordEncoder {
    /// Bumped whenever normalisation changes what a value encodes to; part of every field digest.
    public static let normalisationVersion = 6

    private let schema: LinkageSchema
    private let sealer: PayloadSealer?
    private let batchDate: CalendarDate
    private let indices: [FieldKind: [Int]]
    /// The scheme of each `otherIdentifier` column that names one, by column position.
    private let otherSchemes: [Int: String]
    private let tierIndices: [PayloadTier: [(name: String, index: Int)]]
    private let referenceContext: HMACSHA256Context
    private var encoders: [String: KeyedEncoder] = [:]
    private let key: LinkageKey
    private let nicknames = Nicknames.standard
    private let families = TransliterationFamilies.standard
    private let hardener: FilterHardener

    /// An encoder for rows with `header`, checked against `schema`. `sealer` may be nil only when
    /// the schema has no payload columns (a referral query).
    public init(
        schema: LinkageSchema, header: [String], key: LinkageKey, sealer: PayloadSealer?, batchDate: CalendarDate
    ) throws(TokenisationError) {
        try schema.validate(header: header)
        guard !schema.columns(for: .recordID).isEmpty else {
            throw .invalidSchema("no recordID column: mashlink needs the agency's own record id to make the opaque reference it returns on release")
        }
        guard schema.columns(for: .recordID).count == 1 else { throw .invalidSchema("only one column can be the recordID") }
        var position: [String: Int] = [:]
        for (i, name) in header.enumerated() { position[name] = i }
        var indices: [FieldKind: [Int]] = [:]
        for kind in FieldKind.allCases { indices[kind] = schema.columns(for: kind).compactMap { position[$0] } }
        var schemes: [Int: String] = [:]
        for c in schema.columns where c.field == .otherIdentifier {
            if let scheme = c.scheme.map({ TextFolding.compact($0) }), !scheme.isEmpty, let i = position[c.column] { schemes[i] = scheme }
        }
        var tiers: [PayloadTier: [(String, Int)]] = [:]
        for tier in PayloadTier.allCases {
            let cols = schema.columns(for: tier).compactMap { name in position[name].map { (name, $0) } }
            if !cols.isEmpty { tiers[tier] = cols }
        }
        if !tiers.isEmpty && sealer == nil {
            throw .invalidSchema("the schema has payload columns but no hub release key was given to seal them to")
        }
        self.schema = schema
        self.sealer = sealer
        self.batchDate = batchDate
        self.indices = indices
        self.otherSchemes = schemes
        self.tierIndices = tiers
        self.key = key
        referenceContext = HMACSHA256Context(key: key.subkey("record-reference"))
        hardener = FilterHardener(hardening: schema.hardening, bloom: schema.bloom, key: key)
    }

    /// The opaque reference for an agency record id: what the agency recomputes to find its record.
    public func reference(forRecordID id: String) -> String {
        Hex.encode(referenceContext.authenticationCode(for: id).prefix(16))
    }

    private func encoder(_ purpose: String) -> KeyedEncoder {
        if let e = encoders[purpose] { return e }
        let e = KeyedEncoder(key: key, purpose: purpose)
        encoders[purpose] = e
        return e
    }

    private func values(_ kind: FieldKind, _ fields: [String]) -> [String] {
        (indices[kind] ?? []).map { Self.trimmed(fields[$0]) }.filter { !$0.isEmpty }
    }

    /// Encodes one row, or says why it cannot be encoded.
    public func encode(_ fields: [String]) -> Result<EncodedRecord, RowRejection> {
        var omitted: [String] = []
        return encode(fields, omitted: &omitted)
    }

    /// Encodes one row like ``encode(_:)``; under ``InvalidValuePolicy/omitField`` an invalid date of
    /// birth or NHS number is left out instead of rejecting the row, and `omitted` gets one reason
    /// for each value left out (naming the column's kind, never its value).
    public func encode(_ fields: [String], omitted: inout [String]) -> Result<EncodedRecord, RowRejection> {
        let omitInvalid = schema.invalidValues == .omitField
        guard let id = values(.recordID, fields).first else {
            return .failure(RowRejection("the record id column is empty; every row needs the agency's own id"))
        }
        let reference = reference(forRecordID: id)
        var tokens: [String: [Token]] = [:]
        var filters: [String: BloomFilter] = [:]
        var nameSalt: String?
        let bloom = hardener.buildParameters
        let fieldFilters = schema.hardening.recordFilterOnly != true
        // `keyedAs` shares a key between token names whose values must be comparable with each other
        // (a swapped date of birth with a date of birth, a surname part with a surname).
        func add(_ name: String, _ value: String?, keyedAs purpose: String? = nil) {
            guard var value, !value.isEmpty else { return }
            if let nameSalt, Self.nameTokens.contains(name) { value += "|" + nameSalt }
            let token = encoder(purpose ?? name).token(value)
            if !(tokens[name]?.contains(token) ?? false) { tokens[name, default: []].append(token) }
        }

        // Date of birth first: its year may salt the filters.
        var dob: ParsedDateOfBirth?
        if let raw = values(.dateOfBirth, fields).first {
            do { dob = try DateOfBirth.parse(raw, referenceDate: batchDate) } catch {
                guard omitInvalid else { return .failure(RowRejection("\(error)")) }
                omitted.append("tokenised without the date of birth: \(error)")
            }
        }
        let salt = schema.hardening.saltWithBirthYear ? dob.map { String($0.date.year) } ?? "" : ""
        nameSalt = schema.hardening.saltNameTokens == true ? dob.map { String($0.date.year) } ?? "" : nil
        var ageBand: AgeBand?
        if let d = dob?.date { ageBand = Self.age(of: d, on: batchDate) < 18 ? .child : .adult }
        if let dob {
            add(TokenName.dob, dob.date.compact)
            add(TokenName.dobSwapped, dob.swapped?.compact, keyedAs: TokenName.dob)
            add(TokenName.dobYearMonth, String(dob.date.compact.prefix(6)))
            add(TokenName.dobMonthDay, String(dob.date.compact.suffix(4)))
            for form in Self.deletionNeighbourhood(dob.date.compact) { add(TokenName.dobEdit, form) }
        }

        // Given names.
        let givenRaw = values(.givenName, fields).joined(separator: " ")
        let given = NameNormaliser.givenNames(givenRaw)
        var givenCanonical: [String] = []
        if let first = given.tokens.first {
            add(TokenName.given, first)
            givenCanonical = canonicalGiven(first)
            for c in givenCanonical { add(TokenName.givenCanonical, c) }
            for code in Phonetic.doubleMetaphone(first).codes where !code.isEmpty { add(TokenName.givenPhonetic, code) }
            for form in Self.deletionNeighbourhood(first) { add(TokenName.givenEdit, form) }
            if fieldFilters { filters["given"] = encoder("given").bloom([first], parameters: bloom, salt: salt) }
        }
        let middle = given.tokens.dropFirst() + values(.middleNames, fields).flatMap { NameNormaliser.givenNames($0).tokens }
        // Keyed as given names, so a given name recorded as a middle name elsewhere still agrees.
        for m in middle {
            add(TokenName.middle, m, keyedAs: TokenName.given)
            add(TokenName.middleInitial, m.first.map(String.init))
        }

        // Surname and former surname.
        let surname = NameNormaliser.surname(values(.surname, fields).joined(separator: " "))
        var surnamePhonetic: [String] = []
        if !surname.isEmpty {
            add(TokenName.surname, surname.full)
            for v in surname.variants where v != surname.full { add(TokenName.surnamePart, v, keyedAs: TokenName.surname) }
            surnamePhonetic = Phonetic.doubleMetaphone(surname.full).codes.filter { !$0.isEmpty }
            for code in surnamePhonetic { add(TokenName.surnamePhonetic, code) }
            if fieldFilters { filters["surname"] = encoder("surname").bloom([surname.full], parameters: bloom, salt: salt) }
        }
        // Given name and surname as an unordered pair: equal on both sides with the given names
        // different means the two were transposed.
        if let first = given.tokens.first, !surname.isEmpty {
            add(TokenName.namesUnordered, first < surname.full ? first + "|" + surname.full : surname.full + "|" + first)
        }
        if let first = given.tokens.first {
            add(TokenName.givenAsSurname, first, keyedAs: TokenName.surname)
        }
        for raw in values(.formerSurname, fields) {
            let former = NameNormaliser.surname(raw)
            guard !former.isEmpty else { continue }
            add(TokenName.surnamePart, former.full, keyedAs: TokenName.surname)
            for code in Phonetic.doubleMetaphone(former.full).codes where !code.isEmpty { add(TokenName.surnamePhonetic, code) }
        }

        // Sex.
        if let raw = values(.sex, fields).first {
            let sex = Sex(normalising: raw)
            if sex.isKnown { add(TokenName.sex, String(sex.iso5218Code)) }
        }

        // Postcode: a UK postcode gives sector and district too; anything else is kept as an exact token only.
        var district: String?
        var postcodeCompact: String?
        if let raw = values(.postcode, fields).first {
            if let pc = try? UKPostcode(raw) {
                postcodeCompact = pc.compact
                district = pc.district
                add(TokenName.postcodeSector, pc.sector)
                add(TokenName.postcodeDistrict, pc.district)
            } else {
                postcodeCompact = TextFolding.compact(raw)
            }
            add(TokenName.postcode, postcodeCompact)
        }

        // Address.
        let addressLines = values(.addressLine, fields)
        // A house-number column may hold the flat too ("Flat 5, 14"): its house number is the number.
        var house = values(.houseNumber, fields).first.map { AddressNormaliser.normaliseLine($0).houseNumber ?? TextFolding.compact($0) }
        var streetTokens: [String] = []
        for line in addressLines {
            let a = AddressNormaliser.normaliseLine(line)
            if house == nil { house = a.houseNumber }
            streetTokens += a.buildingTokens + a.streetTokens
        }
        if let house, !house.isEmpty, let postcodeCompact { add(TokenName.houseAndPostcode, house + "|" + postcodeCompact) }
        if fieldFilters, !streetTokens.isEmpty || house != nil {
            filters["address"] = encoder("address").bloom(
                [([house].compactMap { $0 } + streetTokens).joined(separator: " ")], parameters: bloom, salt: salt)
        }

        // Record-level composite filter (a CLK): every field's q-grams, each prefixed with its field so
        // that "ann" as a given name and "ann" in a street do not collide.
        let composite: [(tag: String, value: String)] = [
            ("g", given.tokens.first ?? ""), ("s", surname.full), ("d", dob?.date.compact ?? ""), ("p", postcodeCompact ?? ""),
        ]
        if composite.contains(where: { !$0.value.isEmpty }) {
            filters["record"] = encoder("record").bloom(tagged: composite, parameters: bloom, salt: salt)
        }

        // NHS number and other identifiers.
        if let raw = values(.nhsNumber, fields).first {
            do { add(TokenName.nhs, try NHSNumber(raw).digits) } catch {
                guard omitInvalid else { return .failure(RowRejection("\(error)")) }
                omitted.append("tokenised without the NHS number: \(error)")
            }
        }
        for i in indices[.otherIdentifier] ?? [] {
            let raw = Self.trimmed(fields[i])
            guard !raw.isEmpty else { continue }
            let folded = TextFolding.compact(raw)
            add(TokenName.other, folded)
            for form in Self.deletionNeighbourhood(folded, minimumLength: 6) { add(TokenName.otherEdit, form) }
            if let scheme = otherSchemes[i] { add(TokenName.otherScheme, scheme) }
        }

        // Composite blocking keys.
        if let year = dob?.date.year {
            for code in surnamePhonetic { add(TokenName.blockSurnameYear, "\(code)|\(year)") }
        }
        if let district { for c in givenCanonical { add(TokenName.blockGivenDistrict, "\(c)|\(district)") } }
        if let initial = given.initial { for code in surnamePhonetic { add(TokenName.blockSurnameInitial, "\(code)|\(initial)") } }

        let identifying: Set<String> = [TokenName.given, TokenName.surname, TokenName.dob, TokenName.nhs, TokenName.postcode, TokenName.houseAndPostcode]
        guard !identifying.isDisjoint(with: tokens.keys) else {
            return .failure(RowRejection("no usable identifier: name, date of birth, NHS number and postcode are all empty or unusable"))
        }

        if !hardener.isIdentity {
            for (purpose, filter) in filters { filters[purpose] = hardener.finish(filter, purpose: purpose, reference: reference) }
        }
        var payload: [PayloadTier: [UInt8]] = [:]
        for (tier, columns) in tierIndices {
            let present = columns.filter { !fields[$0.index].isEmpty }
            guard !present.isEmpty else { continue }
            // A JSON object of the tier's non-empty columns, keys sorted.
            let object = present.map { ($0.name, fields[$0.index]) }.sorted { $0.0 < $1.0 }
            do {
                guard let sealer else { return .failure(RowRejection("payload tier \(tier.rawValue) has no sealer")) }
                payload[tier] = try sealer.seal(JSONText.object(object), reference: reference, tier: tier)
            } catch {
                return .failure(RowRejection("payload tier \(tier.rawValue) could not be sealed"))
            }
        }
        return .success(EncodedRecord(reference: reference, ageBand: ageBand, tokens: tokens, filters: filters, payload: payload))
    }

    /// `value` and every form of it with one character deleted, for values of at least
    /// `minimumLength` characters (shorter ones give too many accidental neighbours). Two values
    /// share a form exactly when one substitution, insertion, deletion or adjacent transposition
    /// turns one into the other (and for a few two edits apart, such as Jack and Jake through "jak").
    static func deletionNeighbourhood(_ value: String, minimumLength: Int = 3) -> [String] {
        let characters = Array(value)
        guard characters.count >= minimumLength else { return [] }
        var forms = [value]
        for i in characters.indices {
            var form = characters
            form.remove(at: i)
            let text = String(form)
            if forms.last != text { forms.append(text) }
        }
        return forms
    }

    /// The tokens ``Hardening/saltNameTokens`` salts with the birth year.
    static let nameTokens: Set<String> = [
        TokenName.given, TokenName.givenCanonical, TokenName.givenPhonetic, TokenName.givenEdit, TokenName.middle, TokenName.middleInitial,
        TokenName.surname, TokenName.surnamePart, TokenName.surnamePhonetic, TokenName.namesUnordered, TokenName.givenAsSurname, TokenName.blockGivenDistrict, TokenName.blockSurnameInitial,
    ]

    /// Nickname and spelling-family canonical forms of a first name (the name itself if it has none).
    private func canonicalGiven(_ name: String) -> [String] {
        var forms = Set(nicknames.canonicalForms(of: name))
        forms.insert(families.canonical(of: name))
        if forms.count > 1 { forms.remove(name) }
        return forms.sorted()
    }

    /// `text` without leading and trailing spaces and tabs (cheaper than Foundation's trimming on the hot path).
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return text }
        return String(text[first...last])
    }

    /// Whole years between `birth` and `date`.
    static func age(of birth: CalendarDate, on date: CalendarDate) -> Int {
        var years = date.year - birth.year
        if (date.month, date.day) < (birth.month, birth.day) { years -= 1 }
        return years
    }
}
