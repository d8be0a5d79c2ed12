"""A SAX driver for feedparser: defusedxml's expat reader, with its text buffered.

Expat reports the character data of an element in many pieces, one at each
entity reference, so an HTML summary escaped inside an RSS ``<description>``
(``&lt;p&gt;...``) reaches feedparser as a hundred callbacks an entry, each of
them several dictionary look-ups deep. With expat's ``buffer_text`` on, each
run of text arrives in one piece; feedparser joins the pieces anyway, so what
it returns is the same, about a third sooner.

The reader is defusedxml's, so a document that declares an entity stops with
`EntitiesForbidden` wherever the declaration sits. feedparser strips a DTD
it finds before the root element, but decides where that is by the first
``<`` and a letter, so a comment or processing instruction mentioning
``<rss>`` before the DOCTYPE left internal entities to expat, which expanded
a 1 MiB file a hundredfold. feedparser does not catch that exception (it is
not a SAX error), so the document is refused instead of re-read leniently.

`use_buffered_driver` names this module first in feedparser's
``PREFERRED_XML_PARSERS``, the list it hands to ``xml.sax.make_parser``; the
standard drivers stay behind it.
"""

from __future__ import annotations

from typing import Any

import feedparser.api
from defusedxml.expatreader import DefusedExpatParser

# Big enough for the text of any one element of a feed in most cases; longer
# runs still arrive whole, in pieces of this size.
BUFFER_SIZE = 1 << 16


class BufferedExpatParser(DefusedExpatParser):
    """defusedxml's expat reader (entities refused) with ``buffer_text`` on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # External references stay allowed: an RSS 0.91 feed names Netscape's
        # DTD, and feedparser turns off loading external entities, so expat
        # skips it rather than fetching it.
        kwargs.setdefault("forbid_external", False)
        super().__init__(*args, **kwargs)

    def reset(self) -> None:
        super().reset()
        parser = self._parser  # type: ignore[attr-defined]  # set by reset(), not declared
        parser.buffer_text = True
        parser.buffer_size = BUFFER_SIZE


def create_parser(*args: Any, **kwargs: Any) -> BufferedExpatParser:
    """The entry point `xml.sax.make_parser` calls on a driver module."""
    return BufferedExpatParser(*args, **kwargs)


def use_buffered_driver() -> None:
    """Make feedparser read XML through this driver (idempotent)."""
    drivers = feedparser.api.PREFERRED_XML_PARSERS
    if __name__ not in drivers:
        drivers.insert(0, __name__)
