import WinnowDiagnostics
import WinnowEngine

/// A rules folder as a reload sees it: the input is a `FileBundle` whose first file is
/// `fuzz.yaml` (more packs, list files and GeoNames files may follow), written beside
/// `SampleFiles` into a fresh folder, then loaded, compiled and its examples run by
/// `RulesetLoader`. Every diagnostic is rendered as `winnow check` would, with its excerpt.
enum PackFuzzing {
    static func run(_ input: [UInt8]) {
        let bundle = FileBundle(input, firstName: "fuzz.yaml")
        withScratchFolder { folder in
            bundle.write(to: folder, defaults: SampleFiles.all)
            let (_, diagnostics) = RulesetLoader.load(folder: folder)
            var renderer = TextRenderer()
            _ = renderer.render(diagnostics.sorted)
            for d in diagnostics.sorted { _ = JSONRenderer.render(d) }
        }
    }
}
