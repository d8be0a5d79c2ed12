"""What a busy page or feed keeps between readers: a feed's body by its ETag, a
timeline's chart until items change; and what a list reads of an item (its card's
columns, not its tag evidence). Each shows a change at once (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from test_daily_counts_kept import statements
from test_read_once import _Served, change

from tracker.pipeline import Pipeline
from tracker.store import kept_store
from tracker.web import charts, create_app

FEEDS = ["/topics/distillation.rss", "/topics/distillation.atom", "/topics/distillation.json"]
TIMELINE = "/topics/distillation"


@pytest.fixture
def app(pipeline: Pipeline) -> Iterator[Flask]:
    pipeline.load_demo()
    made = create_app({"SETTINGS": pipeline.settings, "TESTING": True, "VERSION_TTL": 0})
    yield made
    kept_store.flush()
    made.extensions["tracker.engine"].dispose()


def _fresh_app(pipeline: Pipeline) -> Flask:
    return create_app({"SETTINGS": pipeline.settings, "TESTING": True, "VERSION_TTL": 0})


@pytest.mark.parametrize("url", FEEDS)
def test_an_unchanged_feed_is_written_once_and_a_changed_one_afresh(
    pipeline: Pipeline, app: Flask, url: str
) -> None:
    client = app.test_client()
    first = client.get(url)
    assert first.status_code == 200
    with statements(_Served(app)) as seen:  # type: ignore[arg-type]
        again = client.get(url)
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["ETag"] == first.headers["ETag"]
    # Old code: the fifty items, their tags and their events were read again.
    assert not [s for s in seen if "JOIN source" in s or "FROM itemtag" in s], seen

    change(pipeline, listed=True)  # an item of the listing changed: a new body at once
    fresh = client.get(url)
    assert fresh.headers["ETag"] != first.headers["ETag"]
    other = _fresh_app(pipeline)  # a new process, nothing kept: the same body
    assert fresh.data == other.test_client().get(url).data
    other.extensions["tracker.engine"].dispose()


def test_a_feed_reads_its_items_without_their_tag_evidence(app: Flask) -> None:
    with statements(_Served(app)) as seen:  # type: ignore[arg-type]
        response = app.test_client().get("/items.json")
    assert response.status_code == 200
    assert any(item["tags"] for item in response.json["items"])  # tags are shown
    reads = [s for s in seen if "FROM itemtag" in s]
    assert reads, seen
    # Old code: whole tag rows (evidence, origin, who decided) and whole item rows.
    assert not [s for s in reads if "evidence" in s], reads
    assert not [s for s in seen if "item.agencies" in s and "JOIN source" in s], seen


def test_a_timelines_chart_is_drawn_once_until_items_change(
    pipeline: Pipeline, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    draw = charts.activity_chart

    def counted(*args: object, **kwargs: object) -> object:
        drawn.append(str(kwargs.get("title")))
        return draw(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(charts, "activity_chart", counted)
    client = app.test_client()
    first = client.get(TIMELINE).get_data(as_text=True)
    assert client.get(TIMELINE).get_data(as_text=True) == first
    assert len(drawn) == 1  # old code: drawn for every request
    client.get(TIMELINE + "?grain=week")  # another chart of the same listing
    assert len(drawn) == 2

    change(pipeline, listed=True)  # any item change: drawn again, as a new process draws it
    after = client.get(TIMELINE).get_data(as_text=True)
    assert len(drawn) == 3
    other = _fresh_app(pipeline)
    with other.test_client() as fresh:
        assert _chart_of(fresh.get(TIMELINE).get_data(as_text=True)) == _chart_of(after)
    other.extensions["tracker.engine"].dispose()


def _chart_of(page: str) -> str:
    start = page.index("<svg")
    return page[start : page.index("</svg>", start)]
