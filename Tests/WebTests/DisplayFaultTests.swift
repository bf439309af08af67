import Reports
import StrandedCore
import Testing
import Workflow

@testable import Web

/// Small things a reader trips over: "Ward Ward 4", downloads that
/// overwrite each other.
@Suite("Names and file names on pages")
struct DisplayFaultTests {
    @Test func aWardIsCalledWardOnce() {
        #expect(WardName.display(name: "Ward 4", code: "W4") == "Ward 4 (W4)")
        #expect(WardName.display(name: "Cherwell", code: "CHW") == "Ward Cherwell (CHW)")
        #expect(WardName.display(name: "Cherwell ward", code: "CHW") == "Cherwell ward (CHW)")
        #expect(WardName.display(name: nil, code: "W4") == "Ward W4")
    }

    @Test func theThreeTrendCSVDownloadsHaveDistinctNames() {
        let from = CalendarDate(iso: "2026-01-05")!
        let to = CalendarDate(iso: "2026-11-16")!
        let plain = TrendRequest(scope: .system, code: nil, from: from, to: to, format: .csv, control: .none)
        let published = TrendRequest(scope: .system, code: nil, from: from, to: to, format: .csv, control: .publication)
        let long = TrendRequest(scope: .system, code: nil, from: from, to: to, format: .long, control: .none)
        let suffixes = [plain, published, long].map(TrendRoutes.fileNameSuffix)
        #expect(suffixes == ["", "-publication", "-long"])
    }
}
