import Foundation
import Logging
import PostgresNIO
import Testing
@testable import HubStore

extension StoreTests {
    @Suite("PostgreSQL over TLS")
    struct PostgresTLSTests {
        static let ca = ProcessInfo.processInfo.environment["MASHLINK_TEST_POSTGRES_CA"]

        @Test("sslmode is read from the URL: loopback defaults to no TLS, any other host to verify-full; unknown modes and unreadable CAs are refused")
        func modes() throws {
            #expect(try PostgresTLS.mode(host: "127.0.0.1", query: []) == .disable)
            #expect(try PostgresTLS.mode(host: "db.mash.example", query: []) == .verifyFull(rootCertificate: nil))
            #expect(try PostgresTLS.mode(host: "localhost", query: [URLQueryItem(name: "sslmode", value: "require")]) == .require)
            #expect(throws: StoreError.self) { try PostgresTLS.mode(host: "db", query: [URLQueryItem(name: "sslmode", value: "prefer")]) }
            #expect(throws: StoreError.self) { try PostgresTLS.verifyFull(rootCertificate: "/nonexistent/ca.pem").configuration() }
        }

        @Test("verify-full with the server's CA connects encrypted and the store works; a CA that did not sign the server's certificate is refused")
        func verifyFull() async throws {
            guard let url = Backends.postgresURL, let ca = Self.ca else {
                print("⚠️  HubStore: PostgreSQL TLS tests SKIPPED — set MASHLINK_TEST_POSTGRES_URL and MASHLINK_TEST_POSTGRES_CA (CI sets both)")
                return
            }
            try await PostgresReset.dropAll(url)
            let secured = url + "?sslmode=verify-full&sslrootcert=" + ca
            let store = try await HubStores.open(secured)
            #expect(try await store.schemaVersion() == Schema.currentVersion)
            #expect(try await store.check().isConsistent)
            await store.close()
            // The session the store's settings make is encrypted, as the server sees it.
            let parts = URLComponents(string: url)!
            let client = PostgresClient(configuration: .init(
                host: parts.host!, port: parts.port ?? 5432, username: parts.user!, password: parts.password,
                database: String(parts.path.dropFirst()), tls: try PostgresTLS.verifyFull(rootCertificate: ca).configuration()))
            let runner = Task { await client.run() }
            var encrypted = false
            for try await ssl in try await client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").decode(Bool.self) { encrypted = ssl }
            runner.cancel()
            #expect(encrypted)
            // The system's public roots did not sign the CI server's certificate.
            do {
                let wrong = try await HubStores.open(url + "?sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt")
                await wrong.close()
                Issue.record("a server certificate from an untrusted CA was accepted")
            } catch {
                #expect(!error.description.contains("mashlink-ci-only"), "no password in the message")
            }
        }
    }
}
