/// Parses the condition language:
///
/// ```
/// expr    := and ('or' and)*
/// and     := unary ('and' unary)*
/// unary   := 'not' unary | primary
/// primary := '(' expr ')' | quant 'of' set | '#' name cmp int | near | name
/// near    := operand 'near' '(' int ')' operand
/// operand := name | '(' name ((',' | 'or') name)* ')'
/// quant   := 'all' | 'any' | 'none' | int
/// set     := 'them' | '(' name[*] (',' name[*])* ')'
/// ```
/// Keywords are case-insensitive. Precedence, tightest first: `near`, `not`, `and`, `or`.
public enum ConditionParser {
    /// Parsing, binding and evaluation recurse once per level of the tree, so a generated or
    /// hostile condition (20,000 parentheses, 100,000 'and's) would overflow the stack and take
    /// the daemon down with it. No hand-written condition comes near these bounds.
    public static let maxTokens = 1000
    public static let maxNesting = 64

    public static func parse(_ text: String) throws(ConditionError) -> ConditionExpr {
        let tokens = try Lexer.tokens(text)
        if tokens.count > maxTokens {
            throw ConditionError("the condition has more than \(maxTokens) names, keywords and symbols; split it across rules",
                                 tokens[maxTokens].span)
        }
        var p = Parser(tokens: tokens, length: text.unicodeScalars.count)
        let expr = try p.expression()
        if let t = p.peek {
            throw ConditionError("unexpected '\(t.text)' after a complete condition; join parts with 'and' or 'or'", t.span)
        }
        return expr
    }
}

struct Token {
    enum Kind: Equatable { case name, number, lparen, rparen, comma, hash, cmp, star }
    var kind: Kind
    var text: String
    var span: Span
    var keyword: String? { kind == .name ? text.lowercased() : nil }
}

enum Lexer {
    static func tokens(_ text: String) throws(ConditionError) -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var out: [Token] = []
        var i = 0
        func isNameScalar(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" || c == "."
        }
        while i < scalars.count {
            let c = scalars[i]
            if c.properties.isWhitespace { i += 1; continue }
            let start = i
            switch c {
            case "(": out.append(Token(kind: .lparen, text: "(", span: Span(i, 1))); i += 1
            case ")": out.append(Token(kind: .rparen, text: ")", span: Span(i, 1))); i += 1
            case ",": out.append(Token(kind: .comma, text: ",", span: Span(i, 1))); i += 1
            case "#": out.append(Token(kind: .hash, text: "#", span: Span(i, 1))); i += 1
            case "*": out.append(Token(kind: .star, text: "*", span: Span(i, 1))); i += 1
            case "=", "!", "<", ">":
                var op = String(c)
                if i + 1 < scalars.count, scalars[i + 1] == "=" { op.unicodeScalars.append("="); i += 1 }
                i += 1
                guard Comparison(rawValue: op) != nil else {
                    let hint = op == "=" ? "; write '==' to compare" : (op == "!" ? "; write 'not' to negate" : "")
                    throw ConditionError("'\(op)' is not an operator\(hint)", Span(start, i - start))
                }
                out.append(Token(kind: .cmp, text: op, span: Span(start, i - start)))
            case "&", "|":
                throw ConditionError("'\(c)' is not an operator; write '\(c == "&" ? "and" : "or")'", Span(i, 1))
            default:
                if ("0"..."9").contains(c) {
                    while i < scalars.count, ("0"..."9").contains(scalars[i]) { i += 1 }
                    if i < scalars.count, isNameScalar(scalars[i]) {
                        while i < scalars.count, isNameScalar(scalars[i]) { i += 1 }
                        out.append(Token(kind: .name, text: String(String.UnicodeScalarView(scalars[start..<i])), span: Span(start, i - start)))
                    } else {
                        out.append(Token(kind: .number, text: String(String.UnicodeScalarView(scalars[start..<i])), span: Span(start, i - start)))
                    }
                } else if isNameScalar(c) {
                    while i < scalars.count, isNameScalar(scalars[i]) { i += 1 }
                    out.append(Token(kind: .name, text: String(String.UnicodeScalarView(scalars[start..<i])), span: Span(start, i - start)))
                } else {
                    throw ConditionError("unexpected character '\(c)'", Span(i, 1))
                }
            }
        }
        return out
    }
}

extension ConditionParser {
    /// Words the language reserves (lowercase); they cannot name a matcher.
    public static let keywords: Set<String> = ["and", "or", "not", "of", "all", "any", "none", "them", "near"]
}

struct Parser {
    let tokens: [Token]
    let length: Int
    var pos = 0
    /// Parentheses and `not`s open around the current token.
    var nesting = 0

    init(tokens: [Token], length: Int) {
        self.tokens = tokens
        self.length = length
    }

    var peek: Token? { pos < tokens.count ? tokens[pos] : nil }
    var endSpan: Span { Span(length, 1) }

    mutating func next() -> Token? {
        defer { pos += 1 }
        return peek
    }

    mutating func expect(_ kind: Token.Kind, _ what: String) throws(ConditionError) -> Token {
        guard let t = peek else { throw ConditionError("expected \(what) at the end of the condition", endSpan) }
        guard t.kind == kind else { throw ConditionError("expected \(what), found '\(t.text)'", t.span) }
        pos += 1
        return t
    }

    /// Enters one level of parentheses or `not`; the caller leaves with `nesting -= 1`.
    mutating func enter(_ t: Token) throws(ConditionError) {
        nesting += 1
        if nesting > ConditionParser.maxNesting {
            throw ConditionError("the condition nests more than \(ConditionParser.maxNesting) levels of parentheses and 'not'; simplify it", t.span)
        }
    }

    mutating func expression() throws(ConditionError) -> ConditionExpr {
        var left = try conjunction()
        while peek?.keyword == "or" {
            pos += 1
            left = .or(left, try conjunction())
        }
        return left
    }

    mutating func conjunction() throws(ConditionError) -> ConditionExpr {
        var left = try unary()
        while peek?.keyword == "and" {
            pos += 1
            left = .and(left, try unary())
        }
        return left
    }

    mutating func unary() throws(ConditionError) -> ConditionExpr {
        if let t = peek, t.keyword == "not" {
            pos += 1
            try enter(t)
            defer { nesting -= 1 }
            let operand = try unary()
            return .not(operand, t.span.union(operand.span))
        }
        return try primary()
    }

    mutating func primary() throws(ConditionError) -> ConditionExpr {
        guard let t = next() else {
            throw ConditionError("the condition ends where a matcher name was expected", endSpan)
        }
        switch t.kind {
        case .lparen:
            if let names = nameListBeforeNear() {
                return try near(names)
            }
            try enter(t)
            defer { nesting -= 1 }
            let inner = try expression()
            guard let close = peek, close.kind == .rparen else {
                throw ConditionError("'(' is never closed", t.span)
            }
            pos += 1
            return inner
        case .hash:
            let name = try expect(.name, "a matcher name after '#'")
            let op = try expect(.cmp, "a comparison such as '>= 3' after '#\(name.text)'")
            let number = try expect(.number, "a number after '\(op.text)'")
            return .count(name.text, Comparison(rawValue: op.text)!, Int(number.text) ?? Int.max, t.span.union(number.span))
        case .number:
            guard let n = Int(t.text) else { throw ConditionError("number too large", t.span) }
            return try quantified(.atLeast(n), t)
        case .name:
            switch t.keyword {
            case "all": return try quantified(.all, t)
            case "any": return try quantified(.any, t)
            case "none": return try quantified(.none, t)
            case "and", "or":
                throw ConditionError("'\(t.text)' needs a condition on its left", t.span)
            case "of", "them", "near":
                throw ConditionError("'\(t.text)' cannot start a condition", t.span)
            default: break
            }
            if let n = peek, n.keyword == "near" {
                return try near([(t.text, t.span)])
            }
            return .name(t.text, t.span)
        case .rparen:
            throw ConditionError("unexpected ')'", t.span)
        case .comma, .cmp, .star:
            throw ConditionError("unexpected '\(t.text)' where a matcher name was expected", t.span)
        }
    }

    /// After an opening '(' already consumed: a list of names separated by ',' or 'or', closed
    /// and followed by `near`; nil (and nothing consumed) when the parenthesis holds anything else.
    mutating func nameListBeforeNear() -> [(String, Span)]? {
        var i = pos
        var names: [(String, Span)] = []
        while i < tokens.count {
            let t = tokens[i]
            guard t.kind == .name, !ConditionParser.keywords.contains(t.text.lowercased()) else { return nil }
            names.append((t.text, t.span))
            i += 1
            guard i < tokens.count else { return nil }
            if tokens[i].kind == .rparen { break }
            guard tokens[i].kind == .comma || tokens[i].keyword == "or" else { return nil }
            i += 1
        }
        guard i + 1 < tokens.count, tokens[i].kind == .rparen, tokens[i + 1].keyword == "near" else { return nil }
        pos = i + 1
        return names
    }

    /// `near(N) operand`, the left operand already read.
    mutating func near(_ left: [(String, Span)]) throws(ConditionError) -> ConditionExpr {
        pos += 1  // 'near'
        _ = try expect(.lparen, "'(' after 'near', as in near(20)")
        let distance = try expect(.number, "a number of words in near(...)")
        _ = try expect(.rparen, "')' after the distance")
        guard let t = next() else {
            throw ConditionError("expected a matcher name or a list such as (b, c) after near(\(distance.text))", endSpan)
        }
        var right: [(String, Span)] = []
        if t.kind == .lparen {
            while true {
                let name = try expect(.name, "a matcher name in the list after near(\(distance.text))")
                right.append((name.text, name.span))
                guard let sep = next() else { throw ConditionError("the list after near(\(distance.text)) is never closed", t.span) }
                if sep.kind == .rparen { break }
                guard sep.kind == .comma || sep.keyword == "or" else {
                    throw ConditionError("expected ',', 'or' or ')' in the list after near(\(distance.text)), found '\(sep.text)'", sep.span)
                }
            }
        } else if t.kind == .name, !ConditionParser.keywords.contains(t.text.lowercased()) {
            right = [(t.text, t.span)]
        } else {
            throw ConditionError("expected a matcher name or a list such as (b, c) after near(\(distance.text)), found '\(t.text)'", t.span)
        }
        for (name, span) in left + right where ConditionParser.keywords.contains(name.lowercased()) {
            throw ConditionError("near(...) takes matcher names, found '\(name)'", span)
        }
        return .near(left, Int(distance.text) ?? Int.max, right)
    }

    mutating func quantified(_ q: Quantifier, _ first: Token) throws(ConditionError) -> ConditionExpr {
        guard let of = peek, of.keyword == "of" else {
            if case .atLeast = q {
                throw ConditionError("a number must be followed by 'of', as in '2 of (a, b, c)'", first.span)
            }
            throw ConditionError("'\(first.text)' must be followed by 'of', as in '\(first.text) of them'", first.span)
        }
        pos += 1
        guard let t = next() else { throw ConditionError("expected 'them' or '(' after 'of'", endSpan) }
        if t.keyword == "them" { return .of(q, .them, first.span.union(t.span)) }
        guard t.kind == .lparen else { throw ConditionError("expected 'them' or a list in parentheses after 'of', found '\(t.text)'", t.span) }
        var names: [(String, Span)] = []
        while true {
            let name = try expect(.name, "a matcher name in the list")
            var text = name.text
            var span = name.span
            if let star = peek, star.kind == .star {
                pos += 1
                text += "*"
                span = span.union(star.span)
            }
            names.append((text, span))
            guard let sep = next() else { throw ConditionError("the list after 'of' is never closed", t.span) }
            if sep.kind == .rparen { return .of(q, .names(names), first.span.union(sep.span)) }
            guard sep.kind == .comma else { throw ConditionError("expected ',' or ')' in the list, found '\(sep.text)'", sep.span) }
        }
    }
}
