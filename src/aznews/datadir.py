"""One writer per data directory. The data dir is the corpus: releases, manifests, the dedup index
and the ledgers that every later release is built on. Two runs writing it at once lose a month
(one builds on a release the other has not finished) or delete each other's files, so a run that
writes it holds an exclusive lock on ``<data dir>/.lock`` for its whole length; a second one
refuses in one line naming the holder. The lock is the kernel's (``flock``): it goes with the
process that held it, ``kill -9`` included, so a stale lock file of a dead run is taken over
safely, and its content (pid, host, command, since) is only what the refusal quotes."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import socket
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aznews import clock
from aznews.errors import DamagedFile

LOCK_NAME = ".lock"
_HELD: dict[Path, int] = {}  # data dir -> depth, in this process (a backfill's months nest in it)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex), read in blocks."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def open_state_db(path: Path, schema: str, **connect: Any) -> sqlite3.Connection:
    """A state database of the data dir (WAL, autocommit) with ``schema`` applied, checked before
    it is trusted (``PRAGMA quick_check``): a garbage, cut or damaged file raises ``DamagedFile``
    naming it and the way back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite3.connect(path, isolation_level=None, **connect)
        if (verdict := db.execute("PRAGMA quick_check").fetchone()[0]) != "ok":
            db.close()
            raise sqlite3.DatabaseError(f"quick_check: {verdict}")
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(schema)
    except sqlite3.DatabaseError as exc:
        raise DamagedFile(
            f"{path}: not a readable SQLite database ({exc}); move it aside to start this state afresh"
        ) from None
    return db


class DataDirBusy(RuntimeError):
    """Another run holds the data directory."""


def _holder(path: Path) -> str:
    with contextlib.suppress(OSError, ValueError):
        info = json.loads(path.read_text(encoding="utf-8"))
        return (f"pid {info['pid']} on {info['host']} since {info['since']} "
                f"({' '.join(info['command'])[:200]})")  # fmt: skip
    return "another process"


@contextlib.contextmanager
def data_dir_lock(data_dir: Path, command: list[str] | None = None) -> Iterator[None]:
    """Hold ``data_dir`` for one writer (re-entrant within this process)."""
    root = Path(data_dir).resolve()
    if _HELD.get(root):
        _HELD[root] += 1
        try:
            yield
        finally:
            _HELD[root] -= 1
        return
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataDirBusy(
                f"data dir {root} is in use by {_holder(path)}; one run at a time writes a data dir: "
                "wait for it to end, or stop it"
            ) from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "since": clock.now().isoformat(timespec="seconds"),
                "command": command or sys.argv}  # fmt: skip
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        _HELD[root] = 1
        try:
            yield
        finally:
            _HELD.pop(root, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
