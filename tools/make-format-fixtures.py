#!/usr/bin/env python3
"""Write the PDF, DOCX and ODT fixtures of WinnowFormatsTests.

    tools/make-format-fixtures.py [OUTPUT_DIR]

OUTPUT_DIR defaults to Tests/WinnowFormatsTests/Fixtures/formats beside this script's
repository. The files are committed; this script is how they were made and regenerates them
byte for byte (fixed timestamps, fixed IDs, fixed compression level; the DEFLATE bytes are
zlib's, so a different zlib could in principle change them). Standard library only.

Every text is written for these tests, in English or Russian; none is copied from a corpus.
"""
import hashlib
import io
import os
import sys
import zipfile
import zlib

# --------------------------------------------------------------------------------------------
# PDF

HEADLINE = "Man arrested after pharmacy break-in in Leeds"
PAGE_ONE = [
    HEADLINE,
    "",
    "Police in Leeds arrested a 34-year-old man on Tuesday night after a break-in",
    "at a pharmacy on Kirkgate. Officers found him hiding near the caf\xe9 next door,",
    "with boxes of prescription drugs in a rucksack.",
]
PAGE_TWO = [
    "The man was held at Elland Road police station and charged with burglary.",
    "A detective said the arrest followed a tip from a neighbour.",
]


def pdf_string(text):
    """A PDF literal string in WinAnsi (Latin-1 covers every character used here)."""
    raw = text.encode("latin-1")
    out = bytearray(b"(")
    for b in raw:
        if b in b"()\\":
            out += b"\\" + bytes([b])
        elif b < 0x20 or b > 0x7E:
            out += b"\\%03o" % b
        else:
            out.append(b)
    return bytes(out + b")")


def page_content(lines, heading):
    """Content stream: the first line large when `heading`, then 11-point lines."""
    ops = [b"BT", b"/F1 11 Tf", b"14 TL", b"72 740 Td"]
    for i, line in enumerate(lines):
        if i == 0 and heading:
            ops += [b"/F1 16 Tf", pdf_string(line) + b" Tj", b"/F1 11 Tf", b"0 -24 Td"]
            continue
        ops.append(pdf_string(line) + b" '" if line else b"T*")
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


class PDF:
    """A PDF written object by object, with a classic cross-reference table."""

    def __init__(self, encrypt=None):
        self.objects = []
        self.encrypt = encrypt

    def add(self, body):
        self.objects.append(body)
        return len(self.objects)

    def stream(self, data, extra=b""):
        return lambda num: (b"<< /Length %d %s>>\nstream\n" % (len(self.crypt(num, data)), extra)
                            + self.crypt(num, data) + b"\nendstream")

    def crypt(self, num, data):
        return self.encrypt.object(num, data) if self.encrypt else data

    def string(self, num, text):
        if not self.encrypt:
            return pdf_string(text)
        return b"<" + self.encrypt.object(num, text.encode("latin-1")).hex().encode() + b">"

    def write(self, root, info=None, trailer_extra=b""):
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for num, body in enumerate(self.objects, 1):
            offsets.append(len(out))
            data = body(num) if callable(body) else body
            out += b"%d 0 obj\n" % num + data + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        out += b"trailer\n<< /Size %d /Root %d 0 R " % (len(self.objects) + 1, root)
        if info:
            out += b"/Info %d 0 R " % info
        out += trailer_extra + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


def text_pdf(title, author, pages, encrypt=None):
    """Pages of Helvetica text in WinAnsi; an Info dictionary when `title` or `author`."""
    pdf = PDF(encrypt)
    font = pdf.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_num = len(pages) * 2 + 2
    kids = []
    for i, lines in enumerate(pages):
        content = pdf.add(pdf.stream(page_content(lines, heading=(i == 0))))
        kids.append(pdf.add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                            % (pages_num, font, content)))
    assert pdf.add(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                   + b"] /Count %d >>" % len(kids)) == pages_num
    root = pdf.add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_num)
    info = None
    if title or author:
        num = len(pdf.objects) + 1
        fields = b""
        if title:
            fields += b"/Title " + pdf.string(num, title) + b" "
        if author:
            fields += b"/Author " + pdf.string(num, author) + b" "
        fields += b"/CreationDate " + pdf.string(num, "D:20240305093000Z") + b" "
        info = pdf.add(b"<< " + fields + b"/Producer " + pdf.string(num, "make-format-fixtures.py") + b" >>")
    extra = b""
    if encrypt:
        extra = encrypt.trailer(pdf)
    return pdf.write(root, info, extra)


def scanned_pdf():
    """One page that only paints an image, as a scanner writes: no text layer."""
    pdf = PDF()
    pixels = bytes((x * 16 + y * 8) & 0xFF for y in range(16) for x in range(16))
    image = pdf.add(pdf.stream(pixels, b"/Type /XObject /Subtype /Image /Width 16 /Height 16 "
                                       b"/ColorSpace /DeviceGray /BitsPerComponent 8 "))
    content = pdf.add(pdf.stream(b"q 468 0 0 648 72 72 cm /Im1 Do Q\n"))
    page = pdf.add(b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 612 792] "
                   b"/Resources << /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>" % (image, content))
    assert pdf.add(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page) == 4
    root = pdf.add(b"<< /Type /Catalog /Pages 4 0 R >>")
    info = pdf.add(b"<< /Title (scan0042.tif) /Producer (make-format-fixtures.py) >>")
    return pdf.write(root, info)


def rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


class StandardSecurity:
    """The PDF standard security handler, revision 2 (40-bit RC4), as in PDF 1.7 §7.6.3."""

    def __init__(self, user, owner, permissions, file_id):
        self.file_id = file_id
        pad = lambda pw: (pw.encode("latin-1") + PASSWORD_PAD)[:32]
        self.owner_entry = rc4(hashlib.md5(pad(owner)).digest()[:5], pad(user))
        self.permissions = permissions
        p = (permissions & 0xFFFFFFFF).to_bytes(4, "little")
        self.key = hashlib.md5(pad(user) + self.owner_entry + p + file_id).digest()[:5]
        self.user_entry = rc4(self.key, PASSWORD_PAD)

    def object(self, num, data):
        key = hashlib.md5(self.key + num.to_bytes(3, "little") + b"\x00\x00").digest()[:10]
        return rc4(key, data)

    def trailer(self, pdf):
        enc = pdf.add(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
                      % (self.owner_entry.hex().encode(), self.user_entry.hex().encode(), self.permissions))
        ident = self.file_id.hex().encode()
        return b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (enc, ident, ident)


def malformed_pdf():
    """A PDF header, then the bytes of a download cut short: no objects, no trailer."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n" + b"\x00\x17\x9c" * 40


# --------------------------------------------------------------------------------------------
# ZIP-based formats

FIXED_TIME = (2024, 3, 5, 9, 30, 0)


def zip_file(entries, stored=()):
    """A ZIP of (name, bytes) in order; names in `stored` are not compressed."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, data, compresslevel=9 if name not in stored else None)
    return buf.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>
"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>
"""


def xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx_paragraph(runs, style=None):
    """A w:p; runs are strings, or ('tab',) / ('br',) / ('footnote', id)."""
    out = "<w:p>"
    if style:
        out += '<w:pPr><w:pStyle w:val="%s"/></w:pPr>' % style
    for run in runs:
        if run == ("tab",):
            out += "<w:r><w:tab/></w:r>"
        elif run == ("br",):
            out += "<w:r><w:br/></w:r>"
        elif isinstance(run, tuple) and run[0] == "footnote":
            out += '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="%d"/></w:r>' % run[1]
        else:
            space = ' xml:space="preserve"' if run != run.strip() else ""
            out += "<w:r><w:t%s>%s</w:t></w:r>" % (space, xml_text(run))
    return out + "</w:p>"


def docx(paragraphs, title=None, creator=None, footnotes=(), styles=None):
    body = "".join(docx_paragraph(runs, style) for style, runs in paragraphs)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<w:document xmlns:w="%s" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                "<w:body>%s<w:sectPr/></w:body></w:document>\n" % (W, body))
    entries = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("word/document.xml", document)]
    if styles:
        entries.append(("word/styles.xml", styles))
    if footnotes:
        notes = "".join('<w:footnote w:id="%d">%s</w:footnote>' % (i, docx_paragraph([t])) for i, t in footnotes)
        entries.append(("word/footnotes.xml",
                        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="%s">'
                        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                        "%s</w:footnotes>\n" % (W, notes)))
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">')
    if title is not None:
        core += "<dc:title>%s</dc:title>" % xml_text(title)
    if creator:
        core += "<dc:creator>%s</dc:creator>" % xml_text(creator)
    core += '<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-05T09:30:00Z</dcterms:created></cp:coreProperties>\n'
    entries.append(("docProps/core.xml", core))
    return zip_file([(n, d.encode("utf-8")) for n, d in entries])


STYLES_LOCALISED = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="%s">
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>
</w:styles>
""" % W


def english_docx():
    return docx([
        ("Title", ["Two held over arson attack on Sheffield depot"]),
        (None, ["Police in Sheffield arrested two men on Friday after a fire destroyed a bus depot ",
                "on Attercliffe Road.", ("footnote", 1)]),
        ("Heading1", ["Investigation"]),
        (None, ["Detectives said the fire was started deliberately.", ("tab",), "Nobody was hurt."]),
        (None, ["Anyone with information should call 101,", ("br",), "quoting log 0412."]),
    ], title="Two held over arson attack on Sheffield depot", creator="Winnow Test Desk",
        footnotes=[(1, "South Yorkshire Police statement, 8 March.")])


def russian_docx():
    return docx([
        ("a3", ["Задержан подозреваемый в поджоге склада в Казани"]),
        (None, ["Полиция Казани задержала мужчину 29 лет по подозрению в поджоге склада на улице Тукая."]),
        ("1", ["Подробности"]),
        (None, ["По данным следствия, пожар начался ночью; пострадавших нет."]),
    ], title="", creator="Отдел тестов Winnow", styles=STYLES_LOCALISED)


def docx_with_file_name_title():
    return docx([
        (None, ["Court remands Bristol man accused of fraud"]),
        (None, ["A man from Bristol was remanded in custody on Monday."]),
    ], title="Microsoft Word - fraud-case.docx", creator="clerk")


def entity_bomb_docx():
    """A DOCTYPE declaring nested entities (billion laughs): Office files never carry one."""
    lol = '<!ENTITY a0 "lol">' + "".join('<!ENTITY a%d "%s">' % (i, ("&a%d;" % (i - 1)) * 10) for i in range(1, 10))
    document = ('<?xml version="1.0"?>\n<!DOCTYPE w:document [%s]>\n'
                '<w:document xmlns:w="%s"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>\n'
                % (lol, W))
    return zip_file([("[Content_Types].xml", CONTENT_TYPES.encode()), ("_rels/.rels", RELS.encode()),
                     ("word/document.xml", document.encode())])


def bomb_docx(lie_about_size):
    """word/document.xml unpacks to 200 MB of zeros (from 200 KB). With `lie_about_size`, the
    ZIP's headers claim 1 KB: a forged bomb that a check of declared sizes alone would miss."""
    size = 200 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    deflated = b"".join(compressor.compress(chunk) for _ in range(size >> 20)) + compressor.flush()
    crc = 0
    for _ in range(size >> 20):
        crc = zlib.crc32(chunk, crc)
    head = [("[Content_Types].xml", CONTENT_TYPES.encode()), ("_rels/.rels", RELS.encode())]
    data = zip_file(head)
    # The bomb entry is added by hand: zipfile would need the 200 MB in memory, and cannot lie.
    central_start = data.find(b"PK\x01\x02")
    local = data[:central_start]
    central = data[central_start:data.find(b"PK\x05\x06")]
    name = b"word/document.xml"
    declared = 1024 if lie_about_size else size
    dos_time, dos_date = (9 << 11) | (30 << 5), ((2024 - 1980) << 9) | (3 << 5) | 5
    offset = len(local)
    local += (b"PK\x03\x04" + (20).to_bytes(2, "little") + (0).to_bytes(2, "little") + (8).to_bytes(2, "little")
              + dos_time.to_bytes(2, "little") + dos_date.to_bytes(2, "little") + crc.to_bytes(4, "little")
              + len(deflated).to_bytes(4, "little") + declared.to_bytes(4, "little")
              + len(name).to_bytes(2, "little") + (0).to_bytes(2, "little") + name + deflated)
    central += (b"PK\x01\x02" + (0x0314).to_bytes(2, "little") + (20).to_bytes(2, "little")
                + (0).to_bytes(2, "little") + (8).to_bytes(2, "little")
                + dos_time.to_bytes(2, "little") + dos_date.to_bytes(2, "little") + crc.to_bytes(4, "little")
                + len(deflated).to_bytes(4, "little") + declared.to_bytes(4, "little")
                + len(name).to_bytes(2, "little") + (0).to_bytes(8, "little")
                + (0o644 << 16).to_bytes(4, "little") + offset.to_bytes(4, "little") + name)
    count = 3
    end = (b"PK\x05\x06" + (0).to_bytes(4, "little") + count.to_bytes(2, "little") + count.to_bytes(2, "little")
           + len(central).to_bytes(4, "little") + len(local).to_bytes(4, "little") + (0).to_bytes(2, "little"))
    return local + central + end


ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
NS = " ".join('xmlns:%s="%s"' % kv for kv in ODF.items())


def odt(body, title, creator, encrypted=False):
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest %s manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">%s</manifest:file-entry>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>\n" % (NS, '<manifest:encryption-data manifest:checksum-type="SHA1/1K" '
                                                'manifest:checksum="AAAA"/>' if encrypted else ""))
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content %s office:version="1.2">'
               "<office:automatic-styles/><office:body><office:text>%s</office:text></office:body>"
               "</office:document-content>\n" % (NS, body))
    meta = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta %s office:version="1.2"><office:meta>'
            "<dc:title>%s</dc:title><meta:initial-creator>%s</meta:initial-creator><dc:creator>Night editor</dc:creator>"
            "<meta:creation-date>2024-03-06T18:05:00</meta:creation-date></office:meta></office:document-meta>\n"
            % (NS, xml_text(title), xml_text(creator)))
    if encrypted:
        content = bytes(b ^ 0x5A for b in content.encode()).decode("latin-1")
    return zip_file([("mimetype", b"application/vnd.oasis.opendocument.text"),
                     ("META-INF/manifest.xml", manifest.encode()),
                     ("content.xml", content.encode("utf-8" if not encrypted else "latin-1")),
                     ("meta.xml", meta.encode())], stored={"mimetype"})


ODT_BODY = (
    '<text:h text:outline-level="1">Protesters detained outside Glasgow council offices</text:h>'
    "<text:p>Police in Glasgow detained <text:span>six people</text:span> on Wednesday after a protest"
    "\n   outside the council offices on George Square turned violent.</text:p>"
    '<text:p>Two officers were injured.<text:s text:c="3"/>One protester<text:s/>was taken to hospital.'
    '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    "<text:note-body><text:p>Figures from Police Scotland.</text:p></text:note-body></text:note></text:p>"
    "<text:p>Charges:<text:tab/>breach of the peace<text:line-break/>and assault.</text:p>"
    "<text:list><text:list-item><text:p>The council condemned the violence.</text:p></text:list-item></text:list>"
)


def not_office_zip():
    return zip_file([("readme.txt", b"Quarterly figures, see data.csv.\n"),
                     ("data.csv", b"city,arrests\nLeeds,12\nYork,4\n")])


def main(target):
    os.makedirs(target, exist_ok=True)
    news = [PAGE_ONE, PAGE_TWO]
    files = {
        "text.pdf": text_pdf(HEADLINE, "Winnow Test Desk", news),
        "file-name-title.pdf": text_pdf("Microsoft Word - leeds-arrest.docx", None, [PAGE_ONE]),
        "no-info.pdf": text_pdf(None, None, [PAGE_TWO]),
        "scanned.pdf": scanned_pdf(),
        "encrypted.pdf": text_pdf(HEADLINE, "Winnow Test Desk", news,
                                  StandardSecurity("secret", "owner", -4, bytes(range(16)))),
        "malformed.pdf": malformed_pdf(),
        "english.docx": english_docx(),
        "russian.docx": russian_docx(),
        "file-name-title.docx": docx_with_file_name_title(),
        "entity-bomb.docx": entity_bomb_docx(),
        "empty.docx": docx([(None, []), ("Heading1", [])], title="Blank form", creator="clerk"),
        "zip-bomb.docx": bomb_docx(lie_about_size=False),
        "zip-bomb-forged.docx": bomb_docx(lie_about_size=True),
        "english.odt": odt(ODT_BODY, "Protesters detained outside Glasgow council offices", "Winnow Test Desk"),
        "encrypted.odt": odt(ODT_BODY, "", "Winnow Test Desk", encrypted=True),
        "not-office.zip": not_office_zip(),
    }
    for name, data in sorted(files.items()):
        with open(os.path.join(target, name), "wb") as f:
            f.write(data)
        print("%-24s %8d bytes" % (name, len(data)))


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "Tests", "WinnowFormatsTests", "Fixtures", "formats"))
