"""Large RSS files for the concurrency and lock tests (and bench/lock_wait.py).

Made by this code, not taken from a real feed: stories of one to four reports
on nearby days, as a wire feed carries them, so that event grouping has real
work (shared words, entities, dates) and forms events of several items.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ACTORS = ("Alibaba", "DeepSeek", "Nvidia", "Huawei", "OpenAI", "Anthropic", "Moonshot AI", "Meta")
AGENCIES = ("the Commerce Department", "BIS", "the FTC", "the White House", "the DOJ")
SUBJECTS = (
    ("chip export licences", "export controls on advanced chips and chipmaking tools"),
    ("a distillation campaign", "training a model on another model's outputs at scale"),
    ("an antitrust inquiry", "whether sharing threat data between labs breaks competition law"),
    ("model weight theft", "trade secrets and the theft of model weights"),
    ("a national security memo", "threats to national security from foreign AI labs"),
)
VERBS = ("questions", "warns", "targets", "reviews", "responds to", "weighs action on")
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def feed_entries(count: int, seed: int = 7, prefix: str = "story") -> list[dict[str, str]]:
    """`count` entries: stories of one to four reports within three days of each other."""
    rng = random.Random(seed)
    entries: list[dict[str, str]] = []
    story = 0
    while len(entries) < count:
        actor, agency = rng.choice(ACTORS), rng.choice(AGENCIES)
        subject, about = rng.choice(SUBJECTS)
        day = START + timedelta(hours=7 * story + rng.randrange(5))
        for report in range(min(rng.randint(1, 4), count - len(entries))):
            verb = rng.choice(VERBS)
            when = day + timedelta(hours=rng.randrange(60))
            entries.append(
                {
                    "guid": f"{prefix}-{story}-report-{report}",
                    "title": f"{agency.capitalize()} {verb} {actor} over {subject} (story {story})",
                    "summary": (
                        f"{agency.capitalize()} {verb} {actor}. The case concerns {about}; "
                        f"report {report + 1} on story {story}, filed {when:%B %d}."
                    ),
                    "published": format_datetime(when),
                }
            )
        story += 1
    return entries


def write_feed(path: Path, count: int, seed: int = 7, prefix: str = "story") -> Path:
    """An RSS 2.0 file of `count` entries at `path`."""
    items = "".join(
        "<item>"
        f"<title>{escape(e['title'])}</title>"
        f"<link>https://wire.example.org/{e['guid']}</link>"
        f"<guid isPermaLink='false'>{e['guid']}</guid>"
        f"<pubDate>{e['published']}</pubDate>"
        f"<description>{escape(e['summary'])}</description>"
        "</item>"
        for e in feed_entries(count, seed, prefix)
    )
    path.write_text(
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        "<title>Test wire</title><link>https://wire.example.org/</link>"
        f"<description>Generated for tests</description>{items}</channel></rss>",
        encoding="utf-8",
    )
    return path
