"""How event grouping reads coverage that paraphrases an act (issue 13, part 3).

Headlines restate an act in their own words: "blacklist" for the Entity List,
"artificial intelligence" for AI, "defense bill" for the NDAA, "to pay $140
million" for a penalty. Each test fails on the code before this change (7558d6d,
checked by running it there). The items are invented, as in the sets.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import partial

from event_items import report

from tracker import event_kinds, event_names
from tracker.event_rarity import FLOOR, rarity
from tracker.event_words import tokens
from tracker.events import group, score

TUESDAY = datetime.fromisoformat("2027-03-09T08:45:00-05:00")


item = partial(report, start=TUESDAY)


def test_outlets_words_for_one_thing_are_one_word() -> None:
    assert tokens("Artificial Intelligence in Military Operations") == tokens(
        "AI in battlefield operations"
    )
    assert tokens("added to the blacklist") == tokens("added to the Entity List")
    assert tokens("Senate clears defense bill") == tokens(
        "Senate clears National Defense Authorization Act"
    )
    assert tokens("semiconductor makers") == tokens("chip makers")
    assert tokens("settlement") == tokens("consent")


def test_common_words_weigh_less_than_rare_ones() -> None:
    assert rarity("ai") == FLOOR  # the commonest words of the field keep the floor
    assert rarity("chip") < rarity("foundry") < rarity("never-seen-stem") == 1.0


def test_paraphrased_acts_are_read_as_their_kind() -> None:
    assert "charge" in event_kinds.kinds("Chip software maker to pay $140 million over exports")
    assert "charge" in event_kinds.kinds("AI detector maker reaches consent order with FTC")
    assert "passage" in event_kinds.kinds("Senate clears FY28 defense bill")
    assert "hearing" in event_kinds.kinds("Pentagon AI chief tells senators testing lags")
    assert "order" in event_kinds.kinds("Trump order takes aim at state AI rules")
    assert "rule" in event_kinds.kinds("US widens export limits on memory chips")


def test_a_blacklist_story_joins_the_entity_list_rule_it_paraphrases() -> None:
    rule = item(
        1, "Additions to the Entity List",
        "In this rule, the Bureau of Industry and Security (BIS) amends the Export "
        "Administration Regulations (EAR) by adding 11 entities to the Entity List.",
        doc_type="export-control", source="federal-register-bis",
    )  # fmt: skip
    story = item(2, "US adds 11 firms to trade blacklist over chip diversion",
                 "Most of the companies are in China.", hours=4)  # fmt: skip
    # Same week, same agency, other act: a request for comments stays apart.
    request = item(
        3, "Request for Comments on Foundry Due Diligence",
        "BIS requests comments on the foundry due diligence rule. Comments due May 10.",
        hours=2, doc_type="notice", source="federal-register-bis",
    )  # fmt: skip
    assert score(rule, story) >= 0.30
    groups = group([rule, story, request])
    assert [1, 2] in groups and [3] in groups


def test_one_kind_of_act_by_two_named_actors_gains_nothing() -> None:
    # The same-kind bonus is for a report that names no actor, or the same one.
    first = item(1, "Authors sue Nvidia over training data", "The suit was filed in California.")
    second = item(2, "Publishers sue AMD over chip designs", "Filed in Texas.", hours=3)
    first = dataclasses.replace(first, entities=frozenset({"nvidia"}))
    second = dataclasses.replace(second, entities=frozenset({"amd"}))
    unnamed = item(3, "Publishers file lawsuit over training data", "The suit names no firm.")
    assert not event_names.same_kind_unnamed(first, second)
    assert event_names.same_kind_unnamed(first, unnamed)
    assert score(first, second) < 0.30
