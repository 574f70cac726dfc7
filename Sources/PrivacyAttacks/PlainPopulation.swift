import Foundation
public import Normalisation
public import Tokenisation

/// A person's identifiers in the clear, normalised exactly as the tokeniser normalises them before
/// encoding: the first given name, the full surname, the birth year. Normalisation is public, so an
/// attacker normalises a reference list the same way.
public struct PlainPerson: Sendable, Hashable {
    /// First given name, normalised (`NameNormaliser.givenNames(...).tokens.first`); empty if none.
    public var given: String
    /// Full surname, normalised (`NameNormaliser.surname(...).full`); empty if none.
    public var surname: String
    /// Birth year, if the date of birth parsed.
    public var birthYear: Int?

    /// A person from values already normalised.
    public init(given: String, surname: String, birthYear: Int?) {
        self.given = given
        self.surname = surname
        self.birthYear = birthYear
    }

    /// A person from raw field values, normalised as ``RecordEncoder`` does.
    public init(rawGiven: String, rawSurname: String, rawDateOfBirth: String?, batchDate: CalendarDate) {
        given = NameNormaliser.givenNames(rawGiven).tokens.first ?? ""
        surname = NameNormaliser.surname(rawSurname).full
        birthYear = rawDateOfBirth.flatMap { try? DateOfBirth.parse($0, referenceDate: batchDate).date.year }
    }

    /// The primary phonetic code of the surname, as the first `surname.phonetic` token encodes it.
    public var surnamePhonetic: String? {
        Phonetic.doubleMetaphone(surname).codes.first { !$0.isEmpty }
    }
}

/// Why a population file could not be read.
public enum PopulationError: Error, Sendable, CustomStringConvertible {
    /// The file could not be read as CSV.
    case unreadable(path: String, reason: String)
    /// The schema names no given-name or surname column.
    case noNameColumns(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .noNameColumns(let path): "\(path): the schema names no given-name or surname column"
        }
    }
}

/// Reads people in the clear from an agency-style CSV file and its linkage schema.
public enum PlainPopulation {
    /// The people of `path`, keyed by the record id column, in file order. Rows with a problem are skipped.
    public static func read(
        path: String, schema: LinkageSchema, batchDate: CalendarDate
    ) throws(PopulationError) -> [(recordID: String, person: PlainPerson)] {
        var reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw .unreadable(path: path, reason: "\(error)") }
        var position: [String: Int] = [:]
        for (i, name) in reader.header.enumerated() { position[name] = i }
        func indices(_ kind: FieldKind) -> [Int] { schema.columns(for: kind).compactMap { position[$0] } }
        let given = indices(.givenName), surname = indices(.surname), dob = indices(.dateOfBirth), id = indices(.recordID)
        guard !given.isEmpty || !surname.isEmpty else { throw .noNameColumns(path: path) }
        var out: [(String, PlainPerson)] = []
        while true {
            let row: CSVRow?
            do { row = try reader.next() } catch { throw .unreadable(path: path, reason: "\(error)") }
            guard let row else { break }
            guard row.problem == nil else { continue }
            let f = row.fields
            func joined(_ idx: [Int]) -> String { idx.map { f[$0] }.joined(separator: " ") }
            let rawDOB = dob.first.map { f[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            let person = PlainPerson(rawGiven: joined(given), rawSurname: joined(surname), rawDateOfBirth: rawDOB, batchDate: batchDate)
            out.append((id.first.map { f[$0] } ?? String(out.count), person))
        }
        return out
    }
}
