"""Floors under the measured figures of the evaluation sets (issue #13), so a
change that makes the tagger's judgement worse fails CI. `python
bench/tagging.py` prints the full tables; the floors sit a little under what it
measured when they were set (see the closing note of issue #13)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from tracker.tag import Tagger
from tracker.taxonomy import load_taxonomy
from tracker.types import DOC_TYPES

DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(DATA.parent.parent / "bench"))

from tagging import counts, micro, prf, wrong_tags  # noqa: E402

# split → (entity F1, topic F1, most lookalike items tagged); measured:
# tune 1.000 / 0.993 / 0, holdout 0.998 / 0.975 / 1 (with the topic model, topics38).
TAG_FLOORS = {"tune": (0.98, 0.97, 0), "holdout": (0.97, 0.96, 1)}
# Document types from title and text alone; measured: tune 1.000, holdout 0.961.
TYPE_FLOORS = {"tune": 0.97, "holdout": 0.94}


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


@pytest.mark.parametrize("split", ["tune", "holdout"])
def test_tags_hold_their_floors(tagger, split):
    items = [i for i in _load("tagging_eval.jsonl") if i["split"] == split]
    results = [tagger.tag(i["title"], i["summary"]) for i in items]
    entity_floor, topic_floor, most_looks = TAG_FLOORS[split]
    assert prf(micro(counts(items, results, "entities")))[2] >= entity_floor
    assert prf(micro(counts(items, results, "topics")))[2] >= topic_floor
    pairs = zip(items, results, strict=True)
    looks = [i["id"] for i, r in pairs if i["lookalike"] and wrong_tags(i, r)]
    assert len(looks) <= most_looks, looks


# Sets written blind to the tagger by separate writers (tests/data/EVALUATION.md): set →
# (entity F1, topic F1, most lookalikes tagged, document type accuracy); measured at
# passing57: unseen2 0.984 / 0.898 / 2 of 111 / 0.745, unseen3 0.989 / 0.916 / 1 of 122 /
# 0.816, unseen4 0.980 / 0.879 / 4 of 84 / 0.816, unseen5 0.981 / 0.920 / 0 of 98 / 0.739,
# unseen6 0.955 / 0.863 / 2 of 92 / 0.756, unseen7 0.991 / 0.872 / 1 of 93 / 0.853,
# unseen8 0.929 / 0.893 / 7 of 95 / 0.869, unseen9 0.946 / 0.922 / 3 of 95 / 0.910,
# unseen10 0.947 / 0.922 / 5 of 96 / 0.931, unseen11 0.986 / 0.936 / 5 of 95 / 0.914,
# unseen12 0.997 / 0.919 / 3 of 95 / 0.931, unseen13 0.992 / 0.935 / 6 of 95 / 0.935,
# unseen14 0.984 / 0.929 / 5 of 95 / 0.922, unseen15 0.981 / 0.935 / 4 of 95 / 0.914,
# unseen16 0.988 / 0.928 / 4 of 95 / 0.935, unseen17 0.986 / 0.957 / 4 of 95 / 0.943,
# unseen18 0.981 / 0.934 / 8 of 95 / 0.935, unseen19 0.995 / 0.918 / 5 of 95 / 0.902,
# unseen20 0.991 / 0.939 / 0 of 95 / 0.927, unseen21 0.992 / 0.894 / 13 of 95 / 0.873,
# unseen22 0.982 / 0.928 / 5 of 95 / 0.837 (licences57), unseen23 0.966 / 0.927 / 7 of 95 /
# 0.861 (compute57), unseen24 0.982 / 0.900 / 8 of 95 / 0.784. Each was first scored on main before
# the lever it was sealed before: unseen3 tagging34, unseen4 tagging35, unseen5
# topics36, unseen6 topics36 and tagging37, unseen7 topics38, unseen8 types39, unseen9
# tagging40 (and scored on types39 too); unseen10, written after tagging40, was scored
# on the session's first code, types39 and tagging40; unseen11 issuers42; unseen12,
# written after issuers42 and blind to it, on the session's first code, issuers42 and
# voice43; unseen13 topics44; unseen14 topics44, entities45 and lookalikes46; unseen15
# those and topics47; unseen16 all of session 18's levers up to entities48; unseen17
# those and topics49; unseen18 those and lookalikes50; unseen19 topics51 (with
# lookalikes51); unseen20 topics51 and lookalikes52; unseen21 topics51, lookalikes52
# and topics53 with lookalikes53; unseen22 passing57 (0.919 topic F1 before it); unseen23
# passing57 and licences57 (0.917, 0.921, 0.925); unseen24 those and compute57 (0.888,
# 0.900, 0.900, 0.900).
UNSEEN_FLOORS = {
    "tagging_unseen2.jsonl": (0.97, 0.88, 3, 0.73),
    "tagging_unseen3.jsonl": (0.97, 0.89, 2, 0.79),
    "tagging_unseen4.jsonl": (0.96, 0.85, 5, 0.80),
    "tagging_unseen5.jsonl": (0.96, 0.90, 1, 0.72),
    "tagging_unseen6.jsonl": (0.94, 0.84, 3, 0.73),
    "tagging_unseen7.jsonl": (0.97, 0.86, 2, 0.83),
    "tagging_unseen8.jsonl": (0.91, 0.85, 8, 0.85),
    "tagging_unseen9.jsonl": (0.93, 0.89, 4, 0.88),
    "tagging_unseen10.jsonl": (0.93, 0.90, 6, 0.91),
    "tagging_unseen11.jsonl": (0.97, 0.90, 7, 0.89),
    "tagging_unseen12.jsonl": (0.98, 0.90, 5, 0.91),
    "tagging_unseen13.jsonl": (0.97, 0.91, 10, 0.92),
    "tagging_unseen14.jsonl": (0.97, 0.90, 8, 0.91),
    "tagging_unseen15.jsonl": (0.96, 0.90, 7, 0.90),
    "tagging_unseen16.jsonl": (0.97, 0.89, 7, 0.92),
    "tagging_unseen17.jsonl": (0.97, 0.94, 8, 0.93),
    "tagging_unseen18.jsonl": (0.96, 0.90, 14, 0.92),
    "tagging_unseen19.jsonl": (0.98, 0.90, 6, 0.89),
    "tagging_unseen20.jsonl": (0.98, 0.92, 1, 0.91),
    "tagging_unseen21.jsonl": (0.98, 0.87, 14, 0.86),
    "tagging_unseen22.jsonl": (0.97, 0.91, 6, 0.82),
    "tagging_unseen23.jsonl": (0.95, 0.91, 8, 0.84),
    "tagging_unseen24.jsonl": (0.97, 0.88, 9, 0.76),
}


def test_every_blind_set_has_its_floors():
    """A set added to tests/data (and so to bench/tagging.py) is held here too."""
    on_disk = {p.name for p in DATA.glob("tagging_unseen*.jsonl")}
    assert on_disk == set(UNSEEN_FLOORS)


@pytest.mark.parametrize("name", sorted(UNSEEN_FLOORS))
def test_unseen_tagging_sets_hold_their_floors(tagger, name):
    items = _load(name)
    results = [tagger.tag(i["title"], i["summary"]) for i in items]
    entity_floor, topic_floor, most_looks, type_floor = UNSEEN_FLOORS[name]
    assert prf(micro(counts(items, results, "entities")))[2] >= entity_floor
    assert prf(micro(counts(items, results, "topics")))[2] >= topic_floor
    pairs = zip(items, results, strict=True)
    looks = [i["id"] for i, r in pairs if i["lookalike"] and wrong_tags(i, r)]
    assert len(looks) <= most_looks, looks
    right = sum(i["doc_type"] == r.doc_type for i, r in zip(items, results, strict=True))
    assert right / len(items) >= type_floor
    assert len(items) >= 200 and sum(i["lookalike"] for i in items) >= 80


@pytest.mark.parametrize("split", ["tune", "holdout"])
def test_document_types_hold_their_floors(tagger, split):
    items = [i for i in _load("doctype_eval.jsonl") if i["split"] == split]
    right = sum(tagger.tag(i["title"], i["text"]).doc_type == i["doc_type"] for i in items)
    assert right / len(items) >= TYPE_FLOORS[split]


def test_the_typed_set_is_well_formed():
    items = _load("doctype_eval.jsonl")
    assert len(items) >= 150 and len({i["id"] for i in items}) == len(items)
    kinds = Counter(i["doc_type"] for i in items)
    assert set(kinds) == set(DOC_TYPES) and min(kinds.values()) >= 15
    assert all(i["split"] in ("tune", "holdout") for i in items)
    assert all(i["note"] for i in items if i["ambiguous"])
    assert sum(i["ambiguous"] for i in items) >= 40  # the hard cases are there


def test_the_tagging_set_covers_every_term_and_its_lookalikes():
    taxonomy = load_taxonomy()
    items = _load("tagging_eval.jsonl")
    assert len(items) >= 300
    labelled = Counter(s for i in items for s in i["topics"] + i["entities"])
    for term in taxonomy:
        assert labelled[term.slug] >= 2, term.slug
    sealed = [i for i in items if i["batch"] == 5]
    assert len(sealed) >= 100 and {i["split"] for i in sealed} == {"holdout"}
    looks = " ".join(f"{i['title']} {i['summary']}" for i in items if i["lookalike"])
    for phrase in ("minimax", "XAI", "Amazon rainforest", "macular", "intel", "Ernie Els",
                   "Wayne Huizenga", "Kim Jong Un", "Foreign Military Financing", "CNAs",
                   "BIS Innovation Hub", "Warren Davidson", "Chips Ahoy", "NDA"):  # fmt: skip
        assert phrase in looks, phrase
