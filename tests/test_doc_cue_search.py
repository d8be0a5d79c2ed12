"""Document-type cues searched the fast way find exactly what their own patterns find.

`doc_types` searches a case-blind cue as a case-exact pattern over lowercased
text, with a leading ``\\b`` checked by hand (ten times faster); every cue, on
every text of the evaluation sets and on texts made to sit on the edges
(a cue's words inside a longer word, after punctuation, in capitals, beside
letters that lowercase to two), must give the answer of its own pattern.
"""

from __future__ import annotations

import json
from pathlib import Path

from tracker import doc_types
from tracker.doc_cues import CUES

DATA = Path(__file__).resolve().parent / "data"
EDGES = [
    "ITIF argues the rule goes too far.", "xITIF argues", "(ITIF argues)", "ITIF ARGUES",
    "CNAS reports", "Analysts said; critics say", "analystss said", "_experts say",
    "People familiar with the matter said", "on Monday", "onMonday", "İstanbul experts say",
    "This 40-page report finds that", "Reuters reported", "3Reuters reported", "é analysts say",
    "AGENCY: Bureau of Industry and Security", "Dear Chairman Scott:", "",
]  # fmt: skip


def _texts() -> list[str]:
    texts = list(EDGES)
    for name, fields in (("doctype_eval.jsonl", ("title", "text")),
                         ("tagging_eval.jsonl", ("title", "summary")),
                         ("relevance_corpus.jsonl", ("title", "text"))):  # fmt: skip
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            texts += [" ".join(item[f][: doc_types.OPENING].split()) for f in fields]
    return texts


def test_every_cue_finds_what_its_own_pattern_finds() -> None:
    texts = _texts()
    fast = sum(1 for search in doc_types._SEARCHES if search is not None)
    assert fast > len(CUES) // 2  # most cues take the fast way
    for index, cue in enumerate(CUES):
        tied = cue.where == "title" or cue.pattern.pattern.startswith("^")
        for text in texts:
            own = (cue.pattern.match(text) if tied else cue.pattern.search(text)) is not None
            assert doc_types._found(index, text, text.lower()) == own, (cue.pattern.pattern, text)
