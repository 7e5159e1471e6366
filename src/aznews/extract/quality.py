"""FineWeb-2-style quality signals for Azerbaijani, and the few hard filters for clear junk."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from aznews.textnorm import fold, words

# Frequent Azerbaijani function words (conjunctions, postpositions, particles, copulas).
STOPWORDS = frozenset(
    [
        "və",
        "ki",
        "bu",
        "da",
        "də",
        "ilə",
        "üçün",
        "bir",
        "o",
        "olan",
        "olaraq",
        "isə",
        "edib",
        "olub",
        "görə",
        "qədər",
        "kimi",
        "sonra",
        "artıq",
        "həm",
        "hər",
        "daha",
        "çox",
        "ən",
        "bütün",
        "onun",
        "onlar",
        "biz",
        "siz",
        "mən",
        "sən",
        "bunu",
        "buna",
        "bunun",
        "həmin",
        "belə",
        "lakin",
        "amma",
        "ancaq",
        "yəni",
        "əgər",
        "çünki",
        "hansı",
        "nə",
        "necə",
        "niyə",
        "harada",
        "edən",
        "edir",
        "edilib",
        "olunub",
        "olunur",
        "deyib",
        "bildirib",
        "qeyd",
        "verib",
        "var",
        "yox",
        "ilə",
        "ona",
        "onu",
        "onların",
        "bizim",
        "sizin",
        "artıq",
        "hələ",
        "yenə",
        "yalnız",
        "sadəcə",
        "ya",
        "yaxud",
    ]
)
_TERMINAL = re.compile(r"[.!?…\"»”:;)]$")


@dataclass(frozen=True)
class Signals:
    word_count: int
    mean_word_length: float
    symbol_ratio: float
    digit_ratio: float
    punct_line_ratio: float
    dup_line_fraction: float
    stopword_ratio: float

    def as_columns(self) -> dict[str, float | int]:
        return {
            "word_count": self.word_count,
            "mean_word_length": round(self.mean_word_length, 4),
            "symbol_ratio": round(self.symbol_ratio, 4),
            "digit_ratio": round(self.digit_ratio, 4),
            "punct_line_ratio": round(self.punct_line_ratio, 4),
            "dup_line_fraction": round(self.dup_line_fraction, 4),
            "stopword_ratio": round(self.stopword_ratio, 4),
        }


_DIGIT = re.compile(r"\d")


def signals(text: str) -> Signals:
    toks = words(text)
    n = len(toks)
    paras = [p for p in text.split("\n\n") if p.strip()]
    counts = Counter(fold(p.strip()) for p in paras)
    dup_chars = sum(len(p) for p in paras if counts[fold(p.strip())] > 1)
    total_chars = max(1, sum(len(p) for p in paras))
    return Signals(
        word_count=n,
        mean_word_length=(sum(map(len, toks)) / n) if n else 0.0,
        symbol_ratio=(text.count("#") + text.count("...") + text.count("…")) / max(1, n),
        digit_ratio=len(_DIGIT.findall(text)) / max(1, len(text)),
        punct_line_ratio=sum(bool(_TERMINAL.search(p.strip())) for p in paras) / max(1, len(paras)),
        dup_line_fraction=dup_chars / total_chars,
        stopword_ratio=sum(t in STOPWORDS for t in toks) / max(1, n),
    )


@dataclass(frozen=True)
class Thresholds:
    """Hard filters: only clear junk is dropped; everything else is kept with its signals."""

    # Agency briefs of two sentences are real news; below a dozen words it is a caption or a stub.
    min_words: int = 12
    min_mean_word_length: float = 3.0
    max_mean_word_length: float = 14.0
    max_symbol_ratio: float = 0.1
    max_dup_line_fraction: float = 0.5
    # Gopher/FineWeb-style: at least two function words. A ratio would drop decrees that are
    # mostly lists of names, which are real news.
    min_stopwords: int = 2
    stopword_check_from_words: int = 50  # a two-sentence brief need not contain "və" or "ki"


def hard_filter(sig: Signals, th: Thresholds) -> tuple[str, str] | None:
    """(rule, detail) for the first hard filter the text fails, else None."""
    if sig.word_count < th.min_words:
        return "too_short", f"{sig.word_count} words < {th.min_words}"
    if not th.min_mean_word_length <= sig.mean_word_length <= th.max_mean_word_length:
        return "word_length", f"mean word length {sig.mean_word_length:.1f}"
    if sig.symbol_ratio > th.max_symbol_ratio:
        return "symbols", f"symbol ratio {sig.symbol_ratio:.2f}"
    if sig.dup_line_fraction > th.max_dup_line_fraction:
        return "repeated_lines", f"duplicated-line fraction {sig.dup_line_fraction:.2f}"
    long_enough = sig.word_count >= th.stopword_check_from_words
    if long_enough and round(sig.stopword_ratio * sig.word_count) < th.min_stopwords:
        return "no_function_words", f"fewer than {th.min_stopwords} Azerbaijani function words"
    return None
