"""HTML list pages: items from selectors, absolute links, dates, encodings, layout changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.parse import ParseError
from tracker.parse.html_list import parse_date, parse_html_list

BASE = "https://www.bis.gov/press-releases"
SELECTORS = {
    "item": "ul.releases li",
    "title": "h3",
    "date": ".date",
    "summary": "p.teaser",
}

PRESS_PAGE = b"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Press Releases | BIS</title></head>
<body>
<nav><a href="/">Home</a></nav>
<ul class="releases">
  <li>
    <h3><a href="/press-release/entity-list-additions">Commerce Adds 12 Entities
        to the Entity List</a></h3>
    <time class="date" datetime="2026-06-10T14:30:00-04:00">June 10, 2026</time>
    <p class="teaser">Additions target diversion of <b>advanced chips</b> &amp; tools.</p>
  </li>
  <li>
    <h3>Guidance on Model Weights</h3>
    <span class="date">10 June 2026</span>
    <a href="#share">Share</a>
    <a href="javascript:void(0)">Print</a>
    <a href="../guidance/model-weights.pdf">Read the guidance (PDF)</a>
  </li>
  <li>
    <h3>Statement on Export Licences</h3>
    <span class="date">06/09/2026</span>
  </li>
</ul>
</body></html>
"""


def test_items_from_a_press_release_list() -> None:
    result = parse_html_list(PRESS_PAGE, BASE, SELECTORS)
    assert result.kind == "html"
    assert result.feed_title == "Press Releases | BIS"
    assert result.warnings == ()
    first, second, third = result.items
    assert first.title == "Commerce Adds 12 Entities to the Entity List"
    assert first.url == "https://www.bis.gov/press-release/entity-list-additions"
    assert first.guid == first.url
    # The datetime attribute wins over the text and keeps its time of day.
    assert first.published == datetime(2026, 6, 10, 18, 30, tzinfo=UTC)
    assert first.summary_html == "Additions target diversion of advanced chips &amp; tools."
    # Fragment and javascript links are passed over; relative links are made absolute.
    assert second.url == "https://www.bis.gov/guidance/model-weights.pdf"
    assert second.published == datetime(2026, 6, 10, tzinfo=UTC)
    assert second.summary_html == ""
    assert third.url is None
    assert third.published == datetime(2026, 6, 9, tzinfo=UTC)


def test_an_item_without_a_link_gets_a_stable_title_guid() -> None:
    third = parse_html_list(PRESS_PAGE, BASE, SELECTORS).items[2]
    again = parse_html_list(PRESS_PAGE, BASE, SELECTORS).items[2]
    elsewhere = parse_html_list(PRESS_PAGE, "https://example.com/news", SELECTORS).items[2]
    assert third.guid.startswith("html:")
    assert third.guid == again.guid != elsewhere.guid


def test_link_selector_on_a_wrapper_uses_its_first_link() -> None:
    page = b"""<html><body><div class="letters">
      <article><a href="/about">About</a><h2>Letter to Nvidia</h2>
        <div class="files"><span>PDF</span><a href="files/nvidia.pdf">Download</a></div>
      </article></div></body></html>"""
    selectors = {"item": ".letters article", "title": "h2", "link": ".files"}
    (item,) = parse_html_list(page, "https://www.banking.senate.gov/letters/", selectors).items
    assert item.url == "https://www.banking.senate.gov/letters/files/nvidia.pdf"


def test_link_defaults_to_the_first_link_of_the_item() -> None:
    page = b"""<html><body><div class="news-item"><h2>Qwen release</h2>
      <a href="https://example.com/a">first</a><a href="/b">second</a></div></body></html>"""
    (item,) = parse_html_list(page, BASE, {"item": ".news-item", "title": "h2"}).items
    assert item.url == "https://example.com/a"


def test_base_element_is_respected() -> None:
    page = b"""<html><head><base href="https://cdn.example.org/site/"></head><body>
      <div class="row"><a href="post/1">Post one</a></div></body></html>"""
    (item,) = parse_html_list(page, BASE, {"item": ".row", "title": "a"}).items
    assert item.url == "https://cdn.example.org/site/post/1"


def test_changed_layout_is_a_parse_error_naming_the_selector() -> None:
    redesigned = b"<html><body><section class='cards'><div>News</div></section></body></html>"
    with pytest.raises(ParseError) as caught:
        parse_html_list(redesigned, BASE, SELECTORS)
    assert str(caught.value) == (
        "no element matches item selector 'ul.releases li' — the page layout may have changed"
    )


def test_cards_with_no_title_at_all_are_a_broken_page_not_zero_new() -> None:
    """Issue 15: a page whose selectors find nothing readable is broken, not "0 new"."""
    redesigned = b"""<html><body><ul class="releases">
      <li><div class="card-title">Now in a div</div><a href="/a">a</a></li>
      <li><div class="card-title">Another</div><a href="/b">b</a></li>
    </ul></body></html>"""
    with pytest.raises(ParseError) as caught:
        parse_html_list(redesigned, BASE, SELECTORS)
    assert str(caught.value) == (
        "2 element(s) match item selector 'ul.releases li' but none has a title ('h3')"
        " — the page layout may have changed"
    )


def test_items_without_a_title_are_skipped_with_a_warning() -> None:
    page = b"""<html><body><ul class="releases">
      <li><h3>  </h3><a href="/x">x</a></li>
      <li><p>no heading at all</p></li>
      <li><h3><a href="/kept">Kept</a></h3></li>
    </ul></body></html>"""
    result = parse_html_list(page, BASE, SELECTORS)
    assert [item.title for item in result.items] == ["Kept"]
    assert len(result.warnings) == 2
    assert all("skipped" in w and "'h3'" in w for w in result.warnings)


def test_repeated_links_are_kept_once() -> None:
    page = b"""<html><body><ul class="releases">
      <li><h3><a href="/same">Featured</a></h3></li>
      <li><h3><a href="/same">Featured again</a></h3></li></ul></body></html>"""
    result = parse_html_list(page, BASE, SELECTORS)
    assert [item.title for item in result.items] == ["Featured"]
    assert "repeats https://www.bis.gov/same" in result.warnings[0]


def test_unreadable_date_is_left_empty_with_a_warning() -> None:
    page = b"""<html><body><ul class="releases"><li><h3><a href="/a">A</a></h3>
      <span class="date">Spring 2026</span></li></ul></body></html>"""
    result = parse_html_list(page, BASE, SELECTORS)
    assert result.items[0].published is None
    assert "Spring 2026" in result.warnings[0]


@pytest.mark.parametrize(
    ("selectors", "reason"),
    [
        ({"item": "ul.releases li", "title": "h3["}, "bad title selector 'h3['"),
        ({"item": "li::before", "title": "h3"}, "bad item selector 'li::before'"),
        ({"item": "> li", "title": "h3"}, "bad item selector '> li'"),
        ({"item": "li"}, "'title' selector is required"),
        ({"title": "h3"}, "'item' selector is required"),
    ],
)
def test_bad_selectors_are_parse_errors(selectors: dict[str, str], reason: str) -> None:
    with pytest.raises(ParseError, match=reason.replace("[", r"\[")):
        parse_html_list(PRESS_PAGE, BASE, selectors)


def test_unknown_selector_keys_are_reported() -> None:
    result = parse_html_list(PRESS_PAGE, BASE, {**SELECTORS, "sumary": "p"})
    assert result.warnings == ("unknown selector 'sumary' ignored",)


def test_empty_page_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not a readable HTML page"):
        parse_html_list(b"   ", BASE, SELECTORS)


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        (b'<meta charset="windows-1252">', "cp1252"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "cp1252"),
        (b'<meta charset="utf-8">', "utf-8"),
        (b"", "utf-8"),
        (b'<meta charset="koi8-r">', "koi8-r"),
    ],
)
def test_declared_encoding_is_respected(head: bytes, encoding: str) -> None:
    title = "Déclaration — “AI” in Москва" if encoding != "cp1252" else "Déclaration — “AI” €"
    if encoding == "koi8-r":
        title = "Заявление о чипах"
    page = (
        b"<html><head>"
        + head
        + b"</head><body><div class='i'><h1>"
        + title.encode(encoding)
        + b"</h1></div></body></html>"
    )
    (item,) = parse_html_list(page, BASE, {"item": ".i", "title": "h1"}).items
    assert item.title == title


def test_xhtml_prolog_declares_the_encoding() -> None:
    page = (
        '<?xml version="1.0" encoding="iso-8859-15"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p class="i">Prix en €</p></body></html>'
    ).encode("iso-8859-15")
    (item,) = parse_html_list(page, BASE, {"item": "p.i", "title": "p"}).items
    assert item.title == "Prix en €"


def test_undeclared_legacy_bytes_do_not_crash() -> None:
    page = "<html><body><div class='i'><h1>Caf\u00e9</h1></div></body></html>".encode("cp1252")
    (item,) = parse_html_list(page, BASE, {"item": ".i", "title": "h1"}).items
    assert item.title == "Café"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("June 10, 2026", datetime(2026, 6, 10, tzinfo=UTC)),
        ("Jun. 10, 2026", datetime(2026, 6, 10, tzinfo=UTC)),
        ("Wednesday, June 10th, 2026", datetime(2026, 6, 10, tzinfo=UTC)),
        ("Sept. 3, 2025", datetime(2025, 9, 3, tzinfo=UTC)),
        ("2026-06-10", datetime(2026, 6, 10, tzinfo=UTC)),
        ("2026-06-10T14:30:00Z", datetime(2026, 6, 10, 14, 30, tzinfo=UTC)),
        ("2026-06-10 09:00 +0530", datetime(2026, 6, 10, 3, 30, tzinfo=UTC)),
        ("06/10/2026", datetime(2026, 6, 10, tzinfo=UTC)),
        ("25/12/2025", datetime(2025, 12, 25, tzinfo=UTC)),
        ("6/1/26", datetime(2026, 6, 1, tzinfo=UTC)),
        ("2026/06/10", datetime(2026, 6, 10, tzinfo=UTC)),
        ("10 June 2026", datetime(2026, 6, 10, tzinfo=UTC)),
        ("10.06.2026", datetime(2026, 6, 10, tzinfo=UTC)),
        ("Posted: 10th of June, 2026 by Press Office", datetime(2026, 6, 10, tzinfo=UTC)),
        ("Tue, 09 Jun 2026 16:00:00 GMT", datetime(2026, 6, 9, tzinfo=UTC)),
        ("February 30, 2026", None),
        ("Mayor 10, 2026", None),
        ("Spring 2026", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: datetime | None) -> None:
    assert parse_date(text) == expected
