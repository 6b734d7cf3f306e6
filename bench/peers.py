#!/usr/bin/env python3
"""Turn the rule packs' literal `words` terms into inputs for the peer tools.

    python3 bench/peers.py --out bench/out RULES_DIR...

Writes OUT/terms.txt (one term per line, for `rg -F -f` and the pyahocorasick scan) and
OUT/packs.yar (YARA rules with `nocase fullword ascii` strings, `any of them`).
Terms come from every pack's lists (inline or `{file: ...}`) and from inline `words` in
matchers; `$list` references are skipped (their list is already counted), `regex` and
`field` matchers are ignored. A trailing `*` is dropped, so `extremist*` becomes `extremist`:
the peers do the same amount of work, not the same matching as Winnow.
"""
import argparse
import pathlib
import re
import sys

import yaml

# YARA's default limit is 10000 strings per rule; stay well under it.
MAX_STRINGS_PER_RULE = 5000


def terms_of(value, base):
    """Literal terms in a list value, a `{file: ...}` list or a matcher."""
    if isinstance(value, str):
        return [] if value.startswith("$") else [value]
    if isinstance(value, list):
        return [t for item in value for t in terms_of(item, base)]
    if isinstance(value, dict):
        if "file" in value:
            lines = (base / value["file"]).read_text(encoding="utf-8").splitlines()
            return [l.strip() for l in lines if l.strip() and not l.strip().startswith("#")]
        if "words" in value:
            return terms_of(value["words"], base)
    return []  # regex, field and future kinds


def pack_terms(path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = []
    for value in (doc.get("lists") or {}).values():
        terms += terms_of(value, path.parent)
    for rule in doc.get("rules") or []:
        for value in (rule.get("match") or {}).values():
            terms += terms_of(value, path.parent)
    return doc.get("pack") or path.stem, terms


def literal(term):
    """`организованн* преступн*` -> `организованн преступн`."""
    return " ".join(w.rstrip("*") for w in term.split())


def yara_string(term):
    return '"' + term.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rules", nargs="+", type=pathlib.Path)
    ap.add_argument("--out", type=pathlib.Path, required=True)
    args = ap.parse_args()

    packs, seen, all_terms = [], set(), []
    for folder in args.rules:
        for path in sorted(folder.glob("*.y*ml")):
            if path.name.startswith((".", "#")):
                continue
            name, terms = pack_terms(path)
            unique = []
            for t in map(literal, terms):
                if t and t.casefold() not in seen:  # a term already in an earlier pack is scanned once
                    seen.add(t.casefold())
                    unique.append(t)
            packs.append((name, unique))
            all_terms += unique

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "terms.txt").write_text("".join(t + "\n" for t in all_terms), encoding="utf-8")

    rules = []
    for name, terms in packs:
        for part in range(0, len(terms), MAX_STRINGS_PER_RULE):
            chunk = terms[part:part + MAX_STRINGS_PER_RULE]
            ident = re.sub(r"\W", "_", f"{name}_{part // MAX_STRINGS_PER_RULE}", flags=re.ASCII)
            strings = "\n".join(f"    $s{i} = {yara_string(t)} nocase fullword ascii"
                                for i, t in enumerate(chunk))
            rules.append(f"rule {ident}\n{{\n  strings:\n{strings}\n  condition:\n    any of them\n}}\n")
    (args.out / "packs.yar").write_text("\n".join(rules), encoding="utf-8")
    print(f"{len(all_terms)} literal terms from {len(packs)} packs -> "
          f"{args.out}/terms.txt, {args.out}/packs.yar ({len(rules)} YARA rules)", file=sys.stderr)


if __name__ == "__main__":
    main()
