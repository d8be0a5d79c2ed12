"""What one fetch of one source asks for: the address, its query and its headers. Pure.

Each kind of source has its own needs: the Federal Register API answers only
the fields a query names (`fields[]`), the congress.gov API wants a key (sent
as the `X-Api-Key` header, never in the address, which is stored and shown),
and a backfill asks for history since a day. Paging links an API returns are
followed only on the source's own host.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tracker.parse.federal_register import DOCUMENT_FIELDS, PUBLIC_INSPECTION_FIELDS

API_KEY_HEADER = "X-Api-Key"
CONGRESS_KEY_SETTING = "TRACKER_CONGRESS_API_KEY"
# Kinds whose answers carry a link to the next page of older entries.
PAGED_KINDS = frozenset({"federal-register", "congress-api"})


class SourceSkipped(Exception):
    """The source cannot be asked now (no API key); the message says what to do."""


class BackfillRefused(Exception):
    """The source has no history to page through; the message says why."""


@dataclass(frozen=True)
class SourceRequest:
    """One request: the URL and headers to send, and the secrets to keep out of messages."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def hide(self, text: str) -> str:
        """`text` with every secret of this request replaced by a placeholder."""
        for secret in self.secrets:
            text = text.replace(secret, "[key hidden]")
        return text

    def redact(self, text: str | None) -> str | None:
        """As `hide`, passing None through."""
        return None if text is None else self.hide(text)

    def next_page(self, link: str | None) -> SourceRequest | None:
        """The request for an answer's next-page link, if it is on this request's host."""
        if not link:
            return None
        here, there = urlsplit(self.url), urlsplit(link)
        if there.scheme not in {"http", "https"} or there.netloc.lower() != here.netloc.lower():
            return None  # a paging link elsewhere is not followed, nor given our key
        return SourceRequest(url=link, headers=self.headers, secrets=self.secrets)


def source_request(
    kind: str, url: str, *, congress_api_key: str = "", since: date | None = None
) -> SourceRequest:
    """The request for a source of `kind` at `url`; `since` asks for history from that day.

    Raises `SourceSkipped` for a congress.gov source without a key and
    `BackfillRefused` when `since` is given for a source that has no pages.
    """
    if since is not None and kind not in PAGED_KINDS:
        raise BackfillRefused(f"a {kind} source has no pages of older entries to follow")
    if kind == "federal-register":
        return SourceRequest(url=_federal_register_url(url, since))
    if kind == "congress-api":
        key = congress_api_key.strip()
        if not key:
            raise SourceSkipped(
                f"set {CONGRESS_KEY_SETTING} to fetch congress.gov "
                "(a free key from https://api.congress.gov/sign-up/)"
            )
        return SourceRequest(
            url=_congress_url(url, since), headers={API_KEY_HEADER: key}, secrets=(key,)
        )
    return SourceRequest(url=url)


def _federal_register_url(url: str, since: date | None) -> str:
    inspection = "/public-inspection-documents" in urlsplit(url).path
    if inspection and since is not None:
        raise BackfillRefused(
            "public inspection lists only the documents on file now; their history is in "
            "the Federal Register documents sources"
        )
    wanted = PUBLIC_INSPECTION_FIELDS if inspection else DOCUMENT_FIELDS
    extra = [("fields[]", name) for name in wanted]
    if since is not None:
        extra.append(("conditions[publication_date][gte]", since.isoformat()))
    return _with_query(url, extra, replacing={"fields[]", "conditions[publication_date][gte]"})


def _congress_url(url: str, since: date | None) -> str:
    extra = [("format", "json")]
    if since is not None:
        extra.append(("fromDateTime", f"{since.isoformat()}T00:00:00Z"))
    return _with_query(url, extra, replacing={"format", "fromDateTime"})


def _with_query(url: str, extra: list[tuple[str, str]], replacing: set[str]) -> str:
    """`url` with the parameters named in `replacing` set to `extra`'s, the rest kept."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in replacing]
    # `[]` stays as written: the Federal Register reads `fields[]`, and its
    # documentation's addresses are written that way.
    query = urlencode(kept + extra, safe="[]")
    return urlunsplit(parts._replace(query=query))
