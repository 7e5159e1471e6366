"""Reading Parquet a batch at a time, with memory that does not grow with the file.

Two defaults of pyarrow 26 make a batch iterator's memory grow with the file it reads:
- ``ParquetFile`` pre-buffers: the iterator reads ahead across row groups (12 MiB of Arrow
  memory while iterating a 2,000-row release file, 32 MiB for a 32,000-row one, same 500-row
  row groups). Without pre-buffering it stays at one batch (12.5 MiB at both sizes).
- Its allocator (mimalloc) keeps the pages of freed batches: reading the text column of a
  32,000-row file in 2,000-row batches took the process from 61 to 180 MiB while Arrow held
  10 MiB. Returning unused pages after each batch (``MemoryPool.release_unused``) keeps it at 99.

Every Parquet file aznews writes (parts, the dedup index, release shards) carries a CRC per page
(``WRITE_OPTIONS``), and every read here verifies them: flipped bytes inside a file are refused
with the file's name (``DamagedFile``), never read as other values.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from aznews.errors import DamagedFile

BATCH = 500  # rows per Parquet write (and per batch read back) in the stages
RERUN = "run the release again: a work file that fails its check is made again from the input"
# for every Parquet writer: zstd, and a CRC in every page header
WRITE_OPTIONS: dict[str, Any] = {"compression": "zstd", "write_page_checksum": True}
_DAMAGE = (pa.ArrowInvalid, OSError)  # pyarrow: not Parquet, cut short, a page failing its CRC


@contextlib.contextmanager
def _named(path: Path, recover: str) -> Iterator[None]:
    """Damage met reading ``path`` (not Parquet, cut short, a page failing its CRC) raises
    ``DamagedFile`` naming the file and ``recover``, the way back; a missing file stays one."""
    try:
        yield
    except FileNotFoundError:
        raise
    except _DAMAGE as exc:
        way_back = f"; {recover}" if recover else ""
        raise DamagedFile(f"{path}: damaged Parquet file ({exc}){way_back}") from None


class _Streamed(pq.ParquetFile):
    def __init__(self, path: Path, recover: str) -> None:
        super().__init__(path, pre_buffer=False, page_checksum_verification=True)
        self.path, self.recover = path, recover

    def iter_batches(self, *args: Any, **kwargs: Any) -> Iterator[pa.RecordBatch]:
        """``ParquetFile.iter_batches``, handing the allocator's unused pages back after each
        batch; a page failing its checksum raises ``DamagedFile``."""
        pool = pa.default_memory_pool()
        batches = super().iter_batches(*args, **kwargs)
        while True:
            with _named(self.path, self.recover):  # around the read only, not the caller's work
                batch = next(batches, None)
            if batch is None:
                return
            yield batch
            pool.release_unused()


def open_parquet(path: Path, recover: str = "") -> pq.ParquetFile:
    """A Parquet file to stream: its batches are read as they are asked for, not ahead, and the
    memory of the batches already read goes back to the system. A file that is not Parquet (cut
    short, overwritten) or a page failing its checksum raises ``DamagedFile`` naming it and
    ``recover``, the way back."""
    with _named(path, recover):
        return _Streamed(path, recover)


def read_table(path: Path, columns: list[str] | None = None, recover: str = "") -> pa.Table:
    """``pq.read_table`` with every page checksum verified; damage raises ``DamagedFile``."""
    with _named(path, recover):
        return pq.read_table(path, columns=columns, page_checksum_verification=True)
