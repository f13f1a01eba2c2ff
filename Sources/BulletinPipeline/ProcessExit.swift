import Foundation

/// What a process keeps until it exits, never to be freed (`Pipeline.leavesInputsToExit`): the
/// kernel takes a process's memory back at once, where freeing a night's records one by one took
/// a tenth of a warm night.
enum ProcessExit {
    nonisolated(unsafe) private static var held: [Any] = []
    private static let lock = NSLock()

    /// Keeps `value` alive until the process exits.
    static func keep(_ value: Any) {
        lock.lock()
        held.append(value)
        lock.unlock()
    }
}
