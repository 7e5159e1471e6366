"""Publication dates: JSON-LD/meta first, then the byline text, then htmldate.

Byline text is read by our rules, with dateparser's vocabulary and as its fallback:
- Month names and abbreviations (az, az-Cyrl, and ru for Russian-edition bylines) come from
  dateparser's language data, not from a list of our own.
- Our rules read the forms where dateparser (1.5, ``languages=["az"]``) is wrong or silent,
  measured on tests/extract/test_date_formats.py (benchmarks/dates.py): a time before the date
  ('12:51 21 Fevral 2026', '18:28, 22 fevral 2026'); azertag's '21.02.2026 [19:22]'; today and
  yesterday with a slash or the time first ('Bu gün / 12:18', '18:28, Bu gün'), which dateparser
  dates wrongly; 'N ... əvvəl' (its az data lacks 'əvvəl') and compound 'N gün öncə M saat
  öncə'; 'bir' for 1, seconds to years, 'keçən həftə'; a date without a year (resolved against
  the fetch date, never into the future); Cyrillic and Russian month names with a time; zone
  names ('Azərbaycan Standart Vaxtı', '(UTC +04:00)'). They are also ~100x faster.
- dateparser reads what the rules do not describe, only when the text names a month, with the
  day, month and year required ('dateparser' source).
A wrong date is worse than none: two different dates or two different times in one text, or an
impossible date, give none. ``date_source`` says how strong the evidence was (schemas/).

Everything is converted from Asia/Baku (UTC+4, no DST since 2016) to UTC. Dates in the future
or before 1990 are rejected (the caller counts them) rather than published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from aznews.clock import BAKU
from aznews.limits import MAX_FUTURE_SKEW
from aznews.textnorm import fold

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


def _month_names() -> dict[str, int]:
    """Month names and abbreviations, folded, from dateparser's az, az-Cyrl and ru data."""
    from dateparser.languages import default_loader

    names = (
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    )  # fmt: skip
    out: dict[str, int] = {}
    for code in ("az", "az-Cyrl", "ru"):
        info = default_loader.get_locale(code).info
        for number, name in enumerate(names, start=1):
            for word in info.get(name, []):
                out[fold(word).replace("i̇", "i")] = number
    return out


MONTHS = _month_names()
AZ_MONTHS = tuple(max((w for w, n in MONTHS.items() if n == i and w.isascii()), key=len) for i in range(1, 13))
_MONTH = "(" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?(?![\w])"
_YEAR_SUFFIX = r"(?:\s*-?\s*(?:c[iıuü])\s+il(?:in)?)?"
_DAY_MONTH = re.compile(rf"(?<![\d.:])(\d{{1,2}})[\s.]+{_MONTH}(?:[\s,./]+(\d{{4}}){_YEAR_SUFFIX})?")
_YEAR_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{4}}){_YEAR_SUFFIX}[\s,]+(\d{{1,2}})\s+{_MONTH}")
_NUMERIC = re.compile(r"(?<![\d.:/-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d.:/-]*\d)")
_ISO = re.compile(r"(?<![\d.:/-])(\d{4})([-/])(\d{2})\2(\d{2})(?!\d)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2}))?")  # meta values
_TIME = re.compile(r"(?<![\d.:])(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*([ap])\.?\s?m\b\.?)?(?![\d:])")
_ZONE = re.compile(r"\(?\s*(?:utc|gmt)\s*[+-]\s*\d{1,2}(?::?\d{2})?\s*\)?|azərbaycan\s+standart\s+vaxtı")
_DAY_WORDS = {"bu gün": 0, "bugün": 0, "dünən": 1, "srağagün": 2}
_DAY_WORD = re.compile(r"(?<!\w)(bu\s*gün|bugün|dünən|srağagün)(?!\w)")
_NUMBERS = {"bir": 1, "iki": 2, "üç": 3, "dörd": 4, "beş": 5, "altı": 6, "yeddi": 7, "səkkiz": 8, "doqquz": 9, "on": 10}
_UNITS = {
    "saniyə": "seconds", "san": "seconds", "dəqiqə": "minutes", "dəq": "minutes", "saat": "hours",
    "gün": "days", "həftə": "weeks", "ay": "months", "il": "years",
}  # fmt: skip
_AGO_WORD = r"(?:əvvəl|öncə)"
_AGO = re.compile(
    rf"(?<!\w)(\d{{1,3}}|{'|'.join(_NUMBERS)})\s+({'|'.join(sorted(_UNITS, key=len, reverse=True))})(?!\w)"
)
_AGO_ANY = re.compile(rf"(?<!\w){_AGO_WORD}(?!\w)")
_JUST_NOW = re.compile(rf"(?<!\w)(?:indi|bir\s+neçə\s+saniyə\s+{_AGO_WORD}|az\s+öncə)(?!\w)")
_LAST = re.compile(r"(?<!\w)keçən\s+(həftə|ay|il)(?!\w)")
_COARSE = {"weeks", "months", "years"}
_RANK = {"byline": 0, "relative": 1, "byline_date_only": 2, "dateparser": 3, "relative_coarse": 4}


@dataclass(frozen=True)
class DateResult:
    value: datetime | None
    source: str
    rejected: str | None = None  # 'future' or 'too_old' when a found date was thrown away


def _check(value: datetime, source: str, fetched_at: datetime) -> DateResult:
    value = value.astimezone(UTC)
    if value > fetched_at + MAX_FUTURE_SKEW:
        return DateResult(None, "none", "future")
    if value < EARLIEST:
        return DateResult(None, "none", "too_old")
    return DateResult(value, source)


def parse_iso(value: str) -> datetime | None:
    """An ISO 8601 timestamp or date; naive values are taken as Baku time."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        m = _ISO_DATE.search(value)
        if not m:
            return None
        y, mo, d, hh, mm = m.groups()
        try:
            parsed = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BAKU)
    return parsed


def _months_back(when: datetime, months: int) -> datetime:
    y, m = divmod(when.year * 12 + when.month - 1 - months, 12)
    day = min(when.day, [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30,
                         31, 31, 30, 31, 30, 31][m])  # fmt: skip
    return when.replace(year=y, month=m + 1, day=day)


def _relative(text: str, now: datetime) -> tuple[datetime, str] | None:
    """'5 dəqiqə əvvəl', 'bir saat öncə', '2 gün 3 saat əvvəl', '2 gün öncə 23 saat öncə' (summed),
    'keçən həftə', 'indi'. Weeks, months and years are coarse ('relative_coarse')."""
    if _JUST_NOW.search(text):
        return now, "relative"
    if m := _LAST.search(text):
        unit = _UNITS[m.group(1)]
        parts = [(1, unit)]
    elif _AGO_ANY.search(text):
        parts = [(int(n) if n.isdigit() else _NUMBERS[n], _UNITS[u]) for n, u in _AGO.findall(text)]
        if not parts:
            return None
    else:
        return None
    when = now
    for n, unit in parts:
        if unit == "months":
            when = _months_back(when, n)
        elif unit == "years":
            when = _months_back(when, 12 * n)
        else:
            when -= timedelta(**{unit: n})
    coarse = any(unit in _COARSE for _, unit in parts)
    return when, "relative_coarse" if coarse else "relative"


def _dates(text: str, today: date) -> list[tuple[date | None, bool, tuple[int, int]]] | None:
    """Every date the text names: (the date or None when impossible, whether its year was
    printed, its span). None when a date is impossible (31 fevral)."""
    found = []
    for m in _DAY_MONTH.finditer(text):
        found.append((int(m.group(3) or 0), MONTHS[m.group(2)], int(m.group(1)), m.span()))
    for m in _YEAR_DAY_MONTH.finditer(text):
        found.append((int(m.group(1)), MONTHS[m.group(3)], int(m.group(2)), m.span()))
    for m in _NUMERIC.finditer(text):
        year = int(m.group(4))
        found.append((year + 2000 if year < 100 else year, int(m.group(3)), int(m.group(1)), m.span()))
    for m in _ISO.finditer(text):
        found.append((int(m.group(1)), int(m.group(3)), int(m.group(4)), m.span()))
    out = []
    for y, mo, d, span in found:
        try:
            out.append((date(y or today.year, mo, d), bool(y), span))
        except ValueError:
            return None
    return out


def parse_az_date(text: str, fetched_at: datetime) -> tuple[datetime, str] | None:
    """The date an Azerbaijani byline names, as (aware datetime, date_source), or None.

    ``byline``: a date and its time; ``byline_date_only``: a date alone (midnight Baku);
    ``relative``: today/yesterday with a time, or N seconds/minutes/hours/days ago;
    ``relative_coarse``: weeks, months or years ago; ``dateparser``: a form these rules do not
    describe, read by dateparser with the day, month and year required. Two different dates or
    two different times in one text give None: a wrong date is worse than none."""
    local_now = fetched_at.astimezone(BAKU)
    folded = _ZONE.sub(" ", fold(text))
    dates = _dates(folded, local_now.date())
    if dates is None:
        return None
    times = {(int(h) % 12 + (12 if ap == "p" else 0) if ap else int(h), int(mi)) for h, mi, ap in _TIME.findall(folded)}
    if len(times) > 1 or any(h > 23 or mi > 59 for h, mi in times):
        return None
    clock = next(iter(times), None)
    if dates:
        if len({d for d, _, _ in dates}) > 1:
            return None
        day, has_year, _ = dates[0]
        value = datetime.combine(day, time(*(clock or (0, 0))), tzinfo=BAKU)
        if not has_year and value > local_now + MAX_FUTURE_SKEW:  # no year printed: the latest past one
            value = value.replace(year=value.year - 1)
        return value, "byline" if clock else "byline_date_only"
    if m := _DAY_WORD.search(folded):
        day = local_now.date() - timedelta(days=_DAY_WORDS[re.sub(r"\s+", " ", m.group(1))])
        value = datetime.combine(day, time(*(clock or (0, 0))), tzinfo=BAKU)
        return value, "relative" if clock else "byline_date_only"
    if clock is None and (found := _relative(folded, local_now)):
        return found
    return _dateparser(text, local_now) if clock is None and any(w in folded for w in _MONTH_WORDS) else None


_MONTH_WORDS = tuple(w for w in MONTHS if len(w) >= 4)


def _dateparser(text: str, local_now: datetime) -> tuple[datetime, str] | None:
    """dateparser, for a text that names a month in a form the rules above do not read
    ('fevralın 21-i, 2026'); day, month and year required, never a date after the fetch."""
    import dateparser

    settings = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "TIMEZONE": "Asia/Baku",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        found = dateparser.parse(text, languages=["az", "ru"], settings=settings)
    except Exception:  # dateparser raises on odd input; a missing date is not fatal
        return None
    if found is None:
        return None
    return found.replace(tzinfo=BAKU), "dateparser"


def resolve_date(
    *,
    jsonld: str | None,
    meta: str | None,
    html: str,
    date_texts: list[str],
    fetched_at: datetime,
    use_htmldate: bool = True,
) -> DateResult:
    """Pick the publication date by evidence strength; see module docstring."""
    rejected: str | None = None
    for raw, source in ((jsonld, "jsonld"), (meta, "meta")):
        if raw and (parsed := parse_iso(raw)):
            result = _check(parsed, source, fetched_at)
            if result.value:
                return result
            rejected = rejected or result.rejected
    # Byline text comes before htmldate: htmldate tends to pick a page header's "today" date.
    # Among byline candidates, a date with its time wins over a relative one, and both over a
    # bare date: headers show today's date without a time, article bylines show both.
    candidates = []
    for text in date_texts:
        found = parse_az_date(text, fetched_at)
        if found:
            result = _check(found[0], found[1], fetched_at)
            if result.value:
                candidates.append((_RANK.get(result.source, 9), len(candidates), result))
            rejected = rejected or result.rejected
    if candidates:
        return min(candidates, key=lambda c: c[:2])[2]
    if use_htmldate:
        from htmldate import find_date

        try:
            found_date = find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d %H:%M")
        except Exception:  # htmldate raises on odd markup; a missing date is not fatal
            found_date = None
        if found_date and (parsed := parse_iso(found_date)):
            result = _check(parsed, "htmldate", fetched_at)
            if result.value:
                return result
            rejected = rejected or result.rejected
    return DateResult(None, "none", rejected)
