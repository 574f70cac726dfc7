import Foundation
public import Tokenisation

/// One disclosure-log entry: a workflow decision or a release, with no identifier in it. Subjects
/// appear only as agency record references (opaque HMACs the agency alone can resolve); people as
/// their hub user names.
///
/// An entry's bytes are its canonical JSON (keys sorted, no white space, absent fields left out),
/// and those bytes are the Merkle leaf, so an auditor checks the exact bytes the hub logged.
public struct LogEntry: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case referralReceived = "referral.received"
        case referralMatched = "referral.matched"
        case thresholdProposed = "threshold.proposed"
        case thresholdConfirmed = "threshold.confirmed"
        case thresholdRejected = "threshold.rejected"
        case linkConfirmed = "link.confirmed"
        case linkRejected = "link.rejected"
        /// A release decided and logged: written, and durable, before anything is decrypted.
        case releaseLogged = "release.logged"
        /// The logged release's payloads were opened and handed over.
        case releaseCompleted = "release.completed"
        /// A logged release that was never completed (for example the hub stopped in between) was voided.
        case releaseVoided = "release.voided"
        case outcomeRecorded = "outcome.recorded"
        case referralClosed = "referral.closed"
    }

    /// Entry format version.
    public var v = 1
    public var kind: Kind
    /// The referral this is about.
    public var referral: String
    /// When (ISO 8601, UTC).
    public var at: String
    /// The hub user who acted.
    public var user: String?
    public var threshold: Threshold?
    public var lawfulBasis: String?
    /// The agency and record reference a link decision or release is about.
    public var agency: String?
    public var record: String?
    /// The batch the record came in.
    public var batch: String?
    /// The record's age band, where a threshold is checked against it.
    public var ageBand: AgeBand?
    /// Payload tiers released.
    public var tiers: [PayloadTier]?
    /// SHA-256 (hex) of each released tier's sealed payload, so the agency can tell exactly what was opened.
    public var payloadDigests: [String: String]?
    /// Who proposed and who confirmed the threshold a release rests on.
    public var proposedBy: String?
    public var confirmedBy: String?
    /// Ties a release's logged, completed and voided entries together.
    public var release: String?
    /// A recorded reason (an age-band mismatch, a rejection, a void) or an outcome. Staff write it;
    /// the console tells them never to put a name or other identifier in it.
    public var reason: String?

    /// Makes an entry; `at` defaults to now.
    public init(kind: Kind, referral: String, at: String = LogEntry.now(), user: String? = nil) {
        self.kind = kind
        self.referral = referral
        self.at = at
        self.user = user
    }

    /// The time now, as entries record it.
    public static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }

    /// The canonical bytes: sorted keys, no white space, absent fields omitted.
    public var canonicalBytes: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and enums always encode.
        return Array(try! encoder.encode(self))
    }

    /// Decodes canonical bytes; refuses bytes that are not exactly the canonical form of what
    /// they decode to, so one entry has one encoding.
    public init(canonical bytes: some Collection<UInt8>) throws(DisclosureError) {
        let data = Data(bytes)
        do { self = try JSONDecoder().decode(LogEntry.self, from: data) } catch {
            throw .malformedEntry("it is not a disclosure-log entry")
        }
        guard canonicalBytes == Array(data) else { throw .malformedEntry("it is not in canonical form") }
    }
}
