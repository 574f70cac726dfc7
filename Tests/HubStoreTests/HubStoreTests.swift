import Foundation
import LinkCrypto
import Normalisation
import Testing
import Tokenisation
@testable import HubStore
import HubLinking

/// The backends the shared suite runs on: SQLite always; PostgreSQL when
/// `MASHLINK_TEST_POSTGRES_URL` is set (CI always sets it; see `.ci/run`).
enum Backends {
    static let postgresURL = ProcessInfo.processInfo.environment["MASHLINK_TEST_POSTGRES_URL"]
    static var all: [StoreBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// A fresh store on `backend` holding a police batch of `police` invented people and a health
    /// batch of `health` starting at person `healthFirst` (so the two overlap), linked in full.
    static func linked(_ backend: StoreBackend, police: Int, health: Int, healthFirst: Int) async throws -> (store: any HubStore, url: String) {
        let (store, url) = try await fresh(backend)
        var f = try BatchFactory()
        let p = try f.batch("police", rows: BatchFactory.rows(police))
        let h = try f.batch("health", rows: BatchFactory.rows(health, first: healthFirst))
        try await f.registerAgencies(in: store)
        _ = try await store.ingest(batchAt: p)
        _ = try await store.ingest(batchAt: h)
        _ = try await StoreLinker.link(store)
        return (store, url)
    }

    /// A fresh, empty store on `backend`. PostgreSQL tests share one database, so they run one at a
    /// time (the suite is serialised) and each starts by dropping mashlink's tables.
    static func fresh(_ backend: StoreBackend) async throws -> (store: any HubStore, url: String) {
        switch backend {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubstore-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let url = "sqlite://" + dir.appendingPathComponent("hub.db").path
            return (try await HubStores.open(url), url)
        case .postgres:
            let url = postgresURL!
            try await PostgresReset.dropAll(url)
            return (try await HubStores.open(url), url)
        }
    }
}

/// Signed test batches made from invented people.
struct BatchFactory {
    let dir: URL
    let linkageKey: LinkageKey
    let hub = X25519.PrivateKey()
    var signing: [String: Ed25519.PrivateKey] = [:]
    static let header = ["record_id", "forename", "surname", "date_of_birth", "sex", "address_line_1", "postcode", "cp_notes"]

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubstore-batches-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        linkageKey = .generate()
    }

    /// Registers every agency this factory has made a batch for, with its signing key.
    func registerAgencies(in store: any HubStore) async throws {
        for (name, key) in signing.sorted(by: { $0.key < $1.key }) { try await store.registerAgency(name: name, signingKey: key.publicKey) }
    }

    /// The rows of `count` invented people, starting at `first`.
    static func rows(_ count: Int, first: Int = 0) -> [[String]] {
        let given = ["Oliver", "Amelia", "Jack", "Isla", "Harry", "Ava", "Noah", "Grace", "Yusuf", "Zofia"]
        let surnames = ["Quennell", "Abernethy", "Okonjo", "Pryce", "Vardy", "Lindqvist", "Mahmood", "Tregear"]
        return (first..<(first + count)).map { (i: Int) -> [String] in
            let surname: String = surnames[(i / 10) % surnames.count] + String(i / 80)
            let dob = String(format: "%02d/%02d/%04d", 1 + i % 28, 1 + i % 12, 1950 + i % 60)
            let address = "\(1 + i % 200) Mill Lane", postcode = "LS\(1 + i % 20) \(i % 9)AB"
            return ["R\(i)", given[i % given.count], surname, dob, i % 2 == 0 ? "M" : "F", address, postcode, "note \(i)"]
        }
    }

    /// Writes a signed batch of `rows` for `agency`; returns its path.
    mutating func batch(_ agency: String, rows: [[String]], key: LinkageKey? = nil, name: String? = nil, header: [String] = BatchFactory.header) throws -> String {
        let signer = signing[agency] ?? Ed25519.PrivateKey()
        signing[agency] = signer
        let csv = dir.appendingPathComponent("\(name ?? agency).csv").path
        let text = ([header] + rows).map { CSVWriter.encode(row: $0) }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
        let options = TokeniseOptions(
            agency: agency, schema: SchemaSuggestion.suggest(header: header), linkageKey: key ?? linkageKey,
            signingKey: signer, hubReleaseKey: hub.publicKey, batchDate: CalendarDate(year: 2026, month: 12, day: 1)!)
        let path = dir.appendingPathComponent("\(name ?? agency).mlb").path
        _ = try Tokeniser.run(inputPath: csv, batchPath: path, rejectsPath: path + ".rejects.csv", options: options)
        return path
    }
}

/// Every suite that touches a database, one test at a time: the PostgreSQL tests share one
/// database, and each starts by dropping mashlink's tables.
@Suite("Hub store", .serialized)
enum StoreTests {}

extension StoreTests {
    @Suite("Hub store, on every backend")
    struct HubStoreTests {
        @Test("a database URL that is not understood is refused without echoing its password")
    func invalidURL() async {
        do {
            _ = try await HubStores.open("mysql://hub:s3cret-pass@db/mashlink")
            Issue.record("an unknown scheme was accepted")
        } catch {
            #expect(!error.description.contains("s3cret-pass"))
            #expect(error.description.contains("sqlite://PATH"))
        }
    }

    @Test("PostgreSQL is tested, or the output says loudly that it was not")
        func postgresPresence() {
            if Backends.postgresURL == nil {
                print("⚠️  HubStore: PostgreSQL tests SKIPPED — set MASHLINK_TEST_POSTGRES_URL=postgres://USER:PASSWORD@HOST/DB to run them (CI always does)")
            }
            #expect(Backends.all.contains(.sqlite))
        }

        @Test("a batch goes in whole, its records come back, and the schema version is current", arguments: Backends.all)
        func ingestAndRead(_ backend: StoreBackend) async throws {
            let (store, _) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            let path = try f.batch("police", rows: BatchFactory.rows(120))
            try await store.registerAgency(name: "police", signingKey: f.signing["police"]!.publicKey)
            #expect(try await store.schemaVersion() == Schema.currentVersion)
            let receipt = try await store.ingest(batchAt: path)
            #expect(receipt.records == 120 && receipt.superseded == nil)
            let current = try await store.currentBatches()
            #expect(current.count == 1 && current[0].header.agency == "police")
            let stored = try await store.records(inBatch: current[0].batchID).map(\.record)
            #expect(stored.count == 120)
            // The records are the batch's, exactly.
            let reader = try BatchReader(path: path, expectedSigner: f.signing["police"]!.publicKey)
            var original: [EncodedRecord] = []
            while let r = try reader.next() { original.append(r) }
            #expect(Set(original) == Set(stored))
            let report = try await store.check()
            #expect(report.isConsistent, "\(report.problems)")
            #expect(report.batches == 1 && report.records == 120)
            await store.close()
        }

        @Test("a replayed batch, an unregistered agency, a wrong key and another linkage key are refused, and nothing is stored", arguments: Backends.all)
        func refusals(_ backend: StoreBackend) async throws {
            let (store, _) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            let police = try f.batch("police", rows: BatchFactory.rows(30))
            await #expect(throws: StoreError.unknownAgency("police")) { try await store.ingest(batchAt: police) }
            try await store.registerAgency(name: "police", signingKey: f.signing["police"]!.publicKey)
            await #expect(throws: StoreError.agencyExists("police")) {
                try await store.registerAgency(name: "police", signingKey: Ed25519.PrivateKey().publicKey)
            }
            _ = try await store.ingest(batchAt: police)
            // The same file again: refused by batch id.
            do {
                _ = try await store.ingest(batchAt: police)
                Issue.record("a replayed batch was accepted")
            } catch { #expect(error.description.contains("already stored")) }
            // Signed by a key other than the registered one.
            var other = f
            other.signing["police"] = Ed25519.PrivateKey()
            let forged = try other.batch("police", rows: BatchFactory.rows(5), name: "forged")
            do {
                _ = try await store.ingest(batchAt: forged)
                Issue.record("a batch signed by an unregistered key was accepted")
            } catch { #expect(error.description.contains("registered with key")) }
            // Another linkage key than the index's.
            let stray = try f.batch("police", rows: BatchFactory.rows(5), key: .generate(), name: "stray")
            do {
                _ = try await store.ingest(batchAt: stray)
                Issue.record("a batch under another linkage key was accepted")
            } catch { #expect(error.description.contains("linkage key")) }
            // A corrupted batch: verification fails at the end, and nothing of it stays.
            let corrupt = try f.batch("police", rows: BatchFactory.rows(40, first: 500), name: "corrupt")
            var bytes = try Data(contentsOf: URL(fileURLWithPath: corrupt))
            let middle = bytes.count / 2
            bytes[middle] = bytes[middle] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            try bytes.write(to: URL(fileURLWithPath: corrupt))
            await #expect(throws: StoreError.self) { try await store.ingest(batchAt: corrupt) }
            let batches = try await store.batches()
            #expect(batches.count == 1 && batches[0].recordCount == 30)
            #expect(try await store.check().isConsistent)
            await store.close()
        }

        @Test("a new batch from an agency supersedes its previous one, which is kept for audit", arguments: Backends.all)
        func supersede(_ backend: StoreBackend) async throws {
            let (store, _) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            let first = try f.batch("health", rows: BatchFactory.rows(50), name: "h1")
            let second = try f.batch("health", rows: BatchFactory.rows(40, first: 10), name: "h2")
            try await store.registerAgency(name: "health", signingKey: f.signing["health"]!.publicKey)
            let a = try await store.ingest(batchAt: first)
            let b = try await store.ingest(batchAt: second)
            #expect(b.superseded == a.batchID)
            let current = try await store.currentBatches()
            #expect(current.count == 1 && current[0].batchID == b.batchID)
            #expect(try await store.records(inBatch: b.batchID).count == 40)
            let batches = try await store.batches()
            #expect(Set(batches.map(\.status)) == [.current, .superseded] && batches.count == 2)
            #expect(try await store.check().isConsistent)
            await store.close()
        }

        @Test("a store written by a newer mashlink is refused with what to do", arguments: Backends.all)
        func newerSchema(_ backend: StoreBackend) async throws {
            let (store, url) = try await Backends.fresh(backend)
            await store.close()
            try await SchemaTamper.setVersion(url, Schema.currentVersion + 1)
            do {
                _ = try await HubStores.open(url)
                Issue.record("a newer schema was opened")
            } catch {
                #expect(error == .newerSchema(found: Schema.currentVersion + 1, known: Schema.currentVersion))
                #expect(error.description.contains("upgrade mashlink"))
            }
        }

        @Test("no identifier reaches the database: every table's text is searched for every input value", arguments: Backends.all)
        func noIdentifiers(_ backend: StoreBackend) async throws {
            let (store, url) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            let rows = BatchFactory.rows(60)
            let path = try f.batch("police", rows: rows)
            try await store.registerAgency(name: "police", signingKey: f.signing["police"]!.publicKey)
            _ = try await store.ingest(batchAt: path)
            // Linking fills the index, links, clusters and the linking state: they are searched too.
            let runs = try await StoreLinker.link(store)
            #expect(runs.count == 1 && runs[0].clustersWritten == 60)
            await store.close()
            let text = try await DatabaseDump.allText(url)
            #expect(text.count > 10_000, "the dump holds the stored records")
            // Every identifying value of five or more characters (ids, names, dates, addresses, postcodes,
            // notes), as written and upper-cased.
            var values = Set<String>()
            for row in rows { for v in row where v.count >= 5 { values.insert(v); values.insert(v.uppercased()) } }
            for v in values { #expect(!text.contains(v), "an input value is in the \(backend) database") }
        }
    }
}
