"""Date formats as Azerbaijani outlets print them (the table in tests/extract/test_date_formats.py):
correct / wrong / missing per kind, for aznews' resolver and for dateparser alone, and the cost
per byline text.

    python benchmarks/dates.py

dateparser runs as a user would call it for Azerbaijani: ``languages=["az"]``, the fetch time as
RELATIVE_BASE, dates preferred from the past, Baku time. A wrong date is a date other than the
one printed (or one where the row expects none); missing is no date where one was printed.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine import finish, header, target  # noqa: E402
from tests.extract.test_date_formats import CASES, FETCHED  # noqa: E402


def _aznews(text: str) -> str | None:
    from aznews.clock import BAKU
    from aznews.extract.dates import parse_az_date

    found = parse_az_date(text, FETCHED)
    return found[0].astimezone(BAKU).strftime("%Y-%m-%d %H:%M") if found else None


def _dateparser(text: str) -> str | None:
    import dateparser

    from aznews.clock import BAKU

    settings = {"RELATIVE_BASE": FETCHED.astimezone(BAKU).replace(tzinfo=None), "PREFER_DATES_FROM": "past",
                "TIMEZONE": "Asia/Baku", "RETURN_AS_TIMEZONE_AWARE": False}  # fmt: skip
    found = dateparser.parse(text, languages=["az"], settings=settings)
    return found.strftime("%Y-%m-%d %H:%M") if found else None


def score(parse) -> tuple[dict[str, Counter], Counter]:
    per_kind: dict[str, Counter] = defaultdict(Counter)
    for text, expected, _, kind, _ in CASES:
        got = parse(text)
        outcome = "correct" if got == expected else ("missing" if got is None else "wrong")
        per_kind[kind][outcome] += 1
    total = Counter()
    for c in per_kind.values():
        total.update(c)
    return per_kind, total


def main() -> None:
    header(f"dates: {len(CASES)} byline texts")
    results = {name: score(fn) for name, fn in (("aznews", _aznews), ("dateparser", _dateparser))}
    print(f"{'kind':18s} {'aznews ok/wrong/miss':>22s} {'dateparser ok/wrong/miss':>26s}")
    for kind in sorted(results["aznews"][0]):
        cells = [results[n][0][kind] for n in results]
        print(f"{kind:18s} " + " ".join(f"{c['correct']:>14d}/{c['wrong']}/{c['missing']:<5d}" for c in cells))
    for name, (_, total) in results.items():
        share = total["correct"] / len(CASES)
        print(f"{name}: {total['correct']} correct, {total['wrong']} wrong, {total['missing']} missing "
              f"({100 * share:.1f}% correct)")  # fmt: skip
    az = results["aznews"][1]
    print(
        f"aznews correct {target('aznews correct share', az['correct'] / len(CASES), 0.99)}; "
        f"wrong {target('aznews wrong dates', az['wrong'], 0, at_least=False)}"
    )
    texts = [c[0] for c in CASES] * 20
    started = time.perf_counter()
    for text in texts:
        _aznews(text)
    per_text = (time.perf_counter() - started) / len(texts) * 1e6
    print(f"aznews: {per_text:.0f} µs per byline text (a page has ~2; extraction ~25 ms per page)")
    finish()


if __name__ == "__main__":
    main()
