"""Feeds of every kind feedparser reads, JSON Feed, format detection, bad files."""

from __future__ import annotations

import pytest
from conftest import DATA
from golden import assert_golden

from tracker.parse import ParseError, detect_kind, parse_document
from tracker.parse.feed import parse_feed

FEEDS = DATA / "feeds"


@pytest.mark.parametrize("name", ["rss2.xml", "rss091.xml", "rdf.xml", "atom.xml", "jsonfeed.json"])
def test_feed_matches_golden(name: str) -> None:
    result = parse_document((FEEDS / name).read_bytes())
    assert_golden(f"feed-{name.replace('.', '-')}", result)


def test_rss2_reads_every_field() -> None:
    result = parse_document((FEEDS / "rss2.xml").read_bytes())
    first, undated = result.items
    assert first.guid == "wire-1"
    assert first.title == "Senators question Commerce on chip & model exports"
    assert (
        first.published is not None and first.published.isoformat() == "2026-06-10T18:30:00+00:00"
    )
    assert first.author == "A. Reporter"
    assert first.categories == ("Export controls",)
    assert undated.published is None
    assert result.warnings == ("entry 3 skipped: it has neither a title nor a link",)


def test_rss_description_is_entity_encoded_html() -> None:
    # RSS 2.0 carries HTML escaped once; the sanitiser later decides what stays.
    result = parse_document((FEEDS / "rss2.xml").read_bytes())
    assert result.items[1].summary_html == "Plain text <not markup> summary."


def test_atom_prefers_full_content_and_keeps_updated() -> None:
    (entry,) = parse_document((FEEDS / "atom.xml").read_bytes()).items
    assert "full text of the letter" in entry.summary_html
    assert entry.updated is not None and entry.updated > entry.published  # type: ignore[operator]


def test_latin1_rss091_with_html_entities_is_read_leniently() -> None:
    result = parse_document((FEEDS / "rss091.xml").read_bytes())
    assert result.items[0].title == "Café owners and the Entity List"
    assert any("not well-formed" in w for w in result.warnings)


def test_jsonfeed_skips_bad_entries_with_reasons() -> None:
    result = parse_document((FEEDS / "jsonfeed.json").read_bytes())
    assert [i.guid for i in result.items] == ["j-1", "j-2"]
    assert len(result.warnings) == 2
    assert result.items[1].summary_html == "Text only, with &lt;angle&gt; brackets."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"   \n", "empty file"),
        (b"hello, this is plain text", "not a feed"),
        (b"<html><body><p>a page</p></body></html>", "HTML page"),
        (b"<?xml version='1.0'?><note>hi</note>", "XML that is not a feed"),
        (b"[1, 2]", "top level is not an object"),
        (b'{"title": "x"}', "neither a Federal Register page nor a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": "x"}', "'items' list"),
        (b"{not json", "not valid JSON"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_document(content)


def test_truncated_feed_is_rejected() -> None:
    content = (FEEDS / "rss2.xml").read_bytes()
    with pytest.raises(ParseError, match="truncated"):
        parse_document(content[: len(content) // 2])


def test_wrong_encoding_is_rejected() -> None:
    content = (FEEDS / "rss2.xml").read_bytes().replace(b"chip &amp; model", b"chip \xff\xfe model")
    with pytest.raises(ParseError, match="encoding"):
        parse_document(content)


def test_entity_bomb_is_refused_before_parsing() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<rss version='2.0'><channel><title>&c;</title></channel></rss>"
    )
    with pytest.raises(ParseError, match="entities"):
        parse_document(bomb)


def test_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss version='2.0'><channel><title>t</title><item><title>&x;</title>"
        b"<link>https://e.org/</link></item></channel></rss>"
    )
    with pytest.raises(ParseError, match="entities"):
        parse_document(xxe)


# Issue 18, item 3: a comment or processing instruction that mentions <rss>
# before the DOCTYPE ended the old prolog scan early, and feedparser kept the
# DTD, so expat expanded the entities (94 million characters from 1 MiB).
HIDDEN_DTD = ["<!-- <rss> -->", "<?x <rss ?>", "<!-- <feed> --><?pi <channel> ?>\n"]
ENTITY_BOMB = (
    '<!DOCTYPE rss [<!ENTITY a "{a}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    "<rss version='2.0'><channel><title>t</title><item><title>bomb</title>"
    "<link>https://e.org/1</link><description>{uses}</description></item></channel></rss>"
)


def _entity_bomb(before_doctype: str) -> bytes:
    body = ENTITY_BOMB.format(a="A" * 1000, uses="&b;" * 90)
    return f'<?xml version="1.0"?>{before_doctype}{body}'.encode()


@pytest.mark.parametrize("before", HIDDEN_DTD)
def test_entity_bomb_behind_a_comment_or_pi_is_refused(before: str) -> None:
    with pytest.raises(ParseError, match="declares entities"):
        parse_document(_entity_bomb(before))


@pytest.mark.parametrize("before", HIDDEN_DTD)
def test_the_feed_parser_itself_refuses_declared_entities(before: str) -> None:
    # Past the prolog check (parse_feed directly): the SAX driver refuses too,
    # and feedparser does not fall back to reading the file leniently.
    with pytest.raises(ParseError, match="declares entities"):
        parse_feed(_entity_bomb(before))


def test_entities_declared_in_an_unreadable_prolog_are_refused() -> None:
    # expat cannot read Shift_JIS, so where the DTD ends is unknown: refused.
    bomb = _entity_bomb("<!-- <rss> -->").replace(b'"1.0"?>', b'"1.0" encoding="Shift_JIS"?>')
    with pytest.raises(ParseError, match="declares entities"):
        parse_document(bomb)


def test_a_comment_before_an_external_doctype_is_read() -> None:
    # RSS 0.91 names Netscape's DTD; nothing is fetched and nothing refused.
    feed = (
        b'<?xml version="1.0"?><!-- <rss> --><!DOCTYPE rss PUBLIC "-//Netscape Communications'
        b'//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
        b"<rss version='0.91'><channel><title>t</title><item><title>a &amp; b</title>"
        b"<link>https://e.org/1</link></item></channel></rss>"
    )
    assert [i.title for i in parse_document(feed).items] == ["a & b"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"[" * 200_000, "nested too deeply"),  # RecursionError in json.loads
        (b'{"results": [' + b"7" * 5000 + b"]}", "not valid JSON"),  # int() digit limit
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b'{"a":' * 100_000,
         "nested too deeply"),
    ],
    ids=["200000-brackets", "5000-digit-number", "100000-objects"],
)  # fmt: skip
@pytest.mark.parametrize("kind", [None, "rss", "federal-register"])
def test_hostile_json_is_a_parse_error(content: bytes, reason: str, kind: str | None) -> None:
    # An rss source's content is sniffed, so JSON reaches the JSON reader from there too.
    with pytest.raises(ParseError, match=reason):
        parse_document(content, kind)


@pytest.mark.parametrize(
    "nesting",
    [b"<a>" * 150_000 + b"</a>" * 150_000, b"<a>" * 150_000, b"<p><br>" * 80_000],
    ids=["well-formed", "never-closed", "sloppy-html"],
)
def test_elements_nested_past_the_cap_are_refused(nesting: bytes) -> None:
    # feedparser keeps 300-500 bytes per open element: 20 MiB of "<a>" was gigabytes.
    feed = b"<rss version='2.0'><channel><item><title>t</title>" + nesting
    feed += b"</item></channel></rss>"
    with pytest.raises(ParseError, match="nested more than 100,000 deep"):
        parse_document(feed)


def test_a_sloppy_feed_with_unclosed_tags_is_still_read() -> None:
    entries = b"".join(
        b"<item><title>t%d</title><link>https://e.org/%d</link>"
        b"<description><p>one<p>two<br>three</description></item>" % (n, n)
        for n in range(2000)
    )
    feed = b"<rss version='2.0'><channel><title>s</title>" + entries + b"</channel></rss>"
    assert len(parse_document(feed).items) == 2000


def test_detect_kind() -> None:
    assert detect_kind(b"\xef\xbb\xbf<?xml version='1.0'?><rss version='2.0'>") == "rss"
    assert detect_kind(b"<feed xmlns='http://www.w3.org/2005/Atom'>") == "rss"
    assert detect_kind(b"<?xml version='1.0'?>\n<billStatus><bill>") == "billstatus"
    assert detect_kind(b'  {"results": []}') == "json"
