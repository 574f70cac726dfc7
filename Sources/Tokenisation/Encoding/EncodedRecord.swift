/// Whether a subject was a child or an adult on the batch date: the only clear attribute that leaves
/// an agency, because the threshold rules (child thresholds versus s42) depend on it.
public enum AgeBand: String, Sendable, Hashable, Codable {
    case child, adult
}

/// One record as it leaves the agency: an opaque reference, keyed tokens, keyed Bloom filters and
/// sealed payload tiers. No clear identifier and no clear date of birth.
public struct EncodedRecord: Sendable, Hashable {
    /// Opaque record reference: 16 bytes of HMAC of the agency's record id, hex. The agency can
    /// recompute it to find its own record when a release names it; nobody else can invert it.
    public var reference: String
    /// Child or adult on the batch date, if the date of birth was known.
    public var ageBand: AgeBand?
    /// Keyed tokens, held flat (see ``TokenTable``; read them there where speed matters).
    public var tokenTable: TokenTable
    /// Keyed tokens by name (see ``TokenName``); several values for multi-valued variants. Reading
    /// or setting it converts from and to ``tokenTable``.
    public var tokens: [String: [Token]] {
        get { tokenTable.dictionary }
        set { tokenTable = TokenTable(newValue) }
    }
    /// Keyed Bloom filters, held in one array (see ``FilterSet``).
    public var filterSet: FilterSet
    /// Keyed Bloom filters by field name (`given`, `surname`, `address`, `record`). Reading or
    /// setting it converts from and to ``filterSet``.
    public var filters: [String: BloomFilter] {
        get { filterSet.dictionary }
        set { filterSet = FilterSet(newValue) }
    }
    /// Sealed payload by tier (see ``PayloadSealer``): `nonce ‖ ciphertext ‖ tag`.
    public var payload: [PayloadTier: [UInt8]]

    /// Makes a record.
    public init(
        reference: String, ageBand: AgeBand?, tokens: [String: [Token]], filters: [String: BloomFilter],
        payload: [PayloadTier: [UInt8]]
    ) {
        self.reference = reference
        self.ageBand = ageBand
        tokenTable = TokenTable(tokens)
        filterSet = FilterSet(filters)
        self.payload = payload
    }
}

/// The names of the tokens a record can carry. Documented in docs/formats.md; the matching
/// module relies on them.
public enum TokenName {
    public static let given = "given"
    public static let givenCanonical = "given.canonical"
    public static let givenPhonetic = "given.phonetic"
    /// The first given name and each form of it with one letter deleted (a deletion neighbourhood),
    /// so two names one typo apart (Jack/Jakc, Karen/Kareh, Dafydd/Dafpydd) share a token.
    public static let givenEdit = "given.edit"
    public static let middle = "middle"
    /// Initial of each middle name, so "Claire" and "C" (or "Clare") agree on the initial.
    public static let middleInitial = "middle.initial"
    public static let surname = "surname"
    public static let surnamePart = "surname.part"
    public static let surnamePhonetic = "surname.phonetic"
    /// The first given name and the surname as an unordered pair, so a record with the two
    /// transposed (a family name recorded first, or the fields swapped at entry) still agrees.
    public static let namesUnordered = "names.unordered"
    /// The first given name keyed as a surname, so a given name recorded in the surname field
    /// elsewhere (the fields swapped, and one of them changed) still agrees with it.
    public static let givenAsSurname = "given.as-surname"
    public static let dob = "dob"
    public static let dobSwapped = "dob.swapped"
    public static let dobYearMonth = "dob.ym"
    /// Month and day of birth without the year (MMDD), so a birth year recorded one off still agrees on the rest.
    public static let dobMonthDay = "dob.md"
    /// The date of birth (`yyyymmdd`) and each form of it with one digit deleted, so two dates one
    /// keying error apart (a digit changed, added or dropped, or two neighbours swapped) share one.
    public static let dobEdit = "dob.edit"
    public static let sex = "sex"
    public static let postcode = "postcode"
    public static let postcodeSector = "postcode.sector"
    public static let postcodeDistrict = "postcode.district"
    public static let houseAndPostcode = "house+postcode"
    public static let nhs = "nhs"
    public static let other = "other"
    /// Each other identifier of six characters or more and each form of it with one character
    /// deleted, so an identifier keyed one error apart still agrees on a neighbour.
    public static let otherEdit = "other.edit"
    /// The scheme of each other identifier the record holds (``ColumnRole/scheme``), keyed like any
    /// token: the hub sees only whether two records hold identifiers of one scheme.
    public static let otherScheme = "other.scheme"
    /// Composite blocking keys: phonetic surname with birth year; canonical given name with postcode
    /// district; phonetic surname with given-name initial. Composites leak less to frequency analysis
    /// than their parts would.
    public static let blockSurnameYear = "block.surname.phonetic+year"
    public static let blockGivenDistrict = "block.given.canonical+district"
    public static let blockSurnameInitial = "block.surname.phonetic+initial"
}
