"""SIGKILL a real `aznews crawl` process mid-crawl, rerun it, and check nothing is lost or refetched."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import yaml

from aznews.fetch.warc import WarcReadError, iter_pages

from .fixture_sites import Route, Site, article_html, sitemap

N = 30


def _run(tmp_path, reg):
    env = {**os.environ, "AZNEWS_ALLOW_PRIVATE_NETWORKS": json.dumps(["127.0.0.0/8"])}
    cmd = [
        sys.executable,
        "-m",
        "aznews.cli",
        "crawl",
        "--registry",
        str(reg),
        "--data-dir",
        str(tmp_path / "data"),
        "--min-delay",
        "0",
    ]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _stored(db):
    try:
        with sqlite3.connect(db) as con:
            return con.execute("SELECT count(*) FROM urls WHERE status='stored'").fetchone()[0]
    except sqlite3.OperationalError:  # the crawler has created the file but not its tables yet
        return 0


def test_kill_then_resume(tmp_path):
    site = Site("Slow").start()
    try:
        site.robots(f"User-agent: *\nSitemap: {site.base}/sitemap.xml\n")
        urls = [(f"{site.base}/az/xeber/{i}", None) for i in range(N)]
        site.routes["/sitemap.xml"] = Route(body=sitemap(urls), headers={"Content-Type": "application/xml"})
        for i in range(N):
            site.page(f"/az/xeber/{i}", article_html(i), delay=0.1)
        reg = tmp_path / "reg.yaml"
        site.routes["/rss"] = Route(body=b"<rss/>", browsers_only=True)  # refuses our User-Agent
        reg.write_text(yaml.safe_dump([site.registry_entry("slow", feeds=[f"{site.base}/rss"])]), encoding="utf-8")
        db = tmp_path / "data" / "state" / "crawl.sqlite"

        proc = _run(tmp_path, reg)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not db.exists() or _stored(db) < 8):
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stored_before = _stored(db)
        assert 8 <= stored_before < N
        hits_before = dict(site.hits)

        proc = _run(tmp_path, reg)
        out = proc.communicate(timeout=120)[0].decode()
        assert proc.returncode == 0, out
        assert _stored(db) == N
        assert f"no links from {site.base}/rss: HTTP 400" in " ".join(out.split()), out
        assert "queued: " in out and "fetch: " in out  # progress as lines: not a terminal
        assert "fetch slow: " in out  # and per host (publisher)

        # pages stored before the kill were never requested again; at most the one in flight twice
        twice = [p for p, n in site.hits.items() if p.startswith("/az/") and n > 1]
        assert len(twice) <= 1, twice
        with sqlite3.connect(db) as con:
            done_before = {row[0] for row in con.execute("SELECT url FROM urls")}
        assert len(done_before) == N
        assert sum(hits_before.get(f"/az/xeber/{i}", 0) for i in range(N)) >= stored_before

        # every WARC record is readable; every page is in WARC
        errors: list[WarcReadError] = []
        raw = sorted((tmp_path / "data" / "raw").glob("*.warc.gz"))
        assert len(raw) == 2  # the resumed run never appends to the killed run's file
        urls_in_warc = {p.url for f in raw for p in iter_pages(f, errors)}
        assert urls_in_warc == {u for u, _ in urls}
        assert errors == []
    finally:
        site.stop()
