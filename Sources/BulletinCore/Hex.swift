/// Lower-case hex without `String(format:)` (which is slow).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func string<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
