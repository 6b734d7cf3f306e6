@testable import WinnowGazetteer
import XCTest

final class RussianFormsTests: XCTestCase {
    func testFeminineInA_declinesInEveryCase() {
        XCTAssertEqual(Set(RussianForms.forms(of: "Москва", pluralNouns: false)), ["Москвы", "Москве", "Москву", "Москвой"])
        XCTAssertTrue(RussianForms.forms(of: "Прага", pluralNouns: false).contains("Праги"))
    }

    func testMasculineConsonant_andHyphenatedName_declineTheLastPart() {
        XCTAssertEqual(Set(RussianForms.forms(of: "Лас-Вегас", pluralNouns: false)),
                       ["Лас-Вегаса", "Лас-Вегасу", "Лас-Вегасом", "Лас-Вегасе"])
        XCTAssertTrue(RussianForms.forms(of: "Нью-Йорк", pluralNouns: false).contains("Нью-Йорке"))
    }

    func testNamesInIya_declineToIi() {
        XCTAssertEqual(Set(RussianForms.forms(of: "Греция", pluralNouns: false)), ["Греции", "Грецию", "Грецией"])
    }

    func testSoftSign_givesBothGenders() {
        let forms = RussianForms.forms(of: "Тверь", pluralNouns: false)
        XCTAssertTrue(forms.contains("Твери") && forms.contains("Тверью") && forms.contains("Тверя"))
    }

    func testAdjectiveAndNoun_agree() {
        let forms = RussianForms.forms(of: "Южная Корея", pluralNouns: false)
        XCTAssertTrue(forms.contains("Южной Кореи") && forms.contains("Южной Корее") && forms.contains("Южную Корею"), "\(forms)")
        XCTAssertFalse(forms.contains("Южная Корее"))
    }

    func testHeadNounDeclines_complementStays() {
        XCTAssertTrue(RussianForms.forms(of: "Республика Казахстан", pluralNouns: false).contains("Республике Казахстан"))
        XCTAssertTrue(RussianForms.forms(of: "Соединённые Штаты Америки", pluralNouns: true).contains("Соединённых Штатах Америки"))
        XCTAssertTrue(RussianForms.forms(of: "Босния и Герцеговина", pluralNouns: true).contains("Боснии и Герцеговине"))
    }

    func testPluralCountryNames_declineOnlyWhenAllowed() {
        XCTAssertTrue(RussianForms.forms(of: "Нидерланды", pluralNouns: true).contains("Нидерландах"))
        XCTAssertEqual(RussianForms.forms(of: "Алматы", pluralNouns: false), [])
    }

    func testSingleWordInOi_declinesAsANounToo() {
        let forms = RussianForms.forms(of: "Ханой", pluralNouns: false)
        XCTAssertTrue(forms.contains("Ханое") && forms.contains("Ханоя"), "\(forms)")
    }

    func testNounBeforeAdjectiveInAHyphenatedName_declinesWithIt() {
        XCTAssertTrue(RussianForms.forms(of: "Петропавловск-Камчатский", pluralNouns: false).contains("Петропавловске-Камчатском"))
    }

    func testTownsNamedAfterPeople_skipTheSurnamesCases() {
        let forms = Set(RussianForms.forms(of: "Гагарин", pluralNouns: false))
        XCTAssertEqual(forms, ["Гагарином", "Гагарине"])
    }

    func testNamesWithNonRussianLetters_haveNoForms() {
        XCTAssertEqual(RussianForms.forms(of: "Київ", pluralNouns: false), [])
        XCTAssertEqual(RussianForms.forms(of: "Қарағанды", pluralNouns: false), [])
    }

    func testIndeclinableShortAndAbbreviatedNames_haveNoForms() {
        for name in ["Марокко", "Актобе", "Тбилиси", "Баку", "США", "Ош", "Уфа", "Moscow"] {
            XCTAssertEqual(RussianForms.forms(of: name, pluralNouns: true), [], name)
        }
    }
}
