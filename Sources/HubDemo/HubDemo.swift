import HubClient
import Disclosure
import Foundation
import HubService
import HubStore
import Hummingbird
import LinkCrypto
import Logging
import Normalisation
import Prometheus
import ServiceLifecycle
import Tokenisation
import TransparencyLog
import Workflow

/// What the demo is given.
public struct DemoOptions: Sendable {
    /// The folder of synthetic agency extracts (`AGENCY.csv` with `AGENCY.schema.json`) and `truth.csv`.
    public var examples: String
    /// The folder the demo makes afresh: keys, batches, the store, the log export and the DPO report.
    public var out: String
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    /// Keep serving the console after the walk-through, until SIGINT or SIGTERM.
    public var serve: Bool

    public init(examples: String, out: String, host: String = "127.0.0.1", port: Int = 8080, serve: Bool = false) {
        self.examples = examples
        self.out = out
        self.host = host
        self.port = port
        self.serve = serve
    }
}

/// What the demo did, for the caller (and the test) to check.
public struct DemoSummary: Sendable {
    public var agencies: [String: Int] = [:]
    public var referral = ""
    public var matchedAgencies: [String] = []
    /// Tiers released, by agency.
    public var released: [String: [String]] = [:]
    public var logEntries = 0
    public var auditPassed = false
    public var receiptVerified = false
    public var consoleURL = ""
    public var users: [(name: String, role: String, password: String)] = []
}

/// Why the demo stopped.
public struct DemoError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}

/// The end-to-end demonstration: synthetic UK-style agencies tokenise their extracts under a
/// shared linkage key; the hub starts on SQLite and serves; over HTTP the agencies upload signed
/// batches, the operator links, the police raise a referral, two staff walk it from matched to a
/// confirmed Child Protection threshold and release; the police fetch a receipt; the DPO's audit
/// verifies the log offline and writes the report. Throwaway keys and synthetic data only.
public enum HubDemo {
    public static func run(_ o: DemoOptions, say: @escaping @Sendable (String) -> Void) async throws -> DemoSummary {
        var summary = DemoSummary()
        let fm = FileManager.default
        func path(_ parts: String...) -> String { parts.reduce(o.out) { ($0 as NSString).appendingPathComponent($1) } }
        try? fm.removeItem(atPath: o.out)
        try fm.createDirectory(atPath: path("batches"), withIntermediateDirectories: true)

        // Keys: the hub's (passphrase-wrapped at a low demo cost), the agencies' shared linkage key, each agency's signing key.
        let passphrase = "demo passphrase, never for real data"
        _ = try HubKeys.create(in: path("keys"), passphrase: passphrase, parameters: Scrypt.Parameters(n: 1 << 12, r: 8, p: 1))
        let releaseKey = try HubKeys.releaseKey(in: path("keys"), passphrase: passphrase)
        let logKey = try HubKeys.logKey(in: path("keys"), passphrase: passphrase)
        let linkage = LinkageKey.generate()
        let names = try fm.contentsOfDirectory(atPath: o.examples).filter { $0.hasSuffix(".schema.json") }
            .map { String($0.dropLast(".schema.json".count)) }.sorted()
        guard names.count >= 2 else { throw DemoError("\(o.examples) holds fewer than two agency extracts (AGENCY.csv with AGENCY.schema.json)") }
        var signing: [String: Ed25519.PrivateKey] = [:], schemas: [String: LinkageSchema] = [:]
        say("1. \(names.count) agencies tokenise their synthetic extracts (identifiers never leave them):")
        for name in names {
            let key = Ed25519.PrivateKey()
            let schema = try LinkageSchema.decode(try Data(contentsOf: URL(fileURLWithPath: (o.examples as NSString).appendingPathComponent("\(name).schema.json"))))
            let options = TokeniseOptions(agency: name, schema: schema, linkageKey: linkage, signingKey: key, hubReleaseKey: releaseKey.publicKey, batchDate: Tokeniser.today())
            let s = try Tokeniser.run(
                inputPath: (o.examples as NSString).appendingPathComponent("\(name).csv"), batchPath: path("batches", "\(name).mlb"),
                rejectsPath: path("batches", "\(name).rejects.csv"), options: options)
            say("   \(name): \(s)")
            signing[name] = key
            schemas[name] = schema
            summary.agencies[name] = s.tokenised
        }

        // The hub: store, log, staff, service.
        let store = try await HubStores.open("sqlite://" + path("mashlink.db"))
        do {
            for name in names { try await store.registerAgency(name: name, signingKey: signing[name]!.publicKey) }
            let log = try await DisclosureLog.open(store: store, logKey: logKey)
            let sessions = Sessions(store: store)
            for (name, role) in [("demo-practitioner", Role.practitioner), ("demo-manager", .manager), ("demo-operator", .operator), ("demo-dpo", .dpo)] {
                let password = "demo-" + Sessions.newToken().prefix(16)
                try await sessions.addUser(name: name, role: role, password: password)
                summary.users.append((name, role.rawValue, password))
            }
            try Data(summary.users.map { "\($0.name)\t\($0.role)\t\($0.password)" }.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path("demo-users.txt")))
            let services = HubServices(
                store: store, log: log, workflow: ReferralWorkflow(store: store, log: log, releaseKey: releaseKey), sessions: sessions,
                agencyRequests: AgencyRequestVerifier(store: store), metrics: PrometheusCollectorRegistry())
            var logger = Logger(label: "mashlink-demo")
            logger.logLevel = .warning
            let (started, running) = AsyncStream.makeStream(of: Int.self)
            let app = Application(
                router: try await HubAPI.router(services), configuration: .init(address: .hostname(o.host, port: o.port), serverName: "mashlink-demo"),
                onServerRunning: { channel in running.yield(channel.localAddress?.port ?? 0) }, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: o.serve ? [.sigint, .sigterm] : [], logger: logger))
            let server = Task { try await group.run() }
            var ports = started.makeAsyncIterator()
            guard let port = await ports.next() else { throw DemoError("the hub did not start") }
            let base = "http://\(o.host):\(port)"
            summary.consoleURL = base + "/console"
            say("2. the hub serves on \(base) (SQLite store \(path("mashlink.db")))")
            do {
                try await walk(base: base, names: names, signing: signing, schemas: schemas, linkage: linkage, o: o, path: path, log: log, summary: &summary, say: say)
            } catch {
                await group.triggerGracefulShutdown()
                _ = try? await server.value
                throw error
            }
            summary.logEntries = Int(await log.size)

            // The DPO, offline: export, verify with only the log's verifier key, report.
            let export = try await LogExport.read(from: store)
            try export.write(to: path("log-export"))
            try Data((log.verifierKey + "\n").utf8).write(to: URL(fileURLWithPath: path("keys", LogKeys.verifierKeyFile)))
            let audit = Audit.verify(entries: export.entries, checkpoint: export.checkpoint, origin: log.origin, verifier: try NoteVerifier(verifierKey: log.verifierKey))
            summary.auditPassed = audit.passed
            let report = DisclosureReport(entries: export.entries.compactMap { try? LogEntry(canonical: $0) }, audit: audit, from: "0000-01-01", to: "9999-12-31")
            try Data(report.html().utf8).write(to: URL(fileURLWithPath: path("dpo-report.html")))
            say("7. the DPO verifies the log offline: \(audit.entries) entries, \(audit.releases) releases, \(audit.passed ? "passed" : "FAILED") with \(audit.findings.count) finding(s); report \(path("dpo-report.html"))")
            say("   (the same check from the command line: mashlink-audit verify \(path("log-export")) --log-key \(path("keys", LogKeys.verifierKeyFile)))")
            say("")
            say("Console: \(summary.consoleURL). Demo users (also in \(path("demo-users.txt"))):")
            for u in summary.users { say("   \(u.name) (\(u.role)): \(u.password)") }
            if o.serve {
                say("Serving until Ctrl-C.")
                try await server.value
            } else {
                say("Run again with --serve to keep the console up.")
                await group.triggerGracefulShutdown()
                try await server.value
            }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        return summary
    }

    /// The walk-through over HTTP, as the agencies and staff would do it.
    static func walk(
        base: String, names: [String], signing: [String: Ed25519.PrivateKey], schemas: [String: LinkageSchema], linkage: LinkageKey,
        o: DemoOptions, path: (String...) -> String, log: DisclosureLog, summary: inout DemoSummary, say: @Sendable (String) -> Void
    ) async throws {
        let http = HubClient(base: base)
        for name in names {
            let body = Array(try Data(contentsOf: URL(fileURLWithPath: path("batches", "\(name).mlb"))))
            let r = try await http.send("POST", "/api/v1/batches", agency: (name, signing[name]!), body: body)
            try r.expect(201, "uploading \(name)'s batch")
        }
        say("3. each agency uploads its signed batch over HTTP; the operator links them:")
        let ops = try await http.login(summary.users[2].name, password: summary.users[2].password)
        let linked = try await http.send("POST", "/api/v1/link", token: ops)
        try linked.expect(200, "linking")
        for run in linked.json["runs"] as? [[String: Any]] ?? [] {
            say("   linked \(run["records"] ?? 0) records: \(run["matches"] ?? 0) matches, \(run["possibles"] ?? 0) possible")
        }

        // The subject: a child the police, children's social care and education all hold (the
        // demo alone knows this, from the generator's truth file).
        let (subject, raiser) = try pickSubject(o: o, schemas: schemas)
        let queryPath = path("batches", "referral-query.mlq")
        try QueryTokeniser.write(
            subject: subject, to: queryPath, agency: raiser, schema: schemas[raiser]!, linkageKey: linkage, signingKey: signing[raiser]!, date: Tokeniser.today())
        let raised = try await http.send("POST", "/api/v1/referrals?priority=red", agency: (raiser, signing[raiser]!), body: Array(try Data(contentsOf: URL(fileURLWithPath: queryPath))))
        try raised.expect(201, "raising the referral")
        let id = raised.json["referral"] as? String ?? ""
        summary.referral = id
        say("4. \(raiser) raise a red referral \(id.prefix(8)) (decision due \(raised.json["dueAt"] ?? "?")); the hub matches it at once")

        let practitioner = try await http.login(summary.users[0].name, password: summary.users[0].password)
        let manager = try await http.login(summary.users[1].name, password: summary.users[1].password)
        try await http.send("POST", "/api/v1/referrals/\(id)/assign", token: manager, json: ["user": summary.users[0].name]).expect(200, "assigning")
        let view = try await http.send("GET", "/api/v1/referrals/\(id)", token: practitioner)
        try view.expect(200, "reading the referral")
        let matches = (view.json["referral"] as? [String: Any])?["matches"] as? [[String: Any]] ?? []
        summary.matchedAgencies = matches.compactMap { $0["agency"] as? String }.sorted()
        for m in matches {
            let evidence = (m["evidence"] as? [[String: Any]] ?? []).prefix(3).map { "\($0["field"] ?? "") \($0["level"] ?? "")" }.joined(separator: ", ")
            say("   \(m["agency"] ?? "?"): \(m["band"] ?? "?") band, score \(String(format: "%.1f", m["score"] as? Double ?? 0)) (\(evidence), …)")
        }
        if matches.contains(where: { $0["band"] as? String == "possible" }) {
            say("   (a possible-band record is left for a person to review on the console: nothing is released from it until someone confirms it)")
        }
        say("5. \(summary.users[0].name) proposes Child Protection (s47); \(summary.users[1].name), a different person, confirms it")
        let early = try await http.send("POST", "/api/v1/referrals/\(id)/release", token: practitioner)
        say("   (a release before confirmation is refused: \(early.status))")
        try await http.send("POST", "/api/v1/referrals/\(id)/propose", token: practitioner, json: ["threshold": "s47", "reason": "demo"]).expect(200, "proposing")
        try await http.send("POST", "/api/v1/referrals/\(id)/confirm", token: manager, json: [:]).expect(200, "confirming")
        let released = try await http.send("POST", "/api/v1/referrals/\(id)/release", token: practitioner)
        try released.expect(200, "releasing")
        say("6. released (each release was in the disclosure log before it was opened):")
        for item in released.json["released"] as? [[String: Any]] ?? [] {
            let agency = item["agency"] as? String ?? "?"
            let tiers = (item["tiers"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
            summary.released[agency] = tiers.map(\.key)
            say("   \(agency): " + tiers.map { "\($0.key) → \($0.value)" }.joined(separator: "; "))
        }
        for w in released.json["withheld"] as? [[String: Any]] ?? [] { say("   withheld \(w["reference"] ?? ""): \(w["reasons"] ?? "")") }
        try await http.send("POST", "/api/v1/referrals/\(id)/outcome", token: practitioner, json: ["outcome": "strategy discussion; s47 enquiry"]).expect(200, "recording the outcome")

        // An agency's receipt for a release of its own record, checked like any tlog proof.
        if let agency = summary.released.keys.sorted().first, let key = signing[agency] {
            let receipts = try await http.send("GET", "/api/v1/receipts", agency: (agency, key))
            if let index = (receipts.json["receipts"] as? [[String: Any]])?.first(where: { $0["kind"] as? String == "release.logged" })?["index"] as? Int {
                let bundle = try await http.send("GET", "/api/v1/receipts/\(index)", agency: (agency, key))
                let proof = try ProofBundle(parsing: bundle.text)
                try proof.verify(entry: proof.extra ?? [], origin: log.origin, verifiers: [try NoteVerifier(verifierKey: log.verifierKey)])
                summary.receiptVerified = true
                say("   \(agency) fetch their receipt for log entry \(index) and verify its inclusion proof against the signed checkpoint")
            }
        }

        // A second referral, left in the queue for the console.
        if let (other, _) = try? pickSubject(o: o, schemas: schemas, skip: 1) {
            try QueryTokeniser.write(subject: other, to: queryPath + "2", agency: raiser, schema: schemas[raiser]!, linkageKey: linkage, signingKey: signing[raiser]!, date: Tokeniser.today())
            _ = try await http.send("POST", "/api/v1/referrals?priority=amber", agency: (raiser, signing[raiser]!), body: Array(try Data(contentsOf: URL(fileURLWithPath: queryPath + "2"))))
        }
    }

    /// A person the police, children's social care and education all hold, as the police's row
    /// gives them (identifier kind → value by the police schema).
    static func pickSubject(o: DemoOptions, schemas: [String: LinkageSchema], skip: Int = 0) throws -> ([FieldKind: String], String) {
        let raiser = "police"
        guard let schema = schemas[raiser] else { throw DemoError("the demo needs a police extract") }
        var truth = try CSVReader(path: (o.examples as NSString).appendingPathComponent("truth.csv"))
        var agenciesOf: [String: Set<String>] = [:], policeRecord: [String: String] = [:]
        while let row = try truth.next()?.fields {
            agenciesOf[row[2], default: []].insert(row[0])
            if row[0] == raiser { policeRecord[row[2]] = row[1] }
        }
        let wanted: Set<String> = [raiser, "childrens_social_care", "education"]
        let people = agenciesOf.filter { wanted.isSubset(of: $0.value) && policeRecord[$0.key] != nil }.keys.sorted()
        guard people.count > skip else { throw DemoError("no child is held by the police, children's social care and education in the demo data") }
        let record = policeRecord[people[skip]]!
        var reader = try CSVReader(path: (o.examples as NSString).appendingPathComponent("\(raiser).csv"))
        let header = reader.header
        while let row = try reader.next()?.fields {
            guard row.first == record else { continue }
            return (schema.subject(fromRow: row, header: header), raiser)
        }
        throw DemoError("the police extract has no row \(record)")
    }
}

