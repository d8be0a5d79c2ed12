"""Items and subscriptions for the alert tests: letters on model distillation, as a feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from sqlmodel import select

from tracker.models import AlertOutbox, AlertSubscription
from tracker.pipeline import Pipeline
from tracker.store import subscriptions
from tracker.store.engine import session_scope
from tracker.store.locks import write_scope

# One date for every letter of a run: the same letter fed again is unchanged.
WHEN = format_datetime((datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0), usegmt=True)


def letter_feed(path: Path, letters: list[tuple[str, str, str]], when: str = WHEN) -> Path:
    """An RSS file of (guid number, title, body) letters, published yesterday."""
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>https://letters.example.org/{n}</link>"
        f"<guid>https://letters.example.org/{n}</guid><pubDate>{when}</pubDate>"
        f"<description>{escape(body)}</description></item>"
        for n, title, body in letters
    )
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Letters</title>'
        f"<link>https://letters.example.org/</link><description>l</description>{entries}"
        "</channel></rss>",
        encoding="utf-8",
    )
    return path


def letter(n: int, title: str = "", extra: str = "") -> tuple[str, str, str]:
    """A letter about model distillation: typed 'letter' and tagged 'distillation'."""
    title = title or f"Senators write to Commerce on model distillation, letter {n}"
    body = (f"Dear Secretary Lutnick, we write about model distillation of American frontier "
            f"models (letter {n}). {extra} Sincerely, the senators.")  # fmt: skip
    return str(n), title, body


def ingest(p: Pipeline, folder: Path, letters: list[tuple[str, str, str]], name: str) -> None:
    outcome = p.ingest_file(letter_feed(folder / f"{name}.xml", letters), "file-letters", "rss")
    assert outcome.status == "ok", outcome


def subscribe(
    p: Pipeline,
    email: str,
    path: str = "/topics/distillation",
    query: str = "type=letter",
    frequency: str = "immediate",
    confirm: bool = True,
) -> int:
    """A subscription (confirmed unless told); its id."""
    with write_scope(p.engine) as session:
        signup = subscriptions.subscribe(
            session, email=email, path=path, query=query, label="Model distillation · Letter",
            frequency=frequency, site="http://tracker.test",
        )  # fmt: skip
        sub = session.get(AlertSubscription, signup.subscription_id)
        assert sub is not None
        if confirm:
            subscriptions.confirm(session, sub)
        return signup.subscription_id


def outbox(p: Pipeline, kind: str = "digest") -> list[AlertOutbox]:
    with session_scope(p.engine) as session:
        return list(
            session.exec(
                select(AlertOutbox).where(AlertOutbox.kind == kind).order_by(AlertOutbox.id)  # type: ignore[arg-type]
            )
        )
