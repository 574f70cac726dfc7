import ArgumentParser
import CommandSupport
import Disclosure
import Foundation
import HubCommandSupport
import HubService
import HubStore
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import Prometheus
import Tokenisation
import Workflow

/// `mashlink-hub serve`: the HTTP service.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the hub's HTTP service (API for agencies and staff, health, metrics).",
        discussion: """
            Example:
              MASHLINK_PASSPHRASE=... mashlink-hub serve --keys hub-keys --port 8443 --tls-cert hub.crt --tls-key hub.key
            Stops gracefully on SIGTERM or SIGINT. Logs carry no identifier and no token.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Folder of the hub's key files.") var keys = "hub-keys"
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "TLS certificate chain (PEM); with --tls-key, serve HTTPS.") var tlsCert: String?
    @Option(help: "TLS private key (PEM).") var tlsKey: String?
    @Option(help: "Decision timescales (JSON, see docs/workflow.md); the defaults are red 4 working hours, amber 24 h, green 72 h.")
    var timescales: String?
    @Flag(help: "Serve without the release key: everything works but releases, which are refused.") var withoutReleaseKey = false
    @Option(help: "A file holding the bearer token a metrics scraper presents for /metrics (at least 32 characters, e.g. `openssl rand -hex 32`); operators' sessions work too.")
    var metricsTokenFile: String?
    @Option(help: "Candidates' comparison profiles referral matching keeps in memory, about 0.7 KB each (0: none).") var queryCacheRecords = 100_000
    @OptionGroup var passphrase: PassphraseOptions

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("give both --tls-cert and --tls-key, or neither") }
        if queryCacheRecords < 0 { throw ValidationError("--query-cache-records is a number of records, 0 or more") }
    }

    func run() async throws {
        var logger = Logger(label: "mashlink-hub")
        logger.logLevel = .info
        let metricsToken = try metricsTokenFile.map { path throws(MetricsToken.Refusal) in try MetricsToken.digest(fromFile: path) }
        let secret = try passphrase.passphrase(for: "the hub's keys")
        let logKey = try HubKeys.logKey(in: keys, passphrase: secret)
        let releaseKey = withoutReleaseKey ? nil : try HubKeys.releaseKey(in: keys, passphrase: secret)
        var scales = Timescales.standard
        if let timescales {
            scales = try JSONDecoder().decode(Timescales.self, from: Data(contentsOf: URL(fileURLWithPath: timescales)))
            try scales.validate()
        }
        let store = try await HubStores.open(database.database)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        do {
            let log = try await DisclosureLog.open(store: store, logKey: logKey)
            var services = HubServices(
                store: store, log: log, workflow: ReferralWorkflow(store: store, log: log, releaseKey: releaseKey, timescales: scales, cachedRecords: queryCacheRecords),
                sessions: Sessions(store: store), agencyRequests: AgencyRequestVerifier(store: store), metrics: registry)
            services.metricsTokenDigest = metricsToken
            let router = try await HubAPI.router(services)
            router.middlewares.add(MetricsMiddleware())
            let configuration = ApplicationConfiguration(address: .hostname(host, port: port), serverName: "mashlink-hub")
            let server = try HubServer.builder(certificate: tlsCert, key: tlsKey)
            let app = Application(router: router, server: server, configuration: configuration, logger: logger)
            logger.info("mashlink-hub serving", metadata: [
                "address": "\(tlsCert == nil ? "http" : "https")://\(host):\(port)", "backend": "\(store.backend.rawValue)",
                "releases": "\(releaseKey == nil ? "refused (no release key)" : "enabled")",
            ])
            try await app.runService()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

/// `mashlink-hub user`: staff accounts.
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add, list and disable staff accounts.", subcommands: [Add.self, List.self, Disable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a staff account with a role (practitioner, manager, operator, dpo).",
            discussion: "Example:\n  MASHLINK_USER_PASSWORD=... mashlink-hub user add sw-jones --role practitioner")
        @Argument(help: "Login name (a staff id, 1 to 64 of a-z, 0-9, '.', '-', '_').") var name: String
        @Option(help: "practitioner, manager, operator or dpo.") var role: String
        @Option(help: "Environment variable holding the password (prompted for if unset and on a terminal).")
        var passwordEnv = "MASHLINK_USER_PASSWORD"
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))") }
            var options = PassphraseOptions()
            options.passphraseEnv = passwordEnv
            let password = try options.passphrase(for: "user \(name)")
            try await database.withStore { try await Sessions(store: $0).addUser(name: name, role: role, password: password) }
            print("added \(name) (\(role.rawValue))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff accounts and their roles.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            for u in try await database.withStore({ try await $0.users() }) {
                print("\(u.name)\t\(u.role)\(u.disabledAt.map { "\tdisabled \($0)" } ?? "")\(u.lockedUntil.map { "\tlocked until \($0)" } ?? "")")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and revoke its sessions.")
        @Argument var name: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await database.withStore { store in
                guard var user = try await store.user(named: name) else { throw StoreError.unknownUser(name) }
                user.disabledAt = Timestamps.string(Date())
                try await store.updateUser(user)
                try await Sessions(store: store).revokeAll(of: name)
            }
            print("disabled \(name); its sessions are revoked")
        }
    }
}
