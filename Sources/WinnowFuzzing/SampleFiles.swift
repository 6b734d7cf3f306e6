/// Small GeoNames-like files (rows from GeoNames, https://www.geonames.org/, CC BY 4.0) and a
/// list file, written beside a fuzzed pack unless the input brings its own, so that packs can
/// declare a gazetteer or read a list without the input having to spell them out.
enum SampleFiles {
    static let all: [(String, String)] = [
        ("cities.txt", cities),
        ("countryInfo.txt", countryInfo),
        ("admin1CodesASCII.txt", admin1),
        ("admin1Extra.tsv", admin1Extra),
        ("aliases.tsv", aliases),
        ("common-words.txt", commonWords),
        ("terms.txt", terms),
    ]

    static let cities = """
        610611\tAktobe\tAktobe\tAktyubinsk,Aqtobe,Aqtöbe,Актобе,Ақтөбе,Актюбинск\t50.27969\t57.20718\tP\tPPL\tKZ\t\t04\t\t\t\t500757\t\t\tAsia/Almaty\t
        610612\tAktau\tAktau\tAqtau,Актау,Ақтау,Shevchenko\t43.65\t51.2\tP\tPPL\tKZ\t\t09\t\t\t\t147443\t\t\tAsia/Almaty\t
        1526273\tAstana\tAstana\tAkmola,Nur-Sultan,Астана,Нур-Султан\t51.1801\t71.44598\tP\tPPLC\tKZ\t\t05\t\t\t\t1136156\t\t\tAsia/Almaty\t
        98182\tBaghdad\tBaghdad\tBagdad,Багдад,بغداد\t33.34058\t44.40088\tP\tPPLC\tIQ\t\t07\t\t\t\t7216000\t\t\tAsia/Baghdad\t
        """

    static let countryInfo = """
        #ISO\tISO3\tISO-Numeric\tfips\tCountry\tCapital\tArea(in sq km)\tPopulation\tContinent\ttld\tCurrencyCode\tCurrencyName\tPhone\tPostal Code Format\tPostal Code Regex\tLanguages\tgeonameid\tneighbours\tEquivalentFipsCode
        IQ\tIRQ\t368\tIZ\tIraq\tBaghdad\t0\t38433600\tAS\t\t\t\t\t\t\t\t99237\t\t
        KZ\tKAZ\t398\tKZ\tKazakhstan\tAstana\t0\t18276499\tAS\t\t\t\t\t\t\t\t1522867\t\t
        """

    static let admin1 = """
        KZ.04\tAqtöbe oblysy\tAqtobe oblysy\t610688
        KZ.05\tAstana\tAstana\t1538317
        KZ.09\tMangghystaū oblysy\tMangghystau oblysy\t608879
        IQ.07\tBaghdad\tBaghdad\t98180
        """

    static let admin1Extra = """
        KZ.04\t\tRegion\tAktobe,Aktyubinskaya Oblast’,Актюбинская Область
        KZ.09\t\tRegion\tMangystau,Мангистауская Область
        """

    static let aliases = """
        KZ\tKazakh, Kazakhstani, Казахстан
        KZ.04\tAktobe Region
        610611\tАктобе
        """

    static let commonWords = """
        # Ordinary words that are also place names.
        police
        man
        may
        """

    static let terms = """
        # Terms of a list file.
        extremist*
        jihadist*
        боевик*
        "armed group"
        """
}
