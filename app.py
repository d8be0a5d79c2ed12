"""WSGI entry point: `gunicorn app:app` or `flask --app app run`."""

from tracker.web import create_app, warm_up

app = create_app()
# Each gunicorn worker imports this module: it opens the index before serving.
warm_up(app)
