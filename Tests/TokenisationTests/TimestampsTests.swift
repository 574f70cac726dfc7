import Foundation
import Testing
@testable import Tokenisation

@Suite("Timestamps")
struct TimestampsTests {
    @Test("written exactly as ISO8601DateFormatter writes them, and read back")
    func matchesFoundation() throws {
        let foundation = ISO8601DateFormatter()
        for seconds in [0.0, 951_782_400, 1_709_164_799.9, 1_796_000_000, 4_102_444_800] {
            let date = Date(timeIntervalSince1970: seconds)
            let text = Timestamps.string(date)
            #expect(text == foundation.string(from: date))
            #expect(Timestamps.date(text) == Date(timeIntervalSince1970: seconds.rounded(.down)))
        }
    }

    @Test("anything but the exact form, or an impossible time, is refused")
    func refusals() {
        #expect(Timestamps.date("2024-02-29T23:59:59Z") != nil)
        for text in ["2023-02-29T00:00:00Z", "2023-02-30T12:00:00Z", "2023-13-01T00:00:00Z", "2023-01-01T24:00:00Z",
                     "2023-01-01T00:60:00Z", "2023-01-01 00:00:00Z", "2023-01-01T00:00:00", "2023-01-01T00:00:00.5Z", "", "2023-1-01T00:00:00Z"] {
            #expect(Timestamps.date(text) == nil, "\(text)")
        }
    }
}
