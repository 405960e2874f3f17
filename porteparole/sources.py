"""Turn any source into documents: files and folders, web pages, feeds, web archives.

:func:`iter_documents` takes what a user typed after ``porteparole ingest`` and yields
a :class:`~porteparole.models.Document` for every article it can read and a
:class:`~porteparole.models.Failure` (origin and reason) for everything it cannot.
Nothing raises out of it for a bad source or a bad item: the stream goes on.

A source is

- a path: ``.txt .html .htm .json .jsonl`` files (read by
  :func:`porteparole.ingest.read_sources`), a feed file (``.rss .atom .xml``, or a
  ``.json`` that is a JSON Feed), a web archive (``.warc .warc.gz .arc .arc.gz``), or a
  folder of any of these; ``-`` reads stdin;
- an ``http://`` or ``https://`` URL of an article or of a feed (fetched by
  :class:`porteparole.fetch.Fetcher`, the only network access of porteparole);
- every line of a URL list (``urls_file``: blank lines and ``#`` comments skipped).

HTML goes through trafilatura (:func:`porteparole.ingest.document_from_html`): the
document's text is what the extractor read, so every offset into it is valid.  Feed
items with their full content (``content:encoded``, Atom ``content``, JSON Feed
``content_html``/``content_text``) become documents directly (HTML turned into text,
one paragraph a line); the others are fetched from their link.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union
from urllib.parse import unquote, urljoin, urlsplit

from .errors import FetchError, InputError
from .fetch import FEED_TYPES, HTML_TYPES, UNKNOWN_TYPES, FetchConfig, Fetched, Fetcher
from .ingest import DEFAULT_MAX_BYTES, SUFFIXES, decode, document_from_html, megabytes, read_sources
from .models import Document, Failure

__all__ = ["iter_documents", "document_id", "html_to_text", "looks_like_index", "parse_feed", "Feed", "FeedItem",
           "FeedError", "NOT_AN_ARTICLE"]

Item = Union[Document, Failure]

FEED_SUFFIXES = (".rss", ".atom", ".xml")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
NOT_AN_ARTICLE = "not an article (looks like a home or index page)"
MIN_CONTENT_CHARS = 200   # feed content shorter than this is a teaser: the item's page is fetched instead

_URL = re.compile(r"^https?://", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_DOMAIN_LIKE = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)*\.[a-z]{2,}(/|$)", re.I)


def iter_documents(specs: Iterable[str], urls_file: Optional[str] = None, fetch: Optional[FetchConfig] = None,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Yield a document or a failure for every article of every source, in order.

    ``fetch`` configures the network (the fetcher is only created when a URL has to be
    fetched); ``max_bytes`` caps local files, feed files and each web-archive record.
    """
    run = _Run(fetch or FetchConfig(), max_bytes)
    try:
        for spec in specs:
            yield from run.guard(spec, run.spec(spec))
        if urls_file is not None:
            yield from run.guard(urls_file, run.url_list(urls_file))
    finally:
        run.close()


def web_archive_items(archive, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """The documents (and failures, with their reasons) of one web archive, exactly as ``ingest`` reads it.

    ``archive``: a path, or any object with the path-like interface the WARC reader uses
    (``is_file``, ``exists``, ``open``, ``name``), e.g. a file's bytes from a cluster's storage."""
    return _Run(FetchConfig(), max_bytes).warc(archive)


class _Run:
    """One pass over the sources, with its (lazily opened) fetcher."""

    def __init__(self, config: FetchConfig, max_bytes: int) -> None:
        self.config = config
        self.max_bytes = max_bytes
        self._fetcher: Optional[Fetcher] = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.config)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    @staticmethod
    def guard(origin: str, items: Iterator[Item]) -> Iterator[Item]:
        """The items of one source; an unexpected error ends that source with a failure, not the batch."""
        try:
            yield from items
        except Exception as e:  # a bug or a library's surprise: report it, go on with the next source
            yield Failure(origin, _unexpected(e))

    # -- dispatch -------------------------------------------------------------------

    def spec(self, spec: str) -> Iterator[Item]:
        if _URL.match(spec):
            yield from self.url(spec, allow_feed=True)
        elif _SCHEME.match(spec):
            yield Failure(spec, "unsupported URL scheme: give an http:// or https:// URL, or a path")
        elif spec == "-":
            yield from read_sources(["-"], self.max_bytes)
        elif Path(spec).is_dir():
            yield from self.folder(Path(spec))
        else:
            yield from self.file(Path(spec))

    def folder(self, path: Path) -> Iterator[Item]:
        files = sorted(p for p in path.rglob("*") if p.is_file() and _known_suffix(p))
        if not files:
            kinds = "/".join(SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES)
            yield Failure(str(path), f"no {kinds} files in this folder")
        for f in files:
            yield from self.guard(str(f), self.file(f))

    def file(self, path: Path) -> Iterator[Item]:
        name = path.name.lower()
        if name.endswith(WARC_SUFFIXES):
            yield from self.warc(path)
            return
        if name.endswith(FEED_SUFFIXES):
            yield from self.feed_file(path)
            return
        if name.endswith(".json") and path.is_file():
            feed = _json_feed_of_file(path, self.max_bytes)
            if feed is not None:
                yield from self.feed_items(str(path), feed, base_url=None)
                return
        for item in read_sources([str(path)], self.max_bytes):
            if isinstance(item, Failure) and item.reason == "no such file" and _DOMAIN_LIKE.match(str(path)):
                item = Failure(item.origin, "no such file (for a web page, give its http:// or https:// URL)")
            elif isinstance(item, Document) and name.endswith((".html", ".htm")) and _index_file(path, item.text):
                item = Failure(item.origin, NOT_AN_ARTICLE)
            yield item

    def url_list(self, urls_file: str) -> Iterator[Item]:
        try:
            data = Path(urls_file).read_bytes()
        except OSError as e:
            yield Failure(urls_file, f"cannot read this list of URLs ({e.strerror or e})")
            return
        try:
            text = decode(urls_file, data)
        except InputError as e:
            yield Failure(urls_file, e.reason)
            return
        for n, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not _URL.match(line):
                yield Failure(f"{urls_file}:{n}", f"not an http:// or https:// URL: {line[:200]}")
                continue
            yield from self.guard(line, self.url(line, allow_feed=True))

    # -- the web --------------------------------------------------------------------

    def url(self, url: str, allow_feed: bool, published: Optional[str] = None,
            source: Optional[str] = None) -> Iterator[Item]:
        """Fetch ``url``: an article becomes a document, a feed (when allowed) its items."""
        accept = HTML_TYPES | FEED_TYPES if allow_feed else HTML_TYPES
        try:
            page = self.fetcher.get(url, accept=accept)
        except FetchError as e:
            yield Failure(url, e.reason)
            return
        kind = _kind_of(page)
        if kind == "feed" and allow_feed:
            try:
                feed = parse_feed(page.body)
            except FeedError as e:
                yield Failure(url, e.reason)
                return
            yield from self.feed_items(url, feed, base_url=page.url)
        elif kind == "html":
            yield self.page(url, page.url, page.body, page.charset, published, source)
        else:
            yield Failure(url, f"not HTML ({page.content_type or 'no content type, and the body is not HTML'})")

    def page(self, origin: str, url: str, body: bytes, charset: Optional[str], published: Optional[str] = None,
             source: Optional[str] = None) -> Item:
        """The document of one HTML page (fetched, or from a web archive), or why there is none."""
        try:
            html = decode_html(origin, body, charset)
        except InputError as e:
            return Failure(origin, e.reason)
        try:
            doc = document_from_html(origin, html, document_id(url), url=url)
        except InputError as e:
            return Failure(origin, NOT_AN_ARTICLE if _link_count(html) >= 10 else e.reason)
        if looks_like_index(html, doc.text):
            return Failure(origin, NOT_AN_ARTICLE)
        return replace(doc, id=document_id(url), url=url, origin=origin,
                       published=published or doc.published,
                       source=doc.source or source or _hostname(url))

    # -- feeds ----------------------------------------------------------------------

    def feed_file(self, path: Path) -> Iterator[Item]:
        data = _read_capped(path, self.max_bytes)
        if isinstance(data, Failure):
            yield data
            return
        try:
            feed = parse_feed(data)
        except FeedError as e:
            yield Failure(str(path), e.reason)
            return
        yield from self.feed_items(str(path), feed, base_url=None)

    def feed_items(self, origin: str, feed: "Feed", base_url: Optional[str]) -> Iterator[Item]:
        if not feed.items:
            yield Failure(origin, "feed has no items")
            return
        for n, item in enumerate(feed.items, 1):
            where = f"{origin}#{n}"
            yield from self.guard(where, self.feed_item(where, feed, item, base_url))

    def feed_item(self, where: str, feed: "Feed", item: "FeedItem", base_url: Optional[str]) -> Iterator[Item]:
        link = _absolute(item.link, base_url or feed.link)
        published = iso_date(item.published)
        site = feed.title or (_hostname(link) if link else None)
        body = ""
        if item.content:
            body = html_to_text(item.content) if item.content_is_html else _clean_text(item.content)
        if not body and not link and item.summary:
            body = html_to_text(item.summary) if item.summary_is_html else _clean_text(item.summary)
        if body and (len(body) >= MIN_CONTENT_CHARS or not link):
            title = _clean_text(item.title) or None
            text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
            yield Document(id=document_id(link or item.guid or where), text=text, title=title,
                           published=published, url=link, source=site, origin=where)
        elif link:
            yield from self.url(link, allow_feed=False, published=published, source=site)
        elif item.link:
            yield Failure(where, f"the item's link is not an http(s) URL ({item.link[:200]}) and it has no content")
        else:
            yield Failure(where, "feed item has neither content nor a link to its page")

    # -- web archives ---------------------------------------------------------------

    def warc(self, path: Path) -> Iterator[Item]:
        if not path.is_file():
            yield Failure(str(path), "no such file" if not path.exists() else "this is not a file")
            return
        problem = _not_a_web_archive(path)
        if problem:
            yield Failure(str(path), problem)
            return
        n = 0
        try:
            with path.open("rb") as fh:
                for n, record in enumerate(_archive_records(fh), 1):
                    if record.rec_type != "response":
                        continue  # request, metadata, warcinfo, revisit…: not pages
                    where = f"{path}#{n}"
                    try:
                        yield self.warc_record(where, record)
                    except Exception as e:
                        yield Failure(where, _unexpected(e))
        except Exception as e:  # not a WARC at all, or damaged after record n
            what = "not a readable WARC/ARC file" if n == 0 else f"damaged web archive after record {n}"
            yield Failure(str(path), f"{what} ({_short(e)})")
            return
        if n == 0:
            yield Failure(str(path), "empty web archive: no records")

    def warc_record(self, where: str, record) -> Item:
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        http = record.http_headers
        if http is None:
            return Failure(where, f"response record without HTTP headers: {uri}")
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            return Failure(where, f"HTTP {http.statusline or status} answer, not a page: {uri}")
        header = http.get_header("Content-Type") or ""
        media = header.split(";")[0].strip().lower()
        if media not in HTML_TYPES:
            return Failure(where, f"not HTML ({media or 'no content type'}): {uri}")
        body = record.content_stream().read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            return Failure(where, f"record is over the {megabytes(self.max_bytes)} limit (raise it with --max-size): {uri}")
        if getattr(record.raw_stream, "limit", 0) > 0:  # the file ended inside this record
            return Failure(where, f"record is cut short (damaged web archive): {uri}")
        charset = _charset_of(header)
        published = iso_date(record.rec_headers.get_header("WARC-Date"))
        item = self.page(where, uri, body, charset)
        if isinstance(item, Document) and not item.published and published:
            item = replace(item, published=published)
        return item


def _not_a_web_archive(path: Path) -> Optional[str]:
    """Why ``path`` is not a WARC or ARC file (warcio reads almost anything as ARC), or ``None``."""
    import gzip
    import zlib

    try:
        with path.open("rb") as fh:
            head = fh.read(2)
            fh.seek(0)
            if head == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=fh) as gz:
                    head = gz.read(16)
            else:
                head = fh.read(16)
    except (OSError, EOFError, zlib.error) as e:
        return f"not a readable WARC/ARC file ({_short(e)})"
    if not head:
        return "empty web archive: no records"
    if head.startswith((b"WARC/", b"filedesc://")):
        return None
    return f"not a readable WARC/ARC file (it starts with {head[:16]!r}, not WARC/ or filedesc://)"


def _archive_records(fh):
    """warcio's ArchiveIterator (ARC records read as WARC), without the warnings it writes
    straight to stderr."""
    from warcio.archiveiterator import ArchiveIterator

    class Quiet(ArchiveIterator):
        INC_RECORD = ""

    return Quiet(fh, arc2warc=True)


# -- feeds ------------------------------------------------------------------------


class FeedError(Exception):
    """The bytes are not a feed porteparole can read (the reason says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FeedItem:
    """One item of a feed, as given (nothing resolved or fetched)."""

    __slots__ = ("title", "link", "guid", "published", "content", "content_is_html", "summary", "summary_is_html")

    def __init__(self, title: str = "", link: str = "", guid: str = "", published: str = "",
                 content: str = "", content_is_html: bool = True, summary: str = "", summary_is_html: bool = True) -> None:
        self.title, self.link, self.guid, self.published = title, link, guid, published
        self.content, self.content_is_html = content, content_is_html
        self.summary, self.summary_is_html = summary, summary_is_html

    def __repr__(self) -> str:
        return f"FeedItem(title={self.title!r}, link={self.link!r}, content={len(self.content)} chars)"


class Feed:
    """A parsed feed: its title, its site link and its items."""

    __slots__ = ("kind", "title", "link", "items")

    def __init__(self, kind: str, title: str, link: str, items: list[FeedItem]) -> None:
        self.kind, self.title, self.link, self.items = kind, title, link, items


_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def parse_feed(data: Union[bytes, dict]) -> Feed:
    """Parse an RSS 2.0 / RSS 1.0 (RDF) / Atom / JSON Feed document (bytes, or a JSON object).

    XML is parsed with defusedxml: entity declarations (XML bombs) and external
    references are refused.  Raises :class:`FeedError` with the reason.
    """
    if isinstance(data, dict):
        return _json_feed(data)
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        try:
            obj = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise FeedError(f"invalid JSON ({e})") from None
        if not _is_json_feed(obj):
            raise FeedError("JSON, but not a JSON Feed (no \"version\": \"https://jsonfeed.org/version/…\")")
        return _json_feed(obj)
    return _xml_feed(data)


def _xml_feed(data: bytes) -> Feed:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if not data.strip():
        raise FeedError("empty feed: nothing to read")
    try:
        root = fromstring(data)
    except DefusedXmlException:
        raise FeedError("refused: the feed declares XML entities or external references (a possible XML bomb)") from None
    except ParseError as e:
        raise FeedError(f"not a valid RSS or Atom feed (XML error: {e})") from None
    tag = root.tag
    if tag == "rss" or tag.endswith("}rss"):
        channel = root.find("channel")
        if channel is None:
            channel = root
        items = [_rss_item(el, "") for el in channel.findall("item")]
        return Feed("rss", _text(channel.find("title")), _text(channel.find("link")), items)
    if tag == _RDF + "RDF":
        channel = root.find(_RSS1 + "channel")
        items = [_rss_item(el, _RSS1) for el in root.findall(_RSS1 + "item")]
        title = _text(channel.find(_RSS1 + "title")) if channel is not None else ""
        link = _text(channel.find(_RSS1 + "link")) if channel is not None else ""
        return Feed("rss1", title, link, items)
    if tag == _ATOM + "feed":
        title, _ = _atom_text(root.find(_ATOM + "title"))
        items = [_atom_entry(el) for el in root.findall(_ATOM + "entry")]
        return Feed("atom", _clean_text(html_to_text(title)), _atom_link(root), items)
    local = tag.split("}")[-1]
    raise FeedError(f"not an RSS, Atom or JSON feed (the document is <{local}>)")


def _text(el) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


def _rss_item(el, ns: str) -> FeedItem:
    link = _text(el.find(ns + "link"))
    guid_el = el.find("guid")
    guid = _text(guid_el)
    if not link and guid and _URL.match(guid) and (guid_el.get("isPermaLink") or "true").lower() != "false":
        link = guid
    if not link:
        atom_link = _atom_link(el)
        link = atom_link or link
    return FeedItem(
        title=_text(el.find(ns + "title")), link=link, guid=guid,
        published=_text(el.find("pubDate")) or _text(el.find(_DC + "date")),
        content=_text(el.find(_CONTENT + "encoded")), content_is_html=True,
        summary=_text(el.find(ns + "description")), summary_is_html=True,
    )


def _atom_link(el) -> str:
    for link in el.findall(_ATOM + "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href").strip()
    return ""


def _atom_text(el) -> tuple[str, bool]:
    """The text of an Atom text construct and whether it is HTML ("" when out of line)."""
    if el is None or el.get("src"):
        return "", False
    kind = (el.get("type") or "text").lower()
    if kind == "xhtml":
        from xml.etree.ElementTree import tostring

        parts = []
        for child in el:
            for sub in child.iter():
                if isinstance(sub.tag, str):
                    sub.tag = sub.tag.split("}")[-1]  # <html:p> -> <p>
            parts.append(tostring(child, encoding="unicode"))
        return "".join(parts), True
    if kind in ("html", "text/html", "application/xhtml+xml"):
        return el.text or "", True
    if kind == "text" or kind.startswith("text/"):
        return el.text or "", False
    return "", False  # base64 media: nothing to read


def _atom_entry(el) -> FeedItem:
    content, content_html = _atom_text(el.find(_ATOM + "content"))
    summary, summary_html = _atom_text(el.find(_ATOM + "summary"))
    title, title_html = _atom_text(el.find(_ATOM + "title"))
    return FeedItem(
        title=html_to_text(title) if title_html else title, link=_atom_link(el), guid=_text(el.find(_ATOM + "id")),
        published=_text(el.find(_ATOM + "published")) or _text(el.find(_ATOM + "updated")),
        content=content, content_is_html=content_html, summary=summary, summary_is_html=summary_html,
    )


def _is_json_feed(obj: object) -> bool:
    version = obj.get("version") if isinstance(obj, dict) else None
    return isinstance(version, str) and "jsonfeed.org/version/" in version


def _json_feed(obj: dict) -> Feed:
    items = obj.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed without an \"items\" list")

    def s(d: dict, key: str) -> str:
        v = d.get(key)
        return v.strip() if isinstance(v, str) else ""

    out = []
    for it in items:
        if not isinstance(it, dict):
            out.append(FeedItem())  # reported as an item with neither content nor link
            continue
        html, text = s(it, "content_html"), s(it, "content_text")
        out.append(FeedItem(
            title=s(it, "title"), link=s(it, "url") or s(it, "external_url"),
            guid=str(it.get("id")) if it.get("id") is not None else "",
            published=s(it, "date_published") or s(it, "date_modified"),
            content=html or text, content_is_html=bool(html), summary=s(it, "summary"), summary_is_html=False,
        ))
    return Feed("json", s(obj, "title"), s(obj, "home_page_url"), out)


def _json_feed_of_file(path: Path, max_bytes: int) -> Optional[Feed]:
    """The JSON Feed in a ``.json`` file, or ``None`` when it is anything else (an article…)."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        obj = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None
    if not _is_json_feed(obj):
        return None
    try:
        return _json_feed(obj)
    except FeedError:
        return Feed("json", "", "", [])


# -- HTML -------------------------------------------------------------------------

_BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "section", "article", "header", "footer", "figure", "figcaption", "hr", "aside", "main",
    "address", "center", "details", "summary", "body",
})
_SKIP = frozenset({"script", "style", "noscript", "iframe", "object", "embed", "form", "button", "select",
                   "textarea", "svg", "template", "head", "title", "math", "audio", "video", "canvas"})


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed content): one paragraph a line, spaces collapsed."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment and "&" not in fragment:
        return _clean_text(fragment)
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(f"<div>{fragment}</div>")
    except (etree.ParserError, ValueError):
        return _clean_text(fragment)
    parts: list[str] = []
    pre = 0  # inside <pre>, line breaks are kept

    def inline(s: Optional[str]) -> None:
        if s:
            parts.append(s if pre else _BREAKS.sub(" ", s))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP or not isinstance(el.tag, str):  # comments, processing instructions
                walker.skip_subtree()
                continue
            if tag in _BLOCKS:
                parts.append("\n")
            pre += tag == "pre"
            inline(el.text)
        else:
            if tag in _BLOCKS:
                parts.append("\n")
            pre -= tag == "pre"
            if el is not root:
                inline(el.tail)
    return _clean_text("".join(parts))


_BREAKS = re.compile(r"[ \t\r\n\f\v]+")
_SPACES = re.compile(r"[ \t\f\v]+")


def _clean_text(text: str) -> str:
    """One paragraph a line: runs of spaces collapsed, blank lines dropped (no-break spaces kept)."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def decode_html(origin: str, body: bytes, charset: Optional[str] = None) -> str:
    """Decode an HTML page: UTF-8, else the declared charset (HTTP header or ``<meta>``),
    else :func:`porteparole.ingest.decode` (which refuses empty and binary bodies)."""
    if not body.strip():
        raise InputError(origin, "empty page: nothing to read")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", body[:4096], re.I)
    for name in (charset, m.group(1).decode("ascii", "replace") if m else None):
        if name:
            try:
                return body.decode(name)
            except (LookupError, UnicodeDecodeError):
                continue
    return decode(origin, body)


def looks_like_index(html: str, text: str) -> bool:
    """Whether a page whose main text trafilatura read as ``text`` is a home or index page
    (a list of teasers or of links) rather than one article.

    Two signs, either enough: (1) most of the main text is teasers: short paragraphs (whole
    lines of ``text``) each sitting in a small box with a headline link (3 words or more)
    to a page, with at least three different pages linked; (2) most of the main text is
    lines that are whole link texts (a link list), five lines or more.
    """
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return False
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    lines = [_norm(line) for line in text.split("\n")[1:]]  # without the title line
    lines = [line for line in lines if line]
    body = sum(map(len, lines))
    if not body:
        return False
    paragraphs = set(lines)
    elements = list(tree.iter())
    size: dict = {}  # raw text length of every element's subtree, computed once, bottom-up
    for el in reversed(elements):
        own = len(el.text or "") if isinstance(el.tag, str) else 0
        size[el] = own + sum(size[c] + len(c.tail or "") for c in el)
    teaser_chars, targets, seen = 0, set(), set()
    for el in elements:
        if not isinstance(el.tag, str) or el.tag not in _TEASER_BOXES or size[el] > 4000:
            continue
        t = _norm(el.text_content())
        if not 60 <= len(t) <= 800 or t in seen or t not in paragraphs:
            continue
        if any(isinstance(d.tag, str) and d.tag in _BLOCKS and len(_norm(d.text_content())) > 0.5 * len(t)
               for d in el.iterdescendants()):
            continue  # not a paragraph: its text is in a block inside it
        seen.add(t)
        target = _headline_link(el, size)
        if target:
            targets.add(target)
            teaser_chars += len(t)
    if len(targets) >= 3 and teaser_chars >= 0.5 * body:
        return True
    anchors = {_norm(a.text_content()) for a in tree.iter("a")}
    linked = [line for line in (line.lstrip("-•*·» ").strip() for line in lines) if line and line in anchors]
    return len(linked) >= 5 and sum(map(len, linked)) >= 0.5 * body


_TEASER_BOXES = _BLOCKS | {"td", "span"}


def _headline_link(el, size: dict) -> Optional[str]:
    """The target of a headline link next to paragraph ``el`` in a small box, if any."""
    own = {id(a) for a in el.iter("a")}
    box = el.getparent()
    for _ in range(3):
        if box is None or size[box] > 3 * size[el] + 200:
            return None
        for a in box.iter("a"):
            if id(a) not in own and a.get("href") and len(_norm(a.text_content()).split()) >= 3:
                return a.get("href")
        box = box.getparent()
    return None


def _index_file(path: Path, text: str) -> bool:
    """Whether the saved HTML page ``path``, read as ``text``, is a home or index page."""
    try:
        return looks_like_index(decode(str(path), path.read_bytes()), text)
    except (OSError, InputError):
        return False


def _link_count(html: str) -> int:
    return len(re.findall(r"<a\s[^>]*href", html, re.I))


def _norm(s: str) -> str:
    return " ".join(s.split())


# -- small helpers ----------------------------------------------------------------


def document_id(url: str) -> str:
    """A stable, readable id for the article at ``url`` (or any other key, a feed guid…):
    the last part of its path, then 10 hex digits of its SHA-1, e.g.
    ``iran-to-vote-or-not-to-vote-5d41402abc``."""
    digest = hashlib.sha1(url.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    parts = urlsplit(url) if _URL.match(url) else None
    words = ""
    if parts is not None:
        segments = [s for s in unquote(parts.path).split("/") if s]
        last = segments[-1] if segments else (parts.hostname or "")
        last = re.sub(r"\.(s?html?|php|aspx?|jsp)$", "", last, flags=re.I)
        words = re.sub(r"[^\w]+", "-", last.lower()).strip("-_")[:60].strip("-_")
    return f"{words}-{digest}" if words else digest


def iso_date(raw: Optional[str]) -> Optional[str]:
    """``YYYY-MM-DD`` from an ISO 8601 / RFC 3339 or an RFC 822 date (feeds, WARC-Date)."""
    if not raw or not raw.strip():
        return None
    raw = raw.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", raw)
    if m:
        import datetime as dt

        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _kind_of(page: Fetched) -> str:
    """"html", "feed" or "other", from the media type, and from the body when it is vague."""
    media = page.content_type
    head = page.body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if media in HTML_TYPES:
        return "html"
    looks_html = head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<html" in head)
    looks_feed = (head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and not looks_html) or head.startswith(b"{")
    if media in FEED_TYPES or media in UNKNOWN_TYPES:
        if looks_html:
            return "html"
        if looks_feed:
            return "feed"
    return "other"


def _absolute(link: str, base: Optional[str]) -> Optional[str]:
    if not link:
        return None
    if base and _URL.match(base):
        link = urljoin(base, link)
    return link if _URL.match(link) else None


def _hostname(url: str) -> Optional[str]:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _charset_of(content_type: str) -> Optional[str]:
    m = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.I)
    return m.group(1) if m else None


def _read_capped(path: Path, max_bytes: int) -> Union[bytes, Failure]:
    try:
        if not path.exists():
            return Failure(str(path), "no such file")
        size = path.stat().st_size
        if size > max_bytes:
            return Failure(str(path), f"file is {megabytes(size, 1)}, over the {megabytes(max_bytes)} limit "
                                      "(raise it with --max-size)")
        return path.read_bytes()
    except OSError as e:
        return Failure(str(path), f"cannot read this file ({e.strerror or e})")


def _known_suffix(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES)


def _short(e: Exception) -> str:
    text = " ".join(str(e).split())
    return (text[:200] + "…") if len(text) > 200 else (text or e.__class__.__name__)


def _unexpected(e: Exception) -> str:
    return f"unexpected error ({e.__class__.__name__}: {_short(e)}); please report it"
