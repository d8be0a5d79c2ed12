"""The store: the only owner of database sessions and queries.

Modules are named by what they hold: `items`, `events` (grouping) with
`event_cards` and `event_edits`, `bills`, `sources`, `tags` with `tag_edits`,
`accounts`, `audit`; `listings` and `listing_results` are the one listing
query every view reads; `engine` opens and migrates databases; `ingest`
writes what the pipeline brings; `export` dumps everything.
"""

from __future__ import annotations


class StoreError(Exception):
    """The database cannot be reached or used; the message says why."""


class NotFound(Exception):
    """A record that a caller asked for by key does not exist."""


class EditRefused(Exception):
    """An edit that cannot be made as asked; the message says why, for the page."""
