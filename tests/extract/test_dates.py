from datetime import UTC, datetime

import pytest

from aznews.extract.dates import parse_az_date, resolve_date

FETCHED = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)  # 14:00 in Baku


@pytest.mark.parametrize(
    ("text", "expected", "source"),
    [
        ("28 İyul 2025 18:37", datetime(2025, 7, 28, 14, 37, tzinfo=UTC), "byline"),
        ("21 noyabr 2026", datetime(2026, 11, 20, 20, 0, tzinfo=UTC), "byline_date_only"),
        ("08 fevral, 2025 / 09:22", datetime(2025, 2, 8, 5, 22, tzinfo=UTC), "byline"),
        (
            "Bu xəbər 28 İyul 2025 18:37 mənbədən arxivləşdirilmişdir",
            datetime(2025, 7, 28, 14, 37, tzinfo=UTC),
            "byline",
        ),
        ("27.04.2026 14:05", datetime(2026, 4, 27, 10, 5, tzinfo=UTC), "byline"),
        ("dünən 14:05", datetime(2026, 11, 20, 10, 5, tzinfo=UTC), "relative"),
        ("Bu gün, 09:30", datetime(2026, 11, 21, 5, 30, tzinfo=UTC), "relative"),
        ("2 saat əvvəl", datetime(2026, 11, 21, 8, 0, tzinfo=UTC), "relative"),
        ("15 dəqiqə əvvəl", datetime(2026, 11, 21, 9, 45, tzinfo=UTC), "relative"),
    ],
)
def test_azerbaijani_dates(text, expected, source):
    value, src = parse_az_date(text, FETCHED)
    assert value.astimezone(UTC) == expected
    assert src == source


def test_no_date():
    assert parse_az_date("Baxış sayı: 106", FETCHED) is None


def test_order_of_evidence_and_rejections():
    html = "<html><body><p>x</p></body></html>"
    r = resolve_date(
        jsonld="2026-11-19T10:15:00+04:00", meta="2026-11-01", html=html, date_texts=[], fetched_at=FETCHED
    )
    assert (r.source, r.value) == ("jsonld", datetime(2026, 11, 19, 6, 15, tzinfo=UTC))
    r = resolve_date(jsonld=None, meta="2026-11-19 10:15", html=html, date_texts=[], fetched_at=FETCHED)
    assert r.source == "meta" and r.value.hour == 6  # naive meta times are Baku time
    future = resolve_date(
        jsonld="2027-05-01T00:00:00Z",
        meta=None,
        html=html,
        date_texts=[],
        fetched_at=FETCHED,
        use_htmldate=False,
    )
    assert future.value is None and future.rejected == "future"
    old = resolve_date(
        jsonld=None, meta=None, html=html, date_texts=["12 mart 1987"], fetched_at=FETCHED, use_htmldate=False
    )
    assert old.value is None and old.rejected == "too_old"
    nothing = resolve_date(jsonld=None, meta=None, html=html, date_texts=[], fetched_at=FETCHED)
    assert (nothing.value, nothing.source) == (None, "none")
