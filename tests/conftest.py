"""Shared fixtures: one French extractor per session, so the spaCy model loads once.

The CLI builds its own ``Extractor``, but the model behind it is cached per process
(``porteparole.analyse.nlp.load_model``), so in-process CLI tests reuse it too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from porteparole.analyse import Extractor
from porteparole.evaluate import load_gold
from porteparole.models import Article, Document

DATA = Path(__file__).parent / "data"
GOLD_FR = DATA / "gold" / "fr"


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
def gold_fr() -> dict[str, dict]:
    """The French dev gold articles, by id (a copy in tests/data/gold/fr)."""
    return load_gold(GOLD_FR)


@pytest.fixture(scope="session")
def gold_fr_results(extractor: Extractor, gold_fr: dict[str, dict]) -> list:
    """The extractor's output (articles or failures) on every French gold article, run once."""
    docs = [Document(id=a["id"], text=a["text"], title=a.get("title")) for a in gold_fr.values()]
    return list(extractor.extract_many(docs))


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
