"""Expected failures mapped to pages, in one place."""

from __future__ import annotations

from flask import Flask, abort, render_template, request
from werkzeug.exceptions import HTTPException

from tracker.store import NotFound, StoreError


def init_app(app: Flask) -> None:
    """Register the error pages on `app`, and refuse what no database can hold."""
    app.before_request(_refuse_nul)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        return render_template("error.html", code=exc.code, title=exc.name,
                               message=exc.description), exc.code or 500  # fmt: skip

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> tuple[str, int]:
        return render_template("error.html", code=404, title="Not found", message=str(exc)), 404

    @app.errorhandler(StoreError)
    def store_error(exc: StoreError) -> tuple[str, int]:
        app.logger.error("database unavailable: %s", exc)
        message = "The database cannot be reached right now. Please try again in a minute."
        return render_template(
            "error.html", code=503, title="Service unavailable", message=message
        ), 503

    @app.errorhandler(500)
    def server_error(_exc: Exception) -> tuple[str, int]:
        message = "Something went wrong on our side. The error has been logged."
        return render_template("error.html", code=500, title="Server error", message=message), 500


def _refuse_nul() -> None:
    """A NUL character in the address or a form is a 400 before any view runs.

    PostgreSQL refuses NUL in any text value, so a slug, a query or a form
    field carrying one would otherwise reach the database and end as a 500.
    """
    values = [request.path, *request.args.values()]
    if request.method == "POST":
        values.extend(request.form.values())
    if any("\x00" in value for value in values):
        abort(400, description="A request may not contain a NUL character (%00).")
