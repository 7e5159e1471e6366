"""Errors every stage may raise about the data directory's files (no heavy imports here)."""

from __future__ import annotations


class DamagedFile(ValueError):
    """A state or release file that cannot be read (cut short, overwritten, garbage); the message
    names the file and how to recover."""
