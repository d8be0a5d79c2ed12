"""The demo story's events, as `tracker demo load` groups them: each act with
the coverage of that act, and no two acts together.

The demo's summaries end in one footer ("summarised for Policy Tracker"); a
grouping rule that read that footer as a name once put Anthropic's letter, the
Hagerty-Kim amendment and ITIF's commentary into one event, and the footer's
words joined two unrelated illustrative items and the NSTM-4 memo with the
State Department's cable.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Reports of one act, which must share an event.
TOGETHER = [
    {
        "H.R. 8283: Deterring American AI Model Theft Act of 2026",
        "Bloomberg reports H.R. 8283, the Deterring American AI Model Theft Act of 2026",
    },
]
# Each a different act (or an illustrative item of its own): no two in one event.
APART = [
    "H.R. 8283: Deterring American AI Model Theft Act of 2026",
    "NSTM-4: Adversarial Distillation of American AI Models",
    "State Department cable to all posts on the extraction and distillation of U.S. AI models",
    "Anthropic's letter accusing Alibaba of distillation becomes public",
    "Senators Hagerty and Kim move an NDAA amendment against distillers",
    "AI Firms Seek US Help Against China Model Distillation",
    "The United States Needs a Strategic Response to Adversarial AI Distillation",
    "Illustrative: the anthropic principle in cosmology",
    "Illustrative: the BIS, or Bank for International Settlements",
]


def test_the_demo_story_groups_each_act_with_its_coverage(tmp_path: Path) -> None:
    env = dict(os.environ, TRACKER_HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    env.pop("TRACKER_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-c", "from tracker.cli import main; main()", "demo", "load"],
        env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    with sqlite3.connect(tmp_path / "tracker.db") as db:
        rows = db.execute("SELECT event_id, title FROM item").fetchall()
    events: dict[int, set[str]] = {}
    for event_id, title in rows:
        events.setdefault(event_id, set()).add(title)
    event_of = {title: event_id for event_id, title in rows}
    for titles in TOGETHER:
        assert len({event_of[title] for title in titles}) == 1, titles
    shared = [(t, u) for t in APART for u in APART if t < u and event_of[t] == event_of[u]]
    assert not shared, shared
    assert None not in events  # every story item is placed
