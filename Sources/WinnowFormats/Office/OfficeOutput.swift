import WinnowText

/// What `winnow extract-office` writes on stdout, and how the reader reads it back:
///
///     winnow-office 1
///     format: docx
///     title: Two held over arson attack on Sheffield depot
///     heading: Two held over arson attack on Sheffield depot
///     author: Winnow Test Desk
///     created: 2024-03-05T09:30:00Z
///     warning: …                      (any number)
///                                     (a blank line)
///     Two held over arson attack …    (the UTF-8 text, to the end)
///
/// or, when the document cannot be read (the exit status is `exitStatus(for:)` then):
///
///     winnow-office 1
///     failure: malformed              (a ReadFailure.Reason)
///     detail: word/document.xml is damaged: …
///
/// Header values are one line each (whitespace and control characters collapsed); absent
/// fields are left out; unknown keys are ignored, so fields can be added.
enum OfficeOutput {
    static let magic = "winnow-office 1"

    static func encode(_ d: OfficeDocument) -> [UInt8] {
        var fields = [("format", d.format.rawValue)]
        for (key, value) in [("title", d.title), ("heading", d.heading), ("author", d.author), ("created", d.created)] {
            if let value { fields.append((key, value)) }
        }
        fields += d.warnings.map { ("warning", $0) }
        return header(fields) + d.text
    }

    static func encode(_ failure: ReadFailure) -> [UInt8] {
        header([("failure", failure.reason.rawValue), ("detail", failure.detail)])
    }

    private static func header(_ fields: [(String, String)]) -> [UInt8] {
        var out = magic + "\n"
        for (key, value) in fields { out += "\(key): \(DocumentTitle.collapse(value))\n" }
        return Array((out + "\n").utf8)
    }

    /// The document or the failure the child reported; nil when `output` is not this protocol
    /// (the child crashed before writing, or the command is not Winnow's).
    static func decode(_ output: [UInt8]) -> Result<OfficeDocument, ReadFailure>? {
        guard let end = output.firstRange(of: [0x0A, 0x0A]) else { return nil }
        let lines = output[..<end.lowerBound].split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        guard lines.first == magic else { return nil }
        var fields: [String: String] = [:]
        var warnings: [String] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon]), value = String(line[line.index(after: colon)...]).trimmingWhitespace
            if key == "warning" { warnings.append(value) } else if fields[key] == nil { fields[key] = value }
        }
        if let reason = fields["failure"] {
            return .failure(ReadFailure(ReadFailure.Reason(rawValue: reason) ?? .toolFailed, fields["detail"] ?? reason))
        }
        guard let format = fields["format"].flatMap(OfficeDocument.Format.init) else { return nil }
        var text = Array(output[end.upperBound...])
        if UTF8Validation.firstInvalid(text) != nil { text = Array(String(decoding: text, as: UTF8.self).utf8) }
        return .success(OfficeDocument(format: format, text: text, title: fields["title"], heading: fields["heading"],
                                       author: fields["author"], created: fields["created"], warnings: warnings))
    }

    /// The child's exit status for each reason (0: read).
    static func exitStatus(for reason: ReadFailure.Reason) -> Int32 {
        switch reason {
        case .malformed: 3
        case .encrypted: 4
        case .noText: 5
        case .unsupportedFormat: 6
        case .toolFailed: 7
        case .binary, .undecodable, .toolMissing, .budget: 8
        }
    }
}
