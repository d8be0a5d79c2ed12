"""Cut a large RSS 2.0 or Atom document into smaller whole feeds, between entries.

Pure: bytes in, bytes out. Each part keeps the document's head (declaration,
root element, channel) and tail, so any feed parser reads it as a feed; the
parts can then be parsed at the same time. The caller checks that the parts
together hold every entry the document does, and parses the whole document
when they do not (an entry's text holding a literal `</item>`, say).
"""

from __future__ import annotations

import re
from itertools import pairwise

_ENTRY = {
    b"rss": (re.compile(rb"<item[\s>]"), b"</item>"),
    b"feed": (re.compile(rb"<entry[\s>]"), b"</entry>"),
}
_ROOT = re.compile(rb"<(rss|feed)[\s>]")


def split_feed(content: bytes, parts: int) -> list[bytes] | None:
    """`content` as up to `parts` smaller feeds, or None when it cannot be cut."""
    root = _ROOT.search(content[:8192])
    if parts < 2 or root is None:
        return None
    opening, closing = _ENTRY[root.group(1)]
    first = opening.search(content, root.end())
    last = content.rfind(closing)
    if first is None or last < first.start():
        return None
    start, end = first.start(), last + len(closing)
    head, tail = content[:start], content[end:]
    step = (end - start) // parts
    cuts = [start]
    for k in range(1, parts):
        at = content.find(closing, start + k * step, end)
        if at < 0:
            break
        cut = at + len(closing)
        if cut > cuts[-1] and cut < end:
            cuts.append(cut)
    cuts.append(end)
    if len(cuts) < 3:
        return None
    return [head + content[a:b] + tail for a, b in pairwise(cuts)]


def count_entries(content: bytes) -> int:
    """How many entry start tags a feed document holds."""
    root = _ROOT.search(content[:8192])
    if root is None:
        return 0
    opening, _ = _ENTRY[root.group(1)]
    return len(opening.findall(content, root.end()))
