"""Normalising: UTC, canonical URLs, sanitised summaries, plain text, hashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from tracker.normalize import (
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
