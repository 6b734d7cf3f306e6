@testable import WinnowFormats
import WinnowText
import XCTest

/// The article, not the page's chrome, on pages written for the purpose (Fixtures/html).
final class MainContentTests: XCTestCase {
    private func read(_ name: String) throws -> (doc: ExtractedText, text: String, file: [UInt8]) {
        let file = Array(try HTMLFixtures.string(name).utf8)
        let doc = try HTMLFixtures.read(file, name: name)
        return (doc, HTMLFixtures.text(doc), file)
    }

    func testMainContent_keepsTheArticleWithTheHeadlineFirst() throws {
        let (doc, text, _) = try read("en-news-heavy-chrome.html")
        XCTAssertEqual(doc.metadata.format.rawValue, "html")
        XCTAssertTrue(text.hasPrefix("Police detain two men over Aktobe shooting\n\nPolice in Aktobe have detained two men"), text)
        for sentence in ["outside a café on Tuesday evening", "wounding a security guard", "not terrorism, a spokesman said",
                         "contact the Aktobe city department on 102."] {
            XCTAssertTrue(text.contains(sentence), sentence)
        }
        XCTAssertTrue(text.hasSuffix("on 102."), text)
    }

    func testMainContent_dropsNavigationAndRelatedLinks() throws {
        let (_, text, _) = try read("en-news-heavy-chrome.html")
        for chrome in ["Home", "Football", "Politics", "Related stories", "Kairat", "Kabul", "Tbilisi", "Most read",
                       "Chinese border", "Search"] {
            XCTAssertFalse(text.contains(chrome), "'\(chrome)' is chrome: \(text)")
        }
    }

    func testMainContent_dropsFooterCountriesCommentsCookiesSharingAndForms() throws {
        let (_, text, _) = try read("en-news-heavy-chrome.html")
        for chrome in ["Uzbekistan", "Turkey", "United States", "rights reserved", "Privacy", "France", "terrorists should",
                       "Comments", "cookies", "Accept", "Share on", "newsletter", "Kyrgyzstan", "Stock photo", "By Aigerim"] {
            XCTAssertFalse(text.contains(chrome), "'\(chrome)' is chrome: \(text)")
        }
    }

    func testMainContent_dropsHiddenElementsScriptsAndStyles() throws {
        let (_, text, _) = try read("en-news-heavy-chrome.html")
        for hidden in ["Paris", "Berlin", "Madrid", "terror = 1", "gunmen</p>", "font:"] {
            XCTAssertFalse(text.contains(hidden), "'\(hidden)' is not shown: \(text)")
        }
    }

    func testMainContent_withoutSemanticTags_findsTheArticleByItsParagraphs() throws {
        let (doc, text, _) = try read("ru-news-divs.html")
        XCTAssertEqual(doc.metadata.title, "Задержаны подозреваемые в поджоге мечети в Шымкенте")
        XCTAssertTrue(text.hasPrefix("Задержаны подозреваемые в поджоге мечети в Шымкенте\n\n"), text)
        for sentence in ["задержала троих мужчин", "по статье о хулиганстве", "около миллиона тенге", "с радикальными группами."] {
            XCTAssertTrue(text.contains(sentence), sentence)
        }
        for chrome in ["Главная", "Спорт", "Футбол", "Читайте также", "Ташкенте", "Бишкеке", "Москве", "охрану",
                       "Популярное", "Китаем", "Украина", "Беларусь", "корреспонденты"] {
            XCTAssertFalse(text.contains(chrome), "'\(chrome)' is chrome: \(text)")
        }
    }

    func testMainContent_prefersTheMarkedArticleBody() {
        let para = "<p>Officers searched the warehouse, seized weapons, and detained four suspects, the ministry said.</p>"
        let html = """
        <html><body><div class="teasers">\(String(repeating: para, count: 6))</div>
        <div itemprop="articleBody"><p>Border guards in Khorgos found two kilograms of heroin in a lorry, customs said, \
        and arrested its driver, a citizen of Kyrgyzstan, on Monday.</p><p>The case was passed to investigators.</p></div></body></html>
        """
        let t = String(decoding: HTMLExtractor.extract(Array(html.utf8), mainContent: true).text, as: UTF8.self)
        XCTAssertTrue(t.hasPrefix("Border guards in Khorgos"), t)
        XCTAssertFalse(t.contains("warehouse"), t)
    }

    func testMainContent_whenNothingReadsAsAnArticle_keepsAllVisibleText() {
        let html = "<div><b>Notice:</b> two men detained in Almaty.</div><nav>Menu</nav><script>x</script>"
        let t = HTMLExtractor.extract(Array(html.utf8), mainContent: true)
        XCTAssertEqual(String(decoding: t.text, as: UTF8.self), "Notice: two men detained in Almaty.")
    }

    func testMainContent_dropsLinkListsInsideTheArticleContainer() {
        let paragraph = "<p>The court in Shymkent sentenced the men to five years, finding them guilty of extortion, "
            + "fraud and forgery, a spokeswoman said on Thursday.</p>"
        let html = """
        <html><body><div class="story">\(String(repeating: paragraph, count: 4))
        <div class="more"><h4>More on this</h4><ul><li><a href="/a">Football: derby ends in a draw</a></li>
        <li><a href="/b">Tennis: final in Astana</a></li><li><a href="/c">Weather: snow in Almaty</a></li></ul></div>
        <p><a href="/all">Read more</a></p></div></body></html>
        """
        let t = String(decoding: HTMLExtractor.extract(Array(html.utf8), mainContent: true).text, as: UTF8.self)
        XCTAssertTrue(t.contains("sentenced the men"), t)
        for chrome in ["More on this", "derby", "Tennis", "snow", "Read more"] {
            XCTAssertFalse(t.contains(chrome), "'\(chrome)': \(t)")
        }
    }

    func testMainContent_classHintsThatSayContentKeepAnUnlikelyElement() {
        let paragraph = "<p>Prosecutors said the group recruited fighters online, moved money through three banks, "
            + "and planned attacks in two cities, according to the indictment.</p>"
        let html = "<html><body><div class=\"sidebar-content\">\(String(repeating: paragraph, count: 5))</div>"
            + "<div class=\"sidebar\"><p>Weather in Astana: sunny, with light winds, and warm.</p></div></body></html>"
        let t = String(decoding: HTMLExtractor.extract(Array(html.utf8), mainContent: true).text, as: UTF8.self)
        XCTAssertTrue(t.contains("recruited fighters"), t)
        XCTAssertFalse(t.contains("Weather"), t)
    }

    func testMainContent_aShortArticleAmongMuchChrome_staysShort() {
        let comment = "<div class=\"comment\"><p>Reader: the police never do anything in this town, and nothing changes, "
            + "year after year, whatever they promise before elections.</p></div>"
        let html = """
        <html><body><nav>Home News Sport</nav><div class="story"><p>Two men were detained in Semey on Friday after a \
        fight outside a bar, police said, adding that one of them had a knife.</p><p>Both were released on bail.</p></div>
        <div id="comments">\(String(repeating: comment, count: 8))</div></body></html>
        """
        let t = String(decoding: HTMLExtractor.extract(Array(html.utf8), mainContent: true).text, as: UTF8.self)
        XCTAssertTrue(t.hasPrefix("Two men were detained in Semey"), t)
        XCTAssertFalse(t.contains("Reader"), t)
        XCTAssertFalse(t.contains("Sport"), t)
    }

    func testMainContent_whenAChromeWordMarksTheArticlesOwnWrapper_stillReadsTheArticle() {
        let paragraph = "<p>The regional court in Oral heard that the defendants had smuggled cigarettes across the border, "
            + "paid customs officers, and forged the papers of three lorries, prosecutors said.</p>"
        let html = "<html><body><div class=\"shareable-content\">\(String(repeating: paragraph, count: 5))</div></body></html>"
        let t = String(decoding: HTMLExtractor.extract(Array(html.utf8), mainContent: true).text, as: UTF8.self)
        XCTAssertTrue(t.hasPrefix("The regional court in Oral"), t)
        XCTAssertEqual(t.components(separatedBy: "\n\n").count, 5, t)
    }

    func testMainContent_whenThePageHidesEverything_stillReadsItsText() {
        let html = "<html><body><div id=\"app\" aria-hidden=\"true\"><p>Arrests in Taraz after a raid on a warehouse.</p></div>"
            + "<div role=\"dialog\" aria-modal=\"true\" hidden>Sign in</div></body></html>"
        let t = String(decoding: HTMLExtractor.extract(Array(html.utf8), mainContent: true).text, as: UTF8.self)
        XCTAssertTrue(t.hasPrefix("Arrests in Taraz after a raid on a warehouse."), t)
    }

    func testEveryFixtureWord_mapsToItsBytes() throws {
        for name in ["en-news-heavy-chrome.html", "ru-news-divs.html"] {
            let (doc, _, file) = try read(name)
            HTMLFixtures.assertEveryWordMapsToItsBytes(doc, file: file, name)
        }
    }
}
