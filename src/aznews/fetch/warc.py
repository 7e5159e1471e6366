"""WARC capture and replay (warcio): every fetched response is kept so extraction can rerun."""

from __future__ import annotations

import io
import os
import uuid
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Headers that describe the transfer, not the stored (decoded) payload.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True, slots=True)
class Page:
    """One HTTP response as kept in WARC."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    warc_file: str
    warc_record_id: str

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass
class WarcReadError:
    """A record that could not be read (truncated file, bad gzip member)."""

    warc_file: str
    offset: int
    reason: str


class WarcInputError(ValueError):
    """An input that is not a readable WARC file; the message names the path."""


WARC_SUFFIXES = (".warc.gz", ".warc")


def check_warc_input(path: str | Path) -> None:
    """Raise ``WarcInputError`` unless ``path`` is a file whose first record is a WARC record
    (or a directory holding such files). Reads one record header, not the file."""
    path = Path(path)
    if not path.exists():
        raise WarcInputError(f"WARC input not found: {path}")
    if path.is_dir():
        for f in warc_files(path):
            check_warc_input(f)
        return
    if path.stat().st_size == 0:
        raise WarcInputError(f"{path}: empty file, not a WARC file")
    try:
        with open(path, "rb") as fh:
            next(iter(ArchiveIterator(fh)))
    except StopIteration:
        raise WarcInputError(f"{path}: holds no WARC record") from None
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        raise WarcInputError(f"{path}: not a WARC file ({str(exc).strip()[:160]})") from None


def warc_files(directory: Path) -> list[Path]:
    """The WARC files directly in ``directory``, sorted; none is an error naming it."""
    found = sorted(p for p in directory.iterdir() if p.is_file() and p.name.endswith(WARC_SUFFIXES))
    if not found:
        raise WarcInputError(f"{directory}: no WARC files (*.warc.gz, *.warc) in this directory")
    return found


def resolve_warc_inputs(sources: Iterable[str | Path]) -> list[Path]:
    """Files and directories of WARC files -> the checked WARC files, in order."""
    out: list[Path] = []
    for src in sources:
        p = Path(src).resolve()
        out.extend(warc_files(p) if p.is_dir() else [p])
    for p in out:
        check_warc_input(p)
    return out


_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"


@dataclass
class WarcSink:
    """Writes request/response record pairs to rotating gzip WARC files under ``directory``.

    Each record is its own gzip member and the file is flushed after every pair, so a crash
    loses at most the record being written. A new sink never appends to an old file.
    """

    directory: Path
    prefix: str = "aznews"
    max_bytes: int = 256 * 1024 * 1024
    software: str = "aznews"
    fsync: bool = True
    _fh: io.BufferedWriter | None = field(default=None, init=False, repr=False)
    _writer: WARCWriter | None = field(default=None, init=False, repr=False)
    _seq: int = field(default=0, init=False)
    current: Path | None = field(default=None, init=False)
    files: list[Path] = field(default_factory=list, init=False)

    def _open(self, when: datetime) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = when.strftime("%Y%m%d%H%M%S")
        while True:
            self._seq += 1
            path = self.directory / f"{self.prefix}-{stamp}-{self._seq:05d}.warc.gz"
            if not path.exists():
                break
        self._fh = open(path, "xb")  # noqa: SIM115 - closed in close()/rotation
        self._writer = WARCWriter(self._fh, gzip=True)
        info = self._writer.create_warcinfo_record(
            path.name,
            {"software": self.software, "format": "WARC File Format 1.1"},
        )
        info.rec_headers.replace_header("WARC-Date", _warc_date(when))
        info.rec_headers.replace_header("WARC-Record-ID", _record_id(f"info:{path.name}"))
        self._writer.write_record(info)
        self.current = path
        self.files.append(path)

    def write(
        self,
        url: str,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        body: bytes,
        fetched_at: datetime,
        request_headers: list[tuple[str, str]] | None = None,
        record_key: str | None = None,
    ) -> tuple[str, str]:
        """Store one exchange; returns (warc file name, response WARC-Record-ID).

        ``body`` is the decoded payload; transfer/content-encoding headers are dropped and
        Content-Length set to match it. ``record_key`` makes record ids deterministic.
        """
        if self._fh is None or (self.current and self._fh.tell() >= self.max_bytes):
            self.close()
            self._open(fetched_at)
        assert self._writer is not None and self.current is not None
        url = quote(url, safe=_URI_SAFE)  # an IRI from a sitemap or feed: WARC headers are ASCII
        key = record_key or f"{url}@{fetched_at.isoformat()}@{uuid.uuid4()}"
        kept = [(k, v) for k, v in headers if k.lower() not in _TRANSFER_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        resp_id = _record_id(f"response:{key}")
        response = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": _warc_date(fetched_at), "WARC-Record-ID": resp_id},
        )
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        req_http = StatusAndHeaders(f"GET /{path} HTTP/1.1", request_headers or [], is_http_request=True)
        request = self._writer.create_warc_record(
            url,
            "request",
            http_headers=req_http,
            warc_headers_dict={
                "WARC-Date": _warc_date(fetched_at),
                "WARC-Record-ID": _record_id(f"request:{key}"),
                "WARC-Concurrent-To": resp_id,
            },
        )
        self._writer.write_record(response)
        self._writer.write_record(request)
        self._fh.flush()
        if self.fsync:
            os.fsync(self._fh.fileno())
        return self.current.name, resp_id

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        self._fh = None
        self._writer = None

    def __enter__(self) -> WarcSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record_id(key: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}>"


def _parse_warc_date(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def iter_pages(
    path: str | Path, errors: list[WarcReadError] | None = None, start: int = 0, end: int | None = None
) -> Iterator[Page]:
    """Yield the HTTP responses stored in a WARC file, one at a time (streaming), optionally only
    those whose records start in ``[start, end)`` (a :class:`WarcSlice`).

    A record that cannot be read is reported in ``errors`` (if given) rather than raised, and the
    reading resumes at the next record: a crash during a crawl, or one bad record, must not make
    the other records unreadable.
    """
    for _, page in _responses(Path(path), errors, start, end):
        yield page


@dataclass(frozen=True, slots=True)
class WarcSlice:
    """A run of consecutive response records of one WARC file: the unit of parallel work.

    Records are separate gzip members, so a worker seeks to ``start`` and reads until ``end``
    (``None``: the end of the file) without touching the rest of the file.
    """

    path: str
    start: int
    end: int | None
    records: int

    def pages(self, errors: list[WarcReadError] | None = None) -> Iterator[Page]:
        return iter_pages(self.path, errors, self.start, self.end)


def plan_slices(
    paths: Iterable[str | Path],
    records_per_slice: int,
    errors: list[WarcReadError] | None = None,
    robots: dict[str, tuple[int, str]] | None = None,
) -> list[WarcSlice]:
    """Cut WARC files into slices of at most ``records_per_slice`` responses (one sequential
    read of each file, bodies decompressed and discarded). A corrupt tail ends its file's last
    slice before the bad record and is reported once, here, in ``errors``. The robots.txt
    responses met on the way are put in ``robots`` (host -> (status, body); the latest wins)."""
    if records_per_slice < 1:
        raise ValueError("records_per_slice must be at least 1")
    slices: list[WarcSlice] = []
    for path in paths:
        bad: list[WarcReadError] = []
        offsets = []
        for offset, page in _responses(Path(path), bad):
            offsets.append(offset)
            if robots is not None and (robots_host := robots_txt_host(page.url)):
                robots[robots_host] = (page.status, page.body.decode("utf-8", "replace"))
        # A slice never holds a bad record: runs of good records between them are cut separately,
        # each run's last slice ending at the bad record that follows it (None: the file's end).
        runs: list[tuple[list[int], int | None]] = []
        run: list[int] = []
        for offset, ok in sorted([(o, True) for o in offsets] + [(e.offset, False) for e in bad]):
            if ok:
                run.append(offset)
            else:
                runs.append((run, offset))
                run = []
        runs.append((run, None))
        for run, run_end in runs:
            for i in range(0, len(run), records_per_slice):
                chunk = run[i : i + records_per_slice]
                nxt = run[i + records_per_slice] if i + records_per_slice < len(run) else run_end
                slices.append(WarcSlice(str(path), chunk[0], nxt, len(chunk)))
        if errors is not None:
            errors.extend(bad)
    return slices


def robots_txt_host(url: str) -> str | None:
    """The host (netloc, lower case) whose robots.txt ``url`` is, or None."""
    parts = urlsplit(url)
    return parts.netloc.lower() if parts.path == "/robots.txt" and not parts.query else None


def _responses(
    path: Path, errors: list[WarcReadError] | None, start: int = 0, end: int | None = None
) -> Iterator[tuple[int, Page]]:
    """(offset, page) of each response from ``start`` to ``end``. A record that cannot be read (a
    wrong Content-Length, garbage, a cut) costs that record: it is reported in ``errors`` with its
    offset and the reading resumes at the next gzip member that starts a WARC record (each record
    is its own member), so the records after it are kept."""
    pos: int | None = start
    while pos is not None:
        failed: tuple[int, str] | None = None
        last: int | None = None  # the start of the last record read whole in this pass
        with open(path, "rb") as fh:
            fh.seek(pos)
            it = ArchiveIterator(fh, no_record_parse=False)
            try:
                for record in it:
                    is_page = record.rec_type == "response" and record.http_headers is not None
                    try:
                        body = record.content_stream().read() if is_page else b""
                        record.raw_stream.read()
                        short = getattr(record.raw_stream, "limit", 0)
                        if short:  # warcio returns a shortened body silently when a file is cut
                            raise EOFError(f"record truncated: {short} of {record.length} bytes missing")
                    except Exception as exc:
                        failed = (it.get_record_offset(), str(exc))
                        break
                    offset = last = it.get_record_offset()  # known once the record is read to its end
                    if end is not None and offset >= end:
                        return
                    if not is_page:
                        continue
                    headers = {k.lower(): v for k, v in record.http_headers.headers}
                    status = int(record.http_headers.get_statuscode() or 0)
                    yield (
                        offset,
                        Page(
                            url=record.rec_headers.get_header("WARC-Target-URI"),
                            status=status,
                            headers=headers,
                            body=body,
                            fetched_at=_parse_warc_date(record.rec_headers.get_header("WARC-Date")),
                            warc_file=path.name,
                            warc_record_id=record.rec_headers.get_header("WARC-Record-ID"),
                        ),
                    )
            except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
                # the record after the last one read could not be parsed: it starts at the next member
                at = pos if last is None else _next_member(path, last + 1, None, any_member=True)
                failed = (at if at is not None else it.get_record_offset(), " ".join(str(exc).split()))
        if failed is None or (end is not None and failed[0] >= end):  # the end, or past the slice: not ours
            return
        if errors is not None:
            errors.append(WarcReadError(path.name, failed[0], failed[1]))
        pos = _next_member(path, failed[0] + 1, end)


GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_HEAD = (b"WARC/1.0", b"WARC/1.1")


def _next_member(path: Path, after: int, end: int | None, *, any_member: bool = False) -> int | None:
    """The offset of the next gzip member of the file at or after ``after`` (before ``end``) whose
    content starts a WARC record (``any_member``: any member), or None; None too for a file that
    is not gzip-compressed per record."""
    with open(path, "rb") as fh:
        if fh.read(2) != GZIP_MAGIC[:2]:
            return None
        fh.seek(after)
        return find_member(iter(lambda: fh.read(1 << 20), b""), after, end=end, any_member=any_member)


def find_member(chunks: Iterator[bytes], base: int, *, end: int | None = None, any_member: bool = False) -> int | None:
    """The offset of the first gzip member in ``chunks`` (the bytes from offset ``base`` on, read
    as they come: a file or an HTTP body) before ``end`` whose content starts a WARC record
    (``any_member``: any member), or None when there is none."""
    buf, pos, ended = b"", 0, False
    while not ended:
        chunk = next(chunks, None)
        ended = chunk is None
        buf += chunk or b""
        while (i := buf.find(GZIP_MAGIC, pos)) != -1:
            if end is not None and base + i >= end:
                return None
            if not ended and len(buf) - i < HEAD_BYTES:
                break  # its head is not all here yet
            if any_member or starts_record(buf[i : i + HEAD_BYTES]):
                return base + i
            pos = i + 1
        else:
            pos = max(len(buf) - len(GZIP_MAGIC) + 1, 0)
        buf, base, pos = buf[pos:], base + pos, 0
    return None


HEAD_BYTES = 4096  # of a gzip member: enough to decompress the start of a WARC record's headers


def starts_record(member: bytes) -> bool:
    """Whether bytes that start a gzip member decompress to the start of a WARC record."""
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(member[:HEAD_BYTES], 16)
    except zlib.error:
        return False
    return head.startswith(_WARC_HEAD)
