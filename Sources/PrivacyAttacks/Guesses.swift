/// What an attack says about one record: candidate values, best first. An empty list means the
/// attack has nothing to say about that field of that record.
public struct RecordGuesses: Sendable, Hashable {
    /// Candidate first given names, best first.
    public var given: [String]
    /// Candidate surnames, best first.
    public var surname: [String]
    /// Candidate birth years, best first.
    public var birthYear: [Int]

    /// Guesses for one record.
    public init(given: [String] = [], surname: [String] = [], birthYear: [Int] = []) {
        self.given = given
        self.surname = surname
        self.birthYear = birthYear
    }
}

/// The share of records one attack re-identifies, scored against the truth.
public struct AttackScore: Sendable, Hashable, Codable {
    /// The attack's name, e.g. `frequency/tokens`.
    public var attack: String
    /// Records scored (those with a known true given name and surname).
    public var records: Int
    /// Given name right with the first guess / within `guesses` guesses.
    public var givenFirst: Double, givenWithin: Double
    /// Surname right with the first guess / within `guesses` guesses.
    public var surnameFirst: Double, surnameWithin: Double
    /// Given name and surname both right with the first guess of each.
    public var fullNameFirst: Double
    /// Full name right within `guesses` (given rank × surname rank ≤ guesses: the combinations an
    /// attacker tries in that order).
    public var fullNameWithin: Double
    /// Full name and birth year right with the first guess of each; nil if the attack guesses no years.
    public var nameAndYearFirst: Double?
    /// The number of guesses the `…Within` figures allow.
    public var guesses: Int
    /// Mean number of candidates the attack offered a record per field (at most `guesses`).
    public var meanCandidates: Double

    /// Scores `guesses` against `truth` (aligned by index; nil where the truth is unknown).
    public init(attack: String, guesses: [RecordGuesses], truth: [PlainPerson?], within: Int) {
        precondition(guesses.count == truth.count, "one guess list per record")
        self.attack = attack
        self.guesses = within
        var n = 0, g1 = 0, gk = 0, s1 = 0, sk = 0, f1 = 0, fk = 0, y1 = 0, offered = 0
        var anyYear = false
        for (guess, person) in zip(guesses, truth) {
            guard let person, !person.given.isEmpty, !person.surname.isEmpty else { continue }
            n += 1
            offered += min(guess.given.count, within) + min(guess.surname.count, within)
            let gr = guess.given.prefix(within).firstIndex(of: person.given).map { $0 + 1 }
            let sr = guess.surname.prefix(within).firstIndex(of: person.surname).map { $0 + 1 }
            if gr == 1 { g1 += 1 }
            if gr != nil { gk += 1 }
            if sr == 1 { s1 += 1 }
            if sr != nil { sk += 1 }
            if gr == 1 && sr == 1 { f1 += 1 }
            if let gr, let sr, gr * sr <= within { fk += 1 }
            if !guess.birthYear.isEmpty { anyYear = true }
            if gr == 1 && sr == 1, let year = person.birthYear, guess.birthYear.first == year { y1 += 1 }
        }
        records = n
        let d = Double(max(n, 1))
        givenFirst = Double(g1) / d
        givenWithin = Double(gk) / d
        surnameFirst = Double(s1) / d
        surnameWithin = Double(sk) / d
        fullNameFirst = Double(f1) / d
        fullNameWithin = Double(fk) / d
        nameAndYearFirst = anyYear ? Double(y1) / d : nil
        meanCandidates = Double(offered) / (2 * d)
    }
}
