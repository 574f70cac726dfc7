import Foundation

/// Families of spellings of the same name ("Mohammed", "Muhammad", "Mohamed" ...), each with one canonical key.
///
/// Transliteration from Arabic, Cyrillic, Gaelic and other sources gives several Latin spellings of one name;
/// records from different agencies often use different ones. Mapping each spelling to its family key lets them
/// compare equal. A family joins spellings of the *same* name only, never cognates (Peter/Piotr stay apart).
///
/// The standard table is `Resources/name-families.txt`, curated by the mashlink project. Names are folded with
/// ``TextFolding`` before look-up, and keys are folded compact forms.
public struct TransliterationFamilies: Sendable {
    /// member → family key.
    private let keyByMember: [String: String]
    /// family key → members, in file order (key first).
    private let membersByKey: [String: [String]]

    /// The bundled table, read once on first use.
    public static let standard: TransliterationFamilies = BundledResource.loadOrStop("name-families.txt") {
        text throws(ResourceError) in
        try TransliterationFamilies(text: text, resourceName: "name-families.txt")
    }

    /// Parses the `key: member member ...` format of `Resources/name-families.txt`.
    ///
    /// Throws if a line is not in that form, if a key is not folded, or if a name belongs to two families
    /// (a name must have exactly one canonical key).
    public init(text: String, resourceName: String = "name-families.txt") throws(ResourceError) {
        var keyByMember: [String: String] = [:]
        var membersByKey: [String: [String]] = [:]
        for (number, line) in BundledResource.dataLines(text) {
            let halves = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard halves.count == 2 else {
                throw .malformed(resource: resourceName, line: number, reason: "expected 'key: member member ...'")
            }
            let key = String(halves[0]).trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, TextFolding.compact(key) == key else {
                throw .malformed(resource: resourceName, line: number, reason: "family key must be a folded name")
            }
            guard membersByKey[key] == nil else {
                throw .malformed(resource: resourceName, line: number, reason: "a family key appears on two lines")
            }
            var members = [key]
            for word in halves[1].split(separator: " ") {
                let member = TextFolding.compact(String(word))
                guard !member.isEmpty else { continue }
                if !members.contains(member) { members.append(member) }
            }
            guard members.count >= 2 else {
                throw .malformed(resource: resourceName, line: number, reason: "a family needs at least two spellings")
            }
            for member in members {
                if keyByMember[member] != nil {
                    throw .malformed(resource: resourceName, line: number, reason: "a name is listed in two families")
                }
                keyByMember[member] = key
            }
            membersByKey[key] = members
        }
        self.keyByMember = keyByMember
        self.membersByKey = membersByKey
    }

    /// The family key of `name`, or nil when the name is in no family.
    public func familyKey(of name: String) -> String? {
        keyByMember[TextFolding.compact(name)]
    }

    /// The family key of `name` when it has one, otherwise the folded name itself: always safe to compare.
    public func canonical(of name: String) -> String {
        let folded = TextFolding.compact(name)
        return keyByMember[folded] ?? folded
    }

    /// Every spelling in `name`'s family (key first), or an empty array when it is in no family.
    public func family(of name: String) -> [String] {
        guard let key = familyKey(of: name) else { return [] }
        return membersByKey[key] ?? []
    }

    /// True when `a` and `b` are spellings in the same family (or fold to the same non-empty name).
    public func areVariants(_ a: String, _ b: String) -> Bool {
        let left = canonical(of: a)
        return !left.isEmpty && left == canonical(of: b)
    }

    /// Every family key, sorted.
    public var familyKeys: [String] { membersByKey.keys.sorted() }
}
