"""Dates as Azerbaijani outlets print them: a table of real formats, each row naming its kind and,
where it comes from one, the site. Written from the formats in dateparser's and moment's az
tests, CLDR's az patterns and public scrapers of the sites named. A wrong date is worse than
none: the table counts wrong and missing apart, and wrong must be zero.

All rows are read as if fetched at 2026-02-23 20:00 Baku time (16:00 UTC); expected values are
Baku local times (None: the text must give no date).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from aznews.clock import BAKU
from aznews.extract.dates import parse_az_date

FETCHED = datetime(2026, 2, 23, 16, 0, tzinfo=UTC)
T, D, R, C = "byline", "byline_date_only", "relative", "relative_coarse"

# (text, expected Baku local "YYYY-MM-DD HH:MM" or None, date_source, kind, site)
CASES: list[tuple[str, str | None, str | None, str, str]] = [
    # full month names, date then time
    ("14 noyabr 2025 16:23 (UTC +04:00)", "2025-11-14 16:23", T, "full_month", "apa"),
    ("22 fevral 2026, 10:05", "2026-02-22 10:05", T, "full_month", "report"),
    ("22 Fevral 2026 10:05", "2026-02-22 10:05", T, "full_month", "axar"),
    ("21 fevral 2026-cı il, saat 10:05", "2026-02-21 10:05", T, "full_month", ""),
    ("21 Fevral 2026 | 19:22", "2026-02-21 19:22", T, "full_month", "qafqazinfo"),
    ("Yayımlanıb: 3 yanvar 2026, 09:00", "2026-01-03 09:00", T, "full_month", ""),
    ("5 mart 2025 / 11:47", "2025-03-05 11:47", T, "full_month", "iqtisadiyyat"),
    ("30 aprel 2025 14:02", "2025-04-30 14:02", T, "full_month", "marja"),
    ("1 may 2025, 08:15", "2025-05-01 08:15", T, "full_month", ""),
    ("12 iyun 2024 17:30", "2024-06-12 17:30", T, "full_month", ""),
    ("19 iyul 2024 23:59", "2024-07-19 23:59", T, "full_month", ""),
    ("2 sentyabr 2025 00:05", "2025-09-02 00:05", T, "full_month", ""),
    ("27 oktyabr 2025, 13:40", "2025-10-27 13:40", T, "full_month", ""),
    ("31 dekabr 2025 21:00", "2025-12-31 21:00", T, "full_month", ""),
    ("14 Noyabr 2025 16:23 (GMT+4)", "2025-11-14 16:23", T, "zone_name", ""),
    ("Cümə, 14 noyabr 2025 16:23 Azərbaycan Standart Vaxtı", "2025-11-14 16:23", T, "zone_name", "CLDR full"),
    ("14 noyabr 2025 16:23:41", "2025-11-14 16:23", T, "full_month", "CLDR"),
    ("14 noyabr 2025", "2025-11-14 00:00", D, "date_only", ""),
    ("21 fevral 2026-ci il", "2026-02-21 00:00", D, "date_only", ""),
    ("2026-cı il 21 fevral", "2026-02-21 00:00", D, "date_only", ""),
    # time before the date
    ("12:51 21 Fevral 2026", "2026-02-21 12:51", T, "time_first", "metbuat"),
    ("18:28, 22 fevral 2026", "2026-02-22 18:28", T, "time_first", "modern"),
    ("09:03 / 20 fevral 2026", "2026-02-20 09:03", T, "time_first", ""),
    ("Saat 14:10, 19 fevral 2026", "2026-02-19 14:10", T, "time_first", ""),
    ("23:40 - 18 yanvar 2026", "2026-01-18 23:40", T, "time_first", ""),
    # numeric dates
    ("21.02.2026 [19:22]", "2026-02-21 19:22", T, "numeric", "azertag"),
    ("21.02.2026 19:22", "2026-02-21 19:22", T, "numeric", "sonxeber"),
    ("21.02.2026, 19:22", "2026-02-21 19:22", T, "numeric", ""),
    ("19:22 21.02.2026", "2026-02-21 19:22", T, "numeric", ""),
    ("21/02/2026 19:22", "2026-02-21 19:22", T, "numeric", ""),
    ("21.02.2026", "2026-02-21 00:00", D, "numeric", ""),
    ("21-02-2026 08:00", "2026-02-21 08:00", T, "numeric", ""),
    ("28.07.25 18:37", "2025-07-28 18:37", T, "two_digit_year", ""),
    ("03.01.26", "2026-01-03 00:00", D, "two_digit_year", ""),
    ("2026-02-21 19:22", "2026-02-21 19:22", T, "iso", ""),
    ("2026-02-21", "2026-02-21 00:00", D, "iso", ""),
    ("2026/02/21 19:22", "2026-02-21 19:22", T, "iso", ""),
    ("Tarix: 05.11.2025 | 15:44", "2025-11-05 15:44", T, "numeric", "fed"),
    # abbreviated months, any case, with or without a comma or slash
    ("15 Noy 2025 12:44", "2025-11-15 12:44", T, "abbrev_month", "fed"),
    ("15 noy, 2025 / 19:44", "2025-11-15 19:44", T, "abbrev_month", "oxu"),
    ("25 Avq 2025", "2025-08-25 00:00", D, "abbrev_month", ""),
    ("11 yan 2025", "2025-01-11 00:00", D, "abbrev_month", ""),
    ("15 noy 2025", "2025-11-15 00:00", D, "abbrev_month", "CLDR medium"),
    ("3 fev 2026, 16:20", "2026-02-03 16:20", T, "abbrev_month", ""),
    ("9 MAR 2025 10:10", "2025-03-09 10:10", T, "abbrev_month", ""),
    ("7 apr 2025 / 07:07", "2025-04-07 07:07", T, "abbrev_month", ""),
    ("18 iyn 2025 12:00", "2025-06-18 12:00", T, "abbrev_month", ""),
    ("18 iyl 2025 12:00", "2025-07-18 12:00", T, "abbrev_month", ""),
    ("4 sen 2025 09:30", "2025-09-04 09:30", T, "abbrev_month", ""),
    ("14 okt 2025 18:37", "2025-10-14 18:37", T, "abbrev_month", ""),
    ("29 dek 2025 22:11", "2025-12-29 22:11", T, "abbrev_month", ""),
    ("15 Noy. 2025 12:44", "2025-11-15 12:44", T, "abbrev_month", ""),
    # weekday before the date, full or abbreviated
    ("Baz, 14 fev 2010 15:25", "2010-02-14 15:25", T, "weekday", "dateparser az"),
    ("Ç.a., 19 avq 2025", "2025-08-19 00:00", D, "weekday", "CLDR"),
    ("Şənbə, 21 fevral 2026, 12:00", "2026-02-21 12:00", T, "weekday", ""),
    ("Bazar ertəsi, 16 fevral 2026 09:45", "2026-02-16 09:45", T, "weekday", ""),
    ("Cümə axşamı, 19 fevral 2026", "2026-02-19 00:00", D, "weekday", ""),
    ("21 fevral 2026, şənbə", "2026-02-21 00:00", D, "weekday", ""),
    ("Çərşənbə 18.02.2026 11:11", "2026-02-18 11:11", T, "weekday", ""),
    # today / yesterday
    ("Bu gün / 12:18", "2026-02-23 12:18", R, "today_yesterday", "oxu"),
    ("Dünən / 22:30", "2026-02-22 22:30", R, "today_yesterday", "oxu"),
    ("18:28, Bu gün", "2026-02-23 18:28", R, "today_yesterday", ""),
    ("Bugün, 09:15", "2026-02-23 09:15", R, "today_yesterday", ""),
    ("dünən, saat 14:00", "2026-02-22 14:00", R, "today_yesterday", "qafqazinfo"),
    ("Bu gün 12:18", "2026-02-23 12:18", R, "today_yesterday", ""),
    ("Dünən 08:01", "2026-02-22 08:01", R, "today_yesterday", ""),
    ("Dünən", "2026-02-22 00:00", D, "today_yesterday", ""),
    ("bu gün", "2026-02-23 00:00", D, "today_yesterday", ""),
    ("Srağagün 10:00", "2026-02-21 10:00", R, "today_yesterday", ""),
    # no year: resolved against the fetch date, never into the future
    ("21 fevral", "2026-02-21 00:00", D, "no_year", "sonxeber"),
    ("20 Fevral 14:23", "2026-02-20 14:23", T, "no_year", "axar"),
    ("20 fevral, 14:23", "2026-02-20 14:23", T, "no_year", "milli"),
    ("14:23, 20 fevral", "2026-02-20 14:23", T, "no_year", ""),
    ("25 dekabr 11:00", "2025-12-25 11:00", T, "no_year", ""),
    ("23 fevral 21:30", "2026-02-23 21:30", T, "no_year", ""),  # 1.5 h ahead: within the clock skew
    ("1 mart", "2025-03-01 00:00", D, "no_year", ""),
    ("15 noy 12:44", "2025-11-15 12:44", T, "no_year", ""),
    # relative
    ("5 dəqiqə əvvəl", "2026-02-23 19:55", R, "relative", "musavat"),
    ("bir saat əvvəl", "2026-02-23 19:00", R, "relative", ""),
    ("1 saat öncə", "2026-02-23 19:00", R, "relative", ""),
    ("2 gün öncə 23 saat öncə", "2026-02-20 21:00", R, "relative", ""),
    ("2 gün 3 saat əvvəl", "2026-02-21 17:00", R, "relative", ""),
    ("30 saniyə əvvəl", "2026-02-23 19:59", R, "relative", ""),
    ("45 san əvvəl", "2026-02-23 19:59", R, "relative", ""),
    ("10 dəq əvvəl", "2026-02-23 19:50", R, "relative", ""),
    ("3 həftə əvvəl", "2026-02-02 20:00", C, "relative", "moment az"),
    ("2 ay əvvəl", "2025-12-23 20:00", C, "relative", "moment az"),
    ("bir il əvvəl", "2025-02-23 20:00", C, "relative", "moment az"),
    ("2 il əvvəl", "2024-02-23 20:00", C, "relative", "Humanizer az"),
    ("keçən həftə", "2026-02-16 20:00", C, "relative", "dateparser az"),
    ("bir neçə saniyə əvvəl", "2026-02-23 20:00", R, "relative", "moment az"),
    ("indi", "2026-02-23 20:00", R, "relative", "Humanizer az"),
    ("3 gün əvvəl", "2026-02-20 20:00", R, "relative", ""),
    # 12-hour clock
    ("14 okt 2025 6:37 PM", "2025-10-14 18:37", T, "twelve_hour", "CLDR en-style"),
    ("14 oktyabr 2025 06:37 AM", "2025-10-14 06:37", T, "twelve_hour", ""),
    ("14 okt 2025 12:05 AM", "2025-10-14 00:05", T, "twelve_hour", ""),
    ("14 okt 2025 12:05 PM", "2025-10-14 12:05", T, "twelve_hour", ""),
    ("14.10.2025 6:37 pm", "2025-10-14 18:37", T, "twelve_hour", ""),
    # Azerbaijani in Cyrillic script (CLDR az_Cyrl) and Russian-edition bylines
    ("21 феврал 2026", "2026-02-21 00:00", D, "cyrillic", "CLDR az_Cyrl"),
    ("21 феврал 2026, 12:00", "2026-02-21 12:00", T, "cyrillic", ""),
    ("3 ијул 2025 09:00", "2025-07-03 09:00", T, "cyrillic", ""),
    ("15 нојабр 2025", "2025-11-15 00:00", D, "cyrillic", ""),
    ("21 февраля 2026, 12:00", "2026-02-21 12:00", T, "russian", "report.az ru"),
    ("5 марта 2025 18:40", "2025-03-05 18:40", T, "russian", ""),
    # ambiguous or no date: nothing rather than a guess
    ("21.02.2026 | Yenilənib: 22.02.2026 10:00", None, None, "ambiguous", ""),
    ("21 fevral 2026 - 22 fevral 2026", None, None, "ambiguous", ""),
    ("Baxış sayı: 1234", None, None, "no_date", ""),
    ("12:00", None, None, "no_date", ""),
    ("2025-ci ilin yekunları", None, None, "no_date", ""),
    ("Tel: (012) 555 12 34", None, None, "no_date", ""),
    ("Fevral 2026", None, None, "no_date", ""),
    ("31 fevral 2026", None, None, "impossible", ""),
    ("30.02.2026 10:00", None, None, "impossible", ""),
    ("12:30 21 fevral 2026 14:00", None, None, "ambiguous", ""),
]


def _run(text: str) -> tuple[str | None, str | None]:
    found = parse_az_date(text, FETCHED)
    if found is None:
        return None, None
    value, source = found
    return value.astimezone(BAKU).strftime("%Y-%m-%d %H:%M"), source


@pytest.mark.parametrize(("text", "expected", "source", "kind", "site"), CASES, ids=[c[0] for c in CASES])
def test_format(text, expected, source, kind, site):
    assert _run(text) == (expected, source), f"{kind} ({site or 'pattern'})"


def test_table_is_large_and_covers_every_kind():
    kinds = Counter(c[3] for c in CASES)
    assert len(CASES) >= 100 and all(n >= 2 for n in kinds.values()), kinds


def test_no_wrong_date_at_all():
    """Wrong (a date that is not the one printed) counts apart from missing; zero wrong."""
    wrong = [(t, _run(t)[0], e) for t, e, _, _, _ in CASES if _run(t)[0] not in (e, None)]
    assert wrong == []
