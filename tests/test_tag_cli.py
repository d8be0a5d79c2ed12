"""`tracker tag --jsonl` and `tracker retag` as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DATA, make_settings
from sqlmodel import select
from test_cli import run

from tracker.config import REPO_ROOT
from tracker.models import Item, ItemTag, utcnow
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope


def tag_jsonl(home: Path, lines: list[str]):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "tracker.cli", "tag", "--jsonl"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_tag_jsonl_answers_every_line_in_order(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "Letter to Senators Warren and Scott", "summary": "Anthropic "
                    "says Alibaba distilled Claude to train Qwen.", "url": "https://e.org/1"}),
        "{not json",
        json.dumps({"summary": "no title"}),
        json.dumps({"title": "Claude Monet at the Met", "summary": "Water lilies return."}),
        json.dumps(["a", "list"]),
    ]  # fmt: skip
    result = tag_jsonl(tmp_path, lines)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    first = out[0]
    assert first["url"] == "https://e.org/1" and first["doc_type"] == "letter"
    assert {"anthropic", "alibaba", "qwen", "elizabeth-warren", "tim-scott"} <= set(
        first["entities"]
    )
    assert "distillation" in first["topics"]
    span = first["evidence"]["alibaba"][0]
    assert span["field"] == "summary"
    assert "Anthropic says Alibaba distilled"[span["start"] : span["end"]] == "Alibaba"
    assert "line 2" in out[1]["error"] and "title" in out[2]["error"]
    assert out[3]["entities"] == [] and "error" in out[4]


def test_retag_applies_a_changed_taxonomy_and_keeps_decisions(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data, ignore=shutil.ignore_patterns("demo"))
    settings = make_settings(tmp_path / "home", data_dir=data)
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.ingest_file(DATA / "feeds" / "rss2.xml", "wire")
    with session_scope(pipeline.engine) as session:
        item = session.exec(select(Item).where(Item.guid == "wire-1")).one()
        tags = {t.slug: t for t in session.exec(select(ItemTag).where(ItemTag.item_id == item.id))}
        assert "distillation" in tags and "commerce-department" in tags
        tags["commerce-department"].status = "confirmed"
        session.add(ItemTag(item_id=item.id, slug="nvidia", kind="entity", origin="manual",  # type: ignore[arg-type]
                            status="confirmed", created_at=utcnow()))  # fmt: skip
        seq_before = item.seq
    # The new taxonomy no longer knows the bare word "distillation".
    taxonomy = (data / "taxonomy.toml").read_text()
    (data / "taxonomy.toml").write_text(
        taxonomy.replace('"distillation", "model distillation"', '"model distillation"')
    )
    result = run(tmp_path / "home", "retag", env={"TRACKER_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert "manual decisions kept" in result.stdout
    with session_scope(pipeline.engine) as session:
        item = session.exec(select(Item).where(Item.guid == "wire-1")).one()
        after = {t.slug: (t.origin, t.status) for t in session.exec(
            select(ItemTag).where(ItemTag.item_id == item.id))}  # fmt: skip
    assert "distillation" not in after
    assert after["commerce-department"][1] == "confirmed"
    assert after["nvidia"] == ("manual", "confirmed")
    assert item.seq > seq_before
    again = run(tmp_path / "home", "retag", env={"TRACKER_DATA_DIR": str(data)})
    assert "0 changed" in again.stdout
