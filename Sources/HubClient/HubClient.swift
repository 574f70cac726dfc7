public import AsyncHTTPClient
public import Disclosure
import Foundation
public import LinkCrypto
import Workflow

/// A client of the hub's HTTP API (AsyncHTTPClient): JSON for staff with a session token, signed
/// requests for agencies. What the demo, the load benchmark and `mashlink-audit export --hub` use.
public struct HubClient: Sendable {
    /// The hub's base URL, e.g. `https://mash-hub.example.org`.
    public let base: String
    let http: HTTPClient

    /// Makes a client of `base` over `http` (the shared client unless given).
    public init(base: String, http: HTTPClient = .shared) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.http = http
    }

    /// A response: its status, its body, and the body as a JSON object when it is one.
    public struct Reply: @unchecked Sendable {
        // `json` holds only what JSONSerialization makes (immutable Foundation values).
        public let status: Int
        public let text: String
        public let json: [String: Any]

        /// Throws unless the status is `code`, saying what failed and the hub's message.
        @discardableResult
        public func expect(_ code: Int, _ what: String) throws(HubClientError) -> Reply {
            guard status == code else { throw HubClientError("\(what) failed with HTTP \(status): \(text)") }
            return self
        }
    }

    /// Sends a request: with `token` as a staff session, with `agency` signed by that agency's key.
    public func send(
        _ method: String, _ path: String, token: String? = nil, json: [String: String]? = nil, agency: (name: String, key: Ed25519.PrivateKey)? = nil,
        body: [UInt8] = [], timeout: Int64 = 120
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        var payload = body
        if let json {
            payload = Array(try JSONSerialization.data(withJSONObject: json))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let agency {
            for (k, v) in AgencyRequest.sign(method: method, path: path, agency: agency.name, body: payload, key: agency.key) { request.headers.add(name: k, value: v) }
        }
        if !payload.isEmpty { request.body = .bytes(payload) }
        let response = try await http.execute(request, timeout: .seconds(timeout))
        let buffer = try await response.body.collect(upTo: 256 << 20)
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return Reply(status: Int(response.status.code), text: text, json: object)
    }

    /// Logs in; returns the session token.
    public func login(_ name: String, password: String) async throws -> String {
        let r = try await send("POST", "/api/v1/sessions", json: ["name": name, "password": password])
        try r.expect(201, "logging in as \(name)")
        guard let token = r.json["token"] as? String else { throw HubClientError("the hub's login answer holds no token") }
        return token
    }

    /// The disclosure log as a DPO exports it through the hub: the latest checkpoint first, then
    /// exactly the entries it covers (so entries appended meanwhile are not half-included).
    public func logExport(token: String) async throws -> LogExport {
        let checkpoint = try await send("GET", "/api/v1/log/checkpoint", token: token)
        try checkpoint.expect(200, "reading the checkpoint")
        let lines = checkpoint.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 2, let size = Int(lines[1]) else { throw HubClientError("the hub's checkpoint is not a signed tree head") }
        var entries: [[UInt8]] = []
        while entries.count < size {
            let page = try await send("GET", "/api/v1/log/entries?from=\(entries.count)&limit=\(min(10_000, size - entries.count))", token: token)
            try page.expect(200, "reading log entries")
            let rows = page.json["entries"] as? [[String: Any]] ?? []
            guard !rows.isEmpty else { throw HubClientError("the hub returned no entries from \(entries.count) though its checkpoint covers \(size)") }
            for row in rows {
                guard let text = row["entry"] as? String, row["index"] as? Int == entries.count else { throw HubClientError("the hub returned entries out of order") }
                entries.append(Array(text.utf8))
            }
        }
        return LogExport(entries: Array(entries.prefix(size)), checkpoint: checkpoint.text)
    }
}

/// Why a hub request failed.
public struct HubClientError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
