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

    def __init__(self, lang: str, package: str) -> None:
        super().__init__(
            f"the spaCy model for {lang!r} is not installed; run `make install` "
            f"or `pip install {package}`"
        )
        self.lang = lang
        self.package = package


class GoldError(PorteparoleError):
    """A gold file or a predictions file is malformed."""
