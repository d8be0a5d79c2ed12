"""The site's pages on the demo corpus: timelines, bills, items, events, home, sources."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select

from tracker.models import Item
from tracker.pipeline import Pipeline
from tracker.store import bills, home, timelines
from tracker.store.engine import session_scope
from tracker.store.listings import ListingFilter
from tracker.types import BILL_ROAD
from tracker.web import create_app, timeline_pages
from tracker.web.bill_pages import stage_steps
from tracker.web.charts import Period, activity_chart, axis_ticks, periods, sparkline
from tracker.web.evidence import snippet, tag_evidence

SVG = "{http://www.w3.org/2000/svg}"
LETTER = (
    "Letter to Senate Banking Chair Tim Scott and Ranking Member Elizabeth Warren "
    "on distillation by Alibaba"
)
BLOOMBERG = "Bloomberg reports H.R. 8283, the Deterring American AI Model Theft Act of 2026"
HFAC = "House Foreign Affairs Committee orders H.R. 8283 reported, as amended"
NDAA = "Senators Hagerty and Kim move an NDAA amendment against distillers"
IAPS_FOLLOW_UP = "AI Distillation Attacks: Executive and Congressional Action Can Go Further"
BILL_ITEM = "H.R. 8283: Deterring American AI Model Theft Act of 2026"


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("site"))
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.load_demo()
    app = create_app({"SETTINGS": settings, "TESTING": True})
    app.extensions["demo.pipeline"] = pipeline
    yield app
    pipeline.engine.dispose()


@pytest.fixture
def client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def item_id(demo_app: Flask, title: str) -> int:
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    with session_scope(pipeline.engine) as session:
        return session.exec(select(Item.id).where(Item.title == title)).one()  # type: ignore[return-value]


def event_dates(html: str) -> list[str]:
    """The dates of the event cards, in page order."""
    return re.findall(
        r'<article class="card event-card"[^>]*>\s*<p class="meta">\s*<time datetime="([^"]+)"',
        html,
    )


@pytest.mark.parametrize(
    "url",
    ["/", "/topics/distillation", "/entities/alibaba", "/types/letter", "/bills",
     "/bills/119/hr8283", "/sources"],
)  # fmt: skip
def test_every_page_renders_in_the_layout(client: FlaskClient, url: str) -> None:
    html = page(client, url)
    assert '<main id="main"' in html and "<h1" in html and 'class="site-header"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id is used twice"
    assert html.count("<h1") == 1


def test_topic_timeline_shows_name_chart_and_events_newest_first(client: FlaskClient) -> None:
    html = page(client, "/topics/distillation")
    assert "<h1>Model distillation</h1>" in html and "another model" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in html
    dates = event_dates(html)
    assert len(dates) >= 10 and dates == sorted(dates, reverse=True)
    months = re.findall(r'<h3 class="month-title" id="m-(\d{4}-\d\d)">', html)
    assert months == sorted(months, reverse=True) and len(months) == len(set(months)) > 3
    assert LETTER in html  # the letter's event is on the distillation timeline


def test_tag_chips_link_to_their_own_timelines(client: FlaskClient) -> None:
    html = page(client, "/topics/distillation")
    assert 'href="/entities/alibaba"' in html and 'href="/topics/export-controls"' in html
    assert ">Senate Banking Committee</a>" in html  # a long name shortened (from the name)


def test_entity_page_lists_topics_it_appears_with(client: FlaskClient) -> None:
    html = page(client, "/entities/alibaba")
    related = html.split("Topics it appears with most", 1)[1]
    first = re.search(r'href="/topics/([a-z-]+)">', related)
    assert first is not None and first.group(1) == "distillation"
    topic = page(client, "/topics/distillation")
    assert "Entities that appear most with it" in topic


def test_type_filter_narrows_the_timeline_and_is_kept_in_the_form(client: FlaskClient) -> None:
    every = page(client, "/topics/distillation")
    letters = page(client, "/topics/distillation?type=letter")
    total = int(re.search(r"([\d,]+) items?\.", every).group(1))  # type: ignore[union-attr]
    narrowed = int(re.search(r"([\d,]+) items? match", letters).group(1))  # type: ignore[union-attr]
    assert 0 < narrowed < total
    assert '<option value="letter" selected>' in letters
    cards = letters.split('id="events-title"', 1)[1]
    assert 'class="badge type-letter"' in cards and 'class="badge type-news"' not in cards


def test_date_filter_keeps_events_of_the_range(client: FlaskClient) -> None:
    html = page(client, "/topics/distillation?from=2026-06-01&to=2026-06-30")
    dates = event_dates(html)
    assert dates and all(d.startswith("2026-06") for d in dates)
    assert 'name="from" value="2026-06-01"' in html and "Clear filters" in html


def test_filters_that_match_nothing_say_what_to_do(client: FlaskClient) -> None:
    html = page(client, "/entities/iaps?type=bill")
    assert "Nothing matches these filters" in html and "clear the filters" in html


def test_a_server_error_is_a_500_in_the_layout(demo_app: Flask) -> None:
    app = create_app({"SETTINGS": demo_app.extensions["tracker.settings"]})

    def broken() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/broken", "broken", broken)
    response = app.test_client().get("/broken")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Something went wrong" in html
    assert 'class="site-header"' in html and "a bug" not in html
    app.extensions["tracker.engine"].dispose()


def test_bad_filters_are_a_400_in_the_layout(client: FlaskClient) -> None:
    html = page(client, "/topics/distillation?type=novel", 400)
    assert "Unknown document type" in html and 'class="site-header"' in html


@pytest.mark.parametrize(
    "url",
    ["/topics/nope", "/entities/nope", "/types/novel", "/bills/119/s99999", "/bills/119/xx12",
     "/bills/118/hr8283", "/bills/119/s4417", "/bills/119/hr9368", "/events/999999",
     "/items/999999"],
)  # fmt: skip
def test_unknown_things_are_404_in_the_layout(client: FlaskClient, url: str) -> None:
    html = page(client, url, 404)
    assert "404" in html and 'class="site-header"' in html


def test_timeline_pages_keep_their_filters(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline_pages, "EVENTS_PER_PAGE", 3)
    first = page(client, "/types/news?from=2026-01-01")
    assert 'rel="next" href="/types/news?from=2026-01-01&amp;page=2"' in first
    second = page(client, "/types/news?from=2026-01-01&page=2")
    assert 'rel="prev" href="/types/news?from=2026-01-01"' in second
    assert len(event_dates(first)) == 3 and event_dates(second)[0] <= event_dates(first)[-1]


def test_bill_page_shows_stage_actions_and_mentions(client: FlaskClient) -> None:
    html = page(client, "/bills/119/hr8283")
    assert "Deterring American AI Model Theft Act of 2026" in html and "Rep. Huizenga" in html
    steps = re.findall(r'<li class="step (\w+)"', html)
    assert steps == ["done", "done", "current", "todo", "todo", "todo", "todo"]
    # Ordered reported on April 22; the report itself is not in the record.
    assert re.search(
        r'class="step current" aria-current="step">\s*<span class="step-label">Ordered reported'
        r'</span>\s*<span class="step-date"><time datetime="2026-04-22">22 Apr 2026</time>',
        html,
    )
    assert '<time datetime="2026-04-15">15 Apr 2026</time>' in html
    assert "Rep. Moolenaar" in html and "(original cosponsor)" in html
    assert "1 cosponsor in the record" in html  # the reported seven are one source's word
    assert "Ordered to be Reported (Amended)." in html and "Introduced in House" in html
    assert "BILLS-119hr8283ih.xml" in html and "Demo snapshot</span>" in html
    assert "bundled demo snapshot" in html and "43" not in html
    for title in (BLOOMBERG, HFAC, NDAA, IAPS_FOLLOW_UP):
        assert title in html, title


def test_stage_bar_marks_each_step_with_its_day() -> None:
    days = {s: date(2025, 1, i + 1) for i, s in enumerate(BILL_ROAD)}
    vetoed = stage_steps("vetoed", {**days, "vetoed": date(2025, 2, 1)}, "sjres")
    assert [(s.stage, s.state) for s in vetoed][-2:] == [
        ("president", "done"),
        ("vetoed", "vetoed"),
    ]
    assert vetoed[-1].reached == date(2025, 2, 1)
    law = stage_steps("law", days, "hr")
    assert [s.state for s in law] == ["done"] * 7 + ["current"]  # resolving included: reached
    assert [s.reached for s in law] == list(days.values())
    # A bill passed without a committee report: the step is shown as not taken.
    quick = stage_steps("passed-one", {"introduced": date(2025, 1, 1),
                                       "passed-one": date(2025, 1, 2)}, "hr")  # fmt: skip
    assert [s.state for s in quick][:4] == ["done", "skipped", "skipped", "current"]
    assert "resolving" not in [s.stage for s in quick]
    assert [s.stage for s in stage_steps("passed-one", {}, "sres")] == [
        "introduced", "referred", "reported", "passed-one",
    ]  # fmt: skip
    assert stage_steps("passed-one", {}, "sres")[-1].label == "Agreed to"
    failed = stage_steps("failed", {"introduced": date(2025, 1, 1), "failed": date(2025, 3, 1)})
    assert [(s.stage, s.state) for s in failed] == [("introduced", "done"), ("failed", "failed")]
    # Rows stored before stages had days: the steps before count as done.
    assert [s.state for s in stage_steps("committee")][:3] == ["done", "current", "todo"]


def test_item_page_highlights_evidence_and_offers_a_citation(
    client: FlaskClient, demo_app: Flask
) -> None:
    html = page(client, f"/items/{item_id(demo_app, LETTER)}")
    assert "Why it is tagged" in html
    assert "on distillation by <mark>Alibaba</mark>" in html
    assert "Letter to <mark>Senate Banking</mark> Chair" in html
    assert "Demo snapshot: Anthropic. “Letter to Senate Banking Chair" in html
    assert "Retrieved via Policy Tracker" in html
    assert "https://letsdatascience.com/news/anthropic-alleges-distillation" in html
    assert 'class="badge sample"' in html


def test_item_page_shows_its_event_and_the_other_items(
    client: FlaskClient, demo_app: Flask
) -> None:
    html = page(client, f"/items/{item_id(demo_app, BLOOMBERG)}")
    event = re.search(r'href="(/events/\d+)"', html)
    assert event is not None and "Part of an event" in html
    assert BILL_ITEM in html  # the bill's own item, a day older, in the same event
    members = page(client, event.group(1))
    assert members.count('class="card item-card"') == 2 and BLOOMBERG in members
    for text in (html, members):
        ids = re.findall(r'\sid="([^"]+)"', text)
        assert len(ids) == len(set(ids)), "an id is used twice"
        assert text.count("<h1") == 1


def test_item_page_links_its_bill(client: FlaskClient, demo_app: Flask) -> None:
    html = page(client, f"/items/{item_id(demo_app, NDAA)}")
    assert 'href="/bills/119/hr8283"' in html and "H.R. 8283" in html


def test_home_reports_a_week_topics_bills_and_sources(client: FlaskClient) -> None:
    html = page(client, "/")
    assert ("This week" in html) or ("latest week with news" in html)
    assert 'class="sparkline" role="img"' in html and "Most active topics" in html
    assert 'href="/bills/119/hr8283"' in html and "Ordered to be Reported (Amended)." in html
    assert "You are reading the bundled demo snapshot" in html
    assert "from 12 Feb 2026 to 26 Jun 2026" in html and 'href="/topics/distillation"' in html
    week = html.split('id="week-title"', 1)[1].split('id="browse-title"', 1)[0]
    assert "20–26 Jun 2026" in week  # the story's last week, not a lookalike's
    for title in (
        "The United States Needs a Strategic Response to Adversarial AI Distillation",
        "AI Firms Seek US Help Against China Model Distillation",
        "Anthropic&#39;s letter accusing Alibaba of distillation becomes public",
    ):
        assert title in week, title
    assert "Illustrative" not in week
    assert "sources fetched fine" in html and 'href="/sources"' in html


def test_sources_page_lists_every_source_with_counts(client: FlaskClient) -> None:
    html = page(client, "/sources")
    assert "Demo snapshot: Anthropic" in html and "Federal Register" in html
    assert "not fetched yet" in html and 'class="status-ok"' in html


def test_the_week_falls_back_to_the_latest_with_news(demo_app: Flask) -> None:
    pipeline: Pipeline = demo_app.extensions["demo.pipeline"]
    with session_scope(pipeline.engine) as session:
        late = home.news_week(session, datetime(2026, 11, 28, 9, tzinfo=UTC))
        soon = home.news_week(session, datetime(2026, 6, 28, 9, 30, tzinfo=UTC))
    assert late is not None and not late.is_current
    assert late.end == datetime(2026, 6, 27, tzinfo=UTC) and late.start.day == 20
    assert (
        soon is not None and soon.is_current and soon.end == datetime(2026, 6, 28, 10, tzinfo=UTC)
    )


def test_activity_chart_is_valid_svg_with_labels() -> None:
    bars = periods({(2026, 5): {"letter": 2, "news": 3}, (2026, 7): {"memo": 1}}, "month")
    svg = activity_chart(bars, title="Model <distillation> & co", chart_id="t")
    root = ElementTree.fromstring(str(svg))
    assert root.get("role") == "img" and "Model <distillation> & co" in root.get("aria-label", "")
    assert root.find(f"{SVG}title").text == "Model <distillation> & co"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc").text or ""
    assert "6 items from May 2026 to Jul 2026" in desc and "busiest was May 2026 with 5" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Items", "Letter", "News", "Memo"} <= set(texts)
    # Months read as months: "May" over "2026", never "May 26" (the 26th of May).
    x_axis = root.find(f"{SVG}g[@class='axis x']")
    assert x_axis is not None
    labels = [" ".join("".join(t.itertext()).split()) for t in x_axis.iter(f"{SVG}text")]
    assert labels == ["May2026", "Jun", "Jul"], labels
    assert not any(re.fullmatch(r"[A-Z][a-z]{2} \d\d", label) for label in labels)
    bar_titles = [t.text for t in root.iter(f"{SVG}title")][1:]
    assert "Jun 2026: no items" in bar_titles and "May 2026: 5 (2 letter, 3 news)" in bar_titles


def test_weekly_periods_fill_gaps_across_a_year() -> None:
    bars = periods({(2025, 52): {"news": 1}, (2026, 2): {"news": 2}}, "week")
    assert [p.key for p in bars] == [(2025, 52), (2026, 1), (2026, 2)]
    assert bars[1].label == "Week of 29 Dec 2025" and bars[1].total == 0
    x_axis = ElementTree.fromstring(str(activity_chart(bars, title="t"))).find(
        f"{SVG}g[@class='axis x']"
    )
    assert x_axis is not None
    years = [y.text for y in x_axis.iter(f"{SVG}tspan")]
    assert years == ["2025", "2026"], years  # under the first label and where the year turns
    assert axis_ticks(11) == [0, 5, 10, 15] and axis_ticks(0) == [0, 1]


def test_sparkline_is_labelled_svg() -> None:
    root = ElementTree.fromstring(str(sparkline([0, 2, 5], label="A & B")))
    assert root.get("aria-label") == "A & B: 7 items over 3 weeks, 5 in the latest week"
    assert len(root.findall(f"{SVG}rect")) == 3


def test_empty_chart_says_so() -> None:
    svg = activity_chart([Period((2026, 1), "Jan 2026", "Jan 26", {})], title="Nothing")
    assert "Nothing: no items in this range." in str(svg)


def test_evidence_snippets_escape_text_and_mark_the_words() -> None:
    text = "Before <b>bold</b> & then Qwen models, " + "filler words " * 20
    html = str(snippet(text, text.index("Qwen"), text.index("Qwen") + 4))
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; then <mark>Qwen</mark> models" in html
    assert html.endswith("…") and "<b>" not in html


class FakeTag:
    slug, kind, origin, status = "qwen", "entity", "rule", "suggested"
    evidence = [  # noqa: RUF012
        {"field": "title", "start": 0, "end": 4, "text": "Qwen"},
        {"field": "text", "start": 999, "end": 1003, "text": "Qwen"},  # moved since tagging
        {"field": "text", "start": 0, "end": 4, "text": "Gone"},
    ]


def test_evidence_finds_moved_words_and_drops_missing_ones() -> None:
    [shown] = tag_evidence([FakeTag()], "Qwen 3 released", "Alibaba says Qwen is open.")
    assert [s.field for s in shown.snippets] == ["title", "text"]
    assert "says <mark>Qwen</mark> is open." in str(shown.snippets[1].html)


def test_congress_of_a_day() -> None:
    assert bills.congress_for(date(2025, 1, 3)) == 119
    assert bills.congress_for(date(2026, 12, 31)) == 119
    assert bills.congress_for(date(2025, 1, 2)) == 118
    assert bills.congress_for(date(2027, 6, 1)) == 120


def test_items_are_linked_to_a_bill_that_arrives_later(pipeline: Pipeline) -> None:
    demo = pipeline.settings.demo_dir
    pipeline.ingest_file(demo / "news.xml", "file-news", "rss")
    pipeline.ingest_file(demo / "research.atom", "file-research", "rss")
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        assert not session.exec(select(Item).where(Item.bill_id != None)).all()  # noqa: E711
        before = {i.id: i.seq for i in session.exec(select(Item))}
    pipeline.ingest_file(demo / "BILLSTATUS-119hr8283.xml", "file-bills", "billstatus")
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        bill = bills.bill_by_number(session, 119, "hr", 8283)
        linked = session.exec(select(Item).where(Item.bill_id == bill.id)).all()  # type: ignore[union-attr]
    mentions = {i.title: i for i in linked if i.id in before}  # the bill's own item is new
    assert set(mentions) == {BLOOMBERG, HFAC, NDAA, IAPS_FOLLOW_UP}
    assert all(i.seq > before[i.id] for i in mentions.values())  # feeds and the index see it


def test_new_items_naming_a_stored_bill_are_linked_at_ingest(pipeline: Pipeline) -> None:
    demo = pipeline.settings.demo_dir
    pipeline.ingest_file(demo / "BILLSTATUS-119hr8283.xml", "file-bills", "billstatus")
    pipeline.settle()
    pipeline.ingest_file(demo / "news.xml", "file-news", "rss")
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        bill = bills.bill_by_number(session, 119, "hr", 8283)
        linked = session.exec(select(Item.title).where(Item.bill_id == bill.id)).all()  # type: ignore[union-attr]
    assert sorted(linked) == sorted([BILL_ITEM, BLOOMBERG, HFAC, NDAA])


def test_walking_events_and_collecting_them_agree(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline.load_demo()
    summer = {"since": datetime(2026, 6, 1, tzinfo=UTC), "until": datetime(2026, 9, 1, tzinfo=UTC)}
    filters = [
        ListingFilter(topic="distillation"),
        ListingFilter(entity="anthropic", doc_type="news"),
        ListingFilter(topic="export-controls", **summer),
    ]
    with session_scope(pipeline.engine) as session:
        collected = [timelines.timeline(session, f, limit=4, offset=2) for f in filters]
        monkeypatch.setattr(timelines, "SPARSE_ITEMS", 0)
        walked = [timelines.timeline(session, f, limit=4, offset=2) for f in filters]
    for a, b in zip(collected, walked, strict=True):
        assert [e.id for e in a.events] == [e.id for e in b.events] and a.has_next == b.has_next
        assert [[c.id for c in e.items] for e in a.events] == [
            [c.id for c in e.items] for e in b.events
        ]
    assert all(page.events for page in collected)


def test_store_timelines_on_both_databases(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    f = ListingFilter(topic="distillation")
    with session_scope(pipeline.engine) as session:
        found = timelines.timeline(session, f, limit=3)
        second = timelines.timeline(session, f, limit=3, offset=3)
        daily = timelines.daily_counts(session, f)
        related = timelines.cooccurring(session, "alibaba", "topic")
        active = home.active_tags(session, datetime(2026, 7, 1, tzinfo=UTC))
        week = home.busiest_events(session, datetime(2026, 6, 8, tzinfo=UTC),
                                   datetime(2026, 6, 15, tzinfo=UTC))  # fmt: skip
    assert found.has_next and len(found.events) == 3 and found.item_total == sum(daily.values())
    dates = [e.date for e in found.events + second.events]
    assert (
        dates == sorted(dates, reverse=True)
        and len({e.id for e in found.events + second.events}) == 6
    )
    assert all("distillation" in c.topics for e in found.events for c in e.items)
    assert related[0][0] == "distillation" and active["topic"][0].slug == "distillation"
    assert len(active["topic"][0].weekly) == 12 and week  # the letter's week has events


def test_remembered_timelines_follow_new_items_and_their_events(pipeline: Pipeline) -> None:
    demo = pipeline.settings.demo_dir
    pipeline.ingest_file(demo / "news.xml", "file-news", "rss")
    pipeline.settle()
    f = ListingFilter(topic="distillation")
    with session_scope(pipeline.engine) as session:
        before = timelines.timeline(session, f, limit=100)
    pipeline.ingest_file(demo / "research.atom", "file-research", "rss")
    with session_scope(pipeline.engine) as session:  # stored, not yet in events
        waiting = timelines.timeline(session, f, limit=100)
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        after = timelines.timeline(session, f, limit=100)
        placed = session.exec(select(Item.event_id).where(Item.event_id != None)).all()  # noqa: E711
    assert waiting.item_total > before.item_total == sum(len(e.items) for e in before.events)
    assert after.item_total == waiting.item_total == sum(len(e.items) for e in after.events)
    assert {e.id for e in after.events} <= set(placed)


def test_a_bill_page_links_related_bills_and_lists_cosponsors(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    fixtures = Path(__file__).resolve().parent / "data" / "billstatus"
    pipeline.ingest_file(fixtures / "BILLSTATUS-114sjres8.xml", "file-bills", "billstatus")
    related = tmp_path / "BILLSTATUS-114hjres29.xml"  # the identical House measure, stored too
    related.write_text(
        "<billStatus><bill><congress>114</congress><type>HJRES</type><number>29</number>"
        "<title>Providing for congressional disapproval of a rule.</title><actions><item>"
        "<actionDate>2015-02-09</actionDate><text>Introduced in House</text>"
        "<actionCode>1000</actionCode></item></actions></bill></billStatus>"
    )
    pipeline.ingest_file(related, "file-bills", "billstatus")
    pipeline.settle()
    app = create_app({"SETTINGS": pipeline.settings, "TESTING": True})
    html = app.test_client().get("/bills/114/sjres8").get_data(as_text=True)
    app.extensions["tracker.engine"].dispose()
    assert '<a href="/bills/114/hjres29">H.J.Res. 29</a>' in html and "Identical bill (CRS)" in html
    assert 'href="https://www.congress.gov/bill/114th-congress/house-resolution/152"' in html
    assert "Procedurally-related (House)" in html
    assert "51 cosponsors in the record" in html and "Sen. Enzi, Michael B. [R-WY]" in html
    steps = re.findall(r'<li class="step (\w+)"', html)
    assert steps == ["done", "done", "skipped", "done", "done", "done", "vetoed"]
    assert '<time datetime="2015-03-31">31 Mar 2015</time>' in html  # the veto's day


def test_the_sources_page_links_each_source_with_items_to_its_timeline(
    client: FlaskClient,
) -> None:
    html = page(client, "/sources")
    links = re.findall(r'<a href="(/sources/[^"]+)" title="Timeline of ([^"]+)">', html)
    assert len(links) >= 3, "each source that brought items links its timeline"
    for url, name in links:
        timeline = page(client, url)
        assert f"<h1>{name}" in timeline or name in timeline
