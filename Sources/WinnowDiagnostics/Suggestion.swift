/// The candidate closest to `word`, if it is close enough to be the likely intent.
///
/// Uses optimal-string-alignment distance (a swap of neighbours counts once, as typists make
/// them); accepts at most one edit per three characters, so 'condtion' → 'condition' but
/// 'name' never suggests 'tags'. Of equally close candidates the alphabetically first wins, so
/// the advice is the same whatever order `candidates` come in (a `Set`'s changes every run).
public func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
    let w = Array(word.lowercased().unicodeScalars)
    var best: (String, Int)?
    for candidate in candidates {
        let c = Array(candidate.lowercased().unicodeScalars)
        let d = editDistance(w, c)
        let allowed = max(1, max(w.count, c.count) / 3)
        guard d <= allowed else { continue }
        if let b = best, d > b.1 || (d == b.1 && candidate >= b.0) { continue }
        best = (candidate, d)
    }
    return best?.0
}

func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                cur[j] = min(cur[j], prev2[j - 2] + 1)
            }
        }
        (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
}
