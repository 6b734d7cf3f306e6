internal import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// One XML part of an office file, read node by node with libxml2's xmlTextReader (streaming:
/// memory stays flat however long the part is).
///
/// Safe for hostile input: no network (XML_PARSE_NONET), no external DTD (no DTDLOAD), no
/// entity substitution (no NOENT), libxml2's default size limits (no HUGE); a part that declares
/// a DOCTYPE is refused before any entity in it is used, as office files never carry one.
final class XMLStream {
    enum Node: Int32 {
        case element = 1, text = 3, cdata = 4, entityReference = 5, documentType = 10, whitespace = 13,
             significantWhitespace = 14, endElement = 15, other = -1
    }

    private let reader: xmlTextReaderPtr
    /// The part's name in the archive, for messages.
    let part: String
    private(set) var node = Node.other

    /// `bytes` must outlive the stream.
    init(_ bytes: UnsafeBufferPointer<UInt8>, part: String) throws(ReadFailure) {
        self.part = part
        xmlInitParser()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
                            | XML_PARSE_COMPACT.rawValue)
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw ReadFailure(.malformed, "\(part) is empty") }
        guard bytes.count <= Int(Int32.max),
              let r = xmlReaderForMemory(UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count),
                                         part, nil, options) else {
            throw ReadFailure(.malformed, "\(part) could not be read as XML")
        }
        reader = r
    }

    deinit { xmlFreeTextReader(reader) }

    /// Moves to the next node; false at the end of the part.
    func next() throws(ReadFailure) -> Bool {
        let r = xmlTextReaderRead(reader)
        if r == 1 {
            node = Node(rawValue: xmlTextReaderNodeType(reader)) ?? .other
            if node == .documentType {
                throw ReadFailure(.malformed, "\(part) declares a DOCTYPE, which office files never do; refusing its entities")
            }
            return true
        }
        if r == 0 { return false }
        var message = "not well-formed XML"
        if let e = xmlGetLastError(), let m = e.pointee.message {
            message = DocumentTitle.collapse(String(cString: m)) + " at line \(e.pointee.line)"
        }
        throw ReadFailure(.malformed, "\(part) is damaged: \(message)")
    }

    var depth: Int32 { xmlTextReaderDepth(reader) }
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// Whether the current element or end tag is `local` in namespace `namespace`.
    func isNamed(_ local: StaticString, in namespace: XMLNamespace) -> Bool {
        guard let name = xmlTextReaderConstLocalName(reader) else { return false }
        return strcmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), local.cString) == 0
            && inNamespace(namespace)
    }

    func inNamespace(_ namespace: XMLNamespace) -> Bool {
        guard let uri = xmlTextReaderConstNamespaceUri(reader) else { return false }
        let u = UnsafeRawPointer(uri).assumingMemoryBound(to: CChar.self)
        return namespace.uris.contains { strcmp(u, $0.cString) == 0 }
    }

    /// The text of a text, CDATA or whitespace node.
    var value: UnsafeBufferPointer<UInt8> {
        guard let v = xmlTextReaderConstValue(reader) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: v, count: strlen(UnsafeRawPointer(v).assumingMemoryBound(to: CChar.self)))
    }

    /// The current element's attribute `local` in `namespace`, or without a namespace when nil.
    func attribute(_ local: StaticString, in namespace: XMLNamespace?) -> String? {
        let found: Int32
        if let namespace {
            found = namespace.uris.lazy.map { xmlTextReaderMoveToAttributeNs(self.reader, local.xml, $0.xml) }
                .first { $0 == 1 } ?? 0
        } else {
            found = xmlTextReaderMoveToAttribute(reader, local.xml)
        }
        guard found == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        return xmlTextReaderConstValue(reader).map { String(cString: $0) }
    }

    /// Skips the rest of the current element (its children and end tag).
    func skipElement() throws(ReadFailure) {
        guard node == .element, !isEmptyElement else { return }
        let d = depth
        while try next() {
            if node == .endElement, depth == d { return }
        }
    }
}

/// The namespaces office parts use; a name matches any of a namespace's URIs (OOXML has a
/// transitional and a strict one).
enum XMLNamespace {
    case w, mc, dc, dcterms, packageRelationships, office, text, meta

    var uris: [StaticString] {
        switch self {
        case .w: ["http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"]
        case .mc: ["http://schemas.openxmlformats.org/markup-compatibility/2006"]
        case .dc: ["http://purl.org/dc/elements/1.1/"]
        case .dcterms: ["http://purl.org/dc/terms/"]
        case .packageRelationships: ["http://schemas.openxmlformats.org/package/2006/relationships"]
        case .office: ["urn:oasis:names:tc:opendocument:xmlns:office:1.0"]
        case .text: ["urn:oasis:names:tc:opendocument:xmlns:text:1.0"]
        case .meta: ["urn:oasis:names:tc:opendocument:xmlns:meta:1.0"]
        }
    }
}

extension StaticString {
    var cString: UnsafePointer<CChar> { UnsafeRawPointer(utf8Start).assumingMemoryBound(to: CChar.self) }
    var xml: UnsafePointer<xmlChar> { utf8Start }
}
