/// Reads simple metadata elements (dc:title, dc:creator …) of docProps/core.xml and meta.xml.
enum OfficeMetadata {
    /// The text of the first element of each of `names`, whitespace collapsed; nil when absent
    /// or empty.
    static func fields(_ x: XMLStream, _ names: [(XMLNamespace, StaticString)]) throws(ReadFailure) -> [String?] {
        var values = [String?](repeating: nil, count: names.count)
        var capturing: Int?
        var bytes: [UInt8] = []
        while try x.next() {
            switch x.node {
            case .element:
                guard capturing == nil, !x.isEmptyElement,
                      let k = names.indices.first(where: { values[$0] == nil && x.isNamed(names[$0].1, in: names[$0].0) })
                else { continue }
                capturing = k
                bytes = []
            case .text, .cdata, .significantWhitespace, .whitespace:
                if capturing != nil, bytes.count < 4096 { bytes.append(contentsOf: x.value) }
            case .endElement:
                guard let k = capturing, x.isNamed(names[k].1, in: names[k].0) else { continue }
                let value = DocumentTitle.collapse(String(decoding: bytes, as: UTF8.self))
                values[k] = value.isEmpty ? nil : value
                capturing = nil
            default:
                continue
            }
        }
        return values
    }
}
