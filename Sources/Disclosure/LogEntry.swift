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
        /// A completed release's tiers were opened again for a person of the referral to read. Written
        /// before they are opened, like the release itself.
        case releaseViewed = "release.viewed"
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
    /// A referral's RAG priority (`red`, `amber`, `green`) and when its decision is due (the same
    /// time form as `at`), written when it is received so the DPO report can show timeliness.
    public var priority: String?
    public var due: String?

    /// Makes an entry; `at` defaults to now.
    public init(kind: Kind, referral: String, at: String = Timestamps.now(), user: String? = nil) {
        self.kind = kind
        self.referral = referral
        self.at = at
        self.user = user
    }

    /// The canonical bytes: JSON with keys sorted by their UTF-8 bytes, no white space, absent
    /// fields omitted, strings with only `"`, `\` and control characters escaped. Written
    /// directly (an auditor checks a million of these; JSONEncoder cost more than the rest of the
    /// audit), and decodable by any JSON reader.
    public var canonicalBytes: [UInt8] {
        var fields: [(String, JSONValue)] = [("v", .number(v)), ("kind", .string(kind.rawValue)), ("referral", .string(referral)), ("at", .string(at))]
        func add(_ key: String, _ value: String?) { if let value { fields.append((key, .string(value))) } }
        add("user", user)
        add("threshold", threshold?.rawValue)
        add("lawfulBasis", lawfulBasis)
        add("agency", agency)
        add("record", record)
        add("batch", batch)
        add("ageBand", ageBand?.rawValue)
        if let tiers { fields.append(("tiers", .strings(tiers.map(\.rawValue)))) }
        if let payloadDigests { fields.append(("payloadDigests", .object(payloadDigests))) }
        add("proposedBy", proposedBy)
        add("confirmedBy", confirmedBy)
        add("release", release)
        add("reason", reason)
        add("priority", priority)
        add("due", due)
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (n, (key, value)) in fields.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }).enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.write(key, into: &out)
            out.append(UInt8(ascii: ":"))
            value.write(into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
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

/// The few JSON shapes a log entry holds, written canonically.
enum JSONValue {
    case number(Int), string(String), strings([String]), object([String: String])

    func write(into out: inout [UInt8]) {
        switch self {
        case .number(let n): out += Array(String(n).utf8)
        case .string(let s): Self.write(s, into: &out)
        case .strings(let list):
            out.append(UInt8(ascii: "["))
            for (i, s) in list.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.write(s, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let map):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in map.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.write(k, into: &out)
                out.append(UInt8(ascii: ":"))
                Self.write(v, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string: `"` and `\` escaped, control characters as \n, \r, \t or \u00XX, all else as UTF-8.
    static func write(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out += [0x5c, 0x22]
            case 0x5c: out += [0x5c, 0x5c]
            case 0x0a: out += [0x5c, UInt8(ascii: "n")]
            case 0x0d: out += [0x5c, UInt8(ascii: "r")]
            case 0x09: out += [0x5c, UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0x0f)]]
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}
