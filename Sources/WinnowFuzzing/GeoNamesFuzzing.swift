import WinnowGazetteer

/// The GeoNames reader and the gazetteer builder over GeoNames-like files. The input is a
/// `FileBundle` whose first file is `cities.txt`; `countryInfo.txt`, `admin1CodesASCII.txt`,
/// `admin1Extra.tsv`, `aliases.tsv` and `common-words.txt` may follow, else `SampleFiles`' are used.
enum GeoNamesFuzzing {
    static func run(_ input: [UInt8]) {
        let bundle = FileBundle(input, firstName: "cities.txt")
        withScratchFolder { folder in
            bundle.write(to: folder, defaults: SampleFiles.all)
            var spec = GazetteerSpec()
            spec.placeFiles = [folder + "/cities.txt"]
            spec.countryFile = folder + "/countryInfo.txt"
            spec.admin1File = folder + "/admin1CodesASCII.txt"
            spec.admin1ExtraFile = folder + "/admin1Extra.tsv"
            spec.aliasFiles = [folder + "/aliases.tsv"]
            spec.commonWordFiles = [folder + "/common-words.txt"]
            // No disk cache: every input is built, and nothing is left behind.
            _ = try? GazetteerBuilder.build(spec, cache: nil)
        }
    }
}
