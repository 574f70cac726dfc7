import Foundation
import Tokenisation

/// JSON with sorted keys, so stored headers are canonical.
enum JSONCoding {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func header(_ json: String) throws(StoreError) -> BatchHeader {
        do { return try JSONDecoder().decode(BatchHeader.self, from: Data(json.utf8)) } catch {
            throw .database("a stored batch header does not decode; run mashlink-hub check")
        }
    }
}

/// The time now, ISO 8601 in UTC, as the store records it.
func timestamp() -> String {
    ISO8601DateFormatter().string(from: Date())
}

/// Maps whatever a backend threw to a ``StoreError``: the store's own refusals pass through,
/// a batch that fails verification says why, anything else is a database failure.
func storeError(_ error: any Error) -> StoreError {
    switch error {
    case let e as StoreError: e
    case let e as TokenisationError: .invalidBatch(e.description)
    default: .database(String(describing: type(of: error)))
    }
}

/// Opens a store from a database URL: `sqlite://PATH` (relative or absolute; the default is
/// `sqlite://./mashlink.db`) or `postgres://USER:PASSWORD@HOST[:PORT]/DATABASE`.
public enum HubStores {
    /// The default database URL: an SQLite file in the working directory.
    public static let defaultURL = "sqlite://./mashlink.db"

    /// Opens (creating if needed) and migrates the store at `url`.
    public static func open(_ url: String) async throws(StoreError) -> any HubStore {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw .invalidURL(url) }
            return try await SQLiteHubStore(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return try await PostgresHubStore(url: url)
        }
        throw .invalidURL(url)
    }
}
