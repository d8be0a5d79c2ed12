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
        json.dumps({"title": "Regulators sue to stop merger of two grocery chains",
                    "summary": "The complaint says the deal would raise prices for shoppers."}),
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
    # A topic the model read from the wording is said to be one (tracker/topic_model.py).
    assert first["model_topics"] == [] and out[5]["model_topics"] == ["antitrust"]
    assert out[5]["topics"] == ["antitrust"] and out[5]["evidence"]["antitrust"]


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


def _generated_lines(count: int) -> list[str]:
    items = [json.loads(line) for line in (DATA / "tagging_eval.jsonl").read_text().splitlines()]
    lines = []
    for n in range(count):
        item = items[n % len(items)]
        summary = " ".join(i["summary"] for i in items[n % 50 : n % 50 + 8])
        lines.append(json.dumps({"title": item["title"], "summary": summary, "url": f"u{n}"}))
    return lines


def test_a_large_file_tagged_on_every_core_answers_as_a_pipe_does(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    lines = [*_generated_lines(1500), "{broken", json.dumps({"title": "Last"})]
    source = tmp_path / "items.jsonl"
    source.write_text("\n".join(lines))  # the last line has no newline
    assert source.stat().st_size >= 1 << 20  # large enough for the workers
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_HOME"] = str(tmp_path)
    command = [sys.executable, "-m", "tracker.cli", "tag", "--jsonl"]
    with source.open("rb") as stdin:
        from_file = subprocess.run(command, stdin=stdin, capture_output=True, env=env, timeout=300)
    piped = subprocess.run(
        command, input=source.read_bytes(), capture_output=True, env=env, timeout=300
    )
    assert from_file.returncode == piped.returncode == 2
    assert from_file.stdout == piped.stdout
    answers = from_file.stdout.decode().splitlines()
    assert len(answers) == len(lines)
    assert [json.loads(a).get("url") for a in answers[:3]] == ["u0", "u1", "u2"]
    assert "line 1501" in json.loads(answers[1500])["error"]
    assert json.loads(answers[1501])["doc_type"] == "news"


def test_each_answer_comes_before_the_next_line_is_read(tmp_path: Path) -> None:
    """A program that writes one line and waits for its answer is not left waiting."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_HOME"] = str(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", "tag", "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert process.stdin and process.stdout
    try:
        for title in ("DeepSeek copies Claude", "Proclamation on Veterans Day", "\xff"):
            process.stdin.write(json.dumps({"title": title}) + "\n")
            process.stdin.flush()
            answer = json.loads(process.stdout.readline())  # would hang without the flush
            assert "doc_type" in answer
    finally:
        process.stdin.close()
        process.wait(timeout=60)
        process.stdout.close()
    assert process.returncode == 0


def test_bad_bytes_are_a_bad_line_not_a_crash(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_HOME"] = str(tmp_path)
    data = b'{"title": "Fine"}\n{"title": "\xff\xfe"}\n{"title": "Also fine"}\n'
    result = subprocess.run(
        [sys.executable, "-m", "tracker.cli", "tag", "--jsonl"],
        input=data,
        capture_output=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2 and b"Traceback" not in result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert answers[1] == {"error": "line 2: not UTF-8 text"}
    assert "doc_type" in answers[0] and "doc_type" in answers[2]


def test_tagging_loads_neither_the_store_nor_the_index(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_HOME"] = str(tmp_path)
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['tracker', 'tag', '--jsonl']\n"
        "try:\n    runpy.run_module('tracker.cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'whoosh', 'tracker.store', 'tracker.search',"
        " 'tracker.pipeline') if m in sys.modules]\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], input="", capture_output=True, text=True, env=env
    )
    assert "HEAVY=" in result.stderr
    assert result.stderr.split("HEAVY=")[1].strip() == ""
