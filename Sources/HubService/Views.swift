import Disclosure
import Foundation
import Hummingbird
import HubStore
import Workflow

/// JSON in and out.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func response(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: BasicRequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        if T.self == EmptyBody.self, buffer.readableBytes == 0 { return EmptyBody() as! T }
        do { return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView)) } catch {
            throw WorkflowError.badRequest("the body is not the JSON this route takes (see docs/api.md)")
        }
    }
}

/// How refusals map to HTTP statuses.
enum HTTPMapping {
    static func status(for error: any Error) -> (HTTPResponse.Status, String) {
        switch error {
        case let e as WorkflowError: (status(e), e.description)
        case let e as StoreError: (status(e), e.description)
        case let e as HTTPError: (e.status, e.body ?? "the request was refused")
        default: (.internalServerError, "the hub failed; an operator can find the cause in the hub's log")
        }
    }

    static func status(_ e: WorkflowError) -> HTTPResponse.Status {
        switch e {
        case .loginFailed, .notAuthenticated, .agencyRequestRefused: .unauthorized
        case .locked: .tooManyRequests
        case .forbidden, .notAssigned, .badCSRF, .fourEyes: .forbidden
        case .weakPassword, .badRequest: .badRequest
        case .notFound: .notFound
        case .invalidTransition: .conflict
        case .ageBandMismatch, .releaseRefused: .unprocessableContent
        case .store(let s): status(s)
        case .disclosure(.store(let s)): status(s)
        case .disclosure(.refused): .unprocessableContent
        case .linking(.notLinkedYet): .conflict
        case .linking(.store(let s)): status(s)
        case .disclosure, .linking, .crypto: .internalServerError
        }
    }

    static func status(_ e: StoreError) -> HTTPResponse.Status {
        switch e {
        case .unknownAgency, .invalidBatch, .wrongLinkageKey: .unprocessableContent
        case .replayedBatch, .agencyExists, .userExists, .referralStale, .linkRunStale, .logAppendStale: .conflict
        case .unknownUser: .notFound
        default: .internalServerError
        }
    }
}

struct EmptyBody: Codable, Sendable {}
struct LoginBody: Codable, Sendable { var name: String, password: String }
struct AssignBody: Codable, Sendable { var user: String }
struct ProposeBody: Codable, Sendable { var threshold: String, reason: String? }
struct ReasonBody: Codable, Sendable { var reason: String? }
struct LinkDecisionBody: Codable, Sendable { var decision: String }
struct OutcomeBody: Codable, Sendable { var outcome: String }

struct SessionView: Codable, Sendable { var token, csrfToken, user, role, expiresAt: String }

/// A referral as the API shows it: the workflow document and whether its decision is overdue.
struct ReferralView: Codable, Sendable {
    var referral: Referral
    var overdue: Bool
    init(_ r: Referral, now: String) {
        referral = r
        overdue = r.isOverdue(at: now)
    }
}

struct ReleasedView: Codable, Sendable {
    var release, agency, reference: String
    var tiers: [String: String]
    init(_ r: ReleasedInformation) {
        release = r.release
        agency = r.agency
        reference = r.reference
        tiers = Dictionary(uniqueKeysWithValues: r.tiers.map { ($0.key.rawValue, $0.value) })
    }
}

struct WithheldView: Codable, Sendable { var reference: String, reasons: [String] }
struct ReleaseView: Codable, Sendable {
    var referral: ReferralView
    var released: [ReleasedView]
    var withheld: [WithheldView]
}

struct BatchReceiptView: Codable, Sendable {
    var batchID, agency: String
    var records: Int
    var superseded: String?
}

struct ReceiptListing: Codable, Sendable {
    var index: UInt64
    var kind: String
    var release: String?
    var referral, at: String
}

struct ReceiptsView: Codable, Sendable {
    var receipts: [ReceiptListing]
    /// Where the next page starts, when this one is full.
    var next: UInt64?
}

struct OperationsView: Codable, Sendable {
    struct Agency: Codable, Sendable { var name, signingKeyID: String }
    struct Batch: Codable, Sendable {
        var batchID, agency: String
        var records: Int
        var status, linkageKeyID, ingestedAt: String
    }
    var backend: String
    var schemaVersion: Int
    var agencies: [Agency]
    var batches: [Batch]
    var logSize: UInt64
    var logOrigin, checkpoint: String
}

struct LinkRunView: Codable, Sendable { var records, candidatePairs, matches, possibles: Int }
struct LogEntryView: Codable, Sendable {
    var index: UInt64
    var entry: String
}
