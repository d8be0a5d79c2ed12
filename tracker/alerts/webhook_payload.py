"""What a webhook is sent: the JSON body (plain or Slack-style) and its signature.

The plain body lists each item with its id, title, type, date, source, tags,
its page on this site, whether it is an update and, if so, the one-line
summary of what changed (empty when none is stored). The Slack body has
`text` (and `blocks`) in Slack's mrkdwn, where `&`, `<` and `>` must be
escaped or a title could forge a link or a mention.

The signature is HMAC-SHA256, keyed with the subscription's secret, over
`<timestamp>.<body>`: the exact bytes posted, prefixed with the value of the
timestamp header, so neither can be changed, and a receiver that refuses
old timestamps cannot be fed a replayed post.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from tracker.models import AlertOutbox, AlertSubscription

STYLES = {"json": "Plain JSON", "slack": "Slack-compatible (text and blocks)"}
SIGNATURE_HEADER = "X-Tracker-Signature"
TIMESTAMP_HEADER = "X-Tracker-Timestamp"
DELIVERY_HEADER = "X-Tracker-Delivery"
TOLERANCE = 300  # seconds a receiver should accept a timestamp either side of its clock
SLACK_BLOCKS = 40  # items shown as blocks; Slack takes at most 50 blocks a message


def items(box: AlertOutbox, root: str) -> tuple[list[dict[str, Any]], int]:
    """The digest's items as posted, and how many more the view has (not listed)."""
    listed, more = [], 0
    for entry in box.items:
        if entry.get("kind") == "more":
            more += int(entry.get("count", 0))
            continue
        listed.append({"id": entry["id"], "title": entry["title"], "type": entry["type"],
                       "date": entry["date"], "source": entry["source"],
                       "tags": list(entry.get("tags", [])), "url": f"{root}/items/{entry['id']}",
                       "updated": entry.get("kind") == "updated",
                       "change": entry.get("change", "")})  # fmt: skip
    return listed, more


def body(box: AlertOutbox, sub: AlertSubscription, root: str) -> bytes:
    """The bytes to post for the outbox row `box` of `sub`, in the subscription's style."""
    listed, more = items(box, root)
    view = f"{root}{sub.path}?{sub.query}" if sub.query else f"{root}{sub.path}"
    if sub.webhook_style == "slack":
        payload = slack(listed, more, sub.label or sub.path, view)
    else:
        payload = {"event": "digest", "delivery": box.id, "view": {"label": sub.label,
                   "url": view}, "items": listed, "more": more}  # fmt: skip
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def slack_escape(text: str) -> str:
    """Text safe inside Slack mrkdwn: no link, mention or channel can be forged."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _line(item: dict[str, Any]) -> str:
    facts = [item["type"], item["date"] or "undated", item["source"]]
    mark = "Updated: " if item["updated"] else ""
    change = f" Changed: {slack_escape(item['change'])}" if item["change"] else ""
    title = slack_escape(item["title"]).replace("|", "\u2223")  # a pipe would end the link text
    return f"{mark}<{item['url']}|{title}> ({slack_escape(', '.join(map(str, facts)))}){change}"


def slack(listed: list[dict[str, Any]], more: int, label: str, view: str) -> dict[str, Any]:
    """A Slack incoming-webhook message: `text` for notifications, `blocks` to show."""
    head = f"{len(listed) + more} new in <{view}|{slack_escape(label)}>"
    lines = [_line(item) for item in listed]
    tail = [f"and {more} more: <{view}|see them all>"] if more else []
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": line[:2900]}}
               for line in lines[:SLACK_BLOCKS]]  # fmt: skip
    hidden = len(lines) - SLACK_BLOCKS
    if hidden > 0 or tail:
        rest = ([f"and {hidden} more listed in the text"] if hidden > 0 else []) + tail
        note = {"type": "mrkdwn", "text": " · ".join(rest)}
        blocks.append({"type": "context", "elements": [note]})
    return {"text": "\n".join([head, *lines, *tail]), "blocks": blocks}


def sign(secret: str, timestamp: str, payload: bytes) -> str:
    """The signature header's value: `sha256=` and the hex HMAC of `<timestamp>.<body>`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + payload, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str, timestamp: str, payload: bytes, signature: str, now: float | None = None
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    return age <= TOLERANCE and hmac.compare_digest(sign(secret, timestamp, payload), signature)


def headers(secret: str, payload: bytes, delivery: int, user_agent: str) -> dict[str, str]:
    """The headers of one post, signed now."""
    stamp = str(int(time.time()))
    return {"Content-Type": "application/json; charset=utf-8", "User-Agent": user_agent,
            DELIVERY_HEADER: str(delivery), TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: sign(secret, stamp, payload)}  # fmt: skip
