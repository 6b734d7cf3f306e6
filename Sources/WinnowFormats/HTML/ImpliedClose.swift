/// An end tag HTML implies before a start tag: which open elements it closes, and which
/// open elements stop the search (a `<p>` inside a table cell is not closed by a block
/// outside it).
struct ImpliedClose: Sendable {
    let list: [HTMLTag]
    let targets: TagSet
    let barriers: TagSet

    init(_ list: [HTMLTag], stoppingAt barriers: TagSet) {
        self.list = list
        var targets: TagSet = []
        for t in list { targets.insert(t) }
        self.targets = targets
        self.barriers = barriers
    }

    private static let scope: TagSet = [.td, .th, .table, .caption, .button, .object, .template, .html, .body, .svg, .math]
    private static let listScope: TagSet = [.ul, .ol, .dl, .table, .td, .th, .menu, .body, .html, .section, .article,
                                            .aside, .nav, .header, .footer, .main, .blockquote, .form]

    static let p = ImpliedClose([.p], stoppingAt: scope)
    static let a = ImpliedClose([.a], stoppingAt: scope)
    static let li = ImpliedClose([.li], stoppingAt: listScope)
    static let definition = ImpliedClose([.dd, .dt], stoppingAt: listScope)
    static let cell = ImpliedClose([.td, .th], stoppingAt: [.tr, .table, .tbody, .thead, .tfoot])
    static let row = ImpliedClose([.tr], stoppingAt: [.table, .tbody, .thead, .tfoot])
    static let section = ImpliedClose([.tbody, .thead, .tfoot], stoppingAt: [.table])
    static let option = ImpliedClose([.option], stoppingAt: [.select, .datalist])
}
