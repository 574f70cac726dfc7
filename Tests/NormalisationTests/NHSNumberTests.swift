import Testing
import Normalisation

struct NHSNumberTests {
    @Test(arguments: ["9434765919", "943 476 5919", "943-476-5919", " 9434765919 ", "4010232137", "4857773457", "1000000060"])
    func validNumbersAreAccepted(input: String) throws {
        let number = try NHSNumber(input)
        #expect(number.digits.count == 10)
        #expect(number.digits == input.filter(\.isNumber))
    }

    @Test func formattedAndDigits() throws {
        let number = try NHSNumber("943-476-5919")
        #expect(number.digits == "9434765919")
        #expect(number.formatted == "943 476 5919")
        #expect(number.description == "9434765919")
        #expect(try NHSNumber("9434765919") == number)
    }

    @Test(arguments: [
        ("9434765918", NHSNumberError.invalidCheckDigit), ("4010232138", .invalidCheckDigit),
        ("4857773456", .invalidCheckDigit), ("1234567890", .invalidCheckDigit), ("1234567899", .invalidCheckDigit),
        ("0000000000", .repeatedDigit), ("1111111111", .repeatedDigit), ("999 999 9999", .repeatedDigit),
        ("943476591", .wrongLength), ("94347659190", .wrongLength), ("943.476.5919", .invalidCharacters),
        ("94347659I9", .invalidCharacters), ("", .empty), ("   ", .empty),
    ])
    func invalidNumbersAreRejected(input: String, expected: NHSNumberError) {
        #expect(throws: expected, "\(input)") { try NHSNumber(input) }
    }

    @Test func checkDigitRule() {
        #expect(NHSNumber.checkDigit(ofFirstNine: [9, 4, 3, 4, 7, 6, 5, 9, 1]) == 9)
        #expect(NHSNumber.checkDigit(ofFirstNine: [1, 0, 0, 0, 0, 0, 0, 0, 6]) == 0)  // remainder 0 → 11 → 0
        #expect(NHSNumber.checkDigit(ofFirstNine: [1, 2, 3, 4, 5, 6, 7, 8, 9]) == nil)  // 10 → no valid number
        #expect(NHSNumber.checkDigit(ofFirstNine: [1, 2, 3]) == nil)
    }

    @Test func errorMessagesNeverContainTheInput() {
        for input in ["9434765918", "1111111111", "943476591"] {
            do {
                _ = try NHSNumber(input)
                Issue.record("expected an error")
            } catch {
                #expect(!error.description.contains(input))
                #expect(!error.description.contains("943"))
            }
        }
    }
}
