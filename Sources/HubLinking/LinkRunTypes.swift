import Foundation
public import HubStore
public import Matching

/// How a store link run scores and bands pairs.
public struct LinkOptions: Sendable {
    /// A model to reuse on a full link instead of training one (incremental links always use the stored one).
    public var model: MatchModel?
    /// Overrides of the model's band thresholds (log2 odds).
    public var matchThreshold: Double?, possibleThreshold: Double?
    /// Term-frequency adjustment of exact name agreement.
    public var termFrequencyAdjustment: Bool
    /// Also look for duplicates inside each agency's batch.
    public var withinAgency: Bool
    /// Worker threads (nil: every core).
    public var threads: Int?
    /// Blocking passes and rules. Full and incremental runs, and referral queries
    /// (``QueryMatcher``), must use the same, or an incremental link finds other pairs than a full one.
    public var blocking: BlockingConfiguration

    /// Options; the defaults are the offline linker's.
    public init(
        model: MatchModel? = nil, matchThreshold: Double? = nil, possibleThreshold: Double? = nil,
        termFrequencyAdjustment: Bool = true, withinAgency: Bool = true, threads: Int? = nil,
        blocking: BlockingConfiguration = .standard
    ) {
        self.model = model
        self.matchThreshold = matchThreshold
        self.possibleThreshold = possibleThreshold
        self.termFrequencyAdjustment = termFrequencyAdjustment
        self.withinAgency = withinAgency
        self.threads = threads
        self.blocking = blocking
    }
}

/// What one link run did, for the operator: counts and times, no identifiers.
public struct LinkRunSummary: Sendable {
    /// Which run.
    public enum Kind: Sendable, Hashable {
        case full
        case incremental(batchID: String, agency: String)
    }

    public let kind: Kind
    /// Records linked (a full run: all; incremental: the new batch's).
    public let records: Int
    /// Candidate pairs scored.
    public let candidatePairs: Int
    /// Links written, by band.
    public let matches: Int, possibles: Int
    /// Cluster numbers written.
    public let clustersWritten: Int
    /// Blocks skipped for being over the cap, by pass.
    public let oversizedBlocks: [String: Int]
    /// Cluster merges refused because records in them were scored as different people.
    public let refusedMerges: Int
    /// Seconds per stage, in order.
    public let stageSeconds: [(stage: String, seconds: Double)]
}

/// Why a store link run failed. Each case says what to do.
public enum HubLinkingError: Error, Sendable, CustomStringConvertible {
    /// The store failed or refused.
    case store(StoreError)
    /// No agency has a current batch.
    case nothingToLink
    /// Two current batches cannot be linked together.
    case unlinkable(String)
    /// The stored linking state does not decode.
    case corruptState(String)
    /// The records to cluster span more agencies than clustering supports.
    case tooManyAgencies(Int)
    /// A referral query cannot be matched before the store has been linked once (no model yet).
    case notLinkedYet

    public var description: String {
        switch self {
        case .store(let e): e.description
        case .nothingToLink: "nothing to link: the store holds no batch; ingest some first"
        case .unlinkable(let why): why
        case .corruptState(let why): "\(why); run 'mashlink-hub link --full' to re-train and rebuild the index"
        case .tooManyAgencies(let n): "\(n) agencies in one linking run; mashlink clusters at most 64"
        case .notLinkedYet: "the store has not been linked yet, so there is no model to score a query with: run 'mashlink-hub link' once the agencies' batches are in"
        }
    }
}

/// Times the stages of a run.
struct StageTimer {
    private var last = ContinuousClock.now
    private(set) var stages: [(stage: String, seconds: Double)] = []

    mutating func lap(_ stage: String) {
        let now = ContinuousClock.now
        let d = now - last
        last = now
        add(stage, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    /// Adds a stage timed elsewhere (and restarts the clock).
    mutating func add(_ stage: String, _ seconds: Double) {
        stages.append((stage, seconds))
        last = ContinuousClock.now
    }
}
