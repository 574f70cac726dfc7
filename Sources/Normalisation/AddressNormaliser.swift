/// One address line split into flat, house number, building name and street.
///
/// All strings are folded (``TextFolding``): lower case, ASCII where possible, no punctuation.
public struct NormalisedAddress: Sendable, Hashable {
    /// The flat, apartment or unit ("3" from "Flat 3"), or nil.
    public let flat: String?
    /// The house number as written, folded: "12", "12a", "12-14"; nil when there is none.
    public let houseNumber: String?
    /// Words before the house number that are not a flat ("rose", "cottage"), or earlier comma-separated parts
    /// when there is no number.
    public let buildingTokens: [String]
    /// The street's words with abbreviations expanded ("high", "street").
    public let streetTokens: [String]

    /// Creates an address from already-normalised parts.
    public init(flat: String?, houseNumber: String?, buildingTokens: [String], streetTokens: [String]) {
        self.flat = flat
        self.houseNumber = houseNumber
        self.buildingTokens = buildingTokens
        self.streetTokens = streetTokens
    }

    /// The street words joined with nothing between them ("highstreet"): the form to compare.
    public var street: String { streetTokens.joined() }
}

/// Normalises a UK address line ("Flat 3, 12 High St" → flat "3", number "12", street ["high", "street"]).
///
/// Rules:
/// - A flat designator (``flatWords``: flat, apartment, apt, unit, ...) takes the next word as the flat.
/// - The first remaining word that starts with a digit is the house number, with a following single letter
///   joined to it ("12 A" → "12a") and ranges kept ("12-14", "12 - 14" → "12-14"). Words before it are the
///   building; words after it are the street.
/// - Without a house number, the last comma-separated part is the street and earlier parts are the building.
/// - Abbreviations are expanded by position, so that "St" is read the way people write it:
///   the *last* street word (or the one before a trailing north/south/east/west/upper/lower) uses
///   ``streetTypes`` ("st" → "street", "rd" → "road"); the *first* street word, when more follow, uses
///   ``leadingWords`` ("st" → "saint", "gt" → "great"). "St Johns Rd" → ["saint", "johns", "road"];
///   "High St" → ["high", "street"].
public enum AddressNormaliser {
    /// Words that introduce a flat or unit number.
    public static let flatWords: Set<String> = [
        "flat", "flats", "apartment", "apt", "unit", "room", "studio", "maisonette", "suite",
    ]

    /// Road-type abbreviations, expanded at the end of the street.
    public static let streetTypes: [String: String] = [
        "rd": "road", "st": "street", "str": "street", "ave": "avenue", "av": "avenue", "avn": "avenue",
        "ln": "lane", "cres": "crescent", "cresc": "crescent", "cr": "crescent", "ct": "court", "crt": "court",
        "pl": "place", "dr": "drive", "drv": "drive", "gdns": "gardens", "gdn": "garden", "sq": "square",
        "tce": "terrace", "terr": "terrace", "ter": "terrace", "cl": "close", "clo": "close", "gr": "grove",
        "gro": "grove", "grv": "grove", "pde": "parade", "hwy": "highway", "wy": "way", "wlk": "walk", "wk": "walk",
        "mws": "mews", "blvd": "boulevard", "bldgs": "buildings", "est": "estate", "grn": "green", "hts": "heights",
        "pk": "park", "pkwy": "parkway", "ri": "rise", "vw": "view", "vls": "villas", "cotts": "cottages",
        "ctyd": "courtyard", "embk": "embankment", "app": "approach",
    ]

    /// Abbreviations expanded at the start of the street.
    public static let leadingWords: [String: String] = [
        "st": "saint", "gt": "great", "lt": "little", "mt": "mount", "nth": "north", "sth": "south",
        "upr": "upper", "lwr": "lower",
    ]

    /// Trailing words that may follow the road type ("High Street North").
    static let trailingQualifiers: Set<String> = ["north", "south", "east", "west", "upper", "lower", "n", "s", "e", "w"]

    /// Normalises one address line; see the type's rules.
    public static func normaliseLine(_ line: String) -> NormalisedAddress {
        var flat: String?
        var words: [(token: String, segment: Int)] = []
        for (index, segment) in commaSegments(line).enumerated() {
            var tokens = segment
            if flat == nil, let found = extractFlat(&tokens) { flat = found }
            for token in joinNumberParts(tokens) { words.append((token, index)) }
        }
        var building: [String] = []
        var street: [String] = []
        var houseNumber: String?
        if let position = words.firstIndex(where: { $0.token.first?.isNumber == true }) {
            houseNumber = words[position].token
            building = words[..<position].map(\.token)
            street = words[(position + 1)...].map(\.token)
        } else if let lastSegment = words.last?.segment {
            building = words.filter { $0.segment != lastSegment }.map(\.token)
            street = words.filter { $0.segment == lastSegment }.map(\.token)
        }
        return NormalisedAddress(
            flat: flat,
            houseNumber: houseNumber,
            buildingTokens: building,
            streetTokens: expandAbbreviations(street)
        )
    }

    /// Expands `tokens` (already folded street words) by position; see the type's rules.
    public static func expandAbbreviations(_ tokens: [String]) -> [String] {
        guard !tokens.isEmpty else { return [] }
        var result = tokens
        var typeIndex = result.count - 1
        if result.count >= 2, trailingQualifiers.contains(result[typeIndex]) {
            typeIndex -= 1
        }
        if let expanded = streetTypes[result[typeIndex]] {
            result[typeIndex] = expanded
        }
        if typeIndex > 0, let expanded = leadingWords[result[0]] {
            result[0] = expanded
        }
        return result
    }

    // MARK: - Internals

    /// Folded tokens of each comma-separated part of the line (empty parts dropped).
    static func commaSegments(_ line: String) -> [[String]] {
        line.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isNewline })
            .map { TextFolding.tokens(String($0)) }
            .filter { !$0.isEmpty }
    }

    /// Removes a flat designator and its value from `tokens` and returns the value.
    /// The value must start with a digit or be a single letter ("Flat 3", "Apartment 4B", "Flat A"), so that
    /// "12 Flats Lane" is not read as a flat.
    static func extractFlat(_ tokens: inout [String]) -> String? {
        for index in tokens.indices.dropLast() where flatWords.contains(tokens[index]) {
            var value = tokens[index + 1]
            guard value.first?.isNumber == true || (value.count == 1 && value.first?.isLetter == true) else { continue }
            var end = index + 1
            // "Flat 3 A" → "3a" when a single letter follows a numeric flat value and more words follow.
            if value.allSatisfy(\.isNumber), end + 2 < tokens.count, tokens[end + 1].count == 1,
               tokens[end + 1].first?.isLetter == true {
                value += tokens[end + 1]
                end += 1
            }
            tokens.removeSubrange(index...end)
            return value
        }
        return nil
    }

    /// Joins "12" "a" → "12a" and "12" "14" written as a range → "12-14", within one comma part.
    ///
    /// Folding has already split "12-14" into "12" and "14"; two consecutive all-digit words are only ever a range,
    /// because a street name never starts with a bare number.
    static func joinNumberParts(_ tokens: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < tokens.count {
            var token = tokens[index]
            if token.first?.isNumber == true {
                if index + 1 < tokens.count, tokens[index + 1].allSatisfy(\.isNumber), token.allSatisfy(\.isNumber) {
                    token += "-" + tokens[index + 1]
                    index += 1
                }
                if index + 1 < tokens.count, tokens[index + 1].count == 1, tokens[index + 1].first?.isLetter == true,
                   index + 2 < tokens.count {
                    token += tokens[index + 1]
                    index += 1
                }
            }
            result.append(token)
            index += 1
        }
        return result
    }
}
