/// The two Double Metaphone codes of a word.
///
/// `alternate` equals `primary` when the word has no alternative pronunciation, as in
/// Lawrence Philips' reference implementation.
public struct DoubleMetaphoneCode: Sendable, Hashable {
    /// The code for the most likely (usually English) pronunciation.
    public let primary: String
    /// The code for an alternative (often non-English) pronunciation; equal to `primary` when there is none.
    public let alternate: String

    /// Creates a code pair.
    public init(primary: String, alternate: String) {
        self.primary = primary
        self.alternate = alternate
    }

    /// The distinct codes: one or two.
    public var codes: [String] {
        primary == alternate ? [primary] : [primary, alternate]
    }

    /// True when either code of `self` equals either code of `other` (Philips' "match" rule).
    public func matches(_ other: DoubleMetaphoneCode) -> Bool {
        !Set(codes).isDisjoint(with: other.codes)
    }
}

/// Lawrence Philips' Double Metaphone (C/C++ Users Journal, June 2000), implemented from his published rules.
///
/// The input is folded first (``TextFolding``), joined with no spaces and upper-cased; only the letters A–Z
/// take part, so "O'Brien", "o brien" and "Ó Briain" are coded the same way as plain ASCII.
/// Codes are not truncated unless `maxLength` is given (Philips' original truncated to 4).
enum DoubleMetaphone {
    static func encode(_ word: String, maxLength: Int? = nil) -> DoubleMetaphoneCode {
        let letters = Array(TextFolding.compact(word).uppercased().utf8.filter { $0 >= 65 && $0 <= 90 })
        var encoder = Encoder(letters)
        encoder.run()
        var primary = encoder.primary
        var alternate = encoder.alternate
        if let maxLength, maxLength >= 0 {
            primary = String(primary.prefix(maxLength))
            alternate = String(alternate.prefix(maxLength))
        }
        return DoubleMetaphoneCode(primary: primary, alternate: alternate)
    }

    /// The rule engine. Works on upper-case ASCII bytes padded with five spaces, as the reference does.
    private struct Encoder {
        let chars: [UInt8]
        let length: Int
        let last: Int
        let slavoGermanic: Bool
        var primary = ""
        var alternate = ""
        var current = 0

        init(_ letters: [UInt8]) {
            length = letters.count
            last = letters.count - 1
            chars = letters + Array(repeating: 32, count: 5)
            let text = String(decoding: letters, as: UTF8.self)
            slavoGermanic = text.contains("W") || text.contains("K") || text.contains("CZ")
        }

        // MARK: Helpers

        func at(_ index: Int) -> UInt8 {
            index >= 0 && index < chars.count ? chars[index] : 0
        }

        func isChar(_ index: Int, _ c: Character) -> Bool {
            at(index) == c.asciiValue
        }

        func isVowel(_ index: Int) -> Bool {
            guard index >= 0, index < chars.count else { return false }
            switch chars[index] {
            case 65, 69, 73, 79, 85, 89: return true  // A E I O U Y
            default: return false
            }
        }

        /// True when the text starting at `start` begins with any of `options` (all the same length).
        func stringAt(_ start: Int, _ options: String...) -> Bool {
            guard start >= 0, start < chars.count else { return false }
            for option in options {
                let bytes = Array(option.utf8)
                guard start + bytes.count <= chars.count else { continue }
                if Array(chars[start..<(start + bytes.count)]) == bytes { return true }
            }
            return false
        }

        mutating func add(_ main: String) {
            primary += main
            alternate += main
        }

        mutating func add(_ main: String, _ alt: String) {
            primary += main
            alternate += alt
        }

        var germanicStart: Bool {
            stringAt(0, "VAN ", "VON ") || stringAt(0, "SCH")
        }

        // MARK: Main loop

        mutating func run() {
            guard length > 0 else { return }
            if stringAt(0, "GN", "KN", "PN", "WR", "PS") {
                current += 1
            }
            if isChar(0, "X") {
                add("S")
                current += 1
            }
            while current < length {
                switch at(current) {
                case 65, 69, 73, 79, 85, 89:  // vowels
                    if current == 0 { add("A") }
                    current += 1
                case 66:  // B
                    add("P")
                    current += isChar(current + 1, "B") ? 2 : 1
                case 67: letterC()
                case 68: letterD()
                case 70:  // F
                    current += isChar(current + 1, "F") ? 2 : 1
                    add("F")
                case 71: letterG()
                case 72: letterH()
                case 74: letterJ()
                case 75:  // K
                    current += isChar(current + 1, "K") ? 2 : 1
                    add("K")
                case 76: letterL()
                case 77: letterM()
                case 78:  // N
                    current += isChar(current + 1, "N") ? 2 : 1
                    add("N")
                case 80: letterP()
                case 81:  // Q
                    current += isChar(current + 1, "Q") ? 2 : 1
                    add("K")
                case 82: letterR()
                case 83: letterS()
                case 84: letterT()
                case 86:  // V
                    current += isChar(current + 1, "V") ? 2 : 1
                    add("F")
                case 87: letterW()
                case 88: letterX()
                case 90: letterZ()
                default:
                    current += 1
                }
            }
        }

        // MARK: Letters

        mutating func letterC() {
            // Various Germanic: "bacher", "macher".
            if current > 1, !isVowel(current - 2), stringAt(current - 1, "ACH"),
               !isChar(current + 2, "I"),
               !isChar(current + 2, "E") || stringAt(current - 2, "BACHER", "MACHER") {
                add("K")
                current += 2
                return
            }
            if current == 0, stringAt(current, "CAESAR") {
                add("S")
                current += 2
                return
            }
            if stringAt(current, "CHIA") {  // Italian "chianti"
                add("K")
                current += 2
                return
            }
            if stringAt(current, "CH") {
                letterCH()
                return
            }
            if stringAt(current, "CZ"), !stringAt(current - 2, "WICZ") {  // "czerny"
                add("S", "X")
                current += 2
                return
            }
            if stringAt(current + 1, "CIA") {  // "focaccia"
                add("X")
                current += 3
                return
            }
            // Double C, but not "McClellan".
            if stringAt(current, "CC"), !(current == 1 && isChar(0, "M")) {
                if stringAt(current + 2, "I", "E", "H"), !stringAt(current + 2, "HU") {
                    if (current == 1 && isChar(current - 1, "A")) || stringAt(current - 1, "UCCEE", "UCCES") {
                        add("KS")  // "accident", "succeed"
                    } else {
                        add("X")  // "bacci", "bertucci"
                    }
                    current += 3
                } else {
                    add("K")  // Pierce's rule
                    current += 2
                }
                return
            }
            if stringAt(current, "CK", "CG", "CQ") {
                add("K")
                current += 2
                return
            }
            if stringAt(current, "CI", "CE", "CY") {
                if stringAt(current, "CIO", "CIE", "CIA") {
                    add("S", "X")
                } else {
                    add("S")
                }
                current += 2
                return
            }
            add("K")
            if stringAt(current + 1, " C", " Q", " G") {  // "mac caffrey", "mac gregor"
                current += 3
            } else if stringAt(current + 1, "C", "K", "Q"), !stringAt(current + 1, "CE", "CI") {
                current += 2
            } else {
                current += 1
            }
        }

        mutating func letterCH() {
            if current > 0, stringAt(current, "CHAE") {  // "michael"
                add("K", "X")
                current += 2
                return
            }
            // Greek roots: "chemistry", "chorus".
            if current == 0,
               stringAt(current + 1, "HARAC", "HARIS") || stringAt(current + 1, "HOR", "HYM", "HIA", "HEM"),
               !stringAt(0, "CHORE") {
                add("K")
                current += 2
                return
            }
            let hardCH = germanicStart
                || stringAt(current - 2, "ORCHES", "ARCHIT", "ORCHID")
                || stringAt(current + 2, "T", "S")
                || ((stringAt(current - 1, "A", "O", "U", "E") || current == 0)
                    && stringAt(current + 2, "L", "R", "N", "M", "B", "H", "F", "V", "W", " "))
            if hardCH {
                add("K")
            } else if current > 0 {
                if stringAt(0, "MC") {
                    add("K")  // "McHugh"
                } else {
                    add("X", "K")
                }
            } else {
                add("X")
            }
            current += 2
        }

        mutating func letterD() {
            if stringAt(current, "DG") {
                if stringAt(current + 2, "I", "E", "Y") {
                    add("J")  // "edge"
                    current += 3
                } else {
                    add("TK")  // "edgar"
                    current += 2
                }
                return
            }
            add("T")
            current += stringAt(current, "DT", "DD") ? 2 : 1
        }

        mutating func letterG() {
            if isChar(current + 1, "H") {
                letterGH()
                return
            }
            if isChar(current + 1, "N") {
                if current == 1, isVowel(0), !slavoGermanic {
                    add("KN", "N")
                } else if !stringAt(current + 2, "EY"), !isChar(current + 1, "Y"), !slavoGermanic {
                    add("N", "KN")  // not "cagney"
                } else {
                    add("KN")
                }
                current += 2
                return
            }
            if stringAt(current + 1, "LI"), !slavoGermanic {  // "tagliaro"
                add("KL", "L")
                current += 2
                return
            }
            // -ges-, -gep-, -gel-, -gie- at the beginning.
            if current == 0,
               isChar(current + 1, "Y")
                || stringAt(current + 1, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER") {
                add("K", "J")
                current += 2
                return
            }
            // -ger-, -gy-.
            if stringAt(current + 1, "ER") || isChar(current + 1, "Y"),
               !stringAt(0, "DANGER", "RANGER", "MANGER"),
               !stringAt(current - 1, "E", "I"),
               !stringAt(current - 1, "RGY", "OGY") {
                add("K", "J")
                current += 2
                return
            }
            // Italian "biaggi".
            if stringAt(current + 1, "E", "I", "Y") || stringAt(current - 1, "AGGI", "OGGI") {
                if germanicStart || stringAt(current + 1, "ET") {
                    add("K")
                } else if stringAt(current + 1, "IER ") {
                    add("J")
                } else {
                    add("J", "K")
                }
                current += 2
                return
            }
            current += isChar(current + 1, "G") ? 2 : 1
            add("K")
        }

        mutating func letterGH() {
            if current > 0, !isVowel(current - 1) {
                add("K")
                current += 2
                return
            }
            if current == 0 {  // "ghislane", "ghiradelli"
                add(isChar(current + 2, "I") ? "J" : "K")
                current += 2
                return
            }
            // Parker's rule: "hugh", "bough", "broughton".
            if (current > 1 && stringAt(current - 2, "B", "H", "D"))
                || (current > 2 && stringAt(current - 3, "B", "H", "D"))
                || (current > 3 && stringAt(current - 4, "B", "H")) {
                current += 2
                return
            }
            // "laugh", "McLaughlin", "cough", "gough", "rough", "tough".
            if current > 2, isChar(current - 1, "U"), stringAt(current - 3, "C", "G", "L", "R", "T") {
                add("F")
            } else if current > 0, !isChar(current - 1, "I") {
                add("K")
            }
            current += 2
        }

        mutating func letterH() {
            // Kept only when first or between vowels, and before a vowel.
            if current == 0 || isVowel(current - 1), isVowel(current + 1) {
                add("H")
                current += 2
            } else {
                current += 1
            }
        }

        mutating func letterJ() {
            // Spanish: "jose", "san jacinto".
            if stringAt(current, "JOSE") || stringAt(0, "SAN ") {
                if (current == 0 && isChar(current + 4, " ")) || stringAt(0, "SAN ") {
                    add("H")
                } else {
                    add("J", "H")
                }
                current += 1
                return
            }
            if current == 0, !stringAt(current, "JOSE") {
                add("J", "A")  // Yankelovich / Jankelowicz
            } else if isVowel(current - 1), !slavoGermanic, isChar(current + 1, "A") || isChar(current + 1, "O") {
                add("J", "H")  // Spanish "bajador"
            } else if current == last {
                add("J", "")
            } else if !stringAt(current + 1, "L", "T", "K", "S", "N", "M", "B", "Z"),
                      !stringAt(current - 1, "S", "K", "L") {
                add("J")
            }
            current += isChar(current + 1, "J") ? 2 : 1
        }

        mutating func letterL() {
            if isChar(current + 1, "L") {
                // Spanish: "cabrillo", "gallegos".
                if (current == length - 3 && stringAt(current - 1, "ILLO", "ILLA", "ALLE"))
                    || ((stringAt(last - 1, "AS", "OS") || stringAt(last, "A", "O")) && stringAt(current - 1, "ALLE")) {
                    add("L", "")
                    current += 2
                    return
                }
                current += 2
            } else {
                current += 1
            }
            add("L")
        }

        mutating func letterM() {
            if (stringAt(current - 1, "UMB") && (current + 1 == last || stringAt(current + 2, "ER")))
                || isChar(current + 1, "M") {
                current += 2  // "dumb", "thumb"
            } else {
                current += 1
            }
            add("M")
        }

        mutating func letterP() {
            if isChar(current + 1, "H") {
                add("F")
                current += 2
                return
            }
            current += stringAt(current + 1, "P", "B") ? 2 : 1  // "campbell", "raspberry"
            add("P")
        }

        mutating func letterR() {
            // French "rogier", but not "hochmeier".
            if current == last, !slavoGermanic, stringAt(current - 2, "IE"), !stringAt(current - 4, "ME", "MA") {
                add("", "R")
            } else {
                add("R")
            }
            current += isChar(current + 1, "R") ? 2 : 1
        }

        mutating func letterS() {
            if stringAt(current - 1, "ISL", "YSL") {  // "island", "carlisle"
                current += 1
                return
            }
            if current == 0, stringAt(current, "SUGAR") {
                add("X", "S")
                current += 1
                return
            }
            if stringAt(current, "SH") {
                add(stringAt(current + 1, "HEIM", "HOEK", "HOLM", "HOLZ") ? "S" : "X")
                current += 2
                return
            }
            // Italian and Armenian.
            if stringAt(current, "SIO", "SIA") || stringAt(current, "SIAN") {
                if slavoGermanic { add("S") } else { add("S", "X") }
                current += 3
                return
            }
            // "smith" matches "schmidt", "snider" matches "schneider"; Slavic -sz-.
            if (current == 0 && stringAt(current + 1, "M", "N", "L", "W")) || stringAt(current + 1, "Z") {
                add("S", "X")
                current += stringAt(current + 1, "Z") ? 2 : 1
                return
            }
            if stringAt(current, "SC") {
                letterSC()
                return
            }
            // French "resnais", "artois".
            if current == last, stringAt(current - 2, "AI", "OI") {
                add("", "S")
            } else {
                add("S")
            }
            current += stringAt(current + 1, "S", "Z") ? 2 : 1
        }

        mutating func letterSC() {
            // Schlesinger's rule.
            if isChar(current + 2, "H") {
                if stringAt(current + 3, "OO", "ER", "EN", "UY", "ED", "EM") {  // Dutch "school"
                    if stringAt(current + 3, "ER", "EN") {
                        add("X", "SK")  // "schermerhorn", "schenker"
                    } else {
                        add("SK")
                    }
                } else if current == 0, !isVowel(3), !isChar(3, "W") {
                    add("X", "S")
                } else {
                    add("X")
                }
                current += 3
                return
            }
            if stringAt(current + 2, "I", "E", "Y") {
                add("S")
            } else {
                add("SK")
            }
            current += 3
        }

        mutating func letterT() {
            if stringAt(current, "TION") {
                add("X")
                current += 3
                return
            }
            if stringAt(current, "TIA", "TCH") {
                add("X")
                current += 3
                return
            }
            if stringAt(current, "TH") || stringAt(current, "TTH") {
                // "thomas", "thames", or Germanic.
                if stringAt(current + 2, "OM", "AM") || germanicStart {
                    add("T")
                } else {
                    add("0", "T")
                }
                current += 2
                return
            }
            current += stringAt(current + 1, "T", "D") ? 2 : 1
            add("T")
        }

        mutating func letterW() {
            if stringAt(current, "WR") {
                add("R")
                current += 2
                return
            }
            if current == 0, isVowel(current + 1) || stringAt(current, "WH") {
                if isVowel(current + 1) {
                    add("A", "F")  // "Wasserman" matches "Vasserman"
                } else {
                    add("A")  // "Uomo" matches "Womo"
                }
            }
            // "Arnow" matches "Arnoff".
            if (current == last && isVowel(current - 1))
                || stringAt(current - 1, "EWSKI", "EWSKY", "OWSKI", "OWSKY")
                || stringAt(0, "SCH") {
                add("", "F")
                current += 1
                return
            }
            if stringAt(current, "WICZ", "WITZ") {  // Polish "filipowicz"
                add("TS", "FX")
                current += 4
                return
            }
            current += 1
        }

        mutating func letterX() {
            // French "breaux".
            let silent = current == last && (stringAt(current - 3, "IAU", "EAU") || stringAt(current - 2, "AU", "OU"))
            if !silent { add("KS") }
            current += stringAt(current + 1, "C", "X") ? 2 : 1
        }

        mutating func letterZ() {
            if isChar(current + 1, "H") {  // pinyin "zhao"
                add("J")
                current += 2
                return
            }
            if stringAt(current + 1, "ZO", "ZI", "ZA") || (slavoGermanic && current > 0 && !isChar(current - 1, "T")) {
                add("S", "TS")
            } else {
                add("S")
            }
            current += isChar(current + 1, "Z") ? 2 : 1
        }
    }
}
