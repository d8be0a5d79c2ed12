"""The topic model: topics read from wording the taxonomy's rules do not list."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tracker import topic_model
from tracker.config import REPO_ROOT
from tracker.tag import Tagger
from tracker.taxonomy import TaxonomyError, load_taxonomy, parse_taxonomy
from tracker.topic_model_fit import fit, read_items

TAXONOMY = """
[[topic]]
slug = "export-controls"
name = "Export controls"
description = "Export rules."
aliases = ["export controls"]

[[topic]]
slug = "semiconductors"
name = "Semiconductors"
description = "Chips."
aliases = ["semiconductors"]

[[topic]]
slug = "chips-act"
name = "CHIPS Act"
description = "The CHIPS Act."
parent = "semiconductors"
aliases = ["CHIPS Act"]
"""

# A tiny training set: trade-blacklist wording is export controls, fab grants the
# CHIPS Act, the rest neither.
TRAIN = [
    *(
        {"title": f"{firm} added to trade blacklist", "summary": f"{firm} cannot buy U.S. parts "
         "without a licence after the blacklist move.", "topics": ["export-controls"]}
        for firm in ("Acme", "Borealis", "Cobalt", "Dyna", "Epsilon", "Fulcrum")
    ),
    *(
        {"title": f"{firm} wins fab grant", "summary": f"{firm} gets a federal fab grant for a "
         "new plant under the 2022 subsidy law.", "topics": ["chips-act", "semiconductors"]}
        for firm in ("Gamma", "Helix", "Ion", "Juno", "Kappa", "Lumen")
    ),
    *(
        {"title": f"{town} opens a library", "summary": f"{town} residents can borrow books "
         "from the new library on weekdays.", "topics": []}
        for town in ("Avon", "Bury", "Cray", "Dent", "Eyam", "Frome", "Goole", "Hull")
    ),
]  # fmt: skip
TOPICS = ["export-controls", "semiconductors", "chips-act"]


@pytest.fixture(scope="module")
def fitted() -> topic_model.TopicModel:
    return topic_model.from_dict(fit(TRAIN, TOPICS, threshold=0.6, steps=300))


def test_features_are_words_and_neighbouring_pairs_within_a_field():
    found = topic_model.features("Firm added to the blacklist", "The blacklist grows.")
    assert {"firm", "added", "blacklist", "firm added", "added blacklist"} <= found
    assert "the" not in found and "to" not in found  # stop words left out before pairs
    assert "blacklist blacklist" not in found  # no pair across the headline and the text
    where = topic_model.locate("added blacklist", "Firm added to the blacklist", "")
    assert where == ("title", 5, 27, "added to the blacklist")
    assert topic_model.locate("grows", "Firm added", "The blacklist grows.") == (
        "text",
        14,
        19,
        "grows",
    )


def test_only_the_lede_is_read():
    text = "A plain opening. " * 10 + "trade blacklist"
    assert len("A plain opening. " * 10) < topic_model.LEDE_CHARS
    assert "blacklist" in topic_model.features("", text)
    assert "blacklist" not in topic_model.features("", "x " * topic_model.LEDE_CHARS + text)
    assert topic_model.locate("blacklist", "", "x " * topic_model.LEDE_CHARS + text) is None
    long_title = "x " * topic_model.LEDE_CHARS + "blacklist"  # a hostile headline too
    assert "blacklist" not in topic_model.features(long_title, "")


def test_a_fitted_model_reads_new_wording_and_gives_its_words_as_evidence(fitted):
    title = "Zeta Corp added to trade blacklist"
    read = fitted.topics_of(title, "Officials named the firm on Tuesday.")
    assert set(read) == {"export-controls"}
    evidence = read["export-controls"]
    assert all(title[e.start : e.end] == e.text for e in evidence if e.field == "title")
    assert {e.text for e in evidence} & {"blacklist", "trade blacklist", "trade"}
    assert fitted.topics_of("Yarm opens a library", "Books on weekdays.") == {}


def test_fitting_is_deterministic_and_saves_plain_json():
    once, again = fit(TRAIN, TOPICS, 0.6, steps=50), fit(TRAIN, TOPICS, 0.6, steps=50)
    assert once == again
    assert json.loads(json.dumps(once)) == once


def test_the_tagger_adds_what_the_rules_missed_and_keeps_what_they_found(fitted):
    taxonomy = replace(parse_taxonomy(TAXONOMY), topic_model=fitted)
    tagger = Tagger(taxonomy)
    result = tagger.tag("Helix wins fab grant", "A federal fab grant for a new plant.")
    origins = {t.slug: t.origin for t in result.tags}
    # The child read by the model; its parent is a reading too, not a rule's parent.
    assert origins == {"chips-act": "model", "semiconductors": "model"}
    named = tagger.tag("Export controls: Acme added to trade blacklist", "")
    assert {t.slug: t.origin for t in named.tags} == {"export-controls": "rule"}
    # Without the model the same taxonomy tags by its rules alone.
    plain = Tagger(parse_taxonomy(TAXONOMY)).tag("Helix wins fab grant", "A fab grant.")
    assert plain.tags == ()


def test_a_rule_found_parent_is_not_taken_over_by_the_model(fitted):
    taxonomy = replace(parse_taxonomy(TAXONOMY), topic_model=fitted)
    result = Tagger(taxonomy).tag("CHIPS Act: Helix wins fab grant", "A fab grant for a plant.")
    origins = {t.slug: t.origin for t in result.tags}
    assert origins == {"chips-act": "rule", "semiconductors": "parent"}


def test_topics_the_taxonomy_lacks_are_never_given(fitted):
    taxonomy = parse_taxonomy(TAXONOMY.split('[[topic]]\nslug = "semiconductors"')[0])
    result = Tagger(replace(taxonomy, topic_model=fitted)).tag("Helix wins fab grant", "")
    assert result.tags == ()


def test_a_folder_without_a_model_tags_by_rules_and_a_broken_one_says_so(tmp_path: Path):
    (tmp_path / "taxonomy.toml").write_text(TAXONOMY, encoding="utf-8")
    assert load_taxonomy(tmp_path / "taxonomy.toml").topic_model is None
    (tmp_path / topic_model.MODEL_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"topic_model\.json: cannot read the topic model"):
        load_taxonomy(tmp_path / "taxonomy.toml")
    (tmp_path / topic_model.MODEL_FILE).write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(TaxonomyError, match=f"not a topic model of format {topic_model.FORMAT}"):
        load_taxonomy(tmp_path / "taxonomy.toml")
    damaged = {**fit(TRAIN, TOPICS, 0.6, steps=5), "weights": "not base64!"}
    (tmp_path / topic_model.MODEL_FILE).write_text(json.dumps(damaged), encoding="utf-8")
    with pytest.raises(TaxonomyError, match="the topic model is damaged"):
        load_taxonomy(tmp_path / "taxonomy.toml")
    short = {**damaged, "weights": "AAAA"}  # three bytes: no whole row of weights
    (tmp_path / topic_model.MODEL_FILE).write_text(json.dumps(short), encoding="utf-8")
    with pytest.raises(TaxonomyError, match="the topic model is damaged"):
        load_taxonomy(tmp_path / "taxonomy.toml")


def test_the_shipped_model_matches_the_taxonomy_and_its_training_file():
    taxonomy = load_taxonomy()
    model = taxonomy.topic_model
    assert model is not None
    assert set(model.topics) == {t.slug for t in taxonomy.topics}
    saved = json.loads((REPO_ROOT / "data" / topic_model.MODEL_FILE).read_text("utf-8"))
    assert saved["trained_on"] == len(read_items(REPO_ROOT / "data" / "topic_train.jsonl"))


# Wording no rule of the taxonomy lists (each untagged by the rules alone).
@pytest.mark.parametrize(
    ("title", "summary", "topic"),
    [
        ("Regulators sue to stop merger of two grocery chains",
         "The complaint says the deal would raise prices for shoppers.", "antitrust"),
        ("Panel will vet Gulf fund's purchase of U.S. drone maker",
         "The review could force the buyer to sell its stake.", "foreign-investment"),
        ("Governor signs bill on automated hiring tools",
         "The state law requires audits of algorithms used to screen job applicants.",
         "state-ai-laws"),
        ("Utility balks at power demand from planned AI campus",
         "The developer wants 800 megawatts for racks of accelerators.", "compute"),
        ("Lab posts its largest model's parameters for anyone to download",
         "Researchers can run and fine-tune the system on their own hardware.",
         "model-weights"),
    ],
)  # fmt: skip
def test_the_shipped_model_reads_paraphrase(title, summary, topic):
    taxonomy = load_taxonomy()
    assert topic not in Tagger(replace(taxonomy, topic_model=None)).tag(title, summary).topics
    result = Tagger(taxonomy).tag(title, summary)
    tag = next(t for t in result.tags if t.slug == topic)
    assert tag.origin == "model"
    assert all((title if e.field == "title" else summary)[e.start : e.end] == e.text
               for e in tag.evidence)  # fmt: skip


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Distillery opens tasting room", "The whiskey maker will pour its new single malt."),
        ("Casino adds poker tables", "Players can buy chips at the cage from noon."),
        ("Council approves new bus routes", "Three routes will serve the east side from May."),
    ],
)
def test_the_shipped_model_leaves_lookalikes_and_other_news_alone(title, summary):
    result = Tagger(load_taxonomy()).tag(title, summary)
    assert [t.slug for t in result.tags if t.origin == "model"] == []


def test_the_same_item_reads_the_same_under_any_hash_seed():
    """Features are a set, whose order follows the hash seed: the sums and the order
    of the evidence must not."""
    script = (
        "import json\n"
        "from tracker.taxonomy import load_taxonomy\n"
        "m = load_taxonomy().topic_model\n"
        "t, s = 'Utility balks at power demand from planned AI campus', "
        "'The developer wants two gigawatts for racks of accelerators.'\n"
        "print(json.dumps([m.probabilities(t, s), m.topics_of(t, s)]))\n"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True, cwd=REPO_ROOT,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }  # fmt: skip
    assert len(outs) == 1 and "compute" in outs.pop()
