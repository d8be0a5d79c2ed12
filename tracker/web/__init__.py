"""The site: `create_app(config=None)` builds the Flask app."""

from __future__ import annotations

import gc
import secrets
from typing import Any

from flask import Flask

from tracker.config import REPO_ROOT, Settings
from tracker.store.engine import make_engine


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config` may hold `SETTINGS` (a `Settings`) and Flask keys."""
    app = Flask(
        __name__,
        template_folder=str(REPO_ROOT / "templates"),
        static_folder=str(REPO_ROOT / "static"),
    )
    config = dict(config or {})
    settings: Settings = config.pop("SETTINGS", None) or Settings.from_env()
    app.config.update(SECRET_KEY=settings.secret_key or _instance_secret(settings))
    app.config.update(config)
    app.extensions["tracker.settings"] = settings
    app.extensions["tracker.engine"] = make_engine(settings)

    from tracker.web import (
        admin,
        alert_pages,
        api,
        auth,
        calendar_pages,
        compression,
        csrf,
        early_304,
        errors,
        feeds,
        filters,
        indexes,
        limits,
        pages,
        query_args,
        review,
        search_page,
        security,
        site_files,
        staff_alerts,
    )

    _one_head_per_read(app)
    query_args.init_app(app)  # the `id` converter, before the rules that use it
    security.init_app(app)
    filters.init_app(app)
    errors.init_app(app)
    limits.init_app(app, settings)  # before CSRF: a refused login still counts
    csrf.init_app(app)  # staff forms: every POST needs the session's token
    app.register_blueprint(pages.bp)
    app.register_blueprint(search_page.bp)
    feeds.init_app(app)
    indexes.init_app(app)
    calendar_pages.init_app(app)
    api.init_app(app)
    auth.init_app(app)
    app.register_blueprint(review.bp)
    app.register_blueprint(admin.bp)
    alert_pages.init_app(app)  # /alerts/...: sign-up, confirm, manage, unsubscribe
    staff_alerts.init_app(app)  # /account/alerts: a member of staff's own alerts
    site_files.init_app(app)  # /favicon.ico, /robots.txt, /sitemap.xml
    compression.init_app(app)  # last: it sees every other hook's response
    early_304.init_app(app)  # in front of it all: a feed poll's 304 from the last one's
    return app


def _one_head_per_read(app: Flask) -> None:
    """A GET or HEAD reads each database's head once, whatever aggregates its page asks
    for (`memo.reading`); other methods may write, so they read it every time."""
    from flask import request

    from tracker.store import memo

    @app.before_request
    def start() -> None:
        if request.method in ("GET", "HEAD"):
            memo.start_reading()

    @app.teardown_request
    def stop(_error: BaseException | None) -> None:
        memo.stop_reading()


# Compiled before a worker serves: a template compiles on its first use, 20-70 ms
# each (up to 300 ms on a busy machine), and a fresh worker's first reader of the
# home page or a timeline would wait for it.
WARM_TEMPLATES = ("base.html", "_macros.html", "search.html", "index.html", "timeline.html",
                  "item.html", "event.html", "sources.html")  # fmt: skip


def warm_up(app: Flask) -> None:
    """Before a worker takes requests: open the search index and compile the
    templates of the busiest pages, so its first readers do not wait for them.
    Call it once per process, where it starts serving (it freezes the garbage
    collector's view of everything loaded so far)."""
    from tracker import search
    from tracker.store import StoreError, demo, timelines
    from tracker.web.context import db

    search.warm(app.extensions["tracker.settings"])
    for name in WARM_TEMPLATES:
        app.jinja_env.get_template(name)
    try:
        with app.app_context(), db() as session:
            # The first query of a kind sets up the mappers and compiles its SQL.
            demo.sample_sources(session)
            timelines.tag_names(session)
    except StoreError as exc:  # a database not set up yet: each page says so itself
        app.logger.warning("pages not warmed: %s", exc)
    # What was just loaded lives as long as the worker (until the index changes).
    # A full collection walks it all: 170 ms at 100,000 items, every few dozen
    # searches; frozen, the collector skips it.
    gc.collect()
    gc.freeze()


def _instance_secret(settings: Settings) -> str:
    """A key kept under TRACKER_HOME, so every worker and restart signs alike."""
    path = settings.home / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        settings.home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        try:
            with open(path, "x", encoding="ascii") as handle:  # first writer wins
                handle.write(key)
            path.chmod(0o600)
        except FileExistsError:
            return path.read_text(encoding="ascii").strip()
        return key
