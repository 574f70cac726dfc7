import Foundation

/// Standard base64 (RFC 4648 section 4, padded), as the C2SP formats use it.
enum Base64 {
    /// `bytes` as padded standard base64.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        Data(bytes).base64EncodedString()
    }

    /// The bytes of `text`, or nil unless it is canonical padded standard base64: no whitespace, no
    /// missing padding, no stray bits in the last character. Refusing other spellings means each
    /// value has exactly one text form, so a signed line cannot be re-spelt.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let string = String(text)
        guard let data = Data(base64Encoded: string), data.base64EncodedString() == string else { return nil }
        return Array(data)
    }
}

/// Decimal numbers as the C2SP formats write them: ASCII digits, no sign, no leading zeros.
enum CanonicalDecimal {
    /// The value of `text`, or nil unless it is the canonical decimal form of a `UInt64`.
    static func parse(_ text: some StringProtocol) -> UInt64? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        guard digits.count == 1 || digits[0] != UInt8(ascii: "0") else { return nil }
        return UInt64(String(text), radix: 10)
    }
}

/// The text rules of c2sp.org/signed-note.
enum NoteText {
    /// True if `bytes` are well-formed UTF-8 (decoding replaces nothing).
    static func isValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
        String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }

    /// True if `a` and `b` are the same bytes. Swift's `==` on strings compares canonically
    /// equivalent Unicode as equal; names and origins are compared as the bytes that were signed.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// True if `bytes` contain no ASCII control character other than newline (U+000A).
    static func hasOnlyAllowedControls(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { $0 >= 0x20 || $0 == 0x0a }
    }

    /// True if `name` may name a key: non-empty, no Unicode white space, no plus (U+002B).
    static func isValidKeyName(_ name: String) -> Bool {
        !name.isEmpty && hasOnlyAllowedControls(name.utf8)
            && !name.unicodeScalars.contains { $0.properties.isWhitespace || $0 == "+" }
    }
}
