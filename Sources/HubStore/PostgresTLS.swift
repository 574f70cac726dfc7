import Foundation
import NIOSSL
import Logging
import PostgresNIO

/// How the PostgreSQL store secures its connections, from the URL's `sslmode` (and `sslrootcert`)
/// query parameters, as libpq names them:
///
/// - `disable`: no TLS. The default only for a server on the loopback interface.
/// - `require`: TLS, without checking the server's certificate (encrypts against a passive
///   listener, not an active one; for a network you control).
/// - `verify-full` (the default for any other host): TLS, the certificate checked against the
///   system's trust roots or the CA file in `sslrootcert`, and the host name against it.
enum PostgresTLS: Equatable {
    case disable
    case require
    case verifyFull(rootCertificate: String?)

    static let loopback: Set<String> = ["localhost", "127.0.0.1", "::1", "[::1]"]

    /// The mode the URL asks for (or the default for its host).
    static func mode(host: String, query: [URLQueryItem]) throws(StoreError) -> PostgresTLS {
        let mode = query.first { $0.name == "sslmode" }?.value
        let root = query.first { $0.name == "sslrootcert" }?.value
        switch mode {
        case nil: return loopback.contains(host) ? .disable : .verifyFull(rootCertificate: root)
        case "disable": return .disable
        case "require": return .require
        case "verify-full": return .verifyFull(rootCertificate: root)
        case let other?:
            throw .invalidTLS("sslmode=\(other) is not one mashlink knows; use disable, require or verify-full")
        }
    }

    /// The client TLS configuration, or nil for none.
    func tlsConfiguration() throws(StoreError) -> TLSConfiguration? {
        switch self {
        case .disable:
            return nil
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return tls
        case .verifyFull(let root):
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .fullVerification
            if let root {
                guard FileManager.default.isReadableFile(atPath: root) else {
                    throw .invalidTLS("sslrootcert=\(root) cannot be read; give the path of the CA certificate (PEM) that signed the server's")
                }
                tls.trustRoots = .file(root)
            }
            return tls
        }
    }

    /// postgres-nio's setting for this mode.
    func configuration() throws(StoreError) -> PostgresClient.Configuration.TLS {
        try tlsConfiguration().map { .require($0) } ?? .disable
    }
}

extension PostgresTLS {
    /// Opens and closes one connection with these settings (10-second timeout), so a wrong host,
    /// password or certificate fails at once with a clear message instead of the pool retrying.
    func probe(host: String, port: Int, username: String, password: String?, database: String, logger: Logger) async throws(StoreError) {
        let tls: PostgresConnection.Configuration.TLS
        do {
            if let config = try tlsConfiguration() { tls = .require(try NIOSSLContext(configuration: config)) } else { tls = .disable }
        } catch let error as StoreError { throw error } catch {
            throw .invalidTLS("the TLS settings could not be loaded (\(error))")
        }
        let configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            let why = error.serverInfo?[.message] ?? error.underlying.map { String(describing: $0) } ?? "\(error.code)"
            throw .unreachable("\(host):\(port): \(why)")
        } catch {
            throw .unreachable("\(host):\(port): \(error)")
        }
    }
}
