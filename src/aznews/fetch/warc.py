"""WARC capture and replay (warcio): every fetched response is kept so extraction can rerun."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

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


def iter_pages(path: str | Path, errors: list[WarcReadError] | None = None) -> Iterator[Page]:
    """Yield the HTTP responses stored in a WARC file, one at a time (streaming).

    A truncated or corrupt tail ends the iteration and is reported in ``errors`` (if given)
    rather than raised: a crash during a crawl must not make its earlier records unreadable.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh, no_record_parse=False)
        try:
            for record in it:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                headers = {k.lower(): v for k, v in record.http_headers.headers}
                try:
                    body = record.content_stream().read()
                    record.raw_stream.read()
                    short = getattr(record.raw_stream, "limit", 0)
                    if short:  # warcio returns a shortened body silently when a file is cut
                        raise EOFError(f"record truncated: {short} of {record.length} bytes missing")
                except Exception as exc:
                    if errors is not None:
                        errors.append(WarcReadError(path.name, it.get_record_offset(), str(exc)))
                    return
                status = int(record.http_headers.get_statuscode() or 0)
                yield Page(
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    status=status,
                    headers=headers,
                    body=body,
                    fetched_at=_parse_warc_date(record.rec_headers.get_header("WARC-Date")),
                    warc_file=path.name,
                    warc_record_id=record.rec_headers.get_header("WARC-Record-ID"),
                )
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            if errors is not None:
                errors.append(WarcReadError(path.name, it.get_record_offset(), str(exc)))
