"""Outbound links as grouping evidence (tracker/event_links.py): which links an item's
summary HTML gives, what they say about two reports, and through the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from sqlmodel import select

from tracker import event_unlike, events
from tracker.event_links import document_key, extract
from tracker.events import EventItem
from tracker.models import EventKey, Item
from tracker.normalize import sanitize_html
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope

START = datetime(2028, 9, 12, 12, tzinfo=UTC)
FR_CABLE = (
    "https://www.federalregister.gov/documents/2028/09/12/2028-19811/"
    "review-of-submarine-cable-landing-license-rules-and-procedures"
)
FR_LOOKALIKE = (
    "https://www.federalregister.gov/documents/2028/09/11/2028-19750/"
    "protecting-against-national-security-threats-to-the-communications-supply-chain"
)
ALERT = "https://www.lawfirm.example.com/alerts/2028-09-fcc-floats-tougher-checks"
HOUSE_BILL = "https://www.congress.gov/bill/120th-congress/house-bill/9933"


def links(markup: str, url: str = ALERT, published: datetime = START) -> frozenset[str]:
    return extract(sanitize_html(markup, url), url, published)


def a(href: str, text: str = "link") -> str:
    return f'<a href="{href}">{text}</a>'


def item(item_id: int, title: str, text: str = "", *, url: str = "", hours: float = 0,
         doc_type: str = "news", source: str = "wire", markup: str = "") -> EventItem:  # fmt: skip
    published = START + timedelta(hours=hours)
    return EventItem(
        id=item_id,
        title=title,
        text=text,
        entities=frozenset(),
        topics=frozenset(),
        published=published,
        doc_type=doc_type,
        source=source,
        url=url,
        links=links(markup, url, published) if markup else frozenset(),
    )


# --- extraction and canonicalisation ---------------------------------------------------


def test_a_link_to_the_document_is_kept_canonical() -> None:
    found = links(f"<p>The {a(FR_CABLE + '?utm_source=newsletter#comments', 'FNPRM')} is out.</p>")
    assert found == {FR_CABLE}
    assert document_key(FR_CABLE) == "fr:2028-19811"
    # The public-inspection copy and the govinfo PDF name the same document.
    assert document_key("https://public-inspection.federalregister.gov/2028-19811.pdf") == (
        "fr:2028-19811"
    )
    pdf = "https://www.govinfo.gov/content/pkg/FR-2028-09-12/pdf/2028-19811.pdf"
    assert document_key(pdf) == "fr:2028-19811"
    assert document_key(HOUSE_BILL) == "bill:hr9933"
    assert document_key("https://www.regulations.gov/document/BIS-2028-0031-0004") == (
        "docket:bis-2028-0031"
    )


def test_links_that_name_no_document_are_dropped() -> None:
    markup = "".join(
        a(href)
        for href in (
            "javascript:alert(document.cookie)",
            "JaVaScRiPt:void(0)",
            "mailto:press@fcc.gov",
            "/alerts/2028-06-earlier-alert",  # relative: the item's own site
            "https://www.lawfirm.example.com/alerts/2028-06-june-alert",  # the outlet's own host
            "https://www.fcc.gov/",  # a home page
            "https://www.reuters.example.com/technology/",  # a section
            "https://www.ftc.gov/industry/topics/artificial-intelligence",  # a topic page
            "https://www.courtlistener.com/docket/71234567/techfair-coalition-v-ramos/",  # a case
            "http://[::1",  # malformed
            "https://exa mple.com/a b",
        )
    )
    assert links(f"<p>{markup}</p>") == frozenset()


def test_relative_and_protocol_relative_links_resolve_against_the_item() -> None:
    assert links(a("//www.federalregister.gov/d/2028-19811")) == {
        "https://www.federalregister.gov/d/2028-19811"
    }
    assert document_key("https://www.federalregister.gov/d/2028-19811") == "fr:2028-19811"


def test_broken_html_still_gives_its_links() -> None:
    broken = f'<p>The <b>proposal <a href="{FR_CABLE}">here<p></div></i><a href=' + "'"
    assert links(broken) == {FR_CABLE}
    for garbage in ("<<<>>>", "<a href>", "<a href=''>x</a>", "</a></a>", "\x00<a", "&#0;"):
        assert links(garbage) == frozenset()
    # Unsanitised markup (a parser's raw output) is read too, comments and all.
    raw = f"<div><!-- {a('https://x.example/2028/09/a-b-c')} --><script>x</script>{a(FR_CABLE)}"
    assert extract(raw, ALERT, START) == {FR_CABLE}


def test_idn_hosts_are_kept_in_ascii_and_spoofed_ones_dropped() -> None:
    found = links(a("https://bücher.example/2028/09/rules-for-cable-landing"))
    assert found == {"https://xn--bcher-kva.example/2028/09/rules-for-cable-landing"}
    # A host that reorders itself is no host (the sanitiser strips the control first).
    spoofed = a("https://ex\u202eample.com/2028/09/a-b-c")
    assert extract(spoofed, ALERT, START) == frozenset()
    assert links(spoofed) == {"https://example.com/2028/09/a-b-c"}
    # A lookalike Cyrillic host is kept apart from the Latin one, in its ASCII form.
    (cyrillic,) = links(a("https://www.f\u0435deralregister.gov/d/2028-19811/x-y-z"))
    assert cyrillic.startswith("https://www.xn--") and cyrillic.endswith("/d/2028-19811/x-y-z")
    assert document_key(cyrillic) == f"url:{cyrillic[12:]}"  # a page, not a Register document


def test_thousands_of_links_are_a_digest_and_cost_little() -> None:
    many = "".join(
        a(f"https://www.federalregister.gov/d/2028-{n:05d}") for n in range(5000)
    )  # 300,000 characters
    assert links(f"<p>{many}</p>") == frozenset()  # a list of documents names none of them
    same = "".join(a(FR_CABLE) for _ in range(3000))
    assert links(f"<p>{same}</p>") == {FR_CABLE}


def test_background_and_earlier_documents_are_not_the_subject() -> None:
    earlier = (
        "https://www.federalregister.gov/documents/2028/02/21/2028-03302/"
        "advanced-computing-items-proposed-rule"
    )
    # An earlier Register document (weeks before) is not the act reported.
    assert links(f"<p>It narrows the {a(earlier, 'February proposal')}.</p>") == frozenset()
    # An act the sentence dates apart or sets beside the report's own is not its subject.
    markup = (
        f"<p>The FCC {a(FR_CABLE, 'proposed reviews')}, two days after it "
        f"{a(FR_LOOKALIKE, 'added two suppliers')} to the Covered List.</p>"
    )
    assert links(markup) == {FR_CABLE}
    markup = f"<p>Earlier this week the agency {a(FR_LOOKALIKE, 'acted')}.</p>"
    assert links(markup) == frozenset()
    # Of two documents, an identifier-giving link names the subject before a page about it.
    markup = f"<p>The {a('https://www.fcc.gov/document/fcc-proposes-x-2028')} and {a(FR_CABLE)}"
    assert links(markup) == {FR_CABLE}


# --- what links say about two reports ----------------------------------------------------


def official() -> EventItem:
    return item(
        1,
        "Review of Submarine Cable Landing License Rules and Procedures To Assess "
        "Evolving National Security Risks",
        "Further notice of proposed rulemaking.",
        url=FR_CABLE,
        doc_type="rule",
        source="federal-register",
    )


def lookalike() -> EventItem:
    return item(
        2,
        "Protecting Against National Security Threats to the Communications Supply "
        "Chain: Covered List Additions for Subsea Cable Equipment",
        "The Bureau adds submarine cable repeaters to the Covered List.",
        url=FR_LOOKALIKE,
        hours=-20,
        doc_type="rule",
        source="federal-register",
    )


def test_coverage_linking_the_document_is_the_same_act() -> None:
    alert = item(
        3,
        "FCC floats tougher ownership checks for subsea cable owners",
        "Comments are due October 14.",
        url=ALERT,
        hours=26,
        markup=f"<p>The {a(FR_CABLE, 'FNPRM')} adds periodic filings.</p>",
    )
    fr = official()
    assert event_unlike.relation(fr, alert) == event_unlike.relation(alert, fr) == "same"
    assert events.score(fr, alert) >= 0.8
    plain = item(4, alert.title, alert.text, url=ALERT + "-2", hours=26)
    assert event_unlike.relation(fr, plain) != "same"  # without the link, nothing says so
    groups = events.group([fr, lookalike(), alert])
    assert [1, 3] in groups and [2] in groups


PLAN = "http://fcc.gov/document/fcc-proposes-ownership-reviews-2028"


def test_a_link_to_another_items_address_is_that_items_act() -> None:
    release = item(
        5,
        "FCC Proposes Ownership Reviews for Submarine Cable Licensees",
        url="https://www.fcc.gov/document/fcc-proposes-ownership-reviews-2028/",
        doc_type="press-release",
        source="fcc",
    )
    story = item(
        6,
        "Undersea cable owners face new foreign-control disclosures",
        url="https://trade.example.com/2028/09/undersea-cable-owners",
        hours=20,
        markup=f"<p>Under a plan {a(PLAN + '?utm_campaign=x', 'floated')}.</p>",
    )
    # The same page however its address is written: scheme, "www.", trailing slash.
    assert event_unlike.relation(release, story) == "same"


def test_a_link_to_a_different_document_does_not_merge_two_acts() -> None:
    fr, other = official(), lookalike()
    # Coverage of the lookalike that links to it: with it, not with the proposal,
    # however alike their words.
    story = item(
        7,
        "FCC adds subsea cable gear to Covered List as security reviews widen",
        "Submarine cable landing licensees face national security reviews.",
        url="https://news.example.com/2028/09/covered-list-cable",
        hours=4,
        markup=f"<p>The {a(FR_LOOKALIKE, 'order')} bars the gear.</p>",
    )
    assert event_unlike.relation(other, story) == "same"
    assert event_unlike.relation(fr, story) != "same"
    groups = events.group([fr, other, story])
    assert [2, 7] in groups and [1] in groups
    # A digest linking four documents joins none of them by its links.
    digest = item(
        8,
        "Week in telecom policy",
        url="https://digest.example.com/2028/09/week",
        hours=30,
        markup="<p>"
        + "".join(
            a(u)
            for u in (
                FR_CABLE,
                FR_LOOKALIKE,
                HOUSE_BILL,
                "https://www.fcc.gov/document/carr-statement-2028-09",
            )
        )
        + "</p>",
    )
    assert digest.links == frozenset()
    assert event_unlike.relation(fr, digest) == "unknown"


def test_a_bill_link_keeps_a_bills_stages_apart() -> None:
    record = item(
        9,
        "H.R.9933 - Undersea Infrastructure Protection Act",
        "Introduced in House (09/12/2028). Referred to the Committee on Energy and Commerce.",
        url=HOUSE_BILL,
        doc_type="bill",
        source="congress-gov",
    )
    introduced = item(
        10,
        "Okafor introduces bill to protect subsea cables",
        hours=2,
        url="https://news.example.com/2028/09/okafor-introduces",
        markup=f"<p>The {a(HOUSE_BILL, 'bill')} was introduced Tuesday.</p>",
    )
    passed = item(
        11,
        "House passes subsea cable bill",
        hours=30,
        url="https://news.example.com/2028/09/house-passes-cable-bill",
        markup=f"<p>The House passed the {a(HOUSE_BILL, 'bill')} 301-120.</p>",
    )
    assert event_unlike.relation(record, introduced) == "same"
    assert event_unlike.relation(record, passed) == "different"  # one bill, two stages


def test_a_shared_case_docket_does_not_join_a_ruling_and_its_appeal() -> None:
    docket = "https://www.courtlistener.com/docket/71234567/techfair-coalition-v-ramos/"
    ruling = item(
        12,
        "TechFair wins pause of Texas AI disclosure statute",
        url="https://law.example.com/2028/09/techfair-wins",
        markup=f"<p>The {a(docket, 'case')} is the first challenge.</p>",
    )
    appeal = item(
        13,
        "Attorney General Appeals Ruling Blocking Texas AI Transparency Law",
        url="https://ag.example.gov/news/2028/appeal",
        hours=100,
        doc_type="press-release",
        source="texas-ag",
        markup=f"<p>Texas appealed in {a(docket, 'TechFair v. Ramos')}.</p>",
    )
    assert ruling.links == appeal.links == frozenset()
    assert event_unlike.relation(ruling, appeal) != "same"


# --- through the store -------------------------------------------------------------------


def _feed(path: Path, entries: list[tuple[str, str, str, str]]) -> Path:
    body = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<guid>{escape(link)}</guid><pubDate>{format_datetime(datetime.fromisoformat(when))}"
        f"</pubDate><description>{escape(summary)}</description></item>"
        for title, summary, link, when in entries
    )
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>',
        encoding="utf-8",
    )
    return path


_REGISTER = [
    ("Review of Submarine Cable Landing License Rules and Procedures To Assess Evolving "
     "National Security, Law Enforcement, Foreign Policy, and Trade Policy Risks",
     "Further notice of proposed rulemaking; request for comment on certification and periodic "
     "reporting requirements for cable landing licensees.", FR_CABLE,
     "2028-09-12T08:45:00-04:00"),
    ("Protecting Against National Security Threats to the Communications Supply Chain",
     "The Bureau adds repeaters and branching units to the Covered List.", FR_LOOKALIKE,
     "2028-09-11T08:45:00-04:00"),
]  # fmt: skip
_COVERAGE = [
    ("FCC floats tougher ownership checks for subsea cable owners",
     f'<p>The <a href="{FR_CABLE}">FNPRM</a> would add periodic filings. See our '
     '<a href="https://www.lawfirm.example.com/alerts/2028-06-june">June alert</a>.</p>',
     ALERT, "2028-09-13T11:00:00-04:00"),
    ("Two suppliers' marine gear banned",
     f'<p>The <a href="{FR_LOOKALIKE}">listing</a> takes effect at once.</p>',
     "https://trade.example.com/2028/09/two-suppliers-marine-gear-banned",
     "2028-09-13T12:00:00-04:00"),
]  # fmt: skip


def _events(pipeline: Pipeline) -> dict[str, int]:
    with session_scope(pipeline.engine) as session:
        return {i.url: i.event_id for i in session.exec(select(Item))}  # type: ignore[misc]


def test_an_ingested_item_joins_the_register_document_it_links_to(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    pipeline.ingest_file(_feed(tmp_path / "register.xml", _REGISTER), "federal-register")
    pipeline.settle()
    pipeline.ingest_file(_feed(tmp_path / "coverage.xml", _COVERAGE), "wire")
    pipeline.settle()
    event = _events(pipeline)
    assert event[ALERT] == event[FR_CABLE]  # no word in common: the link says it
    assert event[_COVERAGE[1][2]] == event[FR_LOOKALIKE]
    assert event[FR_CABLE] != event[FR_LOOKALIKE]
    with session_scope(pipeline.engine) as session:
        keys = {k.key for k in session.exec(select(EventKey).where(EventKey.key.startswith("id:")))}  # type: ignore[attr-defined]
    assert "id:fr:2028-19811" in keys and f"id:url:{ALERT[12:]}"[:120] in keys


def test_a_register_document_joins_coverage_stored_before_it(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    early = [(t, s, u, "2028-09-12T07:00:00-04:00") for t, s, u, _ in _COVERAGE[:1]]
    pipeline.ingest_file(_feed(tmp_path / "coverage.xml", early), "wire")
    pipeline.settle()
    pipeline.ingest_file(_feed(tmp_path / "register.xml", _REGISTER[:1]), "federal-register")
    pipeline.settle()
    event = _events(pipeline)
    assert event[ALERT] == event[FR_CABLE]
