#!/usr/bin/env python3
"""Assemble a deterministic corpus of ~5 KB news-like documents from the project's fixtures.

Each fixture is a headline, a blank line and a paragraph. A document is one language
(English or Russian): a headline, a blank line, then shuffled paragraphs of that language
until the document reaches its target size, with numbers and names lightly varied.

    python3 bench/make_corpus.py [--docs 5000] [--size 5000] [--seed 42] OUT_DIR
"""
import argparse
import pathlib
import random
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURE_DIRS = [ROOT / "bench/fixtures", ROOT / "Tests/EndToEndTests/Fixtures"]

# Swapped for one another inside a document. Russian names are all indeclinable or only
# used in the nominative in the fixtures, so a swap never breaks the grammar.
NAME_POOLS = [
    ["Astana", "Almaty", "Shymkent", "Aktobe", "Karaganda", "Pavlodar", "Kostanay", "Atyrau",
     "Taraz", "Semey", "Kyzylorda", "Turkistan", "Aktau", "Oskemen", "Kokshetau", "Ekibastuz",
     "Petropavl", "Taldykorgan", "Zhezkazgan", "Tashkent"],
    ["Алматы", "Актобе", "Атырау", "Кокшетау", "Актау"],
    ["Akhmetov", "Nurlanov", "Omarov", "Serikbayev", "Zhakupov", "Iskakov", "Baimukhanov", "Kenzhebayev"],
    ["Ахметов", "Нурланов", "Омаров", "Серикбаев", "Жакупов", "Искаков"],
]
NAME_RE = re.compile(r"\b(" + "|".join(n for pool in NAME_POOLS for n in pool) + r")\b")
POOL_OF = {n: pool for pool in NAME_POOLS for n in pool}
NUMBER_RE = re.compile(r"\d+")


def load_fixtures():
    by_lang = {"en": [], "ru": []}
    for folder in FIXTURE_DIRS:
        for path in sorted(folder.glob("*.txt")):
            title, _, body = path.read_text(encoding="utf-8").strip().partition("\n\n")
            cyrillic = sum("\u0400" <= c <= "\u04ff" for c in body)
            lang = "ru" if cyrillic > len(body) // 4 else "en"
            by_lang[lang].append((title.strip(), body.strip()))
    return by_lang


def vary(text, rng):
    """Swap each number for another of the same length, and each known name for one of its pool."""
    def number(m):
        s = m.group(0)
        first = rng.randint(2 if len(s) == 1 else 1, 9)  # no "1 seasons"
        return str(first) + "".join(str(rng.randint(0, 9)) for _ in s[1:])
    text = NUMBER_RE.sub(number, text)
    return NAME_RE.sub(lambda m: rng.choice(POOL_OF[m.group(0)]), text)


def make_document(fixtures, rng, size):
    lang = "ru" if rng.random() < 0.3 else "en"
    pool = fixtures[lang][:]
    rng.shuffle(pool)
    target = rng.randint(int(size * 0.85), int(size * 1.15))
    title = pool[0][0]
    parts, total = [], len(title.encode()) + 2
    while total < target:
        if not pool:  # a language with few fixtures: reuse them in a new order
            pool = fixtures[lang][:]
            rng.shuffle(pool)
        paragraph = vary(pool.pop()[1], rng)
        parts.append(paragraph)
        total += len(paragraph.encode()) + 2
    return vary(title, rng) + "\n\n" + "\n\n".join(parts) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--size", type=int, default=5000, help="mean document size in bytes")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    fixtures = load_fixtures()
    rng = random.Random(args.seed)
    # Written last: it marks a complete corpus, and the report quotes it.
    info = args.out.parent / (args.out.name + ".info")
    info.unlink(missing_ok=True)
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    total = 0
    for i in range(args.docs):
        data = make_document(fixtures, rng, args.size).encode("utf-8")
        (args.out / f"doc-{i:05d}.txt").write_bytes(data)
        total += len(data)
    summary = (f"{args.docs} documents, {total / 1e6:.2f} MB ({total} bytes, mean {total // args.docs} B), "
               f"seed {args.seed}, in {args.out}")
    info.write_text(summary + "\n")
    print(summary)


if __name__ == "__main__":
    main()
