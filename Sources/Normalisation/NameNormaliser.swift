/// One name field (given names or surname) after normalisation.
///
/// All strings are folded (``TextFolding``): lower case, ASCII where possible, no punctuation.
public struct NormalisedName: Sendable, Hashable {
    /// The name's words in order, after titles/suffixes are removed and prefixes joined.
    public let tokens: [String]
    /// Forms worth comparing, most specific first: the compact whole, then each part
    /// (and Mc/Mac alternatives for surnames). Never contains an empty string.
    public let variants: [String]

    /// Creates a normalised name from already-folded parts.
    public init(tokens: [String], variants: [String]) {
        self.tokens = tokens
        self.variants = variants
    }

    /// The compact whole: tokens joined with nothing between them ("smithjones").
    public var full: String { tokens.joined() }

    /// The first token (for a given-names field, the first name), or nil when the name is empty.
    public var first: String? { tokens.first }

    /// The tokens after the first (for a given-names field, the middle names).
    public var middle: [String] { Array(tokens.dropFirst()) }

    /// The first letter of the first token, or nil when the name is empty.
    public var initial: String? { tokens.first?.first.map(String.init) }

    /// True when nothing of the name survived normalisation.
    public var isEmpty: Bool { tokens.isEmpty }
}

/// A whole person's name split into given names and surname.
public struct PersonName: Sendable, Hashable {
    /// The given names (first and middle), normalised.
    public let givenNames: NormalisedName
    /// The surname, normalised.
    public let surname: NormalisedName

    /// Creates a person name from its two normalised parts.
    public init(givenNames: NormalisedName, surname: NormalisedName) {
        self.givenNames = givenNames
        self.surname = surname
    }

    /// The first given name, or nil when there is none.
    public var firstName: String? { givenNames.tokens.first }
    /// The given names after the first.
    public var middleNames: [String] { Array(givenNames.tokens.dropFirst()) }
}

/// Normalises personal names: folding, titles and suffixes removed, surname prefixes and particles handled.
///
/// Rules:
/// - Leading titles (``titles``) are removed from given names and full names; trailing suffixes (``suffixes``)
///   from surnames and full names. A name is never stripped to nothing: "Lord" alone stays "lord".
/// - Hyphens and spaces split words, apostrophes join them ("O'Brien" → "obrien"; "o brien" → "obrien").
/// - Surnames: "St"/"Saint" before another word becomes "saint"; a separate "Mc", "Mac", "O" or "Fitz" is joined to
///   the next word; particles (``surnameParticles``: van, der, de, la, al ...) stay in the compact whole and are
///   dropped from the core part ("Van der Berg" → full "vanderberg", variants ["vanderberg", "berg"]).
/// - Mc/Mac: a surname starting "mc" also gets a "mac" variant; one written "Mac" + capital ("MacDonald") or
///   "Mac Donald" also gets an "mc" variant. Plain "Macdonald" does not (Mack, Mace, Machin are not Mac- names).
public enum NameNormaliser {
    /// Honorifics removed from the start of given names and full names.
    public static let titles: Set<String> = [
        "mr", "mrs", "ms", "miss", "mx", "master", "mstr", "dr", "doctor", "prof", "professor", "rev", "revd",
        "reverend", "fr", "father", "sister", "sir", "dame", "lady", "lord", "hon", "rt", "right", "cllr", "capt",
        "col", "maj", "lt", "sgt",
    ]

    /// Generational and post-nominal suffixes removed from the end of surnames and full names.
    public static let suffixes: Set<String> = [
        "jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv", "esq", "phd", "obe", "mbe", "cbe", "qc", "kc",
    ]

    /// Surname particles: kept in the compact whole, but not variants on their own.
    public static let surnameParticles: Set<String> = [
        "van", "von", "der", "den", "de", "del", "della", "dela", "la", "le", "du", "di", "da", "dos", "das", "do",
        "ten", "ter", "al", "el", "bin", "ibn", "bint", "abu", "ap",
    ]

    /// Prefixes written as separate words that belong to the following word ("Mc Donald" → "mcdonald").
    static let joiningPrefixes: Set<String> = ["mc", "mac", "o", "fitz"]

    /// Words that open a placeholder for a name not yet known: "Baby", "Baby Boy", "Baby of Smith",
    /// "Infant 2", "Unborn", as maternity and children's systems record a newborn or unborn child.
    public static let placeholderOpeners: Set<String> = ["baby", "infant", "unborn", "newborn", "stillborn"]

    /// Whole given-name fields that say the name is not known.
    public static let unknownNames: Set<String> = ["unknown", "notknown", "nk", "unk", "none", "notgiven", "tba", "tbc", "xxx", "zzz"]

    /// Normalises a given-names field ("Mr John Paul" → tokens ["john", "paul"]). A placeholder
    /// (``placeholderOpeners``, ``unknownNames``) is no name at all: two newborns' "Baby" must not
    /// agree as a given name does, nor a newborn's placeholder disagree with the name given later.
    public static func givenNames(_ raw: String) -> NormalisedName {
        var tokens = TextFolding.tokens(raw)
        stripLeading(titles, from: &tokens)
        stripTrailing(suffixes, from: &tokens)
        if let first = tokens.first, placeholderOpeners.contains(first) || unknownNames.contains(tokens.joined()) {
            return NormalisedName(tokens: [], variants: [])
        }
        return NormalisedName(tokens: tokens, variants: unique([tokens.joined()] + tokens))
    }

    /// Normalises a surname field ("Smith-Jones" → full "smithjones", variants ["smithjones", "smith", "jones"]).
    public static func surname(_ raw: String) -> NormalisedName {
        var tokens = TextFolding.tokens(raw)
        stripTrailing(suffixes, from: &tokens)
        let joined = joinPrefixes(tokens)
        tokens = joined.tokens
        let macWords = macPrefixedWords(in: raw).union(joined.macWords)
        return NormalisedName(tokens: tokens, variants: surnameVariants(tokens, macWords: macWords))
    }

    /// Splits and normalises a whole name: "SMITH, John" (surname first, before a comma) or
    /// "Mr John Paul van der Berg Jr" (surname last, with any particles and prefixes before it).
    public static func fullName(_ raw: String) -> PersonName {
        if let comma = raw.firstIndex(of: ",") {
            let surnamePart = String(raw[..<comma])
            let givenPart = String(raw[raw.index(after: comma)...])
            return PersonName(givenNames: givenNames(givenPart), surname: surname(surnamePart))
        }
        // Work on whitespace-separated words so that a hyphenated surname stays one word.
        var words = raw.split(whereSeparator: { $0.isWhitespace }).map(String.init).filter { !TextFolding.fold($0).isEmpty }
        while words.count > 1, let first = words.first, isOnly(titles, first) { words.removeFirst() }
        while words.count > 1, let last = words.last, isOnly(suffixes, last) { words.removeLast() }
        guard !words.isEmpty else {
            return PersonName(givenNames: NormalisedName(tokens: [], variants: []), surname: NormalisedName(tokens: [], variants: []))
        }
        var surnameStart = words.count - 1
        while surnameStart > 1 {
            let previous = TextFolding.compact(words[surnameStart - 1])
            guard surnameParticles.contains(previous) || joiningPrefixes.contains(previous) || isSaint(previous) else { break }
            surnameStart -= 1
        }
        let given = words[..<surnameStart].joined(separator: " ")
        let family = words[surnameStart...].joined(separator: " ")
        return PersonName(givenNames: givenNames(given), surname: surname(family))
    }

    // MARK: - Internals

    static func isSaint(_ token: String) -> Bool { token == "st" || token == "saint" }

    /// True when `word` folds to exactly one token and it is in `set`.
    static func isOnly(_ set: Set<String>, _ word: String) -> Bool {
        let tokens = TextFolding.tokens(word)
        return tokens.count == 1 && set.contains(tokens[0])
    }

    static func stripLeading(_ set: Set<String>, from tokens: inout [String]) {
        while tokens.count > 1, set.contains(tokens[0]) { tokens.removeFirst() }
    }

    static func stripTrailing(_ set: Set<String>, from tokens: inout [String]) {
        while tokens.count > 1, let last = tokens.last, set.contains(last) { tokens.removeLast() }
    }

    /// Folded words that were written "Mac" followed by a capital letter ("MacDonald" → "macdonald").
    static func macPrefixedWords(in raw: String) -> Set<String> {
        var result: Set<String> = []
        for word in raw.split(whereSeparator: { !$0.isLetter }) {
            let chars = Array(word)
            guard chars.count > 3, String(chars[0..<3]).lowercased() == "mac", chars[3].isUppercase else { continue }
            result.insert(TextFolding.compact(String(word)))
        }
        return result
    }

    /// "st" → "saint" before another word; separate Mc/Mac/O/Fitz joined to the next word.
    /// Also returns the words made by joining a separate "mac", whose prefix is therefore certain.
    static func joinPrefixes(_ tokens: [String]) -> (tokens: [String], macWords: Set<String>) {
        var result: [String] = []
        var macWords: Set<String> = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let hasNext = index + 1 < tokens.count
            if hasNext, token == "st" {
                result.append("saint")
            } else if hasNext, joiningPrefixes.contains(token) {
                result.append(token + tokens[index + 1])
                if token == "mac" { macWords.insert(token + tokens[index + 1]) }
                index += 1
            } else {
                result.append(token)
            }
            index += 1
        }
        return (result, macWords)
    }

    /// The compact whole, each particle-led group, each core word, and Mc/Mac alternatives.
    static func surnameVariants(_ tokens: [String], macWords: Set<String>) -> [String] {
        guard !tokens.isEmpty else { return [] }
        var variants = [tokens.joined()]
        var groups: [(whole: String, core: String)] = []
        var prefix = ""
        for token in tokens {
            if surnameParticles.contains(token) || token == "saint" {
                prefix += token
            } else {
                groups.append((prefix + token, token))
                prefix = ""
            }
        }
        if !prefix.isEmpty { groups.append((prefix, prefix)) }
        if groups.count > 1 {
            for group in groups { variants.append(group.whole) }
        }
        for group in groups where !group.whole.hasPrefix("saint") {
            variants.append(group.core)
        }
        // Mc/Mac alternatives for every variant so far.
        for variant in variants {
            if variant.hasPrefix("mc"), variant.count > 2 {
                variants.append("mac" + variant.dropFirst(2))
            } else if variant.hasPrefix("mac"), variant.count > 3, macWords.contains(where: { variant.hasPrefix($0) }) {
                variants.append("mc" + variant.dropFirst(3))
            }
        }
        return unique(variants)
    }

    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
