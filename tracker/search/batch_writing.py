"""Cheaper ways for a whoosh writer to take a batch of documents, same index.

Two costs of whoosh's `SegmentWriter` that a catch-up batch does not need:

- Its posting pool keeps every posting as a 5-tuple (field, term, docnum,
  weight, value) and sorts them all at commit: about a fifth of indexing's
  time. `TermPool` files each posting under its (field, term) as it arrives
  and sorts only the distinct terms; a document's postings arrive in
  document order, so each term's list is sorted already. It hands the
  field writer exactly the sequence whoosh's pool would, so the segment
  written is the same byte for byte. Past `SPILL` postings (a merge of many
  segments) it hands everything to whoosh's own pool, which sorts on disk.
- `update_document` looks every unique key up through a searcher (a
  postings read per document) even when the term is in no segment, as for
  every new item. `replace_documents` asks the segments' term tables first
  and looks up, exactly as whoosh does, only the keys some segment holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.writing import PostingPool, SegmentWriter

Posting = tuple[str, bytes, int, float, bytes | None]
SPILL = 3_000_000  # postings held in memory before whoosh's pool takes over


class TermPool:
    """A posting pool that groups by (field, term) instead of sorting postings."""

    def __init__(self, writer: SegmentWriter) -> None:
        self._writer = writer
        self._terms: dict[tuple[str, bytes], list[tuple[int, float, bytes | None]]] = {}
        self._last_doc = -1
        self._in_order = True
        self._count = 0
        self._plain = False
        self._spilled: PostingPool | None = None
        self.fieldnames: set[str] = set()

    def add(self, item: Posting) -> None:
        if self._spilled is not None:
            self._spilled.add(item)
            return
        fieldname, tbytes, docnum, weight, vbytes = item
        if docnum < 0:
            self._plain = True  # whoosh's spelling hack: leave it to add_postings
        if docnum < self._last_doc:
            self._in_order = False  # e.g. a merged segment's postings, term by term
        self._last_doc = docnum
        key = (fieldname, tbytes)
        found = self._terms.get(key)
        if found is None:
            self._terms[key] = [(docnum, weight, vbytes)]
            self.fieldnames.add(fieldname)
        else:
            found.append((docnum, weight, vbytes))
        self._count += 1
        if self._count > SPILL:
            self._spill()

    def _spill(self) -> None:
        writer = self._writer
        pool = PostingPool(writer._tempstorage, writer.newsegment)
        for posting in self._postings():
            pool.add(posting)
        self._terms.clear()
        self._spilled = pool

    def _postings(self) -> Iterator[Posting]:
        terms = self._terms
        for key in sorted(terms):
            fieldname, tbytes = key
            postings = terms[key]
            if not self._in_order:
                postings.sort()
            for docnum, weight, vbytes in postings:
                yield fieldname, tbytes, docnum, weight, vbytes

    def grouped(self) -> Iterator[tuple[str, bytes, list[tuple[int, float, bytes | None]]]]:
        """(field, term, postings in document order) in the order whoosh sorts them."""
        terms = self._terms
        for key in sorted(terms):
            postings = terms[key]
            if not self._in_order:
                postings.sort()
            yield key[0], key[1], postings

    def iter_postings(self) -> Iterable[Any]:
        if self._spilled is not None:
            return self._spilled.iter_postings()  # type: ignore[no-any-return]
        if self._plain:
            return self._postings()
        return GroupedPostings(self)

    def cleanup(self) -> None:
        self._terms.clear()
        if self._spilled is not None:
            self._spilled.cleanup()


class GroupedPostings:
    """What `TermPool.iter_postings` hands the field writer: whoosh's postings
    when iterated, and `grouped()` for a writer that takes a term at a time."""

    def __init__(self, pool: TermPool) -> None:
        self._pool = pool

    def __iter__(self) -> Iterator[Posting]:
        return self._pool._postings()

    def grouped(self) -> Iterator[tuple[str, bytes, list[tuple[int, float, bytes | None]]]]:
        return self._pool.grouped()


def write_grouped(fieldwriter: Any, schema: Any, lengths: Any, postings: GroupedPostings) -> None:
    """`FieldWriter.add_postings` for grouped postings: each term's block(s) are
    filled in one step instead of a call per posting; the same bytes result."""
    lastfn = None
    field_lengths: list[int] = []
    limit = fieldwriter._codec._blocklimit
    for fieldname, tbytes, found in postings.grouped():
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfn = fieldname
            field_lengths = lengths.field_lengths(fieldname) if lengths else []
        fieldwriter.start_term(tbytes)
        writer = fieldwriter._postwriter
        for start in range(0, len(found), limit):
            if start:
                writer._write_block()
            _fill_block(writer, found[start : start + limit], field_lengths)
        fieldwriter.finish_term()
    if lastfn is not None:
        fieldwriter.finish_field()


def _fill_block(
    writer: Any, block: list[tuple[int, float, bytes | None]], field_lengths: list[int]
) -> None:
    """What `add_posting` would leave in `writer`'s buffer after adding `block`."""
    ids = [posting[0] for posting in block]
    weights = [posting[1] for posting in block]
    writer._ids.extend(ids)
    writer._weights.extend(weights)
    top = max(weights)
    writer._maxweight = top if top > 0 else 0
    writer._values = [posting[2] for posting in block if posting[2]]
    count = len(field_lengths)
    found = [n for n in (field_lengths[d] if d < count else 0 for d in ids) if n]
    if found:
        writer._minlength = min(found)
        writer._maxlength = max(found)


def use_term_pool(writer: SegmentWriter) -> SegmentWriter:
    """Give a fresh writer (no document added yet) a `TermPool`."""
    assert not writer._added, "the pool is swapped before any document is added"
    writer.pool.cleanup()
    writer.pool = TermPool(writer)
    return writer


def replace_documents(writer: SegmentWriter, documents: Iterable[dict[str, Any]]) -> None:
    """`writer.update_document` for each document, keyed on its unique ``id``.

    Only ids some segment's term table holds are looked up (whoosh's own
    `document_number`, whose document is deleted); the rest are added.
    """
    searcher = writer.searcher()
    reader = searcher.reader()
    for fields in documents:
        key = fields["id"]
        if ("id", key) in reader:
            docnum = searcher.document_number(id=key)
            if docnum is not None:
                writer.delete_document(docnum)
        writer.add_document(**fields)
