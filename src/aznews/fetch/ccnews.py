"""CC-NEWS backfill: stream Common Crawl's monthly news WARC files over HTTP, keep only the records
of registry hosts, and resume a broken or killed transfer where it stopped.

* ``month_listing`` reads ``crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz`` from a base URL (Common
  Crawl's HTTP endpoint by default; any HTTP(S) URL or a local directory).
* ``filter_file`` streams one remote WARC file (never stored whole) through warcio with record
  parsing off: a record's WARC headers decide, and a record of any other host is skipped without
  its HTTP headers or HTML being parsed. Matching responses are written, with ``WARC-Source-URI``
  and ``WARC-Source-Offset`` headers, to one local WARC file per source file.
* Each record is its own gzip member, so after every batch of records the output is flushed and
  the ledger (``CcNewsLedger``, SQLite) records the compressed offset reached and the output size;
  a retry asks for the rest with an HTTP Range request and truncates the output to what the ledger
  knew, so a killed backfill resumes and a finished file is never downloaded again.
"""

from __future__ import annotations

import gzip
import io
import re
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from aznews import progress
from aznews.datadir import open_state_db
from aznews.fetch.warc import find_member
from aznews.sources.registry import Registry, load_registry

DEFAULT_BASE = "https://data.commoncrawl.org/"
LISTING = "crawl-data/CC-NEWS/{year:04d}/{month:02d}/warc.paths.gz"
CHUNK = 1 << 20
CHECKPOINT_BYTES = 8 << 20  # ledger write at most every 8 MB of compressed input


class CcNewsError(RuntimeError):
    """A listing or file could not be read (after retries); says which and why."""


def _is_remote(base: str) -> bool:
    return urlsplit(base).scheme in ("http", "https")


def _join(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path.lstrip("/")


def month_listing(base: str, year: int, month: int, client: httpx.Client | None = None) -> list[str]:
    """The WARC file paths CC-NEWS lists for a month (relative to ``base``)."""
    where = _join(base, LISTING.format(year=year, month=month))
    if _is_remote(base):
        own = client is None
        client = client or httpx.Client(timeout=60, follow_redirects=True)
        try:
            resp = client.get(where)
        finally:
            if own:
                client.close()
        if resp.status_code == 404:
            return []
        if resp.status_code != 200:
            raise CcNewsError(f"{where}: HTTP {resp.status_code}")
        data = resp.content
    else:
        path = Path(where)
        if not path.exists():
            return []
        data = path.read_bytes()
    text = gzip.decompress(data).decode("utf-8") if data[:2] == b"\x1f\x8b" else data.decode("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


class HostFilter:
    """Registry hosts (and their subdomains) in their Azerbaijani edition: decided from the WARC
    target URI alone, by a dictionary lookup of the host and its parent domains."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.domains = {d.lower().removeprefix("www."): p for p in registry for d in p.domains}

    def publisher(self, uri: str) -> str | None:
        """The outlet of ``uri`` as the registry matches hosts (``Publisher.owns_host``): the host
        with its port (``127.0.0.1:8080``; a port-less domain matches no other port), then its
        parent domains."""
        parts = urlsplit(uri)
        host = (parts.hostname or "").removeprefix("www.")
        try:
            port = f":{parts.port}" if parts.port else ""
        except ValueError:  # a port that is not a number: no registry host has it
            return None
        labels = host.split(".")
        for i in range(max(1, len(labels) - 1)):
            pub = self.domains.get(".".join(labels[i:]) + port)
            if pub is not None:
                return pub.id if pub.in_az_edition(uri) or uri.endswith("/robots.txt") else None
        return None


class CcNewsLedger:
    """Per source file: done or not, compressed bytes consumed, bytes of output kept, counts."""

    SCHEMA = """CREATE TABLE IF NOT EXISTS ccnews (
        url TEXT PRIMARY KEY, month TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
        offset INTEGER NOT NULL DEFAULT 0, out_bytes INTEGER NOT NULL DEFAULT 0,
        records INTEGER NOT NULL DEFAULT 0, matched INTEGER NOT NULL DEFAULT 0, error TEXT)"""

    def __init__(self, path: Path) -> None:
        self.db = open_state_db(path, self.SCHEMA, timeout=60)

    def add(self, month: str, urls: list[str]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO ccnews(url, month) VALUES (?, ?)", [(u, month) for u in urls])

    def get(self, url: str) -> tuple[str, int, int, int, int]:
        row = self.db.execute("SELECT status, offset, out_bytes, records, matched FROM ccnews WHERE url=?", (url,))
        return row.fetchone() or ("pending", 0, 0, 0, 0)

    def progress(self, url: str, offset: int, out_bytes: int, records: int, matched: int, status: str) -> None:
        self.db.execute(
            "INSERT INTO ccnews(url, month, offset, out_bytes, records, matched, status) VALUES (?, '', ?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET offset=excluded.offset, out_bytes=excluded.out_bytes, "
            "records=excluded.records, matched=excluded.matched, status=excluded.status, error=NULL",
            (url, offset, out_bytes, records, matched, status),
        )

    def failed(self, url: str, error: str) -> None:
        self.db.execute("UPDATE ccnews SET error=? WHERE url=?", (error[:500], url))

    def pending(self, month: str) -> list[str]:
        rows = self.db.execute("SELECT url FROM ccnews WHERE month=? AND status!='done' ORDER BY url", (month,))
        return [r[0] for r in rows]

    def counts(self, month: str | None = None) -> Counter:
        sql = "SELECT status, count(*) FROM ccnews" + (" WHERE month=?" if month else "") + " GROUP BY status"
        return Counter(dict(self.db.execute(sql, (month,) if month else ())))

    def close(self) -> None:
        self.db.close()


class _Stream(io.RawIOBase):
    """A file-like view of an iterator of byte chunks (an HTTP body), counting what it gave."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.buf, self.read_bytes = chunks, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        while not self.buf:
            try:
                self.buf = next(self.chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self.buf))
        b[:n], self.buf = self.buf[:n], self.buf[n:]
        self.read_bytes += n
        return n


def _open_source(url: str, offset: int, client: httpx.Client | None) -> tuple[Iterator[bytes], Callable[[], None]]:
    """The source file's bytes from ``offset`` (HTTP Range for a remote file); and a closer."""
    if _is_remote(url):
        assert client is not None
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        cm = client.stream("GET", url, headers=headers)
        resp = cm.__enter__()
        if resp.status_code not in (200, 206) or (offset and resp.status_code != 206):
            cm.__exit__(None, None, None)
            raise CcNewsError(f"{url}: HTTP {resp.status_code}" + (" (no range support)" if offset else ""))
        return resp.iter_raw(), lambda: cm.__exit__(None, None, None)  # as received: no re-chunking wait
    fh = open(url, "rb")  # noqa: SIM115 - closed by the closer
    fh.seek(offset)
    return iter(lambda: fh.read(CHUNK), b""), fh.close


@dataclass
class FileResult:
    url: str
    status: str  # done / failed
    records: int = 0
    matched: int = 0
    bytes_read: int = 0
    by_publisher: Counter = field(default_factory=Counter)
    error: str = ""
    unreadable: list[str] = field(default_factory=list)  # "offset: why" of each record skipped


def output_path(out_dir: Path, url: str) -> Path:
    return out_dir / Path(urlsplit(url).path).name.replace(".warc.gz", ".az.warc.gz")


def filter_file(
    url: str,
    out_dir: Path,
    registry: Registry,
    ledger_path: Path,
    *,
    retries: int = 3,
    backoff: float = 2.0,
    timeout: float = 120.0,
    checkpoint_bytes: int = CHECKPOINT_BYTES,
) -> FileResult:
    """Stream one source WARC file, keep its registry-host records in ``out_dir``; resumable."""
    ledger = CcNewsLedger(ledger_path)
    hosts = HostFilter(registry)
    out = output_path(out_dir, url)
    result = FileResult(url, "failed")
    client = httpx.Client(timeout=timeout, follow_redirects=True) if _is_remote(url) else None
    try:
        for attempt in range(retries + 1):
            status, offset, out_bytes, records, matched = ledger.get(url)
            if status == "done":
                return FileResult(url, "done", records, matched)
            try:
                _stream_once(url, offset, out, out_bytes, records, matched, hosts, ledger, client, result,
                             checkpoint_bytes)  # fmt: skip
                return result
            except (httpx.HTTPError, CcNewsError, ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
                result.error = f"{type(exc).__name__}: {exc}"[:300]
                ledger.failed(url, result.error)
                if attempt < retries:
                    time.sleep(backoff * (attempt + 1))
        result.status = "failed"
        return result
    finally:
        if client is not None:
            client.close()
        ledger.close()


_UNREADABLE = (ArchiveLoadFailed, EOFError, ValueError, zlib.error, gzip.BadGzipFile)  # a record, not the transfer


def _resync(url: str, after: int, client: httpx.Client | None, *, any_member: bool = False) -> int | None:
    """The offset of the first gzip member at or after ``after`` that starts a WARC record (with
    ``any_member``: any member), read from the source as a stream; None when there is none."""
    chunks, close = _open_source(url, after, client)
    try:
        return find_member(chunks, after, any_member=any_member)
    finally:
        close()


def _whole_member(url: str, at: int, client: httpx.Client | None, limit: int = 64 << 20) -> bool:
    """Whether the gzip member at ``at`` holds exactly one WARC record: its headers, the block its
    Content-Length announces, and the closing CRLFs (a record never exceeds ``limit`` bytes)."""
    chunks, close = _open_source(url, at, client)
    try:
        unzip, data = zlib.decompressobj(16 + zlib.MAX_WBITS), b""
        for chunk in chunks:
            data += unzip.decompress(chunk, limit - len(data))
            if unzip.eof or len(data) >= limit:
                break
    except zlib.error:
        return False
    finally:
        close()
    head, sep, _ = data.partition(b"\r\n\r\n")
    found = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
    return bool(sep and found and unzip.eof and len(data) == len(head) + 4 + int(found[1]) + 4)


def _stream_once(
    url, offset, out, out_bytes, records, matched, hosts, ledger, client, result, checkpoint_bytes
) -> None:
    """Passes from ``offset`` to the end; raises on a broken transfer after recording what was
    complete. A record that cannot be read costs that record: it is told with its offset and the
    stream resumes at the next gzip member that starts a WARC record."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "ab") as fh:
        fh.truncate(out_bytes)  # drop whatever a killed run wrote after its last checkpoint
        fh.seek(out_bytes)
        while offset is not None:
            offset, records, matched = _one_pass(url, offset, fh, records, matched, hosts, ledger, client, result,
                                                 checkpoint_bytes)  # fmt: skip
    if not matched:
        out.unlink(missing_ok=True)  # nothing of ours in this file: no empty WARC left behind
    result.status, result.records, result.matched = "done", records, matched


def _one_pass(url, offset, fh, records, matched, hosts, ledger, client, result, checkpoint_bytes):
    """Stream from ``offset``: (None, records, matched) at the end of the file, or the offset to
    resume at after an unreadable record."""
    chunks, close = _open_source(url, offset, client)
    last = None  # the offset of the last record read whole
    try:
        stream = _Stream(chunks)
        it = ArchiveIterator(stream, no_record_parse=True, check_digests=False)
        last_mark = offset
        try:
            for record in it:
                pub = None
                if record.rec_type in ("response", "resource"):
                    pub = hosts.publisher(record.rec_headers.get_header("WARC-Target-URI") or "")
                # a kept record's block, read before warcio reads the record to its end for its offset;
                # any other record is skipped on its WARC headers: its HTTP block and HTML never parsed
                block = record.raw_stream.read() if pub is not None else b""
                rec_offset = last = offset + it.get_record_offset()
                last_kept = None
                if rec_offset - last_mark >= checkpoint_bytes:  # every record before this one is complete
                    fh.flush()
                    ledger.progress(url, rec_offset, fh.tell(), records, matched, "running")
                    last_mark = rec_offset
                records += 1
                if pub is None:
                    continue
                record.rec_headers.add_header("WARC-Source-URI", url)
                record.rec_headers.add_header("WARC-Source-Offset", str(rec_offset))
                # copied as it was (its digests, its bytes), one gzip member: no HTTP parse, no recoding
                last_kept = (fh.tell(), pub)
                fh.write(gzip.compress(record.rec_headers.to_bytes() + block + b"\r\n\r\n", compresslevel=6))
                matched += 1
                result.by_publisher[pub] += 1
        except _UNREADABLE as exc:
            if last is not None and not _whole_member(url, last, client):
                bad = last  # its Content-Length is short of its member: the rest was read as a "record"
                if last_kept is not None:  # it was copied cut short: take it back
                    fh.truncate(last_kept[0])
                    fh.seek(last_kept[0])
                    matched -= 1
                    result.by_publisher[last_kept[1]] -= 1
            else:  # the record after the last one read could not be read: it starts at the next member
                bad = offset if last is None else _resync(url, last + 1, client, any_member=True)
                bad = offset if bad is None else bad
                records += 1
            result.unreadable.append(f"{bad}: {' '.join(str(exc).split())[:200]}")
            resume = _resync(url, bad + 1, client)
            fh.flush()
            result.bytes_read += stream.read_bytes
            if resume is not None:  # a checkpoint there: a kill now resumes after the bad record
                ledger.progress(url, resume, fh.tell(), records, matched, "running")
                return resume, records, matched
            ledger.progress(url, bad, fh.tell(), records, matched, "done")  # a bad tail: the file is done
            return None, records, matched
        fh.flush()
        result.bytes_read += stream.read_bytes
        progress.report("ccnews_mb", stream.read_bytes >> 20)
    finally:
        close()
    ledger.progress(url, offset + stream.read_bytes, fh.tell(), records, matched, "done")
    return None, records, matched


@dataclass
class MonthResult:
    month: str
    files: int = 0
    done: int = 0
    failed: list[str] = field(default_factory=list)
    records: int = 0
    matched: int = 0
    mb_read: float = 0.0
    by_publisher: Counter = field(default_factory=Counter)
    out_dir: Path | None = None
    unreadable: list[str] = field(default_factory=list)  # "file@offset: why"

    def describe(self) -> str:
        per_pub = ", ".join(f"{p} {n}" for p, n in self.by_publisher.most_common()) or "none"
        bad = f"; {len(self.unreadable)} unreadable record(s) skipped: {', '.join(self.unreadable[:3])}"
        return (f"{self.done}/{self.files} files, {self.mb_read:.1f} MB streamed, "
                f"{self.matched} records kept ({per_pub}){bad if self.unreadable else ''}")  # fmt: skip

    def kept_dir(self) -> Path | None:
        """The directory of the month's kept records, None when nothing matched; a month with a
        failed file raises (rerun to resume: the ledger skips what is done)."""
        if self.failed:
            failed = "; ".join(self.failed)
            raise RuntimeError(f"{len(self.failed)} CC-NEWS file(s) failed (rerun to resume): {failed}")
        out = self.out_dir
        kept = out is not None and out.exists() and any(f.stat().st_size for f in out.glob("*.warc.gz"))
        return out if kept else None


def _filter_job(url: str, out_dir: str, registry_path: str | None, ledger_path: str, every: int) -> FileResult:
    return filter_file(url, Path(out_dir), load_registry(Path(registry_path) if registry_path else None),
                       Path(ledger_path), checkpoint_bytes=every)  # fmt: skip


def plan_month(base: str, year: int, month: int, out_root: Path, ledger_path: Path) -> tuple[MonthResult, list[str]]:
    """The month's listed files entered in the ledger: the month so far (files, done, the output
    directory) and the files still to stream, for whichever runner streams them."""
    key = f"{year:04d}-{month:02d}"
    urls = [_join(base, p) for p in month_listing(base, year, month)]
    ledger = CcNewsLedger(ledger_path)
    ledger.add(key, urls)
    todo = ledger.pending(key)
    ledger.close()
    out_dir = out_root / f"{year:04d}" / f"{month:02d}"
    return MonthResult(key, files=len(urls), done=len(urls) - len(todo), out_dir=out_dir), todo


def add_file(month: MonthResult, got: FileResult) -> None:
    """Count one streamed file into its month."""
    if got.status == "done":
        month.done += 1
    else:
        month.failed.append(f"{got.url}: {got.error}")
    month.records += got.records
    month.matched += got.matched
    month.mb_read += got.bytes_read / 2**20
    month.by_publisher.update(got.by_publisher)
    month.unreadable += [f"{got.url.rsplit('/', 1)[-1]}@{bad}" for bad in got.unreadable]


def fetch_month(
    base: str,
    year: int,
    month: int,
    out_root: Path,
    ledger_path: Path,
    *,
    registry_path: Path | None = None,
    workers: int = 2,
    on_file: Callable[[FileResult, int, int], None] | None = None,
    checkpoint_bytes: int = CHECKPOINT_BYTES,
) -> MonthResult:
    """Every listed file of a month through ``filter_file``, at most ``workers`` in flight (one
    process each); files the ledger marks done are not read again. ``on_file(result, done, total)``
    is called as each file finishes."""
    from concurrent.futures import as_completed

    from aznews.lifeline import spawn_pool

    result, todo = plan_month(base, year, month, out_root, ledger_path)
    if not todo:
        return result
    args = (str(result.out_dir), str(registry_path) if registry_path else None, str(ledger_path), checkpoint_bytes)
    slots = max(1, min(workers, len(todo)))
    with spawn_pool(slots) as pool:
        futures = [pool.submit(_filter_job, url, *args) for url in todo]
        in_flight = slots
        progress.report("ccnews in flight", in_flight, slots)  # files streaming now, of the slots
        for finished, fut in enumerate(as_completed(futures), start=1):
            now = min(slots, len(todo) - finished)
            progress.report("ccnews in flight", now - in_flight, slots)
            in_flight = now
            fr = fut.result()
            add_file(result, fr)
            progress.report(f"ccnews_files {year}-{month:02d}", 1, len(todo))  # each month counts its own
            if on_file is not None:
                on_file(fr, result.done, result.files)
    return result
