"""Normalising: UTC, canonical URLs, sanitised summaries, plain text, hashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tracker.normalize import (
    MAX_AUTHOR,
    MAX_GUID,
    MAX_LIST,
    MAX_SUMMARY,
    MAX_TITLE,
    MAX_URL,
    canonical_url,
    clean_title,
    html_to_text,
    normalize_item,
    sanitize_html,
)
from tracker.types import ParsedItem

FETCHED = datetime(2026, 6, 11, 8, 0, tzinfo=UTC)


def test_canonical_url_drops_tracking_and_fragment() -> None:
    url = "HTTPS://News.Example.org:443/a/b?utm_source=rss&id=7&fbclid=x#top"
    assert canonical_url(url) == "https://news.example.org/a/b?id=7"
    assert canonical_url("/story", "https://e.org/feed") == "https://e.org/story"
    assert canonical_url("javascript:alert(1)") is None
    assert canonical_url("ftp://e.org/x") is None
    assert canonical_url("") is None


def test_sanitizer_removes_executable_markup_and_resolves_links() -> None:
    dirty = (
        '<p onclick="x()">Hi <a href="/bis">BIS</a> <a href="javascript:alert(1)">bad</a>'
        "<img src=x onerror=alert(1)><script>alert(1)</script><style>p{}</style>"
        '<svg><script>alert(2)</script></svg><b style="color:red">bold</b></p>'
    )
    clean = sanitize_html(dirty, "https://news.example.org/feed")
    assert "onclick" not in clean and "script" not in clean and "style" not in clean
    assert "javascript:" not in clean and "onerror" not in clean and "svg" not in clean
    assert 'href="https://news.example.org/bis"' in clean
    assert "<b>bold</b>" in clean


def test_plain_text_joins_blocks_with_spaces() -> None:
    assert html_to_text("<p>One</p><p>Two &amp; three</p><ul><li>four</li></ul>") == (
        "One Two & three four"
    )


def test_title_markup_is_removed() -> None:
    assert clean_title("Letter to <em>Senators</em>\n on &amp; distillation") == (
        "Letter to Senators on & distillation"
    )


def test_undated_item_gets_fetch_time_and_flag() -> None:
    record = normalize_item(ParsedItem(guid="g", title="t"), FETCHED, None)
    assert record.published == FETCHED and record.undated


def test_times_become_utc() -> None:
    eastern = timezone(timedelta(hours=-4))
    item = ParsedItem(guid="g", title="t", published=datetime(2026, 6, 10, 10, tzinfo=eastern))
    record = normalize_item(item, FETCHED, None)
    assert record.published == datetime(2026, 6, 10, 14, tzinfo=UTC)
    assert record.published.tzinfo == UTC and not record.undated


def test_hash_changes_with_content_not_with_fetch_time() -> None:
    item = ParsedItem(guid="g", title="t", summary_html="<p>a</p>")
    first = normalize_item(item, FETCHED, None)
    again = normalize_item(item, FETCHED + timedelta(days=1), None)
    edited = normalize_item(ParsedItem(guid="g", title="t", summary_html="<p>b</p>"), FETCHED, None)
    assert first.content_hash == again.content_hash
    assert first.content_hash != edited.content_hash


def test_tracking_parameters_do_not_change_the_hash() -> None:
    a = normalize_item(
        ParsedItem(guid="g", title="t", url="https://e.org/x?utm_medium=a"), FETCHED, None
    )
    b = normalize_item(ParsedItem(guid="g", title="t", url="https://e.org/x"), FETCHED, None)
    assert a.url == b.url and a.content_hash == b.content_hash


def test_an_unusable_base_url_still_sanitises() -> None:
    clean = sanitize_html('<a href="/x" onclick="y()">a</a><script>1</script>', "not a url")
    assert "onclick" not in clean and "script" not in clean and ">a</a>" in clean


def test_attribute_with_angle_bracket_does_not_leak_into_text() -> None:
    assert html_to_text(
        sanitize_html('<p><a title="a>b" href="https://e.org/">link</a> x</p>')
    ) == ("link x")


# Issue 18, item 12: text tricks. Bidi overrides in a title make it read other
# than it is ("Invoice ‮fdp.exe" shows as "Invoice exe.pdf"), and in a host
# they disguise where a link goes.


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Invoice \u202efdp.exe\u202c from Alibaba", "Invoice fdp.exe from Alibaba"),
        ("\u2067Isolated\u2069 and \u202aembedded\u202c", "Isolated and embedded"),
        ("Zero\u200bwidth\u2060joined\ufeff", "Zerowidthjoined"),
        ("Marks\u200e\u200f\u061c gone", "Marks gone"),
        ("Tag\U000e0041\U000e0042 characters", "Tag characters"),
        ("Persian \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 keeps its ZWNJ",
         "Persian \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 keeps its ZWNJ"),
    ],
)  # fmt: skip
def test_titles_lose_bidi_controls_and_invisible_characters(title: str, shown: str) -> None:
    record = normalize_item(ParsedItem(guid="g", title=title, author=title), FETCHED, None)
    assert record.title == shown and record.author == shown


def test_summaries_lose_bidi_overrides() -> None:
    record = normalize_item(
        ParsedItem(guid="g", title="t", summary_html="<p>Pay \u202eexe.pdf\u202c now</p>"),
        FETCHED,
        None,
    )
    assert record.text == "Pay exe.pdf now" and "\u202e" not in record.summary_html


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("https://exa\u202emple.com/feed", None),  # a bidi control is no part of a host name
        ("https://\u0430pple.com/news", "https://xn--pple-43d.com/news"),  # Cyrillic а
        ("https://M\u00dcNCHEN.de/x", "https://xn--mnchen-3ya.de/x"),
        ("https://user@\u0430pple.com:8443/", "https://user@xn--pple-43d.com:8443/"),
        ("https://" + "a" * 64 + "\u00e9.org/", None),  # a label longer than 63
        ("https://e.org/a\u202eb?q=\u200bx", "https://e.org/a%E2%80%AEb?q=%E2%80%8Bx"),
        ("https://e.org/\u65b0\u95fb", "https://e.org/\u65b0\u95fb"),  # visible Unicode stays
    ],
)
def test_hosts_are_stored_in_idna_form(url: str, stored: str | None) -> None:
    assert canonical_url(url) == stored


def test_every_field_is_held_to_its_size() -> None:
    item = ParsedItem(
        guid="g" * (MAX_GUID + 1),
        title="T" * 1_000_000,
        url="https://e.org/" + "p" * MAX_URL,
        summary_html="<p>" + "word " * 1_000_000 + "</p>",
        author="A" * 10_000,
        document_number="2025-" + "1" * 100,
        categories=tuple("c" * 1000 for _ in range(5000)),
    )
    record = normalize_item(item, FETCHED, None)
    assert len(record.title) == MAX_TITLE and record.title.endswith("…")
    assert len(record.author or "") == MAX_AUTHOR
    assert record.url is None  # a cut URL would point elsewhere
    assert record.guid.startswith("sha256:") and len(record.guid) == 71
    assert record.guid == normalize_item(item, FETCHED, None).guid  # stable
    assert len(record.summary_html) <= MAX_SUMMARY + 20 and record.text.endswith("[…]")
    assert record.document_number is None
    assert len(record.categories) == MAX_LIST and {len(c) for c in record.categories} == {200}


def test_a_date_before_the_year_1_in_utc_leaves_the_item_undated() -> None:
    plus_one = timezone(timedelta(hours=1))
    item = ParsedItem(guid="g", title="t", published=datetime(1, 1, 1, tzinfo=plus_one))
    record = normalize_item(item, FETCHED, None)
    assert record.undated and record.published == FETCHED
