/// Checks a zip's directory against the file's real size before ZIPFoundation reads it:
/// an entry whose offsets or sizes point past the end of the file (a truncated or crafted
/// zip) is a reject here, where ZIPFoundation would trap. Also names the containers that
/// are not zips at all: an encrypted workbook and an Excel 97–2003 (.xls) file.
enum ZipDirectory {
    /// Where an entry's data lie, as its directory record and local header say.
    struct Member {
        /// The compression method (0 stored, 8 deflated).
        let method: Int
        /// The offset of its data in the file, and their sizes.
        let data: Int
        let compressed: Int
        let uncompressed: Int
    }

    /// The entries in directory order; throws when `bytes` are not a zip whose every entry lies inside the file.
    static func validate(_ bytes: [UInt8], name: String) throws(IngestError) -> [Member] {
        if CompoundDocument.isCompoundDocument(bytes) { throw oleError(bytes, name: name) }
        let n = bytes.count
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        func broken(_ why: String) -> IngestError {
            IngestError(.malformedZip, "\(name)：不是有效的.xlsx（zip）文件：\(why)")
        }
        // The end-of-central-directory record: 22 bytes, then a comment of up to 65,535 bytes.
        var eocd = -1
        var i = n - 22
        while i >= max(0, n - 22 - 65_535) {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x05, bytes[i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw broken("找不到zip目录结尾（文件被截断或不是zip）") }
        let entries = u16(eocd + 10), size = u32(eocd + 12), offset = u32(eocd + 16)
        if entries == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            throw IngestError(.unsupported, "\(name)：zip64格式的工作簿不受支持，请用Excel或WPS另存为.xlsx")
        }
        guard offset + size <= eocd else { throw broken("zip目录超出文件范围") }
        var members: [Member] = []
        var p = offset
        for k in 0..<entries {
            guard p + 46 <= offset + size, u32(p) == 0x0201_4B50 else { throw broken("第\(k + 1)个目录项损坏") }
            let flags = u16(p + 8), compressed = u32(p + 20), uncompressed = u32(p + 24)
            let nameLength = u16(p + 28), extraLength = u16(p + 30), commentLength = u16(p + 32), local = u32(p + 42)
            if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                throw IngestError(.unsupported, "\(name)：zip64格式的工作簿不受支持，请用Excel或WPS另存为.xlsx")
            }
            if flags & 1 != 0 { throw IngestError(.unsupported, "\(name)：工作簿中的部件已加密，请取消密码后另存为.xlsx再报送") }
            guard local + 30 <= n, u32(local) == 0x0403_4B50 else { throw broken("第\(k + 1)个部件的本地头超出文件范围") }
            let data = local + 30 + u16(local + 26) + u16(local + 28)
            let method = u16(p + 10), stored = data + (method == 0 ? uncompressed : compressed)
            guard data + compressed <= n, stored <= n else { throw broken("第\(k + 1)个部件的数据超出文件范围（文件被截断）") }
            // With bit 3 set, ZIPFoundation takes the member's sizes from the data descriptor after its
            // data: one that is missing or disagrees with the directory would send it past the end.
            if flags & 8 != 0 {
                guard stored + 16 <= n else { throw broken("第\(k + 1)个部件的数据描述符超出文件范围") }
                let d = u32(stored) == 0x0807_4B50 ? stored + 4 : stored
                guard u32(d + 4) == compressed, u32(d + 8) == uncompressed else {
                    throw broken("第\(k + 1)个部件的数据描述符与目录不符")
                }
            }
            members.append(Member(method: method, data: data, compressed: compressed, uncompressed: uncompressed))
            p += 46 + nameLength + extraLength + commentLength
        }
        guard p <= offset + size else { throw broken("zip目录项超出目录范围") }
        return members
    }

    /// A compound document (OLE2) reaches here only when something bypassed `TableFile.read`,
    /// which hands .xls content to `XLSReader` whatever the file is called.
    private static func oleError(_ bytes: [UInt8], name: String) -> IngestError {
        if CompoundDocument.isEncryptedOOXML(bytes) {
            return IngestError(.unsupported, "\(name)：工作簿设有打开密码（已加密），无法读取；请取消密码后重新保存再报送")
        }
        return IngestError(.unsupported, "\(name)：这是旧版Excel 97–2003（.xls）文件，扩展名却是.xlsx；请另存为.xlsx再报送")
    }
}
