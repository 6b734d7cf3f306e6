#!/usr/bin/env python3
"""Writes Fuzz/corpus/<target>/: seeds written here, and copies of the project's own rules and
test fixtures. Run from the repository root; it rewrites only the seeds it names, so inputs added
by hand stay. Targets whose first byte is a selector (charset, document) get one prepended.
See docs/design.md, section Fuzzing."""
import base64, io, os, re, sys, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fuzz", "corpus")
MAX = {"condition": 2048, "yaml": 16384, "pack": 16384, "geonames": 16384,
       "charset": 32768, "text": 32768, "markdown": 32768, "json": 32768, "jsonl": 32768,
       "document": 65536, "html": 65536, "email": 65536, "office": 65536}

def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()

def seed(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX[target]:
        sys.exit(f"{target}/{name}: {len(data)} bytes, more than -max_len {MAX[target]}")
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)

RU = "Боевики открыли огонь по полицейскому посту в Актобе. Двое задержаны, сообщила полиция.\n"
EN = "Gunmen opened fire at a police station in Aktobe on Tuesday, officials said.\n"

# --- yaml: the shipped packs and configuration, golden cases, and YAML's odd corners.
seed("yaml", "genres.yaml", read("rules/genres.yaml"))
seed("yaml", "locations.yaml", read("rules/locations.yaml"))
seed("yaml", "winnow.yaml", read("etc/winnow/winnow.yaml")[:16384])
for case in ["001-yaml-syntax", "003-duplicate-key", "017-block-condition", "028-multiline-value-in-message", "038-closed-set-values"]:
    seed("yaml", case + ".yaml", read(f"Tests/WinnowRulesTests/Diagnostics/{case}.yaml"))
seed("yaml", "anchors.yaml", "base: &b {level: high, tags: [a, b]}\nrules:\n  - *b\n  - <<: *b\n    id: x\n  - !!str 12\nlist: &l [1, 2, *b]\nmore: [*l, *l, *l]\n")
seed("yaml", "scalars.yaml", "poll_interval: 1.5m\nmax_file_size: 512KiB\nlevel: 'hi''gh'\nid: \"\\u0410\\x41\\t\"\nmatch: |\n  line one\n  line two\ncondition: >-\n  a and\n  b\nrules: ~\npack: 0x1F\n? complex key\n: value\n")
seed("yaml", "flow.yaml", "{pack: p, rules: [{id: a, level: low, match: {x: [w]}, condition: x}], poll_interval: 10ms}\n")
seed("yaml", "documents.yaml", "%YAML 1.1\n---\na: 1\n...\n---\nb: 2\n")
seed("yaml", "tabs.yaml", "rules:\n\t- id: x\n")

# --- condition: every condition of the shipped packs, and each construct of the language.
conditions = set()
for pack in ["rules/extremism.yaml", "rules/criminality.yaml", "rules/locations.yaml", "rules/genres.yaml"]:
    for m in re.finditer(rb"^\s*condition: (.+)$", read(pack), re.M):
        c = m.group(1).strip()
        if c not in (b">", b"|", b">-", b"|-"):
            conditions.add(c.strip(b"'\""))
for i, c in enumerate(sorted(conditions)[:60]):
    seed("condition", f"shipped-{i:02}", c)
for i, c in enumerate([
    "a and not b", "2 of (a, b, c)", "any of them", "all of (a*)", "none of (place, place-2)",
    "#a >= 2 and #b < 3 or #c == 0", "#actor != 1", "a near(5) (b or c)", "(actor near(40) act) and place",
    "1 of them and not (a or b)", "((((a))))", "ab.c near(0) a", "3 of (a, a, b)", "0 of (a)",
    "a near(99999999999999999999) b", "#a > 18446744073709551616", "a and", "a & b", "a = b", "Актор and a",
]):
    seed("condition", f"written-{i:02}", c)

# --- pack: the golden cases (several packs per input, "# --- file:" lines) and shipped packs.
diag = os.path.join(ROOT, "Tests/WinnowRulesTests/Diagnostics")
for name in sorted(os.listdir(diag)):
    if name.endswith(".yaml"):
        seed("pack", name, read(f"Tests/WinnowRulesTests/Diagnostics/{name}"))
seed("pack", "genres.yaml", read("rules/genres.yaml"))
locations = read("rules/locations.yaml").replace(b"geonames/", b"").replace(b"country-names.tsv", b"aliases.tsv") \
    .replace(b"common-words-english.txt", b"common-words.txt").replace(b"$extremism.", b"$lists.")
seed("pack", "locations.yaml", locations + b"""
# --- file: lists.yaml
pack: lists
lists:
  harm: [killed, wounded, "opened fire"]
  attacks: [attack*, shootout*]
  shootouts: {file: terms.txt}
  assaults: [assault*]
""")
seed("pack", "everything.yaml", """pack: fuzz
description: One of each kind of matcher and key
lists:
  actors: [extremist*, jihadist*, боевик*, "armed group"]
  more: {file: terms.txt}
topics:
  extremism: {required: 2, against: [fiction]}
rules:
  - id: fuzz.words
    title: Words and lists
    level: high
    tags: [extremism, extremism/violence]
    score: 10
    match:
      actor: [$actors, $more, "gun*"]
      act: {words: [attack*, "opened fire"]}
      re: {regex: '\\b(?:bomb|blast)s?\\b'}
      where: {places: {country: KZ}}
      fmt: {field: format, is: [html, text]}
    condition: actor near(10) act and (re or where or not fmt)
    examples:
      match: ["Extremists opened fire in Aktobe."]
      no-match: ["An extremely hot summer."]
  - id: fuzz.off
    title: Parked
    level: low
    enabled: false
    match: {x: [x]}
    condition: x
gazetteer:
  places: cities.txt
  countries: countryInfo.txt
  admin1: admin1CodesASCII.txt
  admin1-names: admin1Extra.tsv
  aliases: {file: aliases.tsv}
  common-words: {file: common-words.txt}
  never: [Asia]
  min-confidence: 0.5
""")

# --- charset: first byte = declared label (low 4 bits) and fallback (next 2), see CharsetFuzzing.
DECLARED = [None, "utf-8", "windows-1251", "koi8-r", "us-ascii", "utf-16", "utf-16le", "utf-32",
            "iso-2022-jp", "utf-7", "shift_jis", "gb18030", "big5", "euc-kr", "x-no-such-charset", "latin1"]
def sel(declared, fallback=0):
    return bytes([DECLARED.index(declared) | (fallback << 4)])
seed("charset", "cp1251-undeclared", sel(None) + (RU * 3).encode("cp1251"))
seed("charset", "koi8r-declared", sel("koi8-r") + (RU * 3).encode("koi8-r"))
seed("charset", "koi8r-declared-1251", sel("windows-1251") + (RU * 3).encode("koi8-r"))
seed("charset", "utf8-declared-1251", sel("windows-1251") + (RU * 2).encode("utf-8"))
seed("charset", "utf8-damaged", sel(None) + (RU * 2).encode("utf-8")[:-7] + b"\xff\xfe" + RU.encode("utf-8"))
seed("charset", "utf16le-bom", sel(None) + b"\xff\xfe" + (RU + EN).encode("utf-16-le"))
seed("charset", "utf16le-unmarked", sel(None) + (EN * 2).encode("utf-16-le"))
seed("charset", "utf16-declared", sel("utf-16") + (RU + EN).encode("utf-16-be"))
seed("charset", "utf32be-bom", sel(None) + b"\x00\x00\xfe\xff" + RU.encode("utf-32-be"))
seed("charset", "utf32-declared", sel("utf-32") + EN.encode("utf-32-le"))
seed("charset", "iso2022jp", sel("iso-2022-jp") + "警察は月曜日に五人を逮捕した。東京\n".encode("iso-2022-jp") * 3)
seed("charset", "utf7", sel("utf-7") + (RU + EN).encode("utf-7"))
seed("charset", "shift-jis", sel("shift_jis") + "警察は月曜日に五人を逮捕した。\n".encode("shift_jis") * 3)
seed("charset", "gb18030", sel("gb18030") + "警方周二逮捕了五名嫌疑人。\n".encode("gb18030") * 3)
seed("charset", "big5", sel("big5") + "警方週二逮捕了五名嫌疑人。\n".encode("big5") * 3)
seed("charset", "euc-kr", sel("euc-kr") + "경찰은 화요일에 용의자 다섯 명을 체포했다.\n".encode("euc-kr") * 3)
seed("charset", "ascii-with-8bit", sel("us-ascii") + "Café déjà vu — naïve résumé.\n".encode("cp1252") * 3)
seed("charset", "unknown-label-fallback", sel("x-no-such-charset", 1) + bytes(range(0x80, 0x100)))
seed("charset", "latin1", sel("latin1", 3) + "Straße, Œuvre, “quotes”\n".encode("cp1252"))

# --- text, markdown, html, email, json, jsonl: one reader each.
seed("text", "english.txt", read("Tests/EndToEndTests/Fixtures/tashkent-raid.txt")[:32768])
seed("text", "russian-crlf.txt", (RU * 4).replace("\n", "\r\n"))
seed("text", "headline.txt", "AKTOBE, Kazakhstan (Reuters) -\n\n" + EN * 3 + "\f\v\u2028\u00a0end")

seed("markdown", "article.md", """# Raid in *Tashkent*: police detain **five** #

> Security services said the [group](https://example.org/g "title") planned ![an image](x.png) attacks.

- The leader, `abu_umar`, was held in snake_case_town.
1. Weapons were seized\\*.

| city | arrests |
|------|---------|
| Tashkent | 5 |

```
code block *not emphasis*
```

[ref]: https://example.org
<div>html block</div>

Setext heading
==============

***

__strong__ _em_ ~~strike~~ <https://auto.link> [[wiki]] [a [nested] link](u) \\
""")
seed("markdown", "russian.md", "Стрельба в Актобе\n-----------------\n\n" + RU * 2)

for f in ["en-news-heavy-chrome.html", "ru-news-divs.html"]:
    seed("html", f, read("Tests/WinnowFormatsTests/Fixtures/html/" + f))
seed("html", "small.html", """<!DOCTYPE html><html lang="ru"><head><meta charset="windows-1251">
<title>Стрельба в Актобе | Example News</title><meta property="og:title" content="Стрельба в Актобе">
<meta property="og:site_name" content="Example"><meta name="author" content="Staff">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Стрельба","datePublished":"2024-03-01"}</script>
<style>p{}</style></head><body><nav><a href="/">Home</a></nav>
<article itemprop="articleBody"><h1>Стрельба в Актобе</h1><p class="byline">By Staff</p>
<p>Боевики открыли огонь по полицейскому посту &laquo;Актобе&raquo; &#1040;&#x410; &amp; &notanentity; двое задержаны, сообщила полиция.</p>
<p hidden>hidden</p><div style="display:none">gone</div><table><tr><td>cell</td></tr></table>
<![CDATA[cdata]]><!-- comment --><p title='a>b'>quoted &gt; in attribute</p></article>
<aside class="related-articles"><ul><li><a href="#">Related</a></li></ul></aside><footer>(c)</footer></body></html>
""".encode("cp1251"))

def mail(headers, body):
    return ("\r\n".join(headers) + "\r\n\r\n").encode("utf-8") + body
def qp(b):
    out = []
    for c in b:
        out.append(f"={c:02X}" if c >= 0x80 or c == 0x3D else chr(c))
    s = "".join(out)
    return "=\r\n".join(s[i:i + 70] for i in range(0, len(s), 70)).encode()
seed("email", "plain-1251.eml", mail(["From: desk@example.org", "Subject: Report from Aktobe", "Date: Tue, 5 Mar 2024 10:00:00 +0000",
                                      "Content-Type: text/plain; charset=windows-1251", "Content-Transfer-Encoding: 8bit"], (RU * 2).encode("cp1251")))
seed("email", "qp-koi8.eml", mail(["From: =?windows-1251?Q?=C8=E2=E0=ED?= <ivan@example.ru>", "Subject: =?koi8-r?B?" + base64.b64encode("Перестрелка в Актобе".encode("koi8-r")).decode() + "?=",
                                   "MIME-Version: 1.0", "Content-Type: text/plain; charset=\"koi8-r\"", "Content-Transfer-Encoding: quoted-printable"], qp((RU * 2).encode("koi8-r"))))
b64 = base64.encodebytes((RU * 3).encode("utf-8")).replace(b"\n", b"\r\n")
html = ("<html><body><p>" + EN + "</p><p>&eacute;</p></body></html>").encode()
seed("email", "multipart.eml", mail(["From: a@example.org", "Subject: =?UTF-8?B?0JLQt9GA0YvQsg==?=\r\n =?utf-8?q?_=D0=B2?= (update)", "MIME-Version: 1.0",
                                     "Content-Type: multipart/mixed; boundary=\"outer\""],
    b"preamble\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64 +
    b"\r\n--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + b"\r\n--inner--\r\n--outer\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@example.org\r\nSubject: forwarded\r\n\r\n" + EN.encode() +
    b"\r\n--outer\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\nContent-Disposition: attachment; filename*=UTF-8''%D0%BE%D1%82.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--outer--\r\nepilogue\r\n"))
seed("email", "mbox", b"From desk@example.org Tue Mar  5 10:00:00 2024\nFrom: desk@example.org\nSubject: first\n\n" + EN.encode() + b"\n>From the archive\n\nFrom x@example.org Tue Mar  5 11:00:00 2024\nFrom: x@example.org\nSubject: second\nContent-Type: text/plain; charset=utf-8\n\n" + RU.encode())

seed("json", "article.json", r'''{"id": 7, "url": "https://example.org/a", "title": "Police in \u0410\u043a\u0442\u043e\u0431\u0435 detain suspects",
 "description": "A short lead.", "body": "Police said:\n\"five men were detained\" \ud83d\ude00 in the raid.",
 "author": {"name": "Staff"}, "published": "2026-11-30", "source": "Example Wire", "lang": "EN",
 "tags": [1, -2.5e+3, true, false, null, {"nested": [[[]]]}], "bad": "\udc00\ud800x"}''')
seed("json", "russian.json", '{"headline": "Стрельба в Актобе", "articleBody": "' + RU.strip() + '", "authors": ["A", "B"], "date": "2024-03-01"}\n')
seed("jsonl", "feed.jsonl", "\n".join([
    '{"title": "One", "text": "' + EN.strip() + '", "url": "https://example.org/1"}',
    '{"title": "Два", "content": "' + RU.strip() + '"}',
    '[1, 2, 3]',
    '{"title": "broken", ',
    '',
    '{"summary": "last", "pubDate": "Tue, 5 Mar 2024"}',
]) + "\n")
seed("jsonl", "crlf.jsonl", '{"title":"a","body":"b"}\r\n{"title":"c","body":"\\u0434"}\r\n')

# --- document: first byte picks the file name (see ReaderFuzzing.names).
NAMES = ["document", "fuzz.txt", "fuzz.md", "fuzz.html", "fuzz.eml", "fuzz.json", "fuzz.jsonl", "fuzz.pdf", "fuzz.docx", "fuzz.odt", "fuzz.xml"]
def doc(name, data):
    return bytes([NAMES.index(name)]) + (data if isinstance(data, bytes) else data.encode())
for target in ["text", "markdown", "html", "email", "json", "jsonl"]:
    folder = os.path.join(OUT, target)
    first = sorted(os.listdir(folder))[0]
    seed("document", f"{target}-as-document", doc("document", read(f"Fuzz/corpus/{target}/{first}")[:65000]))
seed("document", "markdown-by-name", doc("fuzz.md", "Just text\n\nand more"))
seed("document", "jsonl-by-name", doc("fuzz.jsonl", '{"title": "one line"}\n'))
seed("document", "utf16-html", doc("fuzz.html", b"\xff\xfe" + "<html><body><p>Привет</p></body></html>".encode("utf-16-le")))
seed("document", "binary", doc("fuzz.txt", b"\x89PNG\r\n\x1a\n\0\0\0"))
seed("document", "nul", doc("document", b"text\0more"))
for f in ["text.pdf", "english.docx", "english.odt"]:
    seed("document", f, doc("document", read("Tests/WinnowFormatsTests/Fixtures/formats/" + f)))

# --- office: the project's DOCX and ODT fixtures (the ZIP bombs are past -max_len).
for f in ["english.docx", "russian.docx", "empty.docx", "file-name-title.docx", "entity-bomb.docx",
          "english.odt", "encrypted.odt", "not-office.zip"]:
    seed("office", f, read("Tests/WinnowFormatsTests/Fixtures/formats/" + f))

# Their parts as bundles (see ReaderFuzzing.runOffice): the harness zips them with correct
# checksums, so mutations reach the XML.
for f in ["english.docx", "russian.docx", "english.odt"]:
    with zipfile.ZipFile(io.BytesIO(read("Tests/WinnowFormatsTests/Fixtures/formats/" + f))) as z:
        names = [n for n in z.namelist() if n.endswith(".xml") or n.endswith(".rels") or n == "mimetype"]
        main = "content.xml" if "content.xml" in names else "word/document.xml"
        bundle = z.read(main)
        for n in names:
            if n != main:
                bundle += b"\n# --- file: " + n.encode() + b"\n" + z.read(n)
        if main == "content.xml":
            bundle = b"# --- file: content.xml\n" + bundle
        seed("office", f + ".parts", bundle)
seed("office", "document-xml-only", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Raid in Aktobe</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Police </w:t></w:r><w:r><w:tab/><w:t>said &amp; more</w:t><w:br/></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>')

# --- geonames: the gazetteer fixtures as one bundle, and rows alone.
fixtures = "Tests/WinnowGazetteerTests/Fixtures/"
bundle = read(fixtures + "cities.txt")
for name, file in [("countryInfo.txt", "countryInfo.txt"), ("admin1CodesASCII.txt", "admin1CodesASCII.txt"),
                   ("admin1Extra.tsv", "admin1Extra.tsv"), ("common-words.txt", "common-words.txt")]:
    bundle += b"\n# --- file: " + name.encode() + b"\n" + read(fixtures + file)
seed("geonames", "fixtures", bundle)
seed("geonames", "cities-only", read(fixtures + "cities.txt"))
seed("geonames", "malformed-rows", "\ufeff" + read("Tests/WinnowRulesTests/Diagnostics/031-geonames-malformed-rows.yaml").decode().split("# --- file: cities.txt\n")[1]
     + "\n\n1\t2\n\t\t\t\n610613\tCRLF\tCRLF\t\t1\t2\tP\tPPL\tKZ\t\t04\t\t\t\t5\t\t\t\t\r\n")
seed("geonames", "aliases", read(fixtures + "cities.txt") + b"\n# --- file: aliases.tsv\n# comment\nKZ\tKazakh, Kazakhstani\nKZ.04\tAktobe Region\n610611\tAqtobe City\nXX\tnowhere\n\n")
