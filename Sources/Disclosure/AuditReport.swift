import Foundation
import Tokenisation

/// The DPO's report over a verified log: who saw what, when and why, with counts and decision
/// times, for a period. Built from entries alone (no identifier is in them to show).
public struct DisclosureReport: Sendable, Codable {
    /// One release, as the report lists it.
    public struct Release: Sendable, Codable, Hashable {
        public let at: String, referral: String, agency: String, record: String
        public let threshold: String, tiers: [String], lawfulBasis: String
        public let releasedTo: String, proposedBy: String, confirmedBy: String
        public let reason: String?, status: String
    }

    /// The period covered (inclusive dates, ISO 8601).
    public let from: String, to: String
    public let releases: [Release]
    public let byAgency: [String: Int], byThreshold: [String: Int], byUser: [String: Int], byDay: [String: Int]
    /// Referrals with a decision in the period, and hours from receipt to the confirmed threshold.
    public let decisions: Int
    public let medianDecisionHours: Double?, longestDecisionHours: Double?
    /// Timeliness by RAG priority (from each referral's `referral.received` entry): decisions in the
    /// period, and how many of them came after the referral's due time.
    public let timeliness: [String: Timeliness]
    /// See ``timeliness``.
    public struct Timeliness: Sendable, Codable, Hashable {
        public let decided: Int, late: Int
    }
    /// The audit's findings (all of them, not only the period's: a broken log is broken throughout).
    public let findings: [String]
    public let passed: Bool

    /// Builds the report for `from...to` (dates, `YYYY-MM-DD`) from decoded `entries` and the audit's outcome.
    public init(entries: [LogEntry], audit: AuditReport, from: String, to: String) {
        self.from = from
        self.to = to
        func inPeriod(_ at: String) -> Bool { let day = String(at.prefix(10)); return day >= from && day <= to }
        var status: [String: String] = [:]
        for e in entries where e.kind == .releaseCompleted || e.kind == .releaseVoided {
            if let id = e.release { status[id] = e.kind == .releaseCompleted ? "completed" : "voided" }
        }
        let list = entries.filter { $0.kind == .releaseLogged && inPeriod($0.at) }.map { e in
            Release(
                at: e.at, referral: e.referral, agency: e.agency ?? "", record: e.record ?? "", threshold: e.threshold?.rawValue ?? "",
                tiers: (e.tiers ?? []).map(\.rawValue), lawfulBasis: e.lawfulBasis ?? "", releasedTo: e.user ?? "",
                proposedBy: e.proposedBy ?? "", confirmedBy: e.confirmedBy ?? "", reason: e.reason,
                status: e.release.flatMap { status[$0] } ?? "pending")
        }
        releases = list
        func count(_ key: (Release) -> String) -> [String: Int] { list.reduce(into: [:]) { $0[key($1), default: 0] += 1 } }
        byAgency = count(\.agency)
        byThreshold = count(\.threshold)
        byUser = count(\.releasedTo)
        byDay = count { String($0.at.prefix(10)) }
        var received: [String: Date] = [:], hours: [Double] = []
        var due: [String: (priority: String, due: String)] = [:], decidedLate: [String: (Int, Int)] = [:]
        for e in entries {
            guard let t = Timestamps.date(e.at) else { continue }
            if e.kind == .referralReceived, received[e.referral] == nil {
                received[e.referral] = t
                if let p = e.priority, let d = e.due { due[e.referral] = (p, d) }
            }
            if e.kind == .thresholdConfirmed, inPeriod(e.at), let start = received[e.referral] {
                hours.append(t.timeIntervalSince(start) / 3600)
                if let (p, d) = due[e.referral] {
                    // Times are all YYYY-MM-DDTHH:MM:SSZ, so their order is their byte order.
                    let (n, late) = decidedLate[p] ?? (0, 0)
                    decidedLate[p] = (n + 1, late + (e.at > d ? 1 : 0))
                }
            }
        }
        timeliness = decidedLate.mapValues { Timeliness(decided: $0.0, late: $0.1) }
        hours.sort()
        decisions = hours.count
        medianDecisionHours = hours.isEmpty ? nil : hours.count % 2 == 1 ? hours[hours.count / 2] : (hours[hours.count / 2 - 1] + hours[hours.count / 2]) / 2
        longestDecisionHours = hours.last
        findings = audit.findings.map(\.description)
        passed = audit.passed
    }

    /// The report as JSON (sorted keys, pretty).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The releases as CSV (RFC 4180 quoting), one row each.
    public func csv() -> String {
        func field(_ s: String) -> String { s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        let header = "at,referral,agency,record,threshold,tiers,lawful_basis,released_to,proposed_by,confirmed_by,reason,status"
        let rows = releases.map { r in
            [r.at, r.referral, r.agency, r.record, r.threshold, r.tiers.joined(separator: " "), r.lawfulBasis, r.releasedTo, r.proposedBy, r.confirmedBy, r.reason ?? "", r.status]
                .map(field).joined(separator: ",")
        }
        return ([header] + rows).joined(separator: "\n") + "\n"
    }

    /// The report as one self-contained HTML page: summary, findings, bar charts (releases by day,
    /// agency and threshold, inline SVG) and the release table; prints cleanly to PDF.
    public func html() -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func chart(_ title: String, _ counts: [String: Int]) -> String {
            let rows = counts.sorted { $0.key < $1.key }
            guard let top = rows.map(\.value).max(), top > 0 else { return "<h3>\(esc(title))</h3><p>No releases.</p>" }
            let bar = 22, width = 460
            // Typed: an untyped closure here once inferred GRDB's SQL string type from a linked module.
            let bars: String = rows.enumerated().map { (i, row) -> String in
                let w = max(1, row.value * (width - 170) / top), y = i * bar
                return "<text x=\"0\" y=\"\(y + 15)\">\(esc(row.key))</text><rect x=\"150\" y=\"\(y + 3)\" width=\"\(w)\" height=\"16\"/><text x=\"\(155 + w)\" y=\"\(y + 15)\">\(row.value)</text>"
            }.joined()
            return "<h3>\(esc(title))</h3><svg role=\"img\" aria-label=\"\(esc(title))\" width=\"\(width)\" height=\"\(rows.count * bar + 4)\">\(bars)</svg>"
        }
        let hours = { (h: Double?) in h.map { String(format: "%.1f h", $0) } ?? "—" }
        let timelinessLine = timeliness.isEmpty ? "" : "<p>Decisions within the MASH's timescales: " + ["red", "amber", "green"].compactMap { p in
            timeliness[p].map { "\(p) \($0.decided - $0.late) of \($0.decided) on time" }
        }.joined(separator: " · ") + "</p>"
        let findingList = findings.isEmpty ? "<p>None: the log verified and every release is within policy.</p>"
            : "<ul>" + findings.map { "<li>\(esc($0))</li>" }.joined() + "</ul>"
        let table = releases.map { r in
            "<tr><td>\(esc(r.at))</td><td>\(esc(r.referral))</td><td>\(esc(r.agency))</td><td class=\"ref\">\(esc(r.record))</td><td>\(esc(r.threshold))</td><td>\(esc(r.tiers.joined(separator: ", ")))</td><td>\(esc(r.releasedTo))</td><td>\(esc(r.proposedBy)) / \(esc(r.confirmedBy))</td><td>\(esc(r.status))</td><td>\(esc(r.reason ?? ""))</td></tr>"
        }.joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>mashlink disclosure report \(esc(from)) to \(esc(to))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}
            table{border-collapse:collapse;width:100%;font-size:12px}td,th{border:1px solid #bbb;padding:3px 5px;text-align:left;vertical-align:top}
            th{background:#eee}.ref{font-family:monospace;word-break:break-all}svg text{font-size:12px}svg rect{fill:#35608f}
            .verdict{font-weight:bold;color:\(passed ? "#176317" : "#9b1c1c")}
            @media print{body{margin:0}h2{break-before:page}table{page-break-inside:auto}tr{break-inside:avoid}}
            </style></head><body>
            <h1>Disclosure report, \(esc(from)) to \(esc(to))</h1>
            <p class="verdict">Log verification: \(passed ? "passed" : "FAILED")</p>
            <p>\(releases.count) releases · \(decisions) threshold decisions · median time from referral to decision \(hours(medianDecisionHours)), longest \(hours(longestDecisionHours))</p>
            \(timelinessLine)
            <h2>Findings</h2>
            \(findingList)
            <h2>Releases</h2>
            \(chart("Releases by day", byDay))
            \(chart("Releases by agency", byAgency))
            \(chart("Releases by threshold", byThreshold))
            \(chart("Releases by user", byUser))
            <table><thead><tr><th>time</th><th>referral</th><th>agency</th><th>record</th><th>threshold</th><th>tiers</th><th>released to</th><th>proposed / confirmed</th><th>status</th><th>reason</th></tr></thead>
            <tbody>
            \(table)
            </tbody></table>
            </body></html>

            """
    }
}
