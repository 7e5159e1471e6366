"""Text normalisation shared by every stage that compares or hashes text.

Python's ``str.lower`` is wrong for Azerbaijani: ``"İ".lower()`` gives ``"i̇"`` (i + combining dot)
and ``"I".lower()`` gives ``"i"`` where Azerbaijani wants ``"ı"``. ``fold`` does it right.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import ftfy

# Zero-width and bidi controls, soft hyphen, BOM; other C0/C1 controls except \n and \t.
_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_SPACES = re.compile(r"[^\S\n]+")
_BLANKS = re.compile(r"\n\s*\n+")
# Mojibake (UTF-8 read as cp1252/latin-1) marks: 'É™' is 'ə', 'Ã¼' is 'ü', 'Ä±' is 'ı' ...
_MOJIBAKE_HINT = re.compile("[ÂÃÄÅÆÉÐÑ][\u0080-\u02ff\u2000-\u22ff]")
_MOJIBAKE_WORD = re.compile("[^\\s<>]*[ÂÃÄÅÆÉÐÑ][\u0080-\u02ff\u2000-\u22ff][^\\s<>]*")


def fold(text: str) -> str:
    """Turkic-aware case fold: İ->i, I->ı, then the ordinary lower case, NFC."""
    text = text.replace("İ", "i").replace("I", "ı").lower()  # replace() is 30x faster than translate()
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def repair(text: str) -> str:
    """NFC, mojibake repair, invisible/control characters removed (newlines kept)."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, normalization="NFC")
        # ftfy leaves a line alone when mojibake sits beside correct text ("GÉ™ncÉ™ ... əsrə"):
        # UTF-8 sequences never span a space, so mend what is left word by word.
        if _MOJIBAKE_HINT.search(text):
            text = _MOJIBAKE_WORD.sub(lambda m: ftfy.fix_encoding(m.group()), text)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def clean_paragraphs(paragraphs: list[str]) -> str:
    """Join paragraphs with a blank line, whitespace in each collapsed, empty ones dropped."""
    out = []
    for para in paragraphs:
        para = _SPACES.sub(" ", para).strip()
        if para:
            out.append(para)
    return "\n\n".join(out)


def normalize_whitespace(text: str) -> str:
    """Collapse runs of spaces, keep paragraphs separated by exactly one blank line."""
    return clean_paragraphs(_BLANKS.sub("\n", text).split("\n"))


def comparison_key(text: str) -> str:
    """The form used for exact-duplicate hashing: folded, punctuation-insensitive spacing."""
    return " ".join(re.findall(r"\w+", fold(text)))


def text_sha1(text: str) -> str:
    return hashlib.sha1(comparison_key(text).encode("utf-8")).hexdigest()


WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")


def words(text: str) -> list[str]:
    """Folded word tokens."""
    return WORD_RE.findall(fold(text))
