/// A record's keyed tokens, held flat: one array of 64-bit words for all of them, in the fixed order
/// of ``names``.
///
/// A dictionary of arrays costs a hash table and an allocation per name, several kilobytes a record;
/// the hub holds a million records while linking, so this layout keeps them to two words a token
/// plus a short header, and lets matching read a name's tokens as a range of words with no lookup.
/// Tokens under a name not in ``names`` (a newer format's) are kept aside, unchanged.
public struct TokenTable: Sendable, Hashable {
    /// The token names with a fixed place, in place order: every ``TokenName``.
    public static let names: [String] = [
        TokenName.given, TokenName.givenCanonical, TokenName.givenPhonetic, TokenName.givenEdit, TokenName.middle,
        TokenName.middleInitial, TokenName.surname, TokenName.surnamePart, TokenName.surnamePhonetic, TokenName.namesUnordered, TokenName.givenAsSurname,
        TokenName.dob, TokenName.dobSwapped, TokenName.dobYearMonth, TokenName.dobMonthDay, TokenName.dobEdit, TokenName.sex,
        TokenName.houseAndPostcode, TokenName.postcode, TokenName.postcodeSector, TokenName.postcodeDistrict,
        TokenName.nhs, TokenName.other, TokenName.otherEdit, TokenName.otherScheme,
        TokenName.blockSurnameYear, TokenName.blockGivenDistrict, TokenName.blockSurnameInitial,
    ]
    private static let placeOfName = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    /// The places in name order, for writing tokens sorted by name.
    private static let placesByName = names.indices.sorted { names[$0] < names[$1] }
    /// Word 0: a bit per place whose name is present (even with no token); then the end index of
    /// each place's tokens, 16 bits each, four to a word.
    private static let headerWords = 1 + (names.count + 3) / 4

    /// The place of `name` in ``names``, if it has one.
    public static func place(of name: String) -> Int? { placeOfName[name] }

    private var words: [UInt64]
    /// The bytes of tokens that are not 16 bytes long (only synthetic tests make them), by token
    /// index; their words hold a 128-bit fold of the bytes, so equality of words stays equality of tokens.
    private var irregular: [Int: [UInt8]] = [:]
    /// Tokens under names without a place.
    private var unplaced: [String: [Token]] = [:]

    /// The empty table.
    public init() { words = [UInt64](repeating: 0, count: Self.headerWords) }

    /// A table of `tokens`, keeping each name's tokens in order.
    public init(_ tokens: [String: [Token]]) {
        let count = tokens.reduce(0) { $0 + (Self.placeOfName[$1.key] == nil ? 0 : $1.value.count) }
        precondition(count < 1 << 16, "a record carries fewer than 65,536 tokens")
        words = [UInt64](repeating: 0, count: Self.headerWords)
        words.reserveCapacity(Self.headerWords + 2 * count)
        var index = 0
        for (place, name) in Self.names.enumerated() {
            if let list = tokens[name] {
                words[0] |= 1 << UInt64(place)
                for token in list {
                    if token.isStandard {
                        words.append(token.high)
                        words.append(token.low)
                    } else {
                        let folded = Self.fold(token.bytes)
                        words.append(folded.high)
                        words.append(folded.low)
                        irregular[index] = token.bytes
                    }
                    index += 1
                }
            }
            let shift = UInt64(16 * (place % 4))
            words[1 + place / 4] |= UInt64(index) << shift
        }
        for (name, list) in tokens where Self.placeOfName[name] == nil { unplaced[name] = list }
    }

    /// The tokens as a dictionary by name (what ``EncodedRecord/tokens`` shows).
    public var dictionary: [String: [Token]] {
        var out = unplaced
        for place in Self.names.indices where isPresent(place) { out[Self.names[place]] = tokens(atPlace: place) }
        return out
    }

    /// Calls `body` with each name present and its tokens, in name order.
    public func forEachName(_ body: (String, [Token]) -> Void) {
        var placed = Self.placesByName.lazy.filter(isPresent).makeIterator()
        var others = unplaced.keys.sorted().makeIterator()
        var p = placed.next(), o = others.next()
        while p != nil || o != nil {
            if let place = p, o.map({ Self.names[place] < $0 }) ?? true {
                body(Self.names[place], tokens(atPlace: place))
                p = placed.next()
            } else if let name = o {
                body(name, unplaced[name] ?? [])
                o = others.next()
            }
        }
    }

    /// The indices of the tokens at `place`.
    @inline(__always)
    public func range(ofPlace place: Int) -> Range<Int> {
        let end = Int(truncatingIfNeeded: words[1 + place / 4] >> UInt64(16 * (place % 4))) & 0xffff
        guard place > 0 else { return 0..<end }
        let previous = place - 1
        let start = Int(truncatingIfNeeded: words[1 + previous / 4] >> UInt64(16 * (previous % 4))) & 0xffff
        return start..<end
    }

    /// True when the name at `place` is present (possibly with no token).
    public func isPresent(_ place: Int) -> Bool { words[0] >> UInt64(place) & 1 == 1 }

    /// True when the name at `place` has at least one token.
    @inline(__always)
    public func hasTokens(atPlace place: Int) -> Bool { !range(ofPlace: place).isEmpty }

    /// The two words of token `index` (a token's 16 bytes, or the fold of an irregular token's).
    @inline(__always)
    public func words(at index: Int) -> (high: UInt64, low: UInt64) {
        (words[Self.headerWords + 2 * index], words[Self.headerWords + 2 * index + 1])
    }

    /// Token `index`.
    public func token(at index: Int) -> Token {
        if !irregular.isEmpty, let bytes = irregular[index] { return Token(bytes: bytes) }
        let w = words(at: index)
        return Token(high: w.high, low: w.low)
    }

    /// The tokens at `place`.
    public func tokens(atPlace place: Int) -> [Token] { range(ofPlace: place).map(token(at:)) }

    /// The tokens under `name` (empty if none).
    public func tokens(named name: String) -> [Token] {
        guard let place = Self.placeOfName[name] else { return unplaced[name] ?? [] }
        return tokens(atPlace: place)
    }

    /// The first token under `name`, if any.
    public func firstToken(named name: String) -> Token? {
        guard let place = Self.placeOfName[name] else { return unplaced[name]?.first }
        let r = range(ofPlace: place)
        return r.isEmpty ? nil : token(at: r.lowerBound)
    }

    /// True when some token at `place` here equals some token at `otherPlace` in `other`.
    @inline(__always)
    public func shares(_ place: Int, with other: TokenTable, _ otherPlace: Int) -> Bool {
        let b = other.range(ofPlace: otherPlace)
        guard !b.isEmpty else { return false }
        for i in range(ofPlace: place) {
            let x = words(at: i)
            for j in b {
                let y = other.words(at: j)
                if x.high == y.high && x.low == y.low { return true }
            }
        }
        return false
    }

    /// A 128-bit FNV-1a fold of bytes that are not a standard token, marked in the top bit.
    private static func fold(_ bytes: [UInt8]) -> (high: UInt64, low: UInt64) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for x in bytes { h = (h ^ UInt64(x)) &* 0x0000_0100_0000_01b3 }
        return (h, UInt64(bytes.count) | 1 << 63)
    }
}
