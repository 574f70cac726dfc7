import Disclosure
import Foundation
import HTTPTypes
import Hummingbird
import HubLinking
import HubStore
import LinkCrypto
import Logging
import Prometheus
import Tokenisation
import TransparencyLog
import Workflow

/// The routes' bodies: authentication, the call into the workflow or store, and the response.
struct Handler: Sendable {
    let services: HubServices
    let requests: Counter, refusals: Counter, failures: Counter
    var s: HubServices { services }

    /// Runs a route: counts it, and turns a refusal into its HTTP status with a JSON message.
    func run(_ body: () async throws -> Response) async throws -> Response {
        requests.increment()
        do {
            return try await body()
        } catch {
            let (status, message) = HTTPMapping.status(for: error)
            if status.code >= 500 { failures.increment() } else { refusals.increment() }
            var response = try JSONBody.response(status, ["error": message])
            if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"mashlink\"" }
            return response
        }
    }

    func health() async throws -> Response {
        _ = try await s.store.schemaVersion()
        return try JSONBody.response(.ok, ["status": "ok", "backend": s.store.backend.rawValue, "logSize": String(await s.log.size)])
    }

    // MARK: People

    func login(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(LoginBody.self, request, context)
        let issued = try await s.sessions.login(name: body.name, password: body.password)
        return try JSONBody.response(.created, SessionView(token: issued.token, csrfToken: issued.csrfToken, user: issued.user, role: issued.role.rawValue, expiresAt: issued.expiresAt))
    }

    /// The person behind the request's bearer token.
    func principal(_ request: Request) async throws(WorkflowError) -> Sessions.Principal {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw .notAuthenticated }
        return try await s.sessions.authenticate(token: String(header.dropFirst("Bearer ".count)))
    }

    /// True when the request carries the configured metrics scrape token (compared in constant
    /// time, by digest). Grants `/metrics` and nothing else.
    func isMetricsScraper(_ request: Request) -> Bool {
        guard let expected = s.metricsTokenDigest, let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        return ConstantTime.equal(SHA256.hash(Array(header.dropFirst("Bearer ".count).utf8)), expected)
    }

    /// The person behind the request, who must have `capability`.
    func person(_ request: Request, _ capability: Capability) async throws(WorkflowError) -> Sessions.Principal {
        let p = try await principal(request)
        guard Access.allows(p.role, capability) else { throw .forbidden(p.role, capability) }
        return p
    }

    /// A workflow step: the person, the body, the action, the referral as it became.
    func act<Body: Decodable & Sendable>(
        _ request: Request, _ context: BasicRequestContext, _ capability: Capability, _ action: (Body) throws(WorkflowError) -> ReferralAction
    ) async throws -> Response {
        // The role is checked before the body is read, so a refused person learns nothing more.
        let principal = try await person(request, capability)
        let id = try context.parameters.require("id")
        let body = try await JSONBody.decode(Body.self, request, context)
        let r = try await s.workflow.perform(try action(body), on: id, by: principal)
        return try JSONBody.response(.ok, ReferralView(r, now: s.workflow.now))
    }

    func release(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let principal = try await person(request, .release)
        let outcome = try await s.workflow.release(try context.parameters.require("id"), by: principal)
        return try JSONBody.response(.ok, ReleaseView(
            referral: ReferralView(outcome.referral, now: s.workflow.now), released: outcome.released.map(ReleasedView.init),
            withheld: outcome.withheld.map { WithheldView(reference: $0.reference, reasons: $0.reasons) }))
    }

    // MARK: Agencies

    /// Verifies an agency request's headers, spools its body to a file (hashing as it goes, never
    /// holding it in memory), checks the body is the one signed, and hands the file to `use`.
    func signedUpload<T>(
        _ request: Request, _ context: BasicRequestContext, _ use: (AgencyRequest, String) async throws -> T
    ) async throws -> T {
        let verified = try await s.agencyRequests.verify(method: request.method.rawValue, path: request.uri.description) { name in
            HTTPField.Name(name).flatMap { request.headers[$0] }
        }
        let path = (s.spoolDirectory as NSString).appendingPathComponent("mashlink-upload-\(UUID().uuidString).part")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let hasher = UploadHasher(limit: s.maximumUpload)
        try await FileIO().writeFile(contents: request.body.map { buffer in try hasher.add(buffer) }, path: path, context: context)
        guard hasher.digest() == verified.contentSHA256 else {
            throw WorkflowError.agencyRequestRefused("the body does not hash to the signed \(AgencyRequest.Header.contentSHA256): it was changed or truncated in transit; send it again")
        }
        return try await use(verified, path)
    }

    func uploadBatch(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        try await signedUpload(request, context) { verified, path in
            let peek: BatchHeader
            do { peek = try BatchHeader.read(atPath: path) } catch { throw WorkflowError.badRequest("the upload is not a batch: \(error)") }
            guard peek.agency == verified.agency else {
                throw WorkflowError.agencyRequestRefused("the batch is agency '\(peek.agency)''s but the request is signed by '\(verified.agency)'")
            }
            let receipt = try await s.store.ingest(batchAt: path)
            context.logger.info("batch ingested", metadata: ["agency": .string(receipt.agency), "records": .stringConvertible(receipt.records)])
            return try JSONBody.response(.created, BatchReceiptView(
                batchID: receipt.batchID, agency: receipt.agency, records: receipt.records, superseded: receipt.superseded))
        }
    }

    func raiseReferral(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let priorityText = request.uri.queryParameters.get("priority") ?? "amber"
        guard let priority = Priority(rawValue: priorityText) else { throw WorkflowError.badRequest("priority must be red, amber or green") }
        return try await signedUpload(request, context) { verified, path in
            let referral = try await s.workflow.receive(queryAt: path, agency: verified.agency, priority: priority)
            return try JSONBody.response(.created, ["referral": referral.id, "state": referral.state.rawValue, "dueAt": referral.dueAt])
        }
    }

    /// The agency's own release receipts: every entry of every release of its records (each such
    /// entry names the agency), listed from `from` (default 0), at most 1,000 a page.
    func receipts(_ request: Request) async throws -> Response {
        let agency = try await signedRead(request)
        let from = request.uri.queryParameters.get("from", as: UInt64.self) ?? 0
        let kinds: Set<LogEntry.Kind> = [.releaseLogged, .releaseCompleted, .releaseVoided, .releaseViewed]
        var mine: [ReceiptListing] = [], next = from
        let size = await s.log.size
        while next < size, mine.count < 1000 {
            let page = try await s.log.entries(from: next, limit: 10_000)
            guard let last = page.last else { break }
            for e in page where e.entry.agency == agency && kinds.contains(e.entry.kind) && mine.count < 1000 {
                mine.append(ReceiptListing(index: e.index, kind: e.entry.kind.rawValue, release: e.entry.release, referral: e.entry.referral, at: e.entry.at))
            }
            next = last.index + 1
        }
        return try JSONBody.response(.ok, ReceiptsView(receipts: mine, next: mine.count == 1000 ? (mine.last?.index ?? 0) + 1 : nil))
    }

    func receipt(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let agency = try await signedRead(request)
        guard let index = context.parameters.get("index", as: UInt64.self) else { throw WorkflowError.badRequest("the index must be a number") }
        // Another agency's entry, or one that is not a release's, is as invisible as a missing one.
        guard let entry = try await s.log.entries(from: index, limit: 1).first, entry.index == index, entry.entry.agency == agency, entry.entry.release != nil else {
            throw WorkflowError.notFound("receipt \(index)")
        }
        let bundle = try await s.log.receipt(for: index)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: bundle.encoded)))
    }

    /// Verifies a signed agency request with no body; returns the agency.
    func signedRead(_ request: Request) async throws -> String {
        let verified = try await s.agencyRequests.verify(method: request.method.rawValue, path: request.uri.description) { name in
            HTTPField.Name(name).flatMap { request.headers[$0] }
        }
        guard verified.contentSHA256 == Hex.encode(SHA256.hash([UInt8]())) else {
            throw WorkflowError.agencyRequestRefused("a read carries no body; sign the SHA-256 of the empty string")
        }
        return verified.agency
    }

    // MARK: Operators and the DPO

    func operations(_ request: Request) async throws -> Response {
        _ = try await person(request, .viewOperations)
        let agencies = try await s.store.agencies(), batches = try await s.store.batches()
        let checkpoint = await s.log.checkpoint, size = await s.log.size
        return try JSONBody.response(.ok, OperationsView(
            backend: s.store.backend.rawValue, schemaVersion: try await s.store.schemaVersion(),
            agencies: agencies.map { .init(name: $0.name, signingKeyID: $0.signingKey.keyID) },
            batches: batches.map {
                .init(batchID: $0.batchID, agency: $0.agency, records: $0.recordCount, status: $0.status.rawValue, linkageKeyID: $0.linkageKeyID, ingestedAt: $0.ingestedAt)
            },
            logSize: size, logOrigin: s.log.origin, checkpoint: checkpoint))
    }

    func link(_ request: Request) async throws -> Response {
        _ = try await person(request, .viewOperations)
        let summaries: [LinkRunSummary]
        do { summaries = try await StoreLinker.link(s.store) } catch { throw WorkflowError.linking(error) }
        return try JSONBody.response(.ok, ["runs": summaries.map { LinkRunView(records: $0.records, candidatePairs: $0.candidatePairs, matches: $0.matches, possibles: $0.possibles) }])
    }

    func logEntries(_ request: Request) async throws -> Response {
        _ = try await person(request, .viewLog)
        let from = request.uri.queryParameters.get("from", as: UInt64.self) ?? 0
        let limit = min(request.uri.queryParameters.get("limit", as: Int.self) ?? 1000, 10000)
        let rows = try await s.store.logEntries(from: from, limit: limit)
        return try JSONBody.response(.ok, ["entries": rows.map { LogEntryView(index: $0.index, entry: String(decoding: $0.entry, as: UTF8.self)) }])
    }
}

/// Hashes and counts an upload as it streams past, refusing one over the limit.
final class UploadHasher: @unchecked Sendable {
    // Used from one task: the upload's body is consumed in order by one writer.
    private let hasher = SHA256.Hasher()
    private var count = 0
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func add(_ buffer: ByteBuffer) throws -> ByteBuffer {
        count += buffer.readableBytes
        guard count <= limit else { throw WorkflowError.badRequest("the upload is larger than the hub's limit of \(limit) bytes") }
        hasher.update(buffer.readableBytesView)
        return buffer
    }

    func digest() -> String { Hex.encode(hasher.finalize()) }
}

/// Security headers on every response: a strict Content-Security-Policy, no sniffing, no framing,
/// no referrer, no caching of anything personal. The router's own refusals (no such route) are
/// thrown past the handlers as errors; they are turned into their responses here so that they
/// carry the headers too.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do { response = try await next(request, context) } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
