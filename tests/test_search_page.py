"""The /search page as a reader uses it: a GET form, facets as links, the URL as state."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from test_search import CORPUS, store_docs

from tracker import search
from tracker.web import create_app, search_page


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from test_search import new_home

    settings, engine = new_home(tmp_path_factory.mktemp("page"))
    store_docs(engine, CORPUS)
    search.catch_up(settings, engine)
    yield create_app({"SETTINGS": settings, "TESTING": True})
    engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def titles(html: str) -> list[str]:
    return [unescape(re.sub(r"</?mark>", "", t))
            for t in re.findall(r'<h2><a href="/items/\d+">(.*?)</a></h2>', html)]  # fmt: skip


def test_a_blank_search_explains_the_query_language(client: FlaskClient) -> None:
    html = page(client, "/search")
    assert "Search every document" in html and "type:letter" in html
    assert 'action="/search"' in html and 'method="get"' in html


def test_results_show_count_highlights_and_escaped_titles(client: FlaskClient) -> None:
    html = page(client, "/search?q=qwen")
    assert "2 results" in html and "<mark>Qwen</mark>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html
    assert 'value="qwen"' in html  # the box keeps the query


def test_facet_links_add_a_filter_kept_in_the_url(client: FlaskClient) -> None:
    html = page(client, "/search?q=chips")
    link = re.search(r'href="(/search\?[^"]*type=letter[^"]*)"', html)
    assert link is not None
    url = unescape(link.group(1))
    assert "q=chips" in url
    narrowed = page(client, url)
    assert titles(narrowed) == ["Warren letter to Nvidia on chips"]
    assert "Document type: Letter ×" in narrowed  # shown by name, and removable
    remove = re.search(r'href="([^"]*)" title="Remove this filter"', narrowed)
    assert remove is not None and "type=" not in unescape(remove.group(1))


def test_dates_sort_and_pages_live_in_the_url(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = page(client, "/search?q=&from=2026-04-01&to=2026-06-30&sort=newest")
    assert titles(html) == [
        "Hearing on DeepSeek and model distillation",
        "Commerce adds chipmakers to the Entity List",
        "OpenAI statement on model training",
        "Senators press Alibaba over Qwen distillation",
    ]
    monkeypatch.setattr(search_page, "PER_PAGE", 3)
    first = page(client, "/search?type=letter&type=news&type=memo&sort=newest")
    following = re.search(r'rel="next" href="([^"]+)"', first)
    assert following is not None and "page=2" in following.group(1)
    second = page(client, unescape(following.group(1)))
    assert set(titles(first)).isdisjoint(titles(second)) and len(titles(second)) == 2
    assert "Page 2 of 2" in second and 'rel="prev"' in second


def test_unreadable_input_gives_a_notice_not_an_error(client: FlaskClient) -> None:
    html = page(client, '/search?q="unclosed+((&from=2026-99-01')
    assert html.count('class="notice"') >= 2
    assert "is not a date" in html and "not closed" in html
    empty = page(client, "/search?q=zebra")
    assert "No item matches" in empty and "0 results" in empty


def test_every_page_has_a_search_box_in_the_header(client: FlaskClient) -> None:
    html = page(client, "/search?q=chips")
    header = html.split("</header>")[0]
    assert 'class="site-search"' in header and 'value="chips"' in header
