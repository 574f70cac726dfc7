import Disclosure
import Foundation
import HTTPTypes
import Hummingbird
import HubStore
import Mustache
import Tokenisation
import Workflow

/// The web console: server-rendered HTML (Mustache templates, every value escaped), working
/// without JavaScript. A session is a cookie (HttpOnly, Secure, SameSite=Strict); every form
/// carries the session's CSRF token, checked against the hash the store keeps. The security
/// headers (a strict Content-Security-Policy among them) come from ``SecurityHeadersMiddleware``.
public struct Console: Sendable {
    static let sessionCookie = "mashlink_session", csrfCookie = "mashlink_csrf"
    /// The name of the cookie carrying the session's CSRF token (what forms must echo).
    public static let csrfName = csrfCookie
    let library: MustacheLibrary
    let handler: Handler
    var s: HubServices { handler.services }

    init(handler: Handler) async throws {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Console").path else {
            throw WorkflowError.badRequest("the console's templates are missing from the build")
        }
        library = try await MustacheLibrary(directory: directory)
        self.handler = handler
    }

    static var stylesheet: String {
        get throws {
            guard let url = Bundle.module.resourceURL?.appendingPathComponent("Console/style.css") else { return "" }
            return try String(contentsOf: url, encoding: .utf8)
        }
    }

    func add(to router: Router<BasicRequestContext>) throws {
        let css = try Self.stylesheet
        let console = router.group("console")
        console.get("style.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: css)))
        }
        console.get("login") { _, _ in try render("login", Only(page: Page(title: "Log in")), status: .ok) }
        console.post("login") { request, context in try await login(request, context) }
        console.post("logout") { request, context in
            try await page(request, context, form: true) { p, _, _ in
                try await s.sessions.logout(p)
                var r = redirect("/console/login")
                r.setCookie(Self.expired(Self.sessionCookie))
                r.setCookie(Self.expired(Self.csrfCookie))
                return r
            }
        }
        console.get { request, context in
            try await page(request, context) { p, page, _ in
                switch p.role {
                case .practitioner, .manager: return try await referrals(p, page)
                case .operator: return redirect("/console/operations")
                case .dpo: return redirect("/console/log")
                }
            }
        }
        console.get("referrals/:id") { request, context in
            try await page(request, context) { p, page, _ in try await referral(try context.parameters.require("id"), p, page) }
        }
        for action in ["assign", "propose", "confirm", "reject", "release", "outcome", "close"] {
            console.post("referrals/:id/\(action)") { request, context in
                try await page(request, context, form: true) { p, page, form in
                    let id = try context.parameters.require("id")
                    return try await step(id, p, page) { try await perform(action, id: id, form: form, principal: p) }
                }
            }
        }
        console.post("referrals/:id/links/:record") { request, context in
            try await page(request, context, form: true) { p, page, form in
                let id = try context.parameters.require("id")
                guard let record = context.parameters.get("record", as: Int64.self), let decision = form["decision"], ["confirm", "reject"].contains(decision) else {
                    throw WorkflowError.badRequest("a link decision is confirm or reject")
                }
                return try await step(id, p, page) {
                    try await s.workflow.perform(.decideLink(recordID: record, confirm: decision == "confirm"), on: id, by: p)
                    return "link-\(decision)ed"
                }
            }
        }
        console.get("referrals/:id/released") { request, context in
            try await page(request, context) { p, page, _ in
                let id = try context.parameters.require("id")
                let info = try await s.workflow.releasedInformation(id, for: p)
                var page = page
                page.title = "Released information"
                return try render("released", ReleasedPage(
                    page: page, id: id,
                    released: info.map { r in
                        .init(agency: r.agency, shortReference: String(r.reference.prefix(12)),
                              tiers: r.tiers.sorted { $0.key < $1.key }.map { .init(tier: Threshold.tierTitle($0.key), text: $0.value) })
                    }), status: .ok)
            }
        }
        console.get("operations") { request, context in
            try await page(request, context) { p, page, _ in
                guard Access.allows(p.role, .viewOperations) else { throw WorkflowError.forbidden(p.role, .viewOperations) }
                let batches = try await s.store.batches()
                var page = page
                page.title = "Operations"
                return try render("operations", OperationsPage(
                    page: page, backend: s.store.backend.rawValue, schemaVersion: try await s.store.schemaVersion(), logSize: await s.log.size,
                    agencies: try await s.store.agencies().map { .init(name: $0.name, signingKeyID: $0.signingKey.keyID) },
                    batches: batches.map { .init(batchID: $0.batchID, agency: $0.agency, records: $0.recordCount, status: $0.status.rawValue, linkageKeyID: $0.linkageKeyID, ingestedAt: $0.ingestedAt) }), status: .ok)
            }
        }
        console.get("log") { request, context in
            try await page(request, context) { p, page, _ in
                guard Access.allows(p.role, .viewLog) else { throw WorkflowError.forbidden(p.role, .viewLog) }
                let size = await s.log.size
                let from = size > 50 ? size - 50 : 0
                let entries = try await s.log.entries(from: from, limit: 50)
                var page = page
                page.title = "Disclosure log"
                return try render("log", LogPage(
                    page: page, origin: s.log.origin, size: size, verifierKey: s.log.verifierKey, checkpoint: await s.log.checkpoint,
                    from: from, to: size == 0 ? 0 : size - 1,
                    entries: entries.reversed().map { .init(index: $0.index, at: $0.entry.at, kind: $0.entry.kind.rawValue, referral: $0.entry.referral, user: $0.entry.user ?? "") }), status: .ok)
            }
        }
    }

    // MARK: Pages

    func referrals(_ p: Sessions.Principal, _ page: Page) async throws -> Response {
        let list = try await s.workflow.referrals(for: p)
        let now = s.workflow.now
        let rows = list.map { ReferralRowView($0, now: now) }
        let awaiting = p.role == .manager ? list.filter { $0.state == .proposed && $0.proposal?.user != p.user }.map { ReferralRowView($0, now: now) } : []
        var page = page
        page.title = p.role == .manager ? "Referrals" : "My referrals"
        return try render("referrals", ReferralsPage(
            page: page, listTitle: p.role == .manager ? "All referrals" : "Assigned to you", referrals: rows, hasReferrals: !rows.isEmpty,
            awaiting: awaiting, hasAwaiting: !awaiting.isEmpty), status: .ok)
    }

    func referral(_ id: String, _ p: Sessions.Principal, _ page: Page, status: HTTPResponse.Status = .ok) async throws -> Response {
        let r = try await s.workflow.referral(id, for: p)
        let practitioners = p.role == .manager ? try await s.store.users().filter { $0.role == Role.practitioner.rawValue && $0.disabledAt == nil }.map(\.name) : []
        var page = page
        page.title = "Referral \(r.id.prefix(8))"
        func allowed(_ action: ReferralAction) -> Bool { Access.allows(p.role, action.capability) && ReferralMachine.allowedStates(for: action).contains(r.state) }
        let decidable = allowed(.decideLink(recordID: 0, confirm: true))
        return try render("referral", ReferralPage(
            page: page, id: r.id, priority: r.priority.rawValue, state: r.state.rawValue, agency: r.agency, receivedAt: r.receivedAt, dueAt: r.dueAt,
            overdue: r.isOverdue(at: s.workflow.now), ageBand: r.ageBand?.rawValue ?? "unknown", assignee: r.assignee,
            proposal: r.proposal.map(DecisionView.init), confirmation: r.confirmation.map(DecisionView.init), rejection: r.rejection.map(DecisionView.init),
            outcome: r.outcome,
            matches: r.matches.map { MatchView($0, canDecide: decidable) },
            canPropose: allowed(.propose(.none, reason: nil)),
            thresholds: Threshold.allCases.map { .init(value: $0.rawValue, title: $0.policy.title) },
            canDecide: allowed(.confirm(reason: nil)) && r.proposal?.user != p.user, proposedTitle: r.proposal?.threshold.policy.title ?? "",
            canAssign: allowed(.assign(to: "")), practitioners: practitioners,
            canRelease: Access.allows(p.role, .release) && [.confirmed, .released].contains(r.state) && !(r.confirmation?.threshold.policy.tiers.isEmpty ?? true),
            confirmedTitle: r.confirmation?.threshold.policy.title ?? "",
            releases: r.releases.map { .init(agency: $0.agency, shortReference: String($0.reference.prefix(12)), tiers: $0.tiers.map(\.rawValue).joined(separator: ", "), at: $0.at, completed: $0.completed) },
            hasReleases: !r.releases.isEmpty, canRead: Access.allows(p.role, .readReleased),
            canOutcome: allowed(.recordOutcome("")), canClose: allowed(.close),
            history: r.history.map { .init(at: $0.at, what: $0.note ?? $0.state.rawValue.replacingOccurrences(of: "_", with: " "), user: $0.user) }), status: status)
    }

    /// A form step on referral `id`: on success back to the referral with `body`'s notice (post,
    /// redirect, get); refused, the referral again with the reason and the refusal's status.
    func step(_ id: String, _ p: Sessions.Principal, _ page: Page, _ body: () async throws -> String) async throws -> Response {
        do {
            let notice = try await body()
            return redirect("/console/referrals/\(id)?notice=\(notice)")
        } catch let error as WorkflowError {
            var page = page
            page.error = error.description
            return try await referral(id, p, page, status: HTTPMapping.status(error))
        }
    }

    func perform(_ action: String, id: String, form: [String: String], principal p: Sessions.Principal) async throws -> String {
        switch action {
        case "assign": try await s.workflow.perform(.assign(to: form["user"] ?? ""), on: id, by: p)
        case "propose":
            guard let t = Threshold(rawValue: form["threshold"] ?? "") else { throw WorkflowError.badRequest("choose a threshold") }
            try await s.workflow.perform(.propose(t, reason: form["reason"]), on: id, by: p)
        case "confirm": try await s.workflow.perform(.confirm(reason: form["reason"]), on: id, by: p)
        case "reject": try await s.workflow.perform(.reject(reason: form["reason"] ?? ""), on: id, by: p)
        case "release":
            let outcome = try await s.workflow.release(id, by: p)
            return "released-\(outcome.released.count)-withheld-\(outcome.withheld.count)"
        case "outcome": try await s.workflow.perform(.recordOutcome(form["outcome"] ?? ""), on: id, by: p)
        case "close": try await s.workflow.perform(.close, on: id, by: p)
        default: throw WorkflowError.notFound("that action")
        }
        return "\(action)-done"
    }

    // MARK: Sessions, forms, rendering

    func login(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let form = try await Self.form(request)
        do {
            let issued = try await s.sessions.login(name: form["name"] ?? "", password: form["password"] ?? "")
            var r = redirect("/console")
            r.setCookie(Cookie(name: Self.sessionCookie, value: issued.token, maxAge: Int(s.sessions.lifetime), path: "/", secure: true, httpOnly: true, sameSite: .strict))
            r.setCookie(Cookie(name: Self.csrfCookie, value: issued.csrfToken, maxAge: Int(s.sessions.lifetime), path: "/console", secure: true, httpOnly: true, sameSite: .strict))
            return r
        } catch {
            return try render("login", Only(page: Page(title: "Log in", error: error.description)), status: HTTPMapping.status(error))
        }
    }

    /// A console page: the session from its cookie (else to the login page), the CSRF token for
    /// forms (and, for a form post, checked), then `body`.
    func page(
        _ request: Request, _ context: BasicRequestContext, form: Bool = false,
        _ body: (Sessions.Principal, Page, [String: String]) async throws -> Response
    ) async throws -> Response {
        handler.requests.increment()
        guard let token = request.cookies[Self.sessionCookie]?.value, let p = try? await s.sessions.authenticate(token: token) else {
            return redirect("/console/login")
        }
        let csrf = request.cookies[Self.csrfCookie]?.value
        guard p.acceptsCSRF(csrf) else {
            // A session without its CSRF cookie (or with another's) is not trusted for anything.
            return redirect("/console/login")
        }
        var posted: [String: String] = [:]
        if form {
            posted = try await Self.form(request)
            guard p.acceptsCSRF(posted["csrf"]) else { return try render("error", Only(page: Page(title: "Refused", error: WorkflowError.badCSRF.description)), status: .forbidden) }
        }
        var page = Page(title: "", user: p.user, role: p.role.rawValue, csrf: csrf)
        page.notice = request.uri.queryParameters.get("notice").map { $0.replacingOccurrences(of: "-", with: " ") }
        do { return try await body(p, page, posted) } catch {
            let (status, message) = HTTPMapping.status(for: error)
            if status.code >= 500 { handler.failures.increment() } else { handler.refusals.increment() }
            page.title = "Refused"
            page.error = message
            return try render("error", Only(page: page), status: status)
        }
    }

    /// A form body (urlencoded); a request's body can be read once.
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        var out: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let k = kv.first { out[k] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }

    func render(_ template: String, _ object: Any, status: HTTPResponse.Status) throws -> Response {
        guard let html = library.render(object, withTemplate: template) else { throw WorkflowError.badRequest("no page '\(template)'") }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }

    static func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: name == sessionCookie ? "/" : "/console", secure: true, httpOnly: true, sameSite: .strict)
    }
}

extension Threshold {
    static func tierTitle(_ tier: PayloadTier) -> String {
        switch tier {
        case .cin: "Child in Need information"
        case .cp: "Child Protection information"
        case .s42: "Adult safeguarding information"
        }
    }
}

// MARK: View models (what the templates see: no identifier anywhere)

struct Page {
    var title: String
    var user: String?
    var role: String?
    var csrf: String?
    var notice: String?
    var error: String?

    init(title: String, user: String? = nil, role: String? = nil, csrf: String? = nil, error: String? = nil) {
        self.title = title
        self.user = user
        self.role = role
        self.csrf = csrf
        self.error = error
    }
}

/// A page with nothing but its chrome.
struct Only {
    let page: Page
}

struct ReferralRowView {
    let id, shortID, priority, state, agency, receivedAt, dueAt: String
    let assignee: String?
    let overdue: Bool
    let proposed: String, proposedBy: String
    init(_ r: Referral, now: String) {
        id = r.id
        shortID = String(r.id.prefix(8))
        priority = r.priority.rawValue
        state = r.state.rawValue
        agency = r.agency
        receivedAt = r.receivedAt
        dueAt = r.dueAt
        assignee = r.assignee
        overdue = r.isOverdue(at: now)
        proposed = r.proposal?.threshold.policy.title ?? ""
        proposedBy = r.proposal?.user ?? ""
    }
}

struct ReferralsPage {
    let page: Page
    let listTitle: String
    let referrals: [ReferralRowView]
    let hasReferrals: Bool
    let awaiting: [ReferralRowView]
    let hasAwaiting: Bool
}

struct DecisionView {
    let title, user, at: String
    let reason: String?
    init(_ d: ThresholdDecision) {
        title = d.threshold.policy.title
        user = d.user
        at = d.at
        reason = d.reason
    }
}

struct MatchView {
    struct Line {
        let field, level, weight: String
        let value: Double
    }
    let recordID: Int64
    let agency, shortReference, band, standing, score: String
    let evidence: [Line]
    let canDecideLink, isPossible, isRejected: Bool
    init(_ m: ReferralMatch, canDecide: Bool) {
        recordID = m.recordID
        agency = m.agency
        shortReference = String(m.reference.prefix(12))
        band = m.band
        standing = m.standing == .confirmedByPerson ? "confirmed by \(m.decidedBy ?? "a person")" : m.standing == .rejected ? "rejected by \(m.decidedBy ?? "a person")" : "as scored"
        score = String(format: "%.1f", m.score)
        evidence = m.evidence.map { Line(field: $0.field, level: $0.level, weight: String(format: "%+.1f", $0.weight), value: max(-12, min(12, $0.weight))) }
        canDecideLink = canDecide
        isPossible = m.standing == .possible || m.standing == .rejected
        isRejected = m.standing == .rejected
    }
}

struct ReferralPage {
    struct Option { let value, title: String }
    struct ReleaseLine {
        let agency, shortReference, tiers, at: String
        let completed: Bool
    }
    struct Step {
        let at, what: String
        let user: String?
    }
    let page: Page
    let id, priority, state, agency, receivedAt, dueAt: String
    let overdue: Bool
    let ageBand: String
    let assignee: String?
    let proposal, confirmation, rejection: DecisionView?
    let outcome: String?
    let matches: [MatchView]
    let canPropose: Bool
    let thresholds: [Option]
    let canDecide: Bool
    let proposedTitle: String
    let canAssign: Bool
    let practitioners: [String]
    let canRelease: Bool
    let confirmedTitle: String
    let releases: [ReleaseLine]
    let hasReleases, canRead, canOutcome, canClose: Bool
    let history: [Step]
}

struct ReleasedPage {
    struct Item {
        struct Tier { let tier, text: String }
        let agency, shortReference: String
        let tiers: [Tier]
    }
    let page: Page
    let id: String
    let released: [Item]
}

struct OperationsPage {
    struct Agency { let name, signingKeyID: String }
    struct Batch {
        let batchID, agency: String
        let records: Int
        let status, linkageKeyID, ingestedAt: String
    }
    let page: Page
    let backend: String
    let schemaVersion: Int
    let logSize: UInt64
    let agencies: [Agency]
    let batches: [Batch]
}

struct LogPage {
    struct Entry {
        let index: UInt64
        let at, kind, referral, user: String
    }
    let page: Page
    let origin: String
    let size: UInt64
    let verifierKey, checkpoint: String
    let from, to: UInt64
    let entries: [Entry]
}
