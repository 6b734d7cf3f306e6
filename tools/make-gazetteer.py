#!/usr/bin/env python3
"""Derive Winnow's default gazetteer from GeoNames dump files.

    tools/make-gazetteer.py ../shared/data/geonames rules/geonames

Keeps every populated place of Central Asia and the Caucasus, and every place of 15,000 people
or more anywhere in the world. Alternate names are kept in the Latin, Cyrillic and Arabic scripts
only (what the shipped rules read). Output keeps the GeoNames layouts, so the pack can point at
the full files instead.

Also writes country-names.tsv: every country's name in Russian, Kazakh and Uzbek, and its
English official and common names, from Debian's iso-codes package
(/usr/share/iso-codes, the ISO 3166 names and their translations), in the aliases layout.
Winnow adds the case forms of Cyrillic names itself.

And writes common-words-english.txt: the gazetteer's one-word names that are also ordinary
English words (lowercase entries of Debian's wamerican and wbritish word lists, SCOWL), such as
"Coast", "Titan" or "Reading", so that they count as places only with support. Names of
countries, capitals and cities of a million are left out: those mean the place.

Deterministic: the same input gives the same bytes. Standard library only.
"""
import os
import shutil
import sys
import unicodedata

import gettext
import json

WORD_LISTS = ["/usr/share/dict/american-english", "/usr/share/dict/british-english"]
SCOWL_NOTICE = """# Word lists: SCOWL (Spell Checker Oriented Word Lists), as packaged by Debian (wamerican, wbritish).
# Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell these
# word lists, the associated scripts, the output created from the scripts, and its documentation
# for any purpose is hereby granted without fee, provided that the above copyright notice appears
# in all copies and that both that copyright notice and this permission notice appear in
# supporting documentation. Kevin Atkinson makes no representations about the suitability of this
# array for any purpose. It is provided "as is" without express or implied warranty."""
FULL = {"KZ", "KG", "UZ", "TJ", "TM", "AF", "MN", "AZ", "GE", "AM"}
WORLD_MIN_POPULATION = 15000
ISO_CODES = "/usr/share/iso-codes/json/iso_3166-1.json"
# Ukrainian and Belarusian names are left out: documents are English and Russian, and their
# names collide with Russian words and given names (Belarusian "Аман" for Oman).
LANGUAGES = ["ru", "kk", "uz"]


def script_ok(name):
    """True when every letter is Latin, Cyrillic or Arabic."""
    for ch in name:
        if not ch.isalpha():
            continue
        script = unicodedata.name(ch, "").split(" ")[0]
        if script not in ("LATIN", "CYRILLIC", "ARABIC"):
            return False
    return True


def main(source, target):
    os.makedirs(target, exist_ok=True)
    kept_countries = set()
    names, protected = set(), set()
    with open(os.path.join(source, "cities500.txt"), encoding="utf-8") as src, \
            open(os.path.join(target, "cities.txt"), "w", encoding="utf-8", newline="\n") as out:
        for line in src:
            f = line.rstrip("\n").split("\t")
            cc, population = f[8], int(f[14] or 0)
            if not (cc in FULL or population >= WORLD_MIN_POPULATION):
                continue
            f[3] = ",".join(n for n in f[3].split(",") if n and script_ok(n))
            out.write("\t".join(f) + "\n")
            kept_countries.add(cc)
            own = {f[1].lower(), f[2].lower()}
            names.update(own, (n.lower() for n in f[3].split(",") if n))
            if f[7] == "PPLC" or population >= 1000000:
                protected.update(own)
    shutil.copyfile(os.path.join(source, "countryInfo.txt"), os.path.join(target, "countryInfo.txt"))
    with open(os.path.join(source, "countryInfo.txt"), encoding="utf-8") as f:
        listed = {line[:2] for line in f if line[:2].isalpha() and not line.startswith("#")}
    country_names(target, listed)
    with open(os.path.join(source, "countryInfo.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#") and line.strip():
                protected.add(line.split("\t")[4].lower())
    with open(os.path.join(source, "admin1CodesASCII.txt"), encoding="utf-8") as f:
        for line in f:
            if line[:2] in kept_countries:
                cols = line.rstrip("\n").split("\t")
                names.update((cols[1].lower(), cols[2].lower()))
    common_words(target, names, protected)
    for name in ("admin1CodesASCII.txt", "admin1Extra.tsv"):
        with open(os.path.join(source, name), encoding="utf-8") as src, \
                open(os.path.join(target, name), "w", encoding="utf-8", newline="\n") as out:
            for line in src:
                if line[:2] in kept_countries:
                    out.write(line)


def country_names(target, kept_countries):
    """country-names.tsv from iso-codes: the names a country goes by in the languages above."""
    with open(ISO_CODES, encoding="utf-8") as f:
        countries = json.load(f)["3166-1"]
    translations = [gettext.translation("iso_3166-1", localedir="/usr/share/locale", languages=[lang])
                    for lang in LANGUAGES]
    lines = ["# Country names in Russian, Kazakh and Uzbek, and English official and",
             "# common names: generated by tools/make-gazetteer.py from Debian's iso-codes (ISO 3166-1",
             "# names and translations, LGPL-2.1+). Winnow adds the case forms of the Cyrillic ones.",
             "# Aliases layout: TARGET<TAB>name, name, ..."]
    for c in sorted(countries, key=lambda c: c["alpha_2"]):
        if c["alpha_2"] not in kept_countries:
            continue
        english = [c[k] for k in ("official_name", "common_name") if k in c]
        names = []
        for n in english + [t.gettext(c.get("common_name", c["name"])) for t in translations] \
                + [t.gettext(c["name"]) for t in translations]:
            # Parenthesised qualifiers and "X, Republic of" forms are not how texts name a country.
            if "(" in n or "," in n or n in names or n == c["name"]:
                continue
            names.append(n)
        if names:
            lines.append(c["alpha_2"] + "\t" + ", ".join(names))
    with open(os.path.join(target, "country-names.tsv"), "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(lines) + "\n")


def common_words(target, names, protected):
    """common-words-english.txt: one-word names that are ordinary English words."""
    words = set()
    for path in WORD_LISTS:
        with open(path, encoding="utf-8") as f:
            # Lowercase entries only: capitalised ones are proper nouns (places among them).
            words.update(w for w in (line.strip() for line in f) if w.isalpha() and w.islower() and w.isascii())
    hand = set()
    with open(os.path.join(target, "common-words.txt"), encoding="utf-8") as f:
        hand = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    found = sorted(n for n in names if n in words and n not in protected and n not in hand and len(n) >= 3)
    lines = ["# Common words: one-word place names in the gazetteer that are also ordinary English words.",
             "# Generated by tools/make-gazetteer.py from the gazetteer and the lowercase entries of the",
             "# word lists below; names of countries, capitals and cities of a million are left out.",
             SCOWL_NOTICE, ""]
    with open(os.path.join(target, "common-words-english.txt"), "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(lines + found) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
