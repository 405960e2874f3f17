"""Typed results of every stage, with character offsets into the original input.

All offsets are Python ``str`` indices into :attr:`Document.text`, the text exactly
as it was given (for JSON input, its ``text`` field).  Serialisation to JSON
happens only at the edges (:mod:`porteparole.output`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

Kind = Literal["direct", "indirect", "mixed"]
SpeakerType = Literal["person", "organisation", "group", "unknown"]


@dataclass(frozen=True)
class Document:
    """One article as read from the input."""

    id: str
    text: str
    title: Optional[str] = None
    lang: Optional[str] = None
    published: Optional[str] = None
    url: Optional[str] = None
    source: Optional[str] = None
    origin: str = ""  # where it was read from: a path, "-" or "path:line"
    author: Optional[str] = None


@dataclass(frozen=True)
class Span:
    """A stretch of the original text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Block:
    """A paragraph (or line) of the document, and whether it is article content."""

    start: int
    end: int
    kind: Literal["title", "body", "boilerplate", "dateline", "attribution"]


@dataclass(frozen=True)
class Statement:
    """Something a source said, as reported in the article."""

    start: int
    end: int
    text: str
    kind: Kind
    speaker: Optional[str]
    speaker_type: SpeakerType
    mention: Optional[Span] = None
    cue: Optional[Span] = None
    nested_in: Optional[int] = None
    addressee: Optional[Span] = None          # whom it was said to, as written (« journalistes », "reporters")
    addressee_name: Optional[str] = None      # the addressee resolved like a speaker (« Joe Biden »)


@dataclass(frozen=True)
class NamedEntity:
    """A name the model found in the article (person, organisation, place…), with offsets."""

    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True)
class When:
    """A date or an interval in the text, resolved against the article's publication date when it can be."""

    span: Span
    first: Optional[str] = None        # ISO date of the first day (None: not resolvable, e.g. no publication date)
    last: Optional[str] = None         # ISO date of the last day (== first for one day)


@dataclass(frozen=True)
class Commitment:
    """A promise of future action made in a statement: who commits, to what, for whom, by when."""

    start: int                         # the evidence: the words that commit, offsets into the text
    end: int
    text: str
    statement: int                     # index of the statement it is made in
    holder: Optional[str]              # who commits (the statement's speaker)
    action: str                        # what they commit to, in the article's words
    recipient: Optional[str] = None
    deadline: Optional[When] = None


@dataclass(frozen=True)
class Event:
    """A meeting, call or summit the article reports: participants, format, date, duration, topics."""

    start: int                         # the evidence: the sentence(s) reporting it
    end: int
    text: str
    kind: str                          # "meeting"
    participants: tuple[str, ...]
    format: Optional[Span] = None      # « vidéoconférence », "phone call", "summit"
    when: Optional[When] = None
    duration: Optional[Span] = None
    minutes: Optional[int] = None
    topics: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Article:
    """The extraction result for one document."""

    document: Document
    title: Optional[Span]
    blocks: tuple[Block, ...]
    statements: tuple[Statement, ...]
    lang: str = "fr"
    entities: tuple[NamedEntity, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class Failure:
    """A document that could not be processed, and why."""

    origin: str
    reason: str
    doc_id: Optional[str] = None


@dataclass(frozen=True)
class Score:
    """Figures of an evaluation against gold files (see :mod:`porteparole.evaluate`)."""

    articles: int
    articles_predicted: int
    detection: dict = field(default_factory=dict)
    attribution_accuracy: float = 0.0
    end_to_end: dict = field(default_factory=dict)
    recall_by_kind: dict = field(default_factory=dict)
    details: tuple[str, ...] = ()
