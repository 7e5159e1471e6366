"""The refresh flow end to end, under Prefect's test harness, with real GX and real datasets."""

import json

import pytest

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    from flows.refresh import refresh

    data = tmp_path_factory.mktemp("refresh") / "data"
    summary = refresh(version="2026.11", data_dir=str(data))
    return data, summary


def test_release_loads_with_declared_features_and_three_splits(first_run):
    import datasets

    from aznews.schema import features

    data, summary = first_run
    ds = datasets.load_dataset(str(data / "releases" / "2026.11"))
    assert set(ds) == {"train", "validation", "test"}
    for split in ds.values():
        assert split.features == features()
    assert sum(len(s) for s in ds.values()) == summary["rows"] == 8
    urls = {u for s in ds.values() for u in s["url"]}
    assert "https://apa.az/cemiyyet/901234" in urls
    assert summary["load"] == f'datasets.load_dataset("{data / "releases" / "2026.11"}")'


def test_summary_says_why_pages_were_dropped(first_run):
    _, summary = first_run
    reasons = {d["url"]: d["rule"] for d in summary["drops"]}
    assert reasons["https://apa.az/ru/obshestvo/901235"] == "not_az_edition"
    assert reasons["https://axar.az/news/dunya/912399.html"] == "language"
    assert reasons["https://oxu.az/cemiyyet"] == "not_article"
    assert reasons["https://banker.az/bakida-yeni-metro-stansiyasi-yazda-acilacaq/"] == "near_duplicate"
    assert reasons["https://az.trend.az/azerbaijan/society/3950001.html"] == "empty"
    assert summary["stages"]["extract"] == {"kept": 11, "dropped": 4}


def test_gx_ran_for_real_and_wrote_data_docs(first_run):
    data, _ = first_run
    report = data / "reports" / "2026.11"
    assert json.loads((report / "validation.json").read_text())["passed"]
    for suite in ("articles", "articles_profile"):
        assert (report / "data_docs" / suite / "index.html").exists()
    assert (report / "report.html").exists() and (report / "report.md").exists()


def test_second_run_refuses_then_force_replaces(first_run):
    from aznews.publish import ReleaseExists
    from flows.refresh import refresh

    data, _ = first_run
    before = (data / "releases" / "2026.11" / "meta" / "release.json").read_text()
    with pytest.raises(ReleaseExists, match=r"already exists.*--version 2026\.11\.1.*--force"):
        refresh(version="2026.11", data_dir=str(data))
    assert (data / "releases" / "2026.11" / "meta" / "release.json").read_text() == before
    summary = refresh(version="2026.11", data_dir=str(data), force=True)
    assert summary["rows"] == 8


def _new_month_warc(directory, damaged: bool = False):
    """Three new agency stories for December, written as a crawl would (``damaged``: with
    replacement characters from a broken encoding in one of them)."""
    import random
    from datetime import UTC, datetime

    from aznews.fetch.warc import WarcSink
    from benchmarks.corpus import shapes, story

    sink = WarcSink(directory, fsync=False)
    rng = random.Random(13 if damaged else 12)
    for i in range(3):
        url = f"https://apa.az/cemiyyet/{(960000 if damaged else 950000) + i}"
        article = story(rng, i)
        if damaged and i == 0:
            article["paragraphs"][0] = article["paragraphs"][0].replace("ə", "\ufffd\ufffd")
        html = shapes.agency_page(article, site="APA", url=url, published=f"2026-12-0{i + 1}T10:00:00+04:00")
        headers = [("Content-Type", "text/html; charset=utf-8")]
        sink.write(url, 200, "OK", headers, html.encode(), datetime(2026, 12, 5, tzinfo=UTC))
    sink.close()
    return sink.files


def test_next_month_is_cumulative_and_never_re_adds(first_run, sample_warc, tmp_path):
    import shutil

    import datasets

    from aznews.publish import NothingToRelease, read_manifest
    from flows.refresh import refresh

    data, _ = first_run
    new = [str(p) for p in _new_month_warc(tmp_path / "warc")]
    summary = refresh(version="2026.12", warc=[str(sample_warc), *new], data_dir=str(data))
    assert summary["rows"] == 8 + 3
    reasons = {d["url"]: d["rule"] for d in summary["drops"]}
    assert reasons["https://apa.az/cemiyyet/901234"] == "already_released"
    manifest = read_manifest(data / "releases" / "2026.12")
    assert manifest["previous"] == "2026.11" and manifest["new_rows"] == 3
    assert {f["release"] for f in manifest["files"]} == {"2026.11", "2026.12"}
    ds = datasets.load_dataset(str(data / "releases" / "2026.12"))
    ids = [i for s in ds.values() for i in s["id"]]
    assert len(ids) == len(set(ids)) == 11
    # a warning-only failure publishes, and says so in the report and the card
    assert any("publisher_share" in w for w in summary["warnings"])
    assert "publisher_share" in (data / "reports" / "2026.12" / "report.md").read_text()
    assert "publisher_share" in (data / "releases" / "2026.12" / "README.md").read_text()
    old = datasets.load_dataset(str(data / "releases" / "2026.11"))
    for split in ("train", "validation", "test"):  # ids never change split between releases
        assert set(old[split]["id"]) <= set(ds[split]["id"])

    shutil.rmtree(data / "state")  # state lost: rebuilt from the 2026.12 release
    with pytest.raises(NothingToRelease, match=r"no new articles since release 2026\.12"):
        refresh(version="2027.01", warc=[str(sample_warc), *new], data_dir=str(data))


def test_critical_failure_publishes_nothing_and_still_writes_the_report(first_run, tmp_path):
    from aznews.validate import GateFailed
    from flows.refresh import refresh

    data, _ = first_run
    state = (data / "state" / "dedup-index.parquet").read_bytes() if (data / "state").exists() else None
    new = [str(p) for p in _new_month_warc(tmp_path / "warc", damaged=True)]
    with pytest.raises(GateFailed, match="expect_column_values_to_not_match_regex"):
        refresh(version="2027.03", warc=new, data_dir=str(data))
    assert not (data / "releases" / "2027.03").exists()
    report = (data / "reports" / "2027.03" / "report.html").read_text()
    assert "FAILED, nothing published" in report
    if state is not None:  # the dedup state only moves when a release is published
        assert (data / "state" / "dedup-index.parquet").read_bytes() == state
