"""Crawl state in SQLite: frontier, outcomes, validators for conditional requests, robots cache.

Every write commits immediately (WAL mode), so a crash loses at most the page in flight.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from aznews import clock
from aznews.datadir import open_state_db

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    key TEXT PRIMARY KEY,           -- canonical URL
    url TEXT NOT NULL,              -- URL to fetch, as discovered
    publisher TEXT NOT NULL,
    source TEXT,                    -- sitemap / feed / archive / seed
    lastmod TEXT,                   -- from the sitemap or feed, ISO
    discovered_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',   -- pending | stored | failed | skipped
    attempts INTEGER NOT NULL DEFAULT 0,
    fetched_at TEXT,
    fetched_lastmod TEXT,
    http_status INTEGER,
    etag TEXT,
    last_modified TEXT,
    warc_file TEXT,
    warc_record_id TEXT,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS urls_pending ON urls(publisher, status);
CREATE TABLE IF NOT EXISTS robots (
    host TEXT PRIMARY KEY, fetched_at TEXT NOT NULL, status INTEGER NOT NULL, body TEXT
);
"""


def _now() -> str:
    return clock.now().isoformat(timespec="seconds")


class CrawlState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.db = open_state_db(path, SCHEMA, check_same_thread=False)
        self.db.execute("PRAGMA synchronous=NORMAL")

    def close(self) -> None:
        self.db.close()

    def add(self, key: str, url: str, publisher: str, source: str, lastmod: str | None) -> bool:
        """Add a discovered URL; an already stored URL goes back to pending only when its
        ``lastmod`` moved past what we fetched. Returns True when the URL is (again) pending."""
        with self._lock:
            row = self.db.execute("SELECT status, fetched_lastmod FROM urls WHERE key=?", (key,)).fetchone()
            if row is None:
                self.db.execute(
                    "INSERT INTO urls(key,url,publisher,source,lastmod,discovered_at) VALUES(?,?,?,?,?,?)",
                    (key, url, publisher, source, lastmod, _now()),
                )
                return True
            status, fetched_lastmod = row
            if status == "stored" and lastmod and fetched_lastmod and lastmod > fetched_lastmod:
                self.db.execute("UPDATE urls SET status='pending', lastmod=? WHERE key=?", (lastmod, key))
                return True
            return status == "pending"

    def pending(self, publisher: str, limit: int) -> list[tuple[str, str, str | None, str | None, str | None]]:
        """(key, url, lastmod, etag, last_modified) of pending URLs, oldest discovery first."""
        with self._lock:
            return self.db.execute(
                "SELECT key, url, lastmod, etag, last_modified FROM urls WHERE publisher=? AND status='pending' "
                "ORDER BY discovered_at, key LIMIT ?",
                (publisher, limit),
            ).fetchall()

    def stored(
        self,
        key: str,
        *,
        http_status: int,
        warc_file: str,
        warc_record_id: str,
        etag: str | None,
        last_modified: str | None,
        lastmod: str | None,
    ) -> None:
        with self._lock:
            self.db.execute(
                "UPDATE urls SET status='stored', attempts=attempts+1, fetched_at=?, http_status=?, warc_file=?, "
                "warc_record_id=?, etag=?, last_modified=?, fetched_lastmod=?, reason=NULL WHERE key=?",
                (_now(), http_status, warc_file, warc_record_id, etag, last_modified, lastmod, key),
            )

    def failed(self, key: str, reason: str, *, final: bool, http_status: int | None = None) -> None:
        with self._lock:
            self.db.execute(
                "UPDATE urls SET status=?, attempts=attempts+1, fetched_at=?, http_status=?, reason=? WHERE key=?",
                ("failed" if final else "pending", _now(), http_status, reason, key),
            )

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self.db.execute("SELECT status, count(*) FROM urls GROUP BY status").fetchall())

    def reasons(self) -> dict[str, int]:
        with self._lock:
            rows = self.db.execute(
                "SELECT reason, count(*) FROM urls WHERE reason IS NOT NULL GROUP BY reason"
            ).fetchall()
        return dict(rows)

    def robots_get(self, host: str, max_age_s: float) -> tuple[int, str] | None:
        with self._lock:
            row = self.db.execute("SELECT fetched_at, status, body FROM robots WHERE host=?", (host,)).fetchone()
        if row is None:
            return None
        age = (clock.now() - datetime.fromisoformat(row[0])).total_seconds()
        return (row[1], row[2] or "") if age <= max_age_s else None

    def robots_all(self) -> dict[str, tuple[int, str]]:
        """Every cached robots.txt answer, host -> (status, body), whatever its age."""
        with self._lock:
            rows = self.db.execute("SELECT host, status, body FROM robots").fetchall()
        return {host: (status, body or "") for host, status, body in rows}

    def robots_put(self, host: str, status: int, body: str) -> None:
        with self._lock:
            self.db.execute("INSERT OR REPLACE INTO robots VALUES(?,?,?,?)", (host, _now(), status, body))
