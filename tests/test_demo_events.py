"""The demo story's events, as `tracker demo load` groups them: each act with
the coverage of that act, and no two acts together.

The demo's summaries end in one footer ("summarised for Policy Tracker"); a
grouping rule that read that footer as a name once put Anthropic's letter, the
Hagerty-Kim amendment and ITIF's commentary into one event.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Every demo story event of more than one item, by its items' titles.
TOGETHER = [
    {
        "H.R. 8283: Deterring American AI Model Theft Act of 2026",
        "Bloomberg reports H.R. 8283, the Deterring American AI Model Theft Act of 2026",
    },
    {
        "NSTM-4: Adversarial Distillation of American AI Models",
        "Chinese Embassy in Washington rejects the distillation claims",
        "State Department cable to all posts on the extraction and distillation of U.S. AI models",
    },
    {
        "Anthropic's letter accusing Alibaba of distillation becomes public",
        "Alibaba shares fall as much as 4.9% in Hong Kong, to a 16-month low",
    },
]


def test_the_demo_story_groups_each_act_with_its_coverage(tmp_path: Path) -> None:
    env = dict(os.environ, TRACKER_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    env.pop("TRACKER_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-c", "from tracker.cli import main; main()", "demo", "load"],
        env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        rows = db.execute(
            "SELECT event_id, title FROM item WHERE title NOT LIKE 'Illustrative:%'"
        ).fetchall()
    events: dict[int, set[str]] = {}
    for event_id, title in rows:
        events.setdefault(event_id, set()).add(title)
    grouped = sorted(sorted(titles) for titles in events.values() if len(titles) > 1)
    assert grouped == sorted(sorted(titles) for titles in TOGETHER)
    assert None not in events  # every story item is placed
