import Foundation

/// A wrk-like load: `clients` keep-alive connections, one thread each, sending
/// requests back to back; latencies of the answers after the warm-up that
/// `accept` takes (by default any 2xx) go in the histogram, the rest count as failures.
public func runLoad(
    port: Int,
    clients: Int,
    warmUp: Duration,
    duration: Duration,
    accept: @escaping @Sendable (HTTPConnection.Answer) -> Bool = { (200..<300).contains($0.status) },
    request: @escaping @Sendable (_ client: Int, _ iteration: Int, HTTPConnection) throws -> HTTPConnection.Answer
) async -> Latencies {
    let collected = Collected()
    let warmUpEnd = ContinuousClock.now + warmUp
    let deadline = warmUpEnd + duration
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let group = DispatchGroup()
        for index in 0..<clients {
            group.enter()
            Thread {
                var latencies = Latencies()
                if let connection = try? HTTPConnection(port: port) {
                    var iteration = 0
                    while ContinuousClock.now < deadline {
                        let start = ContinuousClock.now
                        let answer = try? request(index, iteration, connection)
                        iteration += 1
                        guard ContinuousClock.now >= warmUpEnd else { continue }
                        if let answer, accept(answer) { latencies.record(ContinuousClock.now - start, bytes: answer.size) } else { latencies.fail() }
                        if answer == nil { break }
                    }
                } else {
                    latencies.fail()
                }
                collected.add(latencies)
                group.leave()
            }.start()
        }
        group.notify(queue: .global()) { continuation.resume() }
    }
    return collected.total
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var latencies = Latencies()

    func add(_ other: Latencies) {
        lock.lock()
        latencies.add(other)
        lock.unlock()
    }

    var total: Latencies {
        lock.lock()
        defer { lock.unlock() }
        return latencies
    }
}
