public import Foundation
public import HubStore
public import LinkCrypto
import Tokenisation

/// Agency requests are authenticated by an Ed25519 signature with the agency's registered signing
/// key over the method, path, agency, a timestamp, a nonce and the body's SHA-256. The hub refuses
/// a timestamp outside its window and a nonce the agency has used before (a replay).
///
/// Headers: `Mashlink-Agency`, `Mashlink-Timestamp` (`YYYY-MM-DDTHH:MM:SSZ`), `Mashlink-Nonce`
/// (16 to 64 URL-safe characters), `Mashlink-Content-SHA256` (hex) and `Mashlink-Signature`
/// (base64 of the signature over ``AgencyRequest/signedBytes``).
public struct AgencyRequest: Sendable, Hashable {
    public var method: String
    /// The path with its query string, as sent.
    public var path: String
    public var agency: String
    public var timestamp: String
    public var nonce: String
    /// SHA-256 (hex) of the body (of the empty string when there is none).
    public var contentSHA256: String

    /// Header names.
    public enum Header {
        public static let agency = "Mashlink-Agency", timestamp = "Mashlink-Timestamp", nonce = "Mashlink-Nonce"
        public static let contentSHA256 = "Mashlink-Content-SHA256", signature = "Mashlink-Signature"
    }

    /// Makes a request description.
    public init(method: String, path: String, agency: String, timestamp: String, nonce: String, contentSHA256: String) {
        self.method = method
        self.path = path
        self.agency = agency
        self.timestamp = timestamp
        self.nonce = nonce
        self.contentSHA256 = contentSHA256
    }

    /// What is signed: a fixed label and the fields, one per line.
    public var signedBytes: [UInt8] {
        Array(["mashlink-agency-request-v1", method.uppercased(), path, agency, timestamp, nonce, contentSHA256.lowercased()].joined(separator: "\n").utf8)
    }

    /// Signs a request for `body` now: the headers to send.
    public static func sign(
        method: String, path: String, agency: String, body: some Collection<UInt8>, key: Ed25519.PrivateKey, date: Date = Date()
    ) -> [String: String] {
        let request = AgencyRequest(
            method: method, path: path, agency: agency, timestamp: Timestamps.string(date), nonce: Sessions.randomToken(),
            contentSHA256: Hex.encode(SHA256.hash(body)))
        return request.headers(signature: key.signature(for: request.signedBytes))
    }

    /// The headers carrying this request and `signature`.
    public func headers(signature: [UInt8]) -> [String: String] {
        [Header.agency: agency, Header.timestamp: timestamp, Header.nonce: nonce, Header.contentSHA256: contentSHA256,
         Header.signature: Data(signature).base64EncodedString()]
    }
}

/// Verifies agency requests against the store's registered keys and nonces.
public struct AgencyRequestVerifier: Sendable {
    /// How far a request's timestamp may be from the hub's clock.
    public var window: TimeInterval = 300
    let store: any HubStore
    let clock: @Sendable () -> Date

    /// Makes a verifier over `store`.
    public init(store: any HubStore, clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.clock = clock
    }

    /// Checks `headers` for a request with `method` and `path`, before its body is read: the
    /// agency, the timestamp window, the signature over the claimed body digest, and the nonce
    /// (recorded, so a replay is refused). The caller must then check the body hashes to the
    /// returned request's `contentSHA256`. Returns the verified request.
    public func verify(method: String, path: String, headers: (String) -> String?) async throws(WorkflowError) -> AgencyRequest {
        typealias H = AgencyRequest.Header
        guard let agency = headers(H.agency), let timestamp = headers(H.timestamp), let nonce = headers(H.nonce),
              let digest = headers(H.contentSHA256), let signature = headers(H.signature).flatMap({ Data(base64Encoded: $0) })
        else { throw .agencyRequestRefused("it must carry the \(H.agency), \(H.timestamp), \(H.nonce), \(H.contentSHA256) and \(H.signature) headers") }
        guard (16...64).contains(nonce.count), nonce.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw .agencyRequestRefused("the nonce must be 16 to 64 URL-safe characters")
        }
        guard digest.count == 64, digest.allSatisfy(\.isHexDigit) else { throw .agencyRequestRefused("the content digest must be 64 hex digits") }
        let now = clock()
        guard let sent = Timestamps.date(timestamp) else { throw .agencyRequestRefused("the timestamp must be of the form YYYY-MM-DDTHH:MM:SSZ") }
        guard abs(sent.timeIntervalSince(now)) <= window else {
            throw .agencyRequestRefused("its timestamp is more than \(Int(window)) seconds from the hub's clock: check the agency machine's clock (NTP) and send a fresh request")
        }
        let agencies: [RegisteredAgency]
        do { agencies = try await store.agencies() } catch { throw .store(error) }
        guard let registered = agencies.first(where: { $0.name == agency }) else {
            throw .agencyRequestRefused("agency '\(agency)' is not registered at this hub")
        }
        let request = AgencyRequest(method: method, path: path, agency: agency, timestamp: timestamp, nonce: nonce, contentSHA256: digest.lowercased())
        guard registered.signingKey.isValidSignature(Array(signature), for: request.signedBytes) else {
            throw .agencyRequestRefused("the signature does not verify under the agency's registered signing key: sign with the key registered for '\(agency)'")
        }
        let fresh: Bool
        do {
            fresh = try await store.useNonce(
                agency: agency, nonce: nonce, seenAt: Timestamps.string(now), forgetBefore: Timestamps.string(now.addingTimeInterval(-2 * window)))
        } catch { throw .store(error) }
        guard fresh else { throw .agencyRequestRefused("its nonce was used before: this is a replay; send a new request with a new nonce") }
        return request
    }
}
