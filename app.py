"""WSGI entry point: `gunicorn app:app` or `flask --app app run`."""

from tracker.web import create_app

app = create_app()
