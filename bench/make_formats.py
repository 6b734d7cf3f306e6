#!/usr/bin/env python3
"""Variants of the bench corpus for the cost of reading (issue 11):

- legacy/: the same documents, those with any Cyrillic in them (Russian ones, and English ones
  that name a place in Russian) in windows-1251 or KOI8-R with no charset declared, the others
  as they are (valid UTF-8): detection is paid only by the first;
- html/: each document as a web page: head, a menu, the article in <p> paragraphs, a
  related-links box, a footer, so that the article is about half of the page's bytes;
- sized/: plain text documents as long as the pages of html/ (the same paragraphs repeated),
  the measure "plain text of the same size" of the HTML pages.

    python3 bench/make_formats.py CORPUS_DIR OUT_DIR
"""
import argparse
import html
import pathlib
import shutil

MENU = ["Home", "World", "Politics", "Business", "Sport", "Football", "Tennis", "Culture", "Science", "Weather",
        "Opinion", "Video", "Podcasts", "Travel", "Health", "Technology", "Education", "Regions", "Archive", "Contact"]
RELATED = ["Parliament debates new budget", "Markets close higher on oil prices", "National team wins friendly match",
           "Heatwave expected this weekend", "Museum opens new exhibition", "Grain exports reach record",
           "Court hears appeal in land case", "New rail line opens in the north"]


def page(title, paragraphs):
    menu = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in MENU)
    related = "".join(f'<li><a href="/news/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(RELATED))
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | Daily</title>\n'
            f'<meta property="og:title" content="{html.escape(title)}"><link rel="stylesheet" href="/s.css">\n'
            f'<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>\n'
            f'</head><body><header class="site-header"><nav class="menu"><ul>{menu}</ul></nav></header>\n'
            f'<main><article><h1>{html.escape(title)}</h1>\n{body}</article></main>\n'
            f'<aside class="related"><h2>Related</h2><ul>{related}</ul></aside>\n'
            f'<footer class="site-footer"><p>&copy; 2026 Daily. All rights reserved.</p></footer></body></html>\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=pathlib.Path)
    ap.add_argument("out", type=pathlib.Path)
    args = ap.parse_args()
    for sub in ("legacy", "html", "sized"):
        shutil.rmtree(args.out / sub, ignore_errors=True)
        (args.out / sub).mkdir(parents=True)
    files = sorted(p for p in args.corpus.iterdir() if p.is_file())
    for k, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n\n")
        paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
        cyrillic = any("\u0400" <= c <= "\u04ff" for c in text)
        charset = ("cp1251" if k % 2 else "koi8_r") if cyrillic else "utf-8"
        (args.out / "legacy" / path.name).write_bytes(text.encode(charset, errors="replace"))
        web = page(title, paragraphs).encode("utf-8")
        (args.out / "html" / (path.stem + ".html")).write_bytes(web)
        # Plain text as long as the page: the document's paragraphs again until it is.
        plain = text.encode("utf-8")
        extra = ("\n\n" + "\n\n".join(paragraphs)).encode("utf-8")
        while len(plain) < len(web):
            plain += extra
        (args.out / "sized" / path.name).write_bytes(plain[:len(web)].decode("utf-8", errors="ignore").encode("utf-8"))
    total = {sub: sum(p.stat().st_size for p in (args.out / sub).iterdir()) for sub in ("legacy", "html", "sized")}
    print(f"{len(files)} documents: legacy {total['legacy']} bytes, html {total['html']} bytes, sized {total['sized']} bytes")


if __name__ == "__main__":
    main()
