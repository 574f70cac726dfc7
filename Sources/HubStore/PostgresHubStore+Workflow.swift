import Foundation
import Logging
import PostgresNIO

extension PostgresHubStore {
    public func addUser(_ user: UserRow) async throws(StoreError) {
        guard WorkflowRules.roles.contains(user.role) else { throw .database("unknown role '\(user.role)'") }
        let u = user
        try await wrap {
            let rows = try await client.query(
                """
                INSERT INTO users (name, role, password_hash, failed_logins, locked_until, disabled_at, created_at)
                VALUES (\(u.name), \(u.role), \(u.passwordHash), \(Int64(u.failedLogins)), \(u.lockedUntil), \(u.disabledAt), \(u.createdAt))
                ON CONFLICT (name) DO NOTHING RETURNING name
                """, logger: logger)
            var inserted = false
            for try await _ in rows.decode(String.self) { inserted = true }
            guard inserted else { throw StoreError.userExists(u.name) }
        }
    }

    public func user(named name: String) async throws(StoreError) -> UserRow? {
        try await fetchUsers("\(unescaped: Self.userColumns) WHERE name = \(name)").first
    }

    public func users() async throws(StoreError) -> [UserRow] {
        try await fetchUsers("\(unescaped: Self.userColumns) ORDER BY name")
    }

    public func updateUser(_ user: UserRow) async throws(StoreError) {
        let u = user
        try await wrap {
            let rows = try await client.query(
                """
                UPDATE users SET password_hash = \(u.passwordHash), failed_logins = \(Int64(u.failedLogins)), locked_until = \(u.lockedUntil),
                disabled_at = \(u.disabledAt) WHERE name = \(u.name) RETURNING name
                """, logger: logger)
            var updated = false
            for try await _ in rows.decode(String.self) { updated = true }
            guard updated else { throw StoreError.unknownUser(u.name) }
        }
    }

    public func addSession(_ session: SessionRow) async throws(StoreError) {
        let s = session
        try await wrap {
            _ = try await client.query(
                """
                INSERT INTO sessions (token_hash, user_name, csrf_hash, created_at, expires_at, revoked_at)
                VALUES (\(s.tokenHash), \(s.user), \(s.csrfHash), \(s.createdAt), \(s.expiresAt), \(s.revokedAt))
                """, logger: logger)
        }
    }

    public func session(tokenHash: String) async throws(StoreError) -> SessionRow? {
        try await wrap {
            let rows = try await client.query(
                "SELECT token_hash, user_name, csrf_hash, created_at, expires_at, revoked_at FROM sessions WHERE token_hash = \(tokenHash)",
                logger: logger)
            for try await (t, u, c, created, expires, revoked) in rows.decode((String, String, String, String, String, String?).self) {
                return SessionRow(tokenHash: t, user: u, csrfHash: c, createdAt: created, expiresAt: expires, revokedAt: revoked)
            }
            return nil
        }
    }

    public func revokeSessions(tokenHash: String?, user: String?, at: String) async throws(StoreError) {
        try await wrap {
            _ = try await client.query(
                "UPDATE sessions SET revoked_at = \(at) WHERE revoked_at IS NULL AND (token_hash = \(tokenHash) OR user_name = \(user))",
                logger: logger)
        }
    }

    public func useNonce(agency: String, nonce: String, seenAt: String, forgetBefore: String) async throws(StoreError) -> Bool {
        let logger = self.logger
        return try await wrap {
            try await client.withTransaction(logger: logger) { conn in
                try await conn.query("DELETE FROM request_nonces WHERE seen_at < \(forgetBefore)", logger: logger)
                let rows = try await conn.query(
                    "INSERT INTO request_nonces (agency, nonce, seen_at) VALUES (\(agency), \(nonce), \(seenAt)) ON CONFLICT (agency, nonce) DO NOTHING RETURNING nonce",
                    logger: logger)
                var fresh = false
                for try await _ in rows.decode(String.self) { fresh = true }
                return fresh
            }
        }
    }

    public func referral(id: String) async throws(StoreError) -> ReferralRow? {
        try await fetchReferrals("\(unescaped: Self.referralColumns) WHERE id = \(id)").first
    }

    public func referrals(assignedTo assignee: String?) async throws(StoreError) -> [ReferralRow] {
        if let assignee {
            return try await fetchReferrals("\(unescaped: Self.referralColumns) WHERE assignee = \(assignee) ORDER BY received_at, id")
        }
        return try await fetchReferrals("\(unescaped: Self.referralColumns) ORDER BY received_at, id")
    }

    /// Writes a referral inside the caller's transaction, checking the version it was read at.
    static func writeReferral(_ write: ReferralWrite, on conn: PostgresConnection, logger: Logger) async throws {
        try WorkflowRules.checkVersion(write)
        let r = write.row
        let document = String(decoding: r.document, as: UTF8.self)
        let rows: PostgresRowSequence
        if let expected = write.expectedVersion {
            rows = try await conn.query(
                """
                UPDATE referrals SET version = \(r.version), state = \(r.state), assignee = \(r.assignee), due_at = \(r.dueAt),
                updated_at = \(r.updatedAt), document = \(document) WHERE id = \(r.id) AND version = \(expected) RETURNING id
                """, logger: logger)
        } else {
            rows = try await conn.query(
                """
                INSERT INTO referrals (id, version, agency, state, assignee, due_at, received_at, updated_at, document)
                VALUES (\(r.id), \(r.version), \(r.agency), \(r.state), \(r.assignee), \(r.dueAt), \(r.receivedAt), \(r.updatedAt), \(document))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: logger)
        }
        var written = false
        for try await _ in rows.decode(String.self) { written = true }
        guard written else {
            throw StoreError.referralStale(write.expectedVersion.map { "referral \(r.id) is no longer at version \($0)" } ?? "referral \(r.id) already exists")
        }
    }

    private static let userColumns = "SELECT name, role, password_hash, failed_logins, locked_until, disabled_at, created_at FROM users"
    private func fetchUsers(_ query: PostgresQuery) async throws(StoreError) -> [UserRow] {
        try await wrap {
            var out: [UserRow] = []
            for try await (n, role, hash, failed, locked, disabled, created) in try await client.query(query, logger: logger)
                .decode((String, String, String, Int64, String?, String?, String).self)
            {
                out.append(UserRow(
                    name: n, role: role, passwordHash: hash, failedLogins: Int(failed), lockedUntil: locked, disabledAt: disabled, createdAt: created))
            }
            return out
        }
    }

    private static let referralColumns = "SELECT id, version, agency, state, assignee, due_at, received_at, updated_at, document FROM referrals"
    private func fetchReferrals(_ query: PostgresQuery) async throws(StoreError) -> [ReferralRow] {
        try await wrap {
            var out: [ReferralRow] = []
            for try await (id, version, agency, state, assignee, due, received, updated, document) in try await client.query(query, logger: logger)
                .decode((String, Int64, String, String, String?, String, String, String, String).self)
            {
                out.append(ReferralRow(
                    id: id, version: version, agency: agency, state: state, assignee: assignee, dueAt: due, receivedAt: received,
                    updatedAt: updated, document: Array(document.utf8)))
            }
            return out
        }
    }
}
