"""A generated corpus for bench/pages.py: items, tags, events and bills in bulk.

Titles and text are built from the taxonomy's names and issue words, so every
tag has evidence that points at real words; events hold one to fifteen items
over two years; a few bills have actions and about 1.5% of items name one.
Rows go straight into the real tables (migrated by `tracker init`) with
SQLAlchemy core inserts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from tracker.models import Bill, BillAction, Counter, Event, Item, ItemSource, ItemTag, Source

CHUNK = 5000
DAYS = 730


def _table(text: str) -> dict[str, tuple[int, list[str]]]:
    """'slug | weight | words; more words' lines → {slug: (weight, [words, ...])}."""
    rows = [line.split("|") for line in text.strip().splitlines()]
    return {s.strip(): (int(w), [x.strip() for x in ws.split(";")]) for s, w, ws in rows}


# Topics: how often each comes up, and the words that name it in text.
TOPICS = _table("""
distillation          | 20 | model distillation; distillation attacks; model extraction
export-controls       | 30 | export controls; the Entity List; export licences
antitrust             | 10 | antitrust law; a safe harbour for information sharing; collusion
national-security     | 18 | national security; a national security memorandum
semiconductors        | 16 | advanced chips; GPUs; chipmaking tools
intellectual-property |  6 | trade secrets; theft of model weights
""")
# Entities: how often each comes up, and how a sentence names it.
ENTITIES = _table("""
anthropic                | 9 | Anthropic
openai                   | 9 | OpenAI
alibaba                  | 6 | Alibaba
deepseek                 | 7 | DeepSeek
moonshot-ai              | 2 | Moonshot AI
nvidia                   | 8 | Nvidia
huawei                   | 5 | Huawei
google                   | 6 | Google
meta                     | 4 | Meta
microsoft                | 5 | Microsoft
qwen                     | 3 | Qwen
commerce-department      | 6 | the Commerce Department
bis                      | 7 | BIS
white-house              | 5 | the White House
ftc                      | 3 | the FTC
doj                      | 3 | the Justice Department
senate-banking-committee | 3 | the Senate Banking Committee
elizabeth-warren         | 2 | Sen. Elizabeth Warren
tim-scott                | 2 | Sen. Tim Scott
iaps                     | 1 | IAPS
""")
PARENTS = {"qwen": "alibaba", "bis": "commerce-department"}
VERBS = (
    "urges;weighs;warns of;responds to;pushes back on;asks Congress about;"
    "publishes research on;faces questions over;outlines a plan for"
).split(";")
DOC_TYPES = (
    ["news"] * 5
    + ["press-release"] * 3
    + ["report", "letter", "rule", "export-control", "hearing", "memo", "bill"]
)
BILLS = [  # congress, type, number, stage
    (119, "s", 1401, "referred"),
    (119, "hr", 8283, "reported"),
    (119, "s", 1705, "passed-one"),
    (119, "hr", 3447, "passed-both"),
    (118, "hr", 5278, "law"),
    (118, "s", 2040, "vetoed"),
]
BILL_LABEL = {"s": "S.", "hr": "H.R."}


def fill(engine: sa.Engine, count: int, rng: random.Random, now: datetime) -> None:
    """Sources, bills, events, items, their sources and tags, in bulk."""
    with engine.begin() as conn:
        sources = _sources(conn)
        bills = _bills(conn, rng, now)
        events: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        tags: list[dict[str, Any]] = []
        item_id = 0
        for event_id, (size, day) in enumerate(_event_plan(rng, count, now), start=1):
            theme = _theme(rng)
            doc_type = rng.choice(DOC_TYPES)
            for position in range(size):
                item_id += 1
                published = day + timedelta(minutes=position * rng.randint(30, 2000))
                source_id, source_type = rng.choice(sources)
                row, evidence = _item(rng, item_id, event_id, published, theme, bills)
                row.update(source_id=source_id, doc_type=source_type if position else doc_type)
                items.append(row)
                tags.extend(_tags(item_id, evidence, published))
                if position == 0:
                    events.append(
                        {
                            "id": event_id,
                            "headline": row["title"],
                            "event_date": published,
                            "lead_item_id": item_id,
                            "created_at": published,
                        }
                    )
        _insert(conn, Event, events)
        _insert(conn, Item, items)
        _insert(
            conn,
            ItemSource,
            [
                {
                    "item_id": i["id"],
                    "source_id": i["source_id"],
                    "guid": i["guid"],
                    "url": i["url"],
                    "first_seen": i["fetched_at"],
                }
                for i in items
            ],
        )
        _insert(conn, ItemTag, tags)
        counter = Counter.__table__
        conn.execute(sa.update(counter).where(counter.c.name == "item_seq").values(value=item_id))


def _event_plan(rng: random.Random, count: int, now: datetime) -> Iterator[tuple[int, datetime]]:
    made = 0
    start = now - timedelta(days=DAYS)
    while made < count:
        size = rng.choices([1, 2, 3, 5, 8, 15], weights=[55, 18, 12, 9, 4, 2])[0]
        size = min(size, count - made)
        # More recent days are busier, as a fight heats up.
        offset = DAYS * (rng.random() ** 0.7)
        yield size, start + timedelta(days=offset, seconds=rng.randint(0, 86_399))
        made += size


def _theme(rng: random.Random) -> tuple[list[str], list[str]]:
    topics = rng.choices(list(TOPICS), weights=[w for w, _ in TOPICS.values()], k=2)
    entities = rng.choices(list(ENTITIES), weights=[w for w, _ in ENTITIES.values()], k=3)
    return sorted(set(topics[: rng.randint(1, 2)])), sorted(set(entities[: rng.randint(1, 3)]))


def _name(slug: str) -> str:
    return ENTITIES[slug][1][0]


def _item(
    rng: random.Random,
    item_id: int,
    event_id: int,
    published: datetime,
    theme: tuple[list[str], list[str]],
    bills: list[tuple[int, str, int, int]],
) -> tuple[dict[str, Any], list[tuple[str, str, str, int, str]]]:
    """An item row, and its evidence: (slug, kind, field, start, words)."""
    topics, entities = theme
    lead = _name(entities[0])
    phrase = rng.choice(TOPICS[topics[0]][1])
    title = f"{lead[0].upper()}{lead[1:]} {rng.choice(VERBS)} {phrase}"
    others = ", ".join(_name(e) for e in entities[1:]) or "officials"
    sentences = [
        f"In a statement on {published:%-d %B}, {lead} set out its view on {phrase}.",
        f"The move drew responses from {others}, who said the question of "
        f"{rng.choice(TOPICS[topics[-1]][1])} needs a clear answer this year.",
        "Analysts expect further filings, hearings and commentary in the coming weeks, "
        "and several outlets published their own readings of the documents.",
    ]
    bill_id = None
    if rng.random() < 0.015:
        _, bill_type, number, bill_id = rng.choice(bills)
        sentences.append(f"The bill, {BILL_LABEL[bill_type]} {number}, would change the rules.")
    text = " ".join(sentences)
    evidence = []
    for slug in entities:
        for field, body in (("title", title), ("text", text)):
            at = body.find(_name(slug))
            if at != -1:
                evidence.append((slug, "entity", field, at, _name(slug)))
    for slug in topics:
        for words in TOPICS[slug][1]:
            for field, body in (("title", title), ("text", text)):
                at = body.find(words)
                if at != -1:
                    evidence.append((slug, "topic", field, at, words))
    row = {
        "id": item_id,
        "guid": f"bench-{item_id}",
        "url": f"https://bench.example/items/{item_id}",
        "title": title,
        "summary_html": f"<p>{text}</p>",
        "text": text,
        "published_at": published,
        "fetched_at": published + timedelta(hours=1),
        "undated": False,
        "agencies": [],
        "categories": [],
        "rins": [],
        "content_hash": f"{item_id:064x}",
        "event_id": event_id,
        "bill_id": bill_id,
        "seq": item_id,
        "changed_at": published + timedelta(hours=1),
    }
    return row, evidence


def _tags(
    item_id: int, evidence: list[tuple[str, str, str, int, str]], when: datetime
) -> list[dict[str, Any]]:
    by_slug: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for slug, kind, field, start, words in evidence:
        by_slug.setdefault((slug, kind), []).append(
            {"field": field, "start": start, "end": start + len(words), "text": words}
        )
    rows = [
        {
            "item_id": item_id,
            "slug": slug,
            "kind": kind,
            "origin": "rule",
            "status": "suggested",
            "evidence": ev,
            "created_at": when,
        }
        for (slug, kind), ev in by_slug.items()
    ]
    for (slug, _), _ev in list(by_slug.items()):
        parent = PARENTS.get(slug)
        if parent and (parent, "entity") not in by_slug:
            rows.append(
                {
                    "item_id": item_id,
                    "slug": parent,
                    "kind": "entity",
                    "origin": "parent",
                    "status": "suggested",
                    "evidence": [],
                    "created_at": when,
                }
            )
    return rows


def _sources(conn: sa.Connection) -> list[tuple[int, str]]:
    table = Source.__table__
    extra = [
        {
            "slug": f"bench-outlet-{n}",
            "name": f"Bench outlet {n}",
            "kind": "rss",
            "url": f"https://bench.example/{n}.xml",
            "doc_type": "news",
            "selectors": {},
            "last_status": "error" if n == 3 else "ok",
            "last_error": "HTTP 503" if n == 3 else None,
            "failures": 2 if n == 3 else 0,
        }
        for n in range(1, 17)
    ]
    conn.execute(sa.insert(table), extra)
    return [(i, t) for i, t in conn.execute(sa.select(table.c.id, table.c.doc_type))]


def _bills(
    conn: sa.Connection, rng: random.Random, now: datetime
) -> list[tuple[int, str, int, int]]:
    found = []
    for congress, bill_type, number, stage in BILLS:
        introduced = (now - timedelta(days=rng.randint(60, 600))).date()
        actions = _actions(rng, introduced, stage)
        bill_id = conn.execute(
            sa.insert(Bill.__table__).values(
                key=f"{congress}-{bill_type}-{number}",
                congress=congress,
                bill_type=bill_type,
                number=number,
                title=f"Bench Act {number}",
                introduced=introduced,
                sponsor_name="Sen. Example, Pat [I-ZZ]",
                subjects=[],
                stage=stage,
                latest_summary="",
                latest_action_date=actions[-1][0],
                latest_action_text=actions[-1][1],
            )
        ).inserted_primary_key[0]
        conn.execute(
            sa.insert(BillAction.__table__),
            [
                {"bill_id": bill_id, "position": i, "action_date": day, "text": text}
                for i, (day, text) in enumerate(actions)
            ],
        )
        found.append((congress, bill_type, number, bill_id))
    return found


def _actions(rng: random.Random, day: date, stage: str) -> list[tuple[date, str]]:
    steps = [
        "Introduced",
        "Referred to committee",
        "Hearings held",
        "Reported by committee",
        "Passed the first chamber",
        "Passed the second chamber",
        "Presented to the President",
        "Became law" if stage == "law" else "Vetoed by the President",
    ]
    upto = {
        "introduced": 1,
        "referred": 3,
        "reported": 4,
        "passed-one": 5,
        "passed-both": 6,
        "president": 7,
        "law": 8,
        "vetoed": 8,
    }[stage]
    actions = []
    for text in steps[:upto]:
        actions.append((day, text))
        day += timedelta(days=rng.randint(3, 40))
    return actions


def _insert(conn: sa.Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        conn.execute(sa.insert(model.__table__), rows[start : start + CHUNK])
