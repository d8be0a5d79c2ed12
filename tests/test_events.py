"""Event grouping: coverage joins the happening it reports, lookalikes stay apart."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

import pytest

from tracker.events import (
    ACT_WINDOW,
    AUTHORITY,
    THRESHOLD,
    WINDOW,
    EventCandidate,
    EventItem,
    assign,
    event_date,
    features,
    group,
    headline_item,
    link,
    score,
)
from tracker.types import DOC_TYPES

EVAL = Path(__file__).resolve().parent / "data" / "events_eval.jsonl"
JUNE_10 = datetime.fromisoformat("2026-06-10T09:00:00-04:00")


def make_item(
    item_id: int,
    title: str,
    text: str = "",
    *,
    entities: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    published: datetime = JUNE_10,
    doc_type: str = "news",
    source: str = "wire",
) -> EventItem:
    return EventItem(
        id=item_id,
        title=title,
        text=text,
        entities=frozenset(entities),
        topics=frozenset(topics),
        published=published,
        doc_type=doc_type,
        source=source,
    )


def letter_and_coverage() -> list[EventItem]:
    """The June 10 letter, a senator's statement and three outlets over three days."""

    def later(**delta: float) -> datetime:
        return JUNE_10 + timedelta(**delta)

    return [
        make_item(
            1,
            "Letter to Senators Warren and Scott on the distillation of Claude",
            "We wrote to Senator Warren and Senator Scott of the Banking Committee. The letter "
            "names Alibaba, which we believe accessed Claude without authorisation to train "
            "its Qwen models, and asks for export controls and a consent rule for distillation.",
            entities=("anthropic", "alibaba", "qwen", "elizabeth-warren", "tim-scott"),
            topics=("distillation", "export-controls"),
            doc_type="letter",
            source="anthropic-newsroom",
        ),
        make_item(
            2,
            "Warren statement on Anthropic letter alleging distillation by Alibaba",
            "Senator Warren said the letter naming Alibaba shows export controls must keep pace "
            "with how AI capabilities leave the country.",
            entities=("elizabeth-warren", "anthropic", "alibaba"),
            topics=("distillation", "export-controls"),
            published=later(hours=6),
            doc_type="press-release",
            source="senate-banking",
        ),
        make_item(
            3,
            "Anthropic accuses Alibaba of distilling Claude in letter to senators",
            "Anthropic alleged in a letter that Alibaba used unauthorised access to Claude to "
            "train Qwen, and asked Congress for export controls.",
            entities=("anthropic", "alibaba", "qwen"),
            topics=("distillation", "export-controls"),
            published=later(hours=10),
            source="capitol-ledger",
        ),
        make_item(
            4,
            "Anthropic letter names Alibaba's Qwen, asks Congress for a consent rule",
            "The letter dated June 10 says Alibaba trained Qwen on Claude and asks lawmakers "
            "to require a provider's consent before a model is distilled.",
            entities=("anthropic", "alibaba", "qwen"),
            topics=("distillation",),
            published=later(days=1),
            source="tech-policy-wire",
        ),
        make_item(
            5,
            "Investors weigh Anthropic's distillation allegation against Alibaba",
            "Anthropic's letter accusing Alibaba of training Qwen on Claude adds an export "
            "controls question for investors.",
            entities=("anthropic", "alibaba", "qwen"),
            topics=("distillation", "export-controls"),
            published=later(days=2),
            source="global-markets-daily",
        ),
    ]


def lending_hearing() -> EventItem:
    """Two days after the letter, same committee, same senator, Anthropic: another happening."""
    return make_item(
        6,
        "Hearing: Artificial Intelligence in Consumer Lending",
        "Full committee hearing on how banks use AI models in credit decisions. Senator Warren "
        "will question witnesses from Anthropic and OpenAI on fair-lending law.",
        entities=("anthropic", "openai", "elizabeth-warren", "senate-banking-committee"),
        published=JUNE_10 + timedelta(days=2),
        doc_type="hearing",
        source="senate-banking",
    )


def test_every_outlet_covering_the_letter_joins_one_event() -> None:
    items = letter_and_coverage()
    assert group(items) == [[1, 2, 3, 4, 5]]


def test_a_hearing_naming_the_same_entities_stays_apart_from_the_letter() -> None:
    items = [*letter_and_coverage(), lending_hearing()]
    hearing = lending_hearing()
    assert all(score(hearing, item) < THRESHOLD for item in letter_and_coverage())
    assert group(items) == [[1, 2, 3, 4, 5], [6]]


def test_shared_entities_and_topics_alone_never_merge() -> None:
    names = ("anthropic", "alibaba", "qwen", "elizabeth-warren", "tim-scott")
    members = tuple(
        make_item(n, f"Letter number {n}", entities=names, topics=("distillation",))
        for n in (1, 2, 3)
    )
    stranger = make_item(
        9, "Quarterly results beat forecasts", entities=names, topics=("distillation",)
    )
    assert assign(stranger, [EventCandidate(1, members)]) is None


def test_items_further_apart_than_the_window_never_merge() -> None:
    first = letter_and_coverage()[0]
    same = make_item(2, first.title, first.text, entities=tuple(first.entities))
    inside = make_item(2, first.title, first.text, published=JUNE_10 + WINDOW)
    outside = make_item(2, first.title, first.text, published=JUNE_10 + ACT_WINDOW + timedelta(1))
    assert score(first, same) > score(first, inside) >= THRESHOLD
    assert score(first, outside) == 0.0
    assert group([first, outside]) == [[1], [2]]


def test_words_alone_never_join_beyond_the_window_but_the_same_act_does() -> None:
    coverage = letter_and_coverage()[2]
    later = make_item(9, coverage.title, coverage.text, published=coverage.published + WINDOW * 1.2)
    assert score(coverage, later) == 0.0  # two news items: nothing names the act
    letter = letter_and_coverage()[0]
    quoting = make_item(
        9,
        "Senators still weigh Anthropic's letter",
        f"The letter, \u201c{letter.title},\u201d asked for export controls.",
        published=letter.published + WINDOW * 1.2,
    )
    assert score(letter, quoting) >= THRESHOLD  # it quotes the letter's title
    assert group([letter, quoting]) == [[1, 9]]


def test_an_event_never_spans_more_than_the_window() -> None:
    step = WINDOW * 0.6
    chain = [
        make_item(
            n, "Letter to Senators Warren and Scott on distillation", published=JUNE_10 + step * n
        )
        for n in range(3)
    ]
    # The last is close to the middle one but too far from the first.
    assert score(chain[1], chain[2]) >= THRESHOLD
    assert link(chain[2], chain[:2]) == 0.0
    assert group(chain) == [[0, 1], [2]]


def test_headline_comes_from_the_official_document_not_earlier_coverage() -> None:
    items = letter_and_coverage()
    scoop = make_item(
        7, "Anthropic to accuse Alibaba in letter", published=JUNE_10 - timedelta(hours=2)
    )
    event = [*items, scoop]
    assert headline_item(event).id == 1
    assert event_date(event) == scoop.published
    coverage = [i for i in event if i.doc_type != "letter"]
    assert headline_item(coverage).id == 2  # a statement outranks news
    assert headline_item([items[3], items[2]]).id == 3  # a tie goes to the earliest


def test_authority_ranks_every_document_type() -> None:
    assert set(AUTHORITY) == set(DOC_TYPES)
    assert AUTHORITY["memo"] > AUTHORITY["press-release"] > AUTHORITY["news"]


def test_items_must_have_aware_times_and_known_types() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_item(1, "x", published=datetime(2026, 6, 10))
    with pytest.raises(ValueError, match="doc_type"):
        make_item(1, "x", doc_type="tweet")


def test_features_are_computed_once_per_item() -> None:
    item = letter_and_coverage()[0]
    assert features(item) is features(item)
    assert "distil" in features(item).title
    assert "alibaba" not in features(item).body  # entities are compared as slugs


def load_eval() -> tuple[list[EventItem], dict[int, dict[str, str | None]]]:
    items, labels = [], {}
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[row["id"]] = {"event": row["event"], "lookalike_of": row["lookalike_of"]}
        items.append(
            make_item(
                row["id"],
                row["title"],
                row["summary"],
                entities=tuple(row["entities"]),
                topics=tuple(row["topics"]),
                published=datetime.fromisoformat(row["published"]),
                doc_type=row["doc_type"],
                source=row["source"],
            )
        )
    return items, labels


def test_group_equals_assigning_items_one_by_one() -> None:
    items, _ = load_eval()
    events: dict[int, list[EventItem]] = {}
    for item in sorted(items, key=lambda i: (i.published, i.id)):
        candidates = [EventCandidate(n, tuple(members)) for n, members in events.items()]
        chosen = assign(item, candidates)
        events.setdefault(len(events) if chosen is None else chosen, []).append(item)
    one_by_one = [[item.id for item in members] for members in events.values()]
    assert group(reversed(items)) == one_by_one


def test_score_is_symmetric_and_bounded() -> None:
    items, _ = load_eval()
    for a, b in combinations(items[:30], 2):
        assert 0.0 <= score(a, b) == score(b, a) <= 1.0


def test_labelled_set_meets_the_quality_targets() -> None:
    items, labels = load_eval()
    assert len(items) >= 30 and len({v["event"] for v in labels.values()}) >= 10

    def pairs(groups: list[list[int]]) -> set[frozenset[int]]:
        return {frozenset(p) for g in groups for p in combinations(g, 2)}

    found = group(items)
    labelled: dict[str | None, list[int]] = {}
    for item_id, label in labels.items():
        labelled.setdefault(label["event"], []).append(item_id)
    truth, predicted = pairs(list(labelled.values())), pairs(found)
    precision = len(truth & predicted) / len(predicted)
    recall = len(truth & predicted) / len(truth)
    assert precision >= 0.95 and recall >= 0.85, (precision, recall)
    for members in found:
        events = {labels[m]["event"] for m in members}
        assert not any(labels[m]["lookalike_of"] in events for m in members), members


def test_a_bills_record_and_its_markup_are_two_acts() -> None:
    # The demo's H.R. 8283 record, Bloomberg's report of its introduction and the
    # committee's markup a week later were one event: they share the bill number.
    from tracker.event_acts import act_of, relation

    record = act_of(
        "H.R. 8283: Deterring American AI Model Theft Act of 2026",
        "The bill would have the State Department keep a list.",
        "",
        "bill",
    )
    report = act_of(
        "Bloomberg reports H.R. 8283, the Deterring American AI Model Theft Act",
        "A new House bill would list foreign model extractors.",
        "",
        "news",
    )
    markup = act_of(
        "House Foreign Affairs Committee orders H.R. 8283 reported, as amended",
        "The committee ordered the bill reported, with amendments.",
        "",
        "news",
    )
    assert relation(record, report) == "same"
    assert relation(record, markup) == "different"
    assert relation(markup, record) == "different"
