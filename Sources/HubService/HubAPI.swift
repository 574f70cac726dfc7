public import Disclosure
public import Foundation
public import Hummingbird
import HubLinking
public import HubStore
import LinkCrypto
import Logging
public import Prometheus
import Tokenisation
import TransparencyLog
public import Workflow

/// Everything the service's routes use: the store, the disclosure log, the workflow, sessions and
/// agency-request verification, and the metrics registry.
public struct HubServices: Sendable {
    public let store: any HubStore
    public let log: DisclosureLog
    public let workflow: ReferralWorkflow
    public let sessions: Sessions
    public let agencyRequests: AgencyRequestVerifier
    public let metrics: PrometheusCollectorRegistry
    /// Where uploads are spooled while they are verified (deleted after).
    public let spoolDirectory: String
    /// The largest upload accepted, in bytes.
    public var maximumUpload = 4 << 30
    /// SHA-256 of the bearer token a metrics scraper (Prometheus) presents for `/metrics`, if one is
    /// configured: a scraper cannot log in, and an operator's session should not live in its config.
    public var metricsTokenDigest: [UInt8]?

    /// Makes the services.
    public init(
        store: any HubStore, log: DisclosureLog, workflow: ReferralWorkflow, sessions: Sessions, agencyRequests: AgencyRequestVerifier,
        metrics: PrometheusCollectorRegistry, spoolDirectory: String = FileManager.default.temporaryDirectory.path
    ) {
        self.store = store
        self.log = log
        self.workflow = workflow
        self.sessions = sessions
        self.agencyRequests = agencyRequests
        self.metrics = metrics
        self.spoolDirectory = spoolDirectory
    }
}

/// The hub's HTTP API (JSON over HTTP, documented in docs/api.md and docs/openapi.yaml). Routes
/// are thin: each authenticates (a session for people, a signed request for agencies), then calls
/// the workflow, which checks the role.
public enum HubAPI {
    /// Every route the API serves, as (method, path template): what docs/openapi.yaml documents.
    public static let routes: [(method: String, path: String)] = [
        ("GET", "/health"), ("GET", "/metrics"),
        ("POST", "/api/v1/sessions"), ("DELETE", "/api/v1/sessions"),
        ("POST", "/api/v1/batches"), ("POST", "/api/v1/referrals"), ("GET", "/api/v1/receipts"), ("GET", "/api/v1/receipts/{index}"),
        ("GET", "/api/v1/referrals"), ("GET", "/api/v1/referrals/{id}"),
        ("POST", "/api/v1/referrals/{id}/assign"), ("POST", "/api/v1/referrals/{id}/propose"), ("POST", "/api/v1/referrals/{id}/confirm"),
        ("POST", "/api/v1/referrals/{id}/reject"), ("POST", "/api/v1/referrals/{id}/links/{record}"), ("POST", "/api/v1/referrals/{id}/release"),
        ("GET", "/api/v1/referrals/{id}/released"), ("POST", "/api/v1/referrals/{id}/outcome"), ("POST", "/api/v1/referrals/{id}/close"),
        ("GET", "/api/v1/operations"), ("POST", "/api/v1/link"),
        ("GET", "/api/v1/log/checkpoint"), ("GET", "/api/v1/log/entries"),
    ]

    /// The router with every route, the console's included.
    public static func router(_ s: HubServices) async throws -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        func counter(_ name: String, _ help: String) -> Counter {
            s.metrics.makeCounter(descriptor: MetricNameDescriptor(namespace: "mashlink", subsystem: "http", metricName: name, unitName: "", helpText: help))
        }
        let requests = counter("requests", "HTTP requests handled")
        let refusals = counter("refusals", "HTTP requests refused (4xx)")
        let failures = counter("failures", "HTTP requests failed (5xx)")
        let handler = Handler(services: s, requests: requests, refusals: refusals, failures: failures)
        router.add(middleware: SecurityHeadersMiddleware())

        router.get("/health") { _, _ in try await handler.run { try await handler.health() } }
        router.get("/metrics") { request, _ in
            try await handler.run { () async throws -> Response in
                if !handler.isMetricsScraper(request) { _ = try await handler.person(request, .viewOperations) }
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: s.metrics.emitToBuffer())))
            }
        }

        let api = router.group("api/v1")
        api.post("sessions") { request, context in try await handler.run { try await handler.login(request, context) } }
        api.delete("sessions") { request, _ in
            try await handler.run { () async throws -> Response in
                try await s.sessions.logout(try await handler.principal(request))
                return Response(status: .noContent)
            }
        }

        // Agencies: signed requests.
        api.post("batches") { request, context in try await handler.run { try await handler.uploadBatch(request, context) } }
        api.post("referrals") { request, context in try await handler.run { try await handler.raiseReferral(request, context) } }
        api.get("receipts") { request, _ in try await handler.run { try await handler.receipts(request) } }
        api.get("receipts/:index") { request, context in try await handler.run { try await handler.receipt(request, context) } }

        // People: sessions.
        api.get("referrals") { request, _ in
            try await handler.run { () async throws -> Response in
                let principal = try await handler.principal(request)
                let list = try await s.workflow.referrals(for: principal)
                let now = s.workflow.now
                return try JSONBody.response(.ok, ["referrals": list.map { ReferralView($0, now: now) }])
            }
        }
        api.get("referrals/:id") { request, context in
            try await handler.run { () async throws -> Response in
                let principal = try await handler.principal(request)
                let r = try await s.workflow.referral(try context.parameters.require("id"), for: principal)
                return try JSONBody.response(.ok, ReferralView(r, now: s.workflow.now))
            }
        }
        api.post("referrals/:id/assign") { request, context in
            try await handler.run { try await handler.act(request, context, .assignReferral) { (b: AssignBody) in .assign(to: b.user) } }
        }
        api.post("referrals/:id/propose") { request, context in
            try await handler.run {
                try await handler.act(request, context, .proposeThreshold) { (b: ProposeBody) throws(WorkflowError) in
                    guard let t = Threshold(rawValue: b.threshold) else {
                        throw .badRequest("threshold must be one of \(Threshold.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return .propose(t, reason: b.reason)
                }
            }
        }
        api.post("referrals/:id/confirm") { request, context in
            try await handler.run { try await handler.act(request, context, .decideThreshold) { (b: ReasonBody) in .confirm(reason: b.reason) } }
        }
        api.post("referrals/:id/reject") { request, context in
            try await handler.run { try await handler.act(request, context, .decideThreshold) { (b: ReasonBody) in .reject(reason: b.reason ?? "") } }
        }
        api.post("referrals/:id/links/:record") { request, context in
            try await handler.run {
                try await handler.act(request, context, .decideLink) { (b: LinkDecisionBody) throws(WorkflowError) in
                    guard let record = context.parameters.get("record", as: Int64.self) else { throw .badRequest("the record must be a number") }
                    switch b.decision {
                    case "confirm": return .decideLink(recordID: record, confirm: true)
                    case "reject": return .decideLink(recordID: record, confirm: false)
                    default: throw .badRequest("decision must be 'confirm' or 'reject'")
                    }
                }
            }
        }
        api.post("referrals/:id/release") { request, context in try await handler.run { try await handler.release(request, context) } }
        api.get("referrals/:id/released") { request, context in
            try await handler.run { () async throws -> Response in
                let principal = try await handler.principal(request)
                let info = try await s.workflow.releasedInformation(try context.parameters.require("id"), for: principal)
                return try JSONBody.response(.ok, ["released": info.map(ReleasedView.init)])
            }
        }
        api.post("referrals/:id/outcome") { request, context in
            try await handler.run { try await handler.act(request, context, .recordOutcome) { (b: OutcomeBody) in .recordOutcome(b.outcome) } }
        }
        api.post("referrals/:id/close") { request, context in
            try await handler.run { try await handler.act(request, context, .closeReferral) { (_: EmptyBody) in .close } }
        }

        // Operators and the DPO.
        api.get("operations") { request, _ in try await handler.run { try await handler.operations(request) } }
        api.post("link") { request, _ in try await handler.run { try await handler.link(request) } }
        api.get("log/checkpoint") { request, _ in
            try await handler.run { () async throws -> Response in
                _ = try await handler.person(request, .viewLog)
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; charset=utf-8"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: await s.log.checkpoint)))
            }
        }
        api.get("log/entries") { request, _ in try await handler.run { try await handler.logEntries(request) } }
        router.get("/") { _, _ in
            var headers = HTTPFields()
            headers[.location] = "/console"
            return Response(status: .seeOther, headers: headers)
        }
        try await Console(handler: handler).add(to: router)
        return router
    }
}

/// The bearer token a metrics scraper presents for `/metrics` (`serve --metrics-token-file`).
public enum MetricsToken {
    /// Why a token file was refused.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// The shortest token accepted.
    public static let minimumLength = 32

    /// SHA-256 of the token in the file at `path` (surrounding white space ignored), for
    /// ``HubServices/metricsTokenDigest``. Only the digest is kept in memory.
    public static func digest(fromFile path: String) throws(Refusal) -> [UInt8] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Refusal(description: "cannot read the metrics token file \(path)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= minimumLength, !token.contains(where: \.isWhitespace) else {
            throw Refusal(description: "the metrics token in \(path) must be one word of at least \(minimumLength) characters: make one with `openssl rand -hex 32 > \(path)`")
        }
        return SHA256.hash(Array(token.utf8))
    }
}
