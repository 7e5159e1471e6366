"""The refresh flow end to end, under Prefect's test harness, with real GX and real datasets."""

import json

import pytest

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    import os

    from flows.refresh import refresh

    data = tmp_path_factory.mktemp("refresh") / "data"
    os.environ["AZNEWS_DATA_DOCS"] = "1"  # GX Data Docs too (off by default)
    try:
        summary = refresh(version="2026.11", data_dir=str(data))
    finally:
        del os.environ["AZNEWS_DATA_DOCS"]
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
    assert (report / "data_docs" / "index.html").exists()  # one site for every suite
    for suite in ("articles", "articles_profile"):
        assert list((report / "data_docs" / "validations" / suite / "2026.11").rglob("*.html"))
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


def test_takedown_removes_exactly_the_url_asked_and_report_and_card_agree(first_run, tmp_path):
    """A pasted article URL removes that one article (however it is spelled); the broken page
    of the month is dropped with its rule and the rest is released; report, card and
    `aznews takedown check` agree."""
    from aznews.publish import read_manifest
    from flows.refresh import refresh
    from tests.cli import run_aznews

    data, _ = first_run
    victim = "https://apa.az/cemiyyet/901234"
    (data / "takedown.yaml").write_text(
        "- url: http://www.apa.az/cemiyyet/901234/\n  reason: author request\n"
        "- url: https://apa.az/cemiyyet/9012345\n  reason: mistyped\n"  # matches nothing: a warning
    )
    try:
        check = run_aznews(None, "takedown", "check", "--data-dir", str(data), "--version", "2026.12",
                           env={"COLUMNS": "250"})  # fmt: skip
        assert check.returncode == 0, check.stdout + check.stderr
        assert victim in check.stdout and "author request" in check.stdout
        new = [str(p) for p in _new_month_warc(tmp_path / "warc", damaged=True)]
        summary = refresh(version="2027.02", warc=new, data_dir=str(data))
    finally:
        (data / "takedown.yaml").unlink()
    rules = {d["url"]: d["rule"] for d in summary["drops"]}
    assert rules["https://apa.az/cemiyyet/960000"] == "encoding_damage"
    idle = [w for w in summary["warnings"] if w.startswith("takedown entry")]
    assert idle == [
        "takedown entry 2 (url: https://apa.az/cemiyyet/9012345) matches no article released so far or in this "
        "run: the article it means may still be published; see `aznews takedown check`"
    ]
    assert summary["new_rows"] == 2
    manifest = read_manifest(data / "releases" / "2027.02")
    assert [t["url"] for t in manifest["takedowns"]] == [victim]
    assert summary["rows"] == read_manifest(data / "releases" / "2026.12")["rows"] - 1 + 2
    md = (data / "reports" / "2027.02" / "report.md").read_text()
    assert "2 added, 1 removed (taken down on request)" in md
    assert f"taken down by takedown entry 1 (url: {victim}): 1" in md
    assert "1 taken down on request" in (data / "releases" / "2027.02" / "README.md").read_text()


def test_critical_failure_publishes_nothing_and_still_writes_the_report(first_run, tmp_path):
    """A systemic failure (here: a takedown pattern that would remove far more than 5% of the
    corpus at once) stops the release before anything is published."""
    from aznews.validate import GateFailed
    from flows.refresh import refresh

    data, _ = first_run
    state = (data / "state" / "dedup-index.parquet").read_bytes() if (data / "state").exists() else None
    new = [str(p) for p in _new_month_warc(tmp_path / "warc")]
    (data / "takedown.yaml").write_text("- url_pattern: 'apa\\.az'\n  reason: a whole outlet, by mistake\n")
    try:
        with pytest.raises(GateFailed, match="row_ratio"):
            refresh(version="2027.03", warc=new, data_dir=str(data))
    finally:
        (data / "takedown.yaml").unlink()
    assert not (data / "releases" / "2027.03").exists()
    report = (data / "reports" / "2027.03" / "report.html").read_text()
    assert "FAILED, nothing published" in report
    if state is not None:  # the dedup state only moves when a release is published
        assert (data / "state" / "dedup-index.parquet").read_bytes() == state


def _hostile_month(directory):
    """200 ordinary generated pages and, among them, one page of each hostile kind."""
    import random
    from datetime import timedelta

    from aznews.fetch.warc import WarcSink
    from benchmarks.corpus import FETCHED, article_text, pages, shapes, story
    from tests.validate.test_report import PAYLOAD

    sink = WarcSink(directory, fsync=False)
    html_type = [("Content-Type", "text/html; charset=utf-8")]
    ordinary = []
    for page in pages(200, weight="light"):
        sink.write(page.url, 200, "OK", html_type, page.body, FETCHED)
        ordinary.append(page.url)
    rng = random.Random(5)

    def agency(n: int, published, edit=None, copies: int = 1) -> str:
        article = story(rng, n)
        if edit:
            edit(article)
        for copy in range(copies):  # a copy at another address: a duplicate cluster the report lists
            url = f"https://apa.az/cemiyyet/{970000 + n + 100 * copy}"
            html = shapes.agency_page(article, site="APA", url=url, published=published.isoformat())
            sink.write(url, 200, "OK", html_type, html.encode(), FETCHED)
        return f"https://apa.az/cemiyyet/{970000 + n}"

    def with_payload(article: dict) -> None:  # escaped in the page, so it is the article's real text
        article.update(title=f"Xəbər {PAYLOAD}", paragraphs=[f"{p} {PAYLOAD}" for p in article["paragraphs"]])

    hostile = {
        "skewed": agency(1, FETCHED + timedelta(hours=5)),  # a server clock 5 h ahead: kept, with its date
        "future": agency(2, FETCHED + timedelta(days=3)),  # kept, its impossible date dropped
        "damaged": agency(3, FETCHED, lambda a: a["paragraphs"].__setitem__(0, "Bak\ufffd\ufffd " * 30)),
        "script": agency(4, FETCHED, with_payload, copies=2),
        "huge": agency(5, FETCHED, lambda a: a.update(paragraphs=article_text(rng, 230_000))),
    }
    sink.write("https://apa.az/cemiyyet/970006", 200, "OK", html_type, bytes(range(256)) * 40, FETCHED)
    hostile["garbage"] = "https://apa.az/cemiyyet/970006"
    sink.close()
    return sink.files, ordinary, hostile


def test_hostile_pages_among_hundreds_never_block_the_release(tmp_path):
    """One hostile page of each kind among 200 ordinary ones: the release holds every ordinary
    article; each hostile page is kept or dropped with its rule; no script runs in any HTML."""
    from datetime import timedelta

    import pyarrow.parquet as pq

    from benchmarks.corpus import FETCHED
    from flows.refresh import refresh
    from tests.validate.test_report import assert_no_script_ran

    files, ordinary, hostile = _hostile_month(tmp_path / "warc")
    data = tmp_path / "data"
    summary = refresh(version="2026.11", warc=[str(f) for f in files], data_dir=str(data))
    release = data / "releases" / "2026.11"
    table = pq.read_table(release / "data", columns=["url", "published_at", "title"]).to_pylist()
    released = {r["url"]: r for r in table}
    assert set(ordinary) <= set(released)
    assert {hostile[k] for k in ("skewed", "future")} <= set(released)
    script_copies = {hostile["script"], hostile["script"].replace("970004", "970104")}
    assert len(script_copies & set(released)) == 1  # one story, two addresses: one row
    assert released[hostile["skewed"]]["published_at"] == FETCHED + timedelta(hours=5)
    assert released[hostile["future"]]["published_at"] is None
    assert summary["notes"].get("date_rejected_future") == 1
    rules = {d["url"]: d["rule"] for d in summary["drops"]}
    assert rules[hostile["damaged"]] == "encoding_damage"
    assert rules[hostile["huge"]] == "too_long"
    assert hostile["garbage"] in rules
    assert len(released) == len(ordinary) + 3
    assert assert_no_script_ran(data) >= 2  # the report, and its copy in the release
