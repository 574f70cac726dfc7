import Foundation

/// Text folded to a comparable form: the tokens and two joined spellings.
///
/// Two inputs that differ only in case, accents, apostrophes, punctuation or spacing
/// (for example "O'Brien", "OBrien" and "o  brien") fold to the same ``compact`` value.
public struct FoldedText: Sendable, Hashable {
    /// The words, in order: lower case, ASCII where the letter has an ASCII base, no punctuation.
    public let tokens: [String]

    /// Creates folded text from tokens that are already folded.
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// The tokens joined by single spaces ("o brien").
    public var spaced: String { tokens.joined(separator: " ") }

    /// The tokens joined with nothing between them ("obrien"): the form used for equality.
    public var compact: String { tokens.joined() }

    /// True when no letters or digits survived folding.
    public var isEmpty: Bool { tokens.isEmpty }
}

/// Unicode folding shared by every normaliser: NFKC, lower case, diacritics stripped,
/// punctuation removed, whitespace collapsed.
///
/// Rules, in order:
/// 1. NFKC (compatibility forms such as full-width letters and ligatures become plain letters).
/// 2. Lower case (locale-independent).
/// 3. Diacritics stripped by canonical decomposition (Latin, Greek, Cyrillic, Hebrew, Arabic); letters with no decomposition are spelled out
///    (ß→ss, æ→ae, œ→oe, ø→o, ł→l, đ→d, ð→d, þ→th, ı→i, ħ→h).
/// 4. Apostrophes (' ’ ‘ ʼ ` ´) are deleted so that "O'Brien" joins into one word.
/// 5. Every other character that is not a letter or digit separates words.
///
/// Letters of other scripts (Arabic, Cyrillic, ...) are kept, lower-cased, not transliterated.
public enum TextFolding {
    /// Folds `text` into tokens; see the type's rules.
    public static func fold(_ text: String) -> FoldedText {
        if let ascii = foldASCII(text) { return ascii }
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in baseScalars(of: text) {
            if apostrophes.contains(scalar) {
                continue
            }
            if isWordScalar(scalar) {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return FoldedText(tokens: tokens)
    }

    /// The folded words of `text` (shorthand for `fold(text).tokens`).
    public static func tokens(_ text: String) -> [String] {
        fold(text).tokens
    }

    /// The folded words of `text` joined with nothing between them ("O'Brien" → "obrien").
    public static func compact(_ text: String) -> String {
        fold(text).compact
    }

    /// The folded words of `text` joined by single spaces ("  Mary-Jane  " → "mary jane").
    public static func spaced(_ text: String) -> String {
        fold(text).spaced
    }

    // MARK: - Internals

    /// The same rules for pure-ASCII text (the common case in extracts), without Unicode normalisation:
    /// NFKC and decomposition leave ASCII unchanged, so only case, apostrophes and separators matter.
    static func foldASCII(_ text: String) -> FoldedText? {
        var tokens: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case 0x80...: return nil
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(byte)
            case UInt8(ascii: "'"), UInt8(ascii: "`"): continue
            default:
                if !current.isEmpty {
                    tokens.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
        return FoldedText(tokens: tokens)
    }

    /// Apostrophe-like characters that join rather than split words.
    static let apostrophes: Set<Unicode.Scalar> = ["'", "\u{2019}", "\u{2018}", "\u{02BC}", "`", "\u{00B4}", "\u{02B9}"]

    /// Letters that have no canonical decomposition but a conventional ASCII spelling.
    static let spelledOut: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
        "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ŋ": "n",
    ]

    /// NFKC, lower case, then canonical decomposition with combining marks removed and special letters spelled out.
    static func baseScalars(of text: String) -> [Unicode.Scalar] {
        let lowered = text.precomposedStringWithCompatibilityMapping.lowercased()
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(lowered.unicodeScalars.count)
        var lastBase: Unicode.Scalar = " "
        for scalar in lowered.decomposedStringWithCanonicalMapping.unicodeScalars {
            if isMark(scalar) {
                if marksAreDiacritics(on: lastBase) { continue }
                result.append(scalar)
                continue
            }
            lastBase = scalar
            if let spelled = spelledOut[scalar] {
                result.append(contentsOf: spelled.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    /// Letters, decimal digits and the combining marks kept on them make words; everything else separates them.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || isMark(scalar) { return true }
        return properties.generalCategory == .decimalNumber
    }

    static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Marks are optional diacritics on Latin, Greek, Cyrillic, Hebrew and Arabic letters, so they are stripped there;
    /// in other scripts (Devanagari, Bengali, ...) they are vowel signs that carry meaning, so they are kept.
    static func marksAreDiacritics(on base: Unicode.Scalar) -> Bool {
        switch base.value {
        case 0..<0x0530, 0x0590..<0x0700, 0x0750..<0x0780, 0x1E00..<0x2000: return true
        default: return false
        }
    }
}
