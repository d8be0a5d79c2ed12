"""The document-type model (`tracker/type_model.py`): what it reads, when it is asked,
how it is fitted and loaded, and what the shipped model says of entries no cue types."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import make_settings

from tracker import topic_model, type_model
from tracker.config import REPO_ROOT
from tracker.doc_types import decide_doc_type
from tracker.pipeline import Pipeline
from tracker.tag import Tagger
from tracker.taxonomy import TaxonomyError, load_taxonomy
from tracker.topic_model_fit import fit
from tracker.types import DOC_TYPES
from tracker.web import create_app

TAXONOMY = """
[[topic]]
slug = "chips"
name = "Chips"
description = "Chips."
aliases = ["chips"]
"""


def test_features_read_form_not_numbers():
    found = type_model.features("H.R. 4410 - Grid Security Act of 2031", "")
    assert {"t^h", "t:#n", "t:act of", "t:of #n", "s#empty"} <= found
    assert not any("4410" in f or "2031" in f for f in found)  # a number is not a kind
    assert "t#titlecase" in type_model.features("Securing the Grid: Options for Congress", "")
    assert "t#titlecase" not in type_model.features("Regulators weigh new rules for grid", "")
    memo = type_model.features("Guidance", "MEMORANDUM FOR THE HEADS OF AGENCIES FROM: Director")
    assert {"s#caps", "s^memorandum for"} <= memo
    # Only the opening is read: a document says what it is in its first lines.
    assert "s:hearing" not in type_model.features("x", "a" * type_model.LEDE_CHARS + " hearing")


def test_the_wording_is_asked_only_when_no_form_cue_or_source_says():
    asked: list[str] = []

    def wording(title: str, text: str) -> str | None:
        asked.append(title)
        return "report"

    order = "By the authority vested in me as President, it is hereby ordered as follows:"
    assert decide_doc_type("Order", order, wording=wording) == "executive-order"
    assert decide_doc_type("Plain", "", default_doc_type="letter", wording=wording) == "letter"
    assert decide_doc_type("Plain", "", format_doc_type="rule", wording=wording) == "rule"
    assert asked == []
    assert decide_doc_type("Plain words", "Nothing of form here.", wording=wording) == "report"
    assert decide_doc_type("Plain words", "", wording=lambda title, text: None) == "news"
    assert decide_doc_type("Plain words", "") == "news"
    assert asked == ["Plain words"]
    # A news source's default is what a source that says nothing gets: its items with no
    # cue at all are read too; a weak cue ("said on Tuesday") keeps such an item news.
    assert decide_doc_type("Other words", "", default_doc_type="news", wording=wording) == "report"
    assert decide_doc_type("Senator urges action", "said on Tuesday", default_doc_type="news",
                           wording=wording) == "news"  # fmt: skip
    assert asked == ["Plain words", "Other words"]


def _toy() -> type_model.TypeModel:
    items = [
        {
            "title": f"Paper {n}: findings and options",
            "summary": "This report finds",
            "doc_type": "report",
        }
        for n in range(6)
    ] + [
        {
            "title": f"Mayor says plan {n} will pass",
            "summary": "the mayor said on Tuesday",
            "doc_type": "news",
        }
        for n in range(6)
    ]
    saved = fit(
        items,
        DOC_TYPES,
        0.5,
        steps=200,
        features=type_model.features,
        labels_of=lambda item: (item["doc_type"],),
        softmax=True,
    )
    return type_model.TypeModel(topic_model.from_dict(json.loads(json.dumps(saved))))


def test_a_fitted_model_gives_a_type_only_when_sure_enough():
    model = _toy()
    found = model.type_of("Water at risk: findings and options", "This report finds gaps")
    assert found == "report"
    assert model.type_of("Council says budget will pass", "the mayor said on Monday") == "news"
    assert model.type_of("", "") is None  # nothing read: no type is sure
    chances = model.probabilities("Water at risk: findings and options", "This report finds")
    assert set(chances) == set(DOC_TYPES) and abs(sum(chances.values()) - 1.0) < 1e-9


def _sure_of(kind: str, chance: float) -> type_model.TypeModel:
    """A model of no features whose every reading is `kind` at probability `chance`."""
    rest = (1.0 - chance) / (len(DOC_TYPES) - 1)
    bias = np.log([chance if t == kind else rest for t in DOC_TYPES])
    linear = topic_model.TopicModel(DOC_TYPES, bias, (), np.zeros((0, len(DOC_TYPES))), 0.5)
    return type_model.TypeModel(linear)


def test_a_press_release_needs_a_surer_reading_than_other_types():
    # Short news headlines read like announcements: 0.7 is enough for a report, not a
    # press release (type_model.SURER).
    assert _sure_of("report", 0.7).type_of("x", "") == "report"
    assert _sure_of("press-release", 0.7).type_of("x", "") is None
    assert _sure_of("press-release", 0.85).type_of("x", "") == "press-release"
    assert _sure_of("report", 0.45).type_of("x", "") is None


def test_a_folder_without_a_model_types_by_rules_and_a_broken_one_says_so(tmp_path: Path):
    (tmp_path / "taxonomy.toml").write_text(TAXONOMY, encoding="utf-8")
    assert load_taxonomy(tmp_path / "taxonomy.toml").type_model is None
    target = tmp_path / type_model.MODEL_FILE
    target.write_text("{not json", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"type_model\.json: cannot read the document-type"):
        load_taxonomy(tmp_path / "taxonomy.toml")
    saved = json.loads((REPO_ROOT / "data" / type_model.MODEL_FILE).read_text("utf-8"))
    target.write_text(json.dumps({**saved, "weights": "!!"}), encoding="utf-8")
    with pytest.raises(TaxonomyError, match="the document-type model is damaged"):
        load_taxonomy(tmp_path / "taxonomy.toml")
    renamed = {**saved, "topics": ["gazette", *saved["topics"][1:]]}
    target.write_text(json.dumps(renamed), encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not document types: gazette"):
        load_taxonomy(tmp_path / "taxonomy.toml")


def test_the_shipped_model_covers_every_type_and_its_training_file():
    model = load_taxonomy().type_model
    assert model is not None and model.types == DOC_TYPES
    lines = (REPO_ROOT / "data" / "type_train.jsonl").read_text("utf-8").splitlines()
    trained = [json.loads(line) for line in lines if line]
    saved = json.loads((REPO_ROOT / "data" / type_model.MODEL_FILE).read_text("utf-8"))
    assert saved["trained_on"] == len(trained) >= 2000
    assert {i["doc_type"] for i in trained} == set(DOC_TYPES)


# Entries no form cue types (each checked to have none), written for this test.
UNCUED = [
    (
        "Energy Conservation Program: Test Procedures for Portable Electric Heaters; Amendments",
        "",
        "rule",
    ),
    (
        "Ferry operator cancels winter crossings after engine fault",
        "The operator said repairs would take at least six weeks, leaving island "
        "residents to rely on a single daily flight.",
        "news",
    ),
]


@pytest.mark.parametrize(("title", "summary", "kind"), UNCUED)
def test_the_shipped_model_types_entries_no_cue_types(title, summary, kind):
    tagger = Tagger(load_taxonomy())
    assert decide_doc_type(title, summary) == "news"  # the rules alone: no cue at all
    assert tagger.tag(title, summary).doc_type == kind


WIRE = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local wire</title><link>https://example.org/</link>
<description>Test</description>
<item><title>Energy Conservation Program: Test Procedures for Portable Electric Heaters;
Amendments</title><link>https://example.org/heaters</link><guid>heaters</guid>
<pubDate>Tue, 02 Jun 2026 14:00:00 GMT</pubDate></item>
<item><title>Ferry operator cancels winter crossings after engine fault</title>
<link>https://example.org/ferry</link><guid>ferry</guid>
<description>The operator said repairs would take at least six weeks.</description>
<pubDate>Tue, 02 Jun 2026 15:00:00 GMT</pubDate></item>
</channel></rss>
"""


def test_the_item_page_says_when_a_type_was_read_from_the_wording(tmp_path: Path):
    settings = make_settings(tmp_path)
    pipeline = Pipeline(settings)
    pipeline.init()
    feed = tmp_path / "wire.xml"
    feed.write_text(WIRE, encoding="utf-8")
    assert pipeline.ingest_file(feed, "local-wire", "rss").new == 2  # a source typed news
    pipeline.settle()
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    heaters = client.get("/api/v1/items?q=heaters").get_json()["items"][0]
    ferry = client.get("/api/v1/items?q=ferry").get_json()["items"][0]
    assert (heaters["doc_type"], ferry["doc_type"]) == ("rule", "news")
    page = client.get(f"/items/{heaters['id']}").get_data(as_text=True)
    assert "Rule, read from its wording" in page
    page = client.get(f"/items/{ferry['id']}").get_data(as_text=True)
    assert "read from its wording" not in page
    pipeline.engine.dispose()
