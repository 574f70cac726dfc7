import Foundation
import GRDB

extension SQLiteHubStore {
    public func addUser(_ user: UserRow) async throws(StoreError) {
        guard WorkflowRules.roles.contains(user.role) else { throw .database("unknown role '\(user.role)'") }
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?)", arguments: [user.name]) != true else {
                throw StoreError.userExists(user.name)
            }
            try db.execute(
                sql: "INSERT INTO users (name, role, password_hash, failed_logins, locked_until, disabled_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [user.name, user.role, user.passwordHash, user.failedLogins, user.lockedUntil, user.disabledAt, user.createdAt])
        }
    }

    public func user(named name: String) async throws(StoreError) -> UserRow? {
        try await read { db in try Row.fetchOne(db, sql: "\(Self.userColumns) WHERE name = ?", arguments: [name]).map(Self.user) }
    }

    public func users() async throws(StoreError) -> [UserRow] {
        try await read { db in try Row.fetchAll(db, sql: "\(Self.userColumns) ORDER BY name").map(Self.user) }
    }

    public func updateUser(_ user: UserRow) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE users SET password_hash = ?, failed_logins = ?, locked_until = ?, disabled_at = ? WHERE name = ?",
                arguments: [user.passwordHash, user.failedLogins, user.lockedUntil, user.disabledAt, user.name])
            guard db.changesCount == 1 else { throw StoreError.unknownUser(user.name) }
        }
    }

    public func addSession(_ session: SessionRow) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO sessions (token_hash, user_name, csrf_hash, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [session.tokenHash, session.user, session.csrfHash, session.createdAt, session.expiresAt, session.revokedAt])
        }
    }

    public func session(tokenHash: String) async throws(StoreError) -> SessionRow? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT token_hash, user_name, csrf_hash, created_at, expires_at, revoked_at FROM sessions WHERE token_hash = ?",
                arguments: [tokenHash]
            ).map {
                SessionRow(tokenHash: $0[0], user: $0[1], csrfHash: $0[2], createdAt: $0[3], expiresAt: $0[4], revokedAt: $0[5])
            }
        }
    }

    public func revokeSessions(tokenHash: String?, user: String?, at: String) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE sessions SET revoked_at = ? WHERE revoked_at IS NULL AND (token_hash = ? OR user_name = ?)",
                arguments: [at, tokenHash, user])
        }
    }

    public func useNonce(agency: String, nonce: String, seenAt: String, forgetBefore: String) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM request_nonces WHERE seen_at < ?", arguments: [forgetBefore])
            try db.execute(
                sql: "INSERT INTO request_nonces (agency, nonce, seen_at) VALUES (?, ?, ?) ON CONFLICT (agency, nonce) DO NOTHING",
                arguments: [agency, nonce, seenAt])
            return db.changesCount == 1
        }
    }

    public func referral(id: String) async throws(StoreError) -> ReferralRow? {
        try await read { db in try Row.fetchOne(db, sql: "\(Self.referralColumns) WHERE id = ?", arguments: [id]).map(Self.referral) }
    }

    public func referrals(assignedTo assignee: String?) async throws(StoreError) -> [ReferralRow] {
        try await read { db in
            if let assignee {
                return try Row.fetchAll(db, sql: "\(Self.referralColumns) WHERE assignee = ? ORDER BY received_at, id", arguments: [assignee]).map(Self.referral)
            }
            return try Row.fetchAll(db, sql: "\(Self.referralColumns) ORDER BY received_at, id").map(Self.referral)
        }
    }

    /// Writes a referral inside the caller's transaction, checking the version it was read at.
    static func writeReferral(_ write: ReferralWrite, in db: Database) throws {
        try WorkflowRules.checkVersion(write)
        let r = write.row
        let document = String(decoding: r.document, as: UTF8.self)
        if let expected = write.expectedVersion {
            try db.execute(
                sql: "UPDATE referrals SET version = ?, state = ?, assignee = ?, due_at = ?, updated_at = ?, document = ? WHERE id = ? AND version = ?",
                arguments: [r.version, r.state, r.assignee, r.dueAt, r.updatedAt, document, r.id, expected])
            guard db.changesCount == 1 else { throw StoreError.referralStale("referral \(r.id) is no longer at version \(expected)") }
        } else {
            try db.execute(
                sql: "INSERT INTO referrals (id, version, agency, state, assignee, due_at, received_at, updated_at, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                arguments: [r.id, r.version, r.agency, r.state, r.assignee, r.dueAt, r.receivedAt, r.updatedAt, document])
            guard db.changesCount == 1 else { throw StoreError.referralStale("referral \(r.id) already exists") }
        }
    }

    private static let userColumns = "SELECT name, role, password_hash, failed_logins, locked_until, disabled_at, created_at FROM users"
    private static func user(_ r: Row) -> UserRow {
        UserRow(name: r[0], role: r[1], passwordHash: r[2], failedLogins: r[3], lockedUntil: r[4], disabledAt: r[5], createdAt: r[6])
    }

    private static let referralColumns = "SELECT id, version, agency, state, assignee, due_at, received_at, updated_at, document FROM referrals"
    private static func referral(_ r: Row) -> ReferralRow {
        ReferralRow(
            id: r[0], version: r[1], agency: r[2], state: r[3], assignee: r[4], dueAt: r[5], receivedAt: r[6], updatedAt: r[7],
            document: Array((r[8] as String).utf8))
    }
}
