"""One exception hierarchy for porteparole.

The library raises these; the CLI (and any other shell) turns them into a
message for the user at its edge.  Every message says what to do next.
"""
from __future__ import annotations


class PorteparoleError(Exception):
    """Base class of every error porteparole raises on purpose."""


class InputError(PorteparoleError):
    """A document cannot be read: empty, binary, undecodable, too large, malformed."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnsupportedLanguage(PorteparoleError):
    """The document's language has no language data or model."""

    def __init__(self, lang: str, supported: tuple[str, ...]) -> None:
        super().__init__(
            f"language {lang!r} is not supported; supported languages: {', '.join(supported)}"
            " (pass --lang to override detection)"
        )
        self.lang = lang
        self.supported = supported


class ModelMissing(PorteparoleError):
    """The spaCy model for a language is not installed."""

    def __init__(self, lang: str, package: str, install: str | None = None) -> None:
        super().__init__(
            f"the spaCy model for {lang!r} is not installed; run `make install` "
            f"or `{install or 'pip install ' + package}`"
        )
        self.lang = lang
        self.package = package
        self.install = install or f"pip install {package}"


class GoldError(PorteparoleError):
    """A gold file or a predictions file is malformed."""


class FetchError(PorteparoleError):
    """A URL could not be fetched: HTTP error, time-out, too many redirects, body too
    large, disallowed by robots.txt, not the kind of content asked for.

    ``reason`` says what happened in words a user can act on ("404 Not Found",
    "timed out after 10 s", "disallowed by robots.txt"); ``status`` is the HTTP status
    when there was one; ``transient`` is true for failures that may go away on a later
    try (5xx answers, time-outs, connection errors).
    """

    def __init__(self, url: str, reason: str, status: "int | None" = None, transient: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.transient = transient
