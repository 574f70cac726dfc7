import Foundation
import LinkCrypto
import Tokenisation

/// The benchmarks' linkage key: derived from `seed` so that runs can be compared (blocking and
/// hash collisions depend on the key), or a fresh random one when `seed` is 0.
func benchLinkageKey(seed: UInt8) throws -> LinkageKey {
    seed == 0 ? LinkageKey.generate() : try LinkageKey(secret: SecureBytes([UInt8](repeating: seed, count: LinkageKey.byteCount)))
}

/// Times `body` the way the Python anchor does: warm up, calibrate an iteration count that takes
/// about `target` seconds, then report the median per-operation time of `repetitions` runs.
struct Measurement {
    var repetitions = 5
    var target = 1.0

    func perOperation(_ body: () -> Void) -> Double {
        for _ in 0..<3 { body() }
        var iterations = 1
        while true {
            let t = time(iterations, body)
            if t >= target / 10 {
                iterations = max(1, Int(Double(iterations) * target / t))
                break
            }
            iterations *= 4
        }
        var samples: [Double] = []
        for _ in 0..<repetitions { samples.append(time(iterations, body) / Double(iterations)) }
        samples.sort()
        return samples[samples.count / 2]
    }

    private func time(_ iterations: Int, _ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        for _ in 0..<iterations { body() }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Prints one figure as `mashlink <name> <value> <unit>`, the format the Python anchor prints.
func report(_ name: String, seconds: Double, unit: Unit) {
    let value = seconds * unit.scale
    print("mashlink \(name) \(formatted(value)) \(unit.rawValue)")
}

enum Unit: String {
    case ns = "ns/op", us = "µs/op", ms = "ms/op"
    var scale: Double { self == .ns ? 1e9 : self == .us ? 1e6 : 1e3 }
}

func formatted(_ value: Double) -> String {
    let digits = value >= 100 ? 1 : value >= 10 ? 2 : 3
    var p = 1.0
    for _ in 0..<digits { p *= 10 }
    let rounded = (value * p).rounded() / p
    return String(rounded)
}

/// CPU model and core count, for the record in docs/benchmarks.md.
func machineDescription() -> String {
    var model = "unknown CPU"
    if let f = fopen("/proc/cpuinfo", "r") {
        defer { fclose(f) }
        var line: UnsafeMutablePointer<CChar>?
        var cap = 0
        while getline(&line, &cap, f) > 0 {
            let s = String(cString: line!)
            if s.hasPrefix("model name") {
                model = String(s.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                break
            }
        }
        free(line)
    }
    return "\(model), \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) logical CPUs"
}
