"""`tracker tag --jsonl`: JSON lines in, JSON lines out, one for one, same order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from tracker.config import Settings
from tracker.normalize import clean_title, html_to_text
from tracker.sources import SourceConfigError, load_sources
from tracker.tag import tag_item
from tracker.taxonomy import Taxonomy


def source_defaults(settings: Settings) -> dict[str, str]:
    """Default document type of every configured source, by slug and by name."""
    try:
        sources = load_sources(settings.data_dir / "sources.toml")
    except SourceConfigError:
        return {}
    defaults = {s.slug: s.doc_type for s in sources}
    defaults.update({s.name: s.doc_type for s in sources})
    return defaults


def tag_record(record: Any, taxonomy: Taxonomy, defaults: Mapping[str, str]) -> dict[str, Any]:
    """One input object → its tags, type and evidence; a bad object → an `error`."""
    if not isinstance(record, dict):
        return {"error": "each line must be a JSON object"}
    title, summary = record.get("title"), record.get("summary", "")
    if not isinstance(title, str) or not title.strip():
        return {"error": "'title' must be a non-empty string"}
    if not isinstance(summary, str):
        return {"error": "'summary' must be a string"}
    source = record.get("source")
    default = defaults.get(source) if isinstance(source, str) else None
    # Evidence offsets refer to the title and summary as plain text.
    title, text = clean_title(title), html_to_text(summary) if "<" in summary else summary
    result = tag_item(title, text, taxonomy, default_doc_type=default)
    out: dict[str, Any] = {}
    if isinstance(record.get("url"), str):
        out["url"] = record["url"]
    out.update(
        topics=result.topics,
        entities=result.entities,
        doc_type=result.doc_type,
        # Topics the model read from the wording (tracker/topic_model.py), not the rules.
        model_topics=[t.slug for t in result.tags if t.origin == "model"],
        evidence={
            tag.slug: [
                {
                    "field": "summary" if e.field == "text" else e.field,
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                }
                for e in tag.evidence
            ]
            for tag in result.tags
        },
    )
    return out


def tag_lines(
    lines: Iterable[str | bytes], taxonomy: Taxonomy, defaults: Mapping[str, str]
) -> Iterator[dict[str, Any]]:
    """Each input line gives exactly one result; a bad line gives one with an `error`."""
    for number, line in enumerate(lines, start=1):
        yield tag_line(line, number, taxonomy, defaults)


def tag_line(
    line: str | bytes, number: int, taxonomy: Taxonomy, defaults: Mapping[str, str]
) -> dict[str, Any]:
    """Line `number` of the input → its result, or an `error` naming the line."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": f"line {number}: not JSON ({exc.msg})"}
    except UnicodeDecodeError:
        return {"error": f"line {number}: not UTF-8 text"}
    result = tag_record(record, taxonomy, defaults)
    if "error" in result:
        result["error"] = f"line {number}: {result['error']}"
    return result
