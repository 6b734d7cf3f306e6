/// Trimming without Foundation (whose `trimmingCharacters` bridges every string): for attribute
/// values, titles, the tools' output, and every term of a rules folder's lists.
extension String {
    package var trimmingWhitespace: String {
        // Nearly every string has nothing to trim, and its end bytes say so without breaking
        // graphemes (a list of a million place names spent a tenth of its start here). A
        // character that ends in an ASCII byte starts with a scalar that is not whitespace.
        if let f = utf8.first, let l = utf8.last, f < 0x80, l < 0x80, !Self.isASCIISpace(f), !Self.isASCIISpace(l) {
            return self
        }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    /// The ASCII bytes with Unicode's White_Space property (as `Character.isWhitespace`).
    private static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
}

extension String {
    package func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
