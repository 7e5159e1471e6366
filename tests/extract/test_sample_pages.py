"""Every page of the bundled sample does what its manifest promises."""

from datetime import UTC, datetime


def test_drops_match_the_manifest(sample_records, sample_manifest):
    records, drops = sample_records
    expected_drops = {m["url"]: m["expect"].split(":")[1] for m in sample_manifest if m["expect"].startswith("dropped")}
    assert {d.url: d.rule for d in drops} == expected_drops
    assert all(d.detail for d in drops)
    kept = {r["url"] for r in records}
    assert kept == {m["url"] for m in sample_manifest if not m["expect"].startswith("dropped")}


def _by_url(records, fragment):
    return next(r for r in records if fragment in r["url"])


def test_agency_page_metadata(sample_records):
    rec = _by_url(sample_records[0], "apa.az/cemiyyet/901234")
    assert rec["title"] == "Bakıda yeni metro stansiyasının tikintisi yekun mərhələyə çatıb"
    assert rec["authors"] == ["Aynur Məmmədova"]
    assert rec["published_at"] == datetime(2026, 11, 19, 6, 15, tzinfo=UTC)  # 10:15 Baku
    assert rec["date_source"] == "jsonld"
    assert rec["category"] == "Cəmiyyət"
    assert rec["original_publisher"] is None
    assert rec["text"].startswith("Bakı metropoliteninin Bənövşəyi xətti")
    assert "\n\n" in rec["text"]
    for junk in ("Paylaş", "Digər xəbərlər", "Ən çox oxunanlar", "Sumqayıtda yeni park", "Müəllif"):
        assert junk not in rec["text"]


def test_aggregator_repost_is_cleaned_and_credited(sample_records):
    rec = _by_url(sample_records[0], "icma.az/az/iqtisadiyyat/55502")
    assert rec["original_publisher"] == "qaynarinfo"
    assert rec["title"] == "Ekspert: Uçot dərəcəsinin saxlanması manata dəstəkdir"
    assert "ŞƏRH" in rec["tags"]
    assert rec["authors"] == ["Rüfət Kərimli"]
    assert rec["date_source"] == "byline"
    assert rec["published_at"] == datetime(2026, 11, 18, 15, 37, tzinfo=UTC)
    for junk in (
        "saytından alınan məlumata görə",
        "Mənbə",
        "Baxış sayı",
        "Ən son yeniliklər",
        "Şərh",
        "arxivləşdirilmişdir",
        "ən çox oxunanları",
        "Rüfət Kərimli",
    ):
        assert junk not in rec["text"], junk


def test_oxu_style_page(sample_records):
    rec = _by_url(sample_records[0], "oxu.az/cemiyyet/sabah")
    assert rec["published_at"] == datetime(2026, 11, 20, 5, 22, tzinfo=UTC)  # "20 noyabr, 2026 / 09:22"
    assert rec["date_source"] == "byline"
    assert "A-" not in rec["text"] and "A+" not in rec["text"]
    assert "Xəbər maraqlı gəlib" not in rec["text"]
    assert rec["tags"] == ["hava"]


def test_relative_date_and_title_label(sample_records):
    rec = _by_url(sample_records[0], "qafqazinfo.az")
    assert rec["date_source"] == "relative"
    assert rec["published_at"] == datetime(2026, 11, 19, 10, 5, tzinfo=UTC)  # "dünən 14:05"
    foto = _by_url(sample_records[0], "axar.az/news/idman")
    assert foto["title"] == "Azərbaycan millisi Macarıstanla yoxlama oyunu keçirəcək FOTO"  # as printed
    assert "FOTO" in foto["tags"]


def test_every_record_is_schema_complete(sample_records):
    from aznews.schema import column_names

    for rec in sample_records[0]:
        assert set(column_names()) <= set(rec)
        assert rec["language"] == "az" and rec["language_score"] > 0.9
        assert rec["word_count"] >= 30
