"""The store: the only owner of database sessions and queries.

`engine` opens and migrates databases; `ingest` writes what the pipeline
brings; `queries` answers the views; `export` dumps everything.
"""

from __future__ import annotations


class StoreError(Exception):
    """The database cannot be reached or used; the message says why."""


class NotFound(Exception):
    """A record that a caller asked for by key does not exist."""
