"""Every kind of source becomes documents (or failures with their reason), against a real
HTTP server on 127.0.0.1 (tests/conftest_web.py) and web archives built in tmp_path."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from conftest_web import ATOM_FEED, GV_FEED, HTML, PNG, bare_web, no_outside_network, web  # noqa: F401 (fixtures)
from porteparole import sources
from porteparole.fetch import FetchConfig
from porteparole.ingest import document_from_html
from porteparole.models import Document, Failure
from porteparole.sources import (NOT_AN_ARTICLE, document_id, html_to_text, iso_date, iter_documents,
                                 looks_like_index, parse_feed, FeedError)

FAST = FetchConfig(timeout=2.0, delay=0.0, retries=0, backoff=0.01)
GV1 = (HTML / "index_1.html").read_text(encoding="utf-8")
GV3 = (HTML / "index_3.html").read_text(encoding="utf-8")
HOME = (HTML / "home.html").read_text(encoding="utf-8")


def run(specs, **kw) -> list:
    return list(iter_documents(specs, fetch=kw.pop("fetch", FAST), **kw))


def docs(items) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def failures(items) -> list[Failure]:
    return [i for i in items if isinstance(i, Failure)]


# -- web pages ------------------------------------------------------------------------


def test_article_url(web):
    url = web.url("/gv/index_3.html")
    [doc] = run([url])
    assert isinstance(doc, Document)
    assert doc.origin == url and doc.url == url
    assert doc.id == document_id(url) and doc.id.startswith("index_3-")
    assert "One of the main topics during any Iranian presidential election" in doc.text
    assert doc.published == "2009-06-10"
    assert doc.source.startswith("127.0.0.1")  # trafilatura: the host name (here with its port)
    # the stored text is exactly what the extractor read: offsets stay valid
    assert doc.text == document_from_html(url, GV3, doc.id, url=url).text


def test_ids_are_stable(web):
    url = web.url("/gv/index_1.html")
    assert run([url])[0].id == run([url])[0].id == document_id(url)


def test_bad_urls_are_failures_and_the_batch_goes_on(web):
    specs = [web.url("/nowhere.html"), web.url("/report.pdf"), web.url("/slow?s=1.0"), web.url("/loop/a"),
             web.url("/home.html"), web.url("/private/secret.html"), web.url("/untyped-pdf"),
             "ftp://127.0.0.1/file.txt", web.url("/article.html")]
    items = run(specs, fetch=FetchConfig(timeout=0.3, delay=0.0, retries=0))
    reasons = {f.origin: f.reason for f in failures(items)}
    assert reasons[web.url("/nowhere.html")] == "404 Not Found"
    assert reasons[web.url("/report.pdf")] == "not HTML (application/pdf)"
    assert reasons[web.url("/slow?s=1.0")] == "timed out after 0.3 s"
    assert reasons[web.url("/loop/a")].startswith("redirect loop")
    assert reasons[web.url("/home.html")] == NOT_AN_ARTICLE
    assert reasons[web.url("/private/secret.html")] == "disallowed by robots.txt"
    assert reasons[web.url("/untyped-pdf")].startswith("not HTML (no content type")
    assert reasons["ftp://127.0.0.1/file.txt"].startswith("unsupported URL scheme")
    assert isinstance(items[-1], Document) and items[-1].url == web.url("/article.html")
    assert len(items) == len(specs)


def test_redirected_page_keeps_the_url_given_as_origin(web):
    url = web.url("/chain/2")
    [doc] = run([url])
    assert doc.origin == url and doc.url == web.url("/chain/0")


# -- feeds ----------------------------------------------------------------------------


def test_feed_with_full_content(web):
    feed_url = web.url("/feeds/gv.rss")
    before = web.count("/gv/index_1.html") + web.count("/gv/index_3.html")
    items = run([feed_url])
    assert [type(i) for i in items] == [Document] * 3
    first = items[0]
    assert first.origin == f"{feed_url}#1"
    assert first.url == web.url("/gv/index_1.html") and first.id == document_id(first.url)
    assert first.title == "Brazil: Amplified conversations to fight the Digital Crimes Bill"
    assert first.text.startswith(first.title + "\n\n")
    assert "On May 14th a protest [pt] against the Digital Crimes Bill" in first.text
    assert "<" not in first.text
    assert first.published == "2009-06-11" and items[2].published == "2009-06-10"
    assert first.source == "Global Voices Online » Feature"
    assert web.count("/gv/index_1.html") + web.count("/gv/index_3.html") == before  # nothing fetched


def test_feed_with_links_only_fetches_each_item(web):
    feed_url = web.url("/feeds/links.rss")
    before = web.count("/gv/index_1.html")
    items = run([feed_url])
    assert web.count("/gv/index_1.html") == before + 1
    assert [type(i) for i in items] == [Document, Document, Failure, Failure]
    a, b, gone, home = items
    assert a.url == a.origin == web.url("/gv/index_1.html")
    assert "On May 14th a protest" in a.text
    assert a.published == "2009-06-11"  # the item's date
    assert b.published == "2009-06-10" and "to vote or not to vote" in b.text
    assert gone == Failure(web.url("/missing-article.html"), "404 Not Found")
    assert home == Failure(web.url("/home.html"), NOT_AN_ARTICLE)


def test_empty_feed(web):
    url = web.url("/feeds/empty.rss")
    assert run([url]) == [Failure(url, "feed has no items")]


def test_atom_feed(web):
    url = web.url("/feeds/atom.xml")
    [doc] = run([url])
    assert doc.url == web.url("/atom/1.html")  # relative link resolved against the feed's URL
    assert doc.title == "Atom article" and doc.published == "2024-03-05" and doc.source == "Atom & news"
    lines = doc.text.split("\n")
    assert lines[0] == "Atom article" and lines[-1] == '"We will not give in," the mayor said.'


def test_xml_that_is_not_a_feed(web):
    url = web.url("/feeds/not-a-feed.xml")
    assert run([url]) == [Failure(url, "not an RSS, Atom or JSON feed (the document is <urlset>)")]


def gv_feed_file(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "gv.rss"
    path.write_bytes(GV_FEED.read_bytes().replace(b"<BASE_WEBSITE_URL/>", (base + "/").encode()))
    return path


def test_feed_file(tmp_path, web):
    path = gv_feed_file(tmp_path, web.base)
    items = run([str(path)])
    assert [i.origin for i in items] == [f"{path}#{n}" for n in (1, 2, 3)]
    assert all(isinstance(i, Document) for i in items)
    assert items[1].title == "Africa: Gay and lesbian voices in African blogosphere"


def test_json_feed_file_and_plain_json_article(tmp_path, web):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "JSON news", "items": [
        {"id": "1", "url": "https://news.example/a1", "title": "Full",
         "content_html": "<p>" + "The mayor spoke at length about the new bridge. " * 6 + "</p><p>Second paragraph.</p>",
         "date_published": "2024-01-02T10:00:00+01:00"},
        {"id": "2", "title": "Text only", "content_text": "Plain text content. " * 15},
        {"id": "3", "url": web.url("/gv/index_3.html"), "title": "Link only"},
        {"id": "4", "title": "Nothing"},
    ]}
    (tmp_path / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
    (tmp_path / "article.json").write_text(json.dumps({"id": "art", "text": "Il a dit « oui ».",
                                                       "version": "2"}), encoding="utf-8")
    items = run([str(tmp_path / "feed.json"), str(tmp_path / "article.json")])
    full, text_only, linked, nothing, article = items
    assert full.text.split("\n")[2:] == [("The mayor spoke at length about the new bridge. " * 6).strip(),
                                         "Second paragraph."]
    assert full.url == "https://news.example/a1" and full.published == "2024-01-02" and full.source == "JSON news"
    assert text_only.url is None and text_only.id == document_id("2") and text_only.text.startswith("Text only\n\n")
    assert linked.url == web.url("/gv/index_3.html") and "Iranian presidential election" in linked.text
    assert nothing == Failure(f"{tmp_path / 'feed.json'}#4", "feed item has neither content nor a link to its page")
    assert article.id == "art" and article.text == "Il a dit « oui »."


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>
<rss version="2.0"><channel><title>&lol5;</title><item><title>x</title></item></channel></rss>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title></channel></rss>"""


@pytest.mark.parametrize("data, reason", [
    (BOMB, "refused: the feed declares XML entities or external references (a possible XML bomb)"),
    (EXTERNAL, "refused: the feed declares XML entities or external references (a possible XML bomb)"),
    (b"<rss><channel><item><title>unclosed", "not a valid RSS or Atom feed (XML error: "),
    (b"   ", "empty feed: nothing to read"),
    (b"<html><body>hello</body></html>", "not an RSS, Atom or JSON feed (the document is <html>)"),
])
def test_hostile_or_broken_feed_files(tmp_path, data, reason):
    path = tmp_path / "bad.xml"
    path.write_bytes(data)
    [failure] = run([str(path)])
    assert failure.origin == str(path) and failure.reason.startswith(reason)


def test_rss1_feed():
    data = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="x"><title>RDF news</title><link>https://rdf.example/</link></channel>
      <item rdf:about="https://rdf.example/1"><title>One</title><link>https://rdf.example/1</link>
      <dc:date>2020-02-29T12:00:00Z</dc:date></item></rdf:RDF>"""
    feed = parse_feed(data)
    assert feed.kind == "rss1" and feed.title == "RDF news"
    [item] = feed.items
    assert (item.title, item.link, iso_date(item.published)) == ("One", "https://rdf.example/1", "2020-02-29")
    with pytest.raises(FeedError):
        parse_feed(b'{"title": "no version"}')


# -- list of URLs ---------------------------------------------------------------------


def test_urls_file(tmp_path, web):
    path = tmp_path / "urls.txt"
    path.write_text(f"# my reading list\n\n{web.url('/article.html')}\n  {web.url('/nowhere.html')}  \n"
                    "www.example.org/page\n# done\n", encoding="utf-8")
    items = run([], urls_file=str(path))
    assert [type(i) for i in items] == [Document, Failure, Failure]
    assert items[0].origin == web.url("/article.html")
    assert items[1] == Failure(web.url("/nowhere.html"), "404 Not Found")
    assert items[2] == Failure(f"{path}:5", "not an http:// or https:// URL: www.example.org/page")
    assert run([], urls_file=str(tmp_path / "missing.txt"))[0].reason.startswith("cannot read this list of URLs")


# -- web archives ---------------------------------------------------------------------


def plain_article(title: str) -> bytes:
    p = "<p>The spokesman said the talks would go on next week, and that no decision had been taken yet.</p>"
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{p * 8}</article></body></html>".encode()


def write_warc(path: Path, records: list[tuple]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        w.write_record(w.create_warcinfo_record(path.name, {"software": "porteparole tests"}))
        for kind, uri, status, ctype, body, date in records:
            if kind == "request":
                headers = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            else:
                headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, kind, payload=io.BytesIO(body), http_headers=headers,
                                                warc_headers_dict={"WARC-Date": date}))


def test_warc_file(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    gv = "http://globalvoicesonline.org/2009/06/11/amplified-conversation-fighting-the-digital-crimes-bill-in-brazil/"
    write_warc(path, [
        ("request", gv, None, None, b"", "2020-05-01T10:00:00Z"),
        ("response", gv, "200 OK", "text/html; charset=UTF-8", GV1.encode("utf-8"), "2020-05-01T10:00:01Z"),
        ("response", "http://example.org/logo.png", "200 OK", "image/png", PNG, "2020-05-01T10:00:02Z"),
        ("response", "http://example.org/talks", "200 OK", "text/html", plain_article("Talks"), "2020-05-01T10:00:03Z"),
        ("response", "http://example.org/old", "404 Not Found", "text/html", b"<html>gone</html>", "2020-05-01T10:00:04Z"),
        ("response", "http://example.org/", "200 OK", "text/html", HOME.encode("utf-8"), "2020-05-01T10:00:05Z"),
    ])
    items = run([str(path)])
    assert [type(i) for i in items] == [Document, Failure, Document, Failure, Failure]
    page, image, talks, gone, home = items
    assert page.url == gv and page.origin == f"{path}#3" and page.id == document_id(gv)
    assert page.published == "2009-06-11"  # from the page, not the WARC-Date
    assert "On May 14th a protest [pt]" in page.text
    assert image == Failure(f"{path}#4", "not HTML (image/png): http://example.org/logo.png")
    assert talks.published == "2020-05-01" and talks.source == "example.org"  # WARC-Date when the page has none
    assert gone == Failure(f"{path}#6", "HTTP 404 Not Found answer, not a page: http://example.org/old")
    assert home == Failure(f"{path}#7", NOT_AN_ARTICLE)


def test_arc_gz_file(tmp_path):
    def record(header: bytes, body: bytes) -> bytes:
        return gzip.compress(header + b"\n" + body + b"\n")

    desc = b"1 0 porteparole\nURL IP-address Archive-date Content-type Archive-length\n"
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + plain_article("Old crawl")
    path = tmp_path / "old.arc.gz"
    path.write_bytes(record(b"filedesc://old.arc 0.0.0.0 20090611120000 text/plain %d" % len(desc), desc)
                     + record(b"http://example.org/b.html 127.0.0.1 20090611120000 text/html %d" % len(http), http))
    [doc] = run([str(path)])
    assert doc.url == "http://example.org/b.html" and doc.published == "2009-06-11" and doc.origin == f"{path}#2"


def test_broken_web_archives(tmp_path):
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"this is not a web archive at all\n" * 10)
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    good = tmp_path / "cut.warc.gz"
    write_warc(good, [("response", "http://example.org/a", "200 OK", "text/html", plain_article("A"), "2021-01-01T00:00:00Z"),
                      ("response", "http://example.org/b", "200 OK", "text/html", plain_article("B"), "2021-01-01T00:00:00Z")])
    data = good.read_bytes()
    cut = tmp_path / "cut2.warc.gz"
    cut.write_bytes(data[: len(data) - 50])  # the file ends inside the last record
    items = run([str(junk), str(empty), str(cut), str(tmp_path / "missing.warc")])
    assert len(items) == 5
    assert items[0].origin == str(junk) and items[0].reason.startswith("not a readable WARC/ARC file (it starts with")
    assert items[1] == Failure(str(empty), "empty web archive: no records")
    assert isinstance(items[2], Document) and items[2].url == "http://example.org/a"
    assert items[3] == Failure(f"{cut}#3", "record is cut short (damaged web archive): http://example.org/b")
    assert items[4] == Failure(str(tmp_path / "missing.warc"), "no such file")


# -- files and folders ----------------------------------------------------------------


def test_folder_of_every_kind(tmp_path, web):
    (tmp_path / "a.txt").write_text("Le ministre a déclaré que tout allait bien.", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"text": "Il a dit non.", "id": "b"}), encoding="utf-8")
    gv_feed_file(tmp_path, web.base)
    write_warc(tmp_path / "c.warc.gz", [("response", "http://example.org/c", "200 OK", "text/html",
                                         plain_article("C"), "2021-01-01T00:00:00Z")])
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    items = run([str(tmp_path)])
    assert all(isinstance(i, Document) for i in items), failures(items)
    assert [i.id for i in items][:2] == ["a", "b"] and len(items) == 2 + 1 + 3
    empty = tmp_path / "empty"
    empty.mkdir()
    [f] = run([str(empty)])
    assert f.origin == str(empty) and f.reason.startswith("no .txt/.html/")


def test_local_sources_never_open_the_network(tmp_path, monkeypatch):
    def no_fetcher(*a, **k):
        raise AssertionError("a fetcher was created for local files")

    monkeypatch.setattr(sources, "Fetcher", no_fetcher)
    (tmp_path / "a.txt").write_text("Texte.", encoding="utf-8")
    (tmp_path / "page.html").write_text(GV3, encoding="utf-8")
    (tmp_path / "home.html").write_text(HOME, encoding="utf-8")
    items = run([str(tmp_path / "a.txt"), str(tmp_path / "page.html"), str(tmp_path / "home.html"),
                 str(tmp_path / "none.txt"), "www.example.org/x"])
    assert [type(i) for i in items] == [Document, Document, Failure, Failure, Failure]
    assert items[2] == Failure(str(tmp_path / "home.html"), NOT_AN_ARTICLE)  # a saved home page too
    assert items[3].reason == "no such file"
    assert items[4].reason == "no such file (for a web page, give its http:// or https:// URL)"


def test_an_unexpected_error_is_a_failure_not_a_crash(tmp_path, monkeypatch, web):
    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(sources, "document_from_html", boom)
    items = run([web.url("/gv/index_3.html"), str(gv_feed_file(tmp_path, web.base))])
    assert items[0].reason.startswith("unexpected error (RuntimeError: kaboom)")
    assert len(docs(items)) == 3  # the feed's full-content items do not need the HTML extractor


# -- helpers --------------------------------------------------------------------------


def test_home_page_detection():
    assert looks_like_index(HOME, document_from_html("home", HOME, "home").text)
    for html in (GV1, GV3, plain_article("Talks").decode()):
        assert not looks_like_index(html, document_from_html("a", html, "a").text)
    links = "".join(f'<li><a href="/story/{n}">Story number {n} of the day here</a></li>' for n in range(40))
    link_list = f"<html><body><h1>News</h1><ul>{links}</ul></body></html>"
    assert looks_like_index(link_list, "News\n\n" + "\n".join(f"Story number {n} of the day here" for n in range(40)))


def test_html_to_text_keeps_paragraphs():
    html = ('<p>First <b>bold</b> paragraph,\n  wrapped.</p><script>alert(1)</script><blockquote>"Quote," he said.'
            '</blockquote><ul><li>one</li><li>two</li></ul>Tail<br>after break &amp; more<!-- comment -->')
    assert html_to_text(html) == ('First bold paragraph, wrapped.\n"Quote," he said.\none\ntwo\nTail\n'
                                  "after break & more")
    assert html_to_text("") == "" and html_to_text("just text") == "just text"


def test_document_id_and_dates():
    assert document_id("https://site.example/2024/05/the-story.html") == "the-story-" + document_id("https://site.example/2024/05/the-story.html")[-10:]
    assert document_id("https://site.example/") .startswith("site-example-")
    assert len(document_id("urn:uuid:1")) == 10
    assert iso_date("Thu, 11 Jun 2009 10:57:00 +0000") == "2009-06-11"
    assert iso_date("2024-03-05T10:00:00Z") == "2024-03-05"
    assert iso_date("2024-02-30") is None and iso_date("soon") is None and iso_date(None) is None


def test_atom_feed_bytes_parse():
    feed = parse_feed(ATOM_FEED)
    assert feed.kind == "atom" and feed.link == "/" and len(feed.items) == 1
