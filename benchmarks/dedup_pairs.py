"""A labelled set of text pairs for near-duplicate detection (used by benchmarks/dedup_quality.py
and tests/dedup/test_near.py).

Duplicates are republications as Azerbaijani outlets make them: an aggregator preamble and
follow-us trailer left in, the last paragraph dropped, light copy edits (numbers, a few words),
paragraphs merged, or all of these at once. (A changed title does not touch the body, which is
what is hashed.) Hard non-duplicates are two different stories on the same event that share the
lead sentence, names and the outlet's boilerplate, and daily templated items (exchange rates,
weather) that differ only in their figures and place.

Each pair carries what the dedup stage decides by besides the text (aznews.dedup.agree.Doc:
publisher, date, credited outlet): a credited repost that kept only a quarter of its original
(``cut_quarter``) must join it; one outlet's templated series on different days (``series``)
and two outlets' stories on a related topic sharing a lead and a long quote (``related_topic``)
must not be merged.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aznews.dedup.columns import Doc
from benchmarks.corpus import PLACES, article_text

PREAMBLE = "{src} saytından alınan məlumata görə, {site} bildirir."
TRAILER = "Ən son yeniliklər və məlumatlar üçün {site} saytını izləyin, biz hadisənin gedişatını izləyirik."
SHARED_BOILERPLATE = [
    "Qeyd edək ki, hadisə ilə bağlı araşdırma davam etdirilir və əlavə məlumat veriləcək.",
    "Xəbəri sosial şəbəkələrdə paylaşın və bizi Telegram kanalımızda izləyin.",
]


DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    duplicate: bool
    kind: str
    a_doc: Doc | None = None  # None: an original of "apa" on DAY
    b_doc: Doc | None = None  # None: an uncredited copy at "icma" two hours later

    def docs(self) -> tuple[Doc, Doc]:
        a = self.a_doc or Doc("apa", DAY, None, len(self.a.split()))
        b = self.b_doc or Doc("icma", DAY + timedelta(hours=2), None, len(self.b.split()))
        return a, b


def _doc(pub: str, text: str, when: datetime, credit: str | None = None) -> Doc:
    return Doc(pub, when, credit, len(text.split()))


def _edit(paras: list[str], rng: random.Random, share: float = 0.03) -> list[str]:
    out = []
    for p in paras:
        words = p.split()
        for _ in range(max(1, int(len(words) * share))):
            i = rng.randrange(len(words))
            words[i] = (
                re.sub(r"\d+", lambda _: str(rng.randint(2, 999)), words[i]) if rng.random() < 0.5 else words[i].lower()
            )
        out.append(" ".join(words))
    return out


def republish(paras: list[str], kind: str, rng: random.Random) -> list[str]:
    """A republication of ``paras`` of the given kind."""
    if kind == "preamble":
        return [PREAMBLE.format(src="Report", site="Icma.az"), *paras, TRAILER.format(site="Icma.az")]
    if kind == "drop_last":
        return paras[:-1]
    if kind == "edits":
        return _edit(paras, rng)
    if kind == "merged":
        return [" ".join(paras[:2]), *paras[2:]]
    if kind == "all":
        return [PREAMBLE.format(src="APA", site="Icma.az"), *_edit(paras[:-1], rng)]
    raise ValueError(kind)


KINDS = ("preamble", "drop_last", "edits", "merged", "all")


def same_event(rng: random.Random) -> tuple[list[str], list[str]]:
    """Two different reports of one event: same lead, names and boilerplate; different bodies."""
    lead = article_text(rng, 200)[0]
    a = [lead, *article_text(rng, 1500), *SHARED_BOILERPLATE]
    b = [lead, *article_text(rng, 1500), *SHARED_BOILERPLATE]
    return a, b


def templated(rng: random.Random) -> tuple[list[str], list[str]]:
    """Daily items from one template: only figures and the place differ."""

    def item() -> list[str]:
        place = rng.choice(PLACES)
        return [
            f"Sabah {place} ərazisində hava {rng.choice(['yağmurlu', 'buludlu', 'açıq'])} keçəcək, {rng.choice(['şimal', 'cənub', 'qərb'])} küləyi əsəcək.",
            f"Gecə havanın temperaturu {rng.randint(-5, 10)}-{rng.randint(11, 15)}, gündüz {rng.randint(12, 20)}-{rng.randint(21, 30)} dərəcə isti olacaq.",
            f"Atmosfer təzyiqi {rng.randint(740, 770)} millimetr civə sütunu, nisbi rütubət {rng.randint(40, 70)}-{rng.randint(71, 95)} faiz olacaq.",
            f"Milli Hidrometeorologiya Xidmətindən bildirilib ki, {place} və ətraf rayonlarda {rng.choice(['duman', 'çiskin', 'şaxta'])} gözlənilir.",
        ]

    return item(), item()


def cut_quarter(paras: list[str], rng: random.Random) -> list[str]:
    """A repost that kept only the first quarter or so of the original's words."""
    words = " ".join(paras).split()
    keep = words[: max(30, int(len(words) * rng.uniform(0.22, 0.32)))]
    return [" ".join(keep)]


def exam_series(rng: random.Random) -> list[str]:
    """One outlet's templated story (exam results), as it runs on different days."""
    n, top, region = rng.randint(9000, 99000), rng.randint(40, 900), rng.choice(PLACES)
    return [
        f"Dövlət İmtahan Mərkəzi {rng.randint(2, 28)} {rng.choice(['iyun', 'iyul', 'avqust'])} tarixində keçirilən buraxılış imtahanının nəticələrini açıqlayıb.",
        f"Mərkəzdən bildirilib ki, imtahanda ümumilikdə {n} şagird iştirak edib, onlardan {top} nəfəri maksimal bal toplayıb.",
        f"Ən yüksək nəticələr {region} və {rng.choice(PLACES)} məktəblərində qeydə alınıb, orta bal {rng.randint(40, 80)} olub.",
        "Şagirdlər nəticələrlə mərkəzin rəsmi saytında şəxsi kabinetlərinə daxil olmaqla tanış ola bilərlər.",
        f"Apellyasiya ərizələri {rng.randint(2, 9)} gün ərzində qəbul olunacaq və komissiyanın qərarları iki həftə ərzində elan ediləcək.",
        "Qeyd edək ki, növbəti imtahan mərhələsi üçün qeydiyyat mərkəzin saytında davam edir.",
    ]


def related_topic(rng: random.Random) -> tuple[list[str], list[str]]:
    """Two outlets on one topic: the same lead and a long quoted statement, the rest their own."""
    lead = article_text(rng, 200)[0]
    quote = " ".join(article_text(rng, 700))
    a = [lead, f"Nazirlikdən verilən açıqlamada deyilir: {quote}", *article_text(rng, rng.randint(900, 1600))]
    b = [lead, f"Rəsmi açıqlamaya görə, {quote}", *article_text(rng, rng.randint(900, 1600))]
    return a, b


def synthetic_pairs(n_stories: int = 150, seed: int = 5) -> Iterator[Pair]:
    """For each generated story: one duplicate of every kind, a credited cut copy, and one pair of
    each hard non-duplicate kind (same event, templated, series, related topic)."""
    rng = random.Random(seed)
    for _ in range(n_stories):
        paras = article_text(rng, rng.randint(1200, 4000))
        for kind in KINDS:
            yield Pair("\n\n".join(paras), "\n\n".join(republish(paras, kind, rng)), True, kind)
        a, b = "\n\n".join(paras), "\n\n".join(cut_quarter(paras, rng))
        later = DAY + timedelta(hours=rng.randint(1, 30))
        yield Pair(a, b, True, "cut_quarter", _doc("apa", a, DAY), _doc("icma", b, later, credit="apa"))
        a, b = same_event(rng)
        yield Pair("\n\n".join(a), "\n\n".join(b), False, "same_event")
        a, b = templated(rng)
        yield Pair("\n\n".join(a), "\n\n".join(b), False, "templated")
        a, b = "\n\n".join(exam_series(rng)), "\n\n".join(exam_series(rng))
        days = DAY + timedelta(days=rng.randint(2, 30))
        yield Pair(a, b, False, "series", _doc("report", a, DAY), _doc("report", b, days))
        ra, rb = related_topic(rng)
        a, b = "\n\n".join(ra), "\n\n".join(rb)
        yield Pair(a, b, False, "related_topic", _doc("apa", a, DAY), _doc("report", b, DAY + timedelta(hours=3)))


def real_pairs(bodies: list[tuple[str, list[str]]], seed: int = 9) -> Iterator[Pair]:
    """Pairs from real article bodies [(category, paragraphs)]: every republication kind of each
    body, and each body against the next different body of the same category."""
    rng = random.Random(seed)
    for i, (category, paras) in enumerate(bodies):
        if len(paras) >= 3:
            for kind in KINDS:
                yield Pair("\n\n".join(paras), "\n\n".join(republish(paras, kind, rng)), True, kind)
        other = next((p for c, p in bodies[i + 1 :] if c == category and p != paras), None)
        if other:
            yield Pair("\n\n".join(paras), "\n\n".join(other), False, "same_category")
