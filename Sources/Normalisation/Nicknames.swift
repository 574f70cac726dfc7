/// Nickname and diminutive table for English and common UK given names ("Bill" → "William").
///
/// Used to give a *canonical* given name so that "Bill", "Billy", "Will" and "William" compare equal.
/// The standard table is `Resources/nicknames.csv` (curated from the Apache-2.0 "nicknames" dataset by
/// Carlton Northern and Nick Crews; see `Resources/README.md`).
///
/// Canonicalisation rule (deterministic):
/// - A formal name (one that appears in the table's `formal` column) is its own only canonical form.
/// - A nickname's canonical forms are all the formal names it is listed under, sorted.
///   "Bill" → ["william"]; "Al" → ["alan", "albert", "alexander", "alfred"].
///   Ambiguous nicknames are never merged into one of their formal names.
/// - A name the table does not know is its own canonical form.
/// Names are folded with ``TextFolding`` before look-up, and results are folded compact forms.
public struct Nicknames: Sendable {
    /// nickname → its formal names, sorted.
    private let formalsByNickname: [String: [String]]
    /// formal name → its nicknames, sorted.
    private let nicknamesByFormal: [String: [String]]

    /// The bundled table, read once on first use.
    public static let standard: Nicknames = BundledResource.loadOrStop("nicknames.csv") { text throws(ResourceError) in
        try Nicknames(csv: text, resourceName: "nicknames.csv")
    }

    /// Builds a table from `(formal, nickname)` pairs; both are folded.
    public init(pairs: [(formal: String, nickname: String)]) {
        var byNickname: [String: Set<String>] = [:]
        var byFormal: [String: Set<String>] = [:]
        for (formal, nickname) in pairs {
            let f = TextFolding.compact(formal)
            let n = TextFolding.compact(nickname)
            guard !f.isEmpty, !n.isEmpty, f != n else { continue }
            byNickname[n, default: []].insert(f)
            byFormal[f, default: []].insert(n)
        }
        formalsByNickname = byNickname.mapValues { $0.sorted() }
        nicknamesByFormal = byFormal.mapValues { $0.sorted() }
    }

    /// Parses the `formal,nickname,origin` CSV format of `Resources/nicknames.csv` (the header line and `#` comments are skipped).
    public init(csv: String, resourceName: String = "nicknames.csv") throws(ResourceError) {
        var pairs: [(formal: String, nickname: String)] = []
        for (number, line) in BundledResource.dataLines(csv) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields.first == "formal" { continue }
            guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw .malformed(resource: resourceName, line: number, reason: "expected formal,nickname[,origin]")
            }
            pairs.append((formal: fields[0], nickname: fields[1]))
        }
        self.init(pairs: pairs)
    }

    /// All canonical forms of `name`, sorted; see the type's rule. Empty only when `name` folds to nothing.
    public func canonicalForms(of name: String) -> [String] {
        let key = TextFolding.compact(name)
        guard !key.isEmpty else { return [] }
        if nicknamesByFormal[key] != nil { return [key] }
        return formalsByNickname[key] ?? [key]
    }

    /// The single canonical form of `name`, or nil when the name is a nickname of several formal names
    /// (or folds to nothing). Use ``canonicalForms(of:)`` to get every candidate.
    public func canonical(of name: String) -> String? {
        let forms = canonicalForms(of: name)
        return forms.count == 1 ? forms[0] : nil
    }

    /// True when `name` is listed as a formal name.
    public func isFormalName(_ name: String) -> Bool {
        nicknamesByFormal[TextFolding.compact(name)] != nil
    }

    /// True when `name` is listed as a nickname of at least one formal name.
    public func isNickname(_ name: String) -> Bool {
        formalsByNickname[TextFolding.compact(name)] != nil
    }

    /// The nicknames listed for the formal name `formal`, sorted (empty when it has none).
    public func nicknames(of formal: String) -> [String] {
        nicknamesByFormal[TextFolding.compact(formal)] ?? []
    }

    /// Every formal name in the table, sorted.
    public var formalNames: [String] { nicknamesByFormal.keys.sorted() }

    /// The number of distinct (formal, nickname) pairs.
    public var pairCount: Int { nicknamesByFormal.values.reduce(0) { $0 + $1.count } }
}
