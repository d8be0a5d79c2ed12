"""govinfo BILLSTATUS XML → one `BillRecord` and one `ParsedItem` for the bill.

Three layouts are read: the current schema 3.x (`<number>`, `<type>`,
`<summaries><summary>`, `<committees><item>` inside actions) and the older bulk
layouts (`<billNumber>`, `<billType>`, `<summaries><billSummaries><item>`,
`<primarySubject>`, `<committee>` inside actions). Element meanings and action
codes follow the govinfo BILLSTATUS user guide.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden

from tracker.parse import ParseError
from tracker.parse.bill_fields import (
    bill_type_of,
    cosponsors,
    day,
    related_bills,
    sponsor,
    text,
    text_url,
    text_versions,
)
from tracker.parse.bill_stage import bill_progress, bill_stage
from tracker.types import BillAction, BillRecord, ParsedItem, ParseResult, bill_label

__all__ = ["bill_stage", "bill_url", "parse_billstatus"]  # bill_stage re-exported

# congress.gov spells each bill type out in its URLs.
_URL_WORDS: dict[str, str] = {
    "hr": "house-bill",
    "s": "senate-bill",
    "hres": "house-resolution",
    "sres": "senate-resolution",
    "hjres": "house-joint-resolution",
    "sjres": "senate-joint-resolution",
    "hconres": "house-concurrent-resolution",
    "sconres": "senate-concurrent-resolution",
}

_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|li|ul|ol|tr|h\d)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_LONG = 5000  # characters of a title or an action's text; shorter fields hold 300 or less


def parse_billstatus(content: bytes) -> ParseResult:
    """Read one BILLSTATUS XML file into a `BillRecord` and its `ParsedItem`."""
    bill = _bill_element(content)
    congress = _int(text(bill, "congress"), "congress")
    bill_type = _bill_type(text(bill, "type") or text(bill, "billType"))
    number = _int(text(bill, "number") or text(bill, "billNumber"), "bill number")
    actions, warnings = _actions(bill)
    summary_html = _latest_summary_html(bill)
    introduced = day(text(bill, "introducedDate")) or (actions[0].action_date if actions else None)
    progress = bill_progress(bill_type, actions, introduced)
    record = BillRecord(
        congress=congress,
        bill_type=bill_type,
        number=number,
        title=_title(bill) or bill_label(bill_type, number),
        introduced=introduced,
        sponsor=sponsor(bill),
        policy_area=text(bill, "policyArea/name")
        or text(bill, "primarySubject/name")
        or text(bill, "subjects/billSubjects/policyArea/name")
        or text(bill, "subjects/policyArea/name"),
        subjects=_subjects(bill),
        actions=tuple(actions),
        stage=progress.stage,
        latest_summary=_html_to_text(summary_html[:500_000]),  # as items' summaries
        updated=_datetime(text(bill, "updateDate")),
        stage_dates=progress.reached,
        cosponsors=cosponsors(bill),
        related=related_bills(bill, congress),
        text_url=text_url(bill),
        text_versions=text_versions(bill),
    )
    return ParseResult(
        kind="billstatus",
        items=(_bill_item(record, summary_html),),
        bills=(record,),
        warnings=tuple(warnings),
    )


def bill_url(congress: int, bill_type: str, number: int) -> str:
    """The congress.gov page of a bill: ``.../bill/117th-congress/house-bill/1``."""
    word = _URL_WORDS.get(bill_type, bill_type)
    return f"https://www.congress.gov/bill/{_ordinal(congress)}-congress/{word}/{number}"


def _bill_element(content: bytes) -> ET.Element:
    try:
        root = safe_et.fromstring(content)
    except EntitiesForbidden as exc:
        raise ParseError("XML declares entities, which are refused (entity expansion)") from exc
    except ExternalReferenceForbidden as exc:
        raise ParseError("XML refers to external resources, which are refused") from exc
    except DefusedXmlException as exc:
        raise ParseError(f"XML uses a construct that is refused: {type(exc).__name__}") from exc
    except ET.ParseError as exc:
        raise ParseError(f"not well-formed XML: {exc}") from exc
    tag = _local(root.tag)
    if tag != "billStatus":
        raise ParseError(f"not a BILLSTATUS document: the root element is <{tag}>")
    if "}" in root.tag:
        # A default namespace would hide every element from the bare paths below.
        for element in root.iter():
            if isinstance(element.tag, str):
                element.tag = _local(element.tag)
    bill = root.find("bill")
    if bill is None:
        raise ParseError("BILLSTATUS document has no <bill> element")
    return bill


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _int(value: str | None, what: str) -> int:
    try:
        number = int(value or "")
    except ValueError as exc:
        raise ParseError(f"BILLSTATUS record has no valid {what}: {value!r}") from exc
    if not 0 < number < 100_000:  # congresses and bill numbers; also what a column holds
        raise ParseError(f"BILLSTATUS record has no valid {what}: {value!r}")
    return number


def _bill_type(value: str | None) -> str:
    bill_type = bill_type_of(value)
    if bill_type is None:
        raise ParseError(f"BILLSTATUS record has an unknown bill type: {value!r}")
    return bill_type


def _datetime(value: str | None) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the year 1 in UTC
        return None


def _midnight(when: date | None) -> datetime | None:
    return datetime(when.year, when.month, when.day, tzinfo=UTC) if when else None


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _title(bill: ET.Element) -> str | None:
    titles: dict[str, str] = {}
    for item in bill.findall("titles/item"):
        kind, title = text(item, "titleType"), text(item, "title", _LONG)
        if kind and title:
            titles.setdefault(kind, title)
    return (
        titles.get("Display Title")
        or text(bill, "title", _LONG)
        or titles.get("Official Title as Introduced")
        or next(iter(titles.values()), None)
    )


def _subjects(bill: ET.Element) -> tuple[str, ...]:
    paths = (
        "subjects/legislativeSubjects/item/name",
        "subjects/billSubjects/legislativeSubjects/item/name",
        "subjects/billSubjects/otherSubjects/item/name",
    )
    names: dict[str, None] = {}
    for path in paths:
        for element in bill.findall(path):
            if element.text and element.text.strip():
                names.setdefault(" ".join(element.text.split()), None)
    return tuple(names)


def _actions(bill: ET.Element) -> tuple[list[BillAction], list[str]]:
    container = bill.find("actions")
    items = [] if container is None else container.findall("item")
    if container is not None and not items:
        items = container.findall("actions/item")
    actions: list[BillAction] = []
    warnings: list[str] = []
    for item in items:
        said, code = text(item, "text", _LONG) or "", text(item, "actionCode", 20)
        if not said and not code:
            continue  # older files carry empty placeholder rows
        when = day(text(item, "actionDate"))
        if when is None:
            warnings.append(f"action without a valid date skipped: {said[:80]!r}")
            continue
        actions.append(
            BillAction(
                action_date=when,
                text=said,
                code=code,
                action_type=text(item, "type", 100),
                source_system=text(item, "sourceSystem/name", 100),
                committee=text(item, "committee/name") or text(item, "committees/item/name"),
            )
        )
    # Files list actions newest first. Reversing (unless the dates clearly run
    # the other way) and then a stable sort by date keeps same-day actions in
    # the order they happened; sorting alone would put "Introduced" after
    # "Referred" when both fall on one day.
    if not (actions and actions[0].action_date < actions[-1].action_date):
        actions.reverse()
    actions.sort(key=lambda action: action.action_date)
    return actions, warnings


def _latest_summary_html(bill: ET.Element) -> str:
    summaries = bill.findall("summaries/summary") + bill.findall("summaries/billSummaries/item")
    best: tuple[str, str, int] | None = None
    best_text = ""
    for index, summary in enumerate(summaries):
        body = (summary.findtext("text") or "").strip()
        if not body:
            continue
        key = (
            summary.findtext("actionDate") or "",
            summary.findtext("lastSummaryUpdateDate") or summary.findtext("updateDate") or "",
            index,
        )
        if best is None or key > best:
            best, best_text = key, body
    return best_text


def _html_to_text(markup: str) -> str:
    # CRS summaries are simple, well-formed markup; a line per block is enough.
    text = html.unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub("\n", markup)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _bill_item(record: BillRecord, summary_html: str) -> ParsedItem:
    last_action = record.actions[-1] if record.actions else None
    if not summary_html and last_action is not None:
        summary_html = html.escape(last_action.text, quote=False)
    updated = _midnight(last_action.action_date) if last_action else None
    return ParsedItem(
        guid=f"bill:{record.congress}-{record.bill_type}-{record.number}",
        title=f"{record.label}: {record.title}",
        url=bill_url(record.congress, record.bill_type, record.number),
        summary_html=summary_html,
        published=_midnight(record.introduced),
        updated=updated or record.updated,
        author=record.sponsor.full_name if record.sponsor else None,
        doc_type="bill",
        bill_key=record.key,
    )
