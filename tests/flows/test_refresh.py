"""The refresh flow end to end, under Prefect's test harness, with real GX and real datasets."""

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
    assert sum(len(s) for s in ds.values()) == summary["rows"] == 9
    urls = {u for s in ds.values() for u in s["url"]}
    assert "https://apa.az/cemiyyet/901234" in urls
    assert summary["load"] == f'datasets.load_dataset("{data / "releases" / "2026.11"}")'


def test_summary_says_why_pages_were_dropped(first_run):
    _, summary = first_run
    reasons = {d["url"]: d["rule"] for d in summary["drops"]}
    assert reasons["https://apa.az/ru/obshestvo/901235"] == "not_az_edition"
    assert reasons["https://axar.az/news/dunya/912399.html"] == "language"
    assert reasons["https://oxu.az/cemiyyet"] == "not_article"
    assert reasons["https://az.trend.az/azerbaijan/society/3950001.html"] == "empty"
    assert summary["stages"]["extract"] == {"kept": 11, "dropped": 4}


def test_gx_ran_for_real_and_wrote_data_docs(first_run):
    data, _ = first_run
    assert (data / "reports" / "2026.11" / "validation-articles.json").exists()
    assert (data / "reports" / "2026.11" / "data_docs" / "index.html").exists()


def test_second_run_refuses_then_force_replaces(first_run):
    from aznews.publish import ReleaseExists
    from flows.refresh import refresh

    data, _ = first_run
    before = (data / "releases" / "2026.11" / "meta" / "release.json").read_text()
    with pytest.raises(ReleaseExists, match=r"already exists.*--version 2026\.11\.1.*--force"):
        refresh(version="2026.11", data_dir=str(data))
    assert (data / "releases" / "2026.11" / "meta" / "release.json").read_text() == before
    summary = refresh(version="2026.11", data_dir=str(data), force=True)
    assert summary["rows"] == 9
