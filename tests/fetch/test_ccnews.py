"""CC-NEWS backfill against a fake CC-NEWS tree on 127.0.0.1: registry hosts kept from their WARC
headers alone, a broken transfer resumed with HTTP Range, a finished file never read again, and
`aznews backfill --cc-news` releasing each month and resuming after kill -9."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from aznews.fetch.ccnews import HostFilter, fetch_month, month_listing
from aznews.fetch.warc import iter_pages
from aznews.sources import load_registry

from .ccnews_site import CcNewsServer, build_tree
from .test_warc import BAD_RECORDS, break_a_record


@pytest.fixture
def tree(tmp_path):
    kept = build_tree(tmp_path / "cc", {"2026/09": 1, "2026/10": 2})
    server = CcNewsServer(tmp_path / "cc")
    yield server, kept
    server.stop()


def _records(path):
    with open(path, "rb") as fh:
        return [(r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header("WARC-Source-URI"))
                for r in ArchiveIterator(fh) if r.rec_type == "response"]  # fmt: skip


def test_registry_records_kept_from_their_headers_and_a_broken_transfer_resumed(tree, tmp_path):
    server, kept = tree
    listing = month_listing(server.base, 2026, 10)
    assert len(listing) == 2 and month_listing(server.base, 2025, 1) == []
    broken = listing[1].rsplit("/", 1)[-1]
    server.break_once.add(broken)
    got = fetch_month(server.base, 2026, 10, tmp_path / "out", tmp_path / "ledger.sqlite", workers=2,
                      checkpoint_bytes=4096)  # fmt: skip
    assert got.done == 2 and not got.failed and got.matched == kept["2026/10"]
    assert [name for name, _ in server.ranges] == [broken]  # resumed where it broke, not from the start
    hosts = HostFilter(load_registry())
    outputs = sorted(got.out_dir.glob("*.warc.gz"))
    assert len(outputs) == 2
    recs = [r for path in outputs for r in _records(path)]
    assert len(recs) == kept["2026/10"]  # each once: nothing duplicated by the retry
    assert all(hosts.publisher(uri) for uri, _ in recs)
    assert all(src.startswith(server.base) for _, src in recs)
    assert sum(1 for path in outputs for _ in iter_pages(path)) == kept["2026/10"]  # readable as pages

    hits = dict(server.hits)
    again = fetch_month(server.base, 2026, 10, tmp_path / "out", tmp_path / "ledger.sqlite")
    assert again.done == 2 and again.mb_read == 0
    assert {k: v for k, v in server.hits.items() if k.endswith(".warc.gz")} == {
        k: v for k, v in hits.items() if k.endswith(".warc.gz")
    }  # a finished file is never downloaded again


def test_no_record_is_parsed_beyond_its_warc_headers(tree, tmp_path, monkeypatch):
    """The filter reads WARC headers only: no HTTP header block (of a kept record or any other) is
    parsed, and no HTML decoded; a kept record is copied as it was."""
    from warcio.statusandheaders import StatusAndHeadersParser

    from aznews.fetch.ccnews import filter_file

    server, kept = tree
    seen: list[str] = []
    real = StatusAndHeadersParser.parse

    def spy(self, stream, full_statusline=None):
        parsed = real(self, stream, full_statusline)
        seen.append(parsed.protocol or parsed.statusline.split(" ")[0])
        return parsed

    monkeypatch.setattr(StatusAndHeadersParser, "parse", spy)
    url = server.base + month_listing(server.base, 2026, 9)[0]
    result = filter_file(url, tmp_path / "out", load_registry(), tmp_path / "ledger.sqlite")
    assert result.status == "done" and result.matched == kept["2026/09"]
    assert seen and all(s.startswith("WARC/") for s in seen), set(seen)  # WARC headers only, never HTTP


def _backfill(tmp_path, base):
    env = {**os.environ, "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "aznews.cli", "backfill", "--cc-news", "--cc-news-base", base,
           "--from", "2026-09", "--to", "2026-10", "--data-dir", str(tmp_path / "data"), "--workers", "1",
           "--orchestrator", "local"]  # fmt: skip
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _done(db) -> int:
    try:
        with sqlite3.connect(db) as con:
            return con.execute("SELECT count(*) FROM ccnews WHERE status='done'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_backfill_from_cc_news_releases_each_month_and_resumes_after_kill(tree, tmp_path):
    server, _ = tree
    last = month_listing(server.base, 2026, 10)[-1].rsplit("/", 1)[-1]
    server.slow[last] = 30.0  # the last file streams slowly: the kill lands while it is in flight
    db = tmp_path / "data" / "state" / "ccnews.sqlite"
    proc = _backfill(tmp_path, server.base)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and _done(db) < 2:
        time.sleep(0.1)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _done(db) >= 2
    before = dict(server.hits)
    server.slow.clear()
    proc = _backfill(tmp_path, server.base)
    out = proc.communicate(timeout=600)[0]
    assert proc.returncode == 0, out
    for name, n in before.items():  # files finished before the kill were not downloaded again
        if name.endswith(".warc.gz") and name != last:
            assert server.hits[name] == n, (name, out)
    hosts = HostFilter(load_registry())
    for version in ("2026.09", "2026.10"):
        release = tmp_path / "data" / "releases" / version
        manifest = json.loads((release / "meta" / "release.json").read_text())
        tables = [pq.read_table(release / f["path"], columns=["url"]) for f in manifest["files"]]
        urls = [u for t in tables for u in t["url"].to_pylist()]
        assert urls and all(hosts.publisher(u) for u in urls), version
    assert "ccnews_files 2026-10: 1/1" in out  # progress: files of the month done, counted per month


def test_one_release_for_the_whole_range(tree, tmp_path):
    server, kept = tree
    total = kept["2026/09"] + kept["2026/10"]
    cmd = [sys.executable, "-m", "aznews.cli", "backfill", "--cc-news", "--cc-news-base", server.base,
           "--from", "2026-09", "--to", "2026-10", "--one-release", "--data-dir", str(tmp_path / "data"),
           "--orchestrator", "local"]  # fmt: skip
    done = subprocess.run(cmd, env={**os.environ, "COLUMNS": "200"}, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    releases = sorted(p.name for p in (tmp_path / "data" / "releases").iterdir())
    assert releases == ["2026.10"]  # one release, named after the range's last month
    inputs = json.loads((tmp_path / "data" / "releases" / "2026.10" / "meta" / "release.json").read_text())["inputs"]
    assert len(inputs) == 3  # the kept records of all three source files, both months
    out = " ".join(done.stdout.split())
    assert "2026.09: CC-NEWS 1/1 files" in out and "2026.10: CC-NEWS 2/2 files" in out, out
    assert sum(int(x) for x in re.findall(r"(\d+) records kept", out)) == total  # matches per month, per outlet


def test_the_refresh_flow_streams_a_month_of_cc_news_one_task_per_file(tmp_path):
    """The deployment's path: `cc_news=True` on the refresh flow, each remote file a Prefect task."""
    from flows.refresh import refresh

    kept = build_tree(tmp_path / "cc", {"2026/10": 2}, per_file=200, seed=5)  # enough rows for every split
    server = CcNewsServer(tmp_path / "cc")
    try:
        summary = refresh(version="2026.10", cc_news=True, cc_news_base=server.base, since="2026-10-01",
                          until="2026-11-01", data_dir=str(tmp_path / "data"))  # fmt: skip
    finally:
        server.stop()
    assert summary["rows"] > 0
    ledger = sqlite3.connect(tmp_path / "data" / "state" / "ccnews.sqlite")
    assert ledger.execute("SELECT count(*), sum(matched) FROM ccnews WHERE status='done'").fetchone() == (
        2, kept["2026/10"],
    )  # fmt: skip


def test_host_filter_matches_hosts_as_the_registry_does_ports_included(tmp_path):
    """A registry host with a port (a test or mirror site) is matched with that port, as crawl and
    WARC input match it; a port-less domain matches no other port; parent domains still match."""
    import yaml

    from aznews.fetch.ccnews import HostFilter
    from aznews.sources import load_registry

    entries = [{"id": "local", "name": "Local", "domains": ["127.0.0.1:8123"], "homepage": "http://127.0.0.1:8123/"},
               {"id": "apa", "name": "APA", "domains": ["apa.az"], "homepage": "https://apa.az/"}]  # fmt: skip
    (tmp_path / "reg.yaml").write_text(yaml.safe_dump(entries), encoding="utf-8")
    hosts = HostFilter(load_registry(tmp_path / "reg.yaml"))
    assert hosts.publisher("http://127.0.0.1:8123/xeber/1") == "local"
    assert hosts.publisher("http://127.0.0.1:9999/xeber/1") is None
    assert hosts.publisher("https://www.apa.az/cemiyyet/1") == "apa"
    assert hosts.publisher("https://news.apa.az/cemiyyet/1") == "apa"
    assert hosts.publisher("https://apa.az:8443/cemiyyet/1") is None
    assert hosts.publisher("https://apa.az:notaport/x") is None


@BAD_RECORDS
def test_a_bad_record_in_a_cc_news_file_costs_that_record(tmp_path, delta):
    """A CC-NEWS file streamed over HTTP with one record that cannot be read: the filter resumes at
    the next gzip member that starts a record (by HTTP Range), keeps every other registry record,
    finishes the file and tells the bad record with its offset."""
    from aznews.fetch.ccnews import filter_file

    kept = build_tree(tmp_path / "cc", {"2026/09": 1})
    source = next((tmp_path / "cc").rglob("*.warc.gz"))
    start, bad_url = break_a_record(source, delta)
    server = CcNewsServer(tmp_path / "cc")
    try:
        url = server.base + month_listing(server.base, 2026, 9)[0]
        got = filter_file(url, tmp_path / "out", load_registry(), tmp_path / "ledger.sqlite")
    finally:
        server.stop()
    assert got.status == "done", got.error
    hosts = HostFilter(load_registry())
    lost = 1 if hosts.publisher(bad_url) else 0
    assert kept["2026/09"] - lost <= got.matched <= kept["2026/09"]
    assert len(got.unreadable) <= 1 and all(u.startswith(f"{start}: ") for u in got.unreadable), got.unreadable
    assert got.unreadable or got.matched == kept["2026/09"]  # read whole (a short length can), or told once
    recs = _records(next((tmp_path / "out").glob("*.warc.gz")))
    assert len(recs) == got.matched and all(hosts.publisher(uri) for uri, _ in recs)
