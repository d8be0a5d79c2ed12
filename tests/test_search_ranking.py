"""Search reads what items are about: concepts, staff decisions, authority, events, names.

A small corpus with the lookalikes a careful reader tells apart: an item the
tagger tagged and one that only shares the words, a tag staff rejected and one
they confirmed, an original document and its coverage in one event, bills
written four ways, and source names.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from test_search import Doc, new_home, store_docs

from tracker import search
from tracker.config import Settings
from tracker.models import Event, Item, ItemTag, Source
from tracker.search import ranking
from tracker.store.engine import session_scope

D = date(2026, 6, 1)
CORPUS = (
    Doc("memo", "Adversarial distillation of American AI models",
        "A memorandum on campaigns to distill frontier models.", date(2026, 4, 23), "memo",
        "white-house", topics=("distillation",), entities=("white-house",)),
    Doc("extraction", "Labs report model extraction attempts",
        "Accounts harvested outputs to train rival systems.", date(2026, 2, 23), "report",
        "labs", topics=("distillation",)),
    Doc("fuel", "Distillate fuel stocks fall; crude distillation runs rise",
        "Distillation capacity at refineries rose again, with distillate demand up.",
        date(2026, 6, 18), "news", "energy"),
    Doc("spirits", "Distillation of spirits at a new distillery",
        "The distillery's distillation columns run day and night.", D, "news", "energy"),
    Doc("letter", "Letter to the Senate Banking Committee",
        "The company names Alibaba's Qwen lab and asks for export controls on chips.",
        date(2026, 6, 10), "letter", "anthropic", ("distillation", "export-controls"),
        ("alibaba", "qwen", "anthropic")),
    Doc("coverage", "Anthropic letter names Alibaba's Qwen lab",
        "Coverage of the letter about Qwen and export controls.", date(2026, 6, 11), "news",
        "wire", ("distillation", "export-controls"), ("alibaba", "qwen", "anthropic")),
    Doc("coverage-2", "Qwen accused: Anthropic's letter in full",
        "More coverage of the Qwen letter.", date(2026, 6, 11), "news", "wire-2",
        ("distillation",), ("qwen", "alibaba", "anthropic")),
    Doc("chips", "Nvidia needs a licence to ship H20 chips",
        "GPUs bound for China now need an export licence.", date(2026, 2, 3), "news", "wire",
        ("semiconductors", "export-controls"), ("nvidia",)),
    Doc("potato", "Potato chips cost more", "Snack makers raise prices of chips.", D, "news",
        "wire"),
    Doc("bill", "H.R.8283 - Deterring American AI Model Theft Act of 2026",
        "A bill on model extraction attackers.", date(2026, 4, 15), "bill", "congress",
        ("distillation",), bill="119-hr-8283"),
    Doc("bill-news", "House panel advances bill on AI model theft",
        "The committee ordered H.R. 8283 reported.", date(2026, 4, 22), "news", "wire",
        ("distillation",)),
    Doc("form", "IRS updates Form 8283", "Form 8283 covers noncash gifts.", D, "news", "wire"),
    Doc("regulating", "States move on regulating chatbots", "Regulated companion bots.", D,
        "news", "wire"),
    Doc("regulation", "New regulation for AI tools", "Regulations take effect.", D, "news",
        "wire"),
    Doc("warren-confirmed", "Warren statement on export controls",
        "Senator Warren on export controls.", date(2026, 6, 24), "press-release", "senate",
        ("export-controls",), ("elizabeth-warren",)),
    Doc("warren-suggested", "Warren on export controls again",
        "Senator Warren on export controls.", date(2026, 6, 25), "press-release", "senate",
        ("export-controls",), ("elizabeth-warren",)),
    Doc("buffett", "Warren Buffett's letter to shareholders", "Warren Buffett writes.", D,
        "news", "markets"),
    Doc("warren-rejected", "Warren, Michigan council meets", "The city of Warren met.", D,
        "news", "markets", entities=("elizabeth-warren",)),
)  # fmt: skip


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, dict[str, int]]]:
    settings, engine = new_home(tmp_path_factory.mktemp("ranking"))
    ids = store_docs(engine, CORPUS)
    _decide(engine, ids)
    search.catch_up(settings, engine)
    yield settings, ids
    engine.dispose()


def _decide(engine: Engine, ids: dict[str, int]) -> None:
    """Staff decisions, an event, and source names, as the site would store them."""
    with session_scope(engine) as session:
        for key, status in (("warren-confirmed", "confirmed"), ("warren-rejected", "rejected")):
            tag = session.exec(
                select(ItemTag).where(
                    ItemTag.item_id == ids[key], ItemTag.slug == "elizabeth-warren"
                )
            ).one()
            tag.status = status
            session.add(tag)
        event = Event(headline="The letter", event_date=datetime(2026, 6, 10, tzinfo=UTC),
                      created_at=datetime.now(UTC))  # fmt: skip
        session.add(event)
        session.flush()
        for key in ("letter", "coverage", "coverage-2"):
            item = session.get(Item, ids[key])
            assert item is not None
            item.event_id = event.id
            session.add(item)
        source = session.exec(select(Source).where(Source.slug == "energy")).one()
        source.name = "Energy Desk: Oil and fuel news"
        session.add(source)


def keys(home: tuple, query: str, **kwargs: object) -> list[str]:
    settings, ids = home
    by_id = {v: k for k, v in ids.items()}
    result = search.search(settings, query, per_page=50, **kwargs)
    return [by_id[hit.id] for hit in result.hits]


def test_a_topic_finds_its_items_even_without_the_word(home: tuple) -> None:
    found = keys(home, "distillation")
    assert "extraction" in found  # tagged, though it never says "distillation"


def test_items_not_about_the_topic_rank_below_every_item_about_it(home: tuple) -> None:
    found = keys(home, "distillation")
    tagged = {"memo", "extraction", "letter", "coverage", "coverage-2", "bill", "bill-news"}
    lookalikes = {"fuel", "spirits"}
    assert set(found) == tagged | lookalikes
    assert set(found[: len(tagged)]) == tagged, found  # though "fuel" says it three times


def test_a_rejected_tag_counts_as_not_about_and_a_confirmed_one_counts_more(home: tuple) -> None:
    found = keys(home, "Warren")
    assert found[:2] == ["warren-confirmed", "warren-suggested"], found
    assert set(found[2:]) == {"buffett", "warren-rejected"}


def test_each_hit_says_why_it_matched(home: tuple) -> None:
    settings, ids = home
    result = search.search(settings, "distillation", per_page=50)
    why = {hit.id: hit.why for hit in result.hits}
    assert why[ids["extraction"]] == ("tagged Model distillation",)
    assert why[ids["memo"]] == (
        "tagged Model distillation",
        "matched: distillation in title and text",
    )
    assert why[ids["fuel"]] == ("matched: distillation in title and text",)
    result = search.search(settings, "Warren", per_page=50)
    assert "tagged Elizabeth Warren, confirmed by staff" in next(
        hit.why for hit in result.hits if hit.id == ids["warren-confirmed"]
    )


def test_the_original_leads_its_event_and_the_coverage_folds_under_it(home: tuple) -> None:
    settings, ids = home
    flat = keys(home, "Qwen")
    assert set(flat) == {"letter", "coverage", "coverage-2"}
    result = search.search(settings, "Qwen", collapse=True)
    assert [hit.id for hit in result.hits] == [ids["letter"]]
    assert result.hits[0].folded == 2 and result.hits[0].event is not None
    assert result.total == 3 and result.entries == 1 and result.pages == 1


def test_an_original_outranks_coverage_that_matches_as_well(home: tuple) -> None:
    found = keys(home, "model theft")
    assert found.index("bill") < found.index("bill-news")


@pytest.mark.parametrize("written", ["H.R. 8283", "HR 8283", "hr8283", "H.R.8283", "h.r. 8283"])
def test_a_bill_number_in_any_spelling_finds_the_bill_and_what_cites_it(
    home: tuple, written: str
) -> None:
    found = keys(home, written)
    assert found[:2] == ["bill", "bill-news"], found
    assert "form" not in found[:2]


def test_names_of_types_and_sources_find_what_they_name(home: tuple) -> None:
    assert keys(home, "letters")[0] == "letter"
    assert keys(home, "memo")[0] == "memo"
    assert set(keys(home, "Energy Desk")) == {"fuel", "spirits"}


def test_an_acronym_typed_in_lower_case_is_a_word(home: tuple) -> None:
    settings, _ids = home
    assert [c.slug for c in search.search(settings, "BIS").cards] == ["bis"]
    assert search.search(settings, "bis").cards == ()


def test_a_lookalike_name_is_not_read_as_the_entity(home: tuple) -> None:
    settings, _ids = home
    assert search.search(settings, "Warren Buffett").cards == ()
    assert [c.slug for c in search.search(settings, "Warren").cards] == ["elizabeth-warren"]
    chips = search.search(settings, "chips")
    assert [c.slug for c in chips.cards] == ["semiconductors"]
    order = [h.id for h in chips.hits]
    assert order.index(home[1]["chips"]) < order.index(home[1]["potato"])


def test_inflections_find_each_other(home: tuple) -> None:
    for word in ("regulation", "regulations", "regulating", "regulated"):
        assert set(keys(home, word)) == {"regulating", "regulation"}, word


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("disitllation", "distillation"), ("Alibba", "Alibaba"), ("Warrren", "Warren"),
     ("chatbtos", "chatbots")],
)  # fmt: skip
def test_a_misspelling_is_answered_for_the_nearest_known_word(
    home: tuple, typed: str, meant: str
) -> None:
    settings, _ids = home
    result = search.search(settings, typed)
    assert result.suggestion == meant and result.corrected and result.total > 0
    assert result.query == typed


def test_a_word_no_item_holds_and_none_is_near_gets_no_suggestion(home: tuple) -> None:
    settings, _ids = home
    result = search.search(settings, "zyxwvut")
    assert result.total == 0 and result.suggestion is None and not result.corrected


def test_when_no_item_matches_every_word_those_matching_most_are_shown(home: tuple) -> None:
    settings, _ids = home
    result = search.search(settings, "distillation zyxwvut")
    assert result.partial == (1, 2) and result.total > 0
    assert "showing the items that match 1 of these 2" in (result.notice or "")


def test_the_weights_are_named_and_the_part_weight_outweighs_the_rest() -> None:
    rest = ranking.WORDS + ranking.TEXT + max(ranking.AUTHORITY.values()) + ranking.CONFIRMED
    assert rest < ranking.PART


def test_sorting_by_date_is_unchanged(home: tuple) -> None:
    settings, _ids = home
    result = search.search(settings, "distillation", sort="newest", per_page=50, collapse=True)
    dates = [hit.published for hit in result.hits]
    assert dates == sorted(dates, reverse=True) and result.entries is None
    assert len(result.hits) == result.total


def test_an_unknown_word_beside_known_ones_gets_a_suggestion(home: tuple) -> None:
    settings, _ids = home
    result = search.search(settings, "Warrren letter")
    assert result.partial == (1, 2) and result.suggestion == "Warren letter"
    assert not result.corrected
