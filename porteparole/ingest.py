"""Read documents from files, folders, JSON, JSON Lines, HTML and stdin.

``read_sources`` yields a :class:`~porteparole.models.Document` for every article
it can read and a :class:`~porteparole.models.Failure` (with its reason) for every
one it cannot, so that a batch always goes on.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional, Union

from .errors import InputError
from .models import Document, Failure

SUFFIXES = (".txt", ".html", ".htm", ".json", ".jsonl")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
META_FIELDS = ("title", "published", "lang", "url", "source", "author")

Item = Union[Document, Failure]


def read_sources(
    sources: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES, stdin: Optional[BinaryIO] = None
) -> Iterator[Item]:
    """Yield documents (or failures) from paths, folders and ``-`` (stdin)."""
    for source in sources:
        if source == "-":
            stream = stdin or sys.stdin.buffer
            yield from _guard("-", lambda: _read_bytes("-", stream.read(max_bytes + 1), "", max_bytes))
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                yield Failure(source, f"no {'/'.join(SUFFIXES)} files in this folder")
            for f in files:
                yield from read_file(f, max_bytes)
        else:
            yield from read_file(path, max_bytes)


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Yield the documents of one file, or one failure saying why it cannot be read."""
    def load() -> list[Item]:
        if not path.exists():
            raise InputError(str(path), "no such file")
        if path.is_dir():
            raise InputError(str(path), "this is a folder, not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(str(path), f"file is {megabytes(size, 1)}, over the {megabytes(max_bytes)} limit (raise it with --max-size)")
        return _read_bytes(str(path), _read_path(path), path.suffix.lower(), max_bytes, path.stem)
    yield from _guard(str(path), load)


def _read_path(path: Path) -> bytes:
    """The bytes of a file; an unreadable file (permissions, I/O) is an :class:`InputError`."""
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(str(path), f"cannot read this file ({e.strerror or e})") from None


def megabytes(n: int, decimals: int = 0) -> str:
    """A size for a message: ``10 MB``, ``52.4 MB`` (``decimals=1``), ``0.001 MB``."""
    mb = n / 1e6
    return f"{mb:.{decimals}f} MB" if mb >= 1 else f"{mb:.3g} MB"


def _guard(origin: str, load) -> Iterator[Item]:
    try:
        items = load()
    except InputError as e:
        yield Failure(e.source, e.reason)
        return
    yield from items


def _read_bytes(origin: str, data: bytes, suffix: str, max_bytes: int, stem: str = "stdin") -> list[Item]:
    if len(data) > max_bytes:
        raise InputError(origin, f"input is over the {megabytes(max_bytes)} limit (raise it with --max-size)")
    text = decode(origin, data)
    if not suffix:  # stdin: sniff the format
        s = text.lstrip()
        suffix = ".jsonl" if s.startswith("{") and "\n{" in s.strip() else ".json" if s.startswith("{") else (
            ".html" if s[:200].lower().startswith(("<!doctype html", "<html")) else ".txt")
    if suffix == ".json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(origin, f"invalid JSON ({e.msg} at line {e.lineno}); expected an object with a \"text\" field") from None
        return [document_from_object(origin, obj, stem)]
    if suffix == ".jsonl":
        return list(_read_jsonl(origin, text, stem))
    if suffix in (".html", ".htm"):
        return [document_from_html(origin, text, stem)]
    return [Document(id=stem, text=_require_text(origin, text), origin=origin)]


def _read_jsonl(origin: str, text: str, stem: str) -> Iterator[Item]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            yield document_from_object(where, json.loads(line), f"{stem}-{n}")
        except json.JSONDecodeError as e:
            yield Failure(where, f"invalid JSON line ({e.msg})")
        except InputError as e:
            yield Failure(e.source, e.reason)


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Non-ASCII characters of French and English copy typed in Windows-1252: letters, typography, symbols.
WESTERN = frozenset("àâäçéèêëîïôöùûüÿœæñáíóúÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆÑÁÍÓÚ"
                    "«»‘’‚“”„…–—•·\u00a0°€£©®™§²³")
BINARY = "binary file, not text (give .txt, .html, .json or .jsonl)"


def decode(origin: str, data: bytes) -> str:
    """Decode bytes as text: UTF-8 (with or without BOM), else Windows-1252 when the bytes
    read as French or English copy, else the encoding charset-normalizer detects.

    Raises :class:`InputError` for empty or binary input.
    """
    if not data.strip():
        raise InputError(origin, "empty file: nothing to read")
    head = data[:8192]
    if b"\x00" in head and not head.startswith(UTF16_BOMS):
        raise InputError(origin, BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = None if head.startswith(UTF16_BOMS) else as_western(data)
    if text is None:
        text = _detect(origin, data)
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\r\n\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise InputError(origin, BINARY)
    return text


def as_western(data: bytes) -> Optional[str]:
    """``data`` as Windows-1252 (a superset of Latin-1) if it reads as French or English text.

    Short texts fool statistical detectors (French read as Central European ``cp1250``
    turns « œuvre » into « śuvre »), so the usual legacy encoding of French copy is tried
    first: every non-ASCII character must be a French letter, typographic mark or common
    symbol, and at most half of the letters may be non-ASCII (Cyrillic or Greek bytes
    read as Latin-1 are nearly all accented letters).
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    other = [c for c in text if ord(c) > 127]
    if any(c not in WESTERN for c in other):
        return None
    letters = sum(1 for c in text if c.isalpha())
    return text if sum(1 for c in other if c.isalpha()) <= 0.5 * letters else None


def _detect(origin: str, data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(origin, "not valid UTF-8 and no text encoding could be detected; convert it to UTF-8")
    return str(best)


def document_from_object(origin: str, obj: object, default_id: str) -> Document:
    """Build a document from a JSON object with ``text`` and optional metadata."""
    if not isinstance(obj, dict):
        raise InputError(origin, "JSON input must be an object with a \"text\" field")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(origin, "JSON object has no \"text\" string field")
    meta = {k: (str(obj[k]) if obj.get(k) is not None else None) for k in META_FIELDS}
    doc_id = obj.get("id")
    return Document(id=str(doc_id) if doc_id is not None else default_id,
                    text=_require_text(origin, text), origin=origin, **meta)


def document_from_html(origin: str, html: str, default_id: str, url: Optional[str] = None) -> Document:
    """Extract the main text and metadata of an HTML page with trafilatura.

    ``url``, when the page was fetched from one, helps trafilatura with the site name
    and the date; the document's ``url`` is the page's own canonical URL, else ``url``.
    """
    import trafilatura

    extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                            favor_precision=True)
    if extracted is None:
        raise InputError(origin, "no article text found in this HTML page")
    data = extracted if isinstance(extracted, dict) else extracted.as_dict()
    body = (data.get("text") or "").strip()
    if not body:
        raise InputError(origin, "no article text found in this HTML page")
    title = data.get("title")
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    return Document(id=default_id, text=text, title=title, published=data.get("date"),
                    url=data.get("url") or url, source=data.get("sitename") or data.get("hostname"), origin=origin,
                    author=data.get("author"))


def _require_text(origin: str, text: str) -> str:
    if not text.strip():
        raise InputError(origin, "no text in this document")
    return text
