"""Keeping the index equal to the database: catch-up by sequence number.

The last sequence number indexed lives inside the index, in a state document
written by the same commit as the items it covers. A process killed at any
moment therefore leaves either the old commit (and the old state) or the new
one, and the next catch-up starts from what the index really holds. Items are
written with `update_document` keyed on the item id, so indexing one twice
leaves one document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.engine import Engine
from whoosh.index import FileIndex

from tracker.config import Settings
from tracker.gcpause import gc_paused
from tracker.search.batch_writing import replace_documents, use_term_pool
from tracker.search.schema import STATE_ID, document, state_document
from tracker.search.storage import (
    DEFAULT_TIMEOUT,
    IndexUnreadable,
    index_writer,
    open_or_create,
    read_state,
)
from tracker.store.engine import session_scope
from tracker.store.indexing import all_item_ids, item_totals, items_by_id, items_since

Progress = Callable[[int, int], None]
log = logging.getLogger("tracker.search")
BATCH = 1000


def catch_up(
    settings: Settings,
    engine: Engine,
    *,
    batch_size: int = BATCH,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
    check: bool = True,
) -> int:
    """Index every item changed since the index's last sequence number.

    Returns how many items were (re)indexed. An index of another schema
    version, or one whose files cannot be read, is rebuilt instead (the
    second with a log line). Raises `IndexBusy` when another writer holds
    the index for longer than `timeout` seconds. With `check`, items deleted
    from the database leave the index too (`repair`: it counts the items,
    about 0.1 s at a million).
    """
    from tracker.search.rebuilding import rebuild

    try:
        ix = open_or_create(settings.index_dir)
        done = follow(ix, engine, batch_size=batch_size, timeout=timeout, progress=progress)
    except IndexUnreadable as exc:
        log.warning("search index cannot be read (%s); rebuilding it from the database", exc)
        return rebuild(settings, engine, progress, timeout=timeout, damaged=True)
    if done is None:
        return rebuild(settings, engine, progress, timeout=timeout)
    return done + (repair(ix, engine, timeout=timeout) if check else 0)


@gc_paused()
def follow(
    ix: FileIndex,
    engine: Engine,
    *,
    batch_size: int = BATCH,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
    upto: int | None = None,
) -> int | None:
    """Apply item changes to `ix` a batch per commit; None if `ix` needs a rebuild."""
    done = 0
    while True:
        with index_writer(ix, timeout) as writer:
            # The state is read under the write lock: no other writer can
            # move it between this read and our commit.
            state = read_state(writer.searcher())
            if not state.current:
                return None
            with session_scope(engine) as session:
                docs = items_since(session, state.seq, batch_size, upto=upto)
            if not docs:
                return done
            use_term_pool(writer)
            replace_documents(writer, [*map(document, docs), state_document(docs[-1].seq)])
            writer.commit()
        done += len(docs)
        if progress:
            progress(done, 0)
        if len(docs) < batch_size:
            return done


def indexed_items(searcher: object) -> dict[int, int]:
    """Item id → sequence number of every live item document `searcher` sees."""
    found = {}
    for fields in searcher.reader().all_stored_fields():  # type: ignore[attr-defined]
        if fields.get("id") != STATE_ID:
            found[int(fields["id"])] = int(fields["seq"])
    return found


def repair(ix: FileIndex, engine: Engine, *, timeout: float = DEFAULT_TIMEOUT) -> int:
    """Drop documents of deleted items and re-add any the index lacks.

    Following sequence numbers cannot see a deleted row. A consistent index
    holds at least every item up to its state's seq and at most every item;
    only outside those bounds are the two id sets compared, so an ingest that
    commits meanwhile does not trigger a full comparison.
    """
    with ix.searcher() as searcher:
        last = read_state(searcher).seq
        has_state = searcher.document_number(id=STATE_ID) is not None
        indexed = searcher.doc_count() - has_state
    with session_scope(engine) as session:
        below, total = item_totals(session, upto=last)
    if below <= indexed <= total:
        return 0
    with index_writer(ix, timeout) as writer:
        present = indexed_items(writer.searcher())
        last = read_state(writer.searcher()).seq
        with session_scope(engine) as session:
            stored = all_item_ids(session)
            # Items above the state's seq are the next catch-up's business.
            todo = [i for i, seq in stored.items() if seq <= last and present.get(i) != seq]
            docs = items_by_id(session, todo)
        gone = [i for i in present if i not in stored]
        for item_id in gone:
            writer.delete_by_term("id", str(item_id))
        for doc in docs:
            writer.update_document(**document(doc))
        writer.commit()
    return len(gone) + len(docs)
