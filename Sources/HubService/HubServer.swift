public import HummingbirdCore
import HummingbirdTLS
import NIOSSL

/// How the service listens: plain HTTP/1.1, or HTTPS with a certificate chain and key (PEM).
public enum HubServer {
    /// The server for `serve`: HTTPS when both `certificate` and `key` are given, HTTP otherwise.
    public static func builder(certificate: String?, key: String?) throws -> HTTPServerBuilder {
        guard let certificate, let key else { return .http1() }
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        return try .tls(.http1(), tlsConfiguration: tls)
    }
}
