"""Publication dates: JSON-LD/meta first, then htmldate, then Azerbaijani date text.

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

AZ_MONTHS = (
    "yanvar",
    "fevral",
    "mart",
    "aprel",
    "may",
    "iyun",
    "iyul",
    "avqust",
    "sentyabr",
    "oktyabr",
    "noyabr",
    "dekabr",
)
MONTHS = {
    **{name: i for i, name in enumerate(AZ_MONTHS, start=1)},
    # Russian-edition bylines (genitive) appear on bilingual sites
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_TEXT_DATE = re.compile(
    rf"\b(\d{{1,2}})[\s.]+({_MONTH_ALT})[a-zəı]*[\s,.]+(\d{{4}})(?:-?(?:c[iı]|cü|cu)\s+il)?"
    rf"(?:[\s,/|-]+(?:saat\s+)?(\d{{1,2}})[:.](\d{{2}}))?"
)
_NUM_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})(?:[\s,/|-]+(\d{1,2}):(\d{2}))?")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2}))?")
_YESTERDAY = re.compile(r"\b(dünən|bu\s*gün|bugün)\b[\s,]*(?:saat\s+)?(\d{1,2}):(\d{2})")
_HAS_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|əvvəl|öncə")
_AGO = re.compile(r"\b(\d{1,3})\s+(dəqiqə|saat|gün)\s+(?:əvvəl|öncə)\b")


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


def parse_az_date(text: str, fetched_at: datetime) -> tuple[datetime, str] | None:
    """Find a date in Azerbaijani byline text; returns (aware datetime, 'byline'|'relative')."""
    folded = fold(text)
    if m := _TEXT_DATE.search(folded):
        d, mon, y, hh, mm = m.groups()
        month = next(v for k, v in MONTHS.items() if mon.startswith(k))
        try:
            return datetime(int(y), month, int(d), int(hh or 0), int(mm or 0), tzinfo=BAKU), "byline"
        except ValueError:
            pass
    if m := _NUM_DATE.search(folded):
        d, mo, y, hh, mm = m.groups()
        try:
            return datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), tzinfo=BAKU), "byline"
        except ValueError:
            pass
    local_now = fetched_at.astimezone(BAKU)
    if m := _YESTERDAY.search(folded):
        word, hh, mm = m.groups()
        day: date = local_now.date() - (timedelta(days=1) if word == "dünən" else timedelta(0))
        try:
            return datetime.combine(day, time(int(hh), int(mm)), tzinfo=BAKU), "relative"
        except ValueError:
            return None
    if m := _AGO.search(folded):
        n, unit = int(m.group(1)), m.group(2)
        delta = {"dəqiqə": timedelta(minutes=n), "saat": timedelta(hours=n), "gün": timedelta(days=n)}
        return local_now - delta[unit], "relative"
    return None


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
    # Among byline candidates, one that carries a time of day wins over a bare date: headers
    # show today's date without a time, article bylines show both.
    candidates = []
    for text in date_texts:
        found = parse_az_date(text, fetched_at)
        if found:
            result = _check(found[0], found[1], fetched_at)
            if result.value:
                candidates.append((not _HAS_TIME.search(text), len(candidates), result))
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
