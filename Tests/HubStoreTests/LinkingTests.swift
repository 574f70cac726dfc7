import Foundation
import HubLinking
import Matching
import Testing
import Tokenisation
@testable import HubStore

extension StoreTests {
    @Suite("Linking the store: full and incremental, on every backend")
    struct LinkingTests {
        /// Links (agency, record, agency, record, band) and the partition of records into persons.
        struct Outcome: Equatable {
            let links: Set<[String]>
            let persons: Set<Set<String>>

            init(links: [(String, String, String, String, String)], clusters: [(String, String, String)]) {
                self.links = Set(links.map { [$0.0, $0.1, $0.2, $0.3, $0.4] })
                var groups: [String: Set<String>] = [:]
                for c in clusters { groups[c.2, default: []].insert(c.0 + "/" + c.1) }
                persons = Set(groups.values)
            }

            init(_ export: LinkExport) {
                self.init(
                    links: export.links.map { ($0.leftAgency, $0.leftRecord, $0.rightAgency, $0.rightRecord, $0.band.rawValue) },
                    clusters: export.clusters.map { ($0.agency, $0.record, String($0.cluster)) })
            }
        }

        /// What a full link of the store's current batches finds with the stored model and term counts.
        static func expected(_ store: any HubStore, blocking: BlockingConfiguration = .standard) async throws -> Outcome {
            let state = try #require(try await store.linkingState())
            let model = try JSONDecoder().decode(MatchModel.self, from: Data(state.model))
            let counts = try StoreLinker.termFrequencies(fromStored: state.termCounts)
            var agencies: [AgencyRecords] = []
            for batch in try await store.currentBatches() {
                agencies.append(AgencyRecords(agency: batch.agency, records: try await store.records(inBatch: batch.batchID).map(\.record)))
            }
            let result = Linker.link(agencies, blocker: Blocker(configuration: blocking), model: model, termFrequencies: counts)
            return Outcome(
                links: result.links.map { ($0.leftAgency, $0.leftRecord, $0.rightAgency, $0.rightRecord, $0.band.rawValue) },
                clusters: result.clusters.map { ($0.agency, $0.record, String($0.cluster)) })
        }

        @Test("a referral query finds the same records with the profile cache as without it and with no stored profiles, and a repeated query is served from it", arguments: Backends.all)
        func queryCache(_ backend: StoreBackend) async throws {
            let (store, url) = try await Backends.linked(backend, police: 120, health: 120, healthFirst: 40)
            let queries = try await store.records(inBatch: try #require(try await store.currentBatches().first { $0.agency == "police" }).batchID).prefix(60).map(\.record)
            let cached = QueryMatcher(store: store, cachedRecords: 1_000), uncached = QueryMatcher(store: store, cachedRecords: 0)
            var first = QueryProfile(), again = QueryProfile(), none = QueryProfile()
            var found = 0, answers: [[QueryMatch]] = []
            for q in queries {
                let a = try await cached.match(q, filterBits: 1024, profile: &first)
                let b = try await cached.match(q, filterBits: 1024, profile: &again)
                let c = try await uncached.match(q, filterBits: 1024, profile: &none)
                #expect(a.map(\.recordID) == c.map(\.recordID) && b.map(\.recordID) == c.map(\.recordID))
                #expect(a.map(\.score) == c.map(\.score))
                found += c.count
                answers.append(c)
            }
            #expect(found >= 60, "each query finds at least its own record")
            #expect(none.cacheHits == 0 && again.candidates > 0 && again.cacheHits == again.candidates)
            #expect(none.decoded == 0, "every candidate was compared through its stored profile")
            // With no stored profiles (a store linked before schema v5) candidates are decoded from
            // their lines, and the answers are the same.
            try await SchemaTamper.execute(url, "DELETE FROM record_profiles")
            let unprofiled = QueryMatcher(store: store, cachedRecords: 0)
            var decoded = QueryProfile()
            for (q, c) in zip(queries, answers) {
                let d = try await unprofiled.match(q, filterBits: 1024, profile: &decoded)
                #expect(d == c)
            }
            #expect(decoded.candidates == none.candidates && decoded.decoded == decoded.candidates)
            await store.close()
        }

        @Test(
            "an incremental link finds what a full link with the same model finds, and superseded records stop matching (standard blocking, and with every block above two records broad)",
            arguments: Backends.all, [Int.max, 2])
        func incrementalEqualsFull(_ backend: StoreBackend, broadBlockSize: Int) async throws {
            var blocking = BlockingConfiguration.standard
            blocking.broadBlockSize = broadBlockSize
            let options = LinkOptions(blocking: blocking)
            let (store, _) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            let police = try f.batch("police", rows: BatchFactory.rows(150))
            let health = try f.batch("health", rows: BatchFactory.rows(150, first: 50), name: "health1")
            let education = try f.batch("education", rows: BatchFactory.rows(80, first: 100))
            let health2 = try f.batch("health", rows: BatchFactory.rows(130, first: 90), name: "health2")
            try await f.registerAgencies(in: store)
            _ = try await store.ingest(batchAt: police)
            _ = try await store.ingest(batchAt: health)

            let first = try await StoreLinker.link(store, options: options)
            #expect(first.count == 1 && first[0].kind == .full && first[0].matches >= 90)
            if broadBlockSize != .max {
                // The rule must drop pairs here, or this case would test nothing.
                let batches = try await store.currentBatches()
                var sides: [[EncodedRecord]] = []
                for b in batches { sides.append(try await store.records(inBatch: b.batchID).map(\.record)) }
                let all = Blocker().candidates(left: sides[0], right: sides[1]).pairs.count
                #expect(Blocker(configuration: blocking).candidates(left: sides[0], right: sides[1]).pairs.count < all)
            }
            #expect(try await StoreLinker.link(store, options: options).isEmpty, "nothing new: nothing is linked again")

            _ = try await store.ingest(batchAt: education)
            let second = try await StoreLinker.link(store, options: options)
            #expect(second.count == 1 && second[0].records == 80)
            if case .incremental(_, let agency) = second[0].kind { #expect(agency == "education") } else { Issue.record("not incremental") }
            #expect(Outcome(try await store.linkExport()) == (try await Self.expected(store, blocking: blocking)))

            _ = try await store.ingest(batchAt: health2)
            let third = try await StoreLinker.link(store, options: options)
            #expect(third.count == 1 && third[0].records == 130)
            let export = try await store.linkExport()
            #expect(Outcome(export) == (try await Self.expected(store, blocking: blocking)))
            // Nothing links or clusters a record of the superseded health batch any more.
            let currentHealth = Set(try await store.records(inBatch: try await store.currentBatches().first { $0.agency == "health" }!.batchID).map(\.record.reference))
            let healthRefs = export.links.flatMap { l in [l.leftAgency == "health" ? l.leftRecord : nil, l.rightAgency == "health" ? l.rightRecord : nil].compactMap { $0 } }
                + export.clusters.filter { $0.agency == "health" }.map(\.record)
            #expect(!healthRefs.isEmpty && healthRefs.allSatisfy(currentHealth.contains))
            #expect(export.clusters.count == 150 + 80 + 130, "every current record has a person, and only those")

            // A full re-link agrees with where the incremental runs left the store.
            let state = try await store.linkingState()
            let relinked = try await StoreLinker.link(
                store, full: true, options: LinkOptions(model: try JSONDecoder().decode(MatchModel.self, from: Data(state!.model)), blocking: blocking))
            #expect(relinked.count == 1 && relinked[0].kind == .full)
            // Term counts are refreshed from the current records; every current record still has a person.
            #expect(try await store.linkExport().clusters.count == 150 + 80 + 130)
            #expect(try await store.check().isConsistent)
            await store.close()
        }

        @Test("a link stores each record's comparison profile; an incremental link reads them, and rebuilds and stores any missing or of another layout", arguments: Backends.all)
        func storedProfiles(_ backend: StoreBackend) async throws {
            let (store, url) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            let police = try f.batch("police", rows: BatchFactory.rows(150))
            let health = try f.batch("health", rows: BatchFactory.rows(150, first: 50))
            let education = try f.batch("education", rows: BatchFactory.rows(80, first: 100))
            try await f.registerAgencies(in: store)
            _ = try await store.ingest(batchAt: police)
            _ = try await store.ingest(batchAt: health)
            _ = try await StoreLinker.link(store)
            func stored() async throws -> (records: [Int64: EncodedRecord], profiles: [Int64: [UInt8]?]) {
                var records: [Int64: EncodedRecord] = [:]
                for batch in try await store.currentBatches() {
                    for r in try await store.records(inBatch: batch.batchID) { records[r.id] = r.record }
                }
                let rows = try await store.profiles(ids: Array(records.keys))
                #expect(rows.count == records.count)
                return (records, Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.profile) }))
            }
            let (records, profiles) = try await stored()
            #expect(records.count == 300)
            for (id, record) in records { #expect(profiles[id] == ComparisonProfiles.stored(record), "the full link stored record \(id)'s profile") }

            // A store linked by an older build: some profiles missing, one of another layout (police's
            // rows 100–149 and health's row 60 are people education also holds, so they are read).
            let ids = records.keys.sorted(), tampered = Array(ids[100..<150]) + [ids[210]]
            try await SchemaTamper.execute(url, "DELETE FROM record_profiles WHERE record_id IN (\(ids[100..<150].map(String.init).joined(separator: ",")))")
            try await SchemaTamper.execute(url, "UPDATE record_profiles SET profile = \(backend == .sqlite ? "x'00000000'" : "'\\x00000000'::bytea") WHERE record_id = \(ids[210])")
            _ = try await store.ingest(batchAt: education)
            let run = try await StoreLinker.link(store)
            if case .incremental = try #require(run.first).kind {} else { Issue.record("not incremental") }
            #expect(Outcome(try await store.linkExport()) == (try await Self.expected(store)))
            let after = try await stored()
            var rebuilt = 0
            for (id, record) in after.records {
                guard let profile = after.profiles[id] ?? nil else { continue }
                #expect(profile == ComparisonProfiles.stored(record), "no stored profile is stale")
                if tampered.contains(id) { rebuilt += 1 }
            }
            #expect(rebuilt >= 40, "the profiles the link had to rebuild were stored again")
            let added = after.records.keys.filter { records[$0] == nil }
            #expect(added.count == 80 && added.allSatisfy { (after.profiles[$0] ?? nil) != nil }, "every new record has a profile")
            await store.close()
        }

        @Test("an agency holding one person twice keeps both records' links to another agency, incrementally as in a full link", arguments: Backends.all)
        func personHeldTwice(_ backend: StoreBackend) async throws {
            let (store, _) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            // Police hold person 40 twice (two record ids, the same identifiers); the first, full link
            // learns from that how often an agency holds someone twice.
            var twice = BatchFactory.rows(60)
            twice.append(["R40b"] + twice[40].dropFirst())
            let police = try f.batch("police", rows: twice)
            let health = try f.batch("health", rows: BatchFactory.rows(60, first: 20))
            let education = try f.batch("education", rows: BatchFactory.rows(30, first: 30))
            try await f.registerAgencies(in: store)
            _ = try await store.ingest(batchAt: police)
            _ = try await store.ingest(batchAt: health)
            _ = try await StoreLinker.link(store)
            _ = try await store.ingest(batchAt: education)
            let run = try await StoreLinker.link(store)
            if case .incremental = try #require(run.first).kind {} else { Issue.record("not incremental") }
            let export = try await store.linkExport()
            #expect(Outcome(export) == (try await Self.expected(store)))

            func reference(_ batch: String, _ id: String) throws -> String {
                let lines = try String(contentsOfFile: batch + ".refs.csv", encoding: .utf8).split(separator: "\n")
                return try #require(lines.first { $0.hasPrefix(id + ",") }).split(separator: ",")[1].description
            }
            let cluster = Dictionary(export.clusters.map { ($0.agency + "/" + $0.record, $0.cluster) }, uniquingKeysWith: { a, _ in a })
            #expect(cluster["police/" + (try reference(police, "R40"))] == cluster["police/" + (try reference(police, "R40b"))], "the two police records are one person")
            // One-to-one keeps education's record with one of them; the runner-up is kept too.
            let educationRecord = "education/" + (try reference(education, "R40"))
            for id in ["R40", "R40b"] {
                let record = "police/" + (try reference(police, id))
                let linked = export.links.contains {
                    $0.band == .match && Set([$0.leftAgency + "/" + $0.leftRecord, $0.rightAgency + "/" + $0.rightRecord]) == [educationRecord, record]
                }
                #expect(linked, "education R40 – police \(id)")
            }
            await store.close()
        }

        @Test("a link run that read an older state, or whose batch was superseded meanwhile, is refused and writes nothing", arguments: Backends.all)
        func staleRunsRefused(_ backend: StoreBackend) async throws {
            let (store, _) = try await Backends.fresh(backend)
            var f = try BatchFactory()
            let police = try f.batch("police", rows: BatchFactory.rows(40))
            let police2 = try f.batch("police", rows: BatchFactory.rows(40, first: 5), name: "police2")
            try await store.registerAgency(name: "police", signingKey: f.signing["police"]!.publicKey)
            _ = try await store.ingest(batchAt: police)
            _ = try await StoreLinker.link(store)
            let state = try #require(try await store.linkingState())
            let before = try await store.linkExport()
            // A run that read no state (or an older one) is refused.
            let batch = try await store.currentBatches()[0].batchID
            let stale = LinkRun(scope: .full(batches: [batch]), expectedGeneration: nil, state: state, blockKeys: [], links: [], clusters: [])
            await #expect(throws: StoreError.self) { try await store.saveLinks(stale) }
            // A run over a batch that has since been superseded is refused.
            _ = try await store.ingest(batchAt: police2)
            let overtaken = LinkRun(scope: .full(batches: [batch]), expectedGeneration: state.generation, state: state, blockKeys: [], links: [], clusters: [])
            do {
                try await store.saveLinks(overtaken)
                Issue.record("a run over a superseded batch was saved")
            } catch { #expect(error.description.contains("superseded while linking") && error.description.contains("run 'mashlink-hub link' again")) }
            #expect(try await store.linkExport().clusters.count == before.clusters.count)
            #expect(try await store.linkingState() == state)
            await store.close()
        }
    }
}
