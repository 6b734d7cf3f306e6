#!/usr/bin/env python3
"""Peer: scan every file of a folder with a pyahocorasick automaton of the lowercased terms.

    python3 bench/aho_scan.py TERMS_FILE FOLDER

Text is decoded as UTF-8 and lowercased with str.lower(); a hit counts when both ends fall on
a word boundary (like rg -w). Prints `NAME COUNT` for each file with at least one hit.
"""
import os
import sys

import ahocorasick


def main():
    terms_file, folder = sys.argv[1:3]
    automaton = ahocorasick.Automaton()
    with open(terms_file, encoding="utf-8") as f:
        for term in f:
            term = term.strip().lower()
            if term:
                automaton.add_word(term, len(term))
    automaton.make_automaton()

    out = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if not entry.is_file():
            continue
        with open(entry.path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace").lower()
        hits = 0
        for end, length in automaton.iter(text):
            start = end - length + 1
            if (start == 0 or not text[start - 1].isalnum()) and \
               (end + 1 == len(text) or not text[end + 1].isalnum()):
                hits += 1
        if hits:
            out.append(f"{entry.name} {hits}\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
