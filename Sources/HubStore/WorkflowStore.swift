/// A hub user as stored: a member of MASH staff with one role. No password, only its hash.
public struct UserRow: Sendable, Hashable {
    /// Login name (staff id, not a subject's name).
    public var name: String
    /// `practitioner`, `manager`, `operator` or `dpo`.
    public var role: String
    /// The password's scrypt hash in its self-describing text form.
    public var passwordHash: String
    /// Failed logins since the last success, and when a lockout they caused ends.
    public var failedLogins: Int
    public var lockedUntil: String?
    /// When the account was disabled (it can no longer log in), if it was.
    public var disabledAt: String?
    public var createdAt: String

    /// Makes a row.
    public init(
        name: String, role: String, passwordHash: String, failedLogins: Int = 0, lockedUntil: String? = nil,
        disabledAt: String? = nil, createdAt: String
    ) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.failedLogins = failedLogins
        self.lockedUntil = lockedUntil
        self.disabledAt = disabledAt
        self.createdAt = createdAt
    }
}

/// A login session as stored: only hashes of its bearer token and CSRF token.
public struct SessionRow: Sendable, Hashable {
    /// SHA-256 (hex) of the session token.
    public var tokenHash: String
    public var user: String
    /// SHA-256 (hex) of the session's CSRF token (what console forms carry).
    public var csrfHash: String
    public var createdAt: String, expiresAt: String
    public var revokedAt: String?

    /// Makes a row.
    public init(tokenHash: String, user: String, csrfHash: String, createdAt: String, expiresAt: String, revokedAt: String? = nil) {
        self.tokenHash = tokenHash
        self.user = user
        self.csrfHash = csrfHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// A referral as stored: its workflow document (opaque to the store; module `Workflow` encodes
/// it) and the columns it is found by.
public struct ReferralRow: Sendable, Hashable {
    public var id: String
    /// Incremented by every write; a write names the version it read.
    public var version: Int64
    /// The agency that raised it.
    public var agency: String
    public var state: String
    /// The practitioner it is assigned to, if any.
    public var assignee: String?
    public var dueAt: String, receivedAt: String, updatedAt: String
    public var document: [UInt8]

    /// Makes a row.
    public init(
        id: String, version: Int64, agency: String, state: String, assignee: String?, dueAt: String, receivedAt: String,
        updatedAt: String, document: [UInt8]
    ) {
        self.id = id
        self.version = version
        self.agency = agency
        self.state = state
        self.assignee = assignee
        self.dueAt = dueAt
        self.receivedAt = receivedAt
        self.updatedAt = updatedAt
        self.document = document
    }
}

/// A referral written in the same transaction as disclosure-log entries, so the log and the
/// referral never disagree: both are written, or neither.
public struct ReferralWrite: Sendable, Hashable {
    /// The referral as it will be (`version` is `expectedVersion + 1`, or 1 for a new one).
    public var row: ReferralRow
    /// The version the writer read; nil for a new referral.
    public var expectedVersion: Int64?

    /// Makes a write.
    public init(row: ReferralRow, expectedVersion: Int64?) {
        self.row = row
        self.expectedVersion = expectedVersion
    }
}

/// The checks both backends make on workflow writes.
enum WorkflowRules {
    static func checkVersion(_ write: ReferralWrite) throws(StoreError) {
        let expected = write.expectedVersion ?? 0
        guard write.row.version == expected + 1 else {
            throw .referralStale("referral \(write.row.id) is written at version \(write.row.version) over \(expected)")
        }
    }

    static let roles: Set<String> = ["practitioner", "manager", "operator", "dpo"]
}
