"""Precision and recall per warning sign on the labelled corpus of real pages.

    .venv/bin/python tests/offers/corpus_report.py              # the held-out test split
    .venv/bin/python tests/offers/corpus_report.py --split dev  # the development split
    .venv/bin/python tests/offers/corpus_report.py --split all --pages   # every page's result

A sign counts as found on a page when ``check_offer`` reports it from the page's wording
("not stated" signs are not scored: they are not labelled). The verdict lines check the
acceptance rule of issue 10: every clinic page shows at least one serious sign and no
legitimate page shows one.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages_support import Page, load_pages

from msstem.offers import CHECKED_SIGN_IDS, check_offer
from msstem.offers.catalog import sign_catalog


def found_signs(page: Page) -> dict[str, str]:
    """Sign id -> severity, for the signs found in the page's wording."""
    result = check_offer(page.text)
    return {f.id: f.severity for f in result.warning_signs if f.kind == "claim"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "fresh", "dev", "all"), default="test")
    parser.add_argument("--pages", action="store_true", help="print each page's result")
    args = parser.parse_args(argv)
    pages = load_pages(None if args.split == "all" else args.split)
    catalog = sign_catalog()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    clinic_ok = legit_ok = clinics = legits = 0
    for page in pages:
        found = found_signs(page)
        labels = set(page.labels)
        for sign in set(found) | labels:
            if sign in found and sign in labels:
                tp[sign] += 1
            elif sign in found:
                fp[sign] += 1
            else:
                fn[sign] += 1
        serious = sorted(s for s, sev in found.items() if sev == "serious")
        if page.kind == "clinic":
            clinics += 1
            clinic_ok += bool(serious)
        else:
            legits += 1
            legit_ok += not serious
        if args.pages:
            missing = sorted(labels - set(found))
            extra = sorted(set(found) - labels)
            print(f"{page.split:4} {page.kind:10} {page.language} {page.name}: "
                  f"serious={serious} missing={missing} extra={extra}")
    by_lang = Counter(p.language for p in pages)
    print(f"split={args.split}: {len(pages)} pages ({clinics} clinic, {legits} legitimate; "
          f"{by_lang['en']} English, {by_lang['es']} Spanish)")
    print(f"clinic pages with >=1 serious sign: {clinic_ok}/{clinics}")
    print(f"legitimate pages with no serious sign: {legit_ok}/{legits}")
    print()
    print(f"{'sign':34} {'severity':8} {'TP':>3} {'FP':>3} {'FN':>3} {'precision':>9} "
          f"{'recall':>6}")
    for sign in CHECKED_SIGN_IDS:
        t, f, n = tp[sign], fp[sign], fn[sign]
        if not (t or f or n):
            continue
        precision = f"{t / (t + f):.2f}" if t + f else "-"
        recall = f"{t / (t + n):.2f}" if t + n else "-"
        print(f"{sign:34} {catalog[sign].severity:8} {t:3} {f:3} {n:3} {precision:>9} "
              f"{recall:>6}")
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'all signs':34} {'':8} {t:3} {f:3} {n:3} "
          f"{(t / (t + f) if t + f else 0):9.2f} {(t / (t + n) if t + n else 0):6.2f}")
    return 0 if clinic_ok == clinics and legit_ok == legits else 1


if __name__ == "__main__":
    raise SystemExit(main())
