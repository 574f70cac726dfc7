/// The New York State Identification and Intelligence System phonetic code (Taft, 1970),
/// in the widely used untruncated form (the same rules as the `jellyfish` library).
enum NYSIIS {
    static func encode(_ word: String) -> String {
        var s = Array(TextFolding.compact(word).uppercased().utf8.filter { $0 >= 65 && $0 <= 90 })
        guard !s.isEmpty else { return "" }
        func starts(_ prefix: String) -> Bool { s.starts(with: Array(prefix.utf8)) }
        func ends(_ suffix: String) -> Bool { s.count >= suffix.utf8.count && Array(s.suffix(suffix.utf8.count)) == Array(suffix.utf8) }

        // Step 1: prefixes.
        if starts("MAC") {
            s = Array("MCC".utf8) + s.dropFirst(3)
        } else if starts("KN") {
            s = Array(s.dropFirst(1))
        } else if starts("K") {
            s = Array("C".utf8) + s.dropFirst(1)
        } else if starts("PH") || starts("PF") {
            s = Array("FF".utf8) + s.dropFirst(2)
        } else if starts("SCH") {
            s = Array("SSS".utf8) + s.dropFirst(3)
        }
        // Step 2: suffixes.
        if ends("IE") || ends("EE") {
            s = Array(s.dropLast(2)) + Array("Y".utf8)
        } else if ends("DT") || ends("RT") || ends("RD") || ends("NT") || ends("ND") {
            s = Array(s.dropLast(2)) + Array("D".utf8)
        }
        // Step 3: the first letter is kept.
        var key: [UInt8] = [s[0]]
        // Step 4: translate the rest.
        let vowels: Set<UInt8> = Set("AEIOU".utf8)
        let count = s.count
        var i = 1
        while i < count {
            var ch: [UInt8] = [s[i]]
            let c = s[i]
            let next: UInt8? = i + 1 < count ? s[i + 1] : nil
            if c == ascii("E"), next == ascii("V") {
                ch = Array("AF".utf8)
                i += 1
            } else if vowels.contains(c) {
                ch = [ascii("A")]
            } else if c == ascii("Q") {
                ch = [ascii("G")]
            } else if c == ascii("Z") {
                ch = [ascii("S")]
            } else if c == ascii("M") {
                ch = [ascii("N")]
            } else if c == ascii("K") {
                ch = [next == ascii("N") ? ascii("N") : ascii("C")]
            } else if c == ascii("S"), i + 2 < count, s[i + 1] == ascii("C"), s[i + 2] == ascii("H") {
                ch = Array("SS".utf8)
                i += 2
            } else if c == ascii("P"), next == ascii("H") {
                ch = [ascii("F")]
                i += 1
            } else if c == ascii("H"),
                      !vowels.contains(s[i - 1]) || (next.map { !vowels.contains($0) } ?? true) {
                ch = [vowels.contains(s[i - 1]) ? ascii("A") : s[i - 1]]
            } else if c == ascii("W"), vowels.contains(s[i - 1]) {
                ch = [s[i - 1]]
            }
            if ch.last != key.last {
                key.append(contentsOf: ch)
            }
            i += 1
        }
        // Steps 5-7: trailing S, AY, trailing A.
        if key.last == ascii("S"), key.count > 1 { key.removeLast() }
        if key.count >= 2, key[key.count - 2] == ascii("A"), key[key.count - 1] == ascii("Y") {
            key.removeLast(2)
            key.append(ascii("Y"))
        }
        if key.last == ascii("A"), key.count > 1 { key.removeLast() }
        return String(decoding: key, as: UTF8.self)
    }

    private static func ascii(_ c: Character) -> UInt8 { c.asciiValue ?? 0 }
}
