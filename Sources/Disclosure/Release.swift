import Foundation
public import LinkCrypto
public import HubStore
public import Tokenisation

/// One linked record a release is asked for, with everything the decision and the log entry need.
public struct ReleaseSubject: Sendable {
    /// The referral.
    public var referral: String
    /// The record's agency and batch, and the record (its sealed payload tiers travel with it).
    public var agency: String
    public var header: BatchHeader
    public var record: EncodedRecord
    /// The decision inputs (threshold, four-eyes, link standing, age band, reason).
    public var request: ReleaseRequest
    /// The hub user the information is released to.
    public var user: String

    /// Makes a subject; the request's age band and available tiers are taken from the record.
    public init(referral: String, header: BatchHeader, record: EncodedRecord, request: ReleaseRequest, user: String) {
        self.referral = referral
        agency = header.agency
        self.header = header
        self.record = record
        var request = request
        request.ageBand = record.ageBand
        request.availableTiers = Set(record.payload.keys)
        self.request = request
        self.user = user
    }
}

/// Released information: the opened tiers, and the log entries that record it.
public struct ReleasedPayload: Sendable {
    /// The release id (in the log entries).
    public let release: String
    /// The opened plaintext of each tier released.
    public let tiers: [PayloadTier: [UInt8]]
    /// Index of the `release.logged` entry (what the agency's receipt proves).
    public let loggedIndex: UInt64
}

/// Releases payloads through the disclosure log: decide, log durably, then open.
///
/// The order is the promise: ``ReleasePolicy`` decides; a `release.logged` entry (threshold, lawful
/// basis, tiers, the sealed payloads' digests, both decision makers) is appended and committed; only
/// then are the tiers opened with the hub release key; then `release.completed` is appended. If the
/// log cannot be written nothing is opened. If the hub stops between the two entries, the release
/// is logged but pending: ``complete(_:subject:releaseKey:log:)`` finishes it or
/// ``void(_:user:reason:log:)`` cancels it, never an unlogged decrypt.
public enum Releases {
    /// Decides and, if allowed, releases `subject`'s payload tiers.
    ///
    /// A workflow that keeps its own record of the referral passes `referral`: given the entry to
    /// be logged, it returns the referral write that goes into the same transaction as that entry
    /// (and, given the completion entry and the logged entry's index, the one that goes with it),
    /// so the referral and the log never disagree.
    public static func release(
        _ subject: ReleaseSubject, releaseKey: X25519.PrivateKey, log: DisclosureLog,
        referral: (@Sendable (_ entry: LogEntry, _ loggedIndex: UInt64?) -> ReferralWrite?)? = nil
    ) async throws(DisclosureError) -> ReleasedPayload {
        let (tiers, basis, reason): ([PayloadTier], String, String?)
        switch ReleasePolicy.decide(subject.request) {
        case .release(let t, let b, let r): (tiers, basis, reason) = (t, b, r)
        case .refuse(let reasons): throw .refused(reasons)
        }
        var entry = LogEntry(kind: .releaseLogged, referral: subject.referral, user: subject.user)
        entry.release = UUID().uuidString.lowercased()
        entry.threshold = subject.request.confirmedThreshold
        entry.lawfulBasis = basis
        entry.agency = subject.agency
        entry.batch = subject.header.batchID
        entry.record = subject.record.reference
        entry.ageBand = subject.record.ageBand
        entry.tiers = tiers
        entry.payloadDigests = Dictionary(uniqueKeysWithValues: tiers.compactMap { t in
            subject.record.payload[t].map { (t.rawValue, Hex.encode(SHA256.hash($0))) }
        })
        entry.proposedBy = subject.request.proposedBy
        entry.confirmedBy = subject.request.confirmedBy
        entry.reason = reason
        let index = try await log.append([entry], referral: referral?(entry, nil))[0]
        return try await open(entry, index: index, subject: subject, releaseKey: releaseKey, log: log, referral: referral)
    }

    /// Completes a logged release that was never completed (the hub stopped, or the key was not at
    /// hand): opens exactly the tiers its entry names, checking they are the payloads it logged.
    public static func complete(_ release: String, subject: ReleaseSubject, releaseKey: X25519.PrivateKey, log: DisclosureLog) async throws(DisclosureError) -> ReleasedPayload {
        guard let (index, entry) = try await pending(log).first(where: { $0.entry.release == release }),
              entry.agency == subject.agency, entry.record == subject.record.reference, entry.batch == subject.header.batchID
        else { throw .noPendingRelease(release) }
        return try await open(entry, index: index, subject: subject, releaseKey: releaseKey, log: log)
    }

    /// Voids a logged release that was never completed, with the user and reason recorded.
    public static func void(_ release: String, user: String, reason: String, log: DisclosureLog) async throws(DisclosureError) {
        guard let (_, entry) = try await pending(log).first(where: { $0.entry.release == release }) else { throw .noPendingRelease(release) }
        var void = LogEntry(kind: .releaseVoided, referral: entry.referral, user: user)
        void.release = release
        void.agency = entry.agency
        void.record = entry.record
        void.reason = reason
        try await log.append([void])
    }

    /// Logged releases with neither a completion nor a void: what an operator must finish or void.
    public static func pending(_ log: DisclosureLog) async throws(DisclosureError) -> [(index: UInt64, entry: LogEntry)] {
        pending(in: try await log.entries().map(\.entry))
    }

    /// Logged releases with neither a completion nor a void among `entries` (the whole log, in order).
    public static func pending(in entries: [LogEntry]) -> [(index: UInt64, entry: LogEntry)] {
        var logged: [String: (UInt64, LogEntry)] = [:], order: [String] = []
        for (index, entry) in entries.enumerated().map({ (UInt64($0.offset), $0.element) }) {
            guard let id = entry.release else { continue }
            switch entry.kind {
            case .releaseLogged:
                logged[id] = (index, entry)
                order.append(id)
            case .releaseCompleted, .releaseVoided: logged[id] = nil
            default: break
            }
        }
        return order.compactMap { logged[$0] }.map { (index: $0.0, entry: $0.1) }
    }

    /// Opens the tiers a completed release logged, again, for a person of its referral to read:
    /// a `release.viewed` entry is appended (with `referral`, if given) before anything is opened.
    public static func view(
        _ logged: LogEntry, subject: ReleaseSubject, releaseKey: X25519.PrivateKey, log: DisclosureLog
    ) async throws(DisclosureError) -> [PayloadTier: [UInt8]] {
        var viewed = LogEntry(kind: .releaseViewed, referral: logged.referral, user: subject.user)
        viewed.release = logged.release
        viewed.agency = logged.agency
        viewed.record = logged.record
        viewed.tiers = logged.tiers
        try await log.append([viewed])
        return try openTiers(logged, subject: subject, releaseKey: releaseKey)
    }

    private static func openTiers(_ entry: LogEntry, subject: ReleaseSubject, releaseKey: X25519.PrivateKey) throws(DisclosureError) -> [PayloadTier: [UInt8]] {
        let id = entry.release ?? ""
        var opened: [PayloadTier: [UInt8]] = [:]
        do {
            let opener = try PayloadOpener(header: subject.header, hubReleaseKey: releaseKey)
            for tier in entry.tiers ?? [] {
                guard let sealed = subject.record.payload[tier], entry.payloadDigests?[tier.rawValue] == Hex.encode(SHA256.hash(sealed)) else {
                    throw DisclosureError.openFailed(release: id, why: "the \(tier.rawValue) payload is not the one logged")
                }
                opened[tier] = try opener.open(sealed, reference: subject.record.reference, tier: tier)
            }
        } catch let error as DisclosureError {
            throw error
        } catch {
            throw .openFailed(release: id, why: String(describing: error))
        }
        return opened
    }

    private static func open(
        _ entry: LogEntry, index: UInt64, subject: ReleaseSubject, releaseKey: X25519.PrivateKey, log: DisclosureLog,
        referral: (@Sendable (_ entry: LogEntry, _ loggedIndex: UInt64?) -> ReferralWrite?)? = nil
    ) async throws(DisclosureError) -> ReleasedPayload {
        let id = entry.release ?? ""
        let opened = try openTiers(entry, subject: subject, releaseKey: releaseKey)
        var done = LogEntry(kind: .releaseCompleted, referral: entry.referral, user: subject.user)
        done.release = id
        // The agency and record again, so each entry of a release says whose it is (an agency's
        // receipts are found entry by entry).
        done.agency = entry.agency
        done.record = entry.record
        try await log.append([done], referral: referral?(done, index))
        return ReleasedPayload(release: id, tiers: opened, loggedIndex: index)
    }
}
