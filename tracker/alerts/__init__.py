"""Email alerts (issue 17): subscriptions to any view, digests decided once and
kept in an outbox, delivered by SMTP or written to a folder."""
