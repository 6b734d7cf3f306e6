/// Bounds on what parsing one YAML file may cost.
///
/// libyaml itself has no nesting limit and expands aliases as often as they are used, so a
/// hostile or careless file ("billion laughs") could exhaust memory; these limits stop it first.
public struct YAMLLimits: Sendable {
    public var maxBytes: Int
    public var maxDepth: Int
    /// Nodes after alias expansion, counting every expansion of an alias again.
    public var maxNodes: Int
    public var maxAliases: Int

    public init(maxBytes: Int = 8 << 20, maxDepth: Int = 64, maxNodes: Int = 1_000_000, maxAliases: Int = 1_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
        self.maxAliases = maxAliases
    }

    public static let `default` = YAMLLimits()
}
