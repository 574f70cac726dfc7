import Foundation
import LinkCrypto
import Synchronization
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

/// Values decoded from stored text, each decoded once, keyed by the text itself (so a cached
/// value can never disagree with what is stored). Batch headers and agencies' signing keys are
/// read on every request; decoding them each time (JSON, and OpenSSL's PEM decoder) cost more
/// than a referral query's index lookups.
final class DecodeCache<Value: Sendable>: Sendable {
    private let values = Mutex<[String: Value]>([:])

    /// The value `text` decodes to, decoding it with `decode` the first time.
    func value(_ text: String, decode: (String) throws(StoreError) -> Value) throws(StoreError) -> Value {
        if let known = values.withLock({ $0[text] }) { return known }
        let value = try decode(text)
        values.withLock { $0[text] = value }
        return value
    }
}

/// What each store decodes once: batch headers and agency signing keys.
struct StoreCaches: Sendable {
    let headers = DecodeCache<BatchHeader>()
    let agencyKeys = DecodeCache<Ed25519.PublicKey>()

    /// The header stored as `json`.
    func header(_ json: String) throws(StoreError) -> BatchHeader {
        try headers.value(json) { json throws(StoreError) in try JSONCoding.header(json) }
    }

    /// Each batch's Bloom-filter length, from `(id, header JSON)` rows.
    func bloomBits(_ rows: [(String, String)]) throws(StoreError) -> [String: Int] {
        var bits: [String: Int] = [:]
        for (id, json) in rows { bits[id] = try header(json).bloom.bits }
        return bits
    }

    /// The agency `name` registered with the key `pem`.
    func agency(_ name: String, pem: String) throws(StoreError) -> RegisteredAgency {
        let key = try agencyKeys.value(pem) { pem throws(StoreError) in
            do { return try Ed25519.PublicKey(pemRepresentation: pem) } catch {
                throw .database("the signing key stored for agency \(name) does not decode; run mashlink-hub check")
            }
        }
        return RegisteredAgency(name: name, signingKey: key)
    }
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
