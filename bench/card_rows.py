"""What one row of an event card costs to render, this tree against another.

    python bench/card_rows.py [--before TREE] [--items 300] [--rounds 30]

A timeline shows each event's items on its card, every one of them (the first
few, then the rest behind "more"); an event that grew over months holds
hundreds, and an oldest-first page is made of such events. This renders one
card of `--items` items (three topics and three entities on each, as the
pipeline's tagger gives at news density) through each tree's `_macros.html`,
in a process of its own on a fresh SQLite store (the taxonomy's names only),
and prints the CPU per card and per item, with a hash of the markup: the
two trees must write the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ('{% from "_macros.html" import event_card with context %}'
            '{{ event_card(card, heading="h4") }}')  # fmt: skip


def render(items: int, rounds: int) -> str:
    """In this process (the tree on sys.path): one line of figures."""
    from tracker.config import Settings
    from tracker.pipeline import Pipeline
    from tracker.store.event_cards import EventCard
    from tracker.store.items import ItemCard
    from tracker.web import create_app

    home = Path(tempfile.mkdtemp(prefix="card-rows-"))
    settings = Settings.from_env({"TRACKER_HOME": str(home)})
    Pipeline(settings).init()
    app = create_app({"SETTINGS": settings, "TESTING": True})
    start = datetime(2024, 1, 1, tzinfo=UTC)
    cards = [
        ItemCard(id=1000 + n, title=f"Report {n} on export controls & <chips>", url=None,
                 published=start + timedelta(hours=n), undated=False,
                 doc_type=("news", "letter", "rule")[n % 3], source_slug="s",
                 source_name="Source & co", is_sample=False, summary_html="",
                 topics=["export-controls", "semiconductors", "national-security"],
                 entities=["nvidia", "bis", "huawei"])
        for n in range(items)
    ]  # fmt: skip
    card = EventCard(id=5, headline="An event that grew", date=start, lead_item_id=1000,
                     size=items, items=cards[:6], more=cards[6:], outside=3,
                     doc_types=["news", "letter", "rule"], sources=["Source & co"],
                     topics=["export-controls", "semiconductors"],
                     entities=["nvidia", "bis", "huawei"])  # fmt: skip
    with app.test_request_context("/topics/export-controls"):
        template = app.jinja_env.from_string(TEMPLATE)
        out = template.render(card=card)
        started = time.process_time()
        for _ in range(rounds):
            template.render(card=card)
        ms = (time.process_time() - started) * 1000 / rounds
    digest = hashlib.sha256(out.encode()).hexdigest()[:16]
    return f"{ms:.2f} ms CPU per card, {ms * 1000 / items:.1f} us per item, markup {digest}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--here", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.here:
        print(render(args.items, args.rounds))
        return
    trees = ([("before", args.before.resolve())] if args.before else []) + [("after", ROOT)]
    print(f"one event card of {args.items} items, {args.rounds} renders; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for name, tree in trees:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env["PYTHONPATH"] = str(tree)
        command = [sys.executable, __file__, "--here", f"--items={args.items}",
                   f"--rounds={args.rounds}"]  # fmt: skip
        out = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        print(f"  {name} ({tree}): {out.stdout.strip()}")


if __name__ == "__main__":
    main()
