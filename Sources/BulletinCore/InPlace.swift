extension Array {
    /// Lends `body` each element in place, in order. A loop over an array of records by value copies
    /// each one it binds (a retain and release of every reference the record holds), even one the loop
    /// only looks at to skip: reading the fields through the pointer copies nothing, and a record kept is
    /// copied once, as `pointee`.
    @inlinable
    public func forEachInPlace(_ body: (UnsafePointer<Element>) throws -> Void) rethrows {
        try self[...].forEachInPlace(body)
    }
}

extension ArraySlice {
    /// Lends `body` each element in place, in order (see `Array.forEachInPlace`).
    @inlinable
    public func forEachInPlace(_ body: (UnsafePointer<Element>) throws -> Void) rethrows {
        try withUnsafeBufferPointer { elements in
            for i in elements.indices { try body(elements.baseAddress! + i) }
        }
    }
}
