#!/usr/bin/env python3
"""Derive Winnow's compact default gazetteer from GeoNames dump files.

    tools/make-gazetteer.py ../shared/data/geonames rules/geonames

Keeps every populated place of Central Asia and the Caucasus, places of 15,000 people or more
in the neighbouring and Middle Eastern countries, and cities of a million or more anywhere.
Alternate names are kept in the Latin, Cyrillic and Arabic scripts only (what the shipped
rules read). Output keeps the GeoNames layouts, so the pack can point at the full files
instead. Deterministic: the same input gives the same bytes. Standard library only.
"""
import os
import shutil
import sys
import unicodedata

FULL = {"KZ", "KG", "UZ", "TJ", "TM", "AF", "MN", "AZ", "GE", "AM"}
NEAR = {"RU", "CN", "IR", "IQ", "SY", "TR", "PK", "IN", "UA", "BY", "SA", "AE", "QA", "YE", "EG",
        "LY", "IL", "PS", "JO", "LB", "KW", "BH", "OM"}
NEAR_MIN_POPULATION = 15000
WORLD_MIN_POPULATION = 1000000


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
    with open(os.path.join(source, "cities500.txt"), encoding="utf-8") as src, \
            open(os.path.join(target, "cities.txt"), "w", encoding="utf-8", newline="\n") as out:
        for line in src:
            f = line.rstrip("\n").split("\t")
            cc, population = f[8], int(f[14] or 0)
            if not (cc in FULL or (cc in NEAR and population >= NEAR_MIN_POPULATION)
                    or population >= WORLD_MIN_POPULATION):
                continue
            f[3] = ",".join(n for n in f[3].split(",") if n and script_ok(n))
            out.write("\t".join(f) + "\n")
            kept_countries.add(cc)
    shutil.copyfile(os.path.join(source, "countryInfo.txt"), os.path.join(target, "countryInfo.txt"))
    for name in ("admin1CodesASCII.txt", "admin1Extra.tsv"):
        with open(os.path.join(source, name), encoding="utf-8") as src, \
                open(os.path.join(target, name), "w", encoding="utf-8", newline="\n") as out:
            for line in src:
                if line[:2] in kept_countries:
                    out.write(line)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
