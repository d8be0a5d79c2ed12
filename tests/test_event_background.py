"""Event grouping: a headline's background clause ("two days after adding 27", "a day
after signing the safety law", "day after Senate hearing") names another act, and a
link written from it or compared with the report's own ("unlike Pruitt's H.R. 10412")
links that other act, not the report's (tracker/event_background.py,
tracker/event_links.py, tracker/event_conflicts.background_chamber). And the
same-act pairs whose headlines carry such a clause still join.

The grouping tests fail on main before this change (da38689); the items are invented,
as in the evaluation sets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tracker import event_background, event_conflicts
from tracker.event_links import extract
from tracker.events import EventItem, group
from tracker.normalize import sanitize_html

START = datetime(2030, 5, 6, 14, tzinfo=UTC)
ADDITIONS = (
    "https://www.federalregister.gov/documents/2030/05/06/2030-09120/additions-to-the-entity-list"
)
REMOVALS = (
    "https://www.federalregister.gov/documents/2030/05/08/2030-09311/"
    "removal-of-certain-entities-from-the-entity-list"
)
VETO = "https://www.gov.example.gov/2030/05/07/veto-message-ab-1018/"
SIGNING = "https://www.gov.example.gov/2030/05/06/governor-signs-sb-1120/"
HOUSE_BILL = "https://www.congress.gov/bill/122nd-congress/house-bill/1412"
SENATE_BILL = "https://www.congress.gov/bill/122nd-congress/senate-bill/731"


def _item(item_id: int, title: str, text: str = "", *, hours: float = 0, url: str = "",
          doc_type: str = "news", source: str = "wire", markup: str = "") -> EventItem:  # fmt: skip
    published = START + timedelta(hours=hours)
    links = extract(sanitize_html(markup, url), url, published, title=title) if markup else None
    return EventItem(id=item_id, title=title, text=text, entities=frozenset(),
                     topics=frozenset(), published=published, doc_type=doc_type,
                     source=source, url=url, links=links or frozenset())  # fmt: skip


def _a(href: str, text: str) -> str:
    return f'<p><a href="{href}">{text}</a></p>'


def _together(groups: list[list[int]], *ids: int) -> bool:
    return any(set(ids) <= set(g) for g in groups)


# --- which links a background clause makes background ------------------------------------


def test_a_link_written_from_the_headlines_background_clause_is_not_the_subject() -> None:
    title = "BIS removes five from Entity List, two days after adding 27"
    url = "https://trade.example.com/daily/bis-removes-five"
    markup = "<p>Three of the removed firms had compliance programs.</p>" + _a(
        ADDITIONS, "adding 27"
    )
    assert extract(sanitize_html(markup, url), url, START, title=title) == frozenset()
    # Without the headline, or under words of its own act, the link is kept.
    assert extract(sanitize_html(markup, url), url, START) == {ADDITIONS}
    own = _a(REMOVALS, "removes five")
    assert extract(sanitize_html(own, url), url, START, title=title) == {REMOVALS}


def test_background_clauses_of_headlines() -> None:
    words = event_background.words
    assert words("Governor vetoes AI workplace bill a day after signing frontier safety law") >= {
        "sign",
        "frontier",
    }
    assert "veto" not in words("Governor vetoes AI workplace bill a day after signing safety law")
    assert words("Commerce finalizes truck rule on the heels of drone proposal") >= {"dron"}
    assert words("BIS adds 27 to Entity List") == frozenset()


def test_a_link_the_report_compares_its_own_act_with_is_not_its_subject() -> None:
    url = "https://trade.example.com/daily/senate-chip-bill"
    unlike = f'<p>Unlike Pruitt\'s <a href="{HOUSE_BILL}">H.R. 1412</a>, the bill ...</p>'
    assert extract(sanitize_html(unlike, url), url, START) == frozenset()
    further = f'<p>The bill goes further than a <a href="{HOUSE_BILL}">House version</a>.</p>'
    assert extract(sanitize_html(further, url), url, START) == frozenset()
    # "than" in an earlier paragraph does not reach the next one's link.
    apart = "<p>Duties fall on stores rather than apps.</p>" + _a(SENATE_BILL, "Read the bill")
    assert extract(sanitize_html(apart, url), url, START) == {SENATE_BILL}


# --- grouping -----------------------------------------------------------------------------


def _entity_list() -> list[EventItem]:
    return [
        _item(1, "Additions to the Entity List", "BIS amends the EAR by adding 27 entities "
              "to the Entity List.", url=ADDITIONS, doc_type="export-control",
              source="federal-register"),
        _item(2, "New Entity List rule adds 27, including first server resellers",
              "The rule names 27 parties in four countries.", hours=3, source="trade",
              markup=_a(ADDITIONS, "Federal Register")),
        _item(3, "Removal of Certain Entities From the Entity List", "BIS amends the EAR by "
              "removing five entities from the Entity List.", hours=48, url=REMOVALS,
              doc_type="export-control", source="federal-register"),
        _item(4, "BIS removes five from Entity List, two days after adding 27",
              "Three of the removed firms had adopted compliance programs.", hours=50,
              source="trade", markup=_a(ADDITIONS, "adding 27")),
    ]  # fmt: skip


def test_coverage_dating_its_act_after_a_listing_is_not_that_listing() -> None:
    groups = group(_entity_list())
    assert _together(groups, 1, 2)
    assert not _together(groups, 1, 4)


def test_a_same_act_pair_with_a_background_clause_still_joins() -> None:
    veto = _item(1, "Veto message: AB 1018", "To the Members of the California State Assembly: "
                 "I am returning Assembly Bill 1018 without my signature.", url=VETO,
                 doc_type="letter", source="governor")  # fmt: skip
    signing = _item(2, "Governor signs SB 1120 on frontier AI incident reporting",
                    "The Governor today signed SB 1120.", hours=-24, url=SIGNING,
                    doc_type="press-release", source="governor")  # fmt: skip
    markup = _a(SIGNING, "signing frontier law") + _a(VETO, "veto message")
    coverage = _item(3, "Governor vetoes AI workplace bill a day after signing frontier law",
                     "Labor groups called the veto a betrayal.", hours=5, source="paper",
                     markup=markup)  # fmt: skip
    groups = group([signing, veto, coverage])
    assert _together(groups, 1, 3)
    assert not _together(groups, 2, 3)


def test_a_headline_dating_its_chamber_after_the_other_chambers_hearing() -> None:
    page = "https://www.banking.senate.gov/hearings/export-control-enforcement"
    senate = _item(1, "Export Control Enforcement: Is BIS Keeping Up?", "Full committee hearing.",
                   doc_type="hearing", source="senate-banking", url=page)  # fmt: skip
    house = _item(
        2, "Voss tells House panel BIS needs more agents, day after Senate hearing", hours=26
    )
    assert event_conflicts.background_chamber(senate, house)
    assert event_conflicts.background_chamber(house, senate)
    # The same chamber's report, or a headline without a background chamber: no verdict.
    again = _item(3, "Voss tells Senate panel BIS needs more agents", hours=2)
    assert not event_conflicts.background_chamber(senate, again)
    plain = _item(4, "Voss tells House panel BIS needs more agents", hours=26)
    assert not event_conflicts.background_chamber(senate, plain)
