"""Shared fixtures: one extractor per language per session, so each spaCy model loads once.

The CLI builds its own ``Extractor``, but the model behind it is cached per process
(``porteparole.analyse.nlp.load_model``), so in-process CLI tests reuse it too.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from click.testing import CliRunner

from porteparole.analyse import Extractor
from porteparole.evaluate import load_gold
from porteparole.models import Article, Document

DATA = Path(__file__).parent / "data"
GOLD_FR = DATA / "gold" / "fr"
GOLD_EN = DATA / "gold" / "en"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The French extractor with the real fr_core_news_md model."""
    return Extractor("fr")


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Callable[[str], Article]:
    """Extract the statements of one text given as a string."""
    def run(text: str, title: str | None = None) -> Article:
        return extractor.extract(Document(id="test", text=text, title=title))
    return run


@pytest.fixture(scope="session")
def extract_fr_dated(extractor: Extractor) -> Callable[[str, str], Article]:
    """Extract one French text published on a given date (YYYY-MM-DD)."""
    def run(text: str, published: str) -> Article:
        return extractor.extract(Document(id="test", text=text, published=published))
    return run


@pytest.fixture(scope="session")
def extract_en_dated(extractor_en: Extractor) -> Callable[[str, str], Article]:
    """Extract one English text published on a given date (YYYY-MM-DD)."""
    def run(text: str, published: str) -> Article:
        return extractor_en.extract(Document(id="test", text=text, published=published))
    return run


@pytest.fixture(scope="session")
def gold_fr() -> dict[str, dict]:
    """The French dev gold articles, by id (a copy in tests/data/gold/fr)."""
    return load_gold(GOLD_FR)


@pytest.fixture(scope="session")
def gold_fr_results(extractor: Extractor, gold_fr: dict[str, dict]) -> list:
    """The extractor's output (articles or failures) on every French gold article, run once."""
    docs = [Document(id=a["id"], text=a["text"], title=a.get("title")) for a in gold_fr.values()]
    return list(extractor.extract_many(docs))


@pytest.fixture(scope="session")
def extractor_en() -> Extractor:
    """The English extractor with the real en_core_web_sm model (or its pinned copy)."""
    return Extractor("en")


@pytest.fixture(scope="session")
def extract_en(extractor_en: Extractor) -> Callable[[str], Article]:
    """Extract the statements of one English text given as a string."""
    def run(text: str, title: str | None = None) -> Article:
        return extractor_en.extract(Document(id="test", text=text, title=title))
    return run


@pytest.fixture(scope="session")
def gold_en() -> dict[str, dict]:
    """The English dev gold articles, by id (a copy in tests/data/gold/en)."""
    return load_gold(GOLD_EN)


@pytest.fixture(scope="session")
def gold_en_results(extractor_en: Extractor, gold_en: dict[str, dict]) -> list:
    """The extractor's output (articles or failures) on every English gold article, run once."""
    docs = [Document(id=a["id"], text=a["text"], title=a.get("title")) for a in gold_en.values()]
    return list(extractor_en.extract_many(docs))


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner whose result has ``stdout`` and ``stderr`` apart.

    click 8.2 removed ``mix_stderr`` and always keeps stderr apart (``result.output``
    interleaves both); click 8.1 needs ``mix_stderr=False`` for ``result.stderr``.
    """
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


# ------------------------------------------------------------------ the record's PostgreSQL
PG_SKIP = ("PORTEPAROLE_TEST_PG is not set: run the tests through scripts/postgres-for-tests "
           "(as `make test` and .ci/run do) to test the PostgreSQL store")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[Callable[..., str]]:
    """Make a fresh PostgreSQL database on the test server (``PORTEPAROLE_TEST_PG``); returns its URL.

    ``pg_database("name")``, or ``pg_database("name", "TEMPLATE template0 …")`` for
    options of ``CREATE DATABASE``.  The databases are dropped at the end of the session.
    Skips the test, saying why, when the variable is not set.
    """
    server = os.environ.get("PORTEPAROLE_TEST_PG")
    if not server:
        pytest.skip(PG_SKIP)
    import psycopg

    made: list[str] = []
    with psycopg.connect(server, autocommit=True) as admin:
        def make(name: str, options: str = "") -> str:
            db = f"pp_{name}_{os.getpid()}_{len(made)}"
            admin.execute(f'CREATE DATABASE "{db}" {options}')
            made.append(db)
            return urlunsplit(urlsplit(server)._replace(path="/" + db))

        yield make
        for db in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

