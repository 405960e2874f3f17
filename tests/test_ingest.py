"""Reading documents from bad and awkward input: every failure names its file and says why."""
from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pytest

from porteparole.ingest import DEFAULT_MAX_BYTES, read_file, read_sources
from porteparole.models import Document, Failure

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
NOISE = bytes(b or 1 for b in random.Random(7).randbytes(4096))  # binary without a single NUL
NAV_ONLY = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>La Gazette</title></head>
<body><nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/contact">Contact</a></li></ul></nav></body></html>"""
ARTICLE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Le maire annonce un nouveau pont | La Gazette du Val</title>
<meta property="og:title" content="Le maire annonce un nouveau pont">
<meta property="og:site_name" content="La Gazette du Val">
<meta name="date" content="2023-05-12">
</head>
<body>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li></ul></nav></header>
<main>
<article>
<h1>Le maire annonce un nouveau pont</h1>
<p>Le conseil municipal s’est réuni mardi soir pour examiner le projet de franchissement de la rivière, attendu depuis plus de dix ans par les habitants du quartier nord.</p>
<p>« Nous allons enfin relier les deux rives de la ville », a déclaré le maire Jean Dupont devant une salle comble. Les travaux doivent commencer au printemps prochain et durer deux ans.</p>
<p>Selon l’adjointe aux finances Marie Leroy, le budget de l’ouvrage restera inférieur à douze millions d’euros, dont la moitié sera financée par la région.</p>
</article>
</main>
<footer><p>© 2023 La Gazette du Val. Tous droits réservés.</p><a href="/mentions">Mentions légales</a></footer>
</body>
</html>
"""


def read_one(path: Path) -> Document | Failure:
    items = list(read_sources([str(path)]))
    assert len(items) == 1, items
    return items[0]


def assert_failure(item: object, name: str, reason: str) -> None:
    """A failure that names the file and gives a human reason."""
    assert isinstance(item, Failure), item
    assert Path(item.origin).name == name
    assert re.search(reason, item.reason), item.reason


BAD_FILES = [
    ("empty.txt", b"", r"^empty file"),
    ("blank.txt", b"  \n\t \r\n  \n", r"^empty file"),
    ("blank.json", b"\n\n", r"^empty file"),
    ("photo.txt", PNG, r"^binary file, not text"),
    ("photo.png", PNG, r"^binary file, not text"),
    ("photo.json", PNG, r"^binary file, not text"),
    ("nuls.txt", b"Le pr\x00\x00\x00\x00sident a d\x00clar\x00", r"^binary file, not text"),
    ("noise.txt", NOISE, r"binary file|no text encoding could be detected"),
    ("no-text.json", json.dumps({"id": "a1", "title": "Un titre"}).encode(), r'no "text" string field'),
    ("text-not-string.json", json.dumps({"id": "a1", "text": ["liste"]}).encode(), r'no "text" string field'),
    ("blank-text.json", json.dumps({"id": "a1", "text": " \n "}).encode(), r"no text in this document"),
    ("list.json", json.dumps([{"text": "Bonjour."}]).encode(), r'must be an object with a "text" field'),
    ("broken.json", b'{"id": "a1", "text": "Le pr\xc3\xa9sident a', r"^invalid JSON \(.* at line 1\)"),
    ("nav.html", NAV_ONLY.encode(), r"^no article text found in this HTML page"),
    ("nav-no-doctype.htm", NAV_ONLY.split("\n", 1)[1].encode(), r"^no article text found in this HTML page"),
]


@pytest.mark.parametrize("name, content, reason", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_a_failure_with_name_and_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_failure(read_one(path), name, reason)


def test_file_over_the_size_limit_fails_clearly_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = "Le président a déclaré que la séance était ouverte.\n".encode()
    with path.open("wb") as f:
        for _ in range(50 * 1024 * 1024 // (len(line) * 1000) + 1):
            f.write(line * 1000)
    assert path.stat().st_size > 50 * 1024 * 1024 > DEFAULT_MAX_BYTES
    assert_failure(read_one(path), "huge.txt", r"^file is 5\d\.\d MB, over the 10 MB limit \(raise it with --max-size\)")


def test_stdin_over_the_size_limit_fails_clearly() -> None:
    items = list(read_sources(["-"], max_bytes=1000, stdin=io.BytesIO(b"Le maire a dit bonjour. " * 100)))
    assert len(items) == 1
    assert isinstance(items[0], Failure) and items[0].origin == "-"
    assert items[0].reason == "input is over the 0.001 MB limit (raise it with --max-size)"


@pytest.mark.parametrize("make, name, reason", [
    (lambda p: None, "missing.txt", r"^no such file$"),
    (lambda p: p.mkdir(), "folder.txt", r"^this is a folder, not a file$"),
], ids=["nonexistent", "folder-as-file"])
def test_read_file_on_a_path_that_is_not_a_file(tmp_path: Path, make, name: str, reason: str) -> None:
    path = tmp_path / name
    make(path)
    items = list(read_file(path))
    assert len(items) == 1
    assert_failure(items[0], name, reason)


def test_nonexistent_source_is_a_failure(tmp_path: Path) -> None:
    assert_failure(read_one(tmp_path / "nowhere" / "article.txt"), "article.txt", r"^no such file$")


def test_folder_without_readable_files_is_a_failure(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "image.png").write_bytes(PNG)
    assert_failure(read_one(folder), "photos", r"^no \.txt/\.html/\.htm/\.json/\.jsonl files in this folder$")


def test_folder_is_read_recursively_and_its_bad_files_reported(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "un.txt").write_text("Le maire a parlé.", encoding="utf-8")
    (tmp_path / "deux.json").write_text(json.dumps({"id": "d2", "text": "La ministre a parlé."}), encoding="utf-8")
    (tmp_path / "vide.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(PNG)  # not a text suffix: not read
    items = list(read_sources([str(tmp_path)]))
    docs = [i for i in items if isinstance(i, Document)]
    fails = [i for i in items if isinstance(i, Failure)]
    assert sorted(d.id for d in docs) == ["d2", "un"]
    assert len(fails) == 1
    assert_failure(fails[0], "vide.txt", r"^empty file")


@pytest.mark.parametrize("text, encoding", [
    ("Le président a déclaré", "cp1252"),
    ("Le président a déclaré que « l’économie va mieux » et que l’œuvre continue… 20 €.", "cp1252"),
    ("Élève, été, à côté de la forêt.", "latin-1"),
    ("Le Premier ministre a réagi : “c’est inacceptable” — puis il est parti.\r\nFin.", "cp1252"),
    ("Министр заявил, что экономика растёт.", "cp1251"),  # not mistaken for accented Latin-1
    ("Le président a déclaré", "utf-16"),
], ids=["cp1252-short", "cp1252-oe", "latin-1", "cp1252-crlf", "cp1251", "utf-16-bom"])
def test_text_in_a_legacy_encoding_is_detected_and_decoded(tmp_path: Path, text: str, encoding: str) -> None:
    raw = text.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    path = tmp_path / "legacy.txt"
    path.write_bytes(raw)
    doc = read_one(path)
    assert isinstance(doc, Document)
    assert doc.text == text


@pytest.mark.parametrize("name, raw, text", [
    ("bom.txt", "\ufeffLe président a déclaré que tout va bien.".encode(), "Le président a déclaré que tout va bien."),
    ("bom.json", ("\ufeff" + json.dumps({"id": "b1", "text": "Le président a parlé."})).encode(), "Le président a parlé."),
    ("crlf.txt", "Titre\r\n\r\n« Oui », a dit Jean\u00a0Dupont.\r\n".encode(), "Titre\r\n\r\n« Oui », a dit Jean\u00a0Dupont.\r\n"),
], ids=["bom-txt", "bom-json", "crlf-nbsp-kept"])
def test_utf8_text_is_kept_character_for_character(tmp_path: Path, name: str, raw: bytes, text: str) -> None:
    path = tmp_path / name
    path.write_bytes(raw)
    doc = read_one(path)
    assert isinstance(doc, Document)
    assert doc.text == text


def test_jsonl_bad_lines_fail_alone_and_good_lines_are_read(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "« Bonjour », a dit Jean Dupont.", "title": "Salut"}),
        '{"id": "b", "text": ',
        "",
        json.dumps({"id": "c", "text": "La ministre a parlé."}),
        json.dumps({"id": "d", "titre": "sans texte"}),
        json.dumps({"text": "Sans identifiant."}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_sources([str(path)]))
    docs = [i for i in items if isinstance(i, Document)]
    fails = [i for i in items if isinstance(i, Failure)]
    assert [(d.id, d.origin.rsplit(":", 1)[1]) for d in docs] == [("a", "1"), ("c", "4"), ("batch-6", "6")]
    assert docs[0].title == "Salut"
    assert [f.origin.rsplit("/", 1)[1] for f in fails] == ["batch.jsonl:2", "batch.jsonl:5"]
    assert fails[0].reason.startswith("invalid JSON line")
    assert fails[1].reason == 'JSON object has no "text" string field'


def test_html_article_is_extracted_without_navigation_or_footer(tmp_path: Path) -> None:
    path = tmp_path / "pont.html"
    path.write_text(ARTICLE, encoding="utf-8")
    doc = read_one(path)
    assert isinstance(doc, Document)
    assert doc.title == "Le maire annonce un nouveau pont"
    assert doc.text.startswith("Le maire annonce un nouveau pont\n")
    assert "« Nous allons enfin relier les deux rives de la ville », a déclaré le maire Jean Dupont" in doc.text
    assert "Selon l’adjointe aux finances Marie Leroy" in doc.text
    for chrome in ("Accueil", "Politique", "Tous droits réservés", "Mentions légales"):
        assert chrome not in doc.text
    assert doc.published == "2023-05-12"
    assert doc.source == "La Gazette du Val"


def test_html_article_from_stdin_is_sniffed() -> None:
    items = list(read_sources(["-"], stdin=io.BytesIO(ARTICLE.encode())))
    assert len(items) == 1 and isinstance(items[0], Document)
    assert items[0].title == "Le maire annonce un nouveau pont"
    assert "Accueil" not in items[0].text
