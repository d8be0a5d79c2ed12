"""What a headline says happened before or beside its own act. Pure.

Headlines date their act against the one readers know: "BIS removes five from
Entity List, two days after adding 27", "Governor vetoes AI workplace bill a day
after signing frontier safety law", "Voss tells House panel ..., day after Senate
hearing", "... on the heels of the chip rule". The words of such a clause name
another act; a report that links that act's document under them ("adding 27"
linking the additions rule) links its background, not its subject.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tracker.event_act_reading import BESIDE, EARLIER
from tracker.event_words import tokens

# Clauses a headline writes after its own act to date or place it beside another:
# "on the heels of the chip rule", "in the wake of Tuesday's ruling", "hours after
# the vote", "following the Senate hearing", "after Monday's additions".
_AFTER = re.compile(
    r"\b(?:on the heels of|in the wake of|hard on|(?:\d+|a few|several|two|three) hours? "
    r"(?:after|before)|following|after (?:its|their|his|her|the|\w+['’]s)\b)[^,.;:]*",
    re.I,
)
# Words that date a clause rather than name its act.
_TIME_WORDS = frozenset(
    tokens("a an the one two three few several day days week weeks month months hours hour "
           "after before since following its their his her of on in wake heels hard")
)  # fmt: skip


def clauses(title: str) -> list[str]:
    """The background clauses of a headline, as written."""
    return EARLIER.findall(title) + BESIDE.findall(title) + _AFTER.findall(title)


def own_clause(title: str) -> str:
    """A headline without its background clauses: what it says of its own act."""
    for clause in clauses(title):
        title = title.replace(clause, " ")
    return title


@lru_cache(maxsize=16384)
def words(title: str) -> frozenset[str]:
    """The words (as `tracker.event_words.tokens`) a headline's background clauses
    name another act by, without the words that only date it."""
    return frozenset(w for c in clauses(title) for w in tokens(c)) - _TIME_WORDS


def names_background(anchor: str, title: str) -> bool:
    """Whether a link's text is written from the headline's background clause ("adding
    27", "Senate hearing", "signing frontier safety law"): every word it names the
    act by is a word of that clause."""
    said = frozenset(tokens(anchor)) - _TIME_WORDS
    return bool(said) and said <= words(title)
