import Testing
import Normalisation

struct UKPostcodeTests {
    @Test(arguments: [
        ("SW1A 1AA", "SW1A 1AA"), ("sw1a1aa", "SW1A 1AA"), (" sw1a  1aa ", "SW1A 1AA"), ("S W1A 1 AA", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"), ("m11ae", "M1 1AE"), ("B33 8TH", "B33 8TH"), ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"), ("W1A 0AX", "W1A 0AX"), ("EC1A 1BB", "EC1A 1BB"), ("gir0aa", "GIR 0AA"),
        ("BF1 3AA", "BF1 3AA"), ("ZE1 0AA", "ZE1 0AA"),
    ])
    func validPostcodesNormalise(input: String, expected: String) throws {
        let postcode = try UKPostcode(input)
        #expect(postcode.normalised == expected)
        #expect(postcode.description == expected)
    }

    @Test func partsOfAPostcode() throws {
        let postcode = try UKPostcode("sw1a1aa")
        #expect(postcode.outward == "SW1A")
        #expect(postcode.inward == "1AA")
        #expect(postcode.area == "SW")
        #expect(postcode.district == "SW1A")
        #expect(postcode.sector == "SW1A 1")
        #expect(postcode.compact == "SW1A1AA")
        let short = try UKPostcode("M1 1AE")
        #expect(short.area == "M")
        #expect(short.sector == "M1 1")
        #expect(try UKPostcode("B33 8TH").sector == "B33 8")
        #expect(try UKPostcode("sw1a 1aa") == postcode)
    }

    @Test(arguments: [
        ("", UKPostcodeError.empty), ("   ", .empty), ("SW1A-1AA", .invalidCharacters), ("SW1A 1ÄA", .invalidCharacters),
        ("SW1", .wrongLength), ("SW1A 1AAA", .wrongLength), ("QW1A 1AA", .invalidOutwardCode),
        ("AZ1 1AA", .invalidOutwardCode), ("1W1A 1AA", .invalidOutwardCode), ("W1I 1AA", .invalidOutwardCode),
        ("SW1C 1AA", .invalidOutwardCode), ("SWAA 1AA", .invalidOutwardCode), ("SW1A 1CA", .invalidInwardCode),
        ("SW1A AAA", .invalidInwardCode), ("SW1A 11A", .invalidInwardCode), ("BFPO 1234", .bfpoNotSupported),
        ("bfpo 57", .bfpoNotSupported), ("VX1 1AA", .invalidOutwardCode),
    ])
    func invalidPostcodesAreRejected(input: String, expected: UKPostcodeError) {
        #expect(throws: expected, "\(input)") { try UKPostcode(input) }
    }

    @Test func errorMessagesNeverContainTheInput() {
        for input in ["QW1A 1AA", "SW1A 1CA", "BFPO 1234", "ZZZZZZZZZ"] {
            do {
                _ = try UKPostcode(input)
                Issue.record("expected an error")
            } catch {
                #expect(!error.description.contains(input))
                #expect(!error.description.contains(input.replacingOccurrences(of: " ", with: "")))
            }
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
