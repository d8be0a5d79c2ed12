"""Alert mails as multipart text and HTML, with headers no title can break.

Headers are set through `EmailMessage`, which refuses a line break in a
value; the subject is also folded to one line first, so a hostile title
gives a plain subject, never a new header. The HTML part comes from
autoescaped templates: a title's markup is shown as text.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tracker.config import REPO_ROOT, Settings
from tracker.models import AlertOutbox, AlertSubscription
from tracker.web.filters import doc_type_label

_ENV = Environment(
    loader=FileSystemLoader(REPO_ROOT / "templates" / "mail"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["doc_type_label"] = doc_type_label
SUBJECT_MAX = 150


def one_line(text: str, limit: int = SUBJECT_MAX) -> str:
    """`text` with every run of white space or control characters made one space, cut to `limit`."""
    flat = re.sub(r"[\s\x00-\x1f\x7f]+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def compose(
    settings: Settings,
    mail: AlertOutbox,
    sub: AlertSubscription,
    links: dict[str, str],
    root: str,
    now: datetime,
) -> EmailMessage:
    """The message for one outbox row."""
    listed = [i for i in mail.items if i.get("kind") != "more"]
    more = sum(int(i.get("count", 0)) for i in mail.items if i.get("kind") == "more")
    context: dict[str, Any] = {"sub": sub, "links": links, "root": root, "items": listed,
                               "more": more, "label": sub.label or sub.path}  # fmt: skip
    if mail.kind == "confirm":
        subject = f"Confirm your alerts: {sub.label or sub.path}"
        name = "confirm"
    else:
        new = sum(1 for i in listed if i.get("kind") == "new") + more
        updated = len(listed) + more - new
        counts = [f"{n} {word}" for n, word in ((new, "new"), (updated, "updated")) if n]
        subject = f"{' and '.join(counts)}: {sub.label or sub.path}"
        name = "digest"
    message = EmailMessage()
    message["Subject"] = one_line(subject)
    message["From"] = _sender(settings)
    message["To"] = Address(addr_spec=sub.email)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<alert-{mail.id}.{sub.id}@{_domain(settings)}>"
    message["Auto-Submitted"] = "auto-generated"
    if mail.kind == "digest":
        # RFC 2369 and RFC 8058: mail programs offer a one-click unsubscribe.
        message["List-Unsubscribe"] = f"<{links['unsubscribe']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["List-Id"] = f"Policy Tracker alerts <alerts.{_domain(settings)}>"
    message.set_content(_ENV.get_template(f"{name}.txt").render(context))
    message.add_alternative(_ENV.get_template(f"{name}.html").render(context), subtype="html")
    return message


def _sender(settings: Settings) -> Address:
    display, address = parseaddr(settings.mail_from)
    if "@" not in address:
        address = "alerts@localhost"
    return Address(display_name=one_line(display, 80), addr_spec=address)


def _domain(settings: Settings) -> str:
    return _sender(settings).domain or "localhost"
