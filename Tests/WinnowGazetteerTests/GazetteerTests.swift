import Foundation
import WinnowDiagnostics
@testable import WinnowGazetteer
import WinnowMatching
import WinnowTestSupport
import WinnowText
import XCTest

/// Resolution on the project's own fixture gazetteer (Fixtures/), which holds the tricky cases:
/// three places called Aktau, towns called Police and Man, a Turkish town called Serik, Karin,
/// an old name of Erzurum, and American namesakes of Moscow and Paris.
final class GazetteerTests: XCTestCase {
    static let fixtures = packageRoot() + "/Tests/WinnowGazetteerTests/Fixtures"

    static let gazetteer: Gazetteer = {
        var spec = GazetteerSpec()
        spec.placeFiles = [fixtures + "/cities.txt"]
        spec.countryFile = fixtures + "/countryInfo.txt"
        spec.admin1File = fixtures + "/admin1CodesASCII.txt"
        spec.admin1ExtraFile = fixtures + "/admin1Extra.tsv"
        spec.aliases = [.init(target: "KZ", names: ["Kazakh", "Kazakhstani", "Казахстан", "казахстанский"], origin: SourceLocation(path: "test", line: 1, column: 1)),
                        .init(target: "KZ.04", names: ["Aktobe Region"], origin: SourceLocation(path: "test", line: 1, column: 1)),
                        .init(target: "US", names: ["US", "America", "Americans", "Америка"], origin: SourceLocation(path: "test", line: 1, column: 1)),
                        .init(target: "KR", names: ["Южная Корея"], origin: SourceLocation(path: "test", line: 1, column: 1)),
                        // A short name written in mixed case, as an agency's acronym might collide with.
                        .init(target: "610611", names: ["Akto"], origin: SourceLocation(path: "test", line: 1, column: 1))]
        spec.commonWordFiles = [fixtures + "/common-words.txt"]
        spec.never = ["Latin America", "Латинская Америка"]
        return try! GazetteerBuilder.build(spec)
    }()

    /// Resolved places as "geonameid@text" in order of first mention.
    private func places(_ text: String) -> [String] {
        let g = Self.gazetteer
        return resolution(text).places.map { "\(g.geonameid(of: $0.entity))@\($0.text)" }
    }

    private func resolution(_ text: String) -> PlaceResolution {
        let g = Self.gazetteer
        let automaton = LiteralAutomaton(keys: g.names)
        var hits: [GazetteerHit] = []
        automaton.scan(Array(text.utf8), caseStarts: false) { h in
            hits.append(GazetteerHit(key: h.key, start: h.start, end: h.end, words: h.firstWord ... h.lastWord))
        }
        return g.resolve(hits, in: Array(text.utf8))
    }

    func testTransliterationsAndScripts_allResolveToAktobe() {
        for spelling in ["Aktobe", "Aktyubinsk", "Aqtöbe", "Aqtobe", "Актобе", "Ақтөбе", "AKTOBE"] {
            XCTAssertEqual(places("Clashes were reported in \(spelling) on Sunday."), ["610611@\(spelling)"], spelling)
        }
    }

    func testAktau_withoutContext_isTheCaspianCity() {
        XCTAssertEqual(places("Oil workers in Aktau went on strike."), ["610612@Aktau"])
    }

    func testAktau_nearOtherWesternCities_isTheCaspianCity() {
        XCTAssertEqual(places("Aktobe is one of three oil cities in the west, along with Aktau and Atyrau."),
                       ["610611@Aktobe", "610612@Aktau", "610529@Atyrau"])
    }

    func testAktau_inKaragandaContext_isTheKaragandaTown() {
        let found = places("Miners in Aktau, a small town of the Karaganda Region, held a rally.")
        XCTAssertTrue(found.contains("1526601@Aktau") || found.contains("1526269@Aktau"), "\(found)")
    }

    func testLongestNameWins_aktobeRegionIsTheRegion() {
        XCTAssertEqual(places("Police in the Aktobe Region detained four men."), ["610688@Aktobe Region"])
    }

    func testCommonWords_atSentenceStartOrLowercase_areNotPlaces() {
        XCTAssertEqual(places("Police joined troops on the base. The police said a man was hurt."), [])
        XCTAssertEqual(places("Man arrested after a raid, police say."), [])
    }

    func testLowercaseOccurrence_isNeverAPlace() {
        XCTAssertEqual(places("they walked to the aktobe market"), [])
    }

    func testAliasWrittenInLowercase_matchesLowercaseText() {
        XCTAssertEqual(places("Приговор вынес казахстанский суд."), ["1522867@казахстанский"])
        XCTAssertEqual(places("Казахстанский суд вынес приговор."), ["1522867@Казахстанский"])
        XCTAssertEqual(places("they met kazakhstani officials"), [])
    }

    func testPersonNames_doNotBecomePlaces() {
        let text = "Almaty-based sociologist Serik Beissembayev studied Kazakhstan. Yerlan Karin said so. Karin added more."
        XCTAssertEqual(places(text), ["1526384@Almaty", "1522867@Kazakhstan"])
    }

    func testNeverName_isNoPlace_andHidesTheNamesInsideIt() {
        XCTAssertEqual(places("Exports to Latin America rose, officials said."), [])
        XCTAssertEqual(places("Экспорт в Латинскую Америку вырос."), [])
        XCTAssertEqual(places("Exports to Latin America rose, officials in America said."), ["6252001@America"])
        XCTAssertEqual(places("Экспорт в Латинскую Америку вырос, а в Америку упал."), ["6252001@Америку"])
    }

    func testNameInAQuotedTitle_isNoPlace_butAQuotedSentenceKeepsIt() {
        XCTAssertEqual(places("Фанаты «Москвы» и «Алматы Сити» встретились в Париже."), ["2988507@Париже"])
        XCTAssertEqual(places("Фанаты из Москвы и Алматы встретились в Париже."), ["524901@Москвы", "1526384@Алматы", "2988507@Париже"])
        XCTAssertEqual(places("He left the \u{201C}Moscow Times\u{201D} for a paper in Paris."), ["2988507@Paris"])
        XCTAssertEqual(places("«Москва не уступит», сказал министр."), ["524901@Москва"])
    }

    func testNameInANewspapersName_isNoPlace() {
        XCTAssertEqual(places("The Moscow Times said police in Paris detained two men."), ["2988507@Paris"])
        XCTAssertEqual(places("The Times of Kazakhstan said police in Paris detained two men."), ["2988507@Paris"])
        XCTAssertEqual(places("Police in Moscow said officers in Paris detained two men."), ["524901@Moscow", "2988507@Paris"])
    }

    func testCountryNamesAndDemonyms_resolveToCountries() {
        XCTAssertEqual(places("Kazakh officials met Kazakhstani and Turkey delegates in Казахстан."),
                       ["1522867@Kazakh", "298795@Turkey"])
    }

    func testRussianCaseForms_ofCountryAndCityNames_resolve() {
        XCTAssertEqual(places("Делегация прибыла в Южную Корею, затем в Москву и Париж."),
                       ["1835841@Южную Корею", "524901@Москву", "2988507@Париж"])
        XCTAssertEqual(places("Переговоры в Южной Корее и в Москве."), ["1835841@Южной Корее", "524901@Москве"])
    }

    func testSentenceInitialOrdinaryWord_isNoPartOfAName() {
        XCTAssertEqual(places("Полиция Актобе задержала двоих, сообщила полиция."), ["610611@Актобе"])
        XCTAssertEqual(places("В Алматы прошли обыски."), ["1526384@Алматы"])
        XCTAssertEqual(places("In Almaty, police searched homes."), ["1526384@Almaty"])
    }

    func testNamesInCapitals_matchOnlyTextInCapitals() {
        XCTAssertEqual(places("The US embassy in Tashkent was closed."), ["6252001@US", "1512569@Tashkent"])
        XCTAssertEqual(places("Tell us about Tashkent. Us and them."), ["1512569@Tashkent"])
        // An agency's acronym is not a place's ordinary name written in capitals.
        XCTAssertEqual(places("Officials met in Akto."), ["610611@Akto"])
        XCTAssertEqual(places("Officials met AKTO agents."), [])
        // A capital (or a country) is read in capitals too: headlines are written so.
        XCTAssertEqual(places("OFFICIALS MET IN SEUL"), ["1835848@SEUL"])
    }

    func testHeadlineInCapitals_stillNamesCountries() {
        XCTAssertEqual(places("IRAQ SEIZES TANKER"), ["99237@IRAQ"])
    }

    func testTitleCaseHeadline_isNoSurnameEvidence() {
        XCTAssertEqual(places("Explosion Rocks Aktau\nA blast in Aktau injured two."), ["610612@Aktau"])
    }

    func testWorldCity_beatsItsNamesakeInACountryNamedElsewhere() {
        XCTAssertEqual(places("Americans travelled to Moscow and then to Paris."),
                       ["6252001@Americans", "524901@Moscow", "2988507@Paris"])
    }

    func testNameQualifiedByItsRegion_isThePlaceThere() {
        XCTAssertEqual(places("A fire in Paris, Texas, killed two people."), ["4717560@Paris", "4736286@Texas"])
    }

    func testPersonAndCompanyNames_doNotBecomePlacesAtAnyMention() {
        XCTAssertEqual(places("The film stars Samuel L Jackson as a detective. Later Jackson said he liked it."), [])
        XCTAssertEqual(places("Shares of Jackson Holdings fell. Jackson reported a loss."), [])
        XCTAssertEqual(places("Director J. C. Jackson spoke."), [])
    }

    func testMentions_areCountedAndConfidenceIsBounded() {
        let g = Self.gazetteer
        let automaton = LiteralAutomaton(keys: g.names)
        let text = "Aktobe again. In Aktobe and in Aktobe."
        var hits: [GazetteerHit] = []
        automaton.scan(Array(text.utf8), caseStarts: false) { h in
            hits.append(GazetteerHit(key: h.key, start: h.start, end: h.end, words: h.firstWord ... h.lastWord))
        }
        let resolved = g.resolve(hits, in: Array(text.utf8))
        XCTAssertEqual(resolved.places.count, 1)
        XCTAssertEqual(resolved.places.first?.mentions, 3)
        XCTAssertTrue((0.6 ... 1).contains(resolved.places.first!.confidence))
    }

    func testLongDocumentRepeatingNames_resolvesEveryRepeatAsTheSentenceAlone() {
        let sentence = "Aktobe is one of three oil cities in the west, along with Aktau and Atyrau. "
        let g = Self.gazetteer
        let once = resolution(sentence), often = resolution(String(repeating: sentence, count: 5000))
        XCTAssertEqual(often.places.map { g.geonameid(of: $0.entity) }, once.places.map { g.geonameid(of: $0.entity) })
        XCTAssertEqual(often.places.map(\.mentions), [5000, 5000, 5000])
        XCTAssertEqual(Set(often.mentions.map(\.confidence)), Set(once.mentions.map(\.confidence)))
    }

    private func roles(_ text: String, titleEnd: Int) -> [String] {
        let g = Self.gazetteer
        var r = resolution(text)
        g.assignRoles(&r, text: Array(text.utf8), layout: TextLayout(titleEnd: titleEnd, leadEnd: min(text.utf8.count, 200)))
        return r.places.map { "\($0.text):\($0.role.rawValue)" }
    }

    func testRoles_countryOfHeadlineAndLeadIsMain_otherNamedInPassingIsMentioned() {
        let text = "Clashes in Aktobe\nPolice in Aktobe said that the clashes spread to Atyrau on Monday, "
            + String(repeating: "and officials spoke at length about it. ", count: 8)
            + "The two suspects had once lived in Tashkent."
        XCTAssertEqual(roles(text, titleEnd: 17), ["Aktobe:main", "Atyrau:main", "Tashkent:mentioned"])
    }

    func testRoles_nationalityOrOriginWeighsNothing() {
        XCTAssertEqual(roles("A court in Paris jailed a citizen of Turkey and a Kazakhstani-born man.", titleEnd: 0),
                       ["Paris:main", "Turkey:mentioned", "Kazakhstani:mentioned"])
        XCTAssertEqual(roles("Суд в Париже приговорил гражданина Казахстана.", titleEnd: 0),
                       ["Париже:main", "Казахстана:mentioned"])
        XCTAssertEqual(roles("A court in Paris jailed a man from Turkey.", titleEnd: 0), ["Paris:main", "Turkey:main"])
    }

    func testRoles_datelineWeighsNothing() {
        let text = "BAGHDAD — Police in Aktobe detained four men in Aktobe on Monday."
        XCTAssertEqual(roles(text, titleEnd: 0), ["BAGHDAD:mentioned", "Aktobe:main"])
    }

    func testRoles_headlineAndHeadingLines_areNoDatelines() {
        XCTAssertEqual(roles("Tashkent - Aktobe talks\nAktobe officials met.", titleEnd: 23), ["Tashkent:main", "Aktobe:main"])
        let heading = "Talks\nAktau (Mangystau)\nOfficials in Aktau met on Monday."
        XCTAssertEqual(roles(heading, titleEnd: 5).first, "Aktau:main")
    }

    func testRoles_singleCountryNamedOnce_isMain() {
        XCTAssertEqual(roles("Officials met in Tashkent.", titleEnd: 0), ["Tashkent:main"])
    }

    func testRegionNames_areShortEnglishNames() {
        let names = Dictionary(uniqueKeysWithValues: Self.gazetteer.regions.map { ($0.code, $0.name) })
        XCTAssertEqual(names["KZ.04"], "Aktobe")
        XCTAssertEqual(names["KZ.09"], "Mangystau")
        XCTAssertEqual(names["KZ.06"], "Atyrau")
        XCTAssertEqual(names["KZ.12"], "Qaraghandy")
    }

    func testBuild_whenFileIsNotGeoNames_saysSo() {
        let dir = TempFolder()
        let path = try! dir.write("bad.txt", String(repeating: "not\ta\tgeonames\tfile\n", count: 50))
        var spec = GazetteerSpec()
        spec.placeFiles = [path]
        XCTAssertThrowsError(try GazetteerBuilder.build(spec)) { error in
            let e = error as! GazetteerError
            XCTAssertTrue(e.message.contains("GeoNames 19-column layout"), e.message)
            XCTAssertTrue(e.message.hasPrefix("50 malformed rows, too many to skip (first here: expected the 19 tab-separated columns of GeoNames, found 4)"), e.message)
            XCTAssertEqual(e.code, .badGeoNamesRow)
            XCTAssertEqual(e.line, 1)
        }
    }

    func testBuild_whenAliasTargetUnknown_namesIt() {
        var spec = GazetteerSpec()
        spec.placeFiles = [Self.fixtures + "/cities.txt"]
        spec.countryFile = Self.fixtures + "/countryInfo.txt"
        spec.aliases = [.init(target: "ZZ", names: ["Nowhere"], origin: SourceLocation(path: "rules/locations.yaml", line: 9, column: 5))]
        XCTAssertThrowsError(try GazetteerBuilder.build(spec)) { error in
            let e = error as! GazetteerError
            XCTAssertEqual([e.path, "\(e.line ?? 0)", "\(e.column ?? 0)"], ["rules/locations.yaml", "9", "5"])
            XCTAssertTrue(e.message.contains("'ZZ'"), e.message)
        }
    }
}

final class SurfaceCapitalsTests: XCTestCase {
    /// The byte paths for Latin and Cyrillic agree with Unicode's properties.
    func testIsAllCapitals_agreesWithUnicodePropertiesOnLatinCyrillicAndOthers() {
        let samples = ["IRAN", "Iran", "USA.", "U.S.", "A", "АКТОБЕ", "Актобе", "ЁЛКА", "ёлка", "КАЗАХСТАН-2", "ROMA É",
                       "ΑΘΗΝΑ", "Αθήνα", "ІЛЕ", "ЎЗБЕКИСТОН", "Ѐ Џ", "AКТОБЕ", "12", "ÉCOLE", "école"]
        for sample in samples {
            let bytes = Array(sample.utf8)[...]
            let letters = sample.unicodeScalars.filter { $0.properties.isAlphabetic }
            let expected = bytes.count >= 2 && letters.count >= 2 && letters.allSatisfy { $0.properties.isUppercase }
            XCTAssertEqual(Surface.isAllCapitals(bytes), expected, sample)
        }
    }
}

final class WordByteTests: XCTestCase {
    /// The byte path agrees with the definition by Unicode properties it replaced.
    func testCapitalLetterCount_agreesWithUnicodeProperties() {
        let samples = ["US", "U.S.", "Us", "USA", "РК", "Р.К.", "Рк", "ΑΘΗΝΑ", "ÉCOLE", "É.U.", "A1", "A-B", "", ".",
                       "ЎЗБ", "Ѐ", "AÉ", "ΑΒγ", "中国"]
        for sample in samples {
            let letters = sample.unicodeScalars.filter { $0.properties.isAlphabetic }
            let expected = letters.allSatisfy { $0.properties.isUppercase }
                && sample.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "." } ? letters.count : nil
            XCTAssertEqual(Surface.capitalLetterCount(Array(sample.utf8)), expected, sample)
        }
        XCTAssertTrue(Surface.isAcronym(Array("U.S.".utf8)[...]))
        XCTAssertFalse(Surface.isAcronym(Array("USSR.RU".utf8)[...]))
    }

    /// Lowering by bytes gives the hash of what `String.lowercased()` gives, in every script.
    func testLowercaseHash_agreesWithStringLowercased() {
        for word in ["Police", "POLICE", "Полиция", "ПОЛИЦИЯ", "Ёлка", "ЀЏЍ", "Ѡѡ", "École", "ΑΘΗΝΑ", "Don't", "ŞEHİR", "straße"] {
            let bytes = Array(word.utf8)[...]
            XCTAssertEqual(OrdinaryWords.lowercaseHash(bytes), OrdinaryWords.hash(Array(word.lowercased().utf8)[...]), word)
            XCTAssertEqual(OrdinaryWords.lowercaseBytes(bytes), Array(word.lowercased().utf8), word)
        }
    }

    func testWordHashes_holdWhatWasInserted_andNothingElse() {
        var set = WordHashes(capacity: 4)
        var generator = SystemRandomNumberGenerator()
        let inserted = (0 ..< 5000).map { _ in UInt64.random(in: 0 ... .max, using: &generator) } + [0, 1]
        for h in inserted { set.insert(h) }
        for h in inserted { XCTAssertTrue(set.contains(h)) }
        let others = (0 ..< 5000).map { _ in UInt64.random(in: 2 ... .max, using: &generator) }.filter { !inserted.contains($0) }
        XCTAssertEqual(others.filter { set.contains($0) }, [])
    }
}

extension WordByteTests {
    /// A 100 MB document once got a table sized by its length (256 MB); the table follows the
    /// distinct words.
    func testLowercaseWords_ofALongTextWithFewWords_stayASmallTable() {
        let text = Array(String(repeating: "the police said that the town was quiet. ", count: 50_000).utf8)
        let words = OrdinaryWords.lowercaseWords(text)
        XCTAssertLessThanOrEqual(words.slotCount, 8192)
        XCTAssertTrue(words.contains(OrdinaryWords.hash(Array("quiet".utf8)[...])))
        XCTAssertFalse(words.contains(OrdinaryWords.hash(Array("loud".utf8)[...])))
    }
}

extension WordByteTests {
    /// The first questions of a document search its text; later ones look up its hashed
    /// words. Both must give the same answer for every word.
    func testSearchingForALowercaseWord_agreesWithItsHashedWords() {
        let texts = [
            "police said the police-station was closed. Policeman Serik, politsiya.",
            "Полиция сообщила: полиция задержала «полицию» и ПОЛИЦИЮ. Ёлка ёлка",
            "don't stop; Don't. o'brien O'Brien école École straße x",
            "police",
            "Police",
            "lake1 lake 2lake Lake",
            "the unpolice and policeman, xlake",
        ]
        let words = ["Police", "Полиция", "Полицию", "Ёлка", "Don't", "O'Brien", "École", "Straße", "Lake",
                     "Policeman", "Station", "X", "Politsiya", "Задержала", "ЛАКЕ"]
        for text in texts {
            let bytes = Array(text.utf8)
            let hashed = OrdinaryWords.lowercaseWords(bytes)
            for word in words {
                let w = Array(word.utf8)[...]
                XCTAssertEqual(OrdinaryWords.isWrittenLowercase(OrdinaryWords.lowercaseBytes(w), in: bytes),
                               hashed.contains(OrdinaryWords.lowercaseHash(w)), "\(word) in \(text)")
            }
        }
    }
}
