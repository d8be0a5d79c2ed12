"""Search: the query language, facets, highlights, and an index that follows the database."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import make_settings
from sqlalchemy.engine import Engine
from sqlmodel import select

from tracker import search
from tracker.config import Settings
from tracker.models import Item, ItemTag, Source
from tracker.search import highlight
from tracker.search.analysis import CHAIN, CachedAnalyzer
from tracker.search.querylang import parse_query
from tracker.search.storage import index_writer, open_or_create
from tracker.store import catalog
from tracker.store.engine import make_engine, migrate, session_scope
from tracker.store.indexing import all_item_ids
from tracker.store.ingest import store_bill, store_items
from tracker.types import BillRecord, ItemRecord, Tag, TagResult


@dataclass(frozen=True)
class Doc:
    """One corpus item: what the tests search for, and what they expect back."""

    key: str
    title: str
    text: str
    day: date
    doc_type: str
    source: str = "wire"
    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    bill: str | None = None


CORPUS = (
    Doc("qwen-letter", "Senators press Alibaba over Qwen distillation",
        "The letter asks whether Qwen was trained on outputs of American models.",
        date(2026, 4, 2), "letter", topics=("distillation",), entities=("qwen", "alibaba")),
    Doc("entity-list", "Commerce adds chipmakers to the Entity List",
        "Nouvelles régulations: export controls now cover advanced chips.",
        date(2026, 5, 20), "export-control", "fr-bis", ("export-controls",),
        ("bis", "commerce-department")),
    Doc("nsm", "White House memo on national security",
        "The memorandum covers frontier models and intelligence agencies.",
        date(2025, 12, 1), "memo", topics=("national-security",), entities=("white-house",)),
    Doc("warren-nvidia", "Warren letter to Nvidia on chips",
        "Senator Warren asks Nvidia about sales of chips to China.",
        date(2026, 3, 31), "letter", topics=("semiconductors",),
        entities=("nvidia", "elizabeth-warren")),
    Doc("deepseek-hearing", "Hearing on DeepSeek and model distillation",
        "Witnesses described distillation attacks on frontier models.",
        date(2026, 6, 30), "hearing", topics=("distillation",), entities=("deepseek",)),
    Doc("s1705", "S. 1705 introduced to tighten chip rules",
        "The bill would codify the export controls on advanced computing chips.",
        date(2026, 1, 15), "bill", "congress", ("export-controls",), bill="119-s-1705"),
    Doc("not-a-phrase", "Controls on the export of chips debated",
        "Lawmakers debated controls; the export figures rose.",
        date(2026, 2, 10), "news", topics=("semiconductors",)),
    Doc("hostile", '<script>alert("x")</script> Qwen & "quotes"',
        "An <b>odd</b> item that mentions Qwen and <img src=x onerror=alert(1)>.",
        date(2025, 11, 5), "news", "blog", entities=("qwen",)),
    Doc("openai-rejected", "OpenAI statement on model training",
        "OpenAI said it would publish a statement.",
        date(2026, 4, 20), "press-release", "blog", entities=("openai",)),
)  # fmt: skip
ALL = {doc.key for doc in CORPUS}


def record(guid: str, title: str, text: str, day: date, bill: str | None = None) -> ItemRecord:
    published = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return ItemRecord(
        guid=guid, title=title, url=f"https://example.org/{guid}", summary_html="", text=text,
        published=published, updated=None, undated=False, author=None, format_doc_type=None,
        document_number=None, agencies=(), categories=(), rins=(), bill_key=bill,
        content_hash=str(hash((title, text))),
    )  # fmt: skip


def store_docs(engine: Engine, docs: tuple[Doc, ...] | list[Doc]) -> dict[str, int]:
    """Store `docs` through the store's own ingest; returns key → item id."""
    ids = {}
    with session_scope(engine) as session:
        for doc in docs:
            if doc.bill:
                congress, kind, number = doc.bill.split("-")
                store_bill(session, BillRecord(int(congress), kind, int(number), doc.title,
                                               None, None, None, (), (), "introduced"))  # fmt: skip
            source = catalog.local_source(session, doc.source, "rss")
            tags = tuple(Tag(s, "topic", "rule") for s in doc.topics) + tuple(
                Tag(s, "entity", "rule") for s in doc.entities
            )
            rec = record(doc.key, doc.title, doc.text, doc.day, doc.bill)
            report = store_items(
                session, source, [(rec, TagResult(tags, doc.doc_type))], rec.published
            )
            ids[doc.key] = report.item_ids[0]
    return ids


def new_home(root: Path) -> tuple[Settings, Engine]:
    settings = make_settings(root)
    engine = make_engine(settings)
    migrate(engine)
    return settings, engine


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Engine, dict]]:
    settings, engine = new_home(tmp_path_factory.mktemp("search"))
    ids = store_docs(engine, CORPUS)
    with session_scope(engine) as session:
        tag = session.exec(select(ItemTag).where(ItemTag.slug == "openai")).one()
        tag.status = "rejected"
        session.add(tag)
    search.catch_up(settings, engine)
    yield settings, engine, ids
    engine.dispose()


def found(corpus: tuple, query: str, **kwargs: object) -> set[str]:
    settings, _engine, ids = corpus
    by_id = {v: k for k, v in ids.items()}
    result = search.search(settings, query, per_page=100, **kwargs)
    assert result.total == len(result.hits)
    return {by_id[hit.id] for hit in result.hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("qwen", {"qwen-letter", "hostile"}),
        ("qwen distillation", {"qwen-letter"}),
        ("Qwen AND letter", {"qwen-letter"}),
        ("nvidia OR deepseek", {"warren-nvidia", "deepseek-hearing"}),
        ("distillation qwen OR deepseek", {"qwen-letter", "deepseek-hearing"}),
        ("distillation -qwen", {"deepseek-hearing"}),
        ("distillation NOT qwen", {"deepseek-hearing"}),
        ("chips -(nvidia OR bill)", {"entity-list", "not-a-phrase"}),
        ('"export controls"', {"entity-list", "s1705"}),
        # The phrase names the topic: items tagged with it match too.
        ('"model distillation"', {"deepseek-hearing", "qwen-letter"}),
        ("regulation", {"entity-list"}),
        ("type:letter", {"qwen-letter", "warren-nvidia"}),
        ("type:letters", {"qwen-letter", "warren-nvidia"}),
        ("chips type:letter", {"warren-nvidia"}),
        ("topic:export-controls", {"entity-list", "s1705"}),
        ("entity:alibaba", {"qwen-letter"}),
        ("entity:openai", set()),
        ("source:fr-bis", {"entity-list"}),
        ("bill:119-s-1705", {"s1705"}),
        ("bill:s1705", {"s1705"}),
        ('bill:"S. 1705"', {"s1705"}),
        ("-type:news -type:letter after:2026-01-01", {"entity-list", "deepseek-hearing", "s1705",
                                                       "openai-rejected"}),
        ("after:2026-04-01", {"qwen-letter", "entity-list", "deepseek-hearing",
                              "openai-rejected"}),
        ("before:2026-03-31 after:2026-03-31", {"warren-nvidia"}),
        ("after:2026-06", {"deepseek-hearing"}),
        ("before:2025-12", {"nsm", "hostile"}),
        ("chips after:2026-03-01 before:2026-05-31", {"warren-nvidia", "entity-list"}),
    ],
)  # fmt: skip
def test_each_query_form_finds_exactly_the_expected_items(
    corpus: tuple, query: str, expected: set[str]
) -> None:
    assert found(corpus, query) == expected


def test_filters_given_as_parameters_combine_with_the_query(corpus: tuple) -> None:
    assert found(corpus, "distillation", filters=search.Filters(types=("hearing",))) == {
        "deepseek-hearing"
    }
    both = search.Filters(types=("letter", "memo"), date_from=date(2025, 12, 1))
    assert found(corpus, "", filters=both) == {"qwen-letter", "warren-nvidia", "nsm"}
    assert found(corpus, "chips", filters=search.Filters(date_to=date(2026, 3, 31))) == {
        "warren-nvidia", "s1705", "not-a-phrase"
    }  # fmt: skip
    assert found(corpus, "", filters=search.Filters(entities=("qwen", "alibaba"))) == {
        "qwen-letter"
    }
    assert found(corpus, "", filters=search.Filters(bill="s1705")) == {"s1705"}


def _database_facets(engine: Engine, item_ids: set[int]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {n: Counter() for n in search.FACET_NAMES}
    with session_scope(engine) as session:
        rows = session.exec(
            select(Item.doc_type, Source.slug)
            .join(Source, Source.id == Item.source_id)  # type: ignore[arg-type]
            .where(Item.id.in_(item_ids))  # type: ignore[union-attr]
        )
        for doc_type, source in rows:
            counts["type"][doc_type] += 1
            counts["source"][source] += 1
        tags = session.exec(
            select(ItemTag.kind, ItemTag.slug).where(
                ItemTag.item_id.in_(item_ids),  # type: ignore[attr-defined]
                ItemTag.status != "rejected",
            )
        )
        for kind, slug in tags:
            counts[kind][slug] += 1
    return counts


@pytest.mark.parametrize("query", ["", "chips", "distillation OR qwen", "after:2026-01-01"])
def test_facet_counts_equal_a_direct_database_count(corpus: tuple, query: str) -> None:
    settings, engine, _ids = corpus
    result = search.search(settings, query, per_page=1)
    every = search.search(settings, query, per_page=100)
    expected = _database_facets(engine, {hit.id for hit in every.hits})
    assert result.total == every.total > 1
    for name in search.FACET_NAMES:
        assert dict(result.facets[name]) == dict(expected[name]), name
    assert "openai" not in dict(result.facets["entity"])


def test_type_and_source_facets_keep_their_other_values_on_offer(corpus: tuple) -> None:
    settings, engine, _ids = corpus
    narrowed = search.search(settings, "chips", filters=search.Filters(types=("letter",)))
    wide = search.search(settings, "chips")
    assert narrowed.total == 1 < wide.total
    # Picking a type keeps the other types' counts, so a second can be added...
    assert narrowed.facets["type"] == wide.facets["type"]
    # ...while topics and entities count what is shown.
    shown = _database_facets(engine, {hit.id for hit in narrowed.hits})
    assert dict(narrowed.facets["entity"]) == dict(shown["entity"])
    assert dict(narrowed.facets["source"]) == dict(shown["source"])


def test_pages_split_the_results_and_newest_sorts_by_date(corpus: tuple) -> None:
    settings, _engine, _ids = corpus
    pages = [search.search(settings, "", sort="newest", page=n, per_page=4) for n in (1, 2, 3)]
    ids = [hit.id for page in pages for hit in page.hits]
    assert len(ids) == len(set(ids)) == len(CORPUS) and pages[0].pages == 3
    dates = [hit.published for page in pages for hit in page.hits]
    assert dates == sorted(dates, reverse=True)
    ranked = search.search(settings, "distillation models", per_page=10)
    assert ranked.sort == "relevance"
    assert [h.score for h in ranked.hits] == sorted((h.score for h in ranked.hits), reverse=True)


@pytest.mark.parametrize(
    "query", ['"unclosed', "type:", "AND OR", "((", ")", "NOT", "OR qwen", "-", "foo:bar",
              "after:2026-13-45", 'qwen "', "bill:nonsense", "after:2026-05-01 before:2026-04-01"],
)  # fmt: skip
def test_a_query_that_cannot_be_read_gives_a_notice_and_results(corpus: tuple, query: str) -> None:
    result = search.search(corpus[0], query)
    assert result.notice, query
    assert result.total == len(result.hits)


def test_unknown_values_and_stop_words_are_explained(corpus: tuple) -> None:
    assert "type" in (search.search(corpus[0], "type:tweet").notice or "")
    assert "entity:nobody" in (search.search(corpus[0], "entity:nobody").notice or "")
    assert "common" in (search.search(corpus[0], "the").notice or "")


def test_the_parser_reads_operators_like_a_journalist_expects() -> None:
    assert parse_query("qwen letter OR memo").echo == "qwen (letter OR memo)"
    assert parse_query('-china "model distillation" type:letter').echo == (
        '-china "model distillation" type:letter'
    )
    assert parse_query("before:2026-06 after:2026-04-01").echo == (
        "after:2026-04-01 before:2026-06-30"
    )


def test_highlights_escape_what_strangers_wrote(corpus: tuple) -> None:
    result = search.search(corpus[0], "qwen")
    hostile = next(hit for hit in result.hits if "script" in hit.title)
    assert "<script>" not in hostile.title_html and "&lt;script&gt;" in hostile.title_html
    assert "<mark>Qwen</mark>" in hostile.title_html
    text = " ".join(hostile.fragments_html)
    assert "<img" not in text and "<b>" not in text and "<mark>Qwen</mark>" in text
    accented = search.search(corpus[0], "regulation").hits[0]
    assert "<mark>régulations</mark>" in accented.fragments_html[0]


def test_a_phrase_is_marked_where_its_words_stand_together(corpus: tuple) -> None:
    (hit,) = search.search(corpus[0], '"export controls"', filters=search.Filters(
        types=("export-control",))).hits  # fmt: skip
    text = " ".join(hit.fragments_html)
    # "export controls" is one mark; nothing else in the item is marked.
    assert "<mark>export controls</mark>" in text and text.count("<mark>") == 1
    other = search.search(corpus[0], '"export controls" chips', per_page=20).hits
    marked = " ".join(" ".join(h.fragments_html) for h in other)
    assert "<mark>export controls</mark>" in marked and "<mark>chips</mark>" in marked
    # Words of the phrase are not marked apart from it.
    apart = search.search(corpus[0], 'chips "export controls"', per_page=20)
    assert all("<mark>export</mark>" not in " ".join(h.fragments_html) for h in apart.hits)
    phrase = highlight.Marks(phrases=frozenset({("export", "control")}))
    assert highlight.mark_all("Export  of controls", phrase) == "<mark>Export  of controls</mark>"


def test_a_second_passage_shows_what_the_first_could_not() -> None:
    text = ("Alibaba and Qwen " + "filler words go here " * 12 + "then export controls, "
            + "and more filler " * 40 + "Qwen again.")  # fmt: skip
    marks = highlight.Marks(frozenset({"alibaba", "qwen"}), frozenset({("export", "control")}))
    first, second = highlight.fragments(text, marks)
    assert "<mark>Alibaba</mark>" in first and "<mark>Qwen</mark>" in first
    assert "<mark>export controls</mark>" in second and "Alibaba" not in second
    assert len(highlight.fragments("No match at all here.", marks)) == 1


def test_the_cached_analyzer_gives_whooshs_terms() -> None:
    text = "Régulations on GPUs: the U.S. export-controls (naïve café) rules of 2026 apply"
    ours = [(t.text, t.pos, t.startchar, t.endchar)
            for t in CachedAnalyzer()(text, positions=True, chars=True)]  # fmt: skip
    theirs = [(t.text, t.pos, t.startchar, t.endchar)
              for t in CHAIN(text, positions=True, chars=True)]  # fmt: skip
    assert ours == theirs and ("regul", 0, 0, 11) in ours
    assert CachedAnalyzer().terms(text) == [t.text for t in CHAIN(text)]


def test_relevance_pages_hold_every_match_once_when_scores_tie(tmp_path: Path) -> None:
    settings, engine = new_home(tmp_path)
    # Eleven items with the same words score alike; three say "chips" twice in a row.
    docs = [Doc(f"same{n}", f"Chip rules {n}", "Rules for chips and exports", date(2026, 1, 2),
                "news") for n in range(11)]  # fmt: skip
    docs += [Doc(f"twice{n}", f"Chips chips {n}", "chips chips chips everywhere", date(2026, 1, 3),
                 "news") for n in range(3)]  # fmt: skip
    ids = store_docs(engine, docs)
    search.catch_up(settings, engine)
    pages = [search.search(settings, "chips", page=n, per_page=4) for n in (1, 2, 3, 4)]
    shown = [hit.id for page in pages for hit in page.hits]
    assert len(shown) == len(set(shown)) == pages[0].total == 14
    scores = [hit.score for page in pages for hit in page.hits]
    assert scores == sorted(scores, reverse=True)
    # The stronger matches come first, and equal scores keep one order.
    assert set(shown[:3]) == {ids[f"twice{n}"] for n in range(3)}
    assert shown == [h.id for h in search.search(settings, "chips", per_page=20).hits]
    by_id = {v: k for k, v in ids.items()}
    repeated = search.search(settings, '"chips chips chips"', per_page=20)
    assert {by_id[h.id] for h in repeated.hits} == {"twice0", "twice1", "twice2"}
    # Order counts; stop words leave no gap, as in whoosh.
    assert search.search(settings, '"exports chips"', per_page=20).total == 0
    assert search.search(settings, '"chips and exports"', per_page=20).total == 11


def test_an_updated_item_is_found_once_with_its_new_text(tmp_path: Path) -> None:
    settings, engine = new_home(tmp_path)
    ids = store_docs(engine, CORPUS[:3])
    search.catch_up(settings, engine)
    assert {h.id for h in search.search(settings, "qwen").hits} == {ids["qwen-letter"]}
    changed = Doc("qwen-letter", "Senators write to Moonshot about Kimi", "A new text.",
                  date(2026, 4, 2), "letter")  # fmt: skip
    store_docs(engine, [changed])
    assert search.catch_up(settings, engine) == 1
    # The same process keeps its open index and sees the change.
    assert search.search(settings, "qwen").total == 0
    kimi = search.search(settings, "kimi")
    assert [h.id for h in kimi.hits] == [ids["qwen-letter"]]
    assert search.search(settings, "").total == 3
    assert search.indexed_items(settings) == _database(engine)


def test_a_deleted_item_leaves_the_index_at_the_next_catch_up(tmp_path: Path) -> None:
    settings, engine = new_home(tmp_path)
    ids = store_docs(engine, CORPUS[:3])
    search.catch_up(settings, engine)
    with session_scope(engine) as session:
        for table in ("itemtag", "itemsource"):
            session.execute(sa.text(f"DELETE FROM {table} WHERE item_id = :i"),
                            {"i": ids["nsm"]})  # fmt: skip
        session.execute(sa.delete(Item).where(Item.id == ids["nsm"]))  # type: ignore[arg-type]
    assert search.catch_up(settings, engine) == 1
    assert search.search(settings, "memo").total == 0
    assert search.indexed_items(settings) == _database(engine)


def test_rebuild_in_several_processes_equals_one(tmp_path: Path) -> None:
    settings, engine = new_home(tmp_path)
    docs = [Doc(f"d{n}", f"Item {n} on chips", f"text {n} distillation", date(2026, 1, 1 + n % 28),
                "news") for n in range(40)]  # fmt: skip
    store_docs(engine, docs)
    assert search.rebuild(settings, engine, procs=1) == 40
    one = search.search(settings, "chips", per_page=100)
    steps: list[tuple[int, int]] = []
    assert (
        search.rebuild(settings, engine, procs=2, progress=lambda d, t: steps.append((d, t))) == 40
    )
    two = search.search(settings, "chips", per_page=100)
    assert one.total == two.total == 40
    assert {h.id: round(h.score or 0, 6) for h in one.hits} == {
        h.id: round(h.score or 0, 6) for h in two.hits
    }
    assert steps and steps[-1] == (40, 40)
    assert search.indexed_items(settings) == _database(engine)
    assert search.index_status(settings, engine).behind == 0


def test_a_writer_waits_for_the_lock_then_reports_index_busy(tmp_path: Path) -> None:
    settings, engine = new_home(tmp_path)
    store_docs(engine, CORPUS[:2])
    ix = open_or_create(settings.index_dir)
    with index_writer(ix, timeout=1):
        started = time.monotonic()
        with pytest.raises(search.IndexBusy, match="another process is writing"):
            search.catch_up(settings, engine, timeout=0.3)
        assert time.monotonic() - started >= 0.3
    assert search.catch_up(settings, engine, timeout=0.3) == 2


INDEXER = """
import sys
from tracker import search
from tracker.config import Settings
from tracker.store.engine import make_engine
settings = Settings.from_env({"TRACKER_HOME": sys.argv[1]})
engine = make_engine(settings)
if sys.argv[2] == "rebuild":
    search.rebuild(settings, engine, procs=1)
else:
    search.catch_up(settings, engine, batch_size=3)
"""


def _database(engine: Engine) -> dict[int, int]:
    with session_scope(engine) as session:
        return all_item_ids(session)


def test_killed_indexing_is_repaired_by_the_next_catch_up(tmp_path: Path) -> None:
    settings, engine = new_home(tmp_path)
    rng = random.Random(4)
    docs = [Doc(f"k{n}", f"Kill test {n}", "words " * 40 + str(n), date(2026, 1, 1 + n % 28),
                "news") for n in range(150)]  # fmt: skip
    store_docs(engine, docs)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    killed = 0
    for attempt in range(6):
        mode = "rebuild" if attempt % 3 == 2 else "catch-up"
        child = subprocess.Popen([sys.executable, "-c", INDEXER, str(tmp_path), mode], env=env)
        time.sleep(rng.uniform(0.4, 1.2))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            killed += 1
        child.wait()
        # Meanwhile the database moves on: some items change, some are new.
        changed = [Doc(d.key, d.title + f" v{attempt}", d.text, d.day, "letter")
                   for d in rng.sample(docs, 10)]  # fmt: skip
        fresh = [Doc(f"new{attempt}-{n}", "Fresh", "new text", date(2026, 2, 1), "memo")
                 for n in range(5)]  # fmt: skip
        store_docs(engine, changed + fresh)
    assert killed >= 2, "the indexer finished before every kill; make it slower"
    search.catch_up(settings, engine)
    assert search.indexed_items(settings) == _database(engine)
    assert search.search(settings, "").total == len(_database(engine))


def test_catch_up_follows_postgresql_too(engine: Engine, any_settings: Settings) -> None:
    migrate(engine)
    ids = store_docs(engine, CORPUS[:4])
    assert search.catch_up(any_settings, engine) == 4
    assert search.indexed_items(any_settings) == _database(engine)
    assert {h.id for h in search.search(any_settings, "chips").hits} == {
        ids["entity-list"],
        ids["warren-nvidia"],
    }


def test_cli_search_prints_hits_and_facets_as_json(corpus: tuple) -> None:
    settings = corpus[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_HOME"] = str(settings.home)
    done = subprocess.run(
        [sys.executable, "-m", "tracker.cli", "search", "qwen", "--json", "--limit", "5"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total"] == 2 and len(data["hits"]) == 2
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "date", "type", "score", "tags", "highlights"}
    assert "<mark>" in hit["highlights"]["title"] or "<mark>" in " ".join(hit["highlights"]["text"])
    assert data["facets"]["entity"]["qwen"] == 2
    table = subprocess.run([sys.executable, "-m", "tracker.cli", "search", "distillation", "-qwen"],
                           capture_output=True, text=True, env=env, timeout=60)  # fmt: skip
    assert table.returncode == 0 and "Hearing on DeepSeek" in table.stdout, table.stderr


def _spans_of_every_word(text: str, marks: highlight.Marks) -> list[tuple[int, int, str]]:
    """What `highlight.spans` must find, from whoosh's own analysis of every word."""
    tokens = [(t.text, t.startchar, t.endchar) for t in CHAIN(text, chars=True)]
    terms = [term for term, _, _ in tokens]
    found, reach = [], -1
    for i, (term, start, end) in enumerate(tokens):
        for phrase in marks.phrases:
            last = i + len(phrase) - 1
            if start > reach and tuple(terms[i : last + 1]) == phrase:
                found.append((start, tokens[last][2], " ".join(phrase)))
                reach = tokens[last][2]
        if term in marks.words and start > reach:
            found.append((start, end, term))
            reach = end
    return found


def test_highlights_stem_only_likely_words_and_miss_none() -> None:
    """Only words that start like a marked term are stemmed; the marks are those of
    stemming every word, for the words whose stems do not start as they do."""
    corpus = (Path(__file__).parent / "data" / "relevance_corpus.jsonl").read_text("utf-8")
    words = [w for line in corpus.splitlines() for w in json.loads(line)["text"].split()]
    words += ["dying", "Lying", "TYING", "spy", "skies", "U.S.", "x.Regulation", "H.R.8283",
              "8283", "of", "the", "régulation", "naïve", "Die", "lie"]  # fmt: skip
    rng = random.Random(8283)
    for _ in range(400):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(5, 60)))
        terms = [t.text for t in CHAIN(text)]
        if not terms:
            continue
        singles = frozenset(rng.sample(terms, min(len(terms), rng.randint(0, 3))))
        at = rng.randrange(len(terms))
        phrases = frozenset(
            {tuple(terms[at : at + rng.randint(2, 3)])} if rng.random() < 0.5 else ()
        )
        marks = highlight.Marks(singles, phrases)
        assert highlight.spans(text, marks) == _spans_of_every_word(text, marks), (text, marks)
    dying = highlight.Marks(frozenset({"die", "lie"}))
    assert [key for *_, key in highlight.spans("Dying trees lie; lying is dying", dying)] == [
        "die", "lie", "lie", "die"
    ]  # fmt: skip
