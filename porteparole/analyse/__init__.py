"""Analysis: from a cleaned document to its statements (quotes, cues, speakers)."""
from __future__ import annotations

from collections import deque
from typing import Iterable, Iterator, Optional, Union

from .. import clean
from ..errors import PorteparoleError, UnsupportedLanguage
from ..lang import AUTO, SUPPORTED, detect, load as load_lang, normalise
from ..models import Article, Document, Failure, NamedEntity, Statement
from .attribution import ArticleAnalyser, to_statement
from .events import find_commitments, find_events
from .nlp import load_model
from .quotes import find_quotes
from .text import layout

ANALYSED = ("body", "attribution")
DEFAULT_BATCH = 64
MAX_BLOCK = 20_000   # characters parsed as one Doc


class Extractor:
    """Extracts who said what from documents of one language.

    >>> ex = Extractor("fr")                              # doctest: +SKIP
    >>> article = ex.extract(Document(id="x", text="…"))  # doctest: +SKIP
    """

    def __init__(self, lang: str = "fr") -> None:
        self.lang = lang
        self.data = load_lang(lang)
        self.nlp = load_model(lang)

    def extract(self, doc: Document) -> Article:
        """Extract the statements of one document."""
        return next(iter(self.extract_many([doc])))  # type: ignore[return-value]

    def extract_many(self, docs: Iterable[Union[Document, Failure]], processes: int = 1,
                     batch_size: int = DEFAULT_BATCH) -> Iterator[Union[Article, Failure]]:
        """Extract many documents, parsing their blocks in one ``nlp.pipe`` stream.

        Failures in the input are passed through; a document that fails here becomes
        a :class:`Failure` with its reason, and the stream goes on.
        """
        items: dict[int, object] = {}
        contexts: deque[tuple[int, int, int]] = deque()

        def texts():
            # plain strings, so that worker processes tokenise them (``as_tuples`` would
            # make Docs here and ship them); the contexts follow in order beside them
            for idx, d in enumerate(docs):
                item = self._prepare(d) if isinstance(d, Document) else d
                items[idx] = item
                if isinstance(item, Failure) or not item[3]:
                    contexts.append((idx, 0, 1))
                    yield ""
                    continue
                for j, (bs, be) in enumerate(item[3]):
                    contexts.append((idx, j, len(item[3])))
                    yield item[1][bs:be]

        got: list = []
        for parsed in self.nlp.pipe(texts(), n_process=processes, batch_size=batch_size):
            idx, j, n = contexts.popleft()
            got.append(parsed)
            if j + 1 < n:
                continue
            item = items.pop(idx)
            blocks, got = got, []
            if isinstance(item, Failure):
                yield item
            else:
                yield self._finish(item, blocks if item[3] else [])

    def _prepare(self, doc: Document):
        title, blocks = clean.blocks(doc, self.data)
        atext = clean.analysis_text(doc.text)
        spans = [piece for b in blocks if b.kind in ANALYSED or b.kind == "title"
                 for piece in _pieces(atext, b.start, b.end)]
        return doc, atext, (title, blocks), spans

    def _finish(self, prepared, docs) -> Union[Article, Failure]:
        doc, atext, (title, blocks), spans = prepared
        try:
            body = [sp for sp in spans if title is None or sp != (title.start, title.end)]
            quotes = find_quotes(atext, body)
            lay = layout(atext, quotes, spans)
            analyser = ArticleAnalyser(self.data, doc.text, atext, lay, list(zip(docs, (s for s, _ in spans))),
                                       title=(title.start, title.end) if title else None)
            cands = analyser.run()
            statements: list[Statement] = []
            for i, c in enumerate(cands):
                parent = _enclosing_direct(i, cands)
                statements.append(to_statement(c, doc.text, parent))
            entities = tuple(NamedEntity(base + e.start_char, base + e.end_char, doc.text[base + e.start_char:base + e.end_char],
                                         e.label_) for d, (base, _) in zip(docs, spans) for e in d.ents)
            parsed = [(d, base) for d, (base, _) in zip(docs, spans)]
            commitments = find_commitments(self.data, doc.text, parsed, statements, doc.published)
            events = find_events(self.data, doc.text, parsed, entities, statements, doc.published)
        except PorteparoleError as e:
            return Failure(doc.origin or doc.id, str(e), doc.id)
        except Exception as e:  # noqa: BLE001 - one document's bug must not stop the batch
            return Failure(doc.origin or doc.id, f"internal error while analysing ({type(e).__name__}: {e}); "
                           "please report it with this document", doc.id)
        return Article(document=doc, title=title, blocks=blocks, statements=tuple(statements), lang=self.lang,
                       entities=entities, commitments=tuple(commitments), events=tuple(events))


class AutoExtractor:
    """Extracts who said what from documents of any supported language.

    Each document goes to the :class:`Extractor` of its language: the one it declares
    (``Document.lang``, e.g. a JSON ``lang`` field) when given, else the one
    :func:`porteparole.lang.detect` reads in its text.  Models load on first use.

    >>> ex = AutoExtractor()                                   # doctest: +SKIP
    >>> ex.extract(Document(id="x", text="…")).lang            # doctest: +SKIP
    'en'
    """

    lang = AUTO

    def __init__(self, langs: tuple[str, ...] = SUPPORTED) -> None:
        self.langs = tuple(langs)
        self._extractors: dict[str, Extractor] = {}

    def extractor(self, lang: str) -> Extractor:
        """The (cached) extractor of one language."""
        if lang not in self._extractors:
            self._extractors[lang] = Extractor(lang)
        return self._extractors[lang]

    def language_of(self, doc: Document) -> str:
        """The language ``doc`` declares, else the one detected in its text.

        Raises :class:`UnsupportedLanguage` when it declares a language that has no data.
        """
        declared = normalise(doc.lang)
        if declared is None:
            return detect(doc.text, self.langs)
        if declared not in self.langs:
            raise UnsupportedLanguage(declared, self.langs)
        return declared

    def extract(self, doc: Document) -> Article:
        """Extract the statements of one document."""
        return self.extractor(self.language_of(doc)).extract(doc)

    def extract_many(self, docs: Iterable[Union[Document, Failure]], processes: int = 1,
                     batch_size: int = DEFAULT_BATCH) -> Iterator[Union[Article, Failure]]:
        """Extract many documents in input order.

        Consecutive documents of one language share one ``nlp.pipe`` stream; the stream
        changes when the language does (so a corpus in one language is one stream).
        """
        it = iter(docs)
        ahead: list[tuple[Document, str]] = []

        def routed():
            while True:
                if ahead:
                    yield ahead.pop()
                    continue
                item = next(it, None)
                if item is None:
                    return
                if isinstance(item, Failure):
                    yield item, None
                    continue
                try:
                    yield item, self.language_of(item)
                except UnsupportedLanguage as e:
                    yield Failure(item.origin or item.id, str(e), item.id), None

        stream = routed()
        for first, lang in stream:
            if lang is None:
                yield first
                continue

            def run(first=first, lang=lang):
                yield first
                for item, code in stream:
                    if code is not None and code != lang:
                        ahead.append((item, code))
                        return
                    yield item        # a failure passes through in order
            yield from self.extractor(lang).extract_many(run(), processes=processes, batch_size=batch_size)


def extractor(lang: str = AUTO) -> Union[Extractor, AutoExtractor]:
    """The extractor for ``lang``: one language, or ``"auto"`` to detect it per document."""
    return AutoExtractor() if lang == AUTO else Extractor(lang)


def _pieces(text: str, start: int, end: int, limit: int = MAX_BLOCK) -> Iterator[tuple[int, int]]:
    """Split a block longer than ``limit`` characters at sentence ends (else at spaces).

    A paragraph is parsed as one spaCy ``Doc``; a pathological one-line file must not
    exceed the model's ``max_length`` nor take the parser quadratic.
    """
    while end - start > limit:
        cut = max(text.rfind(". ", start, start + limit), text.rfind(" ", start, start + limit // 2))
        cut = cut + 1 if cut > start else start + limit
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _enclosing_direct(i: int, cands) -> Optional[int]:
    """Index of the direct quotation that holds statement ``i`` (cands are sorted by start)."""
    c = cands[i]
    for j in range(i - 1, max(-1, i - 50), -1):
        o = cands[j]
        if o.kind == "direct" and o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start):
            return j
    return None


__all__ = ["AUTO", "AutoExtractor", "Extractor", "SUPPORTED", "extractor"]
