"""Search speed: the tracker's whoosh index against SQLite FTS5, side by side in one run.

    python bench/search.py [--items 100000] [--runs 5] [--procs N] [--http [--before DIR]]
                            [--keep DIR]

Generates N items shaped like policy news (entities, topics, document types,
sources and bills from the taxonomy; dates over two years), stores them in a
fresh SQLite database with the tracker's own tables (bulk inserts), builds the
index through `tracker.search.rebuild`, and builds an FTS5 table with the same
text plus facet columns. Then it times four query classes the way the search
page asks for them (first page of 20 with highlights, total, and facet counts
for type, topic, entity and source over the whole result): one word, two
words, a phrase, and a word with a date range, a type and an entity filter.
Each query alternates whoosh / FTS5 so machine noise hits both. A fifth
class, queries naming a topic or entity, is timed for whoosh alone.

With ``--http`` it then serves the same database with gunicorn and times the
/search page over HTTP, first request and warm, per query class; with
``--before DIR`` another tree of the tracker (say a checkout of the previous
release) is built and served beside this one and the requests alternate
between them (bench/search_http.py).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from tracker import search
from tracker.config import Settings
from tracker.models import Bill, Counter, Item, ItemSource, ItemTag, Source
from tracker.store.engine import make_engine, migrate, session_scope
from tracker.store.indexing import items_since

ENTITIES = {  # slug: (names in text, parent)
    "anthropic": (["Anthropic", "Claude"], None),
    "openai": (["OpenAI", "ChatGPT"], None),
    "alibaba": (["Alibaba"], None),
    "qwen": (["Qwen", "Tongyi Qianwen"], "alibaba"),
    "deepseek": (["DeepSeek"], None),
    "moonshot-ai": (["Moonshot AI", "Kimi"], None),
    "nvidia": (["Nvidia"], None),
    "huawei": (["Huawei"], None),
    "google": (["Google", "Gemini"], None),
    "meta": (["Meta", "Llama"], None),
    "microsoft": (["Microsoft"], None),
    "commerce-department": (["the Commerce Department"], None),
    "bis": (["the Bureau of Industry and Security", "BIS"], "commerce-department"),
    "white-house": (["the White House"], None),
    "ftc": (["the Federal Trade Commission"], None),
    "doj": (["the Justice Department"], None),
    "senate-banking-committee": (["the Senate Banking Committee"], None),
    "elizabeth-warren": (["Sen. Elizabeth Warren"], None),
    "tim-scott": (["Sen. Tim Scott"], None),
    "iaps": (["the Institute for AI Policy and Strategy"], None),
}
TOPICS = {
    "distillation": ["model distillation", "distillation attacks", "outputs of frontier models"],
    "export-controls": ["export controls", "the Entity List", "export licences", "chip rules"],
    "antitrust": ["antitrust enforcement", "collusion", "information sharing safe harbour"],
    "national-security": ["national security", "intelligence agencies", "security memorandum"],
    "semiconductors": ["advanced chips", "GPUs", "chipmaking tools", "semiconductor supply"],
    "intellectual-property": ["trade secrets", "copyright", "theft of model weights"],
}
TYPES = {"news": 40, "press-release": 15, "letter": 8, "rule": 8, "export-control": 6,
         "memo": 4, "bill": 6, "hearing": 6, "report": 7}  # fmt: skip
SOURCES = [f"{org}-{kind}" for org in ("reuters", "politico", "axios", "fr", "house", "senate",
           "commerce", "ftc", "think-tank", "company") for kind in ("feed", "wire")]  # fmt: skip
FILLER = """said officials government administration federal policy new year week statement
report companies industry department agency people public security national told according
plan rules would could also added including state law technology data information market
former official president senator members congress committee chairman lawmakers letter
request review process program support issue issues time number first last major global
international foreign domestic american chinese countries country economic economy trade
business firms firm company executives executive chief leaders leadership staff experts
analysts research researchers study studies findings evidence question questions concerns
risk risks threat threats approach framework measures measure steps action actions effort
efforts decision decisions proposal proposals legislation bill bills draft amendment vote
votes hearing hearings testimony witnesses witness panel subcommittee oversight inquiry
investigation investigations probe subpoena subpoenas documents records filing filings court
courts judge ruling lawsuit case cases settlement penalty penalties fine fines sanctions
enforcement compliance violations violation guidance notice comment period deadline
requirements requirement license licenses licensing exports imports tariffs duties customs
supply chain manufacturing factories production capacity computing compute cloud servers
hardware software systems system platform platforms products product services service
developers developer engineers engineering training inference weights parameters benchmark
benchmarks performance capabilities capability frontier advanced open source access users
customers partners partnership agreement deal deals contract contracts procurement budget
funding investment investors billion million percent quarter revenue sales growth shares
stock markets prices costs demand competition competitors rival rivals dominance monopoly
merger acquisition acquisitions antitrust collusion conduct practices consumers protection
privacy transparency accountability safety safeguards standards certification audit audits
disclosure reporting obligations liability responsibility intellectual property patents
patent copyright copyrights trademark secrets theft espionage hacking cyber intrusion
breach attack attacks campaign influence intelligence military defense pentagon army navy
allies ally partners coalition europe european union britain japan korea taiwan india
beijing washington brussels london tokyo seoul taipei delhi shenzhen hangzhou silicon valley
startup startups laboratory laboratories university universities academic students talent
visa visas immigration workforce jobs workers employment wages unions labor automation
energy power electricity grid data centers water emissions climate environment chips
memory bandwidth transistors foundry foundries fabrication lithography equipment tools
suppliers vendor vendors shipment shipments smuggling diversion loophole loopholes
controls restrictions restriction ban bans blacklist listing designation designations
entity entities exemption exemptions waiver waivers carve outs thresholds threshold
performance density interim final rule rules rulemaking register docket publication
effective date compliance dates clarification clarifications frequently asked answers
briefing briefings spokesperson spokeswoman spokesman interview interviews conference
remarks speech speeches summit meeting meetings talks negotiations dialogue envoy envoys
minister ministers ministry embassy diplomats diplomatic tensions relations retaliation
response responded responds warned warning warnings urged urges called calls asked asks
argued argues noted notes announced announces unveiled launched released published issued
signed approved passed introduced sponsored cosponsored blocked rejected delayed paused
expanded tightened loosened revised updated extended narrowed broadened targeted aimed
designed intended expected likely unlikely possible significant substantial broad narrow
strict tough weak strong critical important key central early late recent previous
upcoming ongoing current future potential serious sensitive classified confidential
internal external independent bipartisan partisan republican democratic democrats
republicans majority minority leader ranking member staffers aides counsel attorneys
lawyers general attorney prosecutors justice commission commissioner chair regulators
regulator regulation regulations regulatory""".split()
COMMON = "the a of to in and for on with that by as is was said will has from at".split()
SYLLABLES = "ba ren to vel mar qui dos len ka ter pho nix sul gar fen dri mo lak tes vin".split()


def vocabulary(size: int = 20_000) -> tuple[list[str], list[float]]:
    """The words above, then made-up names and rarer words, with Zipf weights.

    A real news vocabulary has a long tail; without one every word would be in
    a large share of the items and every query would match half the corpus.
    """
    words = list(dict.fromkeys(FILLER))
    for a in SYLLABLES:
        for b in SYLLABLES:
            for c in SYLLABLES:
                words.append(a + b + c)
                if len(words) == size:
                    break
    weights = list(accumulate(1 / (rank + 1) for rank in range(len(words))))
    return words, weights


def make_items(count: int, seed: int = 11) -> list[dict[str, object]]:
    """Items with title, text, type, source, tags, bill and date; deterministic."""
    rng = random.Random(seed)
    vocab, cumulative = vocabulary()
    start = datetime(2024, 7, 1, tzinfo=UTC)
    slugs, topic_slugs = list(ENTITIES), list(TOPICS)
    types, weights = list(TYPES), list(TYPES.values())
    items = []
    for _ in range(count):
        ents = rng.sample(slugs, rng.choice((1, 1, 2, 2, 3, 4)))
        tops = rng.sample(topic_slugs, rng.choice((1, 1, 2, 3)))
        sentences = []
        for _ in range(rng.randint(6, 22)):
            words = rng.choices(vocab, cum_weights=cumulative, k=rng.randint(6, 12))
            words += rng.choices(COMMON, k=rng.randint(3, 6))
            rng.shuffle(words)
            if rng.random() < 0.45:
                words.insert(rng.randrange(len(words)), rng.choice(ENTITIES[rng.choice(ents)][0]))
            if rng.random() < 0.25:
                words.insert(rng.randrange(len(words)), rng.choice(TOPICS[rng.choice(tops)]))
            sentences.append(" ".join(words).capitalize() + ".")
        lead = ENTITIES[ents[0]][0][0]
        title = f"{lead} {rng.choice(FILLER)} {rng.choice(TOPICS[tops[0]])} {rng.choice(FILLER)}"
        tags = {(e, "entity") for e in ents} | {(t, "topic") for t in tops}
        tags |= {(ENTITIES[e][1], "entity") for e in ents if ENTITIES[e][1]}
        items.append({
            "title": title[0].upper() + title[1:],
            "text": " ".join(sentences),
            "doc_type": rng.choices(types, weights)[0],
            "source": rng.randrange(len(SOURCES)),
            "published": start + timedelta(minutes=rng.randrange(730 * 24 * 60)),
            "bill": rng.randrange(40) if rng.random() < 0.06 else None,
            "tags": sorted(tags),
        })  # fmt: skip
    return items


def fill_database(engine: sa.Engine, items: list[dict[str, object]]) -> None:
    """Bulk inserts into the tracker's own tables (sources, bills, items, tags)."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        session.execute(sa.insert(Source), [
            {"slug": s, "name": s, "kind": "rss", "url": "", "doc_type": "news", "selectors": {}}
            for s in SOURCES])  # fmt: skip
        session.execute(sa.insert(Bill), [
            {"key": f"119-s-{1700 + b}", "congress": 119, "bill_type": "s", "number": 1700 + b,
             "title": f"Bill {b}", "subjects": []} for b in range(40)])  # fmt: skip
        for first in range(0, len(items), 5000):
            chunk = items[first : first + 5000]
            rows, links, tags = [], [], []
            for offset, item in enumerate(chunk):
                item_id = first + offset + 1
                rows.append({
                    "id": item_id, "source_id": item["source"] + 1, "guid": f"g{item_id}",
                    "title": item["title"], "text": item["text"], "summary_html": "",
                    "published_at": item["published"], "fetched_at": now,
                    "doc_type": item["doc_type"], "content_hash": str(item_id), "seq": item_id,
                    "changed_at": now, "agencies": [], "categories": [], "rins": [],
                    "bill_id": item["bill"] + 1 if item["bill"] is not None else None})  # fmt: skip
                links.append({"item_id": item_id, "source_id": item["source"] + 1,
                              "guid": f"g{item_id}", "first_seen": now})  # fmt: skip
                tags.extend({"item_id": item_id, "slug": slug, "kind": kind, "origin": "rule",
                             "status": "suggested", "evidence": [], "created_at": now}
                            for slug, kind in item["tags"])  # fmt: skip
            session.execute(sa.insert(Item), rows)
            session.execute(sa.insert(ItemSource), links)
            session.execute(sa.insert(ItemTag), tags)
        session.execute(sa.update(Counter).values(value=len(items)))


FTS_MATCHES = """CREATE TEMP TABLE hits AS SELECT rowid AS id, doc_type, source,
bm25(docs, 2.0, 1.0) AS rank FROM docs WHERE {where}"""
FTS_FACETS = (
    "SELECT count(*) FROM hits",
    "SELECT doc_type, count(*) FROM hits GROUP BY doc_type",
    "SELECT source, count(*) FROM hits GROUP BY source",
    "SELECT t.kind, t.slug, count(*) FROM hits JOIN tags t ON t.item_id = hits.id GROUP BY 1, 2",
)
FTS_PAGE = """SELECT rowid, highlight(docs, 0, '<mark>', '</mark>'),
snippet(docs, 1, '<mark>', '</mark>', '…', 40) FROM docs
WHERE docs MATCH ? AND rowid IN (SELECT id FROM hits ORDER BY rank LIMIT 20)"""


def build_fts(engine: sa.Engine, path: Path) -> tuple[sqlite3.Connection, float]:
    """The FTS5 twin of the index, from the same database rows; returns its build time."""
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    conn.executescript("""
        CREATE VIRTUAL TABLE docs USING fts5(title, text, doc_type UNINDEXED, source UNINDEXED,
            published UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2');
        CREATE TABLE tags (item_id INTEGER, kind TEXT, slug TEXT);""")  # fmt: skip
    last = 0
    while True:
        with session_scope(engine) as session:
            docs = items_since(session, last, 2000)
        if not docs:
            break
        conn.executemany("INSERT INTO docs(rowid, title, text, doc_type, source, published) "
                         "VALUES (?, ?, ?, ?, ?, ?)",
                         [(d.id, d.title, d.text, d.doc_type, d.source,
                           d.published.date().isoformat()) for d in docs])  # fmt: skip
        conn.executemany("INSERT INTO tags VALUES (?, ?, ?)",
                         [(d.id, k, s) for d in docs for k, tags in
                          (("topic", d.topics), ("entity", d.entities)) for s in tags])  # fmt: skip
        last = docs[-1].seq
    conn.executescript("CREATE INDEX tags_slug ON tags(slug, item_id);"
                       "CREATE INDEX tags_item ON tags(item_id);")  # fmt: skip
    conn.commit()
    return conn, time.perf_counter() - started


QUERIES = {
    "one word": [(w, None) for w in ("qwen", "distillation", "nvidia", "tariffs", "huawei",
                 "copyright", "subpoena", "gpus", "collusion", "smuggling")],
    "two words": [(w, None) for w in ("qwen distillation", "nvidia chips", "export licences",
                  "huawei sanctions", "senator letter", "antitrust investigation",
                  "deepseek weights", "google testimony")],
    "phrase": [(w, None) for w in ('"model distillation"', '"entity list"',
               '"national security"', '"trade secrets"', '"export controls"',
               '"advanced chips"')],
    "date+type+entity": [
        ("chips", ("letter", "nvidia", date(2025, 9, 1), date(2026, 2, 28))),
        ("distillation", ("news", "qwen", date(2025, 1, 15), date(2025, 6, 30))),
        ("sanctions", ("rule", "huawei", date(2024, 10, 1), date(2025, 9, 30))),
        ("letter", ("press-release", "elizabeth-warren", date(2026, 1, 10), date(2026, 6, 20))),
        ("weights", ("report", "anthropic", date(2025, 3, 1), date(2025, 8, 31)))],
    # Queries naming a topic or entity (FTS5 runs them as plain words).
    "concept": [(w, None) for w in ("semiconductors", "Warren", "IAPS",
                "export controls Alibaba", "BIS", "national security")],
}  # fmt: skip


def run_whoosh(settings: Settings, words: str, extra: tuple | None) -> int:  # type: ignore[type-arg]
    filters = None
    if extra:
        doc_type, entity, start, end = extra
        filters = search.Filters(types=(doc_type,), entities=(entity,), date_from=start,
                                 date_to=end)  # fmt: skip
    result = search.search(settings, words, filters=filters, per_page=20)
    assert result.notice is None, result.notice
    return result.total


def run_fts(conn: sqlite3.Connection, words: str, extra: tuple | None) -> int:  # type: ignore[type-arg]
    """The same question of FTS5: matches once into a temporary table, then
    the total, four GROUP BY facet counts and the highlighted first page."""
    where, params = "docs MATCH ?", [words]
    if extra:
        doc_type, entity, start, end = extra
        where += " AND doc_type = ? AND published BETWEEN ? AND ?"
        params += [doc_type, start.isoformat(), end.isoformat()]
    conn.execute(FTS_MATCHES.format(where=where), params)
    if extra:
        conn.execute("DELETE FROM hits WHERE id NOT IN "
                     "(SELECT item_id FROM tags WHERE slug = ?)", [entity])  # fmt: skip
    total = conn.execute(FTS_FACETS[0]).fetchone()[0]
    for statement in FTS_FACETS[1:]:
        conn.execute(statement).fetchall()
    conn.execute(FTS_PAGE, [words]).fetchall()
    conn.execute("DROP TABLE hits")
    return total


def timed(fn, *args) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """Wall and CPU milliseconds of one call (both engines run in this process)."""
    started, cpu = time.perf_counter(), time.process_time()
    total = fn(*args)
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000, total


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--procs", type=int, default=None, help="index build processes")
    parser.add_argument("--http", action="store_true", help="also time the page over HTTP")
    parser.add_argument("--before", type=Path, help="another tree to serve beside this one")
    parser.add_argument("--keep", type=Path, help="build in this (new) folder and keep it, for "
                        "bench/search_http.py HOME BEFORE_TREE")  # fmt: skip
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True)
    with (
        contextlib.nullcontext(str(args.keep))
        if args.keep
        else tempfile.TemporaryDirectory() as tmp
    ):
        home = Path(tmp).resolve()
        settings = Settings.from_env({"TRACKER_HOME": str(home)})
        engine = make_engine(settings)
        migrate(engine)
        started = time.perf_counter()
        items = make_items(args.items)
        fill_database(engine, items)
        chars = sum(len(i["title"]) + len(i["text"]) for i in items) / len(items)  # type: ignore[arg-type]
        del items
        print(f"{args.items:,} items generated and stored in {time.perf_counter() - started:.0f} s"
              f" (average {chars:,.0f} characters)", file=sys.stderr)  # fmt: skip
        started = time.perf_counter()
        indexed = search.rebuild(settings, engine, procs=args.procs)
        build = time.perf_counter() - started
        status = search.index_status(settings, engine)
        assert indexed == status.items == args.items, (indexed, status)
        conn, fts_build = build_fts(engine, home / "fts.db")
        first, _cpu, _ = timed(run_whoosh, settings, "qwen", None)
        rows = []
        for name, queries in QUERIES.items():
            times: dict[str, list[float]] = {"whoosh": [], "fts5": [], "wcpu": [], "fcpu": []}
            totals = []
            for words, extra in queries:
                run_whoosh(settings, words, extra)  # warm both sides once
                run_fts(conn, words, extra)
                for _ in range(args.runs):
                    ms, cpu, total = timed(run_whoosh, settings, words, extra)
                    times["whoosh"].append(ms)
                    times["wcpu"].append(cpu)
                    fts_ms, fts_cpu, fts_total = timed(run_fts, conn, words, extra)
                    times["fts5"].append(fts_ms)
                    times["fcpu"].append(fts_cpu)
                    totals.append((total, fts_total))
            rows.append((name, times, totals))
        conn.close()
        fts_size = (home / "fts.db").stat().st_size
        engine.dispose()
        _print_calls(args, first, build, fts_build, status, fts_size, rows)
        if args.http:
            from search_http import ROOT, compare

            trees = {"before": args.before.resolve()} if args.before else {}
            trees["after"] = ROOT
            compare(trees, home, settings.database_url, args.runs)


def _print_calls(args, first, build, fts_build, status, fts_size, rows) -> None:  # type: ignore[no-untyped-def]
    print(
        f"\n{args.items:,} items; index built by {args.procs or 'default'} process(es); "
        f"first search after opening the index: {first:.0f} ms; load average at the end "
        f"{' / '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs\n"
    )
    print("| measure | whoosh (tracker) | SQLite FTS5 | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| build, items/s | {args.items / build:,.0f} | {args.items / fts_build:,.0f} | "
          f"{fts_build / build:.2f} |")  # fmt: skip
    print(f"| size, MB | {status.size_bytes / 1e6:.0f} | {fts_size / 1e6:.0f} | "
          f"{status.size_bytes / fts_size:.2f} |")  # fmt: skip
    for name, times, totals in rows:
        w50, f50 = statistics.median(times["whoosh"]), statistics.median(times["fts5"])
        w95, f95 = p95(times["whoosh"]), p95(times["fts5"])
        hits = statistics.median(t for t, _ in totals)
        print(f"| {name} p50 ms (median {hits:,.0f} hits) | {w50:.1f} | {f50:.1f} | "
              f"{w50 / f50:.2f} |")  # fmt: skip
        print(f"| {name} p95 ms | {w95:.1f} | {f95:.1f} | {w95 / f95:.2f} |")
        c50, d50 = statistics.median(times["wcpu"]), statistics.median(times["fcpu"])
        print(f"| {name} CPU-time p50 ms | {c50:.1f} | {d50:.1f} | {c50 / d50:.2f} |")
        c95, d95 = p95(times["wcpu"]), p95(times["fcpu"])
        print(f"| {name} CPU-time p95 ms | {c95:.1f} | {d95:.1f} | {c95 / d95:.2f} |")


if __name__ == "__main__":
    main()
