import Testing
@testable import Tokenisation

@Suite("Compact token table and filter set")
struct TokenTableTests {
    static func token(_ n: UInt64) -> Token { Token(high: n &* 0x9e37_79b9_7f4a_7c15, low: n | 1 << 63) }

    static let sample: [String: [Token]] = [
        TokenName.given: [token(1)],
        TokenName.givenEdit: [token(2), token(3), token(4)],
        TokenName.surname: [token(5)],
        TokenName.middle: [],
        TokenName.blockSurnameInitial: [token(6)],
        "future.token": [token(7), token(8)],
        TokenName.other: [Token(bytes: [1, 2, 3])],
    ]

    @Test("a dictionary of tokens comes back unchanged: empty lists, unplaced names and odd-length tokens included")
    func roundTrip() {
        let table = TokenTable(Self.sample)
        #expect(table.dictionary == Self.sample)
        #expect(TokenTable(table.dictionary) == table)
        #expect(table.tokens(named: TokenName.givenEdit) == [Self.token(2), Self.token(3), Self.token(4)])
        #expect(table.tokens(named: "future.token") == [Self.token(7), Self.token(8)])
        #expect(table.tokens(named: TokenName.dob).isEmpty && table.tokens(named: "absent").isEmpty)
        #expect(table.firstToken(named: TokenName.surname) == Self.token(5))
        #expect(table.firstToken(named: TokenName.middle) == nil && table.firstToken(named: TokenName.nhs) == nil)
        #expect(table.tokens(named: TokenName.other) == [Token(bytes: [1, 2, 3])])
        #expect(TokenTable([:]) == TokenTable() && TokenTable().dictionary.isEmpty)
    }

    @Test("names come out in name order, as a batch line writes them")
    func nameOrder() {
        var names: [String] = [], lists: [[Token]] = []
        TokenTable(Self.sample).forEachName { names.append($0); lists.append($1) }
        #expect(names == Self.sample.keys.sorted())
        #expect(lists == Self.sample.keys.sorted().map { Self.sample[$0]! })
    }

    @Test("shares is token equality between two places, of one table or two")
    func shares() throws {
        let a = TokenTable([TokenName.given: [Self.token(1)], TokenName.middle: [Self.token(9), Self.token(2)], TokenName.other: [Token(bytes: [1, 2, 3])]])
        let b = TokenTable([TokenName.given: [Self.token(2)], TokenName.middle: [Self.token(1)], TokenName.other: [Token(bytes: [1, 2, 3])]])
        let c = TokenTable([TokenName.other: [Token(bytes: [1, 2, 4])]])
        let given = try #require(TokenTable.place(of: TokenName.given)), middle = try #require(TokenTable.place(of: TokenName.middle))
        let other = try #require(TokenTable.place(of: TokenName.other)), nhs = try #require(TokenTable.place(of: TokenName.nhs))
        #expect(!a.shares(given, with: b, given))
        #expect(a.shares(given, with: b, middle) && a.shares(middle, with: b, given))
        #expect(a.shares(other, with: b, other) && !a.shares(other, with: c, other))
        #expect(!a.shares(nhs, with: b, nhs) && !a.hasTokens(atPlace: nhs) && a.hasTokens(atPlace: middle))
    }

    @Test("every token name has a place")
    func everyNamePlaced() {
        let names = [
            TokenName.given, TokenName.givenCanonical, TokenName.givenPhonetic, TokenName.givenEdit, TokenName.middle,
            TokenName.middleInitial, TokenName.surname, TokenName.surnamePart, TokenName.surnamePhonetic, TokenName.namesUnordered, TokenName.givenAsSurname,
            TokenName.dob, TokenName.dobSwapped, TokenName.dobYearMonth, TokenName.dobMonthDay, TokenName.dobEdit, TokenName.sex, TokenName.postcode,
            TokenName.postcodeSector, TokenName.postcodeDistrict, TokenName.houseAndPostcode, TokenName.nhs, TokenName.other, TokenName.otherEdit,
            TokenName.otherScheme, TokenName.blockSurnameYear, TokenName.blockGivenDistrict, TokenName.blockSurnameInitial,
        ]
        #expect(names.allSatisfy { TokenTable.place(of: $0) != nil })
        #expect(Set(TokenTable.names).count == TokenTable.names.count)
    }

    @Test("a record's filters come back unchanged, fixed and unplaced names alike")
    func filterSet() throws {
        var given = BloomFilter(bitCount: 128), record = BloomFilter(bitCount: 256), future = BloomFilter(bitCount: 64)
        for p in [3, 70, 99] { given.set(p) }
        for p in [1, 200] { record.set(p) }
        future.set(5)
        let filters = ["given": given, "record": record, "future": future]
        let set = FilterSet(filters)
        #expect(set.dictionary == filters)
        #expect(FilterSet(set.dictionary) == set)
        #expect(set.filter(named: "given") == given && set.filter(named: "future") == future)
        #expect(set.filter(named: "surname") == nil && set.filter(named: "absent") == nil)
        #expect(set.filter(atPlace: try #require(FilterSet.place(of: "record"))) == record)
        var encoded = EncodedRecord(reference: "r", ageBand: nil, tokens: Self.sample, filters: filters, payload: [:])
        #expect(encoded.filters == filters && encoded.tokens == Self.sample)
        encoded.filters["surname"] = given
        encoded.tokens[TokenName.nhs] = [Self.token(11)]
        #expect(encoded.filterSet.filter(named: "surname") == given && encoded.tokenTable.firstToken(named: TokenName.nhs) == Self.token(11))
    }
}
