"""A cap on how deeply feedparser lets elements nest.

feedparser keeps a few objects for every element still open: about 320 bytes
a level when the XML is well-formed, 520 when it is read leniently (where an
element never closed stays open to the end). A 20 MiB body of ``<a>`` is
seven million levels, several gigabytes. No feed needs more than a few dozen
levels; a lenient read of sloppy HTML leaves some open (an unclosed ``<p>``
per entry, say), so the cap is generous: `MAX_DEPTH` levels, about 50 MB.

`limit_nesting` puts feedparser's two parsers (strict, over the SAX driver;
lenient, over sgmllib) behind subclasses that raise `TooDeep` when an element
would open past the cap. feedparser catches neither (it is no SAX error), so
the document is refused rather than read again leniently.
"""

from __future__ import annotations

from typing import Any

import feedparser.api

MAX_DEPTH = 100_000


class TooDeep(Exception):
    """A document whose elements nest deeper than `MAX_DEPTH`."""


def _capped(parser: type) -> type:
    class Capped(parser):  # type: ignore[valid-type,misc]  # a class made at run time
        _tracker_capped = True

        def unknown_starttag(self, tag: str, attrs: Any) -> Any:
            # The mixin counts the elements open in `depth`, in both parsers.
            if self.depth >= MAX_DEPTH:
                raise TooDeep(f"elements nested more than {MAX_DEPTH:,} deep")
            return super().unknown_starttag(tag, attrs)

    Capped.__name__ = Capped.__qualname__ = parser.__name__
    return Capped


def limit_nesting() -> None:
    """Make feedparser refuse documents nested deeper than `MAX_DEPTH` (idempotent)."""
    for name in ("StrictFeedParser", "LooseFeedParser"):
        parser = getattr(feedparser.api, name)
        if not getattr(parser, "_tracker_capped", False):
            setattr(feedparser.api, name, _capped(parser))
