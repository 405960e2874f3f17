"""The JSON API over the record (``porteparole serve``): see :mod:`porteparole.serve.api`."""
from .api import create_app

__all__ = ["create_app"]
