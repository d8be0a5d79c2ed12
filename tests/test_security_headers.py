"""Every response, page or error, carries the headers that make it safe to open."""

from __future__ import annotations

from pathlib import Path

from conftest import make_settings

from tracker.web import create_app


def test_headers_on_pages_and_errors(tmp_path: Path) -> None:
    app = create_app({"SETTINGS": make_settings(tmp_path), "TESTING": True})
    client = app.test_client()
    from tracker.pipeline import Pipeline

    Pipeline(app.extensions["tracker.settings"], app.extensions["tracker.engine"]).init()
    for path in ("/", "/no-such-page", "/static/site.css"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        response.close()


def test_unreachable_database_gives_a_clear_page(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    response = client.get("/")
    assert response.status_code == 503
    assert "database cannot be reached" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
