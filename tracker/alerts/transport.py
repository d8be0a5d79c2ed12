"""Delivering a mail: SMTP from TRACKER_SMTP_URL, or an .eml file when none is set.

`smtp://user:password@host:587?starttls=1` (plain, then STARTTLS when asked),
`smtps://user:password@host:465` (TLS from the start). One connection is kept
for a run of mails and opened again if the server drops it.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, unquote, urlsplit

from tracker.config import ConfigError, Settings

TIMEOUT = 30.0


class Permanent(Exception):
    """The server refused the mail for good (5xx): retrying cannot help."""


class Temporary(Exception):
    """The mail could not go now (4xx, a dropped connection): retry later."""


def mail_dir(settings: Settings) -> Path:
    return settings.home / "mail"


def describe(settings: Settings) -> str:
    """Where mail goes, for pages and the command: never the password."""
    if not settings.smtp_url:
        folder = mail_dir(settings)
        return f"no mail server is set (TRACKER_SMTP_URL), so mails are written to {folder}"
    parts = urlsplit(settings.smtp_url)
    return f"mails go through {parts.scheme}://{parts.hostname}:{parts.port or ''}".rstrip(":")


class Transport:
    """Sends mails one by one over one connection; use as a context manager."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = settings.smtp_url
        self._smtp: smtplib.SMTP | None = None
        if self.url:
            parts = urlsplit(self.url)
            if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
                raise ConfigError(
                    "TRACKER_SMTP_URL must look like smtp://user:password@host:587?starttls=1 "
                    "or smtps://host:465"
                )

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None

    def send(self, message: EmailMessage, name: str) -> None:
        """Deliver `message`; raise Permanent or Temporary when it did not go."""
        if not self.url:
            folder = mail_dir(self.settings)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.eml").write_bytes(message.as_bytes())
            return
        for attempt in (1, 2):
            try:
                self._connection().send_message(message)
                return
            except smtplib.SMTPServerDisconnected as exc:
                self._smtp = None
                if attempt == 2:
                    raise Temporary(f"the mail server closed the connection: {exc}") from None
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                raise _refusal(code, text) from None
            except smtplib.SMTPResponseException as exc:
                raise _refusal(exc.smtp_code, exc.smtp_error) from None
            except (smtplib.SMTPException, OSError) as exc:
                self.close()
                raise Temporary(f"the mail server could not be reached: {exc}") from None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        parts = urlsplit(self.url)
        host, options = parts.hostname or "", parse_qs(parts.query)
        if parts.scheme == "smtps":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                host, parts.port or 465, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, parts.port or 25, timeout=TIMEOUT)
            if options.get("starttls", ["0"])[0].lower() in ("1", "true", "yes", "on"):
                smtp.starttls(context=ssl.create_default_context())
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        self._smtp = smtp
        return smtp


def _refusal(code: int, text: bytes | str) -> Exception:
    reason = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
    return Permanent(reason) if code >= 500 else Temporary(reason)
