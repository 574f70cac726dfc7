public import Foundation
public import HubStore
import LinkCrypto
import Tokenisation

/// Login, sessions and lockout. A session's token is random (256 bits), handed to the person once
/// and stored only as its SHA-256; so is its CSRF token. Sessions expire and can be revoked.
public struct Sessions: Sendable {
    /// How long a session lasts (one shift).
    public var lifetime: TimeInterval = 10 * 3600
    /// Failed logins in a row that lock an account, and for how long.
    public var lockoutThreshold = 5
    public var lockout: TimeInterval = 15 * 60
    public let hasher: PasswordHasher
    let store: any HubStore
    let clock: @Sendable () -> Date

    /// Makes the session service over `store`.
    public init(store: any HubStore, hasher: PasswordHasher = PasswordHasher(), clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.hasher = hasher
        self.clock = clock
    }

    /// A new session: what the person is given (the tokens in clear, once).
    public struct Issued: Sendable {
        public let token: String, csrfToken: String
        public let user: String, role: Role
        public let expiresAt: String
    }

    /// The person behind a valid session.
    public struct Principal: Sendable, Hashable {
        public let user: String
        public let role: Role
        /// SHA-256 of the session token and of its CSRF token.
        public let sessionHash: String, csrfHash: String

        /// True when `csrfToken` is this session's.
        public func acceptsCSRF(_ csrfToken: String?) -> Bool {
            guard let csrfToken else { return false }
            return ConstantTime.equal(Array(Sessions.digest(csrfToken).utf8), Array(csrfHash.utf8))
        }
    }

    /// Adds a user with a hashed password.
    public func addUser(name: String, role: Role, password: String) async throws(WorkflowError) {
        guard Self.isValidName(name) else { throw .badRequest("a user name is 1 to 64 letters, digits, '.', '-' or '_'") }
        let hash = try hasher.hash(password)
        do { try await store.addUser(UserRow(name: name, role: role.rawValue, passwordHash: hash, createdAt: Timestamps.string(clock()))) } catch {
            throw .store(error)
        }
    }

    /// Logs `name` in. A wrong password counts towards the lockout; a locked or disabled account
    /// is refused even with the right password.
    public func login(name: String, password: String) async throws(WorkflowError) -> Issued {
        let now = clock()
        guard var user = try await wrap({ () async throws(StoreError) in try await store.user(named: name) }), user.disabledAt == nil,
              let role = Role(rawValue: user.role)
        else {
            // The same work as a real check, so timing does not tell whether the name exists.
            _ = hasher.verify(password, against: decoy)
            throw .loginFailed
        }
        if let until = user.lockedUntil, let end = Timestamps.date(until), end > now { throw .locked(until: until) }
        guard hasher.verify(password, against: user.passwordHash) else {
            user.failedLogins += 1
            if user.failedLogins >= lockoutThreshold {
                user.lockedUntil = Timestamps.string(now.addingTimeInterval(lockout))
                user.failedLogins = 0
            }
            try await wrap { () async throws(StoreError) in try await store.updateUser(user) }
            if let until = user.lockedUntil, user.failedLogins == 0 { throw .locked(until: until) }
            throw .loginFailed
        }
        if user.failedLogins != 0 || user.lockedUntil != nil {
            user.failedLogins = 0
            user.lockedUntil = nil
            try await wrap { () async throws(StoreError) in try await store.updateUser(user) }
        }
        let token = Self.randomToken(), csrf = Self.randomToken()
        let expires = Timestamps.string(now.addingTimeInterval(lifetime))
        try await wrap { () async throws(StoreError) in
            try await store.addSession(SessionRow(
                tokenHash: Self.digest(token), user: name, csrfHash: Self.digest(csrf), createdAt: Timestamps.string(now), expiresAt: expires))
        }
        return Issued(token: token, csrfToken: csrf, user: name, role: role, expiresAt: expires)
    }

    /// The person behind `token`, if it is a live session of an enabled user.
    public func authenticate(token: String) async throws(WorkflowError) -> Principal {
        let hash = Self.digest(token)
        guard let s = try await wrap({ () async throws(StoreError) in try await store.session(tokenHash: hash) }), s.revokedAt == nil,
              let expires = Timestamps.date(s.expiresAt), expires > clock(),
              let user = try await wrap({ () async throws(StoreError) in try await store.user(named: s.user) }), user.disabledAt == nil,
              let role = Role(rawValue: user.role)
        else { throw .notAuthenticated }
        return Principal(user: user.name, role: role, sessionHash: hash, csrfHash: s.csrfHash)
    }

    /// Ends the session `principal` came in with.
    public func logout(_ principal: Principal) async throws(WorkflowError) {
        try await wrap { () async throws(StoreError) in
            try await store.revokeSessions(tokenHash: principal.sessionHash, user: nil, at: Timestamps.string(clock()))
        }
    }

    /// Revokes every session of `user` (an operator's action when an account is compromised).
    public func revokeAll(of user: String) async throws(WorkflowError) {
        try await wrap { () async throws(StoreError) in try await store.revokeSessions(tokenHash: nil, user: user, at: Timestamps.string(clock())) }
    }

    /// SHA-256 (hex) of a token: what the store keeps.
    public static func digest(_ token: String) -> String { Hex.encode(SHA256.hash(Array(token.utf8))) }

    /// A new random token (256 bits, URL-safe base64): what sessions and nonces are made of.
    public static func newToken() -> String { randomToken() }

    static func randomToken() -> String {
        Data(SecureRandom.bytes(count: 32)).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.count) && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) }
    }

    /// A hash no password matches (at the hasher's cost), verified when the user does not exist.
    private var decoy: String {
        let p = hasher.parameters
        return "scrypt$\(p.n)$\(p.r)$\(p.p)$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    }

    private func wrap<T>(_ body: () async throws(StoreError) -> T) async throws(WorkflowError) -> T {
        do { return try await body() } catch { throw .store(error) }
    }
}

