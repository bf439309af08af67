import NIOPosix

/// Runs blocking libpq calls on dedicated threads.
///
/// libpq's calls block the calling thread until the server answers. Running
/// them on Swift's cooperative pool (two threads on a 2-core machine) or on a
/// NIO event loop would stall every other task, so they go to a
/// `NIOThreadPool` sized to the number of connections that may be busy at once.
public final class BlockingExecutor: Sendable {
    private let threadPool: NIOThreadPool

    public init(threads: Int) {
        threadPool = NIOThreadPool(numberOfThreads: max(1, threads))
        threadPool.start()
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threadPool.runIfActive(body)
    }

    public func shutdown() async {
        try? await threadPool.shutdownGracefully()
    }
}
