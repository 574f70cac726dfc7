// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Bloom-filter similarity is a popcount per 64-bit word. Swift targets baseline x86-64, which has no
// POPCNT instruction, so `nonzeroBitCount` becomes a dozen shifts and masks; every x86-64 server CPU
// since 2008 (Nehalem, and AMD from Barcelona) has POPCNT and SSE4.2. Nehalem adds no FMA, so
// floating-point results are the same as at baseline. Only the two modules that count bits.
#if arch(x86_64)
let bitCountingSettings: [SwiftSetting] = strictSettings + [.unsafeFlags(["-target-cpu", "nehalem"])]
#else
let bitCountingSettings = strictSettings
#endif

let package = Package(
    name: "mashlink",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "LinkCrypto", targets: ["LinkCrypto"]),
        .library(name: "Normalisation", targets: ["Normalisation"]),
        .library(name: "Tokenisation", targets: ["Tokenisation"]),
        .library(name: "Matching", targets: ["Matching"]),
        .library(name: "LinkFiles", targets: ["LinkFiles"]),
        .library(name: "HubStore", targets: ["HubStore"]),
        .library(name: "HubLinking", targets: ["HubLinking"]),
        .library(name: "TransparencyLog", targets: ["TransparencyLog"]),
        .library(name: "Disclosure", targets: ["Disclosure"]),
        .library(name: "Workflow", targets: ["Workflow"]),
        .library(name: "HubService", targets: ["HubService"]),
        .executable(name: "mashlink-agency", targets: ["mashlink-agency"]),
        .executable(name: "mashlink-hub", targets: ["mashlink-hub"]),
        .executable(name: "mashlink-audit", targets: ["mashlink-audit"]),
        .executable(name: "mashlink-bench", targets: ["mashlink-bench"]),
        // Issue 9: the hub-side attack harness. Never a dependency of any product target.
        .executable(name: "mashlink-attack", targets: ["mashlink-attack"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // libcrypto from the system (Debian: libssl-dev). All cryptography goes through it.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        // The safe Swift API over libcrypto. The only module allowed to hold unsafe pointer code.
        .target(
            name: "LinkCrypto",
            dependencies: ["COpenSSL"],
            swiftSettings: strictSettings
        ),
        // Pure text normalisation of subject identifiers: no I/O beyond its own tables, no keys.
        .target(
            name: "Normalisation",
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        // Linkage schema, encoders (keyed tokens, Bloom filters) and the batch format.
        .target(
            name: "Tokenisation",
            dependencies: ["LinkCrypto", "Normalisation"],
            swiftSettings: bitCountingSettings
        ),
        // Blocking, comparison, scoring and clustering over encoded records. No I/O.
        .target(
            name: "Matching",
            dependencies: ["Tokenisation"],
            swiftSettings: bitCountingSettings
        ),
        // The offline linker's files: links.csv, clusters.csv, truth files, reference maps.
        .target(
            name: "LinkFiles",
            dependencies: ["Matching", "Tokenisation"],
            swiftSettings: strictSettings
        ),
        // The hub's store: one protocol, SQLite (GRDB) and PostgreSQL (postgres-nio). No identifiers.
        .target(
            name: "HubStore",
            dependencies: [
                "Tokenisation",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // RFC 6962 Merkle tree, inclusion and consistency proofs, C2SP signed-note checkpoints and
        // tlog-proof bundles: the disclosure log's cryptographic core. No I/O.
        .target(
            name: "TransparencyLog",
            dependencies: ["LinkCrypto"],
            swiftSettings: strictSettings
        ),
        // Thresholds and lawful bases as data, the release decision, and the disclosure log's entries.
        .target(
            name: "Disclosure",
            dependencies: ["HubStore", "LinkCrypto", "Tokenisation", "TransparencyLog"],
            swiftSettings: strictSettings
        ),
        // Links the store's records: full runs, and incremental ones through the persisted index.
        .target(
            name: "HubLinking",
            dependencies: ["HubStore", "Matching", "Tokenisation"],
            swiftSettings: strictSettings
        ),
        // The referral workflow without HTTP: people and roles, passwords and sessions, agency
        // request signatures, the referral state machine with its timescales, and the service that
        // walks a referral from a query to a logged release.
        .target(
            name: "Workflow",
            dependencies: ["Disclosure", "HubLinking", "HubStore", "LinkCrypto", "Matching", "Tokenisation", "TransparencyLog"],
            swiftSettings: strictSettings
        ),
        // The hub's HTTP service on Hummingbird 2: routes, authentication, metrics. Logic stays in Workflow.
        .target(
            name: "HubService",
            dependencies: [
                "Disclosure", "HubStore", "LinkCrypto", "Tokenisation", "TransparencyLog", "Workflow",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Console")],
            swiftSettings: strictSettings
        ),
        // A client of the hub's HTTP API: staff sessions, signed agency requests, log export.
        .target(
            name: "HubClient",
            dependencies: ["Disclosure", "LinkCrypto", "Workflow", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strictSettings
        ),
        // The end-to-end demonstration: synthetic agencies tokenise, the hub serves on SQLite, a
        // referral is walked to release over HTTP by demo users, and the log is audited.
        .target(
            name: "HubDemo",
            dependencies: [
                "Disclosure", "HubClient", "HubService", "HubStore", "LinkCrypto", "Normalisation", "Tokenisation", "TransparencyLog", "Workflow",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // What the command-line tools share: how they ask for a passphrase.
        .target(
            name: "CommandSupport",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mashlink-agency",
            dependencies: [
                "CommandSupport",
                "Tokenisation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // What the hub's and the auditor's commands share: `--database URL`.
        .target(
            name: "HubCommandSupport",
            dependencies: ["HubStore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mashlink-audit",
            dependencies: [
                "CommandSupport",
                "Disclosure",
                "HubClient",
                "HubCommandSupport",
                "TransparencyLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mashlink-hub",
            dependencies: [
                "CommandSupport",
                "Disclosure",
                "HubCommandSupport",
                "HubLinking",
                "HubDemo",
                "HubService",
                "HubStore",
                "LinkFiles",
                "Matching",
                "Workflow",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mashlink-bench",
            dependencies: [
                "Disclosure",
                "HubClient",
                "HubLinking",
                "Normalisation",
                "Workflow",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                "HubStore",
                "LinkCrypto",
                "TransparencyLog",
                "Matching",
                "Tokenisation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // Issue 9: published attacks on mashlink's own encodings, played as an honest-but-curious hub.
        .target(
            name: "PrivacyAttacks",
            dependencies: ["LinkFiles", "Normalisation", "Tokenisation", "LinkCrypto"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mashlink-attack",
            dependencies: [
                "CommandSupport",
                "PrivacyAttacks",
                "Tokenisation",
                "LinkCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PrivacyAttacksTests",
            dependencies: ["PrivacyAttacks", "Tokenisation", "LinkCrypto", "Normalisation"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LinkCryptoTests",
            dependencies: ["LinkCrypto"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TokenisationTests",
            dependencies: ["Tokenisation"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MatchingTests",
            dependencies: ["Matching"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HubStoreTests",
            dependencies: [
                "Disclosure",
                "HubClient",
                "HubDemo",
                "HubLinking",
                "HubService",
                "HubStore",
                "Matching",
                "Workflow",
                "mashlink-hub",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LinkFilesTests",
            dependencies: ["LinkFiles"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TransparencyLogTests",
            dependencies: ["TransparencyLog"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DisclosureTests",
            dependencies: ["Disclosure", "HubStore", "TransparencyLog"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WorkflowTests",
            dependencies: ["Workflow", "Disclosure", "HubStore", "LinkCrypto"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NormalisationTests",
            dependencies: ["Normalisation"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
