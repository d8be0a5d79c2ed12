"""The taxonomy file: what it must contain, and how a broken one is reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tracker.tag import tag_item
from tracker.taxonomy import DEFAULT_PATH, TaxonomyError, load_taxonomy, parse_taxonomy

REQUIRED_TOPICS = (
    "distillation",
    "export-controls",
    "antitrust",
    "national-security",
    "semiconductors",
    "intellectual-property",
)
REQUIRED_ENTITIES = {
    "anthropic": ("company", None),
    "openai": ("company", None),
    "alibaba": ("company", None),
    "deepseek": ("company", None),
    "moonshot-ai": ("company", None),
    "nvidia": ("company", None),
    "huawei": ("company", None),
    "google": ("company", None),
    "meta": ("company", None),
    "microsoft": ("company", None),
    "qwen": ("model", "alibaba"),
    "commerce-department": ("agency", None),
    "bis": ("agency", "commerce-department"),
    "white-house": ("agency", None),
    "ftc": ("agency", None),
    "doj": ("agency", None),
    "senate-banking-committee": ("committee", None),
    "elizabeth-warren": ("person", None),
    "tim-scott": ("person", None),
    "iaps": ("organisation", None),
}

TWO_TERMS = """\
[[entity]]
slug = "alibaba"
kind = "company"
name = "Alibaba"
description = "A company."
aliases = ["Alibaba"]

[[entity]]
slug = "qwen"
kind = "model"
name = "Qwen"
description = "A model."
parent = "alibaba"
aliases = ["Qwen"]
"""


def lines_of(text: str, needle: str) -> list[int]:
    """1-based numbers of the lines of `text` that contain `needle`."""
    return [n for n, line in enumerate(text.splitlines(), 1) if needle in line]


def line_of(text: str, needle: str) -> int:
    return lines_of(text, needle)[0]


def error_of(text: str) -> str:
    with pytest.raises(TaxonomyError) as caught:
        parse_taxonomy(text, "data/taxonomy.toml")
    return str(caught.value)


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


def test_every_required_topic_is_a_topic(taxonomy):
    for slug in REQUIRED_TOPICS:
        term = taxonomy[slug]
        assert (term.kind, term.entity_kind, term.parent) == ("topic", None, None)
        assert term.name and term.description and term.aliases


@pytest.mark.parametrize(("slug", "expected"), REQUIRED_ENTITIES.items())
def test_every_required_entity_has_its_kind_and_parent(taxonomy, slug, expected):
    term = taxonomy[slug]
    assert term.kind == "entity"
    assert (term.entity_kind, term.parent) == expected
    assert term.name and term.description and term.aliases


def test_names_and_products_are_aliases(taxonomy):
    assert taxonomy["iaps"].name == "Institute for AI Policy and Strategy"
    assert "Claude" in taxonomy["anthropic"].aliases
    assert {"ChatGPT", "GPT"} <= set(taxonomy["openai"].aliases)
    assert "Tongyi Qianwen" in taxonomy["qwen"].aliases
    assert "Kimi" in taxonomy["moonshot-ai"].aliases
    # A model's name that is also a word of the sky or the farm counts where AI is spoken of.
    assert "Gemini" in {w for rule in taxonomy["google"].rules for w in rule.words}
    assert "Llama" in {w for rule in taxonomy["meta"].rules for w in rule.words}
    # A bare surname needs context, so it is not offered as a name of the senator.
    assert "Scott" not in taxonomy["tim-scott"].aliases
    assert "Tim Scott" in taxonomy["tim-scott"].aliases


def test_ancestors_walk_up_the_parents(taxonomy):
    assert taxonomy.ancestors("qwen") == ("alibaba",)
    assert taxonomy.ancestors("bis") == ("commerce-department",)
    assert taxonomy.ancestors("anthropic") == ()


def test_rows_for_the_store(taxonomy):
    topics = {row[0]: row for row in taxonomy.topic_rows()}
    entities = {row[0]: row for row in taxonomy.entity_rows()}
    assert set(topics) >= set(REQUIRED_TOPICS)
    assert set(entities) >= set(REQUIRED_ENTITIES)
    assert entities["qwen"][1:3] == ("Qwen", "model")
    assert entities["qwen"][4] == "alibaba"
    assert len(topics) + len(entities) == len(taxonomy)


def test_default_path_is_the_repository_file():
    repo = Path(__file__).resolve().parent.parent
    assert repo / "data" / "taxonomy.toml" == DEFAULT_PATH
    assert set(load_taxonomy().terms) == set(load_taxonomy(DEFAULT_PATH).terms)


def test_loading_and_tagging_import_no_database_or_index():
    code = (
        "import sys, tracker.taxonomy, tracker.tag\n"
        "tracker.tag.tag_item('Qwen', 'BIS', tracker.taxonomy.load_taxonomy())\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'sqlmodel', 'whoosh', 'httpx', 'sqlite3')"
        " or m.startswith(('tracker.store', 'tracker.models'))]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_good_file_loads():
    taxonomy = parse_taxonomy(TWO_TERMS)
    assert list(taxonomy.terms) == ["alibaba", "qwen"]
    assert taxonomy["qwen"].line == line_of(TWO_TERMS, 'slug = "qwen"') - 1


def test_unknown_parent_names_line_and_slug():
    text = TWO_TERMS.replace('parent = "alibaba"', 'parent = "alibabba"')
    line = line_of(text, "alibabba")
    assert error_of(text) == f"data/taxonomy.toml:{line}: unknown parent 'alibabba' for 'qwen'"


def test_duplicate_slug_names_both_lines():
    text = TWO_TERMS.replace('slug = "qwen"', 'slug = "alibaba"')
    first, second = lines_of(text, 'slug = "alibaba"')
    assert error_of(text) == (
        f"data/taxonomy.toml:{second}: duplicate slug 'alibaba' (first defined at line {first - 1})"
    )


def test_bad_regex_names_the_line_of_the_pattern():
    text = TWO_TERMS + ("\n[[entity.match]]\nregex = '(unclosed'\ntrigger = [\"unclosed\"]\n")
    message = error_of(text)
    assert message.startswith(f"data/taxonomy.toml:{line_of(text, '(unclosed')}: bad pattern")
    assert "'(unclosed'" in message and "'qwen'" in message and "missing )" in message


def test_bad_context_regex_in_a_long_list_names_its_own_line():
    text = TWO_TERMS.replace(
        'aliases = ["Qwen"]',
        "aliases = [\"Qwen\"]\nnot_after = [\n  '\\s+fine',\n  '[unclosed',\n]",
    )
    message = error_of(text)
    assert message.startswith(f"data/taxonomy.toml:{line_of(text, '[unclosed')}: bad pattern")
    assert "not_after" in message


@pytest.mark.parametrize(
    ("old", "new", "needle", "problem"),
    [
        ('kind = "model"', 'kind = "gadget"', "gadget", "unknown entity kind 'gadget' for 'qwen'"),
        ('aliases = ["Qwen"]', 'aliasses = ["Qwen"]', "aliasses", "unknown key 'aliasses'"),
        ('slug = "qwen"', 'slug = "Qwen Model"', "Qwen Model", "bad slug 'Qwen Model'"),
        ('description = "A model."', 'description = ""', 'description = ""', "'description'"),
        ('aliases = ["Qwen"]', 'aliases = ["Qwen", "--"]', '"--"', "alias '--' of 'qwen'"),
        ('aliases = ["Qwen"]', 'aliases = ["Qwen", "Alibaba"]', '"Qwen", "Alibaba"', "also an"),
        ('aliases = ["Qwen"]', 'aliases = ["Qwen"]\ncase = "loud"', "loud", "case must be"),
        ('aliases = ["Qwen"]', 'aliases = ["Qwen"]\nwith = ["nobody"]', "nobody", "'nobody'"),
    ],
)
def test_mistakes_are_reported_at_their_line(old, new, needle, problem):
    text = TWO_TERMS.replace(old, new)
    message = error_of(text)
    assert message.startswith(f"data/taxonomy.toml:{line_of(text, needle)}: ")
    assert problem in message


def test_alias_rules_without_aliases_are_refused():
    text = TWO_TERMS.replace(
        'aliases = ["Qwen"]', "not_after = ['x']\n[[entity.match]]\nwords = ['Qwen']"
    )
    assert error_of(text) == (
        f"data/taxonomy.toml:{line_of(text, 'not_after')}: 'not_after' is a rule for aliases,"
        " and 'qwen' has none"
    )


def test_regex_without_trigger_is_refused():
    text = TWO_TERMS + "\n[[entity.match]]\nregex = 'Qwen\\d'\n"
    assert f":{line_of(text, 'regex =')}: " in error_of(text)
    assert "needs 'trigger'" in error_of(text)


def test_match_needs_words_or_regex():
    text = TWO_TERMS + "\n[[entity.match]]\nwindow = 10\n"
    assert "needs 'words' or 'regex'" in error_of(text)


def test_parent_cycle_is_refused():
    text = TWO_TERMS.replace('aliases = ["Alibaba"]', 'aliases = ["Alibaba"]\nparent = "qwen"')
    assert "parent cycle: alibaba -> qwen -> alibaba" in error_of(text)


def test_topic_cannot_have_an_entity_parent():
    text = TWO_TERMS + (
        '\n[[topic]]\nslug = "cloud"\nname = "Cloud"\ndescription = "d"\n'
        'parent = "alibaba"\naliases = ["cloud"]\n'
    )
    assert "parent 'alibaba' of 'cloud' is not a topic" in error_of(text)


_CHIPS = '\n[[topic]]\nslug = "chips"\nname = "Chips"\ndescription = "d"\naliases = ["GPU"]\n'


@pytest.mark.parametrize(
    ("value", "problem"),
    [("1.5", "'passing' is a probability"), ("0", "'passing' is a probability"),
     ('"half"', "'passing' must be a number")],
)  # fmt: skip
def test_passing_is_a_topics_probability(value, problem):
    text = TWO_TERMS + _CHIPS + f"passing = {value}\n"
    assert error_of(text).startswith(f"data/taxonomy.toml:{line_of(text, 'passing')}: ")
    assert problem in error_of(text)


def test_passing_is_read_for_topics_only():
    assert parse_taxonomy(TWO_TERMS + _CHIPS + "passing = 0.2\n")["chips"].passing == 0.2
    assert parse_taxonomy(TWO_TERMS + _CHIPS)["chips"].passing is None
    on_entity = TWO_TERMS.replace('aliases = ["Qwen"]', 'aliases = ["Qwen"]\npassing = 0.2')
    assert "'passing' is for topics" in error_of(on_entity)


def test_toml_syntax_error_names_the_line():
    text = TWO_TERMS.replace('name = "Qwen"', 'name = "Qwen')
    line = line_of(text, 'name = "Qwen')
    assert error_of(text).startswith(f"data/taxonomy.toml:{line}: ")


def test_unknown_section_is_refused():
    text = TWO_TERMS + "\n[[topics]]\nslug = 'x'\n"
    assert error_of(text).startswith(f"data/taxonomy.toml:{line_of(text, '[[topics]]')}: ")
    assert "unknown key 'topics'" in error_of(text)


def test_load_names_the_file(tmp_path):
    path = tmp_path / "taxonomy.toml"
    path.write_text(TWO_TERMS.replace('parent = "alibaba"', 'parent = "alibabba"'))
    with pytest.raises(TaxonomyError, match=r"taxonomy\.toml:\d+: unknown parent 'alibabba'"):
        load_taxonomy(path)
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "missing.toml")


PATTERNS = """\
[patterns]
rivals = 'Baidu|Tencent'
zoo = ['\\bpandas?\\b', '\\bzookeepers?\\b']

"""


def test_a_named_pattern_stands_for_its_regex_and_a_named_list_for_its_patterns():
    text = PATTERNS + TWO_TERMS.replace(
        'aliases = ["Qwen"]',
        "aliases = [\"Qwen\"]\nnot_before = ['(?:{rivals})\\s+']\nunless_near = ['{zoo}']",
    )
    taxonomy = parse_taxonomy(text)
    rule = taxonomy["qwen"].rules[0]
    assert len(rule.unless_near) == 2  # the list's two patterns, each its own veto
    assert "(?:Baidu|Tencent)" in rule.not_before[0].pattern

    def tagged(title: str) -> bool:
        return "qwen" in {t.slug for t in tag_item(title, "", taxonomy).tags}

    assert tagged("Alibaba releases Qwen 4")
    assert not tagged("Baidu Qwen clone released")  # {rivals} before the name
    assert not tagged("Zookeepers name a panda Qwen")  # {zoo} near it


@pytest.mark.parametrize(
    ("rule", "needle", "problem"),
    [
        ("not_after = ['{nobody}']", "{nobody}", "'{nobody}' in 'not_after' of 'qwen' is not in"),
        ("not_after = ['\\s+{zoo}']", "{zoo}", "'{zoo}' in 'not_after' of 'qwen' is a list"),
    ],
)
def test_a_pattern_named_wrongly_is_refused_at_its_line(rule, needle, problem):
    text = PATTERNS + TWO_TERMS.replace('aliases = ["Qwen"]', f'aliases = ["Qwen"]\n{rule}')
    message = error_of(text)
    assert message.startswith(f"data/taxonomy.toml:{line_of(text, needle)}: ")
    assert problem in message


def test_a_broken_named_pattern_is_refused_at_its_line():
    text = PATTERNS.replace("'Baidu|Tencent'", "'(Baidu'") + TWO_TERMS
    message = error_of(text)
    assert message.startswith(f"data/taxonomy.toml:{line_of(text, '(Baidu')}: bad pattern")
    assert "patterns.rivals" in message
