import gzip
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from aznews.fetch.warc import WarcReadError, WarcSink, iter_pages, plan_slices


def test_roundtrip_and_rotation(tmp_path):
    when = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    with WarcSink(tmp_path, max_bytes=1, fsync=False) as sink:  # rotate after every record
        for i in range(3):
            sink.write(
                f"https://apa.az/x/{i}",
                200,
                "OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
                f"<p>səhifə {i}</p>".encode(),
                when,
            )
    assert len(sink.files) == 3
    pages = [p for f in sorted(sink.files) for p in iter_pages(f)]
    assert [p.url for p in pages] == [f"https://apa.az/x/{i}" for i in range(3)]
    assert pages[0].body.decode() == "<p>səhifə 0</p>"
    assert "content-encoding" not in pages[0].headers  # stored body is decoded
    assert pages[0].fetched_at == when


def _cut_warc(directory, n: int):
    """A WARC of ``n`` 5 KB responses, cut into the last one."""
    when = datetime(2026, 11, 1, tzinfo=UTC)
    with WarcSink(directory, fsync=False) as sink:
        for i in range(n):
            sink.write(f"https://apa.az/x/{i}", 200, "OK", [("Content-Type", "text/html")], os.urandom(5000), when)
    path = sink.files[0]
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 3000])
    return path


def test_truncated_file_keeps_earlier_records(tmp_path):
    path = _cut_warc(tmp_path, 3)
    errors: list[WarcReadError] = []
    urls = [p.url for p in iter_pages(path, errors)]
    assert urls == ["https://apa.az/x/0", "https://apa.az/x/1"]
    assert errors and "truncated" in errors[0].reason


def test_slices_cover_every_record_once_in_order(sample_warc):
    whole = [p.warc_record_id for p in iter_pages(sample_warc)]
    for size in (1, 4, 15, 100):
        slices = plan_slices([sample_warc, sample_warc], size)
        assert [s.records for s in slices][: -(-15 // size)] == [min(size, 15 - i) for i in range(0, 15, size)]
        assert [p.warc_record_id for s in slices for p in s.pages()] == whole + whole


def test_slices_stop_before_a_corrupt_tail_and_report_it_once(tmp_path):
    path = _cut_warc(tmp_path, 5)
    errors: list[WarcReadError] = []
    slices = plan_slices([path], 2, errors)
    assert len(errors) == 1 and "truncated" in errors[0].reason
    read_errors: list[WarcReadError] = []
    urls = [p.url for s in slices for p in s.pages(read_errors)]
    assert urls == [f"https://apa.az/x/{i}" for i in range(4)] and not read_errors


def test_sample_is_reproducible(tmp_path, sample_warc):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    script = root / "scripts" / "build_sample.py"
    code = (
        "import sys, runpy; from pathlib import Path;"
        f"sys.argv=['x']; sys.path.insert(0, {str(root / 'scripts')!r});"
        f"import build_sample as b; b.build(Path({str(tmp_path)!r}))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=script.parent)
    assert (tmp_path / "aznews-sample.warc.gz").read_bytes() == sample_warc.read_bytes()


def break_a_record(path: Path, delta: int | None) -> tuple[int, str]:
    """Rewrite a response record past the middle of a per-record-gzip WARC file: its WARC
    Content-Length off by ``delta``, or (None) bytes that are no record. Its offset and URL."""
    with path.open("rb") as fh:
        it = ArchiveIterator(fh)
        offsets = []
        for record in it:
            offsets.append((it.get_record_offset(), record.rec_type))
            record.raw_stream.read()
    data = path.read_bytes()
    k = next(i for i, (_, kind) in enumerate(offsets) if i >= len(offsets) // 2 and kind == "response")
    start, stop = offsets[k][0], offsets[k + 1][0]
    member = gzip.decompress(data[start:stop])
    bad_url = member.split(b"WARC-Target-URI: ")[1].split(b"\r\n")[0].decode()
    if delta is None:
        broken = gzip.compress(b"this is no WARC record\r\n" * 20)
    else:
        head, rest = member.split(b"\r\n\r\n", 1)
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        head = re.sub(rb"Content-Length: \d+", b"Content-Length: %d" % (length + delta), head)
        broken = gzip.compress(head + b"\r\n\r\n" + rest)
    path.write_bytes(data[:start] + broken + data[stop:])
    return start, bad_url


BAD_RECORDS = pytest.mark.parametrize("delta", [5000, -40, None], ids=["length-too-big", "length-too-small", "garbage"])


@BAD_RECORDS
def test_a_bad_record_costs_that_record_and_the_reader_resumes_at_the_next(tmp_path, delta):
    """Each record is its own gzip member: after one it cannot read (a WARC Content-Length too big
    or too small, bytes that are no record), the reader resynchronises at the next member and keeps
    every other record; the bad one is reported once, with its offset, and no slice holds it."""
    sink = WarcSink(tmp_path / "raw", prefix="bad")
    for i in range(20):
        body = f"<html><body><p>Səhifə {i}</p></body></html>".encode()
        sink.write(f"https://apa.az/cemiyyet/{900000 + i}", 200, "OK", [("Content-Type", "text/html")], body,
                   datetime(2026, 11, 20, tzinfo=UTC), record_key=f"r{i}")  # fmt: skip
    sink.close()
    path = sink.files[0]
    start, bad_url = break_a_record(path, delta)
    others = {f"https://apa.az/cemiyyet/{900000 + i}" for i in range(20)} - {bad_url}
    errors: list = []
    urls = [p.url for p in iter_pages(path, errors)]
    assert others <= set(urls) and len(urls) <= 20, urls  # every other record is kept
    assert [e.offset for e in errors] == ([] if len(urls) == 20 else [start]), errors  # read whole, or one drop
    plan_errors: list = []
    slices = plan_slices([path], 4, plan_errors)
    assert [e.offset for e in plan_errors] == [e.offset for e in errors]
    again: list = []
    assert sorted(p.url for s in slices for p in s.pages(again)) == sorted(urls) and again == []
