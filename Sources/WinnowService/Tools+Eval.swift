import Foundation
import WinnowEngine
import WinnowEvaluation
import WinnowFiles
import WinnowFormats
import WinnowRules

extension Tools {
    /// `winnow eval`: classifies the documents and scores them against the labels (the
    /// back-test an analyst runs before changing a rule). 0 when the report was printed, 1 when
    /// the labels cannot be read, 2 when the rules have errors.
    public static func eval(configPath: String?, rules: String?, labelsPath: String, format: Format, paths: [String]) -> Int32 {
        guard let config = config(path: configPath, rulesOverride: rules) else { return 2 }
        let (ruleset, diagnostics) = RulesetCompiler.compile(folder: config.rules)
        guard let ruleset else {
            print(diagnostics, format: .text)
            return 2
        }
        let labels: LabelSet
        do {
            let bytes = try Files.readNamed(labelsPath, maxBytes: 64 << 20)
            labels = try LabelSet(tsv: String(decoding: bytes, as: UTF8.self), path: labelsPath)
        } catch let error as LabelSet.ParseError {
            FileHandle.standardError.write(Data("winnow: \(error.description)\n".utf8))
            return 1
        } catch {
            FileHandle.standardError.write(Data("winnow: cannot read labels '\(labelsPath)': \(error)\n".utf8))
            return 1
        }
        var predictions: [Prediction] = []
        for path in expand(paths) {
            predictions += predict(path, ruleset: ruleset, config: config)
        }
        let card = Scorecard(labels: labels, predictions: predictions)
        Swift.print(format == .json ? ScorecardReport.json(card, ruleset: ruleset.hash) : ScorecardReport.text(card, ruleset: ruleset.hash),
                    terminator: format == .json ? "\n" : "")
        return 0
    }

    /// One prediction per document in the file (a feed's records as `name#N`).
    static func predict(_ path: String, ruleset: Ruleset, config: WinnowConfig) -> [Prediction] {
        let name = Files.baseName(path)
        let bytes: [UInt8]
        do {
            guard case .bytes(let b) = try Files.read(path, maxBytes: config.maxBytes, followingSymlinks: true) else {
                return [Prediction(key: name, failure: "too large or not a regular file")]
            }
            bytes = b
        } catch {
            return [Prediction(key: name, failure: error.reason)]
        }
        do {
            let file = try ruleset.classify(bytes: bytes, name: name, reading: config.reading)
            var out = file.classifications.map { c -> Prediction in
                var countries: [String: String] = [:]
                for p in c.places where p.role == .main { if let code = p.country, countries[code] == nil { countries[code] = p.text } }
                for tag in c.tags where tag.hasPrefix("place:") && tag.count == 8 {
                    let code = String(tag.dropFirst(6))
                    if countries[code] == nil { countries[code] = tag }
                }
                return Prediction(key: c.document.displayName, tags: c.tags, countries: countries, title: c.document.title,
                                  format: c.document.metadata.format.rawValue,
                                  rules: c.rules.filter(\.counted).map { ($0.id, $0.tags, $0.evidence.map(\.text)) },
                                  topicScores: Dictionary(c.topics.map { ($0.name, ($0.score, $0.required)) }) { a, _ in a })
            }
            out += file.failures.map { Prediction(key: "\(name)#\($0.record)", failure: "\($0.failure.reason.rawValue): \($0.failure.detail)") }
            return out
        } catch {
            return [Prediction(key: name, failure: "\(error.reason.rawValue): \(error.detail)")]
        }
    }
}
