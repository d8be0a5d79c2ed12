"""Tagging: what is tagged, what must not be, the evidence, document types, bill numbers."""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path

import pytest

import tracker.tag
from tracker.tag import decide_doc_type, find_bill_refs, tag_item
from tracker.taxonomy import load_taxonomy, parse_taxonomy
from tracker.types import DOC_TYPES, TagResult

EVAL = Path(__file__).resolve().parent / "data" / "tagging_eval.jsonl"
BIS_AGENCIES = ("Commerce Department", "Industry and Security Bureau")


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture
def tag(taxonomy):
    def tag(title: str, text: str = "") -> set[str]:
        result = tag_item(title, text, taxonomy)
        return set(result.topics + result.entities)

    return tag


# Each required slug with its plain names, said in an ordinary sentence.
PLAIN = {
    "distillation": ["distillation", "model distillation", "distillation attacks"],
    "export-controls": ["export controls", "the Entity List", "export licences", "the EAR"],
    "antitrust": ["antitrust", "competition law", "collusion", "monopolization"],
    "national-security": ["national security", "espionage", "the Pentagon"],
    "semiconductors": ["semiconductors", "AI chips", "GPUs", "chipmaking tools"],
    "intellectual-property": ["intellectual property", "trade secrets", "copyright"],
    "anthropic": ["Anthropic", "Claude"],
    "openai": ["OpenAI", "ChatGPT", "GPT-4o"],
    "alibaba": ["Alibaba", "Alibaba Cloud"],
    "deepseek": ["DeepSeek"],
    "moonshot-ai": ["Moonshot AI", "Kimi"],
    "nvidia": ["Nvidia", "NVIDIA", "H20 chips"],
    "huawei": ["Huawei"],
    "google": ["Google", "the Gemini model", "Google DeepMind"],
    "meta": ["Meta", "the Llama 4 model", "Facebook"],
    "microsoft": ["Microsoft", "Azure"],
    "qwen": ["Qwen", "Qwen3", "Tongyi Qianwen"],
    "commerce-department": ["the Commerce Department", "the Department of Commerce"],
    "bis": ["the Bureau of Industry and Security", "BIS"],
    "white-house": ["the White House"],
    "ftc": ["the FTC", "the Federal Trade Commission"],
    "doj": ["the Justice Department", "the DOJ"],
    "senate-banking-committee": ["the Senate Banking Committee"],
    "elizabeth-warren": ["Elizabeth Warren", "Sen. Warren"],
    "tim-scott": ["Tim Scott"],
    "iaps": ["IAPS", "the Institute for AI Policy and Strategy"],
}

# Phrasing a keyword list would miss: no name of the topic, or a name that needs context.
HARD = [
    ("compute", "Lab switches on a 20,000-chip Kunlun cluster", ""),
    ("compute", "", "Its GPU stockpile will last another year, the chief executive said."),
    ("export-controls", "Nvidia sales to China slump under U.S. curbs", ""),
    (
        "export-controls",
        "Lab needs a licence to ship chips to China",
        "The company must obtain a licence before it ships the chips to Chinese buyers.",
    ),
    ("distillation", "", "The startup trained its model on the outputs of a rival's chatbot."),
    ("distillation", "Lab says rivals used ChatGPT responses to train a competing model", ""),
    ("distillation", "", "Anthropic wants consent before anyone distills its models."),
    ("distillation", "", "IAPS wants BIS to collect reports of output harvesting."),
    ("export-controls", "Twelve Chinese firms added to the Entity List", ""),
    ("export-controls", "", "Exports of the H20 to China now require a licence."),
    ("antitrust", "Sherman Act suit targets pricing software", ""),
    ("antitrust", "", "Regulators said the merger would stifle competition."),
    ("national-security", "", "The companies support China's military modernization."),
    ("semiconductors", "", "New rules cover lithography machines and graphics processors."),
    ("intellectual-property", "", "An intruder copied the company's model weights."),
    ("intellectual-property", "", "Officials say foreign labs try to steal American models."),
    ("semiconductors", "Nvidia raises prices", "The company said demand for its chips doubled."),
    ("anthropic", "", "Claude Code now writes most of the company's software."),
    ("openai", "", "GPT-5 beat the other models."),
    ("qwen", "", "QwQ is a reasoning model."),
    ("moonshot-ai", "", "Beijing startup Moonshot released Kimi K2."),
    ("nvidia", "", "Demand for Blackwell GPUs keeps rising."),
    ("huawei", "", "Ascend chips power the cluster."),
    ("commerce-department", "Warning from Commerce on Huawei chips", ""),
    ("commerce-department", "", "Secretary Lutnick spoke on Monday."),
    ("bis", "BIS adds firms to list", "The bureau cited diversion of chips."),
    ("white-house", "", "OSTP asked for comments."),
    ("doj", "", "The Antitrust Division filed suit."),
    ("senate-banking-committee", "", "The Committee on Banking, Housing, and Urban Affairs met."),
    ("tim-scott", "", "Banking Committee Chairman Scott opened the hearing."),
    ("tim-scott", "Sens. Warren and Scott write to Anthropic", ""),
    ("elizabeth-warren", "Warren presses Commerce", "The Massachusetts Democrat wrote a letter."),
    ("elizabeth-warren", "", "Ranking Member Warren and Chairman Tim Scott asked for a briefing."),
    ("iaps", "", "The Institute for AI Policy and Strategy published a report."),
]

# Words that look like a term and are not it: (title, text, slugs that must not appear).
LOOKALIKES = [
    ("Claude Monet's water lilies sell for $65 million", "", {"anthropic"}),
    (
        "Retrospective opens at Giverny",
        "Eighty paintings by Claude go on show.",
        {"anthropic"},
    ),
    ("Jean-Claude Juncker criticises EU tech rules", "", {"anthropic"}),
    ("The anthropic principle revisited", "Cosmologists debate fine-tuning.", {"anthropic"}),
    ("Physicists Revisit the Anthropic Principle", "", {"anthropic"}),
    ("Warren Buffett trims bank stakes", "Berkshire sold more shares.", {"elizabeth-warren"}),
    ("Warren, Michigan approves data center", "", {"elizabeth-warren"}),
    ("Sen. Rick Scott proposes spending freeze", "", {"tim-scott"}),
    (
        "Treasury Secretary Scott Bessent testifies",
        "He spoke to the Banking Committee.",
        {"tim-scott"},
    ),
    ("Hart-Scott-Rodino thresholds rise", "The FTC adjusted them.", {"tim-scott"}),
    ("Sen. Sheldon Whitehouse presses on climate", "", {"white-house"}),
    ("BIS warns on AI in finance", "The Bank for International Settlements said so.", {"bis"}),
    ("U.S. Chamber of Commerce backs AI preemption", "", {"commerce-department"}),
    ("E-commerce sales climb", "Cross-border E-Commerce platforms grew.", {"commerce-department"}),
    (
        "Senate Commerce Committee advances bill",
        "It violates the Commerce Clause.",
        {"commerce-department"},
    ),
    ("Meta-analysis finds limited effect", "A meta-analysis of 40 studies.", {"meta"}),
    ("Developers embrace open AI models", "Open AI systems are cheaper.", {"openai"}),
    ("Economists debate GPT effects", "A general purpose technology spreads slowly.", {"openai"}),
    ("NASA marks Gemini 4 anniversary", "Ed White left the Gemini spacecraft.", {"google"}),
    ("Restored Gemini capsule on display", "", {"google"}),
    ("Crypto exchange Gemini files for IPO", "The Winklevoss twins' firm.", {"google"}),
    ("Kimi Räikkönen returns to Ferrari", "", {"moonshot-ai"}),
    ("Cancer Moonshot funding cut", "", {"moonshot-ai"}),
    ("Llama farmers struggle with drought", "Breeders say hay prices doubled.", {"meta"}),
    ("Craft distillers seek relief on distilled spirits", "", {"distillation"}),
    ("Whiskey distillation boom", "New bourbon distilleries open.", {"distillation"}),
    ("Distillate fuel inventories fall", "Diesel stocks dropped.", {"distillation"}),
    ("Refinery outage", "A fire shut the crude distillation unit.", {"distillation"}),
    ("Solar water distillation helps towns", "", {"distillation"}),
    (
        "Hearing takeaways, distilled",
        "We distilled three hours of testimony into five points.",
        {"distillation"},
    ),
    ("Tariffs on Chinese imports rise", "Exports of beef hit a record.", {"export-controls"}),
    ("Potato chip maker recalls snacks", "Blue-chip stocks rallied.", {"semiconductors"}),
    # The snack named in the headline speaks for the body's bare "chips".
    (
        "Potato chips maker raises prices as costs climb",
        "The snack company said higher potato and cooking oil costs forced it to raise prices"
        " on its chips.",
        {"semiconductors"},
    ),
    # Car thieves' "models" are cars: the headline's car speaks for the body.
    (
        "Car theft rings target keyless models",
        "Police say thieves are using relay devices to steal keyless-entry models from driveways.",
        {"intellectual-property"},
    ),
    ("Intelligence sharing among labs", "Threat intelligence helps.", {"national-security"}),
    (
        "Chinese lab publishes its weights under an open licence",
        "The Beijing developer released the model's weights under an open licence on Monday.",
        {"export-controls"},
    ),
    (
        "Curbs on U.S. investment in Chinese AI take effect",
        "Treasury's outbound rules bar American funds from backing Chinese AI start-ups.",
        {"export-controls"},
    ),
    (
        "Software license dispute",
        "Users must accept a license that bars some uses.",
        {"export-controls"},
    ),
]


@pytest.mark.parametrize(
    ("slug", "form"), [(slug, form) for slug, forms in PLAIN.items() for form in forms]
)
def test_plain_forms_are_tagged(tag, slug, form):
    assert slug in tag("", f"On Tuesday officials discussed {form} at length.")
    assert slug in tag(f"Officials discuss {form}")


@pytest.mark.parametrize(("slug", "title", "text"), HARD)
def test_hard_forms_are_tagged(tag, slug, title, text):
    assert slug in tag(title, text)


def test_every_alias_matches_itself(taxonomy, tag):
    for term in taxonomy:
        # A person of the taxonomy counts only in an item about public life.
        news = "Senate news" if term.entity_kind == "person" else "News"
        for alias in term.aliases:
            # Weak clues (weight below 1) count only in a title.
            assert term.slug in tag(f"{news} about {alias} today"), (term.slug, alias)


@pytest.mark.parametrize(("title", "text", "forbidden"), LOOKALIKES)
def test_lookalikes_are_not_tagged(tag, title, text, forbidden):
    assert not tag(title, text) & forbidden


def test_case_and_whole_words(tag):
    assert "meta" not in tag("", "A meta discussion of the metaverse and Metaverse apps.")
    assert "openai" not in tag("", "The GPTQ quantiser is open source.")
    assert "openai" in tag("", "OpenAI's GPT-4o launched.")
    assert "export-controls" in tag("EXPORT CONTROLS TIGHTEN")
    assert "anthropic" not in tag("", "an anthropic view of history")


def test_evidence_points_at_the_matched_words(taxonomy):
    title = "Alibaba denies Anthropic's account of Qwen training"
    text = "A spokesperson said the Tongyi Qianwen models were not trained on Claude's outputs."
    result = tag_item(title, text, taxonomy)
    fields = {"title": title, "text": text}
    for tag in result.tags:
        assert tag.evidence, tag.slug
        for ev in tag.evidence:
            assert fields[ev.field][ev.start : ev.end] == ev.text
    by_slug = {t.slug: t for t in result.tags}
    assert [(e.field, e.text) for e in by_slug["qwen"].evidence] == [
        ("title", "Qwen"),
        ("text", "Tongyi Qianwen"),
    ]
    assert [e.text for e in by_slug["anthropic"].evidence] == ["Anthropic", "Claude"]
    assert by_slug["distillation"].evidence[0].text == "trained on Claude's outputs"
    assert by_slug["alibaba"].origin == "rule"  # named itself, not only implied by Qwen


def test_a_child_implies_its_parent_with_the_childs_evidence(taxonomy):
    result = tag_item("Qwen tops leaderboard", "BIS issued a rule.", taxonomy)
    by_slug = {t.slug: t for t in result.tags}
    assert by_slug["alibaba"].origin == "parent"
    assert by_slug["alibaba"].evidence == by_slug["qwen"].evidence
    assert by_slug["commerce-department"].origin == "parent"
    assert by_slug["commerce-department"].evidence[0].text == "BIS"
    assert result.entities.index("qwen") < result.entities.index("alibaba")


def test_longest_name_wins(taxonomy):
    result = tag_item("", "Alibaba Cloud and the Bureau of Industry and Security", taxonomy)
    by_slug = {t.slug: t for t in result.tags}
    assert [e.text for e in by_slug["alibaba"].evidence] == ["Alibaba Cloud"]
    assert [e.text for e in by_slug["bis"].evidence] == ["Bureau of Industry and Security"]


RULES = """\
[[topic]]
slug = "chips"
name = "Chips"
description = "d"
aliases = ["chip"]
not_before = ['potato\\s+']
not_after = ['\\s+in\\b']
unless_near = ['casino']

[[topic.match]]
words = ["wafer"]
weight = 0.5

[[topic]]
slug = "bans"
name = "Bans"
description = "d"

[[topic.match]]
regex = 'chips?\\s+ban'
trigger = ["chip", "chips"]

[[topic.match]]
regex = 'wafers?\\s+ban'
trigger = ["embargo"]

[[entity]]
slug = "scott"
kind = "person"
name = "Scott"
description = "d"
aliases = ["Tim Scott"]

[[entity.match]]
words = ["Scott"]
near = ['Chairman']
with = ["warren"]
window = 20

[[entity]]
slug = "warren"
kind = "person"
name = "Warren"
description = "d"
aliases = ["Elizabeth Warren"]
"""


@pytest.fixture(scope="module")
def small():
    taxonomy = parse_taxonomy(RULES)

    def tag(title: str, text: str = "") -> set[str]:
        result = tag_item(title, text, taxonomy)
        return set(result.topics + result.entities)

    return tag


def test_context_rules(small):
    assert small("", "A new chip.") == {"chips"}
    assert small("", "A potato chip.") == set()
    assert small("", "Friends chip in.") == set()
    assert small("", "A casino chip on the table.") == set()
    assert small("", "Chairman Scott spoke.") == {"scott"}
    assert small("", "Scott spoke.") == set()
    assert small("", "Scott spoke, and much later the Chairman left.") == set()  # outside window
    assert small("Chairman to speak", "Scott spoke.") == {"scott"}  # a headline is context
    assert small("", "Scott and Elizabeth Warren spoke in the Senate.") == {"scott", "warren"}
    # People of the taxonomy are figures of public life: no word of it, no person.
    assert small("", "Scott and Elizabeth Warren spoke.") == set()


def test_patterns_match_whole_words_and_only_when_triggered(small):
    assert "bans" in small("", "A chip ban.")
    assert "bans" not in small("", "Chips banned.")
    assert "bans" not in small("", "A wafer ban.")  # no trigger word: the pattern never runs
    assert "bans" in small("", "A wafer ban, then an embargo.")


def test_title_weighs_more_than_text(small):
    assert small("", "One wafer.") == set()
    assert small("", "One wafer, then another wafer.") == {"chips"}
    assert small("Wafer news") == {"chips"}


def test_tagger_compiles_a_taxonomy_once(monkeypatch):
    built = []
    real = tracker.tag.Matcher

    def counting(taxonomy):
        built.append(taxonomy)
        return real(taxonomy)

    monkeypatch.setattr(tracker.tag, "Matcher", counting)
    taxonomy = parse_taxonomy(RULES)
    for _ in range(3):
        tag_item("A chip", "", taxonomy)
    assert built == [taxonomy]


def test_the_cache_lets_a_taxonomy_go():
    taxonomy = parse_taxonomy(RULES)
    tag_item("A chip", "", taxonomy)
    gone = weakref.ref(taxonomy)
    del taxonomy
    gc.collect()
    assert gone() is None


def test_tag_item_decides_the_document_type(taxonomy):
    result = tag_item("Additions to the Entity List", "", taxonomy, default_doc_type="news")
    assert isinstance(result, TagResult)
    assert result.doc_type == "export-control"
    assert tag_item("Anything", "", taxonomy, default_doc_type="letter").doc_type == "letter"


@pytest.mark.parametrize(
    ("title", "hints", "expected"),
    [
        ("Chip Security Act", {"format_doc_type": "bill"}, "bill"),
        (
            "Additions to the List",
            {"format_doc_type": "rule", "agencies": BIS_AGENCIES},
            "export-control",
        ),
        (
            "Temporary Denial Order",
            {"agencies": ["Bureau of Industry and Security"]},
            "export-control",
        ),
        ("Air Plan Approval; Maryland", {"format_doc_type": "rule", "agencies": ["EPA"]}, "rule"),
        ("Impersonation Rule", {"format_doc_type": "Proposed Rule"}, "rule"),
        ("Protecting Technology", {"format_doc_type": "memo"}, "memo"),
        ("Letter to Chairman Scott on distillation", {}, "letter"),
        ("Letter from IAPS to the Commerce Department", {}, "letter"),
        ("Memorandum on Protecting American AI Models", {}, "memo"),
        ("National Security and Technology Memorandum", {}, "memo"),
        ("S. 1705 — Protecting AI Models from Extraction Act", {}, "bill"),
        ("H.R. 3447: Chip Security Act", {}, "bill"),
        ("Hearing: Protecting American Innovation", {}, "hearing"),
        ("Full Committee Hearing on Export Control Enforcement", {}, "hearing"),
        ("Hearings to examine AI distillation", {}, "hearing"),
        ("Senators grill AI labs at hearing on distillation", {}, "news"),
        ("Report: Closing the Distillation Gap", {}, "report"),
        ("Report to Congress on Foreign Distillation", {}, "report"),
        ("Statement by the Press Secretary on AI", {}, "press-release"),
        ("Additions to the Entity List", {}, "export-control"),
        (
            "Warren, Scott Request Information",
            {"default_doc_type": "press-release"},
            "press-release",
        ),
        ("Anthropic raises $13 billion", {"default_doc_type": "not-a-type"}, "news"),
        ("Anthropic raises $13 billion", {}, "news"),
        ("Letter to Senators", {"format_doc_type": "bill"}, "bill"),  # the format comes first
    ],
)
def test_decide_doc_type(title, hints, expected):
    assert decide_doc_type(title, **hints) == expected
    assert expected in DOC_TYPES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S. 1705 and H.R. 3447", [("s", 1705), ("hr", 3447)]),
        ("see H.Res. 12 and S.J.Res. 8.", [("hres", 12), ("sjres", 8)]),
        (
            "H.Con.Res. 14, S.Con.Res.3, S.Res. 105, H.J.Res. 7",
            [("hconres", 14), ("sconres", 3), ("sres", 105), ("hjres", 7)],
        ),
        ("H. R. 5 then HR 1 then H.R.3447", [("hr", 5), ("hr", 1), ("hr", 3447)]),
        ("S. 1705 again: S. 1705", [("s", 1705)]),
        ("S 1705, U.S. 2025 policy, Sen. Scott, PS 5, s. 4, Form S-1", []),
        ("", []),
    ],
)
def test_find_bill_refs(text, expected):
    assert find_bill_refs(text) == expected


def test_eval_set_is_well_formed(taxonomy):
    items = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 150
    assert len({item["id"] for item in items}) == len(items)
    holdout = sum(item["split"] == "holdout" for item in items)
    assert {item["split"] for item in items} == {"tune", "holdout"}
    assert 0.3 <= holdout / len(items) <= 0.65
    for item in items:
        assert item["title"] and isinstance(item["summary"], str)
        assert item["doc_type"] in DOC_TYPES
        assert all(taxonomy[s].kind == "topic" for s in item["topics"]), item["id"]
        assert all(taxonomy[s].kind == "entity" for s in item["entities"]), item["id"]
        for slug in item["entities"]:  # labels include implied parents
            assert set(taxonomy.ancestors(slug)) <= set(item["entities"]), item["id"]
    assert any(not item["topics"] and not item["entities"] for item in items)
    looks = " ".join(f"{i['title']} {i['summary']}" for i in items if i["lookalike"])
    for phrase in (
        "Claude Monet",
        "anthropic principle",
        "Warren Buffett",
        "Rick Scott",
        "Scott Bessent",
        "Sheldon Whitehouse",
        "Bank for International Settlements",
        "Chamber of Commerce",
        "E-commerce",
        "eta-analysis",
        "open AI models",
        "Gemini spacecraft",
        "distilled spirits",
        "Distillate fuel",
        "water distillation",
        "distilled three hours",
        "Tariffs",
    ):
        assert phrase in looks, phrase
    every = " ".join(f"{i['title']} {i['summary']}" for i in items)
    for phrase in (
        "on the outputs of a U.S. rival's chatbot",
        "added to the Entity List",
        "Sherman Act",
    ):
        assert phrase in every, phrase


CLUED = """\
[[topic]]
slug = "chips"
name = "Chips"
description = "d"

[[topic.match]]
words = ["chips"]
near = ['wafer']
"""


def test_a_clue_read_from_the_whole_item_is_read_once_a_rule():
    """An item writing a weak name thousands of times, without its clue, costs its
    length: the whole-item clue is searched once, not once a mention."""
    import dataclasses

    from tracker.tag import Tagger

    tagger = Tagger(parse_taxonomy(CLUED))
    rules = tagger.matcher._context._rules
    searches = 0

    class Counted:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, *args):
            nonlocal searches
            searches += 1
            return self.pattern.search(*args)

    for key, context in rules.items():
        rules[key] = dataclasses.replace(context, near=tuple(map(Counted, context.near)))
    assert tagger.tag("Snack news", "our chips " * 2_000).topics == []
    assert searches <= 2  # one a field
    assert tagger.tag("Snack news", "wafer " + "our chips " * 2_000).topics == ["chips"]


def test_every_kind_of_whitespace_reads_as_a_space_between_words():
    """The matcher's list of whitespace other than a plain space is exactly what
    `str.isspace` holds (checked over every code point), and a name broken by
    any of them is still found."""
    import sys

    from tracker.matcher import _OTHER_SPACE, OTHER_SPACES

    listed = {ord(c) for c in OTHER_SPACES}
    assert listed == {c for c in range(sys.maxunicode + 1) if chr(c).isspace() and c != 32}
    assert _OTHER_SPACE.sub("", "".join(OTHER_SPACES) + " a") == " a"  # the pattern: the same
    taxonomy = load_taxonomy()
    for space in ("\n", "\u2003", "\u3000", "\x85"):
        result = tag_item("Hearing", f"The Bureau of Industry{space}and Security said.", taxonomy)
        assert "bis" in result.entities, repr(space)


PASSING = """
[[topic]]
slug = "chips"
name = "Chips"
description = "Chips and the plants that make them."
passing = 0.5
aliases = ["GPU", "GPUs"]
"""


def test_a_topic_named_once_in_passing_is_given_when_the_wording_reads_of_it():
    from dataclasses import replace

    import numpy as np

    from tracker.tag import Tagger
    from tracker.topic_model import TopicModel

    taxonomy = parse_taxonomy(PASSING)
    # "wafer" and "fab" read of chips; the model alone would not give it (0.9).
    weights = np.array([[4.0], [4.0]])
    model = TopicModel(("chips",), np.array([-2.0]), ("wafer", "fab"), weights, 0.9)
    tagger = Tagger(replace(taxonomy, topic_model=model))
    campus = ("Data centre campus opens in Ohio", "The site will house 5,000 GPUs.")
    assert tagger.tag(*campus).topics == []
    fab = tagger.tag("Fab expands", "The wafer fab will also make GPUs.")
    assert fab.topics == ["chips"] and fab.tags[0].origin == "rule"
    assert fab.tags[0].evidence[0].text == "GPUs"
    # Named in the headline, or twice: the names decide.
    assert tagger.tag("GPUs for the campus", "The site opens in May.").topics == ["chips"]
    twice = ("Campus opens", "It will house 5,000 GPUs now and more GPUs next year.")
    assert tagger.tag(*twice).topics == ["chips"]
    # With no headline, the body is all that says what the item is about.
    assert tagger.tag("", campus[1]).topics == ["chips"]
    # Without a topic model any mention counts, as before.
    assert Tagger(taxonomy).tag(*campus).topics == ["chips"]
    # Nor does a model that does not read the topic judge it.
    other = TopicModel(("cloud",), np.array([-2.0]), ("wafer", "fab"), weights, 0.9)
    assert Tagger(replace(taxonomy, topic_model=other)).tag(*campus).topics == ["chips"]
