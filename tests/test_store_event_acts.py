"""Issue 13 item 3 and issue 14 item 2 through the store, on SQLite and PostgreSQL.

Reports go in as an RSS file through `Pipeline.ingest_file` and `settle`, as
`tracker ingest` runs them: lookalikes of one week stay apart, coverage joins
the official document it names, grouped items file blocking keys, and a
database migrated from 0008 gets keys for what it had already grouped.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from alembic import command
from sqlmodel import select

from tracker.models import EventKey, Item
from tracker.pipeline import Pipeline
from tracker.store.engine import alembic_config, migrate, session_scope
from tracker.store.events import assign_pending

# (title, summary, link, published) as the feeds give them.
REPORTS = [
    ("Revisions to Export Controls on Advanced Computing Items",
     "The Bureau of Industry and Security (BIS) amends the Export Administration Regulations "
     "to revise controls on advanced computing integrated circuits. This final rule is "
     "effective March 3, 2026. RIN 0694-AJ71.",
     "https://www.federalregister.gov/documents/2026/03/03/2026-04117/revisions-to-export-"
     "controls-on-advanced-computing-items", "2026-03-03T08:45:00-05:00"),
    ("Reading the March 3 Advanced Computing Rule",
     "The changes to ECCN 3A090 published in the Federal Register as 2026-04117 tighten the "
     "performance density test.",
     "https://analysis.example.org/march-3-rule", "2026-03-05T11:00:00-05:00"),
    ("Request for Comments on Export Controls for Artificial Intelligence Model Weights",
     "The Bureau of Industry and Security requests comments on whether to control exports "
     "of the weights of advanced AI models. Docket No. BIS-2026-0019.",
     "https://www.federalregister.gov/documents/2026/03/06/2026-04302/request-for-comments",
     "2026-03-06T08:45:00-05:00"),
    ("S. 3890 - Chip Security Act of 2026",
     "Introduced in Senate (03/04/2026). Read twice and referred to the Committee on Banking.",
     "https://www.congress.gov/bill/119th-congress/senate-bill/3890", "2026-03-04T18:00:00-05:00"),
    ("Senate bill would make Nvidia track where its AI chips end up",
     "The Chip Security Act, introduced Wednesday, would require location verification on "
     "advanced GPUs subject to export controls.",
     "https://news.example.com/chip-security-act", "2026-03-05T09:10:00-05:00"),
    ("H.R. 7412 - GPU Export Verification Act",
     "Introduced in House (03/05/2026). Referred to the House Committee on Foreign Affairs.",
     "https://www.congress.gov/bill/119th-congress/house-bill/7412", "2026-03-05T18:00:00-05:00"),
    ("NVIDIA Announces Financial Results for Fourth Quarter and Fiscal 2026",
     "NVIDIA reported revenue for the fourth quarter ended January 25, 2026, led by Data Center.",
     "https://nvidianews.example.com/results", "2026-02-25T16:25:00-05:00"),
    ("Nvidia shares rise in premarket after quarterly results", "",
     "https://markets.example.com/nvidia-results", "2026-02-26T06:50:00-05:00"),
    ("Nvidia gains on report of China export licences", "",
     "https://markets.example.com/nvidia-licence", "2026-02-27T15:00:00-05:00"),
]  # fmt: skip


def write_feed(path: Path) -> Path:
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<guid>{escape(link)}</guid><pubDate>{format_datetime(datetime.fromisoformat(when))}"
        f"</pubDate><description>{escape(summary)}</description></item>"
        for title, summary, link, when in REPORTS
    )
    path.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{entries}'
        "</channel></rss>",
        encoding="utf-8",
    )
    return path


def events_by_title(pipeline: Pipeline) -> dict[str, int]:
    with session_scope(pipeline.engine) as session:
        return {i.title: i.event_id for i in session.exec(select(Item))}  # type: ignore[misc]


def test_reports_of_one_act_join_and_lookalikes_stay_apart(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    outcome = pipeline.ingest_file(write_feed(tmp_path / "week.xml"), "wire")
    assert outcome.new == len(REPORTS)
    pipeline.settle()
    event = events_by_title(pipeline)
    title = [r[0] for r in REPORTS]
    assert event[title[0]] == event[title[1]]  # the analysis names the rule's number
    assert event[title[0]] != event[title[2]]  # a rule and a request for comments, one agency
    assert event[title[3]] == event[title[4]]  # coverage naming the bill's short title
    assert event[title[3]] != event[title[5]]  # two chip bills, two chambers, one week
    assert event[title[6]] == event[title[7]]  # a title-only item joins the results it reports
    assert event[title[6]] != event[title[8]]  # the licence story is another happening


def test_every_grouped_item_files_its_blocking_keys(pipeline: Pipeline, tmp_path: Path) -> None:
    pipeline.ingest_file(write_feed(tmp_path / "week.xml"), "wire")
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        keyed = {k.item_id for k in session.exec(select(EventKey))}
        keys = {k.key for k in session.exec(select(EventKey))}
        items = {i.id for i in session.exec(select(Item))}
    assert keyed == items
    assert {"id:fr:2026-04117", "id:bill:s3890", "id:act:chip security act"} <= keys


def test_the_migration_files_keys_for_what_was_grouped(pipeline: Pipeline, tmp_path: Path) -> None:
    pipeline.ingest_file(write_feed(tmp_path / "week.xml"), "wire")
    pipeline.settle()
    with pipeline.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0010")  # the table goes; the grouping stays
    migrate(pipeline.engine)
    with session_scope(pipeline.engine) as session:
        assert "id:bill:s3890" in {k.key for k in session.exec(select(EventKey))}
    # A report arriving after the upgrade still finds the bill through the keys.
    late = tmp_path / "late.xml"
    late.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        "<title>Chip Security Act draws industry pushback</title><link>https://x.example/a</link>"
        "<guid>late-1</guid><pubDate>Fri, 06 Mar 2026 10:00:00 -0500</pubDate><description>"
        "S. 3890 would require location verification on exported GPUs.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    pipeline.ingest_file(late, "wire")
    with session_scope(pipeline.engine) as session:
        assert assign_pending(session) == 1
    event = events_by_title(pipeline)
    assert event["Chip Security Act draws industry pushback"] == event[REPORTS[3][0]]
