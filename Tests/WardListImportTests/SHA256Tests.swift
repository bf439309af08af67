import Testing
import WardListImport

private func sha256(_ bytes: [UInt8], chunkSize: Int? = nil) -> String {
    var sha = SHA256()
    let size = max(1, chunkSize ?? bytes.count)
    var start = 0
    while start < bytes.count {
        sha.update(Array(bytes[start..<min(start + size, bytes.count)]))
        start += size
    }
    return sha.finalize()
}

private func fingerprint(_ bytes: [UInt8], splits: [Int] = []) -> String {
    var fingerprint = ContentFingerprint()
    var start = 0
    for end in splits + [bytes.count] {
        Array(bytes[start..<end]).withUnsafeBufferPointer { fingerprint.update($0) }
        start = end
    }
    return fingerprint.finalize()
}

@Suite("SHA-256 and content fingerprint")
struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func standardVectors(message: String, digest: String) {
        #expect(sha256(Array(message.utf8)) == digest)
    }

    @Test func oneMillionAs() {
        let digest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(sha256(million) == digest)
        #expect(sha256(million, chunkSize: 1000) == digest)
        #expect(sha256(million, chunkSize: 333) == digest)
    }

    /// Lengths either side of the padding boundaries (55/56 bytes and whole blocks).
    @Test(arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    ])
    func paddingBoundaries(length: Int, digest: String) {
        #expect(sha256([UInt8](repeating: UInt8(ascii: "a"), count: length)) == digest)
    }

    @Test func chunkedFeedingEqualsOneShot() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = sha256(bytes)
        for size in 1...bytes.count {
            #expect(sha256(bytes, chunkSize: size) == whole, "chunks of \(size)")
        }
    }

    @Test func emptyUpdatesChangeNothing() {
        var sha = SHA256()
        sha.update([])
        sha.update(Array("abc".utf8))
        sha.update([])
        #expect(sha.finalize() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    // MARK: Content fingerprint

    static let lf = Array("site_code,ward_code\nRZZ01,\"W\n07\"\nRZZ01,W09\n".utf8)
    static let crlf = Array("site_code,ward_code\r\nRZZ01,\"W\r\n07\"\r\nRZZ01,W09\r\n".utf8)

    @Test func crlfAndLFFilesHaveTheSameFingerprint() {
        #expect(fingerprint(Self.crlf) == fingerprint(Self.lf))
        #expect(fingerprint(Self.lf) == sha256(Self.lf), "an LF file is hashed as it is")
        #expect(fingerprint(Array("a,b\r\nc,d\n".utf8)) == "eafde52e304486ad92291694fa17012481621e71d08c45a643e23ed504d061cd")
    }

    @Test func aCRAtAChunkBoundaryIsStillPartOfCRLF() {
        let expected = fingerprint(Self.lf)
        for split in 0...Self.crlf.count {
            #expect(fingerprint(Self.crlf, splits: [split]) == expected, "split at \(split)")
        }
        let everyByte = Array(1..<Self.crlf.count)
        #expect(fingerprint(Self.crlf, splits: everyByte) == expected)
    }

    @Test func aBareCRIsContent() {
        #expect(fingerprint(Array("a\rb".utf8)) != fingerprint(Array("a\nb".utf8)))
        #expect(fingerprint(Array("a\rb".utf8)) == sha256(Array("a\rb".utf8)))
        #expect(fingerprint(Array("a\r\r\nb\r".utf8)) == sha256(Array("a\r\nb\r".utf8)))
        #expect(fingerprint(Array("a\r\r\nb\r".utf8), splits: [2, 3, 6]) == sha256(Array("a\r\nb\r".utf8)))
    }

    @Test func differentContentHasADifferentFingerprint() {
        #expect(fingerprint(Array("a,b\n1,2\n".utf8)) != fingerprint(Array("a,b\n1,3\n".utf8)))
    }

    @Test func withTheParserABOMFileHasTheSameFingerprintAsItsPlainTwin() throws {
        for size in [1, 2, 3, 4, 7, 1000] {
            let marked = try parseCSV(utf8BOM + Self.crlf, chunkSize: size).raw
            let plain = try parseCSV(Self.lf, chunkSize: size).raw
            #expect(fingerprint(marked) == fingerprint(plain), "chunks of \(size)")
        }
    }
}

/// Whole blocks go to the processor's SHA instructions where it has them;
/// the digest must be the portable rounds' for every length and split.
@Suite("SHA-256 on the processor's instructions and in Swift agree")
struct SHA256AccelerationTests {
    @Test func everyLengthAndSplitGivesThePortableDigest() {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4_200).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for length in [0, 1, 63, 64, 65, 127, 128, 129, 1_000, 4_096, 4_200] {
            let message = Array(bytes[..<length])
            var portable = SHA256(portable: true)
            portable.update(message)
            let expected = portable.finalize()
            for split in [1, 7, 64, 100, max(1, length)] {
                var sha = SHA256()
                var start = 0
                while start < length {
                    sha.update(Array(message[start..<min(start + split, length)]))
                    start += split
                }
                #expect(sha.finalize() == expected, "length \(length), split \(split)")
            }
        }
    }
}
