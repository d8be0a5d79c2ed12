"""Feed checks and the demo site the feed and API tests share.

Every published feed must: parse in feedparser with no `bozo`; parse in atoma
(a stricter reader); for Atom, validate against RFC 4287's RELAX NG schema;
for JSON Feed, validate against the JSON Feed 1.1 schema; for RSS, have the
channel and item elements RSS 2.0 requires. The validators are copies kept in
tests/data/validators (the schema converted once with rnc2rng).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import atoma
import feedparser
import jsonschema
from flask import Flask
from lxml import etree
from sqlmodel import select

from tracker import search
from tracker.models import Item
from tracker.parse import parse_document
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.events import bump
from tracker.web import create_app

VALIDATORS = Path(__file__).resolve().parent / "data" / "validators"
ATOM = "{http://www.w3.org/2005/Atom}"
# Characters XML 1.0 forbids, and C1 controls.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
EXECUTABLE = re.compile(r"<script|<iframe|<object|<embed|\son\w+\s*=|javascript:", re.I)

# A JSON Feed a hostile or careless publisher might send: markup, entities,
# control characters (JSON may escape them; XML may not hold them), formula
# starts for spreadsheets, and text in Chinese, Arabic and emoji.
NASTY_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Nasty test feed",
    "items": [
        {
            "id": "nasty-1",
            "url": "https://example.org/nasty-1",
            "title": "Alibaba <b>Qwen</b> &amp; model distillation of Claude"
            " \u0001\u0008\u000b\u001f 阿里巴巴 通义千问 نموذج التقطير 🚀🤖",
            "content_html": "<p>Anthropic says Alibaba used model distillation on Claude."
            "<script>alert(1)</script><img src=x onerror=alert(2)>"
            '<a href="javascript:alert(3)">x</a> 模型蒸馏 — تقطير النماذج 🧪 \u0000\u0007</p>',
            "date_published": "2026-06-20T10:00:00Z",
        },
        {
            "id": "nasty-2",
            "url": "https://example.org/nasty-2",
            "title": '=HYPERLINK("http://evil.example","Alibaba distillation, "quoted"")',
            "content_text": 'Model distillation: Qwen, Claude, Alibaba. Commas, "quotes".',
            "date_published": "2026-06-21T10:00:00Z",
        },
        {
            "id": "nasty-3",
            "url": "https://example.org/nasty-3",
            "title": "+1 -2 @SUM(A1) Alibaba distillation",
            "content_text": "Model distillation by Alibaba of Claude.",
            "date_published": "2026-06-22T10:00:00Z",
        },
    ],
}
# Plain live items that make the all-items listing run to a second page: the
# demo snapshot alone (35 items) fits on one.
FILLER_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Paging filler",
    "items": [
        {
            "id": f"filler-{n}",
            "url": f"https://example.org/filler-{n}",
            "title": f"Filler note {n} for paging",
            "content_text": "A plain note that exists to fill a second page.",
            "date_published": f"2025-0{1 + n % 9}-{10 + n % 18}T09:00:00Z",
        }
        for n in range(30)
    ],
}
# Written straight into the database, past the ingest sanitiser: what the
# feeds must still make safe if a stored row ever carries it.
RAW_TITLE = "Raw \x00\x01\x08\x0b\x0c\x1f\x7f title <i>it</i> &amp; 模型蒸馏 التقطير 🚀"
RAW_SUMMARY = (
    '<p onclick="steal()">Raw<script>alert(1)</script><img src=x onerror=alert(2)>'
    '<a href="javascript:alert(3)">link</a>\x07<iframe src="https://evil.example"></iframe>'
    "模型蒸馏 التقطير 🚀</p>"
)


def build_demo_app(home: Path) -> Flask:
    """The demo snapshot, the nasty feed, a filler feed, one raw row, and the search index."""
    from conftest import make_settings

    settings = make_settings(home)
    pipeline = Pipeline(settings)
    pipeline.init()
    outcomes = pipeline.load_demo()
    assert all(o.status == "ok" for o in outcomes), [o.error for o in outcomes]
    nasty = home / "nasty.json"
    nasty.write_text(json.dumps(NASTY_FEED))
    outcome = pipeline.ingest_file(nasty, "test-nasty")
    assert outcome.status == "ok", outcome.error
    filler = home / "filler.json"
    filler.write_text(json.dumps(FILLER_FEED))
    assert pipeline.ingest_file(filler, "test-filler").status == "ok"
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        raw = session.exec(select(Item).where(Item.guid == "nasty-3")).one()
        raw.title, raw.summary_html = RAW_TITLE, RAW_SUMMARY
        session.add(raw)
        session.flush()
        bump(session, [raw.id])  # type: ignore[list-item]
    search.catch_up(settings, pipeline.engine)
    # VERSION_TTL 0: every request looks at the database, so a change shows at once.
    app = create_app({"SETTINGS": settings, "TESTING": True, "VERSION_TTL": 0})
    app.extensions["demo.pipeline"] = pipeline
    return app


@cache
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(VALIDATORS / "atom.rng")))


@cache
def json_feed_schema() -> dict[str, Any]:
    return json.loads((VALIDATORS / "jsonfeed-schema-v1.1.json").read_text())


def check_atom(body: bytes) -> etree._Element:
    """Valid Atom 1.0 read alike by feedparser, atoma and the RELAX NG schema."""
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    root = etree.fromstring(body)
    schema = atom_schema()
    assert schema.validate(root), schema.error_log
    strict = atoma.parse_atom_bytes(body)
    assert len(strict.entries) == len(parsed.entries) == len(root.findall(f"{ATOM}entry"))
    return root


def check_rss(body: bytes) -> etree._Element:
    """RSS 2.0 with its required elements, read alike by feedparser and atoma."""
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    root = etree.fromstring(body)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    for name in ("title", "link", "description"):
        assert (channel.findtext(name) or "").strip(), f"channel has no {name}"
    for item in channel.findall("item"):
        assert item.findtext("title") or item.findtext("description")
        for name in ("link", "guid", "pubDate", "description"):
            assert item.find(name) is not None, f"item has no {name}"
    strict = atoma.parse_rss_bytes(body)
    assert len(strict.items) == len(parsed.entries) == len(channel.findall("item"))
    return root


def check_json_feed(body: bytes) -> dict[str, Any]:
    """Valid JSON Feed 1.1, read back whole by the project's own JSON Feed parser.

    (feedparser 6.0 reads no JSON Feed; the tracker's parser is the second reader.)
    """
    data = json.loads(body)
    jsonschema.Draft7Validator(json_feed_schema()).validate(data)
    parsed = parse_document(body)
    assert not parsed.warnings, parsed.warnings
    assert len(parsed.items) == len(data["items"])
    return data  # type: ignore[no-any-return]


def summaries(fmt: str, body: bytes) -> list[str]:
    """Every entry's summary HTML as a reader gets it (unescaped)."""
    if fmt == "json":
        return [i.get("content_html", "") for i in json.loads(body)["items"]]
    root = etree.fromstring(body)
    if fmt == "atom":
        return [e.findtext(f"{ATOM}summary") or "" for e in root.iter(f"{ATOM}entry")]
    return [i.findtext("description") or "" for i in root.iter("item")]


def titles(fmt: str, body: bytes) -> list[str]:
    if fmt == "json":
        return [i["title"] for i in json.loads(body)["items"]]
    root = etree.fromstring(body)
    if fmt == "atom":
        return [e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")]
    return [i.findtext("title") or "" for i in root.iter("item")]


CHECKS = {"atom": check_atom, "rss": check_rss, "json": check_json_feed}
